"""Checks a contributor can run before opening a pull request: ``make check``.

Only rules that the build does **not** already enforce live here. ``jupyter-book build -W -n``
already fails on an unknown citation key (sphinxcontrib-bibtex), an unknown glossary term
(``{term}``), a broken cross-reference, a ``_toc.yml`` entry without a file, and a failing
cell; those rules are therefore not repeated. What is left is what Sphinx cannot see: the
structure of a chapter, bibliography entries that are incomplete or never cited (Sphinx drops
them silently), pages missing from ``_toc.yml`` (``only_build_toc_files`` skips them
silently), the size of the glossary, committed notebook outputs, install cells and the
self-check quiz files.

Each rule is a function ``rule(root: Path) -> list[str]``; each problem names the file and
what is wrong. Rules are listed in :data:`RULES` as ``"module:function"`` strings (imported
when run), so a new rule in its own module is one added line. ``python -m booktools.check``
(``make check``) runs them all; ``tests/test_content.py`` calls the same functions.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .paths import book_root

try:  # the book's folder, found from its _config.yml (see booktools.paths)
    ROOT = book_root()
except FileNotFoundError:  # imported outside a book: functions take an explicit root
    ROOT = Path.cwd()

#: Every rule ``make check`` runs, as ``"module:function"``; each takes the book's root folder
#: and returns a list of problems. To add a rule, write it in its own module and add one line.
RULES: list[str] = [
    "booktools.check:check_toc",
    "booktools.check:check_citations",
    "booktools.check:check_glossary",
    "booktools.check:check_notebooks",
    "booktools.check:check_chapters",
    "booktools.quiz:check_quizzes",
    "booktools.notation:check_notation",
    "booktools.evidence_check:check_evidence_coverage",
    "booktools.evidence_check:check_evidence_numbers",
    "booktools.instructor_check:check_instructor_pages",
]

#: Pages in chapters/ that are back matter, not chapters with the full structure.
BACK_MATTER = {
    "chapters/glossary.md",
    "chapters/references.md",
    "chapters/contributing.md",
    "chapters/instructor-guide.md",
    "chapters/evidence-table.md",
}

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
DIRECTIVE = re.compile(
    r"^(`{3,}|~{3,})\{(?P<name>[\w:-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^\1\s*$",
    re.MULTILINE | re.DOTALL,
)
#: Fields every bibliography entry needs (the references page and the tests rely on them).
BIB_FIELDS = ("author", "title", "journal", "year", "doi")


@dataclass(frozen=True)
class BibEntry:
    key: str
    fields: dict[str, str]


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file listed in ``_toc.yml`` (relative paths with their suffix)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "file" in node:
                found.append(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    found.append(str(toc["root"]))
    walk(toc.get("parts", toc.get("chapters", [])))
    resolved = []
    for f in found:
        for suffix in ("", ".md", ".ipynb"):
            if (root / f"{f}{suffix}").is_file():
                resolved.append(f"{f}{suffix}")
                break
        else:
            resolved.append(f)
    return resolved


#: A chapter's file name: ``chapters/NN-name.md``. Other pages in chapters/ are back matter.
CHAPTER_FILE = re.compile(r"chapters/\d\d-[a-z0-9-]+\.md")


def chapter_files(root: Path = ROOT) -> list[str]:
    """Chapters (``chapters/NN-name.md``) in the table of contents: they need the full
    chapter structure, a lab and a quiz."""
    return [f for f in toc_files(root) if CHAPTER_FILE.fullmatch(f) and f not in BACK_MATTER]


class BibError(ValueError):
    """``references.bib`` cannot be read; the message names the file and the reason."""


def parse_bib(path: Path) -> dict[str, BibEntry]:
    """Entries of a BibTeX file, read with pybtex: key -> fields (lower-case names).

    Authors and editors are given back as ``"Last, First and Last, First"``. A syntax error
    or a duplicate key raises :class:`BibError` naming the file.
    """
    from pybtex import errors as pybtex_errors
    from pybtex.database import parse_file

    pybtex_errors.set_strict_mode(True)
    try:
        data = parse_file(str(path), bib_format="bibtex")
    except Exception as err:  # pybtex raises several unrelated exception types
        raise BibError(f"{path}: cannot be parsed by pybtex: {err}") from err
    entries: dict[str, BibEntry] = {}
    for key, entry in data.entries.items():
        fields = {name.lower(): str(value).strip() for name, value in entry.fields.items()}
        for role, persons in entry.persons.items():
            fields[role.lower()] = " and ".join(str(p) for p in persons)
        entries[key] = BibEntry(key, fields)
    return entries


def cited_keys(text: str) -> list[str]:
    return [k.strip() for group in CITE.findall(text) for k in group.split(",") if k.strip()]


def book_texts(root: Path = ROOT) -> dict[str, str]:
    """Text of every page in the toc (notebooks: their markdown cells)."""
    texts = {}
    for f in toc_files(root):
        p = root / f
        if not p.is_file():
            continue
        if p.suffix == ".ipynb":
            nb = json.loads(p.read_text(encoding="utf-8"))
            texts[f] = "\n".join(
                "".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"
            )
        else:
            texts[f] = p.read_text(encoding="utf-8")
    return texts


def check_toc(root: Path = ROOT) -> list[str]:
    """Pages that exist but are missing from ``_toc.yml`` (the build skips them silently)."""
    listed = set(toc_files(root))
    pages = sorted((root / "chapters").rglob("*.md")) + sorted((root / "notebooks").glob("*.ipynb"))
    problems = []
    for p in pages:
        rel = p.relative_to(root).as_posix()
        if any(part.startswith("_") for part in p.relative_to(root).parts):
            continue  # templates, fragments and data are not pages
        if rel not in listed:
            problems.append(f"{rel} is not in _toc.yml (add it, or the book will not show it)")
    return problems


def check_chapter(rel: str, root: Path = ROOT) -> list[str]:
    """Problems with one chapter's structure (see chapters/contributing.md and the template)."""
    text = (root / rel).read_text(encoding="utf-8")
    problems = []
    if not text.startswith("---\njupytext:"):
        problems.append("missing the jupytext/kernelspec header (copy it from the template)")
    if not re.search(r"^\(ch-[\w-]+\)=\s*\n#\s+\S", text, flags=re.M):
        problems.append("missing a '(ch-NAME)=' label right before the '# Title' line")
    directives = [
        (m.group("name"), m.group("arg").strip(), m.group("body")) for m in DIRECTIVE.finditer(text)
    ]
    admonitions = [arg for name, arg, _ in directives if name == "admonition"]
    for needed in ("Learning objectives", "Key takeaways", "Questions on the explorer", "Answers"):
        if needed not in admonitions:
            problems.append(f"missing the '{needed}' admonition")
    if "**Prerequisites:**" not in text:
        problems.append("missing a '**Prerequisites:**' line")
    code = [body for name, _, body in directives if name == "code-cell"]
    if not any(re.search(r"\bexplore_\w+\(", body) for body in code):
        problems.append(
            "no code cell calls an explore_* function (every chapter needs an interactive explorer)"
        )
    exercises = [(arg, body) for name, arg, body in directives if name == "exercise"]
    labels = [
        m.group(1)
        for _, body in exercises
        for m in [re.search(r"^:label:\s*(\S+)", body, flags=re.M)]
        if m
    ]
    if len(exercises) < 2:
        problems.append(f"has {len(exercises)} exercise(s); at least 2 are needed")
    if len(labels) < len(exercises):
        problems.append("every exercise needs a ':label:'")
    solutions = {arg: body for name, arg, body in directives if name == "solution"}
    for label in labels:
        if label not in solutions:
            problems.append(f"exercise {label} has no solution")
        elif not re.search(r"^:class:\s*dropdown", solutions[label], flags=re.M):
            problems.append(f"the solution of {label} is not hidden (add ':class: dropdown')")
    if not any(name == "quiz" for name, _, _ in directives):
        problems.append("has no self-check quiz (a '```{quiz} NAME' block before Further reading)")
    if not cited_keys(text):
        problems.append("cites no paper ({cite:p}`key` or {cite:t}`key`)")
    if not re.search(r"^##\s+Further reading", text, flags=re.M):
        problems.append("missing a '## Further reading' section")
    return [f"{rel}: {p}" for p in problems]


