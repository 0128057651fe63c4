"""The book's content rules: chapter structure, citations, glossary, notebooks, toc.

The checks live in ``booktools.check`` (also ``make check``); each problem names the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from booktools import check
from conftest import ROOT

CHAPTERS = check.chapter_files()


def test_toc_lists_every_page_and_only_existing_files():
    assert check.check_toc() == []


def test_book_has_the_outline_chapters():
    assert len(CHAPTERS) >= 1


@pytest.mark.parametrize("rel", CHAPTERS)
def test_chapter_has_objectives_explorer_exercises_takeaways_and_citations(rel):
    assert check.check_chapter(rel) == []


def test_every_citation_exists_and_every_entry_has_doi_and_is_cited():
    assert check.check_citations() == []


def test_glossary_has_enough_terms_and_every_term_link_resolves():
    assert check.check_glossary() == []


def test_notebooks_have_no_outputs_and_an_install_cell():
    assert check.check_notebooks() == []


# -- the checker itself catches what contributors get wrong --------------------------------
@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    for name in ("_toc.yml", "_config.yml", "pyproject.toml", "references.bib"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copy(ROOT / "intro.md", tmp_path / "intro.md")
    return tmp_path


def test_checker_names_missing_citation_key(mini_book):
    page = mini_book / "chapters" / "02-spines.md"
    page.write_text(page.read_text().replace("{cite:p}`holtmaat2005`", "{cite:p}`nobody1999`", 1))
    problems = check.check_citations(mini_book, require_all_cited=False)
    assert "chapters/02-spines.md: cites 'nobody1999', which is not in references.bib" in problems


def test_checker_names_malformed_chapter(mini_book):
    page = mini_book / "chapters" / "02-spines.md"
    text = page.read_text()
    text = text.replace("```{admonition} Key takeaways", "```{admonition} Summary")
    text = text.replace(":class: dropdown\n\n1. $D^*", "\n1. $D^*")
    page.write_text(text)
    problems = check.check_chapter("chapters/02-spines.md", mini_book)
    assert "chapters/02-spines.md: missing the 'Key takeaways' admonition" in problems
    assert (
        "chapters/02-spines.md: the solution of ex-spines-steady is not hidden "
        "(add ':class: dropdown')"
    ) in problems


def test_checker_names_committed_outputs(mini_book):
    import nbformat

    path = mini_book / "notebooks" / "lab-spines.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="hello")]
    nbformat.write(nb, path)
    problems = check.check_notebooks(mini_book)
    assert any(
        p.startswith("notebooks/lab-spines.ipynb: cell") and "outputs" in p for p in problems
    )


def test_checker_names_unknown_glossary_term(mini_book):
    page = mini_book / "chapters" / "02-spines.md"
    page.write_text(page.read_text() + "\nSee {term}`flux capacitor`.\n")
    problems = check.check_glossary(mini_book, minimum=1)
    assert "chapters/02-spines.md: {term}`flux capacitor` is not in the glossary" in problems
