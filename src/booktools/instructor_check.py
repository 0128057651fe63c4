"""Class-ready instructor pages: the rule behind ``make check`` (``check_instructor_pages``).

Each lesson plan ``chapters/instructor/NN-name.md`` goes with the chapter ``chapters/NN-name.md``
and with the lab(s) whose first cell says "Goes with the chapter [...](../chapters/NN-name.md)".
A page is class-ready when it has

- ``## Pre-class reading`` with at least one item;
- ``## N-minute plan``: a table whose first column is ``a-b`` minutes, starting at 0, each row
  starting where the previous one ended and the last ending at N; one row is the lab slot
  (its activity starts with "Lab", at least 15 minutes), a row before it asks students to
  predict (reveal order), and the last row is the exit ticket;
- ``## Discussion questions``: a numbered list, every question followed by a
  ``*Model answer:*``;
- ``## Lab questions: model answers`` with one ``**s.q**`` entry for every question of the
  chapter's lab (question ``q`` of lab section ``s``, see :func:`lab_questions`);
- ``## Exit ticket`` with a ``**Question:**``, a ``**Key:**`` and a ``**Rubric:**``.

Every problem names the page and what is missing, like the other rules of ``booktools.check``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

INSTRUCTOR_DIR = Path("chapters/instructor")
GOES_WITH = re.compile(r"Goes with the chapter \[[^\]]+\]\(\.\./(chapters/[\w-]+\.md)\)")
SECTION = re.compile(r"^## (\d+)\. ", re.MULTILINE)
MARKER = re.compile(r"^\*\*Questions?(?: for discussion)?\.\*\*", re.MULTILINE)
NUMBERED = re.compile(r"^\d+\.\s", re.MULTILINE)
INLINE_NUMBERED = re.compile(r"\(\d\)\s")
PLAN_HEADING = re.compile(r"^## (\d+)-minute plan\s*$", re.MULTILINE)
PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*[-\u2013]\s*(\d+)\s*\|([^|]*)\|", re.MULTILINE)
ANSWER_ID = re.compile(r"^\s*[-*]\s+\*\*(\d+\.\d+)\*\*", re.MULTILINE)
MIN_LAB_MINUTES = 15


@dataclass(frozen=True)
class LabQuestion:
    """One question of a lab: ``qid`` is ``"section.number"``, e.g. ``"2.3"``."""

    lab: str
    qid: str
    text: str


def lab_chapter(lab: Path) -> str | None:
    """The chapter (``chapters/NN-name.md``) a lab names in its first cell, or None."""
    cells = json.loads(lab.read_text(encoding="utf-8"))["cells"]
    if not cells:
        return None
    found = GOES_WITH.search("".join(cells[0]["source"]))
    return found.group(1) if found else None


def _split_items(block: str) -> list[str]:
    """The questions of one block: numbered items, inline (1) (2) items, or the whole block."""
    starts = [m.start() for m in NUMBERED.finditer(block)]
    if not starts:
        inline = [m.start() for m in INLINE_NUMBERED.finditer(block)]
        if len(inline) >= 2:
            starts = inline
    if not starts:
        return [block.strip()] if block.strip() else []
    ends = [*starts[1:], len(block)]
    items = []
    for a, b in zip(starts, ends, strict=True):
        text = block[a:b].strip()
        # A list item ends where an unindented paragraph follows it.
        text = re.split(r"\n\s*\n(?=\S)", text)[0] if NUMBERED.match(text) else text
        items.append(re.sub(r"^(\d+\.|\(\d\))\s*", "", text))
    return items


def lab_questions(lab: Path) -> list[LabQuestion]:
    """Every question of a lab notebook, numbered by lab section.

    A question block starts at a bold ``**Question.**``, ``**Questions.**`` or ``**Questions for
    discussion.**`` and runs to the next ``## `` heading or the end of the cell. Its questions
    are its numbered items (``1.``, or inline ``(1)``), else the whole block is one question.
    The section is the number of the last ``## N. Title`` heading before the block.
    """
    nb = json.loads(lab.read_text(encoding="utf-8"))
    section = 0
    counts: dict[int, int] = {}
    found: list[LabQuestion] = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        events = sorted(
            [(m.start(), "section", m) for m in SECTION.finditer(text)]
            + [(m.start(), "block", m) for m in MARKER.finditer(text)],
            key=lambda e: e[0],
        )
        for _pos, kind, match in events:
            if kind == "section":
                section = int(match.group(1))
                continue
            rest = text[match.end() :]
            stop = re.search(r"^#{1,6} ", rest, re.MULTILINE)
            block = rest[: stop.start()] if stop else rest
            for item in _split_items(block):
                counts[section] = counts.get(section, 0) + 1
                found.append(LabQuestion(lab.stem, f"{section}.{counts[section]}", item))
    return found


def labs_for(chapter: str, root: Path) -> list[Path]:
    """The labs that go with ``chapter`` (``chapters/NN-name.md``)."""
    return [
        p for p in sorted((root / "notebooks").glob("lab-*.ipynb")) if lab_chapter(p) == chapter
    ]


def sections(text: str) -> dict[str, str]:
    """``## `` heading -> the text under it (up to the next ``## `` heading)."""
    heads = list(re.finditer(r"^## (.+?)\s*$", text, re.MULTILINE))
    out = {}
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[h.group(1)] = text[h.end() : end]
    return out


