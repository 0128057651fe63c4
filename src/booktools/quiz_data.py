"""Quiz files: the data model, loading and validation of ``chapters/_data/quizzes/*.yml``.

The file format is described in :mod:`booktools.quiz`, which renders quizzes in the site and
in Jupyter and re-exports what is here.
"""

from __future__ import annotations

import importlib
import math
import numbers
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Where the quiz files live, relative to the book's root.
QUIZ_DIR = Path("chapters") / "_data" / "quizzes"
#: Questions each chapter's quiz needs at least.
MIN_QUESTIONS = 4

_QUESTION_KEYS = {
    "prompt",
    "options",
    "answer",
    "compute",
    "tolerance",
    "unit",
    "explain",
    "section",
    "cite",
}


#: Typographic quotes Sphinx puts in section titles, mapped back to plain ones.
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})


def same_title(a: str, b: str) -> bool:
    """Whether two section titles are the same, ignoring Sphinx's typographic quotes."""
    return " ".join(a.translate(QUOTES).split()) == " ".join(b.translate(QUOTES).split())


class QuizError(ValueError):
    """A quiz file is malformed; the message names the file and the question."""


@dataclass(frozen=True)
class Question:
    prompt: str
    explain: str
    section: str
    options: tuple[str, ...] = ()  #: empty for a numeric question
    answer: float | int = 0  #: option index (choice) or the number (numeric)
    tolerance: float = 0.0
    unit: str = ""
    cite: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "choice" if self.options else "number"

    @property
    def answer_text(self) -> str:
        """The right answer in words, as the reader is told after checking."""
        if self.options:
            return self.options[int(self.answer)]
        unit = f" {self.unit}" if self.unit else ""
        return f"{format_number(self.answer)}{unit}"


@dataclass(frozen=True)
class Quiz:
    name: str  #: the chapter's file name without suffix, e.g. ``02-spines``
    path: Path
    questions: tuple[Question, ...]


def format_number(x: float) -> str:
    """A number as a reader would write it: ``0.48``, ``2.2``, ``10``."""
    return f"{x:.4g}" if x != int(x) or abs(x) >= 1e6 else str(int(x))


# -- loading and validation ------------------------------------------------------------------
def _number(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _compute(spec: Any, where: str) -> float:
    if not isinstance(spec, dict) or not isinstance(spec.get("function"), str):
        raise QuizError(f"{where}: 'compute' needs a 'function: module:name' (and 'kwargs')")
    unknown = set(spec) - {"function", "kwargs"}
    if unknown:
        raise QuizError(f"{where}: 'compute' has unknown keys {sorted(unknown)}")
    module, _, name = spec["function"].partition(":")
    kwargs = spec.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise QuizError(f"{where}: 'compute: kwargs' must be a mapping")
    try:
        func = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as err:
        raise QuizError(f"{where}: cannot import {spec['function']!r}: {err}") from err
    try:
        value = func(**kwargs)
    except Exception as err:
        raise QuizError(f"{where}: {spec['function']}(**{kwargs}) failed: {err}") from err
    try:
        value = float(value)
    except (TypeError, ValueError) as err:
        raise QuizError(f"{where}: {spec['function']} returned {value!r}, not a number") from err
    if not math.isfinite(value):
        raise QuizError(f"{where}: {spec['function']} returned {value}, not a finite number")
    return value


def _text(q: dict, key: str, where: str) -> str:
    value = q.get(key)
    if not isinstance(value, str) or not value.strip():
        raise QuizError(f"{where}: needs a non-empty '{key}' text")
    return " ".join(value.split())


def _question(q: Any, where: str) -> Question:
    if not isinstance(q, dict):
        raise QuizError(f"{where}: must be a mapping with prompt, answer, explain and section")
    unknown = set(q) - _QUESTION_KEYS
    if unknown:
        raise QuizError(
            f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_QUESTION_KEYS)})"
        )
    prompt = _text(q, "prompt", where)
    where = f"{where} ({prompt[:40]!r})"
    explain, section = _text(q, "explain", where), _text(q, "section", where)
    cite = q.get("cite") or ()
    cite = (cite,) if isinstance(cite, str) else tuple(cite)
    if not all(isinstance(k, str) and re.fullmatch(r"[\w:.-]+", k) for k in cite):
        raise QuizError(f"{where}: 'cite' must be a list of bibliography keys, got {cite!r}")
    common = {"prompt": prompt, "explain": explain, "section": section, "cite": cite}
    if "options" in q:
        options = q["options"]
        if not isinstance(options, list) or len(options) < 2:
            raise QuizError(f"{where}: 'options' must be a list of at least two answers")
        if not all(isinstance(o, str | int | float) and str(o).strip() for o in options):
            raise QuizError(f"{where}: every option must be a non-empty text")
        for key in ("compute", "tolerance", "unit"):
            if key in q:
                raise QuizError(f"{where}: '{key}' belongs to numeric questions, not to options")
        if "answer" not in q:
            raise QuizError(f"{where}: has no 'answer' (the 0-based index of the right option)")
        answer = q["answer"]
        if not isinstance(answer, int) or isinstance(answer, bool):
            raise QuizError(f"{where}: 'answer' must be an option index, got {answer!r}")
        if not 0 <= answer < len(options):
            raise QuizError(
                f"{where}: 'answer' {answer} is out of range: the options are numbered "
                f"0 to {len(options) - 1}"
            )
        texts = tuple(" ".join(str(o).split()) for o in options)
        return Question(options=texts, answer=answer, **common)
    if "answer" in q and "compute" in q:
        raise QuizError(f"{where}: give either 'answer' or 'compute', not both")
    if "compute" in q:
        answer = _compute(q["compute"], where)
    elif "answer" not in q:
        raise QuizError(f"{where}: has no 'answer' (or 'compute'), and no 'options'")
    elif not _number(q["answer"]):
        raise QuizError(
            f"{where}: a question without 'options' needs a numeric 'answer', got {q['answer']!r}"
        )
    else:
        answer = q["answer"]
    if "tolerance" not in q:
        raise QuizError(f"{where}: numeric answer without a 'tolerance' (answer ± tolerance)")
    tolerance = q["tolerance"]
    if not _number(tolerance) or tolerance < 0:
        raise QuizError(f"{where}: 'tolerance' must be a number >= 0, got {tolerance!r}")
    unit = q.get("unit", "")
    if not isinstance(unit, str):
        raise QuizError(f"{where}: 'unit' must be a text, got {unit!r}")
    return Question(answer=float(answer), tolerance=float(tolerance), unit=unit.strip(), **common)


