"""Sphinx extension: fast, reproducible, findable pages for the published site.

What it does to every HTML page (``html-page-context``, after the other extensions):

- **Explorer frames become files.** Each ``<figure class="rw-explorer">`` arrives with every
  precomputed frame as base64 PNG inside the page (0.5-1.6 MB of HTML per chapter, first
  paint 8-15 s on a phone). The frames are written once each, named by content hash, under
  ``_images/explorers/`` of the build; the page keeps a list of frame URLs, the default
  ``<img>`` points at its file with ``width``/``height`` from the PNG header, and the inline
  swap script is replaced by the shared ``_static/explorers.js``. An explorer whose frames
  exceed ``booktools_explorer_budget`` bytes fails the build with its name, frame count and
  size.
- Any other inline ``data:`` image becomes a file too, and every ``<img>`` gets ``width`` and
  ``height`` (no layout shift while images load).
- **Reproducible pages.** The saved ipywidgets state (random widget ids, unused by the static
  site) is dropped, so two clean builds give byte-identical HTML.
- **Accessibility.** Bibliography entries use ``role="listitem"`` instead of the deprecated
  ``doc-biblioentry`` (axe: aria-required-children, aria-deprecated-role); empty table header
  cells (the corner cell of a pandas table) become data cells (axe: empty-table-header).
- **Findability.** A ``<meta name="description">`` per page: the front matter ``description``
  if present, else the first paragraph of the page, about 150 characters.
- Small scripts of the book (``_static/*.js``) load with ``defer``; ``ogp_site_url`` defaults to
  ``html_baseurl``.
- **One stylesheet.** At ``build-finished`` every page's dozen stylesheets are joined, in
  order, into one hashed file under ``_static/`` (:func:`booktools.assets.bundle_css`): one
  request before the first paint instead of twelve round trips on a phone's network.

At ``build-finished`` it writes ``404.html`` at the site root (its links work at any depth:
GitHub Pages serves it for every missing path) and ``robots.txt`` pointing at the sitemap,
and checks the gzipped size of every page against ``booktools_page_budget`` bytes.

``python -m booktools.logo logo`` redraws the book's logo and favicons (``_static/logo.svg``,
``_static/logo.png``, ``_extra/favicon.ico``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sphinx.errors import ExtensionError
from sphinx.util import logging

from .assets import (  # noqa: F401  (prerender_math: re-exported for tests)
    ICONS_CSS,
    MATH_CSS,
    MathError,
    bundle_css,
    prerender_math,
    typeset,
    write_icon_fonts,
)
from .extra_pages import NOT_FOUND, write_index

logger = logging.getLogger(__name__)

#: Bytes of PNG one explorer may ask a reader to download (all its frames).
EXPLORER_BUDGET = 2_500_000
#: Gzipped bytes of one page's HTML.
PAGE_BUDGET = 150_000
#: Characters of a generated meta description.
DESCRIPTION_LENGTH = 155

FRAMES_DIR = "_images/explorers"
INLINE_DIR = "_images/inline"
#: Scripts that wait for the page instead of blocking its first paint. They only act on a
#: parsed page (DOMContentLoaded) and keep their order; documentation_options.js and
#: doctools.js are not among them: inline scripts of the page and the search page's
#: searchtools.js use them at once.
DEFERRED_SCRIPTS = (
    "book.js",
    "explorers.js",
    "sphinx_highlight.js",
    "clipboard.min.js",
    "copybutton.js",
    "sphinx-book-theme.js",
    "togglebutton.js",
    "design-tabs.js",
)
_MATH = re.compile(r"\\\(|\\\[|\\begin\{")  # TeX left for MathJax in the browser


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


# -- accessibility -----------------------------------------------------------------------------
def fix_roles(body: str) -> str:
    """Deprecated ARIA roles and empty header cells that axe-core reports."""
    body = body.replace('role="doc-biblioentry"', 'role="listitem"')
    # An empty header cell (pandas' corner cell) names nothing: make it a data cell.
    body = re.sub(
        r"<th(\s[^>]*)?>(?:\s|&nbsp;|<p>\s*</p>)*</th>",
        lambda m: f"<td{m.group(1) or ''}></td>",
        body,
    )
    return body


# -- descriptions ------------------------------------------------------------------------------
def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``length`` characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def page_description(doctree, metadata: dict[str, Any] | None) -> str:
    """The page's front matter ``description``, else its first real paragraph."""
    given = (metadata or {}).get("description")
    if isinstance(given, str) and given.strip():
        return shorten(given)
    if doctree is None:
        return ""
    from docutils import nodes

    skip = (
        nodes.admonition,
        nodes.Admonition,
        nodes.sidebar,
        nodes.topic,
        nodes.table,
        nodes.footnote,
        nodes.citation,
        nodes.field_list,
        nodes.literal_block,
    )
    fallback = ""
    for para in doctree.findall(nodes.paragraph):
        parent, inside = para.parent, False
        while parent is not None:
            if isinstance(parent, skip) or "cell_output" in parent.get("classes", []):
                inside = True
                break
            parent = parent.parent
        text = " ".join(para.astext().split())
        if not text:
            continue
        if inside:
            fallback = fallback or text
            continue
        if len(text) >= 40:
            return shorten(text)
        fallback = fallback or text
    return shorten(fallback)


