"""Print the whole book to one PDF, offline: ``make pdf``.

1. Build a single-page HTML of the book (``jupyter-book build --builder singlehtml``). It
   reuses the execution cache of the HTML build (``BUILD_DIR/.jupyter_cache``), so after
   ``make book`` no notebook runs again.
2. Serve it on 127.0.0.1 and open it in Debian's chromium through Playwright, with every
   request to another host blocked (the PDF is made offline, like the site is read offline).
3. Wait until MathJax has typeset every formula and every image has loaded, add a title page
   and a table of contents, open the exercise solutions, hide what only makes sense on screen
   (sliders, buttons, navigation; ``_static/book.css`` already hides explorer sliders in
   print, each explorer prints its default frame), then print with ``page.pdf()``: A4, page
   numbers in the footer, the book's title in the header, PDF bookmarks for every heading.
   The page numbers in the table of contents come from a first printing's bookmarks.
4. Write ``BUILD_DIR/pdf/book.pdf`` and copy it into the site (``BUILD_DIR/html/book.pdf``)
   when the site exists, where the front page links it.

Usage: python scripts/pdf.py [BUILD_DIR] [--output FILE] [--no-copy] [--skip-build]
   BUILD_DIR defaults to ``_build`` in the repository (it must be a folder named ``_build``:
   jupyter-book's ``--path-output`` is its parent).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import os
import re
import shutil
import sys
import threading
import tomllib
from pathlib import Path
from urllib.parse import urlparse

from booktools.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS
from booktools.paths import build_folder_parser

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 180_000


class PdfError(RuntimeError):
    """Something the reader can fix; the message says what."""


# --------------------------------------------------------------------------- book metadata


def book_metadata() -> dict:
    """Title, author, version, table of contents: from _config.yml, pyproject and _toc.yml."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        "title": config.get("title", "The book"),
        "subtitle": front_page_subtitle(toc["root"]) or project.get("description", ""),
        "author": config.get("author", ""),
        "version": project.get("version", ""),
        "description": project.get("description", ""),
        "date": dt.date.today().isoformat(),
        "root": toc["root"],
        "parts": toc_parts(toc),
    }


def front_page_subtitle(root: str) -> str:
    """The italic line under the front page's title (intro.md), without its asterisks."""
    path = ROOT / f"{root}.md"
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^# .+\n\s*\n\*([^*]+)\*\s*\n\s*\n", text, re.MULTILINE)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def toc_parts(toc: dict) -> list[dict]:
    """``[{"caption": ..., "docs": [[docname, level], ...]}, ...]`` in reading order."""

    def walk(entries, level):
        for entry in entries or []:
            if "file" in entry:
                yield [str(Path(entry["file"]).with_suffix("")), level]
            yield from walk(entry.get("sections"), level + 1)

    parts = [{"caption": "", "docs": [[toc["root"], 0]]}]
    for part in toc.get("parts", []):
        parts.append(
            {"caption": part.get("caption", ""), "docs": list(walk(part.get("chapters"), 0))}
        )
    if "chapters" in toc:
        parts.append({"caption": "", "docs": list(walk(toc["chapters"], 0))})
    return parts


# --------------------------------------------------------------------------- build


def check_build_dir(build: Path) -> Path:
    build = build.resolve()
    if build.name != "_build":
        raise PdfError(
            f"the build folder must be named _build (jupyter-book writes "
            f"<path-output>/_build), got {build}"
        )
    return build


