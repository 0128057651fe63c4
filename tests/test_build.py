"""The book builds with zero warnings, names the file when it breaks, and uses no CDN."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, jupyter_book_build

pytestmark = pytest.mark.build

ASSET_TAG = re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", re.IGNORECASE)
OUTSIDE = re.compile(r"""\b(?:src|href|srcset)=["'](?:https?:)?//""", re.IGNORECASE)
#: <link> relations that name an address without loading it (the sitemap's canonical URL).
NOT_LOADED = {"canonical", "alternate", "license", "author", "me", "next", "prev"}


def outside_loads(html: str) -> list[str]:
    """Tags that make the browser fetch from another host."""
    found = []
    for tag in ASSET_TAG.findall(html):
        if not OUTSIDE.search(tag):
            continue
        rel = re.search(r"""\brel=["']([^"']+)""", tag, re.IGNORECASE)
        if (
            tag.lower().startswith("<link")
            and rel
            and set(rel.group(1).lower().split()) <= NOT_LOADED
        ):
            continue
        found.append(tag[:120])
    return found


def test_book_builds_without_warnings(book_build):
    log = book_build.stdout + book_build.stderr
    assert book_build.returncode == 0, log[-5000:]
    sphinx_warnings = [line for line in log.splitlines() if "WARNING:" in line]
    assert not sphinx_warnings, sphinx_warnings


def test_built_pages_load_nothing_from_other_hosts(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 5
    offenders = {
        str(p.relative_to(site)): outside_loads(p.read_text(encoding="utf-8")) for p in pages
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"pages load assets from other hosts: {offenders}"


def test_maths_is_typeset_at_build_time(site):
    """MathJax (from npm, under Node.js) draws every formula into the page: no maths script,
    no raw TeX left for the reader's browser."""
    page = (site / "chapters" / "02-spines.html").read_text(encoding="utf-8")
    assert page.count('<mjx-container class="MathJax" jax="SVG"') >= 5
    assert "tex-mml-chtml.js" not in page and "\\(" not in page and "\\frac" not in page


def test_colab_button_only_on_ipynb_pages(site):
    chapter = (site / "chapters" / "02-spines.html").read_text(encoding="utf-8")
    lab = (site / "notebooks" / "lab-spines.html").read_text(encoding="utf-8")
    assert "colab.research.google.com" not in chapter  # Colab cannot open MyST Markdown
    assert "mybinder.org" in chapter
    assert "colab.research.google.com" in lab


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory) -> Path:
    """A tiny copy of the book with one failing cell and one broken cross-reference."""
    book = tmp_path_factory.mktemp("broken-book")
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    for folder in ("_static", "_templates", "_vendor"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, book / folder)
    (book / "intro.md").write_text("# Intro\n\n```{tableofcontents}\n```\n")
    header = textwrap.dedent("""\
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---
        """)
    (book / "failing_cell.md").write_text(
        header + "# Failing\n\n```{code-cell} ipython3\n1 / 0\n```\n"
    )
    (book / "broken_xref.md").write_text("# Broken\n\nSee {ref}`no-such-label`.\n")
    # What make check no longer checks, because the build does (booktools.check), and a quiz
    # file with an option index out of range.
    (book / "unknown_keys.md").write_text(
        "# Unknown\n\nAs {cite:p}`nobody1999` said, {term}`flux capacitor`.\n\n"
        "```{quiz} 99-broken\n```\n"
    )
    quizzes = book / "chapters" / "_data" / "quizzes"
    quizzes.mkdir(parents=True)
    (quizzes / "99-broken.yml").write_text(
        "questions:\n  - prompt: Which?\n    options: [a, b]\n    answer: 2\n"
        "    explain: No.\n    section: Unknown\n"
    )
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: failing_cell\n- file: broken_xref\n"
        "- file: unknown_keys\n"
    )
    return book


def test_failing_cell_and_broken_reference_fail_the_build_naming_the_files(broken_book):
    result = jupyter_book_build(broken_book, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "failing_cell" in log and "ZeroDivisionError" in log
    assert "broken_xref" in log and "no-such-label" in log
    assert "unknown_keys" in log and "nobody1999" in log  # unknown citation key
    assert "flux capacitor" in log  # unknown glossary term
    assert "chapters/_data/quizzes/99-broken.yml: question 1" in log
    assert "'answer' 2 is out of range" in log


def test_chapter_blocks_render_as_blocks(site):
    """Catches fences that close early (a code block inside a 3-backtick solution swallows
    what follows): the rendered page must hold each block as an element, not as text."""
    from booktools.check import chapter_files

    for rel in chapter_files():
        page = site / Path(rel).with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        for title in ("Learning objectives", "Key takeaways", "Questions on the explorer"):
            assert re.search(rf'class="admonition-title">\s*{title}', html), (rel, title)
        assert html.count('class="admonition-title">') >= 4, rel
        assert len(re.findall(r'class="[^"]*exercise[^"]*admonition', html)) >= 2, rel
        assert len(re.findall(r'class="[^"]*solution[^"]*admonition', html)) >= 2, rel
        assert "```" not in html, f"{rel}: a raw code fence leaked into the page"
