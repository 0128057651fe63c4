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
  request before the first paint instead of twelve round trips on a phone's network. PurgeCSS
  (``booktools_purge_css``, npm) then drops the rules that no built page or script can use:
  the theme's stylesheet is mostly Bootstrap components the book never shows, and a phone
  downloads and parses all of it before it paints.

At ``build-finished`` it writes ``404.html`` at the site root (its links work at any depth:
GitHub Pages serves it for every missing path) and ``robots.txt`` pointing at the sitemap,
and checks the gzipped size of every page against ``booktools_page_budget`` bytes.

``python -m booktools.logo logo`` redraws the book's logo and favicons (``_static/logo.svg``,
``_static/logo.png``, ``_extra/favicon.ico``).
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
from .images import (
    EXPLORER_BUDGET,
    FRAMES_DIR,
    INLINE_DIR,
    FrameBudgetError,
    move_frames,
    move_inline_images,
    size_images,
    size_site_images,
)
from .logo import logo_svg

logger = logging.getLogger(__name__)

#: Gzipped bytes of one page's HTML.
PAGE_BUDGET = 150_000
#: Characters of a generated meta description.
DESCRIPTION_LENGTH = 155

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
            logo=logo_svg(),
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
        purge = app.config.booktools_purge_css
        bundle_css(Path(app.outdir), Path(app.confdir, purge) if purge else None)


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
    # PurgeCSS's package folder, relative to the book; "" keeps every rule of the bundle.
    app.add_config_value("booktools_purge_css", "node_modules/purgecss", "html", types=[str])
    app.add_css_file(ICONS_CSS, priority=900)  # written at build-finished
    app.add_css_file(MATH_CSS, priority=900)
    app.connect("config-inited", _on_config, priority=900)
    # After every other extension has added its scripts and metadata.
    app.connect("html-page-context", _page, priority=900)
    app.connect("build-finished", _finished_first, priority=400)  # before sphinx-external-toc
    app.connect("build-finished", _finished)
    app.connect("build-finished", _finished_last, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
