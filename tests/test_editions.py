"""The student edition: a site and notebooks with no solutions, no answers, no instructor guide.

``make book EDITION=student`` builds a copy of the book written by
``booktools.editions.write_student_tree``. The slow test here builds it the same way (reusing
the public build's execution cache) and searches every file of it for the text of every
solution in the source: lab solution cells, chapter ``{solution}`` blocks and ``Answers``
dropdowns, and the instructor pages.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from booktools import editions
from conftest import BUILD, OUTPUT, ROOT, jupyter_book_build

STUDENT_SRC = OUTPUT / "_build" / "student-src"
STUDENT = OUTPUT / "_build" / "student"  # jupyter-book --path-output: site in _build/html
SHINGLE = 6  # words in a row that count as the same text


# --- finding text ------------------------------------------------------------------------------

_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
_BASE64 = re.compile(r"[A-Za-z0-9+/=]{120,}")


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _BASE64.sub(" ", text).lower())


def _source_words(text: str) -> list[str]:
    """Words of MyST source as a reader sees them (roles and maths render differently)."""
    return _words(_MATH.sub(" | ", _ROLE.sub(" | ", text)))


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _html_text(text: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _notebook_text(text: str) -> str:
    nb = json.loads(text)
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def file_shingles(folder: Path) -> set[tuple[str, ...]]:
    """Every run of SHINGLE words in the text files under ``folder`` (MathJax left out)."""
    found: set[tuple[str, ...]] = set()
    for path in folder.rglob("*"):
        if not path.is_file() or "mathjax" in path.parts or "node_modules" in path.parts:
            continue
        suffix = path.suffix.lower()
        if suffix not in {".html", ".js", ".ipynb", ".md", ".txt", ".json", ".yml", ".py"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".html":
            text = _html_text(text)
        elif suffix == ".ipynb":
            text = _notebook_text(text)
        found |= shingles(_words(text))
    return found


def public_non_answer_shingles() -> set[tuple[str, ...]]:
    """Shingles of everything in the source that is *not* an answer (shared, not leaked)."""
    found: set[tuple[str, ...]] = set()
    pages = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]
    for page in pages:
        text = editions.strip_answers(page.read_text(encoding="utf-8"), page)
        found |= shingles(_source_words(text)) | shingles(_words(text))
    for lab in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(lab, as_version=4)
        for cell in editions.edition(nb, "student", lab).cells:
            found |= shingles(_source_words(cell.source)) | shingles(_words(cell.source))
    src = [*(ROOT / "src").rglob("*.py"), *(ROOT / "src").rglob("*.json")]  # code, diagram texts
    for path in [*(ROOT / "chapters").rglob("*.yml"), *src]:
        found |= shingles(_words(path.read_text(encoding="utf-8")))
    return found


def distinctive(solutions: dict[str, str]) -> dict[str, set[tuple[str, ...]]]:
    """For each solution, its word runs that appear nowhere outside the answers."""
    shared = public_non_answer_shingles()
    return {
        where: (shingles(_source_words(text)) | shingles(_words(text))) - shared
        for where, text in solutions.items()
    }


# --- the student tree (fast) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return editions.write_student_tree(tmp_path_factory.mktemp("edition") / "src", ROOT)


def _toc_files(node) -> list[str]:
    if isinstance(node, dict):
        return ([node["file"]] if "file" in node else []) + [
            f for v in node.values() for f in _toc_files(v)
        ]
    if isinstance(node, list):
        return [f for n in node for f in _toc_files(n)]
    return []


def test_student_tree_has_no_instructor_guide(tree):
    files = _toc_files(yaml.safe_load((tree / "_toc.yml").read_text(encoding="utf-8")))
    assert "chapters/01-introduction" in files and "notebooks/lab-spines" in files
    assert not [f for f in files if "instructor" in f], files
    assert not (tree / "chapters" / "instructor").exists()
    assert not (tree / "chapters" / "instructor-guide.md").exists()


def test_student_tree_has_no_buttons_that_open_the_solutions(tree):
    """Colab, Binder and edit links open the repository's files, which hold the solutions."""
    config = yaml.safe_load((tree / "_config.yml").read_text(encoding="utf-8"))
    public = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert public["launch_buttons"]["colab_url"], "the public edition keeps its Colab button"
    assert not config["launch_buttons"]["colab_url"]
    assert not config["launch_buttons"]["binderhub_url"]
    assert config["html"]["use_edit_page_button"] is False
    assert config["sphinx"] == public["sphinx"] and config["title"] == public["title"]


