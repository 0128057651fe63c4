"""The symbol table (``chapters/notation.md``) covers every maths symbol the chapters use.

:func:`symbols_in` reads the ``$...$`` and ``$$...$$`` maths of a Markdown page and returns
its symbols: a Latin letter or a Greek letter (``\\lambda``), with its subscript when it has one
(``k_a``, ``\\lambda_T``, ``t_\\text{peak}``, ``EC_{50}``). Operators and functions (``\\frac``,
``\\sqrt``, ``\\ln``, ``\\sum``, ``\\exp``), words in ``\\text{...}``, numbers and the upright
differential ``\\mathrm{d}`` are not symbols; the constant ``e`` in ``e^{...}`` is the
exponential and listed once.

:func:`check_notation` (a ``make check`` rule) reports, for every chapter in ``_toc.yml``, each
symbol that the table does not list for that chapter, and any symbol that the table gives two
meanings in the same chapter (a letter may mean different things in different chapters; each
meaning has its own row).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["check_notation", "normalize", "symbols_in", "table_rows"]

NOTATION = "chapters/notation.md"

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?!\s*\n))+?)(?<![\\$])\$")
_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}.*?^\1\s*$", re.DOTALL | re.MULTILINE)
#: Commands that are operators, functions, spacing or layout, not symbols.
_NOT_SYMBOLS = {
    "frac", "dfrac", "sqrt", "sum", "prod", "ln", "log", "exp", "max", "min", "left", "right",
    "big", "Big", "bigg", "cdot", "cdots", "ldots", "dots", "times", "pm", "mp", "approx",
    "leq", "geq", "le", "ge", "neq", "to", "infty", "quad", "qquad", "text", "textrm",
    "mathrm", "operatorname", "begin", "end", "aligned", "lvert", "rvert", "mid", "in", "sim",
    "propto", "lt", "gt", "over", "partial", "int", "mathbf", "boldsymbol", "bar", "hat",
    "tilde", "prime", "displaystyle", "tag", "label", "nonumber", "limits", "cases", "equiv",
    "ll", "gg", "circ", "degree", "%", ",", ";", "!", " ", "\\", "{", "}", "_",
}  # fmt: skip
_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}  # fmt: skip
#: Multi-letter names written as one symbol (upright or not).
_NAMES = ("EC_{50}", "ED50", "SE", "SD", "df")


def _math(text: str) -> list[str]:
    text = _FENCE.sub("", text)
    out = [m.group(1) for m in _DISPLAY.finditer(text)]
    text = _DISPLAY.sub(" ", text)
    out += [m.group(1) for m in _INLINE.finditer(text)]
    return out


def _group(s: str, i: int) -> tuple[str, int]:
    """The ``{...}`` group or single token starting at ``s[i]``; returns (content, end)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 0, i
        while j < len(s):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
            j += 1
        return s[i + 1 :], len(s)
    if s[i] == "\\":
        m = re.match(r"\\([A-Za-z]+)", s[i:])
        if m:
            if m.group(1) in ("text", "mathrm", "textrm", "operatorname"):
                inner, end = _group(s, i + m.end())
                return inner, end
            return "\\" + m.group(1), i + m.end()
    return s[i], i + 1


def normalize(sub: str) -> str:
    """A subscript as written in the table: ``{50}`` -> ``50``, ``\\text{peak}`` -> ``peak``."""
    sub = re.sub(r"\\(?:text|mathrm|textrm)\s*\{([^}]*)\}", r"\1", sub)
    sub = re.sub(r"\\(max|min)\b", r"\1", sub)
    return re.sub(r"[{}\s]", "", sub)


