"""Other Python environments for the tests: Colab's versions, Binder's file, a bare venv.

Each environment is a uv virtual environment under ``_build/test-envs/``, named by a hash of
its interpreter and packages, so it is built once and reused while they stay the same (uv's
own cache makes a rebuild take seconds). Notebooks run inside an environment through
``tests/nb_runner.py``, executed by that environment's Python, so the kernel and every
package come from the environment and none from this checkout.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV_DIR = ROOT / "_build" / "test-envs"
RUNNER = Path(__file__).with_name("nb_runner.py")

#: What Google Colab ships (checked 2026-12): Python 3.12, numpy 2.0, matplotlib 3.10 and
#: ipywidgets 7.7.1 (whose widgets display through ``_ipython_display_`` only).
COLAB_PYTHON = "3.12"
COLAB_PACKAGES = [
    "numpy==2.0.2",
    "scipy==1.14.1",
    "matplotlib==3.10.0",
    "ipywidgets==7.7.1",
    "pillow==11.1.0",
    "ipykernel==6.17.1",
    "notebook==6.5.7",
    "nbclient==0.10.2",
    "nbformat==5.10.4",
    "pyyaml==6.0.2",
]
#: The packages the book's package needs, as named in pyproject.toml.
RUNTIME = ("numpy", "scipy", "matplotlib", "ipywidgets", "pillow")


def _clean_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND", "REWIRING_BOOK_BUILD", "PYTHONHOME"}
    }
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def uv(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run uv (a dependency of the test venv); raise with its output on failure."""
    res = subprocess.run(
        [sys.executable, "-m", "uv", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_clean_env(),
    )
    if res.returncode != 0:
        raise RuntimeError(f"uv {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}"[-4000:])
    return res


def find_python(version: str) -> str | None:
    """A working interpreter for ``version`` ("3.12") on this machine, or None."""
    names = [
        shutil.which(f"python{version}"),
        f"/usr/bin/python{version}",
        f"/usr/local/bin/python{version}",
        *sorted(
            glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")),
            reverse=True,
        ),
    ]
    for name in names:
        if not name or not Path(name).exists():
            continue
        res = subprocess.run(
            [name, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True
        )
        if res.returncode == 0 and res.stdout.strip() == str(tuple(map(int, version.split(".")))):
            return name
    return None


def python_of(env: Path) -> Path:
    return env / "bin" / "python"


def make_env(
    name: str,
    python: str,
    *,
    packages: list[str] = (),
    requirements: Path | None = None,
    cwd: Path | None = None,
    fresh_dir: Path | None = None,
) -> Path:
    """A seeded (pip included) venv with ``packages`` and/or ``requirements`` installed.

    Reused while its interpreter and inputs are unchanged, unless ``fresh_dir`` is given,
    where a new one is made every time.
    """
    key_src = json.dumps([python, list(packages), requirements.read_text() if requirements else ""])
    key = hashlib.sha1(key_src.encode()).hexdigest()[:12]
    env = fresh_dir if fresh_dir is not None else ENV_DIR / f"{name}-{key}"
    if fresh_dir is None and (env / ".complete").exists():
        return env
    shutil.rmtree(env, ignore_errors=True)
    env.parent.mkdir(parents=True, exist_ok=True)
    uv("venv", "--seed", "--python", python, str(env))
    args = ["pip", "install", "--python", str(python_of(env)), *packages]
    if requirements is not None:
        args += ["-r", str(requirements)]
    if len(args) > 4:
        uv(*args, cwd=cwd)
    (env / ".complete").touch()
    return env


def versions(env: Path, names=RUNTIME) -> dict[str, str]:
    """Installed versions of ``names`` in ``env``."""
    code = (
        "import importlib.metadata as m, json, sys; "
        "print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    )
    res = subprocess.run(
        [str(python_of(env)), "-c", code, *names],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env(),
    )
    return json.loads(res.stdout)


def run_notebooks(
    env: Path, notebooks: list[Path], workdir: Path, timeout: float = 600
) -> dict[str, dict]:
    """Execute ``notebooks`` (copies in ``workdir``) with ``env``'s own kernel.

    Returns, per notebook name: ``ok``, ``error`` (the failing cell's error), ``seconds`` and
    ``outputs`` (the text of every stream and ``text/plain`` output, cell by cell).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    copies = []
    for nb in notebooks:
        target = workdir / nb.name
        shutil.copyfile(nb, target)
        copies.append(str(target))
    env_vars = _clean_env()
    env_vars.update(
        {
            "MPLBACKEND": "Agg",
            "JUPYTER_PLATFORM_DIRS": "1",
            "JUPYTER_CONFIG_DIR": str(workdir / ".jupyter"),
            "JUPYTER_DATA_DIR": str(workdir / ".jupyter-data"),
            "IPYTHONDIR": str(workdir / ".ipython"),
            "MPLCONFIGDIR": str(workdir / ".mpl"),
        }
    )
    res = subprocess.run(
        [str(python_of(env)), str(RUNNER), *copies],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env_vars,
        timeout=timeout,
    )
    if res.returncode != 0:
        raise RuntimeError(f"notebook runner failed:\n{res.stdout}\n{res.stderr}"[-4000:])
    return json.loads(res.stdout.strip().splitlines()[-1])