def build_singlehtml(build: Path) -> Path:
    """Build the single-page HTML into ``build/singlehtml``; return the folder.

    Runs Jupyter Book's Sphinx build in this process with ``-W -n --keep-going`` semantics,
    the book's own ``_config.yml`` unchanged, and the shared execution cache. Two things differ
    from ``jupyter-book build --builder singlehtml``:

    - its own doctree folder (``.doctrees-singlehtml``), so printing the PDF does not make the
      next HTML build re-read every page;
    - nodes that extensions taught only the ``html`` builder to write (MyST-NB's hidden-input
      cells, sphinx-jupyterbook-latex's hidden nodes) are written the same way by
      ``singlehtml``. Sphinx looks handlers up by builder name and falls back to the format
      only when no extension registered any ``singlehtml`` handler; sphinx-exercise does, so
      without this the build stops with "unknown node type: HideCodeCellNode".
    """
    try:
        from jupyter_book.sphinx import build_sphinx
        from sphinx.registry import SphinxComponentRegistry
    except ImportError as exc:
        raise PdfError(
            "jupyter-book is not installed in this Python; run `make setup` and "
            "use .venv/bin/python"
        ) from exc
    # Stale execution results (src/ changed since the last build) are cleared as for `make
    # book`; this build's own doctrees and output go with them.
    sys.path.insert(0, str(ROOT / "scripts"))
    from cache_guard import guard

    if guard(build):
        print(f"pdf: code in src/ changed since the last build; {build} is executed afresh")
        for name in (".doctrees-singlehtml", "singlehtml"):
            shutil.rmtree(build / name, ignore_errors=True)
    os.environ.pop("MPLBACKEND", None)  # kernels inherit it; figures need a real backend

    original = SphinxComponentRegistry.create_translator

    def create_translator(self, builder, *args):
        if builder.name == "singlehtml":
            single = self.translation_handlers.setdefault("singlehtml", {})
            for node, handlers in self.translation_handlers.get("html", {}).items():
                single.setdefault(node, handlers)
        return original(self, builder, *args)

    print("pdf: building the single-page HTML (reuses the execution cache)", flush=True)
    SphinxComponentRegistry.create_translator = create_translator
    try:
        result = build_sphinx(
            ROOT,
            build / "singlehtml",
            noconfig=True,
            path_config=str(ROOT / "_config.yml"),
            confoverrides={
                "nitpicky": True,
                "latex_individualpages": False,
                **singlehtml_overrides(),
            },
            doctreedir=build / ".doctrees-singlehtml",
            builder="singlehtml",
            warningiserror=True,
            keep_going=True,
            quiet=True,
        )
    finally:
        SphinxComponentRegistry.create_translator = original
    if result != 0:
        raise PdfError(
            f"the single-page HTML build failed ({result!r}); its warnings and "
            "errors are printed above"
        )
    return build / "singlehtml"


def singlehtml_overrides() -> dict:
    """Sphinx settings that _config.yml gives the ``html`` builder, repeated for ``singlehtml``.

    MyST-NB keys ``nb_mime_priority_overrides`` by builder name: without this the single page
    would show each explorer's live-widget output (blank without a kernel) instead of the
    precomputed frames the site shows.
    """
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    sphinx = (config.get("sphinx") or {}).get("config") or {}
    overrides = [list(o) for o in sphinx.get("nb_mime_priority_overrides") or []]
    extra = [["singlehtml", *o[1:]] for o in overrides if o and o[0] in ("html", "*")]
    return {"nb_mime_priority_overrides": overrides + extra} if extra else {}


def fill_missing_assets(page: Path, site: Path) -> list[str]:
    """Copy into the single page's folder the ``_static`` files it links but lacks.

    Extensions that write their assets only for the ``html`` builder leave the single page
    with links to nothing (an unstyled page prints badly); the HTML build has those files.
    Returns the files copied.
    """
    folder = page.parent
    copied = []
    text = page.read_text(encoding="utf-8")
    refs = set(re.findall(r'(?:href|src)="(_static/[^"?#]+)', text))
    # and what the linked stylesheets load themselves (icon fonts, images)
    for css in [r for r in refs if r.endswith(".css")]:
        for base in (folder, site):
            if (base / css).is_file():
                body = (base / css).read_text(encoding="utf-8", errors="replace")
                for url in re.findall(r"url\(\s*['\"]?([^'\")?#]+)", body):
                    if not url.startswith(("data:", "http:", "https:", "/")):
                        refs.add((Path(css).parent / url).as_posix())
                break
    for ref in sorted(refs):
        ref = os.path.normpath(ref)
        target, source = folder / ref, site / ref
        if not ref.startswith("..") and not target.exists() and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied.append(ref)
    return copied