# -- Sphinx hooks ------------------------------------------------------------------------------
def _on_config(app, config) -> None:
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    # With a logo image the theme shows no title: keep the book's name visible next to it
    # (the image then needs no alt text of its own).
    if config.html_logo and isinstance(config.html_theme_options, dict):
        logo = dict(config.html_theme_options.get("logo") or {})
        logo.setdefault("text", config.html_title or config.project)
        config.html_theme_options["logo"] = logo


def _defer_scripts(context: dict[str, Any], mathjax_path: str = "") -> None:
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    body = context.get("body")
    # Sphinx loads MathJax on a page whose own text has no maths when one of its toctree
    # children has some; such a page does not need it.
    no_math = isinstance(body, str) and not _MATH.search(body)
    mathjax = mathjax_path.split("?")[0].rsplit("/", 1)[-1] or "tex-mml-chtml.js"
    # doctools.js only adds keyboard shortcuts once the page is parsed; the search page's
    # searchtools.js needs it at once.
    deferred = DEFERRED_SCRIPTS + (() if context.get("pagename") == "search" else ("doctools.js",))
    kept, seen = [], set()
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        if attrs.get("type") == "application/vnd.jupyter.widget-state+json":
            continue  # unused by the static site, and random widget ids every build
        name = str(getattr(js, "filename", "") or "")
        if name:  # an extension that adds its script twice
            if name in seen:
                continue
            seen.add(name)
        if no_math and (
            name.split("?")[0].endswith(mathjax)
            or (not name and "window.MathJax" in attrs.get("body", ""))
        ):
            continue
        if (
            name.split("?")[0].rsplit("/", 1)[-1] in deferred
            and "defer" not in attrs
            and "async" not in attrs
        ):
            js = _JavaScript(js.filename, priority=js.priority, **{**attrs, "defer": "defer"})
        kept.append(js)
    scripts[:] = kept


def _mathjax_node(app) -> Path:
    given = app.config.booktools_mathjax_node
    if given:
        return Path(app.confdir, given)
    return Path(app.confdir, "node_modules", "mathjax", "es5", "node-main.js")


