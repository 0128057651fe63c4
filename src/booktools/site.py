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

At ``build-finished`` it writes ``404.html`` at the site root (its links work at any depth:
GitHub Pages serves it for every missing path) and ``robots.txt`` pointing at the sitemap,
and checks the gzipped size of every page against ``booktools_page_budget`` bytes.

``python -m booktools.site logo`` redraws the book's logo and favicons (``_static/logo.svg``,
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
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sphinx.errors import ExtensionError
from sphinx.util import logging

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
DEFERRED_SCRIPTS = ("book.js", "explorers.js", "sphinx_highlight.js",
                    "clipboard.min.js", "copybutton.js", "sphinx-book-theme.js",
                    "togglebutton.js", "design-tabs.js")
_MATH = re.compile(r'\\\(|\\\[|\\begin\{')  # TeX left for MathJax in the browser


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
            box = re.search(r'viewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"',
                            svg.group(0))
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
_DATA = re.compile(r'(<script type="application/json" class="rw-data">)(.*?)(</script>)',
                   re.DOTALL)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\btype=\"application/json\")[^>]*>.*?</script>",
                            re.DOTALL)
_FRAME_IMG = re.compile(r'<img class="rw-frame"([^>]*?)src="data:image/png;base64,([^"]+)"'
                        r'([^>]*)>')
_LABEL = re.compile(r'aria-label="([^"]*)"')


def _explorer_name(figure: str) -> str:
    label = _LABEL.search(figure[:figure.find(">") + 1])
    if label:
        return html.unescape(label.group(1))
    ident = re.search(r'id="([^"]*)"', figure[:figure.find(">") + 1])
    return ident.group(1) if ident else "(unnamed explorer)"


def move_frames(body: str, write: Callable[[str, bytes], str], *,
                budget: int = EXPLORER_BUDGET, page: str = "") -> str:
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
        if not frames or not all(isinstance(f, str) and not f.endswith(".png")
                                 for f in frames):
            return figure  # already moved (or nothing to move)
        pngs = [base64.b64decode(f) for f in frames]
        unique = {hashlib.sha256(p).digest(): p for p in pngs}
        total = sum(len(p) for p in unique.values())
        if total > budget:
            raise FrameBudgetError(
                f"explorer {_explorer_name(figure)!r}{' on ' + page if page else ''}: "
                f"{len(pngs)} frames weigh {total / 1e6:.2f} MB, over the budget of "
                f"{budget / 1e6:.2f} MB per explorer (booktools_explorer_budget); use fewer "
                "slider steps, a smaller figure or fewer colours")
        urls = [write(_hashed_name(p, ".png"), p) for p in pngs]
        by_data = dict(zip(frames, urls, strict=True))
        sizes = {u: png_size(p) for u, p in zip(urls, pngs, strict=True)}
        data["frames"] = urls
        new_json = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        figure = figure[:data_match.start(2)] + new_json + figure[data_match.end(2):]

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


_DATA_IMG = re.compile(r'(<img\b[^>]*?\ssrc=")data:image/(png|jpeg|gif|svg\+xml);base64,'
                       r'([^"]+)(")')
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
    body = re.sub(r"<th(\s[^>]*)?>(?:\s|&nbsp;|<p>\s*</p>)*</th>",
                  lambda m: f"<td{m.group(1) or ''}></td>", body)
    return body


# -- descriptions ------------------------------------------------------------------------------
def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word boundary to at most ``length`` characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length - 1]
    if " " in cut:
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def page_description(doctree, metadata: dict[str, Any] | None) -> str:
    """The page's front matter ``description``, else its first real paragraph."""
    given = (metadata or {}).get("description")
    if isinstance(given, str) and given.strip():
        return shorten(given)
    if doctree is None:
        return ""
    from docutils import nodes

    skip = (nodes.admonition, nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table,
            nodes.footnote, nodes.citation, nodes.field_list, nodes.literal_block)
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


