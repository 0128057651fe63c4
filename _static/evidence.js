// Evidence cards, glossary definitions in place, and the sortable evidence table
// (booktools.evidence). Without this script the cards are plain <details> disclosures, the
// glossary links go to the glossary and the table is a plain table.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Cards: open on hover and on keyboard focus as well as on click, tap or Enter.
  function cards() {
    document.querySelectorAll("details.rw-evidence").forEach(function (d) {
      var summary = d.querySelector("summary");
      var auto = false;
      function show() { if (!d.open) { d.open = true; auto = true; } }
      function hide() { if (auto) { d.open = false; auto = false; } }
      // Hover with a mouse only: a tap is a click, handled by <details> itself.
      d.addEventListener("pointerenter", function (ev) { if (ev.pointerType === "mouse") show(); });
      d.addEventListener("pointerleave", function (ev) {
        if (ev.pointerType === "mouse" && !d.contains(document.activeElement)) hide();
      });
      summary.addEventListener("focus", function () { if (summary.matches(":focus-visible")) show(); });
      summary.addEventListener("click", function (ev) {
        if (auto) { ev.preventDefault(); auto = false; }  // a click on a hover-opened card pins it
      });
      d.addEventListener("focusout", function (ev) { if (!d.contains(ev.relatedTarget)) hide(); });
      d.addEventListener("keydown", function (ev) {
        if (ev.key === "Escape" && d.open) { d.open = false; auto = false; summary.focus(); }
      });
    });
  }

  // Glossary links: the definition shows on hover, focus or a first tap (a second tap follows
  // the link). The tooltip is already the link's accessible description.
  function terms() {
    var open = null, openLink = null, touch = false;
    function place(link, tip) {
      tip.hidden = false;
      var r = link.getBoundingClientRect(), w = Math.min(320, window.innerWidth - 16);
      tip.style.width = w + "px";
      tip.style.left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8)) + "px";
      var below = r.bottom + 6, h = tip.offsetHeight;
      tip.style.top = (below + h > window.innerHeight && r.top > h + 6 ? r.top - h - 6 : below) + "px";
    }
    function show(link) {
      var tip = document.getElementById(link.getAttribute("aria-describedby"));
      if (!tip) return;
      if (open && open !== tip) open.hidden = true;
      place(link, tip);
      open = tip;
      openLink = link;
    }
    function hide() { if (open) { open.hidden = true; open = null; openLink = null; } }
    document.querySelectorAll("a.rw-term").forEach(function (link) {
      var tip = document.getElementById(link.getAttribute("aria-describedby"));
      var wasOpen = false;
      link.addEventListener("pointerenter", function (ev) { if (ev.pointerType === "mouse") show(link); });
      link.addEventListener("pointerleave", function (ev) { if (ev.pointerType === "mouse") hide(); });
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", hide);
      link.addEventListener("pointerdown", function (ev) {
        touch = ev.pointerType !== "mouse";
        wasOpen = open === tip;  // before focus, which a tap may also bring, opens it
      });
      link.addEventListener("click", function (ev) {
        if (touch && tip && !wasOpen) { ev.preventDefault(); show(link); }
        touch = false;
      });
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
    // The tooltip is fixed to the window: keep it beside its link while the page scrolls.
    function follow() { if (open && openLink) place(openLink, open); }
    window.addEventListener("scroll", follow, {passive: true});
    window.addEventListener("resize", follow);
  }

  // The evidence table: sort by any column, filter by species, design and n.
  function table() {
    var wrap = document.querySelector(".rw-evtable");
    if (!wrap || wrap.querySelector("form")) return;
    var tbl = wrap.querySelector("table"), body = tbl.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    function distinct(attr) {
      var seen = [];
      rows.forEach(function (r) { var v = r.getAttribute(attr); if (seen.indexOf(v) < 0) seen.push(v); });
      return seen.sort();
    }
    function select(id, label, values) {
      var opts = '<option value="">all</option>' + values.map(function (v) {
        var e = v.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
        return '<option value="' + e + '">' + e + "</option>";
      }).join("");
      return '<label for="' + id + '">' + label + '</label> <select id="' + id + '">' + opts + "</select>";
    }
    var form = document.createElement("form");
    form.className = "rw-evtable-controls";
    form.setAttribute("aria-label", "Filter the evidence table");
    form.innerHTML = "<span>" + select("rw-f-species", "Species", distinct("data-species")) + "</span> <span>"
      + select("rw-f-kind", "Design", distinct("data-kind")) + '</span> <span><label for="rw-f-n">'
      + 'At least n</label> <input id="rw-f-n" type="number" min="0" step="1" inputmode="numeric"></span>'
      + ' <output id="rw-f-status" role="status" aria-live="polite"></output>';
    wrap.insertBefore(form, tbl);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    function filter() {
      var sp = form.querySelector("#rw-f-species").value, kd = form.querySelector("#rw-f-kind").value;
      var min = parseFloat(form.querySelector("#rw-f-n").value), shown = 0;
      rows.forEach(function (r) {
        var n = parseFloat(r.cells[5].getAttribute("data-value"));
        var ok = (!sp || r.getAttribute("data-species") === sp) && (!kd || r.getAttribute("data-kind") === kd)
          && (isNaN(min) || (!isNaN(n) && n >= min));
        r.hidden = !ok;
        if (ok) shown++;
      });
      form.querySelector("#rw-f-status").textContent = "Showing " + shown + " of " + rows.length + " studies";
    }
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    filter();
    var heads = Array.prototype.slice.call(tbl.tHead.rows[0].cells);
    heads.forEach(function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "rw-sort";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var num = th.getAttribute("data-type") === "number";
        rows.sort(function (a, c) {
          var x = num ? a.cells[i].getAttribute("data-value") : a.cells[i].textContent;
          var y = num ? c.cells[i].getAttribute("data-value") : c.cells[i].textContent;
          if (num) {
            if (x === "" || y === "") return x === y ? 0 : (x === "" ? 1 : -1);  // unknown n last
            return asc ? x - y : y - x;
          }
          return asc ? x.localeCompare(y) : y.localeCompare(x);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  ready(function () { cards(); terms(); table(); });
})();
