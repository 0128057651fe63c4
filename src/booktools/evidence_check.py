"""``make check`` rules for study numbers: a number in a sentence that cites a study must be in
that study's evidence record (``chapters/_data/evidence/<key>.yml``).

A sentence is checked when it cites (``{cite}``, ``{cite:p}``, ``{cite:t}``) at least one study
with a record; its numbers must appear in one of those records (a rounded form counts:
"+7 %" matches 6.9). A number that matches only a number the record marks ``unverified`` is
flagged too: the book does not state unverified numbers as fact. Numbers that are not about
the study (a chapter number, a model's output next to the citation) go in the reviewed
exceptions file ``chapters/_data/evidence/_exceptions.yml``, each with its reason; an exception
that no longer matches anything is itself reported, so the list stays short.

A second rule checks coverage: every cited work has a record or is listed, with a reason, in
``_other-sources.yml``; every chapter shows a card (``{evidence} key``) for each study with a
record that it cites.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .evidence import EVIDENCE_DIR, OTHER_SOURCES, EvidenceError, load_records, other_sources

EXCEPTIONS = "_exceptions.yml"

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_SKIP_FENCES = {"code-cell", "code", "glue", "glue:figure", "math", "evidence", "evidence-table"}
_LIST_ITEM = re.compile(r"^([-*+]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*(`{3,}|:{3,}|~{3,})\s*(\{(?P<name>[\w:-]+)\})?")
#: A number as written in prose: 1,000 / 0.48 / 12 (not part of a name like Egr2 or 5-HT2A).
NUMBER = re.compile(
    r"(?<![\w.,/^])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w/]|[.,]\d|-(?!fold\b)[A-Za-z])"
)
_SENTENCE_END = re.compile(
    r"(?<!\bet al)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bi\.p)(?<=[.!?])\s+(?=[A-Z*\"(])"
)


@dataclass(frozen=True)
class Sentence:
    file: str
    line: int
    text: str
    keys: tuple[str, ...]


def prose_blocks(text: str) -> list[tuple[int, str]]:
    """Paragraphs (and table rows) of a MyST page with their first line number; code cells,
    maths, front matter and directive options are left out."""
    lines = text.split("\n")
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    stack: list[tuple[str, bool]] = []  # (fence marker, skipped?)
    i = 0
    if lines and lines[0].strip() == "---":
        i = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), 0) + 1

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((start, " ".join(current)))
        current = []

    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if stack and line.strip() == stack[-1][0]:
                stack.pop()
                flush()
                i += 1
                continue
            if m.group("name") or not stack or not stack[-1][1]:
                flush()
                skipped = (m.group("name") in _SKIP_FENCES) or (not m.group("name"))
                stack.append((marker, skipped or any(s for _, s in stack)))
                i += 1
                continue
        skipping = any(s for _, s in stack)
        stripped = line.strip()
        if skipping or re.match(r"^:[\w-]+:", stripped) or stripped.startswith(("%", "(", "$$")):
            if not skipping and stripped.startswith("$$"):
                # display maths: skip to its end
                if not stripped.endswith("$$") or stripped == "$$":
                    i += 1
                    while i < len(lines) and "$$" not in lines[i]:
                        i += 1
            flush()
            i += 1
            continue
        if not stripped:
            flush()
        elif _LIST_ITEM.match(stripped):  # a list item starts a new block; its marker is no number
            flush()
            start = i + 1
            current = [_LIST_ITEM.sub("", stripped)]
        elif stripped.startswith("|"):
            # A table row; its first cell is a label (a checklist item, a timing) unless it cites.
            flush()
            start = i + 1
            cells = stripped.strip("|").split("|")
            if len(cells) > 1 and not CITE.search(cells[0]):
                cells = cells[1:]
            current = [" | ".join(cells)]
            flush()
        else:
            if not current:
                start = i + 1
            current.append(stripped)
        i += 1
    flush()
    return blocks


def sentences(file: str, text: str, keys_with_records: set[str]) -> list[Sentence]:
    """Sentences that cite at least one study with a record."""
    found = []
    for line, block in prose_blocks(text):
        for part in _SENTENCE_END.split(block):
            keys = [k.strip() for g in CITE.findall(part) for k in g.split(",")]
            studied = tuple(k for k in keys if k in keys_with_records)
            if studied:
                found.append(Sentence(file, line, part, studied))
    return found


def numbers_in(text: str) -> list[str]:
    """Numbers a reader sees in ``text`` (roles, inline code, maths, links and years left out)."""
    text = _ROLE.sub(" ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    out = []
    for m in NUMBER.finditer(text):
        token = m.group(1)
        value = float(token.replace(",", ""))
        if "." not in token and 1900 <= value <= 2030:
            continue  # a year
        out.append(token)
    return out


def _values(obj) -> list[float]:
    """Every number in a record: its ``numbers`` and any figure in its text fields."""
    found: list[float] = []
    if isinstance(obj, dict):
        for v in obj.values():
            found += _values(v)
    elif isinstance(obj, list):
        for v in obj:
            found += _values(v)
    elif isinstance(obj, bool) or obj is None:
        pass
    elif isinstance(obj, (int, float)):
        found.append(abs(float(obj)))
    elif isinstance(obj, str):
        found += [abs(float(t.replace(",", ""))) for t in numbers_in(obj)]
    return found


def record_values(record: dict) -> tuple[set[float], set[float]]:
    """(checked numbers, numbers that exist only as unverified) of one record."""
    unverified_entries = {
        k: v for k, v in record["numbers"].items() if v["provenance"] == "unverified"
    }
    checked_record = {
        **record,
        "numbers": {k: v for k, v in record["numbers"].items() if k not in unverified_entries},
    }
    checked = set(_values(checked_record))
    # A number the record's text mentions only as unverified (e.g. "90 min in press coverage")
    unverified = set(_values(unverified_entries)) - set(_values(checked_record["numbers"]))
    checked -= unverified
    return checked, unverified


def matches(token: str, values: set[float]) -> bool:
    """``token`` (as written) equals a value, or a value rounded to the token's precision."""
    x = float(token.replace(",", ""))
    decimals = len(token.split(".")[1]) if "." in token else 0
    for v in values:
        if math.isclose(x, v, abs_tol=1e-9) or round(v, decimals) == x:
            return True
    return False