# -- maths at build time -----------------------------------------------------------------------
MATH_CSS = "booktools-math.css"
_MATH_SPAN = re.compile(r'(<span class="math notranslate nohighlight">)\\\((.*?)\\\)(</span>)',
                        re.DOTALL)
_MATH_DIV = re.compile(r'(<div class="math notranslate nohighlight"[^>]*>\s*'
                       r'(?:<span class="eqno">.*?</span>)?)(.*?)(</div>)', re.DOTALL)
_NODE_SCRIPT = r"""
require(process.env.BOOKTOOLS_MATHJAX).init({
  loader: {load: ['input/tex', 'output/svg', 'a11y/assistive-mml']},
  tex: {packages: {'[+]': ['ams']}},
  svg: {fontCache: 'local'},
  startup: {typeset: false},
}).then((MathJax) => {
  const adaptor = MathJax.startup.adaptor;
  const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const out = items.map(([tex, display]) =>
    adaptor.outerHTML(MathJax.tex2svg(tex, {display: display})));
  if (process.env.BOOKTOOLS_MATH_CSS) {
    out.push(adaptor.textContent(MathJax.svgStylesheet()));
  }
  process.stdout.write(JSON.stringify(out));
}).catch((err) => { console.error(err.message); process.exit(1); });
"""


class MathError(ExtensionError):
    """TeX that MathJax cannot typeset, or no Node.js/MathJax to typeset it with."""


def typeset(items: list[tuple[str, bool]], mathjax: Path, *, css: bool = False) -> list[str]:
    """SVG (with hidden MathML for screen readers) for each ``(tex, display)``, rendered by
    MathJax under Node.js; with ``css``, MathJax's stylesheet for them is appended."""
    import os
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None or not mathjax.is_file():
        raise MathError(f"cannot typeset maths at build time: needs Node.js and {mathjax} "
                        "(`npm ci` installs it)")
    env = {**os.environ, "BOOKTOOLS_MATHJAX": str(mathjax)}
    if css:
        env["BOOKTOOLS_MATH_CSS"] = "1"
    result = subprocess.run([node, "-e", _NODE_SCRIPT], input=json.dumps(items),
                            capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise MathError(f"MathJax failed: {result.stderr.strip()[-1000:]}")
    return json.loads(result.stdout)


def prerender_math(body: str, mathjax: Path) -> tuple[str, list[str]]:
    """Replace the page's TeX by SVG; returns the new body and the TeX MathJax rejected."""
    found: list[tuple[str, bool]] = []

    def collect(display: bool):
        def one(m: re.Match) -> str:
            tex = html.unescape(m.group(2)).strip()
            if display and tex.startswith("\\[") and tex.endswith("\\]"):
                tex = tex[2:-2].strip()
            found.append((tex, display))
            return f"{m.group(1)}\x00MATH{len(found) - 1}\x00{m.group(3)}"
        return one

    marked = _MATH_DIV.sub(collect(True), _MATH_SPAN.sub(collect(False), body))
    if not found:
        return body, []
    svgs = typeset(found, mathjax)
    bad = [tex for (tex, _), svg in zip(found, svgs, strict=True)
           if 'data-mml-node="merror"' in svg]
    return re.sub("\x00MATH(\\d+)\x00", lambda m: svgs[int(m.group(1))], marked), bad


# -- icon fonts --------------------------------------------------------------------------------
ICONS_CSS = "booktools-icons.css"
_FA_DIR = "_static/vendor/fontawesome/webfonts"
_FA_FACES = (("fa-solid-900", "Font Awesome 6 Free", 900),
             ("fa-regular-400", "Font Awesome 6 Free", 400),
             ("fa-brands-400", "Font Awesome 6 Brands", 400))
_NAMED_GLYPH = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)'
                          r'\{content:"\\([0-9a-f]{4,5})"\}')
_ANY_GLYPH = re.compile(r'\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])')
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")


