"""The published site is fast, reproducible and findable (issue 11); src/booktools/site.py.

What does not depend on machine load is asserted here: page weight, frames as files, image
sizes, phone width, axe-core, meta descriptions, favicon, sitemap, 404 page, robots.txt and
two clean builds giving the same bytes. Lighthouse scores are reported by
``benchmarks/pages.py`` (``make bench``), never asserted.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import http.server
import json
import math
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT, PageProbe, jupyter_book_build

PAGE_BUDGET = 150_000  # gzipped bytes of HTML per page
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PURGECSS = ROOT / "node_modules" / "purgecss"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def html_pages(site: Path) -> list[str]:
    """Every HTML file of the site (not the downloadable sources)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] not in {"_sources", "_static", "reports"}
    )


def book_pages(site: Path) -> list[str]:
    """The book's pages made by Sphinx (not the front-door redirect, the 404 page, or the
    listing of the book's Python package)."""
    return [
        rel
        for rel in html_pages(site)
        if rel not in {"index.html", "404.html"} and "data-content_root=" in read(site, rel)
    ]


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def rw_data(text: str) -> list[dict]:
    blobs = re.findall(
        r'<script type="application/json" class="rw-data">(.*?)</script>', text, flags=re.DOTALL
    )
    return [json.loads(html.unescape(b) if "&quot;" in b else b) for b in blobs]


# -- the extension's own logic (no build needed) ----------------------------------------------
def _fake_explorer(n_frames: int, frame_bytes: int, title: str = "Spine turnover") -> str:
    import base64
    import struct
    import zlib

    def png(i: int) -> bytes:
        ihdr = struct.pack(">IIBBBBB", 320, 200, 8, 2, 0, 0, 0)

        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = struct.pack(">I", zlib.crc32(kind + data))
            return struct.pack(">I", len(data)) + kind + data + crc

        payload = bytes([i % 256]) * frame_bytes
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", ihdr)
            + chunk(b"tEXt", payload)
            + chunk(b"IEND", b"")
        )

    frames = [base64.b64encode(png(i)).decode() for i in range(n_frames)]
    data = json.dumps(
        {"shape": [n_frames], "frames": frames, "alts": [f"frame {i}" for i in range(n_frames)]}
    )
    return (
        f'<figure class="rw-explorer" id="rwx-1" aria-label="{title}">'
        f'<img class="rw-frame" src="data:image/png;base64,{frames[1]}" alt="frame 1">'
        '<div class="rw-controls"><div class="rw-control"><label for="rwx-1-0">Dose</label>'
        f'<input type="range" id="rwx-1-0" min="0" max="{n_frames - 1}" step="1" value="1"'
        ' aria-valuetext="1" data-texts=\'[]\'><output for="rwx-1-0">1</output></div></div>'
        "<figcaption>Caption.</figcaption>"
        f'<script type="application/json" class="rw-data">{data}</script>'
        "<script>(function(){var fig=document.currentScript.parentElement;})();</script>"
        "</figure>"
    )


def test_frames_move_to_hashed_files_with_sizes():
    from booktools.images import move_frames

    stored: dict[str, bytes] = {}

    def write(name: str, data: bytes) -> str:
        stored[name] = data
        return "../_images/explorers/" + name

    out = move_frames("<p>x</p>" + _fake_explorer(3, 10), write)
    assert "base64" not in out and "currentScript" not in out
    assert len(stored) == 3
    for name, data in stored.items():
        assert name == hashlib.sha256(data).hexdigest()[:20] + ".png"
    (data,) = rw_data(out)
    assert data["shape"] == [3] and len(data["frames"]) == 3
    assert all(u.startswith("../_images/explorers/") for u in data["frames"])
    img = re.search(r'<img class="rw-frame"[^>]*>', out).group(0)
    assert f'src="{data["frames"][1]}"' in img
    assert 'width="320"' in img and 'height="200"' in img
    # Deterministic: the same input gives the same output.
    assert move_frames("<p>x</p>" + _fake_explorer(3, 10), write) == out


def test_explorer_over_budget_fails_with_its_name_count_and_size():
    from booktools.images import FrameBudgetError, move_frames

    with pytest.raises(FrameBudgetError) as err:
        move_frames(
            _fake_explorer(4, 50_000, title="Dose and occupancy"),
            lambda n, d: n,
            budget=100_000,
            page="chapters/03-pharmacology",
        )
    message = str(err.value)
    assert "Dose and occupancy" in message and "4 frames" in message
    assert "0.20 MB" in message and "chapters/03-pharmacology" in message


