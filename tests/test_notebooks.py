"""Every lab notebook is committed without outputs (they run in tests/test_environments.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_labs():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb labs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs or execution counts; "
        "clear them before committing (Edit > Clear Outputs of All Cells)"
    )


# Every lab is run top to bottom (in seconds, and saved small) once, in a venv made only
# from binder/requirements.txt: tests/test_environments.py.
