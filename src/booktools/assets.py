"""Build-time assets of the site: maths typeset by MathJax under Node.js, and the theme's
icon fonts cut down to the glyphs the site uses. Used by :mod:`booktools.site`."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)


# -- maths at build time -----------------------------------------------------------------------
MATH_CSS = "booktools-math.css"
_MATH_SPAN = re.compile(
    r'(<span class="math notranslate nohighlight">)\\\((.*?)\\\)(</span>)', re.DOTALL
)
_MATH_DIV = re.compile(
    r'(<div class="math notranslate nohighlight"[^>]*>\s*'
    r'(?:<span class="eqno">.*?</span>)?)(.*?)(</div>)',
    re.DOTALL,
)
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


class NodeError(ExtensionError):
    """A build step run under Node.js that could not run or failed (the message says which)."""


class MathError(NodeError):
    """TeX that MathJax cannot typeset, or no Node.js/MathJax to typeset it with."""


def run_node(script: str, payload: object, env: dict[str, str], what: str) -> object:
    """Run ``script`` under Node.js with ``payload`` as JSON on stdin; its stdout parsed as
    JSON. Raises :class:`NodeError` naming ``what`` with the end of Node's error output."""
    import os
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        raise NodeError(f"{what}: Node.js is not on PATH")
    result = subprocess.run(
        [node, "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )
    if result.returncode != 0:
        raise NodeError(f"{what} failed: {result.stderr.strip()[-1000:]}")
    return json.loads(result.stdout)


def typeset(items: list[tuple[str, bool]], mathjax: Path, *, css: bool = False) -> list[str]:
    """SVG (with hidden MathML for screen readers) for each ``(tex, display)``, rendered by
    MathJax under Node.js; with ``css``, MathJax's stylesheet for them is appended."""
    if not mathjax.is_file():
        raise MathError(f"cannot typeset maths at build time: no {mathjax} (`npm ci` installs it)")
    env = {"BOOKTOOLS_MATHJAX": str(mathjax)}
    if css:
        env["BOOKTOOLS_MATH_CSS"] = "1"
    try:
        return run_node(_NODE_SCRIPT, items, env, "MathJax")
    except NodeError as err:
        raise MathError(str(err)) from None


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
    bad = [
        tex for (tex, _), svg in zip(found, svgs, strict=True) if 'data-mml-node="merror"' in svg
    ]
    return re.sub("\x00MATH(\\d+)\x00", lambda m: svgs[int(m.group(1))], marked), bad


# -- icon fonts --------------------------------------------------------------------------------
ICONS_CSS = "booktools-icons.css"
_FA_DIR = "_static/vendor/fontawesome/webfonts"
_FA_FACES = (
    ("fa-solid-900", "Font Awesome 6 Free", 900),
    ("fa-regular-400", "Font Awesome 6 Free", 400),
    ("fa-brands-400", "Font Awesome 6 Brands", 400),
)
_NAMED_GLYPH = re.compile(
    r"((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)"
    r'\{content:"\\([0-9a-f]{4,5})"\}'
)
_ANY_GLYPH = re.compile(r"\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])")
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
    css_text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((outdir / "_static").rglob("*.css"))
    )
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
        options.flavor = "woff"  # zlib: no brotli needed; every browser reads it
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
        rules.append(
            f'@font-face{{font-display:block;font-family:"{family}";font-style:normal;'
            f'font-weight:{weight};src:url(fonts/{stem}-subset.woff) format("woff")}}'
        )
    return (
        "/* Written by booktools.site: the theme's icon fonts, subset to the glyphs this site "
        "uses. */\n" + "\n".join(rules) + "\n"
    )


# -- one stylesheet ----------------------------------------------------------------------------
BUNDLE_PREFIX = "booktools-styles-"
_STYLESHEET = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*>\n?')
_HREF = re.compile(r'\bhref="([^"]+)"')
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"'()\s;]+)["']?\s*\)?\s*;""")
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_CHARSET = re.compile(r'@charset\s+"[^"]*"\s*;')


def _local(url: str) -> bool:
    return not (
        url.startswith(("data:", "#", "/", "//")) or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url)
    )


def _stylesheet_text(path: Path, static: Path, seen: frozenset[Path] = frozenset()) -> str:
    """``path``'s CSS with local ``@import`` s inlined and relative ``url()`` s rewritten to
    work from ``static`` (where the bundle lives)."""
    import os
    import posixpath

    if path in seen:
        raise ExtensionError(f"stylesheet imports itself: {path}")
    text = _CHARSET.sub("", path.read_text(encoding="utf-8"))

    def rebase(m: re.Match) -> str:
        url = m.group(2).strip()
        if not _local(url):
            return m.group(0)
        target = posixpath.normpath(
            Path(os.path.relpath(path.parent, static)).as_posix() + "/" + url
        )
        return f'url("{target}")'

    def inline(url: str) -> str:
        if not _local(url):
            return f'@import url("{url}");'
        return _stylesheet_text((path.parent / url.split("?")[0]).resolve(), static, seen | {path})

    # Imports first (their own urls are rebased inside the recursive call), then this file's.
    parts = _IMPORT.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(inline(part))  # the imported url
        else:
            out.append(_CSS_URL.sub(rebase, part))
    return "".join(out)


