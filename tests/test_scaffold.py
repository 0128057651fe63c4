"""``make new-chapter``: the scaffold passes ``make check`` at once, in a copy of the book.

The copy leaves out _build, .venv, node_modules and _vendor; the scaffold and the checker run
there as a contributor would run them. (A full build of the scaffold is not run here: the
build test covers the template's content through the chapters, and building a second book
would double the suite's time.)
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT

SKIP = {
    "_build",
    ".venv",
    "node_modules",
    "_vendor",
    ".git",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
    return copy


def run(book: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BOOK_ROOT"}
    return subprocess.run(
        [sys.executable, *args], cwd=book, capture_output=True, text=True, env=env, timeout=300
    )


def scaffold(book: Path, name: str = "sleep-spines", title: str = "Sleep and spines"):
    return run(book, "scripts/new_chapter.py", "--name", name, "--title", title)


def test_new_chapter_passes_make_check_at_once(book):
    before = len(list((book / "chapters").glob("[0-9][0-9]-*.md")))
    stem = f"{before + 1:02d}-sleep-spines"
    done = scaffold(book)
    assert done.returncode == 0, done.stderr
    for rel in (
        f"chapters/{stem}.md",
        "notebooks/lab-sleep-spines.ipynb",
        f"chapters/instructor/{stem}.md",
        f"chapters/_data/quizzes/{stem}.yml",
    ):
        assert (book / rel).is_file(), rel
        assert f"wrote {rel}" in done.stdout
    checked = run(book, "-m", "booktools.check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "book check: no problems" in checked.stdout
    # The chapter carries the title, its own labels, its lab and its quiz.
    text = (book / f"chapters/{stem}.md").read_text()
    assert "(ch-sleep-spines)=\n# Sleep and spines\n" in text
    assert f"```{{quiz}} {stem}\n" in text
    assert "{doc}`../notebooks/lab-sleep-spines`" in text
    assert "your-topic" not in text


def test_toc_gets_chapter_lab_and_lesson_plan_and_keeps_the_rest(book):
    original = (book / "_toc.yml").read_text()
    assert scaffold(book).returncode == 0
    toc = (book / "_toc.yml").read_text()
    added = [line for line in toc.splitlines() if line not in original.splitlines()]
    stem = next(p.stem for p in (book / "chapters").glob("[0-9][0-9]-sleep-spines.md"))
    assert [a.strip() for a in added] == [
        f"- file: chapters/{stem}",
        "- file: notebooks/lab-sleep-spines",
        f"- file: chapters/instructor/{stem}",
    ]
    assert toc.startswith(original.splitlines()[0])  # comments and order kept
    files = yaml.safe_load(toc)  # still valid YAML
    assert files["root"] == "intro"
    lines = toc.splitlines()
    at = lines.index(f"      - file: chapters/{stem}")
    assert lines[at + 1] == "      - file: notebooks/lab-sleep-spines"  # the lab follows


def _run_cells(nb) -> str:
    out = io.StringIO()
    scope: dict = {}
    with contextlib.redirect_stdout(out):
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code" and "remove-cell" not in tags:
                exec(compile(cell.source, "<lab>", "exec"), scope)
    return out.getvalue()


def test_scaffolded_lab_works_in_both_editions(book):
    from booktools import editions

    assert scaffold(book).returncode == 0
    nb = nbformat.read(book / "notebooks/lab-sleep-spines.ipynb", as_version=4)
    (exercise,) = editions.exercises(nb, "notebooks/lab-sleep-spines.ipynb")
    assert "Hint:" in exercise.hint
    instructor = _run_cells(editions.edition(nb, "instructor"))
    student = _run_cells(editions.edition(nb, "student"))
    assert "correct!" in instructor
    assert "Not done yet:" in student and "Hint:" in student


def test_existing_name_is_refused_naming_the_file_and_writes_nothing(book):
    assert scaffold(book).returncode == 0
    toc = (book / "_toc.yml").read_text()
    again = scaffold(book, title="Another title")
    assert again.returncode == 2
    assert "NAME='sleep-spines' already exists: chapters/" in again.stderr
    assert "sleep-spines.md" in again.stderr
    assert (book / "_toc.yml").read_text() == toc
    taken = scaffold(book, name="spines", title="Spines again")
    assert taken.returncode == 2
    assert "chapters/02-spines.md" in taken.stderr


@pytest.mark.parametrize(
    "name,title,message",
    [
        ("", "A title", "NAME is missing"),
        ("sleep", "", "TITLE is missing"),
        ("Sleep Spines", "A title", "NAME='Sleep Spines' must be lower-case words"),
    ],
)
def test_bad_arguments_get_a_clear_error(book, name, title, message):
    done = scaffold(book, name=name, title=title)
    assert done.returncode == 2
    assert message in done.stderr
    assert not list((book / "chapters").glob("*-sleep*.md"))