def used_icon_codepoints(css: str, used_classes: set[str]) -> set[int]:
    """Glyphs the site can show: the icon classes it uses, and every glyph that the theme's
    CSS draws by itself (admonition titles, sidebar arrows)."""
    codepoints: set[int] = set()
    spans = []
    for m in _NAMED_GLYPH.finditer(css):
        names = {sel.split(":")[0][1:] for sel in m.group(1).split(",") if sel}
        if names & used_classes:
            codepoints.add(int(m.group(2), 16))
        spans.append(m.span())
    rest, last = [], 0
    for a, b in spans:
        rest.append(css[last:a])
        last = b
    rest.append(css[last:])
    for escaped, literal in _ANY_GLYPH.findall("".join(rest)):
        codepoints.add(int(escaped, 16) if escaped else ord(literal))
    return codepoints


def write_icon_fonts(outdir: Path) -> str:
    """Subset the theme's Font Awesome fonts to the glyphs the site uses (0.3 MB of web fonts
    become a few kB) and return CSS whose @font-face rules take precedence over the theme's."""
    css_text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in sorted((outdir / "_static").rglob("*.css")))
    used: set[str] = set()
    for page in outdir.rglob("*.html"):
        used.update(_ICON_CLASS.findall(page.read_text(encoding="utf-8", errors="replace")))
    for script in (outdir / "_static").rglob("*.js"):
        if script.name != "fontawesome.js":
            used.update(_ICON_CLASS.findall(script.read_text(encoding="utf-8", errors="replace")))
    codepoints = used_icon_codepoints(css_text, used)
    rules = []
    for stem, family, weight in _FA_FACES:
        source = outdir / _FA_DIR / f"{stem}.ttf"
        if not source.is_file() or not codepoints:
            continue
        from fontTools import subset

        options = subset.Options()
        options.flavor = "woff"          # zlib: no brotli needed; every browser reads it
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        target = outdir / "_static" / "fonts" / f"{stem}-subset.woff"
        target.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(target), options)
        rules.append(f'@font-face{{font-display:block;font-family:"{family}";font-style:normal;'
                     f'font-weight:{weight};src:url(fonts/{stem}-subset.woff) format("woff")}}')
    return ("/* Written by booktools.site: the theme's icon fonts, subset to the glyphs this site "
            "uses. */\n" + "\n".join(rules) + "\n")


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
    kept = []
    for js in scripts:
        attrs = getattr(js, "attributes", {}) or {}
        if attrs.get("type") == "application/vnd.jupyter.widget-state+json":
            continue  # unused by the static site, and random widget ids every build
        name = str(getattr(js, "filename", "") or "")
        if no_math and (name.split("?")[0].endswith(mathjax)
                        or (not name and "window.MathJax" in attrs.get("body", ""))):
            continue
        if (name.split("?")[0].rsplit("/", 1)[-1] in DEFERRED_SCRIPTS
                and "defer" not in attrs and "async" not in attrs):
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
            logger.warning(f"{err}; the page's maths is left to MathJax in the browser",
                           location=pagename, type="booktools", subtype="math")
        else:
            for tex in bad:
                logger.warning(f"MathJax cannot typeset {tex!r}", location=pagename,
                               type="booktools", subtype="math")
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
            found = images.get(site_path[len(app.builder.imagedir) + 1:])
            if found:
                return found
        if (outdir / site_path).is_file():
            return outdir / site_path
        if site_path.startswith("_static/"):
            for p in app.config.html_static_path:
                candidate = Path(app.confdir, p, site_path[len("_static/"):])
                if candidate.is_file():
                    return candidate
        return None

    body = context.get("body")
    if isinstance(body, str):
        try:
            body = move_frames(body, writer(FRAMES_DIR),
                               budget=app.config.booktools_explorer_budget, page=pagename)
        except FrameBudgetError as err:
            logger.error(str(err), location=pagename)
        body = move_inline_images(body, writer(INLINE_DIR))
        body = size_images(body, locate)
        context["body"] = fix_roles(body)

    description = page_description(doctree, app.env.metadata.get(pagename))
    if not description:
        title = re.sub(r"<[^>]+>", "", str(context.get("title") or ""))
        description = shorten(f"{html.unescape(title)}: {app.config.booktools_description}"
                              if title else app.config.booktools_description)
    if description:
        context["metatags"] = (context.get("metatags") or "") + (
            f'\n<meta name="description" content="{html.escape(description, quote=True)}" />')


