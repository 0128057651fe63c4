"""The book runs where instructors run it: Colab's versions, Binder's file, a downloaded copy.

- Colab: Python 3.12 with Colab's numpy, matplotlib and ipywidgets 7.7.1; the book's package
  is installed from a wheel built from this checkout. Installing it changes none of those
  packages; every lab runs top to bottom; every explorer's first slider changes its image.
- Binder: a venv made only from ``binder/requirements.txt`` runs every lab and chapter (the
  chapters read through jupytext, as Binder's JupyterLab opens them).
- The install cell: served from the built site on localhost, it installs the wheel into a
  fresh venv; when nothing can be fetched it prints one line, not a traceback.

Outside CI these skip with a reason when Python 3.12 is missing; in CI they fail instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from envs import (
    COLAB_PACKAGES,
    COLAB_PYTHON,
    ROOT,
    RUNTIME,
    find_python,
    make_env,
    python_of,
    run_notebooks,
    versions,
)

from booktools.publish import (
    INSTALL_CELL_MARKER,
    Locations,
    build_wheel,
    install_cell_source,
    project_version,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

#: A lab notebook saved after running it (outputs included) stays below this.
SAVED_LAB_BUDGET = 400_000
LABS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def _need_python(version: str) -> str:
    python = find_python(version)
    if python is None:
        message = f"no Python {version} interpreter on this machine"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def colab(wheel):
    """Colab's package versions, then the book's wheel installed with pip as ``%pip`` would."""
    env = make_env("colab", _need_python(COLAB_PYTHON), packages=COLAB_PACKAGES)
    pip = [str(python_of(env)), "-m", "pip"]
    subprocess.run(
        [*pip, "uninstall", "--yes", "--quiet", "rewiring-book"], capture_output=True, text=True
    )  # a reused env: start without the book
    before = versions(env)
    # With dependencies, as the install cell does: pip must find them all satisfied.
    res = subprocess.run([*pip, "install", "--quiet", str(wheel)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return env, before, versions(env)


def test_installing_the_book_changes_no_colab_package(colab):
    env, before, after = colab
    assert before == after, f"installing the book changed {before} into {after}"
    assert after["ipywidgets"] == "7.7.1" and after["numpy"].startswith("2.0")


_LAB_RESULTS: dict[str, dict] = {}


def _run_labs(env: Path, where: str, workdir: Path) -> dict[str, dict]:
    """Run every lab in ``env`` and print a one-line summary (labs passed, seconds, size)."""
    results = run_notebooks(env, LABS, workdir)
    times = ", ".join(
        f"{k.removesuffix('.ipynb')} {v['seconds']:.1f} s {v['saved_bytes'] / 1e3:.0f} kB"
        for k, v in results.items()
    )
    passed = sum(r["ok"] for r in results.values())
    print(f"\n{where} environment: labs passed {passed} of {len(LABS)} ({times})")
    return results


@pytest.fixture(scope="session")
def colab_lab_results(colab, tmp_path_factory):
    return _run_labs(colab[0], "Colab", tmp_path_factory.mktemp("colab-labs"))


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_lab_runs_top_to_bottom_with_colab_versions(colab_lab_results, lab):
    result = colab_lab_results[lab.name]
    assert result["ok"], f"{lab.name} failed with Colab's versions:\n{result['error']}"


_MOVE_EXPLORERS = textwrap.dedent("""
    import json
    import explorers, models
    from explorers.registry import all_explorers
    from IPython.display import display

    moved = {}
    for name, factory in all_explorers().items():
        explorer = factory()
        display(explorer)  # the live widget, through ipywidgets' own display path
        box = explorer.widget()
        slider = box.sliders[0]
        before = box.image.value
        slider.index = (slider.index + 1) % len(slider.options)
        moved[name] = box.image.value != before
    print(json.dumps({"moved": moved, "models": models.__file__}))
""")


def test_every_explorer_moves_with_ipywidgets_7(colab, tmp_path):
    env, _, _ = colab
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(_MOVE_EXPLORERS)]
    path = tmp_path / "move_explorers.ipynb"
    nbformat.write(nb, path)
    result = run_notebooks(env, [path], tmp_path / "run")["move_explorers.ipynb"]
    assert result["ok"], result["error"]
    outputs = result["outputs"][0]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o]
    report = json.loads(next(o for o in outputs if o.startswith('{"moved"')))
    moved = report["moved"]
    print(f"\nColab environment: explorers moved {sum(moved.values())} of {len(moved)}")
    assert "site-packages" in report["models"], "models must come from the installed wheel"
    assert len(moved) >= 15, sorted(moved)
    assert len(views) == len(moved), "every explorer must display as a live widget"
    assert all(moved.values()), [k for k, v in moved.items() if not v]


@pytest.fixture(scope="session")
def binder(tmp_path_factory):
    """A venv made only from Binder's environment file, installed from the repository root."""
    reqs = ROOT / "binder" / "requirements.txt"
    python = _need_python((ROOT / "binder" / "runtime.txt").read_text().strip()[7:])
    # repo2docker adds the notebook server and kernel itself; nbclient stands in for them.
    return make_env(
        "binder", python, packages=["ipykernel", "nbclient"], requirements=reqs, cwd=ROOT
    )