def load_quiz(path: Path | str, *, name: str | None = None, shown: str | None = None) -> Quiz:
    """Read and validate one quiz file; :class:`QuizError` names the file and the question.

    ``shown`` is how the file is named in messages (default: ``path``).
    """
    path = Path(path)
    shown = shown or str(path)
    if not path.is_file():
        raise QuizError(f"{shown}: no such quiz file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise QuizError(f"{shown}: not valid YAML: {err}") from err
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise QuizError(f"{shown}: needs a 'questions:' list at the top level")
    if set(data) - {"questions"}:
        raise QuizError(f"{shown}: unknown top-level keys {sorted(set(data) - {'questions'})}")
    if not data["questions"]:
        raise QuizError(f"{shown}: 'questions' is empty")
    questions = tuple(
        _question(q, f"{shown}: question {i}") for i, q in enumerate(data["questions"], start=1)
    )
    return Quiz(name=name or path.stem, path=path, questions=questions)


def quiz_path(root: Path, name: str) -> Path:
    return root / QUIZ_DIR / f"{name}.yml"


def _headings(text: str) -> set[str]:
    """Heading texts of a MyST page (code blocks skipped)."""
    text = re.sub(r"^(`{3,}|~{3,}).*?^\1\s*$", "", text, flags=re.M | re.S)
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M)}


def check_quizzes(root: Path) -> list[str]:
    """``make check`` rule: every chapter has a valid quiz of at least MIN_QUESTIONS questions,
    shown by a ``{quiz}`` directive naming its file, whose sections exist in the chapter."""
    from .check import chapter_files

    problems = []
    chapters = chapter_files(root)
    for rel in chapters:
        name = Path(rel).stem
        shown = (QUIZ_DIR / f"{name}.yml").as_posix()
        try:
            quiz = load_quiz(quiz_path(root, name), shown=shown)
        except QuizError as err:
            problems.append(str(err))
            continue
        if len(quiz.questions) < MIN_QUESTIONS:
            problems.append(
                f"{shown}: {len(quiz.questions)} question(s); at least {MIN_QUESTIONS} needed"
            )
        text = (root / rel).read_text(encoding="utf-8")
        shown_names = re.findall(r"^(?:`{3,}|~{3,})\{quiz\}\s+(\S+)\s*$", text, re.M)
        if shown_names and name not in shown_names:  # no block at all: check_chapter says so
            problems.append(f"{rel}: shows the quiz {shown_names[0]!r}, not its own {name!r}")
        headings = _headings(text)
        for i, q in enumerate(quiz.questions, start=1):
            if not any(same_title(q.section, h) for h in headings):
                problems.append(
                    f"{shown}: question {i} links to section {q.section!r}, "
                    f"which is not a heading of {rel}"
                )
    names = {Path(rel).stem for rel in chapters}
    for path in sorted((root / QUIZ_DIR).glob("*.yml")):
        if path.stem not in names:
            problems.append(f"{(QUIZ_DIR / path.name).as_posix()}: no chapter of that name")
    return problems