_NOT_FOUND = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="robots" content="noindex">
<title>Page not found - {title}</title>
<style>
  :root {{ color-scheme: light dark; }}
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
         line-height: 1.5; background: #fff; color: #222; }}
  main {{ max-width: 36rem; margin: 12vh auto; padding: 0 1.25rem; }}
  img {{ display: block; margin-bottom: 1rem; }}
  a {{ color: #0a58ca; }}
  @media (prefers-color-scheme: dark) {{
    body {{ background: #121212; color: #e6e6e6; }}  a {{ color: #8ab4f8; }} }}
</style>
</head>
<body>
<main>
<img class="rw-home-logo" src="_static/{logo}" width="72" height="72" alt="">
<h1>Page not found</h1>
<p>There is no page at this address in <em>{title}</em>. It may have moved when the book
was reorganised.</p>
<p><a class="rw-home" href="index.html">Go to the front page</a> or use the table of contents
there; the search box finds any term in the book.</p>
</main>
<script>
/* GitHub Pages serves this page for a missing path at any depth: point links at the root. */
(function () {{
  var base = {base_path};
  var path = window.location.pathname;
  var root = path.indexOf(base) === 0 ? base : "/";
  if (window.location.protocol === "file:") return;
  document.querySelector("a.rw-home").href = root + "index.html";
  document.querySelector("img.rw-home-logo").src = root + "_static/{logo}";
  var icon = document.createElement("link");
  icon.rel = "icon"; icon.href = root + "_static/{logo}";
  document.head.appendChild(icon);
}})();
</script>
</body>
</html>
"""


_INDEX = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{canonical}">
<link rel="icon" href="_static/logo.svg">
<meta http-equiv="refresh" content="0; url={first}">
</head>
<body>
<main><p><a href="{first}">{title}</a></p></main>
</body>
</html>
"""


def _write_index(app, outdir: Path) -> None:
    """The site's front door: a small page that forwards to the book's first page (what
    sphinx-external-toc writes is a bare meta refresh, without title or description)."""
    root = app.config.root_doc
    if root == "index" or "index" in app.env.all_docs:
        return
    first = app.builder.get_target_uri(root)
    baseurl = app.config.html_baseurl or ""
    title = html.escape(str(app.config.html_title or app.config.project))
    (outdir / "index.html").write_text(_INDEX.format(
        lang=html.escape(app.config.language or "en"), title=title, first=first,
        canonical=html.escape(baseurl.rstrip("/") + "/" + first if baseurl else first),
        description=html.escape(shorten(app.config.booktools_description))),
        encoding="utf-8")


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
    _write_index(app, Path(app.outdir))


def _finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    baseurl = app.config.html_baseurl or ""
    base_path = urlparse(baseurl).path or "/"
    if not base_path.endswith("/"):
        base_path += "/"
    title = html.escape(str(app.config.html_title or app.config.project))
    (outdir / "404.html").write_text(_NOT_FOUND.format(
        lang=html.escape(app.config.language or "en"), title=title,
        description=html.escape(shorten(f"Page not found. {app.config.booktools_description}")),
        base_path=json.dumps(base_path), logo="logo.svg"), encoding="utf-8")
    (outdir / "_static" / ICONS_CSS).write_text(write_icon_fonts(outdir), encoding="utf-8")
    math_css = "/* No maths typeset at build time. */\n"
    if app.config.booktools_prerender_math:
        try:
            math_css = ("/* Written by booktools.site: MathJax's stylesheet for maths typeset "
                        "at build time. */\n" + typeset([], _mathjax_node(app), css=True)[-1])
        except MathError:
            pass  # reported on the pages that have maths
    (outdir / "_static" / MATH_CSS).write_text(math_css, encoding="utf-8")
    robots = "User-agent: *\nAllow: /\n"
    if baseurl:
        robots += f"Sitemap: {baseurl.rstrip('/')}/{app.config.sitemap_filename}\n" \
            if hasattr(app.config, "sitemap_filename") else ""
    (outdir / "robots.txt").write_text(robots, encoding="utf-8")

    size_site_images(outdir)
    budget = app.config.booktools_page_budget
    for page in sorted(outdir.rglob("*.html")):
        if page.parts[len(outdir.parts)] == "_sources":
            continue
        size = len(gzip.compress(page.read_bytes(), mtime=0))
        if size > budget:
            logger.warning(f"{page.relative_to(outdir).as_posix()} is {size / 1e3:.0f} kB "
                           f"gzipped, over the page budget of {budget / 1e3:.0f} kB "
                           "(booktools_page_budget)", type="booktools", subtype="budget")


def setup(app) -> dict[str, Any]:
    app.add_config_value("booktools_explorer_budget", EXPLORER_BUDGET, "html", types=[int])
    app.add_config_value("booktools_page_budget", PAGE_BUDGET, "html", types=[int])
    app.add_config_value(
        "booktools_description",
        "An open, executable textbook on neuroplasticity, the default mode network and "
        "study design, told through psilocybin research.", "html", types=[str])
    app.add_config_value("booktools_prerender_math", True, "html", types=[bool])
    app.add_config_value("booktools_mathjax_node", "", "html", types=[str])
    app.add_css_file(ICONS_CSS, priority=900)  # written at build-finished
    app.add_css_file(MATH_CSS, priority=900)
    app.connect("config-inited", _on_config, priority=900)
    # After every other extension has added its scripts and metadata.
    app.connect("html-page-context", _page, priority=900)
    app.connect("build-finished", _finished_first, priority=400)  # before sphinx-external-toc
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


# -- the book's logo ---------------------------------------------------------------------------
# One drawing, two renderers: SVG for the site, Pillow for the PNG and ICO files.
_LOGO_BG = "#1f4e79"
_LOGO_FG = "#ffffff"
_LOGO_ACCENT = "#f2b134"
# A neuron: a soma, three dendrites, spines (accent dots) along them. Units: a 64 x 64 box.
_LOGO_LINES = [((32, 36), (14, 16)), ((32, 36), (52, 14)), ((32, 36), (34, 56)),
               ((22, 25), (12, 30)), ((43, 24), (53, 30))]
_LOGO_SPINES = [(18, 17), (25, 26), (47, 14), (38, 27), (40, 48), (29, 49), (11, 33), (56, 28)]


def logo_svg() -> str:
    lines = "".join(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
                    for a, b in _LOGO_LINES)
    spines = "".join(f'<circle cx="{x}" cy="{y}" r="3.2"/>' for x, y in _LOGO_SPINES)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        '<title>How the brain rewires</title>'
        f'<rect width="64" height="64" rx="14" fill="{_LOGO_BG}"/>'
        f'<g stroke="{_LOGO_FG}" stroke-width="4" stroke-linecap="round">{lines}</g>'
        f'<g fill="{_LOGO_ACCENT}">{spines}</g>'
        f'<circle cx="32" cy="36" r="8" fill="{_LOGO_FG}"/></svg>\n')


def logo_image(size: int):
    from PIL import Image, ImageDraw

    scale = 8  # draw large, then downsample: smooth edges
    s = size * scale / 64
    im = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([0, 0, size * scale - 1, size * scale - 1], radius=14 * s,
                        fill=_LOGO_BG)
    for a, b in _LOGO_LINES:
        d.line([(a[0] * s, a[1] * s), (b[0] * s, b[1] * s)], fill=_LOGO_FG, width=round(4 * s))
        for x, y in (a, b):
            d.ellipse([(x - 2) * s, (y - 2) * s, (x + 2) * s, (y + 2) * s], fill=_LOGO_FG)
    for x, y in _LOGO_SPINES:
        d.ellipse([(x - 3.2) * s, (y - 3.2) * s, (x + 3.2) * s, (y + 3.2) * s],
                  fill=_LOGO_ACCENT)
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
        print("usage: python -m booktools.site logo")