def test_meta_description_is_short_and_on_one_line():
    from booktools.site import shorten

    text = "word " * 100
    short = shorten(text)
    assert len(short) <= 155 and short.endswith("\u2026") and "\n" not in short
    assert shorten("A short\n first paragraph.") == "A short first paragraph."


def test_maths_typeset_at_build_time_as_svg_with_mathml():
    from booktools.site import prerender_math

    mathjax = ROOT / "node_modules" / "mathjax" / "es5" / "node-main.js"
    if not (mathjax.is_file() and shutil.which("node")):
        pytest.skip("needs Node.js and `npm ci` (node_modules/mathjax)")
    body = (
        '<p>Rate <span class="math notranslate nohighlight">\\(f &lt; e\\)</span>.</p>'
        '<div class="math notranslate nohighlight" id="equation-x">\n<span class="eqno">(1)'
        '<a class="headerlink" href="#equation-x">#</a></span>\\[\\begin{split}'
        "\\begin{aligned}a &amp;= b \\\\ c &amp;= d\\end{aligned}\\end{split}\\]</div>"
        '<span class="math notranslate nohighlight">\\(\\frac{1}{\\)</span>'
    )
    out, bad = prerender_math(body, mathjax)
    assert out.count("<mjx-container") == 3 and out.count("<mjx-assistive-mml") == 3
    assert '<span class="eqno">(1)' in out and "\\(" not in out and "\\[" not in out
    assert "<mo>&lt;</mo>" in out or "<mo>&#x3C;</mo>" in out
    assert bad == ["\\frac{1}{"]


# -- the built site: sizes and structure -------------------------------------------------------
def test_every_page_within_html_budget(site):
    over = {}
    for rel in html_pages(site):
        size = len(gzip.compress((site / rel).read_bytes(), mtime=0))
        if size > PAGE_BUDGET:
            over[rel] = size
    assert over == {}, f"pages over {PAGE_BUDGET} gzipped bytes: {over}"


def test_no_inline_image_data_and_no_widget_state(site):
    for rel in html_pages(site):
        text = read(site, rel)
        assert "data:image/" not in text, f"{rel}: inline image data"
        assert "application/vnd.jupyter.widget-state+json" not in text, f"{rel}: widget state"


def test_explorer_frames_are_files_next_to_the_page(site):
    pages = [rel for rel in html_pages(site) if 'class="rw-explorer' in read(site, rel)]
    assert "chapters/02-spines.html" in pages
    for rel in pages:
        text = read(site, rel)
        datas = rw_data(text)
        assert datas, f"{rel}: explorer without frame data"
        for data in datas:
            assert len(data["frames"]) == len(data["alts"]) == math.prod(data["shape"]) >= 2
            # The narrow set (panels stacked, for phones) has one frame per wide frame.
            assert len(data["narrow"]) == len(data["frames"]) and data["narrowFontPx"] > 0
            for url in set(data["frames"]) | set(data["narrow"]):
                assert not urlparse(url).scheme and url.endswith(".png"), url
                path = (site / rel).parent / url
                assert path.resolve().is_file(), f"{rel}: missing frame {url}"
                assert "_images/explorers/" in path.resolve().as_posix()
        # The explorers' inline swap script is replaced by the shared _static/explorers.js.
        for figure in re.findall(r'<figure class="rw-explorer.*?</figure>', text, re.DOTALL):
            assert not re.search(r"<script(?![^>]*application/json)", figure), rel
        assert "_static/explorers.js" in text


def test_no_icon_script_no_maths_script_and_small_icon_fonts(site):
    """fontawesome.js (0.5 MB gzipped) and MathJax (0.27 MB) are not loaded by any page: the
    icons are drawn by CSS from subset fonts and the maths is SVG made at build time."""
    for rel in book_pages(site):
        text = read(site, rel)
        assert "fontawesome.js" not in text, rel
        assert "tex-mml-chtml.js" not in text and "window.MathJax" not in text, rel
        bundle = stylesheets(site, rel)
        assert len(bundle) == 1, f"{rel}: {bundle}"
        css = bundle[0].read_text(encoding="utf-8")
        assert "/* booktools-icons.css */" in css and "/* booktools-math.css */" in css
    spines = read(site, "chapters/02-spines.html")
    assert spines.count("<mjx-container") >= 5 and "\\frac" not in spines
    css = (site / "_static" / "booktools-icons.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\((fonts/[^)]+)\)", css)
    assert len(fonts) >= 2
    for font in fonts:
        assert 0 < (site / "_static" / font).stat().st_size < 20_000


