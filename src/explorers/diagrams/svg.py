"""A very small SVG writer for the book's schematics (no dependency beyond the standard library).

Why SVG written by hand instead of a matplotlib PNG: a schematic is boxes, arrows and words.
As inline SVG its words stay real text (searchable, sharp at any zoom, read by screen readers
through ``role="img"`` and ``aria-label``), a diagram weighs 2-6 kB, and its colours come from
CSS variables: the theme's text colour (``--pst-color-text-base`` in the book, JupyterLab's
``--jp-content-font-color1`` in Jupyter), so the same figure reads in light and dark mode.

Layout rule: every diagram is :data:`WIDTH` units wide and the smallest text is
:data:`MIN_FONT` units; shown at the full width of a phone column (about 340-360 CSS px on a
390 px screen) text stays at or above about 11 CSS px.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["WIDTH", "MIN_FONT", "FONT", "HUES", "Canvas"]

#: Width of every diagram in SVG units (about one CSS pixel on a phone column).
WIDTH = 360
#: Body text size and the smallest text size allowed, in SVG units.
FONT = 13
MIN_FONT = 12

#: Hue classes: stroke colour in light mode and in dark mode (Okabe-Ito; the dark variants are
#: the lighter members of the same palette so strokes keep >= 3:1 against a dark page). Fills
#: are the stroke colour at low opacity, so text (the theme's text colour) reads on them in
#: both modes; ``tests/test_diagrams.py`` checks the contrast.
HUES = {
    "blue": ("#0072B2", "#56B4E9"),
    "vermillion": ("#D55E00", "#F08A4B"),
    "green": ("#009E73", "#3CC39A"),
    "orange": ("#B87E00", "#E69F00"),
    "purple": ("#A7528A", "#CC79A7"),
    "grey": ("#6B6B6B", "#A0A0A0"),
}
#: Opacity of hue fills (kept low: text sits on them).
FILL_OPACITY = 0.16

_TEXT = "var(--pst-color-text-base, var(--jp-content-font-color1, #222832))"


def _style() -> str:
    """The CSS shared by every diagram (scoped to ``svg.rwd``)."""
    rules = [
        "svg.rwd{display:block;width:100%;height:auto;margin:0 auto;"
        'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}',
        # The theme paints HTML outputs as a light panel even in dark mode; a diagram brings
        # its own background and text colour (the page's), and clears that panel where the
        # browser supports :has (elsewhere it stays a readable dark card on a light frame).
        f"figure.rw-diagram{{color:{_TEXT};background:var(--pst-color-background,transparent);"
        "border-radius:6px;padding:0.4rem 0.25rem}",
        # beats the theme's html[data-theme=dark] .bd-content div.cell_output .text_html:not(...)
        "html .bd-content div.cell_output div.output.text_html:has(>figure.rw-diagram),"
        "div.output:has(>figure.rw-diagram){background:transparent;padding:0}",
        f"svg.rwd text{{fill:currentColor;font-size:{FONT}px}}",
        "svg.rwd .b{font-weight:700}",
        "svg.rwd .s{font-size:12px}",
        "svg.rwd .ink{stroke:currentColor;fill:none}",
        "svg.rwd .inkfill{fill:currentColor;stroke:none}",
        "svg.rwd .dash{stroke-dasharray:5 4}",
    ]
    dark_rules = []
    for name, (light, dark) in HUES.items():
        rules.append(
            f"svg.rwd .h-{name}{{stroke:{light};fill:{light};fill-opacity:{FILL_OPACITY}}}"
        )
        rules.append(f"svg.rwd .l-{name}{{stroke:{light};fill:none}}")
        rules.append(f"svg.rwd .f-{name}{{fill:{light};stroke:none}}")
        dark_rules.append(f"svg.rwd .h-{name}{{stroke:{dark};fill:{dark}}}")
        dark_rules.append(f"svg.rwd .l-{name}{{stroke:{dark}}}")
        dark_rules.append(f"svg.rwd .f-{name}{{fill:{dark}}}")
    # The book's theme switch sets data-theme on <html>; JupyterLab marks a dark theme with
    # data-jp-theme-light="false" on <body>.
    for scope in ('html[data-theme="dark"]', '[data-jp-theme-light="false"]'):
        rules += [f"{scope} {r}" for r in dark_rules]
    return "".join(rules)


STYLE = _style()

_SUB = re.compile(r"_\{([^}]*)\}|_(\w)")


def _rich(text: str) -> str:
    """Escape ``text``; ``x_T`` or ``x_{abc}`` becomes a subscript tspan."""
    out, pos = [], 0
    for m in _SUB.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        sub = m.group(1) if m.group(1) is not None else m.group(2)
        out.append(f'<tspan class="s" baseline-shift="sub">{html.escape(sub)}</tspan>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


@dataclass
class Canvas:
    """Collects SVG elements; :meth:`svg` wraps them with the shared style and arrow marker.

    ``ident`` prefixes the ids inside this diagram, so several diagrams can share a page.
    """

    ident: str
    height: float
    parts: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    # -- shapes -------------------------------------------------------------------------
    def rect(self, x, y, w, h, cls="ink", r=8.0, extra="") -> None:
        self.parts.append(
            f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="{_f(r)}" '
            f'class="{cls}" stroke-width="1.5"{extra}/>'
        )

    def circle(self, cx, cy, r, cls="ink", width=1.5, extra="") -> None:
        self.parts.append(
            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(r)}" class="{cls}" '
            f'stroke-width="{_f(width)}"{extra}/>'
        )

    def ellipse(self, cx, cy, rx, ry, cls="ink", width=1.5) -> None:
        self.parts.append(
            f'<ellipse cx="{_f(cx)}" cy="{_f(cy)}" rx="{_f(rx)}" ry="{_f(ry)}" class="{cls}" '
            f'stroke-width="{_f(width)}"/>'
        )

    def path(self, d: str, cls="ink", width=1.5, extra="") -> None:
        self.parts.append(f'<path d="{d}" class="{cls}" stroke-width="{_f(width)}"{extra}/>')

    def line(self, x1, y1, x2, y2, cls="ink", width=1.5, arrow=False, extra="") -> None:
        marker = f' marker-end="url(#{self.ident}-arrow)"' if arrow else ""
        self.parts.append(
            f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" class="{cls}" '
            f'stroke-width="{_f(width)}"{marker}{extra}/>'
        )

    def arrow(self, x1, y1, x2, y2, cls="ink", width=1.5) -> None:
        self.line(x1, y1, x2, y2, cls=cls, width=width, arrow=True)

    # -- text ---------------------------------------------------------------------------
    def text(self, x, y, lines, anchor="middle", cls="", size=None) -> None:
        """One or more lines of text; ``y`` is the first baseline; lines 1.25 em apart."""
        if isinstance(lines, str):
            lines = [lines]
        size = size or FONT
        if size < MIN_FONT:
            raise ValueError(f"text size {size} is below the minimum {MIN_FONT}: {lines!r}")
        attrs = f' class="{cls}"' if cls else ""
        if size != FONT:
            attrs += f' style="font-size:{size}px"'
        spans = "".join(
            f'<tspan x="{_f(x)}" dy="{0 if i == 0 else _f(size * 1.25)}">{_rich(t)}</tspan>'
            for i, t in enumerate(lines)
        )
        self.parts.append(
            f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{attrs}>{spans}</text>'
        )
        self.texts.extend(lines)

    def box(self, x, y, w, h, lines, cls="h-grey", bold_first=False) -> None:
        """A rounded box with centred text (lines spread evenly in the box)."""
        self.rect(x, y, w, h, cls=cls)
        lines = [lines] if isinstance(lines, str) else list(lines)
        lh = FONT * 1.25
        top = y + h / 2 - lh * (len(lines) - 1) / 2 + FONT * 0.36
        for i, t in enumerate(lines):
            self.text(x + w / 2, top + i * lh, t, cls="b" if bold_first and i == 0 else "")

    # -- output -------------------------------------------------------------------------
    def svg(self, label: str) -> str:
        """The finished ``<svg>``: ``role="img"``, ``aria-label`` and ``<title>`` = ``label``."""
        marker = (
            f'<defs><marker id="{self.ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" class="inkfill"/></marker></defs>'
        )
        h = _f(self.height)
        esc = html.escape(label, quote=True)
        return (
            f'<svg class="rwd" id="{self.ident}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" role="img" '
            f'aria-label="{esc}"><title>{esc}</title><style>{STYLE}</style>{marker}'
            + "".join(self.parts)
            + "</svg>"
        )
