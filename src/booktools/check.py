"""Checks a contributor can run before opening a pull request: ``make check``.

Each check returns a list of problems, each naming the file and what is wrong; the tests in
``tests/test_content.py`` call the same functions. Run ``python -m booktools.check`` to see
every problem at once.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .paths import book_root
from .publish import sync_install_cells

try:  # the book's folder, found from its _config.yml (see booktools.paths)
    ROOT = book_root()
except FileNotFoundError:  # imported outside a book: functions take an explicit root
    ROOT = Path.cwd()

#: Pages in chapters/ that are back matter, not chapters with the full structure.
BACK_MATTER = {
    "chapters/glossary.md",
    "chapters/references.md",
    "chapters/contributing.md",
    "chapters/instructor-guide.md",
}

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
TERM = re.compile(r"\{term\}`([^`]+)`")
DIRECTIVE = re.compile(
    r"^(`{3,}|~{3,})\{(?P<name>[\w:-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^\1\s*$",
    re.MULTILINE | re.DOTALL,
)


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


def chapter_files(root: Path = ROOT) -> list[str]:
    """Chapters in the table of contents that need the full chapter structure."""
    return [
        f
        for f in toc_files(root)
        if f.startswith("chapters/")
        and f.endswith(".md")
        and f not in BACK_MATTER
        and not f.startswith("chapters/instructor/")
    ]


def parse_bib(path: Path) -> dict[str, BibEntry]:
    """A small BibTeX reader: entry keys and their ``field = {value}`` pairs."""
    text = path.read_text(encoding="utf-8")
    entries: dict[str, BibEntry] = {}
    for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", text, flags=re.DOTALL):
        fields = {
            k.lower(): v.strip()
            for k, v in re.findall(r"(\w+)\s*=\s*\{(.*?)\}\s*,?\s*$", m.group(3), flags=re.M)
        }
        entries[m.group(2)] = BibEntry(m.group(2), fields)
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
    problems = [
        f"_toc.yml lists {f}, which does not exist"
        for f in toc_files(root)
        if not (root / f).is_file()
    ]
    listed = set(toc_files(root))
    pages = sorted((root / "chapters").rglob("*.md")) + sorted((root / "notebooks").glob("*.ipynb"))
    for p in pages:
        rel = str(p.relative_to(root))
        if p.name.startswith("_"):  # templates and fragments are not pages
            continue
        if rel not in listed:
            problems.append(f"{rel} is not in _toc.yml (add it, or the book will not show it)")
    return problems


def check_chapter(rel: str, root: Path = ROOT) -> list[str]:
    """Problems with one chapter's structure (see CONTRIBUTING and the chapter template)."""
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
    if not cited_keys(text):
        problems.append("cites no paper ({cite:p}`key` or {cite:t}`key`)")
    if not re.search(r"^##\s+Further reading", text, flags=re.M):
        problems.append("missing a '## Further reading' section")
    return [f"{rel}: {p}" for p in problems]


def check_citations(root: Path = ROOT, *, require_all_cited: bool = True) -> list[str]:
    bib = parse_bib(root / "references.bib")
    problems = []
    used: set[str] = set()
    for rel, text in book_texts(root).items():
        for key in cited_keys(text):
            used.add(key)
            if key not in bib:
                problems.append(f"{rel}: cites '{key}', which is not in references.bib")
    for key, entry in bib.items():
        for field in ("author", "title", "journal", "year", "doi"):
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
    terms = {t.lower() for t in glossary_terms(root)}
    problems = []
    if len(terms) < minimum:
        problems.append(f"chapters/glossary.md: {len(terms)} terms; at least {minimum} needed")
    for rel, text in book_texts(root).items():
        for term in TERM.findall(text):
            target = re.sub(r"^.*<(.+)>$", r"\1", term).strip().lower()
            if target not in terms:
                problems.append(f"{rel}: {{term}}`{term}` is not in the glossary")
    return problems


def check_notebooks(root: Path = ROOT) -> list[str]:
    problems = []
    for p in sorted((root / "notebooks").glob("*.ipynb")):
        nb = json.loads(p.read_text(encoding="utf-8"))
        rel = str(p.relative_to(root))
        for i, c in enumerate(nb["cells"]):
            if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count")):
                problems.append(f"{rel}: cell {i} is committed with outputs; clear them")
    # Every lab and executable chapter starts with the current install cell.
    problems += sync_install_cells(root)
    return problems


def all_problems(root: Path = ROOT) -> list[str]:
    problems = check_toc(root) + check_citations(root) + check_glossary(root)
    problems += check_notebooks(root)
    for rel in chapter_files(root):
        problems += check_chapter(rel, root)
    return problems


def main() -> int:
    problems = all_problems()
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)" if problems else "book check: no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