@dataclass(frozen=True)
class Exception_:
    file: str
    number: str
    contains: str
    reason: str


def load_exceptions(folder: Path) -> list[Exception_]:
    path = folder / EXCEPTIONS
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for i, item in enumerate(data):
        missing = [f for f in ("file", "number", "contains", "reason") if not item.get(f)]
        if missing:
            raise EvidenceError(f"{path}: exception {i + 1} has no {', '.join(missing)}")
        out.append(Exception_(item["file"], str(item["number"]), item["contains"], item["reason"]))
    return out


def _book_texts(root: Path) -> dict[str, str]:
    from .check import book_texts

    return book_texts(root)


def flagged_numbers(root: Path) -> list[tuple[Sentence, str, str]]:
    """(sentence, number, why) for every number not backed by the cited studies' records."""
    folder = root / EVIDENCE_DIR
    records = load_records(folder)
    values = {k: record_values(r) for k, r in records.items()}
    flagged = []
    for rel, text in _book_texts(root).items():
        for s in sentences(rel, text, set(records)):
            checked = set().union(*(values[k][0] for k in s.keys))
            unverified = set().union(*(values[k][1] for k in s.keys))
            for token in numbers_in(s.text):
                if matches(token, checked):
                    continue
                why = (
                    "unverified in the record"
                    if matches(token, unverified)
                    else "not in the record"
                )
                flagged.append((s, token, why))
    return flagged


def _norm(text: str) -> str:
    return " ".join(text.split())


def _evidence_rule(check: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    """A ``make check`` rule whose evidence folder does not load reports that error (it names
    the file) as its one problem instead of failing."""

    @functools.wraps(check)
    def rule(root: Path) -> list[str]:
        try:
            return check(root)
        except EvidenceError as exc:
            return [str(exc)]

    return rule


@_evidence_rule
def check_evidence_numbers(root: Path) -> list[str]:
    """Numbers in sentences citing a study that its record does not hold (minus exceptions)."""
    flagged = flagged_numbers(root)
    exceptions = load_exceptions(root / EVIDENCE_DIR)
    used: set[Exception_] = set()
    problems = []
    for s, token, why in flagged:
        hit = next(
            (
                e
                for e in exceptions
                if e.file == s.file and e.number == token and _norm(e.contains) in _norm(s.text)
            ),
            None,
        )
        if hit:
            used.add(hit)
            continue
        short = _norm(s.text)
        short = short if len(short) <= 160 else short[:157] + "..."
        problems.append(
            f"{s.file}:{s.line}: {token} is {why} of {', '.join(s.keys)} (in: {short!r}); fix the "
            f"number, add it to the record, or list it in {EVIDENCE_DIR}/{EXCEPTIONS} with a reason"
        )
    for e in exceptions:
        if e not in used:
            problems.append(
                f"{EVIDENCE_DIR}/{EXCEPTIONS}: exception for {e.number} in {e.file} "
                f"({e.contains!r}) matches nothing; remove it"
            )
    return problems


_CARD = re.compile(r"^```\{evidence\}\s+(\S+)", re.M)


@_evidence_rule
def check_evidence_coverage(root: Path) -> list[str]:
    """Every cited work has a record or a reason; each chapter has a card per study it cites."""
    from .check import chapter_files, cited_keys

    records = load_records(root / EVIDENCE_DIR)
    others = other_sources(root / EVIDENCE_DIR)
    problems = []
    texts = _book_texts(root)
    for rel, text in texts.items():
        for key in sorted(set(cited_keys(text))):
            if key not in records and key not in others:
                problems.append(
                    f"{rel}: cites '{key}', which has no evidence record "
                    f"({EVIDENCE_DIR}/{key}.yml) and is not listed with a reason in "
                    f"{EVIDENCE_DIR}/{OTHER_SOURCES}"
                )
        for key in _CARD.findall(text):
            if key not in records:
                problems.append(f"{rel}: evidence card names an unknown study '{key}'")
    for rel in chapter_files(root):
        text = texts.get(rel, "")
        cards = set(_CARD.findall(text))
        for key in sorted({k for k in cited_keys(text) if k in records} - cards):
            problems.append(
                f"{rel}: cites {key} but shows no evidence card; add ```{{evidence}} {key}``` "
                "after the paragraph that first discusses it"
            )
    return problems


if __name__ == "__main__":  # pragma: no cover - a quick report
    from .paths import book_root

    for p in check_evidence_coverage(book_root()) + check_evidence_numbers(book_root()):
        print(p)
    print(json.dumps({"records": len(load_records(book_root() / EVIDENCE_DIR))}))
