"""Student and instructor editions of the labs, and a student copy of the book, from one source.

The labs in ``notebooks/`` are the single source. A coded exercise is three cells, tagged:

- ``stub``: the function(s) the student writes, raising ``NotImplementedError`` with a
  message that ends in a hint (``"... Hint: ..."``);
- ``solution``: right after its stub, the reference solution defining the *same* names
  (hidden behind a toggle in the public book);
- ``check``: a later cell that prints ``correct!`` when the answer is right, and
  ``Not done yet:`` followed by the stub's message (the hint) while the stub is in place.

:func:`edition` writes either version of one lab: ``student`` drops the solution cells,
``instructor`` drops the stubs (so every check succeeds). :func:`write_student_tree` copies
the book into a folder with no solutions at all: student labs, chapters without
``{solution}`` blocks or ``Answers`` dropdowns, and no instructor guide; ``make book
EDITION=student`` builds that copy.

Run ``python -m booktools.editions student|instructor OUT`` to write the labs of one edition
into ``OUT``, ``python -m booktools.editions student-tree OUT`` for the whole book, and
``python -m booktools.editions seed-cache STUDENT_BUILD --cache-from BUILD`` to reuse the
public build's execution cache.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from .paths import book_root

EDITIONS = ("student", "instructor")
STUB, SOLUTION, CHECK = "stub", "solution", "check"
#: Printed by a check cell when the answer is right, and while the stub is still in place.
SUCCESS, NOT_DONE = "correct!", "Not done yet:"

#: Folders never copied into the student tree (symlinked ones are large and have no answers).
_SKIP = {".git", ".venv", "_build", ".pytest_cache", ".hypothesis", ".ruff_cache", "__pycache__"}
_LINK = {"node_modules", "_vendor"}
#: Top-level folders the book build does not read (tests and scaffolds quote answers).
_NOT_BOOK = {"tests", "benchmarks", "scripts", "build", "dist"}
#: Pages and folders only the instructor edition has.
INSTRUCTOR_PAGES = ("chapters/instructor-guide.md", "chapters/instructor")
#: Marks a folder as a student tree, which a new one may replace.
_MARK = ".student-edition"


class EditionError(ValueError):
    """A lab or chapter whose exercise cells do not fit together (the message names the file)."""


@dataclass(frozen=True)
class Exercise:
    """One coded exercise of a lab: its stub cell, its solution cell, the names and the hint."""

    path: str
    stub_cell: int
    solution_cell: int
    names: tuple[str, ...]
    hint: str
    solution: str


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _defined_names(source: str, where: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise EditionError(f"{where}: not valid Python ({err.msg}, line {err.lineno})") from None
    return tuple(
        sorted(
            n.name
            for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        )
    )


def _stub_message(source: str, where: str) -> str:
    """The string given to ``raise NotImplementedError(...)`` in a stub."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", "") == "NotImplementedError"
            and node.exc.args
            and isinstance(node.exc.args[0], ast.Constant)
            and isinstance(node.exc.args[0].value, str)
        ):
            message = node.exc.args[0].value
            if "Hint:" not in message:
                raise EditionError(
                    f"{where}: the NotImplementedError message {message!r} has no 'Hint: ...'"
                )
            return message
    raise EditionError(f"{where}: a stub must raise NotImplementedError('... Hint: ...')")


def exercises(nb, path: str | Path) -> list[Exercise]:
    """The coded exercises of a lab, checked: every ``stub`` is followed by its ``solution``.

    Raises :class:`EditionError` naming the file and cell when a stub has no solution right
    after it, a solution has no stub, the two define different names, a stub gives no hint,
    or a lab with exercises has no ``check`` cell after them.
    """
    path = str(path)
    cells = nb.cells
    found = []
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if cell.cell_type != "code" or not tags & {STUB, SOLUTION}:
            continue
        where = f"{path}, cell {i}"
        if {STUB, SOLUTION} <= tags:
            raise EditionError(f"{where}: tagged both 'stub' and 'solution'")
        if SOLUTION in tags:
            before = cells[i - 1] if i > 0 else None
            if before is None or STUB not in _tags(before):
                raise EditionError(f"{where}: a 'solution' cell must follow its 'stub' cell")
            continue
        after = cells[i + 1] if i + 1 < len(cells) else None
        if after is None or after.cell_type != "code" or SOLUTION not in _tags(after):
            raise EditionError(f"{where}: the 'stub' cell has no 'solution' cell right after it")
        names = _defined_names(cell.source, f"{where} (stub)")
        solved = _defined_names(after.source, f"{path}, cell {i + 1} (solution)")
        if not names:
            raise EditionError(f"{where}: the 'stub' cell defines no function")
        if names != solved:
            raise EditionError(
                f"{path}: the stub (cell {i}) defines {list(names)} but its solution "
                f"(cell {i + 1}) defines {list(solved)}; they must define the same names"
            )
        hint = _stub_message(cell.source, f"{where} (stub)")
        found.append(Exercise(path, i, i + 1, names, hint, after.source))
    if found:
        last = max(e.solution_cell for e in found)
        checks = [i for i, c in enumerate(cells) if CHECK in _tags(c)]
        if not checks or max(checks) < last:
            raise EditionError(f"{path}: no 'check' cell after its last exercise (cell {last})")
    return found