#: Selectors PurgeCSS keeps although no page or script names them literally: the colour
#: scheme attributes the theme sets from JavaScript (``dataset.theme``), and the classes and
#: attributes Bootstrap's tooltips, dropdowns and collapses build at run time.
PURGE_SAFELIST = {
    "standard": [r"^show$", r"^showing$", r"^hiding$", r"^fade$", r"^collapsing$", r"^bs-"],
    "greedy": [r"data-theme", r"data-mode", r"data-popper", r"data-bs-", r"tooltip", r"popover"],
}
_PURGE_SCRIPT = r"""
const {PurgeCSS} = require(process.env.BOOKTOOLS_PURGECSS);
const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const re = (list) => list.map((s) => new RegExp(s));
new PurgeCSS().purge({
  content: job.content,
  css: [{raw: job.css}],
  keyframes: true,
  safelist: {standard: re(job.safelist.standard), greedy: re(job.safelist.greedy)},
}).then((out) => process.stdout.write(JSON.stringify(out[0].css)))
  .catch((err) => { console.error(err.message); process.exit(1); });
"""


def purge_css(css: str, content: list[str], purgecss: Path) -> str:
    """``css`` without the rules whose selectors match nothing named in ``content`` (file
    globs: the built pages and their scripts), by PurgeCSS under Node.js. Comments, custom
    properties and ``@font-face`` rules stay; :data:`PURGE_SAFELIST` is always kept."""
    if not purgecss.is_dir():
        raise NodeError(f"cannot trim the site's CSS: no {purgecss} (`npm ci` installs it)")
    job = {"css": css, "content": content, "safelist": PURGE_SAFELIST}
    return run_node(_PURGE_SCRIPT, job, {"BOOKTOOLS_PURGECSS": str(purgecss)}, "PurgeCSS")


def bundle_css(outdir: Path, purgecss: Path | None = None) -> list[str]:
    """Join each page's stylesheets into one file under ``_static/`` and link only that.

    A book page links a dozen stylesheets (the theme's, each extension's, the book's); each is
    a request that the first paint waits for, and on a phone's network every request costs a
    round trip. Pages that link the same list share one bundle, named by its content hash, in
    the same order (the cascade is unchanged); ``@import`` s are inlined and relative
    ``url()`` s rebased. A page linking a stylesheet from elsewhere, or with a ``media``
    attribute, keeps its links. With ``purgecss`` (the package's folder), each bundle keeps
    only the rules some built page or script can use (:func:`purge_css`): most of the theme's
    stylesheet styles Bootstrap components the book never shows, and a phone downloads and
    parses all of it before the first paint. Returns the bundles' names.
    """
    import hashlib
    import os

    static = (outdir / "_static").resolve()
    content = [str(outdir / "**" / "*.html"), str(static / "**" / "*.js")]  # what PurgeCSS reads
    made: dict[tuple[str, ...], str] = {}
    for page in sorted(outdir.rglob("*.html")):
        if page.relative_to(outdir).parts[0] in {"_sources", "_static"}:
            continue
        text = page.read_text(encoding="utf-8")
        links = list(_STYLESHEET.finditer(text))
        if len(links) < 2:
            continue
        files = []
        for m in links:
            href = _HREF.search(m.group(0))
            url = href.group(1).split("?")[0].split("#")[0] if href else ""
            path = (page.parent / url).resolve() if url and _local(url) else None
            if "media=" in m.group(0) or path is None or static not in path.parents:
                files = []
                break
            if not path.is_file():
                raise ExtensionError(f"{page.relative_to(outdir)} links a missing stylesheet {url}")
            files.append(path)
        if not files:
            continue
        key = tuple(p.relative_to(static).as_posix() for p in files)
        name = made.get(key)
        if name is None:
            css = "\n".join(
                f"/* {rel} */\n" + _stylesheet_text(p, static)
                for rel, p in zip(key, files, strict=True)
            )
            if purgecss is not None:
                css = purge_css(css, content, purgecss)
            data = css.encode("utf-8")
            name = BUNDLE_PREFIX + hashlib.sha256(data).hexdigest()[:16] + ".css"
            (static / name).write_bytes(data)
            made[key] = name
        href = Path(os.path.relpath(static / name, page.parent.resolve())).as_posix()
        first = links[0]
        indent = first.group(0)[: len(first.group(0)) - len(first.group(0).lstrip())]
        new = [text[: first.start()], f'{indent}<link rel="stylesheet" href="{href}" />\n']
        pos = first.end()
        for m in links[1:]:
            new.append(text[pos : m.start()])
            pos = m.end()
        new.append(text[pos:])
        page.write_text("".join(new), encoding="utf-8")
    return sorted(made.values())
