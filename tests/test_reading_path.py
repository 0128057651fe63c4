"""One reading path: Next walks chapters and labs in teaching order, each page shows its
reading time, each chapter ends with a bridge to what comes next, and every explorer in a
chapter is introduced by a "Predict first" lead-in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docutils import nodes

from booktools.check import toc_files
from booktools.reading_time import (
    CSS_CLASS,
    WORDS_PER_MINUTE,
    add_reading_time,
    count_words,
    reading_minutes,
)

ROOT = Path(__file__).resolve().parents[1]
GOES_WITH = re.compile(r"Goes with the chapter \[[^\]]+\]\(\.\./(chapters/[\w-]+\.md)\)")


def lab_chapter(lab: Path) -> str:
    """The chapter a lab names in its first cell ("Goes with the chapter [...](...)")."""
    first = json.loads(lab.read_text(encoding="utf-8"))["cells"][0]
    text = "".join(first["source"])
    found = GOES_WITH.search(text)
    assert found, f"{lab.name}: first cell does not say which chapter it goes with"
    return found.group(1)


def reading_order() -> list[str]:
    return toc_files(ROOT)


def numbered_chapters() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("[0-9][0-9]-*.md"))


# -- table of contents ------------------------------------------------------------------------
def test_every_chapter_comes_in_number_order():
    order = [f for f in reading_order() if f in numbered_chapters()]
    assert order == numbered_chapters()


@pytest.mark.parametrize("lab", sorted((ROOT / "notebooks").glob("lab-*.ipynb")), ids=str)
def test_each_lab_follows_its_chapter(lab):
    order = reading_order()
    rel = str(lab.relative_to(ROOT))
    assert rel in order, f"{rel} is not in _toc.yml"
    chapter = lab_chapter(lab)
    i, j = order.index(chapter), order.index(rel)
    assert j > i, f"{rel} comes before its chapter {chapter}"
    between = [f for f in order[i + 1 : j] if f.startswith("chapters/")]
    assert not any(f in numbered_chapters() for f in between), (
        f"{rel} is separated from {chapter} by {between}: a reader following Next meets another "
        "chapter before the lab"
    )


@pytest.mark.parametrize("lab", sorted((ROOT / "notebooks").glob("lab-*.ipynb")), ids=str)
def test_chapter_points_to_its_lab(lab):
    chapter = (ROOT / lab_chapter(lab)).read_text(encoding="utf-8")
    assert f"notebooks/{lab.stem}`" in chapter, f"{lab_chapter(lab)} never links {lab.name}"


# -- bridges ------------------------------------------------------------------------------------
def last_section(text: str) -> tuple[str, str]:
    heads = list(re.finditer(r"^## (.+)$", text, re.MULTILINE))
    assert heads, "no ## section"
    return heads[-1].group(1).strip(), text[heads[-1].end() :]


@pytest.mark.parametrize("rel", numbered_chapters())
def test_chapter_ends_with_a_bridge_to_the_next_page(rel):
    title, body = last_section((ROOT / rel).read_text(encoding="utf-8"))
    assert title == "What comes next", f"{rel}: last section is {title!r}, not 'What comes next'"
    order = [f for f in reading_order() if f.startswith(("chapters/", "notebooks/"))]
    following = order[order.index(rel) + 1] if order.index(rel) + 1 < len(order) else None
    if following and re.match(r"(chapters/\d\d-|notebooks/lab-)", following):
        names = {Path(following).stem}
        if following.startswith("chapters/"):
            label = re.search(r"^\((ch-[\w-]+)\)=", (ROOT / following).read_text(), re.M)
            names |= {label.group(1)} if label else set()
        assert any(n in body for n in names), f"{rel}: the bridge does not name {following}"
    assert len(body.split()) >= 20, f"{rel}: the bridge is too short to say what comes next"


# -- reading time -------------------------------------------------------------------------------
def test_count_words_skips_outputs_maths_and_hidden_code():
    shown = nodes.paragraph("", "four words of prose")
    output = nodes.container(
        "", nodes.paragraph("", "printed output words"), classes=["cell_output"]
    )
    hidden = nodes.container("", nodes.literal_block("", "x = 1"), classes=["tag_hide-input"])
    maths = nodes.math("", r"\frac{a}{b} + c")
    doc = nodes.section("", nodes.title("", "Title"), shown, output, hidden, maths)
    assert count_words(doc) == 5


def test_reading_minutes_round_up_and_reject_bad_input():
    assert reading_minutes(WORDS_PER_MINUTE * 3) == 3
    assert reading_minutes(WORDS_PER_MINUTE * 3 + 1) == 4
    assert reading_minutes(1) == 1
    with pytest.raises(ValueError, match="words"):
        reading_minutes(-1)
    with pytest.raises(ValueError, match="words_per_minute"):
        reading_minutes(10, words_per_minute=0)


def test_reading_time_goes_right_after_the_title():
    words = " ".join(["word"] * 450)
    doc = nodes.document("", "")
    sec = nodes.section("", nodes.title("", "Title"), nodes.paragraph("", words))
    doc += sec
    assert add_reading_time(doc) == 451
    inserted = sec[1]
    assert isinstance(inserted, nodes.raw) and CSS_CLASS in inserted["classes"]
    assert "about 3 minutes" in inserted.astext()


def test_page_without_heading_is_left_alone():
    doc = nodes.document("", "")
    doc += nodes.paragraph("", "no title here")
    assert add_reading_time(doc) is None
    assert len(doc) == 1


def test_every_built_page_shows_its_reading_time(site):
    missing = []
    for rel in reading_order():
        page = site / Path(rel).with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        found = re.search(r'<p class="reading-time">Reading time: about (\d+) minutes?', html)
        if not found:
            missing.append(rel)
            continue
        # The line sits under the page's first heading, before any other paragraph.
        assert html.index("</h1>") < found.start() < html.find("<p>", html.index("</h1>")), rel
    assert not missing, f"pages without a reading time: {missing}"


# -- predict first ------------------------------------------------------------------------------
EXPLORER_CALL = re.compile(r"^explore_\w+\(", re.MULTILINE)
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
PREDICT = re.compile(r"^:{3,}\{admonition\} Predict first\s*\n:class: [^\n]*predict-first", re.M)


def explorer_lead_ins(text: str) -> list[tuple[str, bool]]:
    """(explorer call, has a Predict-first admonition since the previous visible code cell).

    Cells tagged ``remove-cell`` (hidden computations) are invisible to the reader, so a
    lead-in may sit before them.
    """
    found = []
    previous_end = 0
    for cell in CODE_CELL.finditer(text):
        call = EXPLORER_CALL.search(cell.group(1))
        if call:
            before = text[previous_end : cell.start()]
            found.append((cell.group(1).strip().splitlines()[-1], bool(PREDICT.search(before))))
        if not re.match(r":tags: \[[^\]]*remove-cell", cell.group(1)):
            previous_end = cell.end()
    return found


def test_lead_in_detector_needs_the_admonition_before_the_cell():
    text = (
        ":::{admonition} Predict first\n:class: predict-first\nGuess.\n:::\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\nx = 1\n```\n\n"
        "```{code-cell} ipython3\nexplore_a()\n```\n\n```{code-cell} ipython3\nexplore_b()\n```\n"
    )
    assert explorer_lead_ins(text) == [("explore_a()", True), ("explore_b()", False)]


def test_every_chapter_explorer_has_a_predict_first_lead_in():
    # Every page of the book (the chapter template, not a page, has its own lead-in too).
    pages = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("[!_]*.md"))
    assert all(ok for _, ok in explorer_lead_ins((ROOT / "chapters/_template.md").read_text()))
    results = {rel: explorer_lead_ins((ROOT / rel).read_text(encoding="utf-8")) for rel in pages}
    total = sum(len(r) for r in results.values())
    with_lead_in = sum(ok for r in results.values() for _, ok in r)
    print(f"explorers with a predict-first lead-in: {with_lead_in} of {total}")
    missing = [f"{rel}: {call}" for rel, r in results.items() for call, ok in r if not ok]
    assert total >= 11
    assert not missing, "explorers without a 'Predict first' lead-in:\n" + "\n".join(missing)
