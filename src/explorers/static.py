"""The static explorer of the book: every frame precomputed, for wide and narrow columns.

At book build time (:func:`explorers.core.static_build`) an explorer displays as HTML that
needs no kernel: a range input per control and every frame as a PNG. The frames come in two
sets drawn from the same model results:

- **wide**: the explorer's own figure (panels side by side), the ``<img>`` every reader gets
  first, with its alt text;
- **narrow**: the same panels stacked, :data:`NARROW_WIDTH_IN` inches wide, chosen by a
  ``<picture>`` ``<source>`` when the page is at most :data:`NARROW_MEDIA` wide. A figure this
  narrow keeps its text large on a phone: the smallest text of the narrow frames, in image
  pixels, is written as ``narrowFontPx`` into the explorer's data, so a test can check the
  size a reader sees (at least about 11 CSS px in a 390 px wide page).

The browser only downloads the set that matches its width. The book's Sphinx extension
(``booktools.site``) then moves every frame into a file of the site; the inline script here
only serves HTML shown elsewhere (nbviewer, a trusted notebook).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text

from .png import figure_to_png

if TYPE_CHECKING:
    from .core import Explorer

__all__ = ["NARROW_DPI", "NARROW_MEDIA", "NARROW_WIDTH_IN", "narrow", "smallest_text_px"]

#: Width of the narrow frames in inches: the book's smallest figure text (7.5 pt) then stays
#: above 11 CSS px when the frame fills a 343 px column (a 390 px phone minus the margins).
NARROW_WIDTH_IN = 3.1
#: Pixels per inch of the narrow frames (sharp enough for a phone's 2-3x screen at that size).
NARROW_DPI = 150
#: Height of one stacked panel in inches, at most and at least.
NARROW_PANEL_IN = (2.4, 3.3)
#: When a page shows the narrow frames.
NARROW_MEDIA = "(max-width: 600px)"


def narrow(explorer: Explorer) -> Explorer:
    """``explorer`` for a phone-width column: panels stacked, :data:`NARROW_WIDTH_IN` wide,
    each panel keeping about its own aspect ratio."""
    width, height = explorer.figsize
    lo, hi = NARROW_PANEL_IN
    panel = min(max(NARROW_WIDTH_IN * height * explorer.panels / width, lo), hi)
    return replace(
        explorer,
        figsize=(NARROW_WIDTH_IN, round(panel * explorer.panels, 2)),
        dpi=NARROW_DPI,
        stacked=True,
    )


def smallest_text_px(fig: Figure) -> float:
    """Size of the smallest visible text of ``fig`` in image pixels (font size x dpi / 72)."""
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is fig
    ]
    return min(sizes) * fig.dpi / 72 if sizes else float("inf")


def static_frames(explorer: Explorer) -> dict[str, Any]:
    """Every frame of ``explorer`` in :meth:`~explorers.core.Explorer.grid` order, wide and
    narrow, from one model run per frame."""
    small = narrow(explorer)
    wide, thin, alts, text_px = [], [], [], float("inf")
    for values in explorer.grid():
        result = explorer.compute(**values)
        fig = explorer.render_result(result, values)
        wide.append(figure_to_png(fig, colors=explorer.colors, draw=False))
        fig = small.render_result(result, values)
        thin.append(figure_to_png(fig, colors=small.colors, draw=False))
        text_px = min(text_px, smallest_text_px(fig))
        alts.append(explorer.alt_for(**values))
    return {"wide": wide, "narrow": thin, "alts": alts, "narrow_font_px": text_px}


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def static_html(explorer: Explorer) -> str:
    """Self-contained HTML: the default frame (wide, and narrow for a phone), a range input
    per control, and every frame."""
    made = static_frames(explorer)
    b64 = [base64.b64encode(p).decode("ascii") for p in made["wide"]]
    b64_narrow = [base64.b64encode(p).decode("ascii") for p in made["narrow"]]
    alts = made["alts"]
    controls = explorer.controls
    shape = [len(c.values) for c in controls]
    flat = int(np.ravel_multi_index([c.default_index for c in controls], shape))
    uid = _unique_id(explorer.title, explorer.caption)
    rows = []
    for i, c in enumerate(controls):
        texts = [c.text(v) for v in c.values]
        rows.append(
            f'<div class="rw-control">'
            f'<label for="{uid}-{i}">{html.escape(c.label)}</label>'
            f'<input type="range" id="{uid}-{i}" min="0" max="{len(c.values) - 1}" step="1"'
            f' value="{c.default_index}" aria-valuetext="{html.escape(texts[c.default_index])}"'
            f" data-texts='{html.escape(json.dumps(texts), quote=True)}'>"
            f'<output for="{uid}-{i}" aria-hidden="true">'
            f"{html.escape(texts[c.default_index])}</output></div>"
        )
    data = json.dumps(
        {
            "shape": shape,
            "frames": b64,
            "narrow": b64_narrow,
            "alts": alts,
            "narrowFontPx": round(made["narrow_font_px"], 2),
        }
    )
    w, h = _png_size(made["wide"][flat])
    nw, nh = _png_size(made["narrow"][flat])
    return (
        f'<figure class="rw-explorer" id="{uid}" aria-label="{html.escape(explorer.title)}">'
        f'<picture><source media="{NARROW_MEDIA}" width="{nw}" height="{nh}"'
        f' srcset="data:image/png;base64,{b64_narrow[flat]}">'
        f'<img class="rw-frame" src="data:image/png;base64,{b64[flat]}" width="{w}"'
        f' height="{h}" alt="{html.escape(alts[flat])}"></picture>'
        f'<div class="rw-controls">{"".join(rows)}</div>'
        f"<figcaption>{html.escape(explorer.caption)}</figcaption>"
        f'<script type="application/json" class="rw-data">{data}</script>'
        f"<script>{_SWAP_JS}</script></figure>"
    )


_ids_used: dict[str, int] = {}


def _unique_id(*parts: str) -> str:
    """A stable HTML id from ``parts`` (repeated displays get a numbered suffix)."""
    base = "rwx-" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:10]
    n = _ids_used.get(base, 0)
    _ids_used[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


# Inline so that the static HTML works wherever it is shown (nbviewer, a trusted notebook).
# It finds its own <figure> through document.currentScript, so several explorers can share a
# page. The book replaces it by _static/explorers.js.
_SWAP_JS = (
    "(function(){var fig=document.currentScript.parentElement;"
    "var d=JSON.parse(fig.querySelector('script.rw-data').textContent);"
    "var img=fig.querySelector('img.rw-frame'),src=fig.querySelector('picture source');"
    "var ins=fig.querySelectorAll('input[type=range]');"
    "function show(){var k=0;for(var i=0;i<ins.length;i++){k=k*d.shape[i]+(+ins[i].value);"
    "var t=JSON.parse(ins[i].dataset.texts)[+ins[i].value];"
    "ins[i].setAttribute('aria-valuetext',t);ins[i].nextElementSibling.textContent=t;}"
    "if(src&&d.narrow)src.srcset='data:image/png;base64,'+d.narrow[k];"
    "img.src='data:image/png;base64,'+d.frames[k];img.alt=d.alts[k];}"
    "for(var i=0;i<ins.length;i++){ins[i].addEventListener('input',show);"
    "ins[i].addEventListener('change',show);}})();"
)
