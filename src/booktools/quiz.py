"""Self-check quizzes: one data file per chapter, shown in the static site and in Jupyter.

Questions live in ``chapters/_data/quizzes/NN-name.yml`` (one file per chapter, same name as
the chapter). A file holds a list of ``questions``; each is either

- **multiple choice**: ``options`` (two or more) and ``answer``, the 0-based index of the
  right option; or
- **numeric**: ``answer`` (a number) or ``compute`` (``{function: "module:name", kwargs:
  {...}}``: the answer is computed from the book's models at build time, so it cannot drift
  from them), a ``tolerance`` (answers within ``answer ± tolerance`` count) and an optional
  ``unit``;

and always a ``prompt``, an ``explain`` text shown after the reader checks an answer, the
``section`` heading of the chapter it links back to, and optionally ``cite`` (bibliography
keys). :func:`load_quiz` validates a file and raises :class:`QuizError` naming the file and
the question (a missing answer, an option index out of range, a numeric answer without a
tolerance, an unknown key...).

**Static site.** The ``{quiz} NN-name`` directive (this module is a Sphinx extension) renders
each question as a ``<form>`` with a ``<fieldset>``/``<legend>``, native radio buttons or a
labelled text field, a *Check answer* button and a ``role="status"`` line announcing the
result to screen readers; the explanation (with its citations and a link back to the section)
appears below. One inline script of about 1 kB and a few CSS rules come with each quiz:
nothing is fetched, and pages without a quiz carry nothing.

**Jupyter.** ``show_quiz("02-spines")`` displays the same HTML and script from the same file,
with links to the published chapter.

Why not ``jupyterquiz`` (PyPI, tried first): it builds the quiz from a script of about 47 kB
inlined into every output, falls back to loading MathJax from a CDN (jsdelivr) when it finds
``window.MathJax`` without ``typeset`` (as during MathJax's own start-up), hides the radio
buttons and makes the labels clickable instead of using a fieldset, gives no live status for
screen readers, shuffles answers randomly (no reproducible pages) and offers no links back to
the text. The few lines here do what the book needs.
"""

from __future__ import annotations

import html
import importlib
import math
import numbers
import re
from collections.abc import Callable
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


# -- HTML shared by the site and Jupyter ----------------------------------------------------
#: Styles scoped to the quiz; theme colours where the site defines them, plain ones elsewhere.
CSS = (
    ".rw-quiz-q{margin:1rem 0;padding:.75rem 1rem;border:1px solid var(--pst-color-border,#999);"
    "border-radius:.4rem}"
    ".rw-quiz-q fieldset{border:0;margin:0;padding:0;min-width:0}"
    ".rw-quiz-q legend{font-weight:600;margin-bottom:.4rem;padding:0;float:none}"
    ".rw-quiz-opt{display:flex;gap:.5rem;align-items:baseline;margin:.3rem 0}"
    ".rw-quiz-opt input{flex:none}"
    ".rw-quiz-q input[type=text]{width:8rem;margin-left:.4rem;padding:.15rem .4rem;"
    "font:inherit;color:inherit;background:transparent;border:1px solid currentColor;"
    "border-radius:.25rem}"
    ".rw-quiz-check{margin-top:.6rem;padding:.3rem .9rem;font:inherit;color:inherit;"
    "background:transparent;border:2px solid var(--pst-color-primary,#1f5f99);"
    "border-radius:.3rem;cursor:pointer}"
    ".rw-quiz-status{margin:.5rem 0 0;font-weight:600}"
    ".rw-quiz-status:empty{display:none}"
    ".rw-quiz-right{border-left:.3rem solid #1a7f37;padding-left:.5rem}"
    ".rw-quiz-wrong{border-left:.3rem solid #b35900;padding-left:.5rem}"
    ".rw-quiz-explain{margin-top:.4rem}.rw-quiz-explain p{margin:.3rem 0}"
)

