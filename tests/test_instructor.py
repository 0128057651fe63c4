"""Class-ready instructor pages (booktools.instructor_check) and lab handouts
(booktools.handouts)."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from booktools.check import RULES
from booktools.handouts import exit_ticket_question, handout_markdown
from booktools.instructor_check import (
    check_instructor_page,
    check_instructor_pages,
    check_plan,
    class_ready_pages,
    lab_questions,
    labs_for,
)

ROOT = Path(__file__).resolve().parents[1]

GOOD_PLAN = """## 50-minute plan

| Minutes | Activity | Materials |
|---|---|---|
| 0-10 | Warm-up: students predict the result | Board |
| 10-30 | Lab in pairs, sections 1 and 2 | lab |
| 30-45 | Explorer | chapter |
| 45-50 | Exit ticket (below). | cards |
"""


def write_lab(folder: Path, name: str, cells: list[str], chapter: str = "01-one") -> Path:
    first = (
        f"# Lab: {name}\n\n*About 30 minutes. Goes with the chapter "
        f"[One](../chapters/{chapter}.md).*"
    )
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [first]},
            *({"cell_type": "markdown", "metadata": {}, "source": [c]} for c in cells),
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / "notebooks" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


LAB_CELLS = [
    "## 1. First\n\nText.\n\n**Question.** Why is the mean not zero?\n\n## 2. Second\n\nMore.",
    "**Questions.**\n\n1. Which is smaller?\n2. What changes when\n   mice differ?\n\nA figure.",
    "## 3. Third\n\n**Questions.** (1) Why not double? (2) Which survive?",
    "## 4. Explore\n\n**Questions for discussion.**\n\n1. Where is it harmless?",
]


def page(
    plan: str = GOOD_PLAN,
    answers: str = "- **1.1** a\n- **2.1** b\n- **2.2** c\n- **3.1** d\n- **3.2** e\n- **4.1** f\n",
) -> str:
    return (
        "# One: lesson plan\n\n## Pre-class reading\n\n- Chapter one.\n\n"
        + plan
        + "\n## Discussion questions\n\n1. Why?\n\n   *Model answer:* Because.\n\n"
        "2. How?\n\n   *Model answer:* So.\n\n"
        "## Lab questions: model answers\n\n" + answers + "\n"
        "## Exit ticket\n\n**Question:** What is n?\n\n**Key:** 12 mice.\n\n"
        "**Rubric:**\n\n- 2 points: all.\n\n## Answers\n\nNotes.\n"
    )


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    write_lab(tmp_path, "lab-one", LAB_CELLS)
    (tmp_path / "chapters" / "instructor").mkdir(parents=True)
    (tmp_path / "chapters" / "instructor" / "01-one.md").write_text(page(), encoding="utf-8")
    return tmp_path


# -- parsing the labs ---------------------------------------------------------------------------
def test_lab_questions_are_numbered_by_section(mini):
    qs = lab_questions(mini / "notebooks" / "lab-one.ipynb")
    assert [q.qid for q in qs] == ["1.1", "2.1", "2.2", "3.1", "3.2", "4.1"]
    # A block ends at the next heading; numbered items keep their continuation lines.
    assert qs[0].text == "Why is the mean not zero?"
    assert "mice differ" in qs[2].text and "figure" not in qs[2].text
    assert qs[3].text == "Why not double?"


def test_labs_are_matched_to_their_chapter(mini):
    write_lab(mini, "lab-two", [], chapter="02-two")
    assert [p.stem for p in labs_for("chapters/01-one.md", mini)] == ["lab-one"]


# -- the rule ----------------------------------------------------------------------------------
def test_complete_page_passes(mini):
    assert check_instructor_page("chapters/instructor/01-one.md", mini) == []


def test_missing_model_answer_is_named_with_its_lab_and_question(mini):
    rel = "chapters/instructor/01-one.md"
    (mini / rel).write_text(page(answers="- **1.1** a\n- **2.1** b\n"), encoding="utf-8")
    problems = check_instructor_page(rel, mini)
    assert any("'**2.2**'" in p and "lab-one.ipynb" in p and rel in p for p in problems)
    assert len([p for p in problems if "no model answer" in p]) == 4


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (GOOD_PLAN.replace("| 30-45 |", "| 32-45 |"), "jumps from minute 30 to 32"),
        (GOOD_PLAN.replace("| 45-50 |", "| 45-55 |"), "ends at minute 55, not 50"),
        (GOOD_PLAN.replace("| 0-10 |", "| 5-10 |"), "starts at minute 5"),
        (GOOD_PLAN.replace("Lab in pairs", "Pairs"), "no lab slot"),
        (
            GOOD_PLAN.replace("| 10-30 |", "| 10-20 |").replace("| 30-45 |", "| 20-45 |"),
            "lab slot is shorter than 15 minutes",
        ),
        (GOOD_PLAN.replace("Exit ticket (below).", "Wrap-up"), "last row is not the exit ticket"),
        ("## Plan\n\nNone.\n", "no '## N-minute plan'"),
        (GOOD_PLAN.replace("students predict the result", "questions"), "asks students to predict"),
    ],
)
def test_plan_timing_errors_are_named(plan, message):
    problems = check_plan("x.md", page(plan=plan))
    assert any(message in p for p in problems), problems
    assert all(p.startswith("x.md: ") for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("## Pre-class reading\n\n- Chapter one.\n\n", "", "Pre-class reading"),
        ("   *Model answer:* So.\n\n", "", "discussion question 2 has no '*Model answer:*'"),
        ("**Key:** 12 mice.", "", "exit ticket has no '**Key:**'"),
        ("**Rubric:**", "Marking:", "exit ticket has no '**Rubric:**'"),
        ("## Exit ticket", "## Ticket", "no '## Exit ticket' section"),
    ],
)
def test_missing_parts_are_named(mini, old, new, message):
    rel = "chapters/instructor/01-one.md"
    text = (mini / rel).read_text(encoding="utf-8")
    assert old in text
    (mini / rel).write_text(text.replace(old, new), encoding="utf-8")
    problems = check_instructor_page(rel, mini)
    assert any(message in p for p in problems), problems


# -- the book ----------------------------------------------------------------------------------
def test_make_check_runs_the_instructor_rule():
    assert "booktools.instructor_check:check_instructor_pages" in RULES


def test_all_eleven_instructor_pages_are_class_ready():
    ready, total = class_ready_pages(ROOT)
    print(f"instructor pages passing the class-ready check: {ready} of {total}")
    assert total == 11
    assert check_instructor_pages(ROOT) == []


def test_every_lab_question_of_the_book_has_a_model_answer():
    labs = sorted((ROOT / "notebooks").glob("lab-*.ipynb"))
    questions = [q for lab in labs for q in lab_questions(lab)]
    print(f"lab questions: {len(questions)} in {len(labs)} labs")
    assert len(labs) >= 11 and len(questions) >= 50
    for lab in labs:
        assert lab_questions(lab), f"{lab.name}: no questions found"


def test_chapter_9_plan_asks_for_the_prediction_before_the_lab_prints_it():
    text = (ROOT / "chapters/instructor/09-design-animals.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+)-(\d+) \|([^|]*)\|", text, re.MULTILINE)
    predict = [int(a) for a, _, act in rows if "predict" in act and "false positive" in act]
    lab = [int(a) for a, _, act in rows if act.strip().startswith("Lab")]
    assert predict and lab and predict[0] < lab[0]


# -- handouts ----------------------------------------------------------------------------------
def test_handout_lists_every_question_and_the_exit_ticket(mini):
    text = handout_markdown(mini / "notebooks" / "lab-one.ipynb", mini)
    for qid in ("1.1", "2.1", "2.2", "3.1", "3.2", "4.1"):
        assert f"**{qid}**" in text
    assert "**Exit ticket.** What is n?" in text
    assert text.count("rw-answer-space") == 7
    assert "About 30 minutes." in text


def test_handout_for_a_missing_lab_names_it(tmp_path):
    with pytest.raises(ValueError, match="lab-none"):
        handout_markdown(tmp_path / "notebooks" / "lab-none.ipynb", tmp_path)


def test_exit_ticket_question_of_every_plan():
    for rel in sorted((ROOT / "chapters/instructor").glob("[0-9][0-9]-*.md")):
        assert exit_ticket_question(rel), rel.name


def test_built_handouts_page_has_one_handout_per_lab(site):
    html = (site / "chapters/instructor/handouts.html").read_text(encoding="utf-8")
    labs = sorted((ROOT / "notebooks").glob("lab-*.ipynb"))
    assert len(re.findall(r'class="rw-handout[ "]', html)) == len(labs)

    def letters(text: str) -> str:  # compare text without markup, maths or punctuation
        return re.sub(r"[^a-z]", "", text.lower())

    page = letters(html_lib.unescape(re.sub(r"<[^>]+>", "", html)))
    for lab in labs:
        for q in lab_questions(lab):
            assert letters(q.text.split("$")[0])[:30] in page, f"{lab.name} {q.qid}"
