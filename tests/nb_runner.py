"""Run notebooks with the kernel of the Python that runs this file; print one JSON line.

Used by ``tests/envs.py`` inside other environments (Colab's versions, Binder's file):
``ENV/bin/python tests/nb_runner.py a.ipynb b.md ...``. MyST Markdown notebooks are read with
jupytext (as JupyterLab does on Binder). The kernel spec is written to ``JUPYTER_DATA_DIR``
so that no kernel of another environment is picked up.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path


def _kernel_spec() -> None:
    data = Path(os.environ.get("JUPYTER_DATA_DIR", Path.cwd() / ".jupyter-data"))
    spec = data / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3",
                "language": "python",
            }
        )
    )


def _read(path: Path):
    import nbformat

    if path.suffix == ".md":
        import jupytext

        return jupytext.read(path)
    return nbformat.read(path, as_version=4)


def _texts(cell) -> list[str]:
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif "data" in o:
            out.append(json.dumps(sorted(o["data"])) + " " + str(o["data"].get("text/plain", "")))
    return out


def main(paths: list[str]) -> dict[str, dict]:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    _kernel_spec()
    results = {}
    for p in map(Path, paths):
        nb = _read(p)
        client = NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(p.parent)}}
        )
        start = time.perf_counter()
        error = None
        try:
            client.execute()
        except CellExecutionError as err:
            error = re.sub(r"\x1b\[[0-9;]*m", "", str(err))[-1500:]
        results[p.name] = {
            "ok": error is None,
            "error": error,
            "seconds": round(time.perf_counter() - start, 2),
            "saved_bytes": len(nbformat.writes(nb).encode()),
            "outputs": [_texts(c) for c in nb.cells if c.cell_type == "code"],
        }
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
