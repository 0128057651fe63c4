"""The shape of the code: models compute, explorers draw, and no module imports itself back.

- No import cycles between modules of ``models``, ``explorers`` and ``booktools`` (checked on
  the source with ``ast``), and every module imports on its own in a fresh interpreter.
- ``models`` never imports plotting, widgets or ``explorers``.
- No module in ``src/models``, ``src/explorers`` or ``src/booktools`` grows past :data:`MAX_LINES`.
- Integer and choice checks go through ``models._params`` (no hand-written copies).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGES = ("models", "explorers", "booktools")
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for pkg in PACKAGES for p in sorted((SRC / pkg).rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """Modules of our packages that ``name`` imports at module level or in functions
    (not the type-only imports under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    # imports under ``if TYPE_CHECKING:`` only name types; they make no runtime edge
    type_only = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for sub in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _strip_package_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's ``__init__`` re-exporting its submodules is not a cycle."""
    return {
        m: {t for t in deps if not (m.startswith(t + ".") and t in graph)}
        for m, deps in graph.items()
    }


def test_no_import_cycles():
    graph = _strip_package_edges(GRAPH)
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, m, t]))
            if t not in state:
                visit(t, [*path, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])


def test_models_never_import_explorers_or_plotting():
    for name, path in MODULES.items():
        if not name.startswith("models"):
            continue
        text = path.read_text(encoding="utf-8")
        for banned in ("matplotlib", "ipywidgets", "explorers"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, (name, banned)


def test_explorers_do_not_simulate():
    for name, path in MODULES.items():
        if name.startswith("explorers"):
            text = path.read_text(encoding="utf-8")
            assert "scipy" not in text and "default_rng(rng" not in text, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_first_in_a_fresh_interpreter(name):
    env = {**os.environ, "PYTHONPATH": str(SRC), "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", f"import {name}"], check=True, env=env)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by lesson"


def test_integer_checks_are_not_hand_written():
    copies = [
        name
        for name, path in MODULES.items()
        if name != "models._params" and "must be an integer" in path.read_text("utf-8")
    ]
    assert copies == []
