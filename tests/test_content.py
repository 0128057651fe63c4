"""The book's content rules (``make check``): chapter structure, bibliography, glossary size,
notebooks, toc, quizzes; and the contributor tooling around them (pre-commit).

The checks live in ``booktools.check`` and the modules its ``RULES`` name; each problem names
the file. Unknown citation keys and glossary terms are not checked there: the build (``-W
-n``) fails on them, which ``tests/test_build.py`` covers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from booktools import check
from conftest import ROOT

CHAPTERS = check.chapter_files()


def test_every_rule_loads_and_the_book_passes_them_all():
    assert check.RULES and len(set(check.RULES)) == len(check.RULES)
    for spec in check.RULES:
        assert callable(check.load_rule(spec)), spec
    assert check.all_problems() == []


def test_a_rule_that_cannot_be_loaded_is_named():
    with pytest.raises(ValueError, match="cannot load rule 'booktools.nowhere:rule'"):
        check.load_rule("booktools.nowhere:rule")


def test_toc_lists_every_page():
    assert check.check_toc() == []


def test_book_has_the_eleven_outline_chapters():
    assert [Path(c).name[:2] for c in CHAPTERS] == [f"{i:02d}" for i in range(1, 12)]


@pytest.mark.parametrize("rel", CHAPTERS)
def test_chapter_has_objectives_explorer_exercises_quiz_takeaways_and_citations(rel):
    assert check.check_chapter(rel) == []


def test_every_bibliography_entry_is_complete_and_cited():
    assert check.check_citations() == []


def test_glossary_has_enough_terms():
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


def test_bibliography_is_read_with_pybtex_including_braced_names():
    bib = check.parse_bib(ROOT / "references.bib")
    assert "shao2021" in bib
    assert bib["shao2021"].fields["doi"] == "10.1016/j.neuron.2021.06.008"
    assert bib["shao2021"].fields["author"].startswith("Shao, Ling-Xiao and Liao, Clara")
    assert bib["shao2021"].fields["year"] == "2021"


def test_checker_names_incomplete_and_uncited_entries(mini_book):
    bib = mini_book / "references.bib"
    bib.write_text(
        bib.read_text() + "\n@article{nobody1999,\n  author = {Nobody, A.},\n  title = {Nothing},\n"
        "  year = {1999},\n  doi = {not-a-doi}\n}\n"
    )
    problems = check.check_citations(mini_book)
    assert "references.bib: entry 'nobody1999' has no journal" in problems
    assert "references.bib: entry 'nobody1999' has a malformed DOI 'not-a-doi'" in problems
    assert "references.bib: entry 'nobody1999' is never cited in the book" in problems


def test_checker_names_a_bibliography_pybtex_cannot_read(mini_book):
    bib = mini_book / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{shao2021,\n  title = {Twice}\n}\n")
    (problem,) = check.check_citations(mini_book)
    assert problem.startswith("references.bib: cannot be parsed by pybtex")
    assert "shao2021" in problem


def test_checker_names_malformed_chapter(mini_book):
    page = mini_book / "chapters" / "02-spines.md"
    text = page.read_text()
    text = text.replace("```{admonition} Key takeaways", "```{admonition} Summary")
    text = text.replace("```{quiz} 02-spines\n```\n", "")
    label = "ex-spines-steady"
    start = text.index(f"```{{solution}} {label}")
    text = text[:start] + text[start:].replace(":class: dropdown\n", "\n", 1)
    page.write_text(text)
    problems = check.check_chapter("chapters/02-spines.md", mini_book)
    assert "chapters/02-spines.md: missing the 'Key takeaways' admonition" in problems
    assert (
        f"chapters/02-spines.md: the solution of {label} is not hidden (add ':class: dropdown')"
    ) in problems
    assert any(p.startswith("chapters/02-spines.md: has no self-check quiz") for p in problems)


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


def test_checker_names_a_page_missing_from_the_toc_but_not_data_or_templates(mini_book):
    (mini_book / "chapters" / "12-orphan.md").write_text("# Orphan\n")
    (mini_book / "chapters" / "_data" / "notes.md").write_text("# Data, not a page\n")
    problems = check.check_toc(mini_book)
    assert problems == [
        "chapters/12-orphan.md is not in _toc.yml (add it, or the book will not show it)"
    ]


def test_checker_names_a_small_glossary(mini_book):
    problems = check.check_glossary(mini_book, minimum=10_000)
    assert len(problems) == 1 and problems[0].startswith("chapters/glossary.md: ")


# -- pre-commit: the hooks run from .venv and catch what make lint and make check catch -----
def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_hooks_format_python_strip_outputs_and_run_the_book_check(mini_book):
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed in this environment (make setup installs it)")
    repo = mini_book
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    shutil.copy(ROOT / "pyproject.toml", repo)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (repo / "ugly.py").write_text("x=[1,\n  2]\n")
    import nbformat

    lab = repo / "notebooks" / "lab-spines.ipynb"
    nb = nbformat.read(lab, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").outputs = [
        nbformat.v4.new_output("stream", text="hello")
    ]
    nbformat.write(nb, lab)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    env.pop("BOOK_ROOT", None)

    def run_hooks() -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(pre_commit), "run", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    run = run_hooks()
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert (repo / "ugly.py").read_text() == "x = [1, 2]\n"  # ruff format fixed it
    assert nbformat.read(lab, as_version=4) == nbformat.read(
        ROOT / "notebooks" / "lab-spines.ipynb", as_version=4
    )  # nbstripout restored the committed, clean lab
    assert "make check" in out
    # Everything fixed: a second run passes every hook.
    _git(repo, "add", "-A")
    again = run_hooks()
    assert again.returncode == 0, again.stdout + again.stderr