def entry_page(folder: Path, root_doc: str) -> Path:
    for name in (f"{root_doc}.html", "index.html"):
        if (folder / name).is_file():
            return folder / name
    raise PdfError(f"no {root_doc}.html or index.html in {folder}: build the single page first")


# --------------------------------------------------------------------------- browser

PRINT_CSS = """
@page { size: A4; }
@media print {
  html, body { background: #fff !important; }
  .bd-header, .bd-header-announcement, .bd-sidebar-primary, .bd-sidebar-secondary,
  .header-article, .bd-header-article, .prev-next-area, .prev-next-footer, .bd-footer,
  .bd-footer-article, .bd-footer-content, .search-button-field, .skip-link, #pst-back-to-top,
  .headerlink, .copybtn, button.toggle-button, .toggle-button, .dropdown-toggle,
  details.hide.above-input, details.hide > summary,
  .rw-explorer .rw-controls, input[type="range"], label.sd-tab-label, .theme-switch-button,
  #jb-print-docs-body, .pdf-skip { display: none !important; }
  /* maths typeset at build time: the MathML copy for screen readers stays invisible */
  mjx-assistive-mml { position: absolute !important; clip: rect(1px, 1px, 1px, 1px);
    width: 1px !important; height: 1px !important; overflow: hidden !important; }
  /* the theme hides each page's first h1 in print (it prints its own title block instead) */
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
  .bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container,
  .bd-article, .bd-page-width { max-width: none !important; width: auto !important;
    margin: 0 !important; padding: 0 !important; display: block !important; }
  body { font-size: 10.5pt; }
  /* every chapter, lab and back-matter page starts on a new sheet */
  .pdf-doc-start { break-before: page; }
  figure, img, .cell_output, table, .admonition, pre, mjx-container[display="true"] {
    break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  img { max-width: 100% !important; height: auto; }
  a { color: inherit; text-decoration: none; }
  /* solutions and dropdowns are opened: nobody can click on paper */
  .toggle-hidden, .dropdown .admonition-title ~ *, details.dropdown > *:not(summary) {
    display: block !important; visibility: visible !important; height: auto !important;
    opacity: 1 !important; }
}
#pdf-title-page { padding-top: 60mm; text-align: center; break-after: page; }
#pdf-title-page .pdf-title { font-size: 34pt; font-weight: 700; line-height: 1.2;
  margin: 0 0 6mm; }
#pdf-title-page .pdf-subtitle { font-size: 14pt; font-style: italic; margin: 0 15mm 14mm; }
#pdf-title-page .pdf-author { font-size: 13pt; margin-bottom: 4mm; }
#pdf-title-page .pdf-meta { font-size: 10pt; color: #444; }
#pdf-title-page .pdf-licence { font-size: 9pt; color: #444; margin: 30mm 20mm 0; }
#pdf-toc { break-after: page; }
#pdf-toc h2 { font-size: 20pt; margin-bottom: 4mm; }
#pdf-toc .pdf-toc-part { font-weight: 700; margin: 4mm 0 1mm; }
#pdf-toc ol { list-style: none; padding: 0; margin: 0; }
#pdf-toc li { display: flex; align-items: baseline; margin: 0.6mm 0; }
#pdf-toc li.pdf-level-1 { padding-left: 7mm; font-size: 0.93em; }
#pdf-toc li a { color: inherit; text-decoration: none; }
#pdf-toc li .pdf-dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 2mm; }
#pdf-toc li .pdf-page { min-width: 9mm; text-align: right; }
"""

