"""Scaffold a new chapter: ``make new-chapter NAME=sleep TITLE="Sleep and spines"``.

Writes, for the next free chapter number NN:

- ``chapters/NN-NAME.md`` from ``chapters/_template.md`` (label ``ch-NAME``, the title,
  exercise labels, the lab link and the quiz block filled in);
- ``notebooks/lab-NAME.ipynb``: the install cell, one coded exercise (stub, solution and check
  cells, see ``booktools.editions``) and discussion questions;
- ``chapters/instructor/NN-NAME.md``: a lesson-plan page to fill in;
- ``chapters/_data/quizzes/NN-NAME.yml``: four starter questions (see ``booktools.quiz``);
- the ``_toc.yml`` entries: the chapter and its lab after the last chapter, the lesson plan
  after the last one (small insertions; the rest of the file is left as it is).

``make check`` and the build pass at once; then replace the placeholder text. Nothing is
written if any of these files (or the label ``ch-NAME``) already exists: the error names it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
TEMPLATE = Path("chapters") / "_template.md"
PLACEHOLDER = "your-topic"


class ScaffoldError(ValueError):
    """The chapter cannot be scaffolded; the message names the file or the setting."""


def next_number(root: Path) -> int:
    numbers = [int(p.name[:2]) for p in (root / "chapters").glob("[0-9][0-9]-*.md")]
    return max(numbers, default=0) + 1


def paths_for(root: Path, stem: str, name: str) -> dict[str, Path]:
    return {
        "chapter": root / "chapters" / f"{stem}.md",
        "lab": root / "notebooks" / f"lab-{name}.ipynb",
        "instructor": root / "chapters" / "instructor" / f"{stem}.md",
        "quiz": root / "chapters" / "_data" / "quizzes" / f"{stem}.yml",
    }


def chapter_text(root: Path, stem: str, name: str, title: str) -> str:
    template = (root / TEMPLATE).read_text(encoding="utf-8")
    for needed in (f"(ch-{PLACEHOLDER})=", "# Your chapter title", f"{{quiz}} NN-{PLACEHOLDER}"):
        if needed not in template:
            raise ScaffoldError(f"{TEMPLATE}: the template lost its placeholder {needed!r}")
    text = template.replace("# Your chapter title", f"# {title}", 1)
    text = text.replace(f"NN-{PLACEHOLDER}", stem)
    return text.replace(PLACEHOLDER, name)


def lab_notebook(root: Path, stem: str, name: str, title: str) -> nbformat.NotebookNode:
    sys.path.insert(0, str(root / "src"))
    from booktools.publish import config_locations, install_cell_source, project_version

    install = install_cell_source(config_locations(root, env={}), project_version(root))
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md(
            f"# Lab: {title}\n\n*About 30 minutes. Goes with the chapter "
            f"[{title}](../chapters/{stem}.md).*\n\n"
            "Say in two or three sentences what the reader will compute and why it matters."
        ),
        code(install, metadata={"tags": ["remove-cell"]}),
        code("import numpy as np\n\nfrom models.spines import SpineParams, steady_state"),
        md(
            "## 1. Your turn: a steady state\n\n"
            "Replace this exercise with one about your chapter. Complete the function, then run "
            "the check cell."
        ),
        code(
            "def density_at_steady_state(formation, elimination):\n"
            '    """Steady-state spine density (spines per µm) of the one-pool model."""\n'
            "    # YOUR CODE HERE: replace the next line.\n"
            "    raise NotImplementedError(\n"
            '        "density_at_steady_state is not written yet. Hint: at the steady state, "\n'
            '        "formation equals elimination times density."\n'
            "    )",
            metadata={"tags": ["stub"]},
        ),
        code(
            "# Reference solution (hidden in the student edition; "
            "skip this cell to test your own)\n"
            "def density_at_steady_state(formation, elimination):\n"
            '    """Steady-state spine density (spines per µm) of the one-pool model."""\n'
            "    return formation / elimination",
            metadata={"tags": ["solution", "hide-input"]},
        ),
        code(
            "try:\n"
            "    p = SpineParams(formation_per_um_day=0.03, transient_elimination_per_day=0.1,\n"
            "                    maturation_per_day=0.0)\n"
            "    ok = np.isclose(density_at_steady_state(0.03, 0.1), sum(steady_state(p)))\n"
            '    print("correct!" if ok else "not yet: compare with models.spines.steady_state")\n'
            "except NotImplementedError as err:\n"
            '    print("Not done yet:", err)',
            metadata={"tags": ["check"]},
        ),
        md(
            "**Questions for discussion.**\n\n"
            "1. Replace with a question that asks what the result means, and what it cannot show."
        ),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, cell in enumerate(nb.cells):  # stable ids: the same scaffold gives the same file
        cell["id"] = f"{name}-{i}"[:64]
    return nb


def instructor_text(stem: str, name: str, title: str) -> str:
    return f"""(instructor-{name})=
# {title}: lesson plan

One paragraph: the idea this session builds and where it leads. The chapter is
{{ref}}`ch-{name}`.

## Pre-class reading

- The sections of {{ref}}`ch-{name}` students read before class (15-25 minutes).

## 50-minute plan

| Minutes | Activity | Materials |
|---|---|---|
| 0-5 | Warm-up question. | Board |
| 5-18 | The chapter's first idea. | Chapter |
| 18-26 | Explorer: students write a prediction, then move the sliders. | Chapter explorer |
| 26-42 | Lab in pairs, section 1. | {{doc}}`../../notebooks/lab-{name}` |
| 42-47 | Discussion question 1 with the whole room. | Board |
| 47-50 | Exit ticket (below). | Paper slips |

