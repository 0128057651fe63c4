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
        raise MathError(
            f"cannot typeset maths at build time: needs Node.js and {mathjax} "
            "(`npm ci` installs it)"
        )
    env = {**os.environ, "BOOKTOOLS_MATHJAX": str(mathjax)}
    if css:
        env["BOOKTOOLS_MATH_CSS"] = "1"
    result = subprocess.run(
        [node, "-e", _NODE_SCRIPT],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
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
