// Phone readers: with sphinx-book-theme 1.3 / pydata-sphinx-theme 0.17 the visible menu
// button does not open the primary sidebar (upstream bugs). Forward its clicks to the
// theme's hidden toggle so navigation opens on small screens.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("pst-primary-sidebar-checkbox");
  document.querySelectorAll("button.primary-toggle, label.primary-toggle").forEach(function (b) {
    if (!toggle || b.dataset.rwFixed) return;
    b.dataset.rwFixed = "1";
    b.addEventListener("click", function (ev) {
      if (b.tagName === "LABEL") return;  // a label already toggles its checkbox
      ev.preventDefault();
      toggle.checked = !toggle.checked;
      toggle.dispatchEvent(new Event("change"));
    });
  });
});
