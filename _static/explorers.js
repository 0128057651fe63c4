// Explorers on the static site: a slider picks one of the precomputed frames.
// The build (src/booktools/site.py) stores every frame as a PNG file and leaves in each
// <figure class="rw-explorer"> a JSON list of frame URLs and alt texts (C order over the
// sliders): "frames" (wide, the <img>) and "narrow" (panels stacked, the <picture>'s
// <source> on a phone-width page; src/explorers/static.py). Moving a slider (pointer,
// keyboard, or a script setting .value and dispatching input/change) points both at the
// frame; the browser shows the one that fits the width. Only the set in use is preloaded,
// as plain image elements (this works from file:// too), once the page has loaded and the
// explorer is near the screen, or at the first touch of a slider; preloading never delays
// the first paint.
(function () {
  "use strict";

  function idle(fn) {
    if (window.requestIdleCallback) window.requestIdleCallback(fn, { timeout: 3000 });
    else window.setTimeout(fn, 300);
  }

  function setUp(fig) {
    if (fig.getAttribute("data-rw-ready")) return;
    var dataEl = fig.querySelector("script.rw-data");
    var img = fig.querySelector("img.rw-frame");
    var source = fig.querySelector("picture source");
    var inputs = Array.prototype.slice.call(fig.querySelectorAll("input[type=range]"));
    if (!dataEl || !img || !inputs.length) return;
    var data;
    try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
    fig.setAttribute("data-rw-ready", "1");
    var texts = inputs.map(function (input) {
      try { return JSON.parse(input.getAttribute("data-texts") || "[]"); } catch (e) { return []; }
    });
    var outputs = inputs.map(function (input) {
      var out = fig.querySelector('output[for="' + input.id + '"]');
      return out || (input.nextElementSibling && input.nextElementSibling.tagName === "OUTPUT"
        ? input.nextElementSibling : null);
    });

    function show() {
      var k = 0;
      for (var i = 0; i < inputs.length; i++) {
        var v = +inputs[i].value;
        k = k * data.shape[i] + v;
        var t = texts[i][v];
        if (t !== undefined) {
          inputs[i].setAttribute("aria-valuetext", t);
          if (outputs[i]) outputs[i].textContent = t;
        }
      }
      var src = data.frames[k];
      if (source && data.narrow && data.narrow[k] &&
          source.getAttribute("srcset") !== data.narrow[k]) {
        source.setAttribute("srcset", data.narrow[k]);
      }
      if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
      if (data.alts && data.alts[k]) img.alt = data.alts[k];
    }

    var preloaded = false, keep = [];
    function preload() {
      if (preloaded) return;
      preloaded = true;
      var seen = {};
      var narrowOn = source && data.narrow && window.matchMedia &&
        window.matchMedia(source.getAttribute("media") || "not all").matches;
      var set = narrowOn ? data.narrow : data.frames;
      seen[img.currentSrc || img.getAttribute("src")] = true;
      set.forEach(function (src) {
        if (seen[src]) return;
        seen[src] = true;
        var im = new Image();
        im.decoding = "async";
        im.src = src;
        keep.push(im);  // keep a reference until loaded, so the browser caches it
      });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", show);
      input.addEventListener("change", show);
      input.addEventListener("focus", preload);
      input.addEventListener("pointerdown", preload);
    });

    function whenNear() {
      if ("IntersectionObserver" in window) {
        var io = new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) {
            io.disconnect();
            idle(preload);
          }
        }, { rootMargin: "300px 0px" });
        io.observe(fig);
      } else {
        idle(preload);
      }
    }
    if (document.readyState === "complete") whenNear();
    else window.addEventListener("load", whenNear);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("figure.rw-explorer"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