def stylesheets(site: Path, rel: str) -> list[Path]:
    """The stylesheet files a page links."""
    page = site / rel
    links = re.findall(r'<link\b(?=[^>]*rel="stylesheet")[^>]*href="([^"]+)"', read(site, rel))
    return [(page.parent / href.split("?")[0]).resolve() for href in links]


def test_one_stylesheet_per_page_in_the_cascade_order(site):
    """Every page links one stylesheet (booktools.assets.bundle_css): the theme's, the
    extensions' and the book's CSS in their original order, imports inlined, urls working."""
    for rel in [*book_pages(site), "search.html", "genindex.html"]:
        (bundle,) = stylesheets(site, rel)
        assert bundle.is_file() and bundle.parent == (site / "_static").resolve(), rel
        assert bundle.name.startswith("booktools-styles-")
    css = stylesheets(site, "chapters/02-spines.html")[0].read_text(encoding="utf-8")
    order = [
        "/* styles/theme.css */",
        "/* styles/pydata-sphinx-theme.css */",
        "/* styles/sphinx-book-theme.css */",
        "/* book.css */",
        "/* booktools-icons.css */",
    ]
    where = [css.find(mark) for mark in order]
    assert -1 not in where and where == sorted(where), where
    assert "@import" not in css  # basic.css, imported by theme.css, is inlined
    assert "a.headerlink" in css  # a basic.css rule the pages use
    # The theme's code colours (it rewrites pygments.css at build-finished, before the bundle).
    assert 'html[data-theme="light"] .highlight' in css
    for url in re.findall(r'url\("?([^")]+)"?\)', css):
        if not url.startswith("data:"):
            assert (site / "_static" / url.split("?")[0].split("#")[0]).is_file(), url


#: Gzipped bytes of the one stylesheet every page waits for (557 kB raw, 93 kB gzipped before
#: PurgeCSS; about 35 kB gzipped after).
CSS_BUDGET_GZ = 45_000


def test_stylesheet_keeps_only_rules_the_site_can_use(site):
    """PurgeCSS trims the bundle: rules for markup no page or script has are gone; dark mode,
    Bootstrap's run-time tooltip placement and the book's own rules stay."""
    (bundle,) = stylesheets(site, "chapters/02-spines.html")
    css = bundle.read_text(encoding="utf-8")
    size = len(gzip.compress(css.encode("utf-8")))
    assert size <= CSS_BUDGET_GZ, f"{bundle.name}: {size} bytes gzipped > {CSS_BUDGET_GZ}"
    assert "div.sphinxsidebar" not in css  # basic.css: the classic theme's sidebar
    for kept in (
        'html[data-theme="light"] .highlight',  # set from JavaScript (dataset.theme)
        "html[data-theme=dark]",
        "data-popper-placement",  # set by Popper on tooltips
        ".bd-sidebar-primary",
        ".rw-explorer",
    ):
        assert kept in css, kept


def test_purge_css_keeps_what_pages_and_scripts_name(tmp_path):
    from booktools.assets import purge_css

    (tmp_path / "a.html").write_text('<p class="used">x</p>', encoding="utf-8")
    (tmp_path / "a.js").write_text('el.classList.add("from-js")', encoding="utf-8")
    css = (
        "/* keep me */\n.used{color:red}.unused{color:blue}.from-js{color:green}"
        "html[data-theme=dark] .used{color:white}.tooltip-arrow{top:0}"
    )
    out = purge_css(css, [str(tmp_path / "*.html"), str(tmp_path / "*.js")], PURGECSS)
    assert ".used{" in out and ".from-js{" in out and "/* keep me */" in out
    assert "html[data-theme=dark] .used" in out and ".tooltip-arrow" in out
    assert ".unused" not in out


def test_purge_css_without_purgecss_names_what_is_missing(tmp_path):
    from booktools.assets import NodeError, purge_css

    missing = tmp_path / "node_modules" / "purgecss"
    with pytest.raises(NodeError, match=r"no .*node_modules/purgecss.*npm ci"):
        purge_css(".a{}", [str(tmp_path / "*.html")], missing)