def _page(app, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    if app.builder.format != "html":
        return
    body = context.get("body")
    if isinstance(body, str) and app.config.booktools_prerender_math:
        try:
            context["body"], bad = prerender_math(body, _mathjax_node(app))
        except MathError as err:
            problems = [f"{err}; the page's maths is left to MathJax in the browser"]
        else:
            problems = [f"MathJax cannot typeset {tex!r}" for tex in bad]
        for problem in problems:
            logger.warning(problem, location=pagename, type="booktools", subtype="math")
    _defer_scripts(context, app.config.mathjax_path or "")
    outdir = Path(app.outdir)
    pathto = context["pathto"]

    def writer(folder: str) -> Callable[[str, bytes], str]:
        def write(name: str, data: bytes) -> str:
            target = outdir / folder / name
            if not target.exists() or target.stat().st_size != len(data):
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_suffix(target.suffix + f".{id(data)}.tmp")
                tmp.write_bytes(data)
                tmp.replace(target)
            return pathto(f"{folder}/{name}", 1)

        return write

    # Images Sphinx will copy to _images/ (not there yet while pages are written).
    images = {name: Path(app.srcdir, src) for src, name in app.builder.images.items()}

    def locate(src: str) -> Path | None:
        if urlparse(src).scheme or src.startswith("//"):
            return None
        rel = Path(pagename).parent / src.split("#")[0].split("?")[0]
        parts: list[str] = []
        for part in rel.as_posix().split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        site_path = "/".join(parts)
        if site_path.startswith(app.builder.imagedir + "/"):
            found = images.get(site_path[len(app.builder.imagedir) + 1 :])
            if found:
                return found
        if (outdir / site_path).is_file():
            return outdir / site_path
        if site_path.startswith("_static/"):
            for p in app.config.html_static_path:
                candidate = Path(app.confdir, p, site_path[len("_static/") :])
                if candidate.is_file():
                    return candidate
        return None

    body = context.get("body")
    if isinstance(body, str):
        try:
            body = move_frames(
                body, writer(FRAMES_DIR), budget=app.config.booktools_explorer_budget, page=pagename
            )
        except FrameBudgetError as err:
            logger.error(str(err), location=pagename)
        body = move_inline_images(body, writer(INLINE_DIR))
        body = size_images(body, locate)
        context["body"] = fix_roles(body)

    description = page_description(doctree, app.env.metadata.get(pagename))
    if not description:
        title = re.sub(r"<[^>]+>", "", str(context.get("title") or ""))
        description = shorten(
            f"{html.unescape(title)}: {app.config.booktools_description}"
            if title
            else app.config.booktools_description
        )
    if description:
        context["metatags"] = (context.get("metatags") or "") + (
            f'\n<meta name="description" content="{html.escape(description, quote=True)}" />'
        )


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


def _finished_first(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    write_index(app, Path(app.outdir), shorten(app.config.booktools_description))


def _finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    baseurl = app.config.html_baseurl or ""
    base_path = urlparse(baseurl).path or "/"
    if not base_path.endswith("/"):
        base_path += "/"
    title = html.escape(str(app.config.html_title or app.config.project))
    (outdir / "404.html").write_text(
        NOT_FOUND.format(
            lang=html.escape(app.config.language or "en"),
            title=title,
            description=html.escape(shorten(f"Page not found. {app.config.booktools_description}")),
            base_path=json.dumps(base_path),
            logo="logo.svg",
        ),
        encoding="utf-8",
    )
    (outdir / "_static" / ICONS_CSS).write_text(write_icon_fonts(outdir), encoding="utf-8")
    math_css = "/* No maths typeset at build time. */\n"
    if app.config.booktools_prerender_math:
        try:
            math_css = (
                "/* Written by booktools.site: MathJax's stylesheet for maths typeset "
                "at build time. */\n" + typeset([], _mathjax_node(app), css=True)[-1]
            )
        except MathError:
            pass  # reported on the pages that have maths
    (outdir / "_static" / MATH_CSS).write_text(math_css, encoding="utf-8")
    robots = "User-agent: *\nAllow: /\n"
    if baseurl:
        robots += (
            f"Sitemap: {baseurl.rstrip('/')}/{app.config.sitemap_filename}\n"
            if hasattr(app.config, "sitemap_filename")
            else ""
        )
    (outdir / "robots.txt").write_text(robots, encoding="utf-8")

    size_site_images(outdir)
    budget = app.config.booktools_page_budget
    for page in sorted(outdir.rglob("*.html")):
        if page.parts[len(outdir.parts)] == "_sources":
            continue
        size = len(gzip.compress(page.read_bytes(), mtime=0))
        if size > budget:
            logger.warning(
                f"{page.relative_to(outdir).as_posix()} is {size / 1e3:.0f} kB "
                f"gzipped, over the page budget of {budget / 1e3:.0f} kB "
                "(booktools_page_budget)",
                type="booktools",
                subtype="budget",
            )


def _finished_last(app, exception) -> None:
    # After every other build-finished handler: the theme rewrites _static/pygments.css there.
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    if app.config.booktools_bundle_css:
        bundle_css(Path(app.outdir))


def setup(app) -> dict[str, Any]:
    app.add_config_value("booktools_explorer_budget", EXPLORER_BUDGET, "html", types=[int])
    app.add_config_value("booktools_page_budget", PAGE_BUDGET, "html", types=[int])
    app.add_config_value(
        "booktools_description",
        "An open, executable textbook on neuroplasticity, the default mode network and "
        "study design, told through psilocybin research.",
        "html",
        types=[str],
    )
    app.add_config_value("booktools_prerender_math", True, "html", types=[bool])
    app.add_config_value("booktools_mathjax_node", "", "html", types=[str])
    app.add_config_value("booktools_bundle_css", True, "html", types=[bool])
    app.add_css_file(ICONS_CSS, priority=900)  # written at build-finished
    app.add_css_file(MATH_CSS, priority=900)
    app.connect("config-inited", _on_config, priority=900)
    # After every other extension has added its scripts and metadata.
    app.connect("html-page-context", _page, priority=900)
    app.connect("build-finished", _finished_first, priority=400)  # before sphinx-external-toc
    app.connect("build-finished", _finished)
    app.connect("build-finished", _finished_last, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