def edition(nb, which: str, path: str | Path = "<notebook>"):
    """A copy of lab ``nb`` for ``which`` edition (``student`` or ``instructor``), no outputs."""
    if which not in EDITIONS:
        raise EditionError(f"edition must be one of {EDITIONS}, got {which!r}")
    exercises(nb, path)  # validate first
    drop = SOLUTION if which == "student" else STUB
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if drop not in _tags(c)]
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if which == "instructor" and SOLUTION in _tags(cell):
            # the instructor sees the solution open, in the site and in Jupyter
            cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "hide-input"]
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
    return out


def write_edition(which: str, out_dir: Path, root: Path | None = None) -> list[Path]:
    """Write every lab of ``root/notebooks`` in ``which`` edition into ``out_dir``."""
    root = root or book_root()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(src, as_version=4)
        dest = out_dir / src.name
        nbformat.write(edition(nb, which, src.relative_to(root)), dest)
        written.append(dest)
    return written


# --- chapters: {solution} blocks and "Answers" dropdowns -------------------------------------

_FENCE = re.compile(r"^(`{3,}|:{3,})\{(solution|admonition)\}(.*)$")


def _answer_blocks(text: str) -> list[tuple[int, int]]:
    """Line spans ``[start, end)`` of ``{solution}`` blocks and ``{admonition} Answers...``."""
    lines = text.split("\n")
    spans = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and (m.group(2) == "solution" or m.group(3).strip().startswith("Answer")):
            fence = m.group(1)
            end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), None)
            if end is None:
                raise EditionError(f"line {i + 1}: the {m.group(2)} block is never closed")
            spans.append((i, end + 1))
            i = end + 1
        else:
            i += 1
    return spans


def answer_texts(text: str) -> list[str]:
    """The text of every solution block and Answers dropdown in a MyST page."""
    lines = text.split("\n")
    return ["\n".join(lines[a + 1 : b - 1]) for a, b in _answer_blocks(text)]


def strip_answers(text: str, path: str | Path = "<page>") -> str:
    """``text`` without its ``{solution}`` blocks and ``Answers`` dropdowns."""
    try:
        spans = _answer_blocks(text)
    except EditionError as err:
        raise EditionError(f"{path}, {err}") from None
    lines = text.split("\n")
    for a, b in reversed(spans):
        del lines[a:b]
    return "\n".join(lines)


def solution_texts(root: Path | None = None) -> dict[str, str]:
    """Every answer in the source, keyed by where it lives: what no student file may contain.

    Lab solution cells, chapter solution blocks and Answers dropdowns, instructor pages.
    """
    root = root or book_root()
    found = {}
    for src in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(src, as_version=4)
        for ex in exercises(nb, src.relative_to(root)):
            found[f"{src.name} cell {ex.solution_cell}"] = ex.solution
    for page in sorted((root / "chapters").glob("[!_]*.md")):  # not the template
        for k, body in enumerate(answer_texts(page.read_text(encoding="utf-8"))):
            found[f"{page.name} answer {k + 1}"] = body
    for page in sorted((root / "chapters" / "instructor").glob("*.md")):
        found[f"instructor/{page.name}"] = page.read_text(encoding="utf-8")
    return found


# --- the student tree -------------------------------------------------------------------------


def _drop_instructor_toc(node):
    """The toc without the instructor guide (and its sections)."""
    if isinstance(node, list):
        return [_drop_instructor_toc(n) for n in node if not _is_instructor(n)]
    if isinstance(node, dict):
        return {k: _drop_instructor_toc(v) for k, v in node.items()}
    return node


def _is_instructor(entry) -> bool:
    return isinstance(entry, dict) and str(entry.get("file", "")).startswith("chapters/instructor")


_ROLE = re.compile(r"\{(ref|doc)\}`([^`<]*?)\s*(?:<([^>`]+)>)?`")