def check_chapters(root: Path = ROOT) -> list[str]:
    """The structure of every chapter in the table of contents."""
    return [p for rel in chapter_files(root) for p in check_chapter(rel, root)]


def check_citations(root: Path = ROOT, *, require_all_cited: bool = True) -> list[str]:
    """Incomplete bibliography entries and entries no page cites.

    Unknown keys are not checked here: the build fails on them.
    """
    path = root / "references.bib"
    try:
        bib = parse_bib(path)
    except BibError as err:
        return [str(err).replace(str(path), "references.bib")]
    used = {key for text in book_texts(root).values() for key in cited_keys(text)}
    problems = []
    for key, entry in bib.items():
        for field in BIB_FIELDS:
            if not entry.fields.get(field):
                problems.append(f"references.bib: entry '{key}' has no {field}")
        doi = entry.fields.get("doi", "")
        if doi and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
            problems.append(f"references.bib: entry '{key}' has a malformed DOI {doi!r}")
        if require_all_cited and key not in used:
            problems.append(f"references.bib: entry '{key}' is never cited in the book")
    return problems


def glossary_terms(root: Path = ROOT) -> list[str]:
    text = (root / "chapters" / "glossary.md").read_text(encoding="utf-8")
    m = re.search(r"```\{glossary\}\n(.*?)\n```", text, flags=re.DOTALL)
    block = m.group(1) if m else ""
    return [line.strip() for line in block.splitlines() if line and not line.startswith(" ")]


def check_glossary(root: Path = ROOT, *, minimum: int = 40) -> list[str]:
    """The glossary has enough terms (unknown ``{term}`` links already fail the build)."""
    terms = {t.lower() for t in glossary_terms(root)}
    if len(terms) < minimum:
        return [f"chapters/glossary.md: {len(terms)} terms; at least {minimum} needed"]
    return []


def check_notebooks(root: Path = ROOT) -> list[str]:
    """Labs committed without outputs, and every page's install cell up to date."""
    from .publish import sync_install_cells

    problems = []
    for p in sorted((root / "notebooks").glob("*.ipynb")):
        nb = json.loads(p.read_text(encoding="utf-8"))
        rel = p.relative_to(root).as_posix()
        for i, c in enumerate(nb["cells"]):
            if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count")):
                problems.append(f"{rel}: cell {i} is committed with outputs; clear them")
    # Every lab and executable chapter starts with the current install cell.
    problems += sync_install_cells(root)
    return problems


def load_rule(spec: str) -> Callable[[Path], list[str]]:
    """The function named by a ``"module:function"`` entry of :data:`RULES`."""
    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as err:
        raise ValueError(f"booktools.check.RULES: cannot load rule {spec!r}: {err}") from err


def all_problems(root: Path = ROOT, rules: list[str] | None = None) -> list[str]:
    """Problems found by every rule (or by ``rules``), in order."""
    return [p for spec in rules or RULES for p in load_rule(spec)(root)]


def main() -> int:
    problems = all_problems()
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)" if problems else "book check: no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
