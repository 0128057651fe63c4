"""The symbol table (chapters/notation.md, booktools.notation): it covers every symbol the
chapters use, gives no symbol two meanings in one chapter, and the checker names what is
wrong. Chapter 02 writes the elimination rate as lambda, so e is only the exponential."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from booktools import notation
from booktools.check import RULES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def mini_book(tmp_path: Path) -> Path:
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    return tmp_path


def test_the_table_covers_every_chapter_symbol():
    assert notation.check_notation(ROOT) == []
    assert "booktools.notation:check_notation" in RULES  # make check runs it


def test_table_lists_the_statistics_toolkit_and_chapter_02_symbols():
    rows = {(sym, where) for sym, _, where in notation.table_rows(ROOT)}
    symbols = {sym for sym, _ in rows}
    assert {"\\lambda", "\\lambda_T", "\\lambda_P", "f", "k", "e", "t_crit", "SE"} <= symbols


def test_chapter_02_uses_e_only_for_the_exponential():
    text = (ROOT / "chapters" / "02-spines.md").read_text(encoding="utf-8")
    for math in notation._math(text):
        for m in re.finditer(r"(?<![A-Za-z\\])e(?![A-Za-z])", math):
            after = math[m.end() :]
            # e^{...}, or the sentence that introduces the constant itself (e = 2.718...)
            ok = after.startswith("^") or re.match(r"\s*\\approx 2\.718", after)
            assert ok, f"'e' not as e^(...) in ${math}$"


@pytest.mark.parametrize(
    ("math", "expected"),
    [
        (r"\frac{dD}{dt} = f - \lambda\,D", {"d", "D", "t", "f", "\\lambda"}),
        (r"t_\text{peak} = \frac{\ln(k_a / k_e)}{k_a - k_e}", {"t_peak", "k_a", "k_e"}),
        (r"E_\text{max}\,\frac{C}{EC_{50} + C}", {"E_max", "C", "EC_50"}),
        (r"\text{mean}_\text{treated} - \text{mean}_\text{control}", set()),
        (r"\bar{x}_i", {"\\bar{x}_i"}),
        (r"p_{(k)} \le \frac{k}{M}\,\alpha", {"p_(k)", "k", "M", "\\alpha"}),
    ],
)
def test_symbols_are_read_from_maths(math, expected):
    assert notation.symbols_in(math) == expected


@pytest.mark.parametrize(
    ("page", "added", "problem"),
    [
        pytest.param(
            "03-pharmacology.md",
            "\nA new rate $\\kappa_z$ appears.\n",
            "chapters/03-pharmacology.md: symbol $\\kappa_z$ is not in chapters/notation.md",
            id="symbol-missing-from-the-table",
        ),
        pytest.param(
            "03-pharmacology.md",
            "\nThe pool $\\lambda_T$ again.\n",
            "chapters/03-pharmacology.md: symbol $\\lambda_T$ is used but its row in "
            "chapters/notation.md does not list chapter 03",
            id="symbol-used-in-an-unlisted-chapter",
        ),
        pytest.param(
            "notation.md",
            "| $f$ | frequency of something | 02 |\n",
            "chapters/notation.md: $f$ has two meanings in chapter 02: rename one of them",
            id="two-meanings-in-one-chapter",
        ),
    ],
)
def test_checker_names_what_is_wrong(mini_book, page, added, problem):
    path = mini_book / "chapters" / page
    path.write_text(path.read_text() + added)
    assert notation.check_notation(mini_book) == [problem]
