// Phone readers: with sphinx-book-theme 1.3 and pydata-sphinx-theme 0.17 the visible menu
// button (the book theme's) only collapses the desktop sidebar; the theme wires the phone
// navigation dialog to its own, hidden, button. On narrow screens, forward the click.
document.addEventListener("DOMContentLoaded", function () {
  var toggles = document.querySelectorAll(".primary-toggle");
  var pydataToggle = toggles[0];
  var dialog = document.getElementById("pst-primary-sidebar-modal");
  if (!pydataToggle || !dialog) return;
  toggles.forEach(function (button) {
    if (button === pydataToggle) return;
    button.addEventListener("click", function (ev) {
      if (window.matchMedia("(min-width: 960px)").matches) return;  // desktop: theme default
      ev.preventDefault();
      ev.stopImmediatePropagation();
      pydataToggle.click();
    }, true);
  });
});

// The navigation's expand/collapse controls contain only an icon: give them a name that a
// screen reader can announce (axe rule summary-name).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("li.has-children > details > summary").forEach(function (s) {
    if (s.getAttribute("aria-label")) return;
    var link = s.parentElement.parentElement.querySelector(":scope > a");
    var title = link ? link.textContent.trim() : "";
    s.setAttribute("aria-label", "Show or hide the sections of " + (title || "this part"));
  });
});
