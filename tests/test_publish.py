"""Publishing: the offline PDF, the zipped site, and the files that let others reuse and cite.

The PDF and zip tests reuse the session's book build (``site`` in conftest.py) and its
execution cache, so printing the PDF executes no notebook again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import BUILD, ROOT, PageProbe, require_chromium, serve_folder

SCRIPTS = ROOT / "scripts"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RAW_TEX = ("\\frac", "$$", "\\begin{", "\\mathrm", "\\left(", "\\dfrac")


# --------------------------------------------------------------------------- helpers


def toc_docnames(toc: dict = TOC) -> list[str]:
    """Every document in _toc.yml, root first, in reading order."""
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return names


def _markdown_lines(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return [
            line
            for cell in nb["cells"]
            if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines()
        ]
    return path.read_text(encoding="utf-8").splitlines()


def first_heading(path: Path) -> str:
    """The first level-1 Markdown heading outside code fences, directives and front matter."""
    lines = _markdown_lines(path)
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1 :]
    fence: str | None = None
    for line in lines:
        stripped = line.strip()
        m = re.match(r"^(`{3,}|~{3,}|:{3,})", stripped)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = None
            continue
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{path}: no '# ' heading")


def chapter_titles() -> dict[str, str]:
    titles = {}
    for doc in toc_docnames():
        path = next(
            (ROOT / f"{doc}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{doc}{ext}").exists()),
            None,
        )
        assert path is not None, f"{doc} is in _toc.yml but has no .md or .ipynb file"
        titles[doc] = first_heading(path)
    return titles


def plain(text: str) -> str:
    """Compare text as a reader sees it: no Markdown, ligatures unfolded, straight quotes,
    and no whitespace (PDF text extraction breaks lines anywhere)."""
    text = re.sub(r"\{[\w:-]+\}`([^`<]*)(?:<[^>]*>)?`", r"\1", text)  # {role}`text <target>`
    text = re.sub(r"[*_`]", "", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(
        str.maketrans(
            {
                "\u2019": "'",
                "\u2018": "'",
                "\u201c": '"',
                "\u201d": '"',
                "\u2013": "-",
                "\u2014": "-",
                "\u00a0": " ",
            }
        )
    )
    return re.sub(r"\s+", "", text).casefold()


def run_script(
    name: str, *args: str, env: dict | None = None, timeout: float = 1200
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


# --------------------------------------------------------------------------- the PDF


@pytest.fixture(scope="module")
def pdf(site) -> Path:
    """``scripts/pdf.py`` on the session's build: BUILD/pdf/book.pdf (and the site's copy)."""
    require_chromium()
    result = run_script("pdf.py", str(BUILD))
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    out = BUILD / "pdf" / "book.pdf"
    assert out.is_file(), result.stdout
    return out


@pytest.fixture(scope="module")
def pdf_reader(pdf):
    from pypdf import PdfReader

    return PdfReader(str(pdf))


@pytest.fixture(scope="module")
def pdf_pages(pdf_reader) -> list[str]:
    return [page.extract_text() or "" for page in pdf_reader.pages]


@pytest.fixture(scope="module")
def body_start(pdf_reader) -> int:
    """0-based page where the book's front page begins (after the title page and contents)."""
    root_title = plain(CONFIG["title"])
    for item in pdf_reader.outline:
        if not isinstance(item, list) and plain(item.title) == root_title:
            return pdf_reader.get_destination_page_number(item)
    raise AssertionError("no bookmark for the front page in the PDF outline")


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_pdf_is_written_and_published_with_the_site(pdf, pdf_reader, capsys):
    pages = len(pdf_reader.pages)
    size = pdf.stat().st_size
    with capsys.disabled():
        print(f"\n[publish] book.pdf: {pages} pages, {size / 1e6:.1f} MB")
    assert pages >= 50
    assert (BUILD / "html" / "book.pdf").read_bytes() == pdf.read_bytes()
    assert size < 60e6, "the PDF is unexpectedly large"


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_pdf_has_title_page_contents_and_page_numbers(pdf_pages, body_start):
    n = len(pdf_pages)
    title_page = plain(pdf_pages[0])
    assert plain(CONFIG["title"]) in title_page
    assert plain(CONFIG["author"]) in title_page
    assert "ccby4.0" in title_page and "mit" in title_page
    contents = plain(" ".join(pdf_pages[1:body_start]))
    assert "contents" in contents
    # every contents entry ends with its page number: "Glossary ..... 187"
    assert re.search(r"glossary\d+", contents), contents[-400:]
    # ... and the page it names is where that heading is
    entries = [
        m.groups()
        for page in pdf_pages[1:body_start]
        for m in re.finditer(r"^(\S.*?\S)\s+(\d+)\s*$", page, re.MULTILINE)
        if not re.fullmatch(r"\d+ / \d+", m.group(0).strip())
    ]
    assert len(entries) >= len(toc_docnames()) - 2, entries
    wrong = [
        (title, page)
        for title, page in entries
        if plain(title) not in plain(pdf_pages[int(page) - 1])
    ]
    assert not wrong, f"contents entries that point to the wrong page: {wrong}"
    for k in (1, body_start + 1, n // 2, n):
        assert re.search(rf"\b{k}\s*/\s*{n}\b", pdf_pages[k - 1]), (
            f"page {k} has no '{k} / {n}' footer: {pdf_pages[k - 1][-200:]!r}"
        )


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_pdf_contains_every_chapter_title(pdf_pages, body_start):
    body = plain("\n".join(pdf_pages[body_start:]))
    missing = {doc: title for doc, title in chapter_titles().items() if plain(title) not in body}
    assert not missing, f"chapter titles missing from the PDF's pages: {missing}"


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_pdf_math_is_typeset_not_raw_tex(pdf_pages):
    text = "\n".join(pdf_pages)
    found = {tex: text.count(tex) for tex in RAW_TEX if tex in text}
    assert not found, f"raw TeX left in the PDF: {found}"


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_pdf_prints_each_explorer_frame_and_the_references(pdf_reader, pdf_pages):
    single = (BUILD / "singlehtml" / f"{TOC['root']}.html").read_text(encoding="utf-8")
    explorers = single.count('class="rw-explorer"')
    assert explorers >= 5, "the single-page build shows no explorer frames"
    images = sum(len(page.images) for page in pdf_reader.pages)
    assert images >= explorers, f"{images} images in the PDF for {explorers} explorers"
    last = plain("\n".join(pdf_pages[-15:]))
    assert "references" in last
    assert "doi:10." in last  # the bibliography itself, not just the heading


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_print_shows_default_frames_and_hides_sliders(pdf, browser):
    """The page that was printed, in print media: every explorer shows its frame, no slider."""
    with serve_folder(BUILD / "singlehtml") as base:
        state, probe = _print_state(browser, f"{base}/{TOC['root']}.html")
    assert state, "no explorers on the single page"
    assert all(s["img"] for s in state), "an explorer prints without its default frame"
    assert all(s["controls"] for s in state), "slider controls would be printed"
    assert probe.external == []


def _print_state(browser, url: str):
    """Each explorer's state in print media: default frame shown? controls hidden?"""
    with PageProbe(browser) as probe:
        page = probe.goto(url)
        page.emulate_media(media="print")
        # as scripts/pdf.py does: lazy frames load although the page is not scrolled
        page.evaluate("""() => Promise.race([new Promise((r) => setTimeout(r, 60000)),
            Promise.all([...document.querySelectorAll('.rw-explorer img')].map((img) => {
                img.loading = 'eager';
                return img.complete && img.naturalWidth ? null : new Promise((r) => {
                    img.addEventListener('load', r); img.addEventListener('error', r);
                    const src = img.src; img.src = ''; img.src = src; });
            }))])""")
        state = page.evaluate("""() => [...document.querySelectorAll('.rw-explorer')].map((f) => {
            const img = f.querySelector('img');
            const controls = f.querySelector('.rw-controls');
            return {img: !!img && img.naturalWidth > 0 && getComputedStyle(img).display !== 'none',
                    controls: !controls || getComputedStyle(controls).display === 'none'};
        })""")
    return state, probe


# --------------------------------------------------------------------------- the zip


@pytest.fixture(scope="module")
def dist_zip(site, pdf) -> Path:
    result = run_script("dist.py", str(BUILD), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = BUILD / "dist" / "rewiring-book-site.zip"
    assert out.is_file()
    return out


@pytest.mark.slow
@pytest.mark.build
@pytest.mark.browser
def test_dist_zip_serves_the_book_with_no_outside_requests(dist_zip, browser, tmp_path, capsys):
    with capsys.disabled():
        print(f"\n[publish] rewiring-book-site.zip: {dist_zip.stat().st_size / 1e6:.1f} MB")
    with zipfile.ZipFile(dist_zip) as zf:
        names = zf.namelist()
        assert all(n.startswith("rewiring-book-site/") for n in names)
        for needed in (
            "index.html",
            "intro.html",
            "book.pdf",
            "mathjax/tex-mml-chtml.js",
            "chapters/02-spines.html",
        ):
            assert f"rewiring-book-site/{needed}" in names, needed
        assert not any(n.endswith(".buildinfo") for n in names)
        zf.extractall(tmp_path)
    with (
        serve_folder(tmp_path / "rewiring-book-site") as base,
        PageProbe(browser) as probe,
    ):
        page = probe.goto(f"{base}/chapters/02-spines.html")
        page.wait_for_function(
            "() => document.querySelector('mjx-container') !== null", timeout=60_000
        )
        title = page.title()
        frames = page.locator(".rw-explorer img").count()
        front = probe.goto(f"{base}/intro.html")
        pdf_link = front.locator('a[href="book.pdf"]')
        assert pdf_link.count() == 1
        response = front.request.get(f"{base}/book.pdf")
        assert response.ok and response.body()[:5] == b"%PDF-"
    assert "Spines" in title
    assert frames >= 1
    assert probe.external == [], f"requests left localhost: {probe.external[:5]}"


def test_dist_reports_a_missing_site_clearly(tmp_path):
    result = run_script("dist.py", str(tmp_path / "_build"))
    assert result.returncode == 1
    assert "run `make book` first" in result.stderr


def test_pdf_reports_a_missing_chromium_clearly(tmp_path):
    result = run_script(
        "pdf.py", str(tmp_path / "_build"), env={"CHROMIUM": str(tmp_path / "no-chromium")}
    )
    assert result.returncode == 1
    assert (
        f"chromium not found at {tmp_path / 'no-chromium'}; apt-get install chromium"
        in result.stderr
    )


def test_makefile_has_pdf_and_dist_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split()
    assert {"pdf", "dist"} <= set(phony)
    assert re.search(r"^pdf: .*\n\t\$\(PY\) scripts/pdf\.py _build$", text, re.MULTILINE)
    assert re.search(r"^dist: .*\n\t\$\(PY\) scripts/dist\.py _build$", text, re.MULTILINE)
    assert "make pdf" in text and "make dist" in text  # in the help text


# --------------------------------------------------------------------------- reuse and trust


def test_licences_for_code_and_content():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert code.startswith("MIT License")
    assert "The Rewiring Book contributors" in code
    assert PYPROJECT["project"]["license"] == {"text": "MIT"}
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content
    assert "https://creativecommons.org/licenses/by/4.0/" in content


def test_footer_names_both_licences():
    footer = CONFIG["html"]["extra_footer"]
    assert "MIT" in footer and "LICENSE" in footer
    assert "CC BY 4.0" in footer and "creativecommons.org/licenses/by/4.0/" in footer


@pytest.mark.build
def test_built_pages_show_the_licence_footer_and_link_the_pdf(site):
    front = (site / "intro.html").read_text(encoding="utf-8")
    chapter = (site / "chapters" / "02-spines.html").read_text(encoding="utf-8")
    for page in (front, chapter):
        assert "creativecommons.org/licenses/by/4.0/" in page
        assert "opensource.org/license/mit" in page
    assert 'href="book.pdf"' in front


def test_citation_file_matches_the_project():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == PYPROJECT["project"]["version"]
    assert cff["repository-code"] == CONFIG["repository"]["url"], (
        "CITATION.cff repository-code must equal repository.url in _config.yml"
    )
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    assert cff["authors"] and cff["title"].startswith(CONFIG["title"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))


def _cffconvert(path: Path) -> subprocess.CompletedProcess:
    """cffconvert 2.0.0 (the Citation File Format's own validator), run by uv from PyPI."""
    python = shutil.which("python3") or sys.executable
    probe = subprocess.run([python, "-m", "uv", "--version"], capture_output=True)
    if probe.returncode != 0:
        message = "uv is not importable from python3 (make setup installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(
        [
            python,
            "-m",
            "uv",
            "tool",
            "run",
            "--from",
            "cffconvert==2.0.0",
            "cffconvert",
            "--validate",
            "-i",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_citation_file_is_valid_cff(tmp_path):
    result = _cffconvert(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout
    broken = tmp_path / "CITATION.cff"
    broken.write_text(
        (ROOT / "CITATION.cff")
        .read_text(encoding="utf-8")
        .replace("cff-version: 1.2.0", "cff-version: 1.2.0\ndoi: not-a-doi")
    )
    assert _cffconvert(broken).returncode != 0, "the validator accepted an invalid DOI"


def test_code_of_conduct_points_to_the_issues():
    text = (ROOT / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    assert text.startswith("# Code of conduct")
    assert "Issues" in text and "Contributor Covenant" in text


ISSUE_DIR = ROOT / ".github" / "ISSUE_TEMPLATE"


def _form(name: str) -> dict:
    return yaml.safe_load((ISSUE_DIR / name).read_text(encoding="utf-8"))


def test_science_error_form_asks_for_page_claim_source_and_fix():
    form = _form("science-error.yml")
    assert form["name"] and form["description"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for needed in ("page", "claim", "source", "correction"):
        assert needed in fields, needed
        assert fields[needed]["validations"]["required"] is True
    ids = [item.get("id") for item in form["body"] if item.get("id")]
    assert len(ids) == len(set(ids))


def test_chapter_proposal_form_and_template_config():
    form = _form("propose-chapter.yml")
    assert {"title", "objectives", "sources"} <= {i.get("id") for i in form["body"]}
    config = _form("config.yml")
    for link in config["contact_links"]:
        assert link["url"].startswith(CONFIG["repository"]["url"] + "/"), link["url"]


def test_pull_request_template_has_the_contributor_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+(?:\n {6}.+)*)", text, re.MULTILINE)
    joined = " ".join(items)
    for needed in (
        "references.bib",
        "make check",
        "make book",
        "no warnings",
        "without outputs",
        "make test",
    ):
        assert needed in joined, needed


def test_gitignore_covers_packaging_leftovers():
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "build/lib/x.py", "dist/rewiring_book-0.1.0.tar.gz"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    ignored = result.stdout.split()
    assert ignored == ["build/lib/x.py", "dist/rewiring_book-0.1.0.tar.gz"], result
