"""The labs: one per chapter, committed without outputs, and every exercise tested both ways.

Each lab is the single source of its student and instructor editions (``booktools.editions``).
Both editions of every lab run top to bottom here: with the reference solutions every check
cell reports success; with the stubs every check cell reports "not done yet" with the stub's
hint, and the notebook still runs to the end. Chapter solutions that compute an answer in a
Python block run too. (All labs also run in the Binder environment: test_environments.py.)
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from booktools import editions

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def test_there_are_labs():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb labs"


def test_every_chapter_has_a_lab():
    """Each numbered chapter is named as "Goes with the chapter" by exactly one lab."""
    linked = {}
    for path in NOTEBOOKS:
        intro = nbformat.read(path, as_version=4).cells[0].source
        found = re.findall(r"Goes with the chapter \[[^\]]+\]\(\.\./chapters/([\w-]+)\.md\)", intro)
        assert len(found) == 1, f"{path.name}: its first cell names no 'Goes with the chapter' link"
        linked.setdefault(found[0], []).append(path.name)
    chapters = {p.stem for p in CHAPTERS}
    assert chapters - set(linked) == set(), f"chapters without a lab: {chapters - set(linked)}"
    assert set(linked) <= chapters, f"labs name unknown chapters: {set(linked) - chapters}"
    assert all(len(v) == 1 for v in linked.values()), f"one lab per chapter: {linked}"


def test_labs_are_in_the_toc():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    missing = [p.stem for p in NOTEBOOKS if f"file: notebooks/{p.stem}\n" not in toc]
    assert not missing, f"labs missing from _toc.yml: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs or execution counts; "
        "clear them before committing (Edit > Clear Outputs of All Cells)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_lab_has_a_coded_exercise_with_a_solution(path):
    nb = nbformat.read(path, as_version=4)
    found = editions.exercises(nb, path.name)
    assert found, f"{path.name}: no exercise (a 'stub' cell followed by its 'solution')"
    for ex in found:
        assert ex.hint.split("Hint:", 1)[1].strip(), f"{path.name}: empty hint for {ex.names}"
        assert "NotImplementedError" not in ex.solution, f"{path.name}: {ex.names} unsolved"
    discussion = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any("Questions for discussion" in s for s in discussion), (
        f"{path.name}: no 'Questions for discussion'"
    )


# --- both editions run ------------------------------------------------------------------------


def _run(paths: list[Path], tmp_path: Path, monkeypatch) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import nb_runner
    finally:
        sys.path.remove(str(ROOT / "tests"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return nb_runner.main([str(p) for p in paths])


def _check_outputs(path: Path, outputs: list[list[str]]) -> list[str]:
    """The text printed by each check cell of the notebook at ``path``."""
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    return [
        "".join(out)
        for cell, out in zip(code, outputs, strict=True)
        if editions.CHECK in cell.metadata.get("tags", [])
    ]


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Both editions of every lab, written and run once (about 2 s a lab)."""
    mp = pytest.MonkeyPatch()
    out = tmp_path_factory.mktemp("editions")
    results = {}
    try:
        for which in editions.EDITIONS:
            written = editions.write_edition(which, out / which, ROOT)
            results[which] = (written, _run(written, out, mp))
    finally:
        mp.undo()
    return results


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_instructor_edition_every_check_succeeds(ran, path):
    written, results = ran["instructor"]
    result = results[path.name]
    assert result["ok"], f"instructor {path.name} failed:\n{result['error']}"
    checks = _check_outputs(written[NOTEBOOKS.index(path)], result["outputs"])
    assert checks, f"{path.name}: no check cell ran"
    for text in checks:
        assert editions.SUCCESS in text, f"instructor {path.name}: a check did not pass:\n{text}"
        assert editions.NOT_DONE not in text and "not yet" not in text, text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_checks_say_not_done_with_the_hint(ran, path):
    written, results = ran["student"]
    result = results[path.name]
    assert result["ok"], f"student {path.name} did not run to the end:\n{result['error']}"
    student = nbformat.read(written[NOTEBOOKS.index(path)], as_version=4)
    assert not [c for c in student.cells if editions.SOLUTION in c.metadata.get("tags", [])]
    hints = [
        editions._stub_message(c.source, path.name)
        for c in student.cells
        if editions.STUB in c.metadata.get("tags", [])
    ]
    checks = _check_outputs(written[NOTEBOOKS.index(path)], result["outputs"])
    assert checks, f"{path.name}: no check cell ran"
    for text in checks:
        assert editions.NOT_DONE in text, f"student {path.name}: a check did not say so:\n{text}"
        assert editions.SUCCESS not in text, f"student {path.name}: a stub passed:\n{text}"
        assert any(h in text for h in hints), f"{path.name}: the check shows no hint:\n{text}"
    shown = "\n".join(checks)
    assert all(h in shown for h in hints), f"{path.name}: a stub's hint is never shown"


