"""One setting for where the book lives: repository.url, BOOK_REPOSITORY_URL, BOOK_SITE_URL.

A fork built in GitHub Actions gets its own launch buttons, edit links and install cells; a
malformed setting stops the build naming the setting; every lab and chapter carries the
current install cell.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from booktools.publish import (
    INSTALL_CELL_MARKER,
    SettingError,
    config_locations,
    install_cell_source,
    pages_url,
    resolve_locations,
    sync_install_cells,
)
from conftest import ROOT

UPSTREAM = "https://github.com/rewiring-book/rewiring-book"


def test_github_actions_defaults_to_the_running_repository():
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "forker/my-fork",
        "GITHUB_SERVER_URL": "https://github.com",
    }
    loc = resolve_locations(UPSTREAM, "https://rewiring-book.github.io/rewiring-book/", env=env)
    assert loc.repository_url == "https://github.com/forker/my-fork"
    assert loc.site_url == "https://forker.github.io/my-fork/"


def test_explicit_settings_win_and_site_url_gets_a_trailing_slash():
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "forker/my-fork",
        "BOOK_REPOSITORY_URL": "https://github.com/a/b",
        "BOOK_SITE_URL": "https://book.org",
    }
    loc = resolve_locations(UPSTREAM, None, env=env)
    assert (loc.repository_url, loc.site_url) == ("https://github.com/a/b", "https://book.org/")


def test_user_pages_repository_serves_at_the_root():
    assert pages_url("https://github.com/Someone/someone.github.io") == "https://someone.github.io/"


@pytest.mark.parametrize(
    ("env", "config", "named"),
    [
        ({"BOOK_REPOSITORY_URL": "github.com/a/b"}, UPSTREAM, "BOOK_REPOSITORY_URL"),
        ({"BOOK_REPOSITORY_URL": "https://gitlab.com/a/b"}, UPSTREAM, "BOOK_REPOSITORY_URL"),
        ({"BOOK_SITE_URL": "not a url"}, UPSTREAM, "BOOK_SITE_URL"),
        ({}, "", "repository.url in _config.yml"),
        ({}, "https://github.com/only-owner", "repository.url in _config.yml"),
    ],
)
def test_bad_settings_are_rejected_naming_the_setting(env, config, named):
    with pytest.raises(SettingError, match=named.replace(".", r"\.")):
        resolve_locations(config, None, env=env)


def test_install_cell_names_the_site_wheel_then_the_repository():
    loc = resolve_locations(UPSTREAM, None, env={})
    cell = install_cell_source(loc, "1.2.3")
    assert (
        "https://rewiring-book.github.io/rewiring-book/python/"
        "rewiring_book-1.2.3-py3-none-any.whl" in cell
    )
    assert f"git+{UPSTREAM}@main" in cell
    assert cell.index(".whl") < cell.index("git+")
    compile(cell, "install-cell", "exec")  # plain Python: runs outside IPython too


def test_every_lab_and_chapter_starts_with_the_current_install_cell():
    problems = sync_install_cells(ROOT)
    assert not problems, "\n".join(problems)


def test_sync_install_cells_reports_and_fixes_a_stale_cell(tmp_path):
    for name in ("_config.yml", "_toc.yml", "pyproject.toml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "chapters").mkdir()
    chapter = tmp_path / "chapters" / "99-new.md"
    chapter.write_text("---\nkernelspec:\n  name: python3\n---\n\n# New\n")
    problems = sync_install_cells(tmp_path)
    assert problems == [
        "chapters/99-new.md: does not start with the current install cell "
        "(run: python -m booktools.publish --write)"
    ]
    sync_install_cells(tmp_path, write=True)
    assert sync_install_cells(tmp_path) == []
    assert chapter.read_text().index(INSTALL_CELL_MARKER) < chapter.read_text().index("# New")


def _fork_build(tmp_path: Path, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    """Build the book without executing cells (only the addresses are under test)."""
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    cfg["execute"]["execute_notebooks"] = "off"
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump(cfg))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOK_", "GITHUB_"))}
    env.update(env_extra)
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(ROOT),
        "--config",
        str(config),
        "--path-output",
        str(tmp_path / "out"),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.slow
@pytest.mark.build
def test_a_fork_built_in_github_actions_names_only_itself(tmp_path):
    res = _fork_build(tmp_path, {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "forker/my-fork"})
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    site = tmp_path / "out" / "_build" / "html"
    leftovers = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".md", ".txt", ".xml", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if "rewiring-book/rewiring-book" in text or "rewiring-book.github.io" in text:
                leftovers.append(path.relative_to(site).as_posix())
    assert not leftovers, f"the upstream address remains in {leftovers[:10]}"
    lab = (site / "notebooks" / "lab-spines.html").read_text()
    assert (
        "colab.research.google.com/github/forker/my-fork/blob/main/notebooks/"
        "lab-spines.ipynb" in lab
    )
    assert "mybinder.org/v2/gh/forker/my-fork/main" in lab
    source = (site / "_sources" / "notebooks" / "lab-spines.ipynb").read_text()
    assert "https://forker.github.io/my-fork/python/rewiring_book-" in source
    assert (site / "python").glob("rewiring_book-*.whl")


@pytest.mark.build
def test_a_malformed_repository_setting_fails_the_build_naming_it(tmp_path):
    res = _fork_build(tmp_path, {"BOOK_REPOSITORY_URL": "gitlab.com/me/book"})
    assert res.returncode != 0
    assert (
        "BOOK_REPOSITORY_URL must look like https://github.com/OWNER/REPO"
        in res.stdout + res.stderr
    )


def test_committed_default_is_the_config_value():
    assert (
        config_locations(ROOT, env={}).repository_url
        == yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    )