def symbols_in(math: str) -> set[str]:
    """Symbols of one maths expression (see the module docstring).

    Examples
    --------
    >>> sorted(symbols_in(r"\\frac{\\mathrm{d}D}{\\mathrm{d}t} = f - \\lambda_T\\,D"))
    ['D', '\\\\lambda_T', 'f', 't']
    >>> sorted(symbols_in(r"t_\\text{peak} = \\frac{\\ln(k_a / k_e)}{k_a - k_e}"))
    ['k_a', 'k_e', 't_peak']
    >>> sorted(symbols_in(r"D(t) = D^{*} + (D_0 - D^{*})\\,e^{-\\lambda t}"))
    ['D', 'D_0', '\\\\lambda', 'e', 't']
    """
    s = math
    # words, with any subscript they carry (\text{mean}_\text{control} is a word, not a symbol)
    s = re.sub(
        r"(?<!_)\\(?:text|textrm|operatorname)\s*\{[^{}]*\}"
        r"(?:\s*_\s*(?:\{[^{}]*\}|\\(?:text|mathrm)\s*\{[^{}]*\}|\w))?",
        " ",
        s,
    )
    s = re.sub(r"\\(bar|hat|tilde)\s*\{\s*([A-Za-z])\s*\}", r"\\\1@\2", s)  # x-bar: one symbol
    s = re.sub(r"\\mathrm\s*\{d\}", " ", s)  # the upright differential d
    s = re.sub(r"\\(?:begin|end)\{[^}]*\}", " ", s)
    found: set[str] = set()
    i = 0
    while i < len(s):
        c = s[i]
        name = None
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+)", s[i:])
            if not m:
                i += 2
                continue
            cmd = m.group(1)
            i += m.end()
            if cmd in ("mathrm", "text", "textrm") and i < len(s):
                inner, j = _group(s, i)
                if len(normalize(inner)) > 1:  # an upright name such as \mathrm{SE}
                    name, i = normalize(inner), j
                else:
                    i = j
                    continue
            elif cmd in _GREEK:
                name = "\\" + cmd
            elif cmd in ("bar", "hat", "tilde") and s[i : i + 1] == "@":
                name, i = f"\\{cmd}{{{s[i + 1]}}}", i + 2
            else:
                continue
        elif c.isalpha():
            for n in _NAMES:
                if s.startswith(n, i) and not s[i + len(n) : i + len(n) + 1].isalpha():
                    name, i = normalize(n), i + len(n)
                    break
            else:
                name, i = c, i + 1
        else:
            i += 1
            continue
        rest = s[i:].lstrip(" ")
        if rest.startswith("_"):
            sub, j = _group(s, len(s) - len(rest) + 1)
            name, i = f"{name}_{normalize(sub)}", j
        found.add(name)
    return found


def table_rows(root: Path) -> list[tuple[str, str, str]]:
    """``(symbol, meaning, where)`` for every row of the table in ``chapters/notation.md``;
    ``symbol`` is normalized the way :func:`symbols_in` writes symbols."""
    rows = []
    text = (root / NOTATION).read_text(encoding="utf-8")
    if "## Symbol table" not in text:
        raise ValueError(f"{NOTATION}: no '## Symbol table' section")
    for line in text.split("## Symbol table", 1)[1].splitlines():
        m = re.match(r"^\|\s*(\$.+?\$)\s*\|(.*?)\|(.*?)\|\s*$", line)
        if not m:
            continue
        for written in re.findall(r"\$(.+?)\$", m.group(1)):
            syms = symbols_in(written)
            if len(syms) != 1:
                raise ValueError(f"{NOTATION}: write one symbol per $...$, got ${written}$")
            rows.append((syms.pop(), m.group(2).strip(), m.group(3).strip()))
    return rows


def _chapter_ids(where: str) -> set[str]:
    return set(re.findall(r"\b(\d\d|toolkit)\b", where))


def _page_id(rel: str) -> str:
    name = Path(rel).stem
    return "toolkit" if name == "statistics-toolkit" else name[:2]


def check_notation(root: Path | None = None) -> list[str]:
    """Symbols used in a chapter but missing from the table (for that chapter), and symbols
    the table gives more than one meaning."""
    from .check import ROOT, toc_files

    root = root or ROOT
    if not (root / NOTATION).exists():
        return [f"{NOTATION} is missing (the symbol table)"]
    rows = table_rows(root)
    problems = []
    where: dict[str, set[str]] = {}
    for sym, _meaning, used in rows:
        pages = _chapter_ids(used)
        if not pages:
            problems.append(f"{NOTATION}: ${sym}$ names no chapter where it is used")
        both = where.get(sym, set()) & pages
        if both:
            problems.append(
                f"{NOTATION}: ${sym}$ has two meanings in chapter {', '.join(sorted(both))}: "
                "rename one of them"
            )
        where[sym] = where.get(sym, set()) | pages
    pages = [
        f
        for f in toc_files(root)
        if f.endswith(".md") and re.match(r"chapters/(\d\d-|statistics-toolkit)", f)
    ]
    for rel in pages:
        text = (root / rel).read_text(encoding="utf-8")
        used = set().union(*(symbols_in(m) for m in _math(text))) if _math(text) else set()
        page = _page_id(rel)
        for sym in sorted(used):
            if sym not in where:
                problems.append(f"{rel}: symbol ${sym}$ is not in {NOTATION}")
            elif page not in where[sym]:
                problems.append(f"{rel}: symbol ${sym}$ is used but its row in {NOTATION} "
                                f"does not list chapter {page}")  # fmt: skip
    return problems