# Runs in the page: adds the title page and the table of contents, marks where each document
# starts, opens solutions, removes heading link symbols. Returns the TOC entries it made.
PREPARE_JS = r"""
(meta) => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main')
                  || document.body;
  const clean = (el) => {
    const c = el.cloneNode(true);
    c.querySelectorAll('.headerlink, .pdf-skip').forEach((x) => x.remove());
    return c.textContent.replace(/\s+/g, ' ').trim();
  };
  document.querySelectorAll('a.headerlink').forEach((a) => a.remove());
  // Open what is folded: solutions, dropdown admonitions, <details> that are not code inputs.
  document.querySelectorAll('.toggle-hidden').forEach((el) => el.classList.remove('toggle-hidden'));
  document.querySelectorAll('details').forEach((d) => {
    if (!d.classList.contains('above-input') && !d.closest('.tag_hide-input')) d.open = true;
  });
  // Where each document starts: Sphinx's singlehtml writes <span id="document-NAME">.
  const marks = [...document.querySelectorAll('span[id^="document-"], h1, h2, h3, h4, h5, h6')];
  const entries = [];
  meta.parts.forEach((part, p) => {
    part.docs.forEach(([doc, level], i) => {
      let heading = null;
      let anchorId = null;
      if (doc === meta.root) {
        heading = article.querySelector('h1');
      } else {
        const span = document.getElementById('document-' + doc);
        if (!span) return;
        const k = marks.indexOf(span);
        heading = marks.slice(k + 1).find((m) => /^H[1-6]$/.test(m.tagName)) || null;
        const section = span.nextElementSibling || span.parentElement;
        if (section && level === 0) section.classList.add('pdf-doc-start');
      }
      if (!heading) return;
      const section = heading.closest('section');
      anchorId = (section && section.id) || heading.id;
      if (!anchorId) { anchorId = 'pdf-anchor-' + entries.length; heading.id = anchorId; }
      entries.push({doc, level, part: i === 0 ? part.caption : '', title: clean(heading),
                    id: anchorId});
    });
  });
  // The front page's "Contents" heading: the chapters themselves follow it in a single page,
  // and the PDF has its own contents. Hide it when its section holds only the inlined pages.
  const firstDoc = document.querySelector('span[id^="document-"]');
  const wrapper = firstDoc && firstDoc.parentElement.closest('section');
  if (wrapper) {
    const kids = [...wrapper.children];
    const heading = kids.find((k) => /^H[1-6]$/.test(k.tagName));
    if (heading && kids.every((k) => k === heading || k.classList.contains('toctree-wrapper'))) {
      heading.classList.add('pdf-skip');
      // one page break, before the section, so nothing of it is left alone on a page
      wrapper.querySelectorAll('.pdf-doc-start').forEach((el, i) => {
        if (i === 0) el.classList.remove('pdf-doc-start');
      });
      wrapper.classList.add('pdf-doc-start');
    }
  }
  // Title page.
  const title = document.createElement('section');
  title.id = 'pdf-title-page';
  const esc = (s) => s.replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;',
                                                  '"': '&quot;'}[c]));
  title.innerHTML = `<p class="pdf-title">${esc(meta.title)}</p>
    <p class="pdf-subtitle">${esc(meta.subtitle)}</p>
    <p class="pdf-author">${esc(meta.author)}</p>
    <p class="pdf-meta">Version ${esc(meta.version)} &middot; printed ${esc(meta.date)}</p>
    <p class="pdf-licence">${esc(meta.licence)}</p>`;
  // Table of contents (page numbers are filled in after a first printing).
  const toc = document.createElement('nav');
  toc.id = 'pdf-toc';
  toc.setAttribute('aria-label', 'Contents');
  let html = '<h2>Contents</h2>';
  let open = false;
  entries.forEach((e, n) => {
    if (e.part) {
      if (open) html += '</ol>';
      html += `<p class="pdf-toc-part">${esc(e.part)}</p><ol>`;
      open = true;
    } else if (!open) { html += '<ol>'; open = true; }
    html += `<li class="pdf-level-${Math.min(e.level, 1)}">`
          + `<a href="#${esc(e.id)}">${esc(e.title)}</a><span class="pdf-dots"></span>`
          + `<span class="pdf-page" data-entry="${n}">000</span></li>`;
  });
  if (open) html += '</ol>';
  toc.innerHTML = html;
  article.prepend(toc);
  article.prepend(title);
  document.querySelectorAll('.pdf-page').forEach((s) => { s.style.visibility = 'hidden'; });
  document.documentElement.dataset.theme = 'light';
  document.documentElement.dataset.mode = 'light';
  return entries;
}
"""

