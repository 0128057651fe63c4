"""Live kernel: how long an explorer takes to appear, against the time to render one frame.

In a live kernel (Jupyter, Colab, Binder) displaying an explorer builds its widgets and
renders the one frame they show; the static frames are rendered only in a book build. This
prints, for every explorer, the time to display it (``_repr_mimebundle_`` on a fresh
explorer, as Jupyter calls it), the time a fresh explorer takes to render its first frame
(the figure's layout and its axes drawn once), the time of one slider step afterwards (a new
model run and frame on the laid-out figure, its decorations restored from a cached background),
the ratios display / first frame (the budget, issue 11: showing an explorer costs at most 3x
rendering one frame, so it renders no static frames) and display / slider step (for
information: a step reuses the laid-out figure, so it is 3 to 15 times cheaper than any fresh
frame), and the size of each lab notebook saved after running it (what a student's file weighs).

Times are CPU time of the process (``time.process_time``; matplotlib and Pillow draw on one
thread, so on an idle machine this equals the wall time) so that other work on a shared
machine does not inflate them.

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
        shows, firsts, steps = [], [], []
        for _ in range(repeat):
            explorer = factory()
            t = time.process_time()
            explorer._repr_mimebundle_()
            shows.append(time.process_time() - t)
            grid = explorer.grid()
            step = grid[0] if grid[0] != explorer.defaults else grid[-1]
            t = time.process_time()
            explorer.frame_png(**step)
            steps.append(time.process_time() - t)
            fresh = factory()
            t = time.process_time()
            fresh.frame_png(**fresh.defaults)
            firsts.append(time.process_time() - t)
        show, first, step = (statistics.median(x) for x in (shows, firsts, steps))
        ratio = show / first
        rows.append(
            [
                name,
                f"{show * 1000:.0f}",
                f"{first * 1000:.0f}",
                f"{step * 1000:.0f}",
                f"{ratio:.1f}",
                f"{show / step:.1f}",
                "ok" if ratio <= 3 else "OVER",
            ]
        )
    table(
        f"Live display vs one frame (CPU ms, median of {repeat}; budget: display <= 3x the "
        "first frame)",
        ["explorer", "display", "first frame", "slider step", "÷ first", "÷ step", "status"],
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