def test_bundle_rebases_urls_and_inlines_imports(tmp_path):
    from booktools.assets import bundle_css

    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "fonts").mkdir()
    (static / "fonts" / "a.woff").write_bytes(b"x")
    (static / "base.css").write_text("body{background:url(img.png)}", encoding="utf-8")
    (static / "styles" / "theme.css").write_text(
        '@import "../base.css";\n.icon{src:url("../fonts/a.woff")}', encoding="utf-8"
    )
    (static / "book.css").write_text("p{color:red}", encoding="utf-8")
    page = tmp_path / "chapters" / "a.html"
    page.parent.mkdir()
    page.write_text(
        '<head>\n  <link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />\n'
        '  <link rel="stylesheet" type="text/css" href="../_static/book.css?v=2" />\n</head>',
        encoding="utf-8",
    )
    (name,) = bundle_css(tmp_path)
    text = page.read_text(encoding="utf-8")
    assert text.count("stylesheet") == 1 and f'href="../_static/{name}"' in text
    css = (static / name).read_text(encoding="utf-8")
    assert 'url("img.png")' in css and 'url("fonts/a.woff")' in css
    assert css.index("background") < css.index(".icon") < css.index("color:red")


def test_every_image_has_width_and_height(site):
    missing = []
    for rel in html_pages(site):
        for tag in re.findall(r"<img\b[^>]*>", read(site, rel)):
            if not (re.search(r"\swidth=", tag) and re.search(r"\sheight=", tag)):
                missing.append(f"{rel}: {tag[:120]}")
    assert missing == []


def test_every_page_has_a_meta_description(site):
    for rel in [*book_pages(site), "index.html", "404.html"]:
        found = re.findall(r'<meta name="description" content="([^"]*)"', read(site, rel))
        assert len(found) == 1, f"{rel}: {len(found)} meta descriptions"
        assert 20 <= len(html.unescape(found[0])) <= 160, f"{rel}: {found[0]!r}"


def test_favicon_logo_sitemap_robots_and_opengraph(site):
    assert (site / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    intro = read(site, "intro.html")
    assert re.search(r'<link rel="icon" href="_static/logo\.svg"', intro)
    assert 'property="og:image" content="http' in intro
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert any(loc.endswith("chapters/02-spines.html") for loc in locs)
    base = locs[0][: locs[0].find("intro.html")] if "intro.html" in locs[0] else None
    assert all(loc.startswith("https://") for loc in locs)
    assert not any(loc.endswith(("search.html", "genindex.html", "404.html")) for loc in locs)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://" in robots and robots.strip().endswith("sitemap.xml")
    if base:
        assert base in robots


class _GitHubPagesLike(http.server.SimpleHTTPRequestHandler):
    """Serves 404.html (status 404) for any missing path, as GitHub Pages does."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def test_404_page_links_home_from_any_depth(site, browser):
    assert (site / "404.html").is_file()
    handler = functools.partial(_GitHubPagesLike, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    probe = PageProbe(browser)
    try:
        for missing in ("/no-such-page.html", "/chapters/instructor/deep/missing.html"):
            response = probe.page.goto(base + missing, wait_until="load")
            assert response.status == 404
            page = probe.page
            assert page.locator("h1").inner_text() == "Page not found"
            home = page.locator("a.rw-home").get_attribute("href")
            assert probe.context.request.get(urljoin(base + missing, home)).status == 200
            assert page.locator(".rw-home-logo svg").bounding_box()["width"] == 72
        # Chromium reports the 404 status of each page itself; nothing else may fail (the logo
        # is inline SVG, so a deep path breaks no relative request, however fast the parser is).
        assert probe.external == []
        assert all("status of 404" in e for e in probe.console_errors), probe.console_errors
        assert len(probe.console_errors) == 2, probe.console_errors
    finally:
        probe.close()
        httpd.shutdown()
        httpd.server_close()


# -- the built site in a browser ---------------------------------------------------------------
def test_front_door_forwards_to_the_first_page(site, server, probe):
    text = read(site, "index.html")
    assert '<meta http-equiv="refresh" content="0; url=intro.html">' in text
    probe.goto(f"{server}/index.html")
    probe.page.wait_for_url("**/intro.html")
    assert probe.console_errors == []


def test_favicon_is_served(site, server, probe):
    assert probe.context.request.get(f"{server}/favicon.ico").status == 200
    probe.goto(f"{server}/chapters/02-spines.html")
    assert probe.console_errors == []


def test_no_page_scrolls_sideways_at_phone_width(site, server, browser):
    probe = PageProbe(browser, viewport=PHONE)
    wide = {}
    try:
        for rel in [*book_pages(site), "404.html"]:
            page = probe.goto(f"{server}/{rel}")
            result = page.evaluate("""() => {
                const d = document.documentElement;
                const art = document.querySelector('article');
                const right = art ? art.getBoundingClientRect().right : d.clientWidth;
                const off = Array.from(document.querySelectorAll(
                        '.rw-explorer .rw-control, .rw-explorer .rw-control > *'))
                    .filter(e => e.getBoundingClientRect().right > right + 1)
                    .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30));
                return {overflow: d.scrollWidth - d.clientWidth, off};
            }""")
            if result["overflow"] > 0 or result["off"]:
                wide[rel] = result
        assert wide == {}, wide
    finally:
        probe.close()


AXE_RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.map(v => v.impact + ' ' + v.id + ': '
        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.mark.parametrize(
    "scheme,viewport",
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone", "dark-phone"],
)
def test_axe_finds_no_violation_on_any_page(site, server, browser, scheme, viewport):
    """axe-core (npm, served locally): zero violations of any impact, every page."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make setup does)"
    probe = PageProbe(browser, viewport=viewport, color_scheme=scheme)
    found = {}
    try:
        for rel in [*book_pages(site), "404.html"]:
            page = probe.goto(f"{server}/{rel}")
            # The final colours, not a colour-mode transition caught half-way.
            page.add_style_tag(
                content="*, *::before, *::after { transition: none !important;"
                " animation: none !important; }"
            )
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[rel] = violations
        assert found == {}, found
    finally:
        probe.close()