#: Checks one question on submit; finds its quiz from the script's own place in the page.
JS = """(function(box){
box.querySelectorAll("form.rw-quiz-q").forEach(function(f){
f.addEventListener("submit",function(e){
e.preventDefault();
var s=f.querySelector(".rw-quiz-status"),x=f.querySelector(".rw-quiz-explain"),ok;
if(f.dataset.kind==="choice"){
var c=f.querySelector("input:checked");
if(!c){s.className="rw-quiz-status";s.textContent="Choose an answer first.";return;}
ok=c.value===f.dataset.answer;
}else{
var i=f.querySelector("input[type=text]"),v=parseFloat(i.value.replace(/\\s/g,"").replace(",","."));
if(isNaN(v)){s.className="rw-quiz-status";s.textContent="Type a number first.";return;}
ok=Math.abs(v-parseFloat(f.dataset.answer))<=parseFloat(f.dataset.tolerance)*(1+1e-9)+1e-12;
i.setAttribute("aria-invalid",ok?"false":"true");
}
s.className="rw-quiz-status "+(ok?"rw-quiz-right":"rw-quiz-wrong");
s.textContent=ok?"Correct.":"Not quite. "+f.dataset.reveal;
x.hidden=false;
});
});
})(document.currentScript.parentNode);"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def quiz_open_html(quiz: Quiz) -> str:
    return f'<div class="rw-quiz" data-quiz="{_e(quiz.name)}"><style>{CSS}</style>'


def quiz_close_html() -> str:
    return f"<script>{JS}</script></div>"


def question_open_html(quiz: Quiz, index: int, q: Question, id_prefix: str = "rwq") -> str:
    """Everything of one question up to its explanation (which the caller fills in)."""
    qid = f"{id_prefix}-{quiz.name}-{index}"
    if q.kind == "choice":
        reveal = f"The answer is: {q.answer_text}."
        body = "".join(
            f'<div class="rw-quiz-opt"><input type="radio" name="{qid}" id="{qid}-{j}" '
            f'value="{j}"><label for="{qid}-{j}">{_e(option)}</label></div>'
            for j, option in enumerate(q.options)
        )
        data = f'data-kind="choice" data-answer="{int(q.answer)}"'
    else:
        reveal = f"The answer is {q.answer_text}" + (
            f" (answers within ± {format_number(q.tolerance)} count)." if q.tolerance else "."
        )
        unit = f", in {_e(q.unit)}" if q.unit else ""
        body = (
            f'<label for="{qid}-in">Your answer{unit}</label>'
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{qid}-in">'
        )
        data = f'data-kind="number" data-answer="{q.answer!r}" data-tolerance="{q.tolerance!r}"'
    return (
        f'<form class="rw-quiz-q" id="{qid}" {data} data-reveal="{_e(reveal)}">'
        f"<fieldset><legend>{index}. {_e(q.prompt)}</legend>{body}</fieldset>"
        '<button type="submit" class="rw-quiz-check">Check answer</button>'
        '<p class="rw-quiz-status" role="status"></p>'
        '<div class="rw-quiz-explain" hidden>'
    )


def question_close_html() -> str:
    return "</div></form>"


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})


def same_title(a: str, b: str) -> bool:
    """Whether two section titles are the same, ignoring Sphinx's typographic quotes."""
    return " ".join(a.translate(_QUOTES).split()) == " ".join(b.translate(_QUOTES).split())


def section_id(title: str) -> str:
    """The HTML id Sphinx gives a section with this title."""
    from docutils.nodes import make_id

    return make_id(title)


def _author_year(key: str, bib: dict) -> str:
    entry = bib.get(key)
    if entry is None:
        return key
    names = [n.split(",")[0].strip() for n in entry.fields.get("author", "").split(" and ")]
    names = [re.sub(r"[{}\\\"']", "", n) for n in names if n]
    who = (
        names[0]
        if len(names) == 1
        else f"{names[0]} et al."
        if len(names) > 2
        else " and ".join(names)
    )
    return f"{who} {entry.fields.get('year', '')}".strip()


def render_html(quiz: Quiz, *, link: Callable[[str], str], bib: dict | None = None) -> str:
    """The whole quiz as HTML: ``link(section)`` gives each "Read again" address."""
    parts = [quiz_open_html(quiz)]
    for i, q in enumerate(quiz.questions, start=1):
        cites = "; ".join(_author_year(k, bib or {}) for k in q.cite)
        explain = _e(q.explain) + (f" ({_e(cites)})" if cites else "")
        parts += [
            question_open_html(quiz, i, q),
            f"<p>{explain}</p>",
            f'<p>Read again: <a href="{_e(link(q.section))}">{_e(q.section)}</a></p>',
            question_close_html(),
        ]
    parts.append(quiz_close_html())
    return "".join(parts)