def _unlink_instructor(text: str) -> str:
    """Links into the instructor guide become plain text (the pages are not in this edition)."""

    def repl(m):
        title, target = m.group(2).strip(), (m.group(3) or m.group(2)).strip()
        if "instructor" not in target:
            return m.group(0)
        return title if m.group(3) else "the instructor guide (instructor edition)"

    return _ROLE.sub(repl, text)


def _student_config(path: Path) -> None:
    """No Colab, Binder or edit-page buttons: they open the repository's labs and pages, which
    hold the solutions; the download button gives the student notebook of this edition."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    launch = config.setdefault("launch_buttons", {})
    launch.update(binderhub_url="", colab_url="", jupyterhub_url="", thebe=False)
    config.setdefault("html", {})["use_edit_page_button"] = False
    path.write_text(
        "# Student edition: written by booktools.editions from the book's _config.yml\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )


def write_student_tree(out: Path, root: Path | None = None) -> Path:
    """Copy the book into ``out`` with every answer removed (see the module docstring).

    ``out`` is emptied first. Large folders without answers (``node_modules``, ``_vendor``)
    are symlinked. Returns ``out``.
    """
    root = (root or book_root()).resolve()
    out = out.resolve()
    inside = root in out.parents and (root / "_build") not in [out, *out.parents]
    if out == root or out in root.parents or inside:
        raise EditionError(f"student tree {out} must be outside {root} or under its _build/")
    if out.exists() and any(out.iterdir()) and not (out / _MARK).exists():
        raise EditionError(f"{out} is not empty and holds no earlier student tree; not removed")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / _MARK).write_text("written by booktools.editions.write_student_tree\n")
    for item in root.iterdir():
        if item.name in _SKIP | _NOT_BOOK or item.name.startswith(".") and item.is_dir():
            continue
        if item.name in _LINK:
            (out / item.name).symlink_to(item)
        elif item.is_dir():
            shutil.copytree(item, out / item.name, ignore=shutil.ignore_patterns(*_SKIP))
        else:
            shutil.copy2(item, out / item.name)
    for rel in INSTRUCTOR_PAGES:
        target = out / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    _student_config(out / "_config.yml")
    toc = yaml.safe_load((out / "_toc.yml").read_text(encoding="utf-8"))
    (out / "_toc.yml").write_text(
        "# Student edition: written by booktools.editions (no instructor guide)\n"
        + yaml.safe_dump(_drop_instructor_toc(toc), sort_keys=False),
        encoding="utf-8",
    )
    for page in [*sorted((out / "chapters").rglob("*.md")), out / "intro.md"]:
        if page.exists():
            text = page.read_text(encoding="utf-8")
            rel = page.relative_to(out)
            page.write_text(_unlink_instructor(strip_answers(text, rel)), encoding="utf-8")
    write_edition("student", out / "notebooks", root)
    for lab in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(lab, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _unlink_instructor(cell.source)
        nbformat.write(nb, lab)
    return out


def seed_cache(public_build: Path, student_build: Path) -> bool:
    """Give the student build the public build's execution cache, unless it has a current one.

    Chapters are executed identically in both editions, so the public cache saves their
    execution. The student cache is kept when its source stamp (``scripts/cache_guard.py``)
    matches the public one: it also holds the executed student labs. Returns True if copied.
    """
    stamp = ".source-hash"
    src, dest = public_build / ".jupyter_cache", student_build / ".jupyter_cache"
    if not src.is_dir() or not (public_build / stamp).is_file():
        return False
    if (student_build / stamp).is_file() and dest.is_dir():
        if (student_build / stamp).read_text() == (public_build / stamp).read_text():
            return False
    shutil.rmtree(dest, ignore_errors=True)
    student_build.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dest)
    shutil.copy2(public_build / stamp, student_build / stamp)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m booktools.editions", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("what", choices=[*EDITIONS, "student-tree", "seed-cache"])
    parser.add_argument("out", type=Path, help="folder to write into")
    parser.add_argument(
        "--cache-from", type=Path, help="seed-cache: the public build folder (e.g. _build)"
    )
    args = parser.parse_args(argv)
    try:
        if args.what == "seed-cache":
            if args.cache_from is None:
                parser.error("seed-cache needs --cache-from BUILD")
            copied = seed_cache(args.cache_from, args.out)
            print(f"execution cache {'copied from ' + str(args.cache_from) if copied else 'kept'}")
        elif args.what == "student-tree":
            print(f"student edition source: {write_student_tree(args.out)}")
        else:
            written = write_edition(args.what, args.out)
            print(f"{len(written)} {args.what} labs written to {args.out}")
    except EditionError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
