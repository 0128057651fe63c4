"""The book's logo and favicons: ``python -m booktools.logo`` redraws ``_static/logo.svg``,
``_static/logo.png`` and ``_extra/favicon.ico``."""

from __future__ import annotations

import sys
from pathlib import Path

# -- the book's logo ---------------------------------------------------------------------------
# One drawing, two renderers: SVG for the site, Pillow for the PNG and ICO files.
_LOGO_BG = "#1f4e79"
_LOGO_FG = "#ffffff"
_LOGO_ACCENT = "#f2b134"
# A neuron: a soma, three dendrites, spines (accent dots) along them. Units: a 64 x 64 box.
_LOGO_LINES = [
    ((32, 36), (14, 16)),
    ((32, 36), (52, 14)),
    ((32, 36), (34, 56)),
    ((22, 25), (12, 30)),
    ((43, 24), (53, 30)),
]
_LOGO_SPINES = [(18, 17), (25, 26), (47, 14), (38, 27), (40, 48), (29, 49), (11, 33), (56, 28)]


def logo_svg() -> str:
    lines = "".join(
        f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>' for a, b in _LOGO_LINES
    )
    spines = "".join(f'<circle cx="{x}" cy="{y}" r="3.2"/>' for x, y in _LOGO_SPINES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        "<title>How the brain rewires</title>"
        f'<rect width="64" height="64" rx="14" fill="{_LOGO_BG}"/>'
        f'<g stroke="{_LOGO_FG}" stroke-width="4" stroke-linecap="round">{lines}</g>'
        f'<g fill="{_LOGO_ACCENT}">{spines}</g>'
        f'<circle cx="32" cy="36" r="8" fill="{_LOGO_FG}"/></svg>\n'
    )


def logo_image(size: int):
    from PIL import Image, ImageDraw

    scale = 8  # draw large, then downsample: smooth edges
    s = size * scale / 64
    im = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([0, 0, size * scale - 1, size * scale - 1], radius=14 * s, fill=_LOGO_BG)
    for a, b in _LOGO_LINES:
        d.line([(a[0] * s, a[1] * s), (b[0] * s, b[1] * s)], fill=_LOGO_FG, width=round(4 * s))
        for x, y in (a, b):
            d.ellipse([(x - 2) * s, (y - 2) * s, (x + 2) * s, (y + 2) * s], fill=_LOGO_FG)
    for x, y in _LOGO_SPINES:
        d.ellipse([(x - 3.2) * s, (y - 3.2) * s, (x + 3.2) * s, (y + 3.2) * s], fill=_LOGO_ACCENT)
    d.ellipse([24 * s, 28 * s, 40 * s, 44 * s], fill=_LOGO_FG)
    return im.resize((size, size), Image.LANCZOS)


def write_logo(root: Path) -> None:
    """Write ``_static/logo.svg``, ``_static/logo.png`` (512 px) and ``_extra/favicon.ico``."""
    (root / "_static").mkdir(exist_ok=True)
    (root / "_extra").mkdir(exist_ok=True)
    (root / "_static" / "logo.svg").write_text(logo_svg(), encoding="utf-8")
    logo_image(512).save(root / "_static" / "logo.png", optimize=True)
    logo_image(64).save(root / "_extra" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["logo"]:
        write_logo(Path(__file__).resolve().parents[2])
    else:
        print("usage: python -m booktools.logo logo")