# -- reproducible builds -----------------------------------------------------------------------
SMALL_PAGE = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
description: A one-page book with one explorer, built twice to check reproducibility.
---

# A small book

A page with one explorer: two clean builds must give the same bytes.

```{code-cell} ipython3
import numpy as np
from explorers.core import Control, Explorer

def compute(rate):
    t = np.linspace(0, 10, 50)
    return t, np.exp(-rate * t)

def draw(result, ax, rate):
    t, y = result
    ax.plot(t, y)
    ax.set_xlabel("time (days)")
    ax.set_ylabel("fraction left")
    ax.set_ylim(0, 1)

Explorer(compute, draw, [Control("rate", "Rate", (0.1, 0.2, 0.4), 0.2, unit="/day")],
         title="Decay", alt="Decay at rate {rate}", caption="Moving the rate changes the decay.")
```
"""


def _small_book(folder: Path) -> None:
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.pop("bibtex_bibfiles", None)
    config["execute"]["execute_notebooks"] = "force"
    sphinx = config["sphinx"]["config"]
    drop = {"booktools.publish", "sphinxcontrib.bibtex"}  # the wheel; no citations here
    sphinx["extensions"] = [e for e in sphinx["extensions"] if e not in drop]
    for key in [k for k in sphinx if k.startswith("bibtex_")]:
        del sphinx[key]
    sphinx["html_baseurl"] = "https://example.org/small-book/"
    sphinx["html_extra_path"] = ["_extra"]
    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (folder / "index.md").write_text(SMALL_PAGE, encoding="utf-8")
    for name in ("_static", "_templates", "_extra"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "node_modules").symlink_to(ROOT / "node_modules")  # PurgeCSS, MathJax


@pytest.mark.slow
@pytest.mark.build
def test_two_clean_builds_are_byte_identical(tmp_path):
    outputs = []
    for run in ("a", "b"):
        src = tmp_path / run / "book"
        _small_book(src)
        result = jupyter_book_build(src, timeout=600)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        outputs.append(src / "_build" / "html")
    a, b = outputs

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] not in {"_sources", "reports"}
        }

    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    differ = [name for name in fa if fa[name] != fb[name]]
    assert differ == [], f"files that differ between two clean builds: {differ}"
    page = fa["index.html"].decode()
    assert 'class="rw-explorer' in page and "data:image/" not in page
    assert any(name.startswith("_images/explorers/") for name in fa)
