"""Live kernel: how long an explorer takes to appear, against the time to render one frame.

In a live kernel (Jupyter, Colab, Binder) displaying an explorer builds its widgets and
renders the one frame they show; the static frames are rendered only in a book build. This
prints, for every explorer, the time to display it (``_repr_mimebundle_`` on a fresh
explorer, as Jupyter calls it), the time to render one more frame, their ratio (budget: 3x),
and the size of each lab notebook saved after running it (what a student's file weighs).

Usage: ``python benchmarks/live.py [--repeat N] [--no-labs]`` (``make bench`` runs it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import table  # noqa: E402  (the shared table printer)


def explorer_factories() -> dict[str, object]:
    """The book's explorers, from the one registry."""
    from explorers.registry import all_explorers

    return dict(all_explorers())


def display_ratio(repeat: int) -> None:
    os.environ.pop("REWIRING_BOOK_BUILD", None)  # a live kernel, not a book build
    rows = []
    for name, factory in sorted(explorer_factories().items()):
        shows, frames = [], []
        for _ in range(repeat):
            explorer = factory()
            t = time.perf_counter()
            explorer._repr_mimebundle_()
            shows.append(time.perf_counter() - t)
            values = explorer.defaults
            t = time.perf_counter()
            explorer.frame_png(**values)
            frames.append(time.perf_counter() - t)
        show, frame = statistics.median(shows), statistics.median(frames)
        ratio = show / frame
        rows.append(
            [
                name,
                f"{show * 1000:.0f}",
                f"{frame * 1000:.0f}",
                f"{ratio:.1f}",
                "ok" if ratio <= 3 else "OVER",
            ]
        )
    table(
        f"Live display vs one frame (median of {repeat}; budget 3x)",
        ["explorer", "display ms", "one frame ms", "ratio", "status"],
        rows,
    )


def saved_labs() -> None:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        t = time.perf_counter()
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        seconds = time.perf_counter() - t
        size = len(nbformat.writes(nb).encode())
        rows.append([path.name, f"{seconds:.1f}", f"{size / 1e3:.0f}"])
    table("Labs run in a live kernel and saved", ["lab", "run s", "saved kB"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-labs", action="store_true")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    os.environ.setdefault("MPLBACKEND", "Agg")
    display_ratio(args.repeat)
    if not args.no_labs:
        saved_labs()


if __name__ == "__main__":
    main()
