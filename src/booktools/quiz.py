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
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .quiz_data import (
    MIN_QUESTIONS,
    QUIZ_DIR,
    QUOTES,
    Question,
    Quiz,
    QuizError,
    check_quizzes,
    format_number,
    load_quiz,
    quiz_path,
    same_title,
)

__all__ = [
    "MIN_QUESTIONS",
    "QUIZ_DIR",
    "Question",
    "Quiz",
    "QuizError",
    "check_quizzes",
    "format_number",
    "load_quiz",
    "quiz_path",
    "render_html",
    "same_title",
    "section_id",
    "setup",
    "show_quiz",
]


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
                    " ".join(title.astext().translate(QUOTES).split()), section["ids"][0]
                )
        for link in list(doctree.findall(section_link)):
            target = ids.get(" ".join(link["section"].translate(QUOTES).split()))
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