def test_binder_pins_agree_with_the_lock():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split("==")
            lock[name.lower()] = version.strip()
    pins = [
        line.split("==")
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    ]
    assert pins, "binder/requirements.txt pins nothing"
    for name, version in pins:
        assert lock.get(name.lower()) == version, (
            f"binder pins {name}=={version}, requirements.lock has {lock.get(name)}"
        )
    assert any(
        line.strip() == "."
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    ), "binder/requirements.txt must install the book's package ('.')"


@pytest.fixture(scope="session")
def binder_lab_results(binder, tmp_path_factory):
    return _run_labs(binder, "Binder", tmp_path_factory.mktemp("binder-labs"))


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_lab_runs_top_to_bottom_in_seconds_from_binder_file(binder_lab_results, lab):
    """The one run of every lab: a venv made only from binder/requirements.txt."""
    result = binder_lab_results[lab.name]
    assert result["ok"], f"{lab.name} failed in the Binder environment:\n{result['error']}"
    assert result["seconds"] < 60, (
        f"{lab.name} took {result['seconds']} s; labs must run in seconds"
    )
    # A live kernel renders one frame per explorer, not the book's static frames.
    assert result["saved_bytes"] < SAVED_LAB_BUDGET, (
        f"{lab.name} weighs {result['saved_bytes'] / 1e3:.0f} kB once run and saved"
    )


def test_binder_opens_every_chapter_as_a_notebook(binder):
    """jupytext (in Binder's file) reads each chapter into a notebook: install cell first."""
    code = (
        "import jupytext, json, sys; nb = [jupytext.read(p) for p in sys.argv[1:]]; "
        "print(json.dumps([[c.cell_type for c in n.cells if c.cell_type == 'code'][:1] "
        "and n.cells[[c.cell_type for c in n.cells].index('code')].source for n in nb]))"
    )
    res = subprocess.run(
        [str(python_of(binder)), "-c", code, *map(str, CHAPTERS)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    firsts = json.loads(res.stdout)
    assert len(firsts) == len(CHAPTERS) >= 11
    bad = [
        c.name
        for c, src in zip(CHAPTERS, firsts, strict=True)
        if not src.startswith(INSTALL_CELL_MARKER)
    ]
    assert not bad, f"chapters whose first code cell is not the install cell: {bad}"


def _bare_env(tmp_path: Path) -> Path:
    """A fresh venv with the book's dependencies (as on a user's machine) but not the book."""
    python = _need_python(f"{sys.version_info[0]}.{sys.version_info[1]}")
    lock = {
        line.split("==")[0]: line
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    }
    return make_env(
        "bare", python, packages=[lock[n] for n in RUNTIME], fresh_dir=tmp_path / "venv"
    )


def _run_cell(env: Path, cell: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python_of(env)), "-c", cell],
        capture_output=True,
        text=True,
        cwd=env.parent,
        timeout=300,
    )


def test_install_cell_installs_the_wheel_from_the_served_site(server, site, tmp_path):
    version = project_version(ROOT)
    assert (site / "python" / f"rewiring_book-{version}-py3-none-any.whl").is_file()
    env = _bare_env(tmp_path)
    loc = Locations("https://github.com/example/unreachable", f"{server}/")
    res = _run_cell(env, install_cell_source(loc, version))
    assert res.returncode == 0 and res.stdout == "" and res.stderr == "", res
    check = subprocess.run(
        [
            str(python_of(env)),
            "-c",
            "import models, explorers, importlib.metadata as m; "
            "print(m.version('rewiring-book'), models.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(version) and str(env) in check.stdout
    again = _run_cell(env, install_cell_source(loc, version))
    assert again.stdout == "", "where the package imports, the cell must do nothing"


def test_install_cell_prints_one_clear_line_when_nothing_can_be_fetched(tmp_path):
    env = _bare_env(tmp_path)
    loc = Locations("https://github.com/example/unreachable", "http://127.0.0.1:9/")
    cell = install_cell_source(loc, "0.1.0").replace(
        "git+https://github.com/example/unreachable@main", f"{tmp_path}/no-such-project"
    )
    res = _run_cell(env, cell)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Could not install the book's code"), lines
    assert "Traceback" not in res.stdout