def check_plan(rel: str, text: str) -> list[str]:
    """The timing table adds up, has a lab slot and ends with the exit ticket."""
    heading = PLAN_HEADING.search(text)
    if not heading:
        return [f"{rel}: no '## N-minute plan' section (e.g. '## 50-minute plan')"]
    total = int(heading.group(1))
    body = text[heading.end() :]
    nxt = re.search(r"^## ", body, re.MULTILINE)
    body = body[: nxt.start()] if nxt else body
    rows = [(int(a), int(b), act.strip()) for a, b, act in PLAN_ROW.findall(body)]
    if not rows:
        return [f"{rel}: the {total}-minute plan has no rows like '| 0-5 | activity | ... |'"]
    problems = []
    if rows[0][0] != 0:
        problems.append(f"{rel}: the plan starts at minute {rows[0][0]}, not 0")
    for (_, b0, _), (a1, _, act) in zip(rows, rows[1:], strict=False):
        if a1 != b0:
            problems.append(f"{rel}: the plan jumps from minute {b0} to {a1} (row '{act[:40]}')")
    for a, b, act in rows:
        if b <= a:
            problems.append(f"{rel}: plan row {a}-{b} ('{act[:40]}') has no time")
    if rows[-1][1] != total:
        problems.append(f"{rel}: the plan ends at minute {rows[-1][1]}, not {total}")
    lab_rows = [(a, b) for a, b, act in rows if re.match(r"\**Lab\b", act)]
    if not lab_rows:
        problems.append(f"{rel}: the plan has no lab slot (a row whose activity starts 'Lab')")
    elif max(b - a for a, b in lab_rows) < MIN_LAB_MINUTES:
        problems.append(
            f"{rel}: the lab slot is shorter than {MIN_LAB_MINUTES} minutes; give it time or "
            "move the lab to homework"
        )
    first_lab = next((i for i, (_, _, act) in enumerate(rows) if re.match(r"\**Lab\b", act)), None)
    if first_lab is not None and not any(
        re.search(r"\bpredict", act, re.IGNORECASE) for _, _, act in rows[:first_lab]
    ):
        problems.append(
            f"{rel}: no row before the lab slot asks students to predict (reveal order: "
            "students commit to a prediction before a lab or explorer shows the number)"
        )
    if not re.match(r"\**Exit ticket", rows[-1][2]):
        problems.append(f"{rel}: the plan's last row is not the exit ticket")
    return problems


def check_instructor_page(rel: str, root: Path) -> list[str]:
    """Every problem of one instructor page (``rel`` relative to ``root``)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    secs = sections(text)
    problems = check_plan(rel, text)

    reading = secs.get("Pre-class reading", "")
    if not re.search(r"^\s*[-*\d]", reading, re.MULTILINE):
        problems.append(f"{rel}: no '## Pre-class reading' section with at least one item")

    discussion = secs.get("Discussion questions")
    if discussion is None:
        problems.append(f"{rel}: no '## Discussion questions' section")
    else:
        items = _split_items(discussion)
        if not NUMBERED.search(discussion):
            problems.append(f"{rel}: the discussion questions are not a numbered list")
        for i, item in enumerate(items, 1):
            if "*Model answer:*" not in item:
                problems.append(f"{rel}: discussion question {i} has no '*Model answer:*'")

    chapter = f"chapters/{path.name}"
    labs = labs_for(chapter, root)
    answers_text = secs.get("Lab questions: model answers")
    if labs and answers_text is None:
        problems.append(f"{rel}: no '## Lab questions: model answers' section")
    answered = set(ANSWER_ID.findall(answers_text or ""))
    for lab in labs:
        for q in lab_questions(lab):
            if q.qid not in answered:
                problems.append(
                    f"{rel}: no model answer '**{q.qid}**' for question {q.qid} of "
                    f"notebooks/{lab.name} ({q.text[:50]!r})"
                )

    ticket = secs.get("Exit ticket")
    if ticket is None:
        problems.append(f"{rel}: no '## Exit ticket' section")
    else:
        for part in ("Question", "Key", "Rubric"):
            if f"**{part}:**" not in ticket:
                problems.append(f"{rel}: the exit ticket has no '**{part}:**'")
    return problems


def instructor_pages(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / INSTRUCTOR_DIR).glob("[0-9][0-9]-*.md"))


def check_instructor_pages(root: Path) -> list[str]:
    """Problems of every lesson plan in ``chapters/instructor/`` (empty: all class-ready)."""
    problems: list[str] = []
    for rel in instructor_pages(root):
        problems += check_instructor_page(rel, root)
    return problems


def class_ready_pages(root: Path) -> tuple[int, int]:
    """(pages that pass, pages in all)."""
    pages = instructor_pages(root)
    return sum(not check_instructor_page(p, root) for p in pages), len(pages)
