"""Images of the built pages: explorer frames and inline images moved out of the HTML into
hashed files, and every ``<img>`` given its ``width`` and ``height`` (no layout shift).
Used by :mod:`booktools.site`."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from sphinx.errors import ExtensionError

#: Bytes of PNG one explorer may ask a reader to download (all its frames).
EXPLORER_BUDGET = 2_500_000
FRAMES_DIR = "_images/explorers"
INLINE_DIR = "_images/inline"


class FrameBudgetError(ExtensionError):
    """An explorer's frames are heavier than the budget allows."""


# -- images ------------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG header, or None if ``data`` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF or SVG file, or None if unknown."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    size = png_size(data)
    if size:
        return size
    if path.suffix.lower() == ".svg":
        head = data[:2000].decode("utf-8", "replace")
        svg = re.search(r"<svg\b[^>]*>", head)
        if svg:
            w = re.search(r'\swidth="([\d.]+)(?:px)?"', svg.group(0))
            h = re.search(r'\sheight="([\d.]+)(?:px)?"', svg.group(0))
            if w and h:
                return round(float(w.group(1))), round(float(h.group(1)))
            box = re.search(
                r'viewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', svg.group(0)
            )
            if box:
                return round(float(box.group(1))), round(float(box.group(2)))
        return None
    try:
        from PIL import Image

        with Image.open(path) as im:
            return im.size
    except Exception:  # noqa: BLE001 - unknown format: no size attributes, no failure
        return None


def _hashed_name(data: bytes, suffix: str) -> str:
    return hashlib.sha256(data).hexdigest()[:20] + suffix


# -- explorers ---------------------------------------------------------------------------------
_FIGURE = re.compile(r'<figure class="rw-explorer(?:\s[^"]*)?"[^>]*>.*?</figure>', re.DOTALL)
_DATA = re.compile(r'(<script type="application/json" class="rw-data">)(.*?)(</script>)', re.DOTALL)
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\btype=\"application/json\")[^>]*>.*?</script>", re.DOTALL
)
_FRAME_IMG = re.compile(
    r'<img class="rw-frame"([^>]*?)src="data:image/png;base64,([^"]+)"'
    r"([^>]*)>"
)
_SOURCE = re.compile(r'(<source\b[^>]*?\ssrcset=")data:image/png;base64,([^"]+)(")')
_LABEL = re.compile(r'aria-label="([^"]*)"')


def _explorer_name(figure: str) -> str:
    label = _LABEL.search(figure[: figure.find(">") + 1])
    if label:
        return html.unescape(label.group(1))
    ident = re.search(r'id="([^"]*)"', figure[: figure.find(">") + 1])
    return ident.group(1) if ident else "(unnamed explorer)"