WAIT_READY_JS = r"""
async (timeoutMs) => {
  const within = (promise) => Promise.race([promise,
    new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  // Maths typeset in the browser (MathJax at read time) or already at build time (SVG).
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await within(MathJax.startup.promise);
    if (MathJax.typesetPromise) await within(MathJax.typesetPromise());
  }
  // Lazy images below the fold would never load in a page that is printed, not scrolled.
  const imgs = [...document.images];
  imgs.forEach((img) => {
    if (img.loading === 'lazy') {
      img.loading = 'eager';
      if (!img.complete) { const src = img.src; img.src = ''; img.src = src; }
    }
  });
  await within(Promise.all(imgs.map((img) => img.complete ? null
    : new Promise((r) => { img.addEventListener('load', r); img.addEventListener('error', r); }))));
  await within(document.fonts.ready);
  const broken = imgs
    .filter((img) => img.getAttribute('src') && img.naturalWidth === 0 && img.offsetParent)
    .map((img) => img.src.slice(0, 80));
  const mathjax = !!window.MathJax || !!document.querySelector('mjx-container svg');
  const typeset = document.querySelectorAll('mjx-container').length;
  const rawMath = [...document.querySelectorAll('.math, div.math, span.math')]
    .filter((el) => !el.querySelector('mjx-container')).length;
  return {mathjax, typeset, rawMath, broken};
}
"""

HEADER = (
    '<div style="font-size:7.5pt;width:100%;padding:0 16mm;color:#666;'
    'font-family:sans-serif;text-align:right;">{title}</div>'
)
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#444;'
    'font-family:sans-serif;"><span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


