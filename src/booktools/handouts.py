"""Printable one-page lab handouts: the ``{lab-handout}`` directive.

``{lab-handout} lab-power`` writes, at build time, a handout for ``notebooks/lab-power.ipynb``:
the lab's title and time, how to open it, every question of the lab (read from the notebook
by :func:`booktools.instructor_check.lab_questions`, so the handout never drifts from the
lab) with room to write, and the exit ticket question of the lesson plan that goes with it.
Nothing is typed twice. Sphinx rebuilds the page when the lab or the lesson plan changes.
Print CSS in ``_static/book.css`` starts each handout on a new page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from .instructor_check import INSTRUCTOR_DIR, lab_chapter, lab_questions, sections

TIME = re.compile(r"\*About (\d+) minutes\.")


def exit_ticket_question(plan: Path) -> str | None:
    """The ``**Question:**`` text of a lesson plan's ``## Exit ticket``, or None."""
    if not plan.is_file():
        return None
    ticket = sections(plan.read_text(encoding="utf-8")).get("Exit ticket", "")
    found = re.search(r"\*\*Question:\*\*\s*(.+?)(?=\n\s*\n|\*\*Key:\*\*|$)", ticket, re.S)
    return " ".join(found.group(1).split()) if found else None


def handout_markdown(lab: Path, root: Path) -> str:
    """The handout for one lab as MyST Markdown (no headings: the page gives the heading)."""
    if not lab.is_file():
        raise ValueError(f"lab-handout: no lab notebook {lab}")
    cells = json.loads(lab.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]) if cells else ""
    minutes = TIME.search(first)
    chapter = lab_chapter(lab)
    plan = root / INSTRUCTOR_DIR / Path(chapter).name if chapter else None
    lines = [
        '<div class="rw-handout-names">Name(s): ______________________ Date: __________</div>',
        "",
        (f"About {minutes.group(1)} minutes. " if minutes else "")
        + f"Open `notebooks/{lab.name}` from the book (rocket button: Colab or Binder) or with "
        "`make lab`, and run all cells. Answer in a sentence or two; questions are numbered "
        "*section.question* as in the lab.",
        "",
    ]
    for q in lab_questions(lab):
        text = " ".join(q.text.split())
        lines += [f"**{q.qid}** {text}", "", '<div class="rw-answer-space"></div>', ""]
    ticket = exit_ticket_question(plan) if plan else None
    if ticket:
        lines += [f"**Exit ticket.** {ticket}", "", '<div class="rw-answer-space"></div>', ""]
    return "\n".join(lines)


class LabHandout(SphinxDirective):
    """``{lab-handout} lab-name``: the printable handout of ``notebooks/lab-name.ipynb``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        lab = root / "notebooks" / f"{self.arguments[0]}.ipynb"
        try:
            text = handout_markdown(lab, root)
        except ValueError as err:
            raise self.error(str(err)) from err
        self.env.note_dependency(str(lab))
        chapter = lab_chapter(lab)
        if chapter:
            self.env.note_dependency(str(root / INSTRUCTOR_DIR / Path(chapter).name))
        box = nodes.container(classes=["rw-handout"])
        self.state.nested_parse(StringList(text.splitlines(), source=str(lab)), 0, box)
        return [box]


def setup(app) -> dict[str, Any]:
    app.add_directive("lab-handout", LabHandout)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