**Lab:** {{doc}}`../../notebooks/lab-{name}` (about 30 minutes: section 1 in class, the rest
as homework).

## Discussion questions

1. A question that connects the chapter to its evidence.

   *Model answer:* What a good answer says, in two or three sentences.

## Lab questions: model answers

- **1.1** The model answer to question 1 of lab section 1 (`make check` asks for one per lab
  question, numbered section.question).

## Exit ticket

**Question:** One question every student answers in two minutes.

**Key:** The answer you expect.

**Rubric:**

- 2 points: what a full answer contains.
- 1 point: what a partial answer contains.
- 0 points: the misconception to listen for.

## Answers

Exercise and explorer answers are in the chapter's dropdowns. Lab: the steady state is
formation / elimination.
"""


def quiz_text(stem: str) -> str:
    return f"""# Self-check quiz for chapters/{stem}.md (format: src/booktools/quiz.py).
# Starter questions about the template's example: replace them with questions on your chapter.
questions:
  - prompt: What does a dendritic spine hold?
    options:
      - A synapse
      - A whole neuron
      - A blood vessel
    answer: 0
    explain: A spine is a small protrusion of a dendrite that receives an excitatory synapse.
    section: The idea
  - prompt: >-
      In the one-pool model, what is the steady-state density with formation 0.03 spines
      per µm per day and elimination 0.1 per day?
    answer: 0.3
    tolerance: 0.005
    unit: spines per µm
    explain: At the steady state formation equals elimination times density, so D = 0.03 / 0.1.
    section: The idea
  - prompt: Who measured the rise in spine density after psilocybin in mice?
    options:
      - A trial in people
      - Shao and colleagues, imaging mouse frontal cortex
      - A study of cultured neurons
    answer: 1
    explain: The mouse imaging study followed the same dendrites before and after one dose.
    section: The idea
    cite: [shao2021]
  - prompt: What does the explorer in this chapter let you change?
    options:
      - Nothing; it is a picture
      - The model's parameters, with the figure following each slider
    answer: 1
    explain: Each slider sets one model parameter; the static book shows precomputed frames.
    section: Exploring the model
"""


def insert_toc_entries(toc: str, stem: str, name: str) -> str:
    """``toc`` with the chapter and its lab after the last chapter (and its lab), and the
    lesson plan after the last lesson plan."""
    lines = toc.splitlines(keepends=True)

    def last(pattern: str) -> int:
        found = [i for i, line in enumerate(lines) if re.match(pattern, line)]
        if not found:
            raise ScaffoldError(f"_toc.yml: no entry matching {pattern!r} to insert after")
        return found[-1]

    i = last(r"\s*- file: chapters/instructor/\d\d-")
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines.insert(i + 1, f"{indent}- file: chapters/instructor/{stem}\n")
    i = last(r"\s*- file: chapters/\d\d-")
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    while i + 1 < len(lines) and lines[i + 1].startswith(f"{indent}- file: notebooks/"):
        i += 1
    lines[i + 1 : i + 1] = [
        f"{indent}- file: chapters/{stem}\n",
        f"{indent}- file: notebooks/lab-{name}\n",
    ]
    return "".join(lines)


def scaffold(root: Path, name: str, title: str) -> list[Path]:
    """Write the new chapter's files and toc entries; return the files written."""
    name, title = (name or "").strip(), " ".join((title or "").split())
    if not name:
        raise ScaffoldError('NAME is missing: make new-chapter NAME=sleep TITLE="Sleep and spines"')
    if not title:
        raise ScaffoldError(f'TITLE is missing: make new-chapter NAME={name} TITLE="..."')
    if not SLUG.fullmatch(name):
        raise ScaffoldError(
            f"NAME={name!r} must be lower-case words joined by hyphens (e.g. 'sleep-spines'); "
            "the chapter number is added for you"
        )
    stem = f"{next_number(root):02d}-{name}"
    targets = paths_for(root, stem, name)
    existing = [p for p in (root / "chapters").glob(f"[0-9][0-9]-{name}.md")]
    existing += [p for p in targets.values() if p.exists()]
    if existing:
        raise ScaffoldError(f"NAME={name!r} already exists: {existing[0].relative_to(root)}")
    label = re.compile(rf"^\(ch-{re.escape(name)}\)=", re.M)
    for page in sorted((root / "chapters").rglob("*.md")):
        if page.name != TEMPLATE.name and label.search(page.read_text(encoding="utf-8")):
            raise ScaffoldError(f"the label ch-{name} is already used in {page.relative_to(root)}")
    toc_path = root / "_toc.yml"
    toc = insert_toc_entries(toc_path.read_text(encoding="utf-8"), stem, name)

    texts = {
        "chapter": chapter_text(root, stem, name, title),
        "instructor": instructor_text(stem, name, title),
        "quiz": quiz_text(stem),
    }
    lab = lab_notebook(root, stem, name, title)
    for key, text in texts.items():
        targets[key].parent.mkdir(parents=True, exist_ok=True)
        targets[key].write_text(text, encoding="utf-8")
    nbformat.write(lab, targets["lab"])
    toc_path.write_text(toc, encoding="utf-8")
    return [*targets.values(), toc_path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="short name, e.g. sleep-spines")
    parser.add_argument("--title", required=True, help="the chapter's title")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book's folder")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.root.resolve(), args.name, args.title)
    except ScaffoldError as err:
        print(f"new-chapter: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root.resolve())}")
    print("Next: replace the placeholder text, then run 'make check' and 'make book'.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