# --- bad input --------------------------------------------------------------------------------

STUB = 'def f(x):\n    raise NotImplementedError("f is not written yet. Hint: double it.")'
CHECK = (
    'try:\n    print("correct!" if f(1) == 2 else "not yet")\n'
    'except NotImplementedError as e:\n    print("Not done yet:", e)'
)


def _lab(*cells: tuple[str, str]):
    nb = new_notebook()
    for tag, source in cells:
        nb.cells.append(new_code_cell(source, metadata={"tags": [tag]} if tag else {}))
    return nb


def test_a_well_formed_lab_gives_its_exercise():
    nb = _lab(("stub", STUB), ("solution", "def f(x):\n    return 2 * x"), ("check", CHECK))
    [ex] = editions.exercises(nb, "lab-x.ipynb")
    assert ex.names == ("f",) and ex.hint.endswith("Hint: double it.")
    assert [c.source for c in editions.edition(nb, "student").cells] == [STUB, CHECK]
    assert "return 2 * x" in editions.edition(nb, "instructor").cells[0].source


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            [("stub", STUB), ("solution", "def g(x):\n    return 2 * x"), ("check", CHECK)],
            r"lab-x\.ipynb: the stub \(cell 0\) defines \['f'\] but its solution \(cell 1\) "
            r"defines \['g'\]",
        ),
        ([("stub", STUB), ("check", CHECK)], r"lab-x\.ipynb, cell 0: .*no 'solution' cell"),
        ([("", STUB), ("solution", "def f(x):\n    return 2 * x")], r"lab-x\.ipynb, cell 1"),
        (
            [("stub", STUB.replace(" Hint: double it.", "")), ("solution", "def f(x): ...")],
            r"lab-x\.ipynb, cell 0 \(stub\).*no 'Hint: \.\.\.'",
        ),
        ([("stub", STUB), ("solution", "def f(x):\n    return 2 * x")], r"no 'check' cell"),
        ([("stub", "def f(x):\n    return"), ("solution", "def f(x): ...")], "NotImplemented"),
    ],
    ids=["names-differ", "no-solution", "no-stub", "no-hint", "no-check", "no-raise"],
)
def test_a_broken_lab_is_named_in_the_error(cells, message):
    with pytest.raises(editions.EditionError, match=message):
        editions.exercises(_lab(*cells), "lab-x.ipynb")


def test_an_unknown_edition_is_refused():
    with pytest.raises(editions.EditionError, match="edition must be one of"):
        editions.edition(_lab(("stub", STUB)), "teacher")


# --- computed answers in the chapters ---------------------------------------------------------

_PY = re.compile(r"^([ \t]*)```python\n(.*?)^\1```", re.S | re.M)
COMPUTED = [
    (page.name, k, textwrap.dedent(m.group(2)))
    for page in CHAPTERS
    for k, body in enumerate(editions.answer_texts(page.read_text(encoding="utf-8")))
    for m in _PY.finditer(body)
]


def test_some_chapter_answers_are_computed():
    assert len(COMPUTED) >= 3, COMPUTED


@pytest.mark.parametrize("code", COMPUTED, ids=lambda c: f"{c[0]}-answer{c[1] + 1}")
def test_chapter_answer_code_runs_and_gives_the_stated_value(code, monkeypatch):
    """A solution's Python block runs; a last line ending in ``# about X`` must give X."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    page, _, source = code
    tree = ast.parse(source)
    last = tree.body[-1]
    namespace: dict = {}
    if isinstance(last, ast.Expr):
        exec(compile(ast.Module(tree.body[:-1], []), page, "exec"), namespace)
        value = eval(compile(ast.Expression(last.value), page, "eval"), namespace)
        stated = re.search(r"#\s*about\s+(.+)$", source.rstrip().splitlines()[-1])
        if stated:
            expected = ast.literal_eval(stated.group(1).strip())
            decimals = re.findall(r"\.(\d+)", stated.group(1))
            tol = 0.5 * 10.0 ** -(len(decimals[0]) if decimals else 0)
            got = [float(v) for v in (value if isinstance(value, tuple) else [value])]
            want = list(expected) if isinstance(expected, tuple) else [expected]
            assert len(got) == len(want), f"{page}: got {value}, the text says about {expected}"
            for g, w in zip(got, want, strict=True):
                assert abs(g - w) <= tol + 1e-12, f"{page}: got {value}, the text says {expected}"
    else:
        exec(compile(tree, page, "exec"), namespace)