def find_chromium() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    raise PdfError(
        f"chromium not found at {CHROMIUM}; apt-get install chromium "
        "(or set CHROMIUM to its path). Playwright's own browser download is not used."
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def outline_pages(pdf_bytes: bytes) -> list[tuple[str, int]]:
    """The PDF's bookmarks in order, as (normalised title, 1-based page)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    flat: list[tuple[str, int]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                try:
                    page = reader.get_destination_page_number(item) + 1
                except Exception:  # a bookmark without a page: skip it
                    continue
                flat.append((normalise(item.title), page))

    walk(reader.outline)
    return flat


def normalise(text: str) -> str:
    """Chromium drops the space where a bookmarked heading wraps: compare without spaces."""
    return re.sub(r"\s+", "", text or "").casefold()


def match_pages(entries: list[dict], outline: list[tuple[str, int]]) -> list[int | None]:
    """Page of each TOC entry: the next bookmark with the same title, in reading order."""
    pages: list[int | None] = []
    pos = 0
    for e in entries:
        title = normalise(e["title"])
        found = None
        for k in range(pos, len(outline)):
            # equal, or (a chromium glitch with long wrapped headings) starting alike
            if outline[k][0] == title or (len(title) > 24 and outline[k][0].startswith(title[:-8])):
                found, pos = outline[k][1], k + 1
                break
        pages.append(found)
    return pages


def print_pdf(html_file: Path, output: Path, meta: dict) -> dict:
    """Open the single page in chromium and print it to ``output``; return a summary."""
    chromium = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError(
            "Python playwright is not installed in this environment "
            "(it is in requirements.lock: run `make setup`)"
        ) from exc

    httpd = serve(html_file.parent)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{html_file.name}"
    blocked: list[str] = []
    missing: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    options = dict(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template=HEADER.format(title=html_escape(meta["title"])),
        footer_template=FOOTER,
        prefer_css_page_size=False,
        margin={"top": "16mm", "bottom": "16mm", "left": "16mm", "right": "16mm"},
        outline=True,
        tagged=True,
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS, headless=True
            )
            try:
                context = browser.new_context(
                    color_scheme="light", viewport={"width": 1100, "height": 1500}
                )
                context.route("**/*", route)
                page = context.new_page()
                page.on(
                    "response",
                    lambda r: (
                        missing.append(r.url)
                        if r.status >= 400 and not r.url.endswith("searchindex.js")
                        else None
                    ),
                )
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
                page.add_style_tag(content=PRINT_CSS)
                page.emulate_media(media="print", color_scheme="light")
                entries = page.evaluate(PREPARE_JS, meta)
                ready = page.evaluate(WAIT_READY_JS, 120_000)
                if ready["rawMath"]:
                    raise PdfError(
                        f"{ready['rawMath']} formulas were not typeset by MathJax "
                        f"(MathJax loaded: {ready['mathjax']})"
                    )
                if ready["broken"]:
                    raise PdfError(f"images failed to load: {ready['broken'][:5]}")
                first = page.pdf(**options)
                pages = match_pages(entries, outline_pages(first))
                page.evaluate(
                    """(pages) => document.querySelectorAll('.pdf-page').forEach((s) => {
                    const p = pages[+s.dataset.entry];
                    s.textContent = p == null ? '' : String(p);
                    s.style.visibility = 'visible'; })""",
                    pages,
                )
                output.parent.mkdir(parents=True, exist_ok=True)
                data = page.pdf(**options)
                output.write_bytes(data)
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    no_page = [e["title"] for e, p in zip(entries, pages, strict=True) if p is None]
    return {
        "entries": len(entries),
        "missing_pages": no_page,
        "blocked": blocked,
        "not_found": sorted(set(missing)),
        "typeset": ready["typeset"],
    }


def html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = build_folder_parser(
        __doc__.split("\n\n")[0],
        build_help="the build folder, named _build (default: ./_build)",
        output_help="the PDF to write (default: BUILD/pdf/book.pdf)",
    )
    parser.add_argument(
        "--no-copy", action="store_true", help="do not copy the PDF into BUILD/html/book.pdf"
    )
    parser.add_argument(
        "--skip-build",
        action="store_true",
        help="print the existing BUILD/singlehtml without rebuilding it",
    )
    args = parser.parse_args(argv)
    try:
        build = check_build_dir(Path(args.build))
        find_chromium()  # fail before a long build when the browser is missing
        meta = book_metadata()
        meta["licence"] = (
            "Text and figures: Creative Commons Attribution 4.0 International "
            "(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). "
            "Code: MIT licence. See LICENSE-CONTENT.md and LICENSE."
        )
        folder = build / "singlehtml" if args.skip_build else build_singlehtml(build)
        output = Path(args.output).resolve() if args.output else build / "pdf" / "book.pdf"
        page = entry_page(folder, meta["root"])
        copied = fill_missing_assets(page, build / "html")
        if copied:
            print(f"pdf: copied from the HTML build the assets the single page lacked: {copied}")
        summary = print_pdf(page, output, meta)
    except PdfError as exc:
        print(f"pdf: error: {exc}", file=sys.stderr)
        return 1
    n = page_count(output)
    print(
        f"pdf: wrote {output} ({n} pages, {output.stat().st_size / 1e6:.1f} MB, "
        f"{summary['entries']} contents entries, {summary['typeset']} formulas typeset)"
    )
    if summary["blocked"]:
        print(
            f"pdf: note: blocked {len(summary['blocked'])} requests to other hosts, e.g. "
            f"{summary['blocked'][0]}"
        )
    if summary["not_found"]:
        print(
            f"pdf: warning: {len(summary['not_found'])} files the page links were not found, "
            f"e.g. {summary['not_found'][:3]}"
        )
    if summary["missing_pages"]:
        print(f"pdf: note: no page number found for {summary['missing_pages']}")
    site = build / "html"
    if not args.no_copy:
        if site.is_dir():
            shutil.copy2(output, site / "book.pdf")
            print(f"pdf: copied into the site as {site / 'book.pdf'}")
        else:
            print(f"pdf: {site} does not exist yet; run `make book` to publish the PDF with it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
