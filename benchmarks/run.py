"""Benchmarks: `make bench` prints one table per section.

Sections (all by default; pick some with ``--only build,tests,models,explorers,pages``):

- build: cold build (clean output folder) and warm rebuild after touching one chapter;
- tests: seconds for the whole test suite;
- models: timing of the models library's hot paths against the issue's budgets;
- explorers: live slider -> redrawn figure latency (p50/p95 over 50 changes) and the
  build-time cost of precomputing each explorer's frames;
- pages: weight of each built page that holds explorers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n## {title}")
    for i, r in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    sys.stdout.flush()


def timed(fn, repeat: int = 1) -> float:
    """Best wall time in seconds over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def jb_build(out: Path) -> float:
    cmd = [
        str(VENV_BIN / "jupyter-book"),
        "build",
        str(ROOT),
        "-W",
        "-n",
        "--keep-going",
        "--path-output",
        str(out),
    ]
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("build failed:\n" + (res.stdout + res.stderr)[-3000:])
    return time.perf_counter() - t


def bench_build() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold = jb_build(out)
        chapter = ROOT / "chapters" / "02-spines.md"
        os.utime(chapter)  # touch one chapter
        warm = jb_build(out)
    table(
        "Build (jupyter-book build -W -n --keep-going)",
        ["measure", "value"],
        [
            ["cold build, clean output folder (s)", f"{cold:.1f}"],
            ["warm rebuild after touching one chapter (s)", f"{warm:.1f}"],
            ["cold / warm", f"{cold / warm:.1f}x"],
        ],
    )


def bench_tests() -> None:
    t = time.perf_counter()
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t
    summary = (res.stdout.strip().splitlines() or ["?"])[-1]
    table(
        "Test suite (pytest)",
        ["measure", "value"],
        [["test-suite seconds", f"{seconds:.1f}"], ["result", summary]],
    )


def bench_models() -> None:
    import numpy as np

    rows: list[list[object]] = []

    def add(name, fn, budget_s, repeat=7):
        fn()  # warm-up (imports, caches)
        s = timed(fn, repeat)
        rows.append(
            [name, f"{s * 1000:.1f}", f"{budget_s * 1000:.0f}", "ok" if s < budget_s else "OVER"]
        )

    from models import imaging, networks, spines
    from models.study_design import power

    add(
        "simulate_spine_density, 1 mg/kg, 35 days",
        lambda: spines.simulate_spine_density(dose_mg_per_kg=1.0),
        0.05,
    )
    add(
        "simulate_imaging, 100 dendrites x 60 days",
        lambda: imaging.simulate_imaging(
            n_dendrites=100, dose_mg_per_kg=1.0, imaging_days=np.arange(-4, 58, 2), rng=0
        ),
        0.05,
    )
    add(
        "simulate_network, 600 time points",
        lambda: networks.simulate_network(psychedelic=0.5, n_timepoints=600, rng=0),
        0.05,
    )
    add(
        "power curve, 8 sample sizes x 1,000 simulations",
        lambda: power.power_by_simulation(
            n_per_group=np.array([4, 6, 8, 12, 16, 24, 32, 48]), effect_size=0.6, n_sims=1000, rng=0
        ),
        1.0,
    )
    table("Models (best of 7 runs)", ["run", "ms", "budget ms", "status"], rows)


def bench_explorers(n_changes: int = 50) -> None:
    from explorers.registry import all_explorers

    rows = []
    for name, factory in all_explorers().items():
        explorer = factory()
        box = explorer.widget()
        latencies = []
        for i in range(n_changes):
            slider = box.sliders[i % len(box.sliders)]
            options = [v for _, v in slider.options]
            target = options[(options.index(slider.value) + 1) % len(options)]
            t = time.perf_counter()
            slider.value = target  # observer recomputes the model and redraws
            latencies.append(time.perf_counter() - t)
        q = statistics.quantiles(latencies, n=20)
        p50, p95 = statistics.median(latencies), q[18]
        t = time.perf_counter()
        html = factory().static_html()
        frames_s = time.perf_counter() - t
        n_frames = len(explorer.grid())
        rows.append(
            [
                name,
                f"{p50 * 1000:.0f}",
                f"{p95 * 1000:.0f}",
                "ok" if p95 < 0.1 else "OVER",
                n_frames,
                f"{frames_s:.1f}",
                f"{len(html) / 1e3:.0f}",
            ]
        )
    table(
        f"Explorers: live slider -> redrawn figure ({n_changes} changes, in-process kernel)",
        ["explorer", "p50 ms", "p95 ms", "p95 < 100 ms", "frames", "frames build s", "HTML kB"],
        rows,
    )


def bench_pages() -> None:
    site = ROOT / "_build" / "html"
    if not site.exists():
        print("\n(pages: no _build/html yet; run `make book` first)")
        return
    rows = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        n = text.count('class="rw-explorer"')
        if n:
            size = page.stat().st_size
            rows.append(
                [
                    str(page.relative_to(site)),
                    n,
                    f"{size / 1e6:.2f}",
                    "ok" if size <= 2_000_000 else "OVER",
                ]
            )
    table(
        "Page weight (pages with explorers; budget 2 MB)",
        ["page", "explorers", "MB", "status"],
        rows,
    )


SECTIONS = {
    "build": bench_build,
    "tests": bench_tests,
    "models": bench_models,
    "explorers": bench_explorers,
    "pages": bench_pages,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections out of {', '.join(SECTIONS)}",
    )
    args = parser.parse_args()
    names = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(
        f"# Benchmarks ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]})"
    )
    for n in names:
        SECTIONS[n]()


if __name__ == "__main__":
    shutil.which("true")
    main()