def move_frames(
    body: str, write: Callable[[str, bytes], str], *, budget: int = EXPLORER_BUDGET, page: str = ""
) -> str:
    """Return ``body`` with every explorer's base64 frames moved to files.

    ``write(name, data)`` stores ``data`` as ``FRAMES_DIR/name`` and returns its URL relative
    to the page. Raises :class:`FrameBudgetError` when one explorer's frames exceed ``budget``
    bytes.
    """
    first = [True]

    def one(match: re.Match) -> str:
        figure = match.group(0)
        data_match = _DATA.search(figure)
        if not data_match:
            return figure
        raw = data_match.group(2)
        data = json.loads(html.unescape(raw) if "&quot;" in raw else raw)
        frames = data.get("frames", [])
        if not frames or not all(isinstance(f, str) and not f.endswith(".png") for f in frames):
            return figure  # already moved (or nothing to move)
        # Each frame set (wide; narrow for phones) is what one reader downloads.
        urls_by_data: dict[str, str] = {}
        sizes: dict[str, tuple[int, int] | None] = {}
        for key in ("frames", "narrow"):
            if not data.get(key):
                continue
            pngs = [base64.b64decode(f) for f in data[key]]
            unique = {hashlib.sha256(p).digest(): p for p in pngs}
            total = sum(len(p) for p in unique.values())
            if total > budget:
                raise FrameBudgetError(
                    f"explorer {_explorer_name(figure)!r}{' on ' + page if page else ''}: "
                    f"{len(pngs)} {'narrow ' if key == 'narrow' else ''}frames weigh "
                    f"{total / 1e6:.2f} MB, over the budget of {budget / 1e6:.2f} MB per "
                    "explorer (booktools_explorer_budget); use fewer slider steps, a smaller "
                    "figure or fewer colours"
                )
            urls = [write(_hashed_name(p, ".png"), p) for p in pngs]
            urls_by_data.update(zip(data[key], urls, strict=True))
            sizes.update({u: png_size(p) for u, p in zip(urls, pngs, strict=True)})
            data[key] = urls
        by_data = urls_by_data
        new_json = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        figure = figure[: data_match.start(2)] + new_json + figure[data_match.end(2) :]

        def source(m: re.Match) -> str:
            url = by_data.get(m.group(2))
            if url is None:
                png = base64.b64decode(m.group(2))
                url = write(_hashed_name(png, ".png"), png)
            return m.group(1) + url + m.group(3)

        figure = _SOURCE.sub(source, figure)

        def img(m: re.Match) -> str:
            url = by_data.get(m.group(2))
            if url is None:  # the default frame is not in the list: store it too
                png = base64.b64decode(m.group(2))
                url = write(_hashed_name(png, ".png"), png)
                sizes[url] = png_size(png)
            attrs = m.group(1) + m.group(3)
            extra = ""
            size = sizes.get(url)
            if size and " width=" not in attrs:
                extra += f' width="{size[0]}" height="{size[1]}"'
            if not first[0] and "loading=" not in attrs:
                extra += ' loading="lazy"'
            first[0] = False
            return f'<img class="rw-frame"{m.group(1)}src="{url}"{extra}{m.group(3)}>'

        figure = _FRAME_IMG.sub(img, figure)
        return _INLINE_SCRIPT.sub("", figure)

    return _FIGURE.sub(one, body)


_DATA_IMG = re.compile(
    r'(<img\b[^>]*?\ssrc=")data:image/(png|jpeg|gif|svg\+xml);base64,'
    r'([^"]+)(")'
)
_SUFFIX = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "svg+xml": ".svg"}


def move_inline_images(body: str, write: Callable[[str, bytes], str]) -> str:
    """Return ``body`` with every other ``data:`` image stored as a file."""

    def one(m: re.Match) -> str:
        data = base64.b64decode(m.group(3))
        return m.group(1) + write(_hashed_name(data, _SUFFIX[m.group(2)]), data) + m.group(4)

    return _DATA_IMG.sub(one, body)


_IMG = re.compile(r"<img\b[^>]*>")


def size_images(body: str, locate: Callable[[str], Path | None]) -> str:
    """Give every ``<img>`` without them ``width`` and ``height`` from its file."""

    def one(m: re.Match) -> str:
        tag = m.group(0)
        if re.search(r"\swidth=", tag) and re.search(r"\sheight=", tag):
            return tag
        src = re.search(r'\ssrc="([^"]+)"', tag)
        if not src:
            return tag
        path = locate(html.unescape(src.group(1)))
        size = image_size(path) if path else None
        if not size:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + f' width="{size[0]}" height="{size[1]}"' + tag[end:]

    return _IMG.sub(one, body)


def size_site_images(outdir: Path) -> None:
    """``width``/``height`` on the images of the theme's own templates too (launch buttons)."""
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).parts[0] in {"_sources", "_static"}:
            continue
        text = page.read_text(encoding="utf-8")

        def locate(src: str, page: Path = page) -> Path | None:
            if urlparse(src).scheme or src.startswith(("/", "#")):
                return None
            path = (page.parent / src.split("#")[0].split("?")[0]).resolve()
            return path if path.is_file() and outdir.resolve() in path.parents else None

        new = size_images(text, locate)
        if new != text:
            page.write_text(new, encoding="utf-8")