def test_student_tree_keeps_exercises_but_drops_their_solutions(tree):
    for page in sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md")):
        source = page.read_text(encoding="utf-8")
        student = (tree / "chapters" / page.name).read_text(encoding="utf-8")
        assert source.count("{exercise}") == student.count("{exercise}") > 0, page.name
        assert "{solution}" not in student, f"{page.name}: a solution block is left"
        assert not re.search(r"\{admonition\}\s*Answer", student), f"{page.name}: Answers left"
        assert not editions.answer_texts(student)
    for lab in sorted((tree / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(lab, as_version=4)
        tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
        assert "solution" not in tags and "stub" in tags, lab.name


def test_strip_answers_handles_nested_fences_and_names_a_broken_page():
    text = (
        "Intro\n\n````{solution} ex-a\n:class: dropdown\n\n```python\nx = 1\n```\n````\n\n"
        "```{admonition} Answers\n:class: dropdown\n1. yes\n```\n\n"
        "```{admonition} Key takeaways\n- kept\n```\n"
    )
    out = editions.strip_answers(text, "page.md")
    assert "x = 1" not in out and "1. yes" not in out
    assert "Intro" in out and "- kept" in out
    assert editions.answer_texts(text) == [
        ":class: dropdown\n\n```python\nx = 1\n```",
        ":class: dropdown\n1. yes",
    ]
    with pytest.raises(editions.EditionError, match=r"chapters/x\.md, line 1: .*never closed"):
        editions.strip_answers("```{solution} ex-a\nno end\n", "chapters/x.md")


def test_student_tree_refuses_to_overwrite_the_book():
    with pytest.raises(editions.EditionError, match="must be outside"):
        editions.write_student_tree(ROOT, ROOT)


def test_every_solution_can_be_recognised():
    """The leak test below is only as good as this: every answer has its own word runs."""
    solutions = editions.solution_texts(ROOT)
    labs = [k for k in solutions if k.startswith("lab-")]
    assert len(labs) >= 11, labs
    own = distinctive(solutions)
    blind = [where for where, found in own.items() if not found]
    assert not blind, f"answers with no text of their own: {blind}"


# --- the student site (slow: one build, execution cache reused) --------------------------------


@pytest.fixture(scope="module")
def student_site() -> Path:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cache_guard.py"), str(BUILD)], check=True
    )
    editions.write_student_tree(STUDENT_SRC, ROOT)
    editions.seed_cache(BUILD, STUDENT / "_build")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cache_guard.py"), str(STUDENT / "_build")],
        check=True,
    )
    result = jupyter_book_build(STUDENT_SRC, "--path-output", str(STUDENT))
    if result.returncode != 0:
        pytest.fail(
            "the student edition did not build:\n" + (result.stdout + result.stderr)[-4000:]
        )
    return STUDENT / "_build" / "html"


def test_student_site_has_labs_and_no_instructor_pages(student_site):
    assert (student_site / "notebooks" / "lab-introduction.html").is_file()
    assert (student_site / "chapters" / "01-introduction.html").is_file()
    lab = (student_site / "notebooks" / "lab-introduction.html").read_text(encoding="utf-8")
    assert "colab.research.google.com" not in lab and "mybinder.org" not in lab
    assert not list(student_site.rglob("*instructor*")), "instructor pages in the student site"


def test_no_solution_text_reaches_the_student_edition(student_site):
    own = distinctive(editions.solution_texts(ROOT))
    student = file_shingles(student_site) | file_shingles(STUDENT_SRC)
    # Lab solutions and chapter answers: not one run of words of their own may appear.
    # Instructor pages are whole pages (timings, lab titles in the order of the site's
    # navigation): a few runs of words coincide with the site; a leaked page would be all there.
    leaks = {
        where: (f"{len(found & student)} of {len(found)}", sorted(found & student)[:3])
        for where, found in own.items()
        if found & student
        and (not where.startswith("instructor/") or len(found & student) > len(found) / 4)
    }
    assert not leaks, f"solution text in the student edition: {leaks}"
    # the search sees the site's text: every exercise statement is there
    exercises = [
        m.group(1)
        for page in sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))
        for m in re.finditer(
            r"^```\{exercise\}.*?\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M
        )
    ]
    assert exercises
    unseen = [e[:60] for e in exercises if not shingles(_source_words(e)) & student]
    assert not unseen, f"exercise statements not found in the student site: {unseen}"


def test_the_search_finds_every_solution_in_the_public_site(site):
    """The same search finds each answer where it belongs: in the public edition."""
    own = distinctive(editions.solution_texts(ROOT))
    public = file_shingles(site)
    missed = [where for where, found in own.items() if not found & public]
    assert not missed, f"answers the search cannot find in the public site: {missed}"