class QuizDisplay:
    """What :func:`show_quiz` returns: Jupyter shows its HTML."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html


def show_quiz(name: str, root: Path | str | None = None) -> QuizDisplay:
    """Show a chapter's self-check quiz in Jupyter, from the same file as the site.

    ``name`` is the chapter's file name without suffix (``"02-spines"``); ``root`` is the
    book's folder (default: found from the working directory). Links point at the chapter in
    the published book.
    """
    from .check import parse_bib
    from .paths import book_root
    from .publish import config_locations

    root = Path(root) if root is not None else book_root()
    quiz = load_quiz(quiz_path(root, name), shown=(QUIZ_DIR / f"{name}.yml").as_posix())
    page = f"{config_locations(root).site_url}chapters/{name}.html"
    try:  # author-year citations where pybtex is installed; bare keys elsewhere
        bib = parse_bib(root / "references.bib")
    except (ImportError, OSError, ValueError):
        bib = {}
    return QuizDisplay(render_html(quiz, link=lambda s: f"{page}#{section_id(s)}", bib=bib))


# -- Sphinx ----------------------------------------------------------------------------------
try:  # docutils comes with Sphinx; Jupyter needs only show_quiz and works without it
    from docutils import nodes as _nodes
except ImportError:  # pragma: no cover
    _nodes = None
else:
    # Module level so that Sphinx can pickle the doctrees that hold them.
    class quiz_node(_nodes.General, _nodes.Element):
        """A whole quiz (attribute ``quiz``: the :class:`Quiz`)."""

    class question_node(_nodes.General, _nodes.Element):
        """One question; its children are the explanation (attribute ``html``: the form)."""

    class section_link(_nodes.Inline, _nodes.Element):
        """Placeholder for the link back to a section, resolved once the page is read."""


def setup(app) -> dict[str, Any]:
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective

    logger = logging.getLogger(__name__)

    class QuizDirective(SphinxDirective):
        """``{quiz} NN-name``: the chapter's self-check quiz from its data file."""

        required_arguments = 1
        has_content = False

        def run(self):
            name = self.arguments[0].strip()
            shown = (QUIZ_DIR / f"{name}.yml").as_posix()
            path = Path(self.env.srcdir) / QUIZ_DIR / f"{name}.yml"
            self.env.note_dependency(str(path))
            try:
                quiz = load_quiz(path, name=name, shown=shown)
            except QuizError as err:
                raise self.error(str(err)) from err
            box = quiz_node(quiz=quiz)
            for i, q in enumerate(quiz.questions, start=1):
                item = question_node(html=question_open_html(quiz, i, q))
                text = q.explain + (f" {{cite:p}}`{','.join(q.cite)}`" if q.cite else "")
                self.state.nested_parse(StringList([text], shown), self.content_offset, item)
                link = section_link(section=q.section, quiz=shown)
                item += nodes.paragraph("", "Read again: ", link)
                box += item
            self.set_source_info(box)
            return [box]

    def resolve_sections(app, doctree) -> None:
        ids = {}
        for section in doctree.findall(nodes.section):
            title = section.next_node(nodes.title)
            if title is not None and section["ids"]:
                ids.setdefault(
                    " ".join(title.astext().translate(_QUOTES).split()), section["ids"][0]
                )
        for link in list(doctree.findall(section_link)):
            target = ids.get(" ".join(link["section"].translate(_QUOTES).split()))
            if target is None:
                logger.warning(
                    "%s: the quiz links to section %r, which is not a heading of this page",
                    link["quiz"],
                    link["section"],
                    location=link.parent.parent,
                )
                link.replace_self(nodes.Text(link["section"]))
                continue
            ref = nodes.reference("", link["section"], refid=target, internal=True)
            link.replace_self(ref)

    def visit_quiz(self, node):
        self.body.append(quiz_open_html(node["quiz"]))

    def depart_quiz(self, node):
        self.body.append(quiz_close_html())

    def visit_question(self, node):
        self.body.append(node["html"])

    def depart_question(self, node):
        self.body.append(question_close_html())

    def skip(self, node):
        raise nodes.SkipNode

    app.add_node(
        quiz_node,
        html=(visit_quiz, depart_quiz),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_node(question_node, html=(visit_question, depart_question))
    app.add_node(section_link)
    app.add_directive("quiz", QuizDirective)
    app.connect("doctree-read", resolve_sections)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
