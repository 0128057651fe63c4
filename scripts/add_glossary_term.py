"""Add a term to the book's glossary (chapters/glossary.md), keeping it sorted.

Usage: python scripts/add_glossary_term.py "term" "One or two sentences defining it."

Safe to run from several processes at once (the file is locked while it is rewritten).
Refuses a term that already exists (case-insensitive), naming it.
"""

from __future__ import annotations

import fcntl
import re
import sys
import textwrap
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[1] / "chapters" / "glossary.md"
FENCE = "```{glossary}"


def parse(block: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    term = None
    for line in block.splitlines():
        if line and not line.startswith(" "):
            term = line.strip()
            entries[term] = ""
        elif term is not None and line.strip():
            entries[term] += (" " if entries[term] else "") + line.strip()
    return entries


def render(entries: dict[str, str]) -> str:
    out = []
    for term in sorted(entries, key=str.lower):
        body = textwrap.fill(entries[term], width=92, initial_indent="  ", subsequent_indent="  ")
        out.append(f"{term}\n{body}\n")
    return "\n".join(out)


def add(term: str, definition: str) -> None:
    term, definition = term.strip(), " ".join(definition.split())
    if not term or not definition:
        sys.exit("both a term and a definition are needed")
    if "\n" in term or term.startswith(" "):
        sys.exit(f"a term must be one line without leading spaces, got {term!r}")
    with open(GLOSSARY, "r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        text = fh.read()
        m = re.search(r"```\{glossary\}\n(.*?)\n```", text, flags=re.DOTALL)
        if not m:
            sys.exit(f"{GLOSSARY}: no {FENCE} block found")
        entries = parse(m.group(1))
        if any(t.lower() == term.lower() for t in entries):
            sys.exit(f"glossary already has the term {term!r}")
        entries[term] = definition
        new = text[: m.start(1)] + render(entries).rstrip("\n") + text[m.end(1) :]
        fh.seek(0)
        fh.write(new)
        fh.truncate()
    print(f"added {term!r} ({len(entries)} terms)")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    add(sys.argv[1], sys.argv[2])
