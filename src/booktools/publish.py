"""Where the book lives, set in one place, and the install cell that finds its code anywhere.

**One setting.** ``repository.url`` in ``_config.yml`` names the book's GitHub repository.
Two environment variables override it at build time:

- ``BOOK_REPOSITORY_URL``: ``https://github.com/OWNER/REPO``. In GitHub Actions it defaults to
  the running repository (``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``), so a fork builds with
  its own launch buttons, edit links and install cells without editing a file.
- ``BOOK_SITE_URL``: where the site is published. Default: ``html.baseurl`` in
  ``_config.yml`` when building from the repository named there, otherwise the repository's
  GitHub Pages address (``https://OWNER.github.io/REPO/``).

A malformed value stops the build with an error that names the setting.

**Install cell.** Every lab and chapter starts with the same hidden cell
(:func:`install_cell_source`): where ``models``/``explorers`` are not importable (Colab,
Binder without the package, a downloaded notebook) it installs the book's wheel from the
published site, falling back to the repository, and prints one clear line if both fail.
The build publishes that wheel at ``<site>/python/`` (:func:`build_wheel`) and rewrites the
install cells of the downloadable notebooks to the effective addresses.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Locations",
    "resolve_locations",
    "install_cell_source",
    "build_wheel",
    "wheel_name",
    "INSTALL_CELL_MARKER",
]

_REPO = re.compile(r"^https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+?)/?$")
_SITE = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

#: First line of the install cell; tests and the build find the cell by it.
INSTALL_CELL_MARKER = "# Install the book's code where it is missing"


class SettingError(ValueError):
    """A location setting is missing or malformed; the message names the setting."""


@dataclass(frozen=True)
class Locations:
    """The book's repository and published site."""

    repository_url: str  #: ``https://github.com/OWNER/REPO``
    site_url: str  #: ends with ``/``
    branch: str = "main"

    @property
    def owner_repo(self) -> str:
        m = _REPO.match(self.repository_url)
        assert m is not None
        return f"{m['owner']}/{m['name']}"


def _check_repo(url: str, setting: str) -> str:
    url = url.strip().rstrip("/")
    if not _REPO.match(url):
        raise SettingError(
            f"{setting} must look like https://github.com/OWNER/REPO "
            f"(Colab and Binder open GitHub repositories), got {url!r}"
        )
    return url


def _check_site(url: str, setting: str) -> str:
    url = url.strip()
    if not _SITE.match(url):
        raise SettingError(
            f"{setting} must be an http(s) address such as "
            f"https://OWNER.github.io/REPO/, got {url!r}"
        )
    return url if url.endswith("/") else url + "/"


def pages_url(repository_url: str) -> str:
    """GitHub Pages address of a repository (``OWNER.github.io`` repos serve at the root)."""
    m = _REPO.match(repository_url)
    if m is None:
        raise SettingError(f"not a GitHub repository URL: {repository_url!r}")
    owner, name = m["owner"], m["name"]
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{name}/"


def resolve_locations(
    config_repo: str | None,
    config_site: str | None = None,
    branch: str | None = None,
    env: dict[str, str] | None = None,
) -> Locations:
    """The effective repository and site, from ``_config.yml`` values and the environment.

    >>> resolve_locations("https://github.com/a/b", env={}).site_url
    'https://a.github.io/b/'
    >>> env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "fork/b"}
    >>> loc = resolve_locations("https://github.com/a/b", "https://a.github.io/b/", env=env)
    >>> loc.repository_url, loc.site_url
    ('https://github.com/fork/b', 'https://fork.github.io/b/')
    """
    env = dict(os.environ) if env is None else env
    if env.get("BOOK_REPOSITORY_URL", "").strip():
        repo = _check_repo(env["BOOK_REPOSITORY_URL"], "BOOK_REPOSITORY_URL")
    elif env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        repo = _check_repo(f"{server}/{env['GITHUB_REPOSITORY']}", "GITHUB_REPOSITORY")
    elif config_repo and config_repo.strip():
        repo = _check_repo(config_repo, "repository.url in _config.yml")
    else:
        raise SettingError(
            "repository.url in _config.yml is missing: set it to "
            "https://github.com/OWNER/REPO (or set BOOK_REPOSITORY_URL)"
        )
    if env.get("BOOK_SITE_URL", "").strip():
        site = _check_site(env["BOOK_SITE_URL"], "BOOK_SITE_URL")
    elif config_site and config_repo and repo == config_repo.strip().rstrip("/"):
        site = _check_site(config_site, "html.baseurl in _config.yml")
    else:
        site = pages_url(repo)
    return Locations(repo, site, (env.get("BOOK_BRANCH") or branch or "main").strip())


def project_version(root: Path) -> str:
    """The package version in ``pyproject.toml``."""
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def wheel_name(version: str) -> str:
    """File name of the book's wheel (pure Python, any platform)."""
    return f"rewiring_book-{version}-py3-none-any.whl"


def install_cell_source(loc: Locations, version: str) -> str:
    """Source of the first cell of every lab and chapter (plain Python, no magics).

    It does nothing where the book's packages import; elsewhere it tries the wheel on the
    site, then the repository, and prints one line (no traceback) if neither installs.
    """
    wheel = f"{loc.site_url}python/{wheel_name(version)}"
    repo = f"git+{loc.repository_url}@{loc.branch}"
    return (
        f"{INSTALL_CELL_MARKER} (Colab, Binder, a download); here it does nothing.\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if not all(importlib.util.find_spec(m) for m in ("models", "explorers")):\n'
        f'    _sources = ["{wheel}",\n'
        f'                "{repo}"]\n'
        "    for _src in _sources:\n"
        '        _pip = [sys.executable, "-m", "pip", "install", "--quiet", _src]\n'
        "        if subprocess.run(_pip, capture_output=True).returncode == 0:\n"
        "            importlib.invalidate_caches()\n"
        "            break\n"
        "    else:\n"
        '        print("Could not install the book\'s code from", " or ".join(_sources),\n'
        '              "- check the network connection, then run this cell again.")'
    )


def build_wheel(root: Path, outdir: Path) -> Path:
    """Build the book's wheel from ``root`` into ``outdir`` (no network: no isolation).

    The build runs in a fresh copy of the package's sources, so a ``build/`` folder left in
    the checkout by an earlier ``pip install .`` can never slip stale modules into the wheel.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "project"
        shutil.copytree(
            root / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (root / name).exists():
                shutil.copyfile(root / name, src / name)
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
        cmd = [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(Path(tmp) / "dist"),
            str(src),
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=src, env=env)
        built = sorted((Path(tmp) / "dist").glob("*.whl"))
        if res.returncode != 0 or not built:
            raise RuntimeError(
                "building the book's wheel failed:\n" + (res.stdout + res.stderr)[-2000:]
            )
        target = outdir / built[0].name
        shutil.copyfile(built[0], target)
    (outdir / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<title>The book\'s Python package</title><meta name="description" '
        'content="The Python package of the book How the brain rewires: its models and '
        'explorers, installed by the first cell of every lab and chapter."></head>'
        "<body><main>"
        f'<h1>The book\'s Python package</h1><p><a href="{target.name}">{target.name}</a>'
        "</p><p>Install it with <code>pip install</code> and this file's address.</p>"
        "</main></body></html>\n",
        encoding="utf-8",
    )
    return target


# -- Sphinx wiring ---------------------------------------------------------------------------
def config_locations(root: Path, env: dict[str, str] | None = None) -> Locations:
    """Locations from ``ROOT/_config.yml`` (and ``env``; ``{}`` gives the committed default)."""
    import yaml

    cfg = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = cfg.get("repository") or {}
    site = ((cfg.get("sphinx") or {}).get("config") or {}).get("html_baseurl") or (
        cfg.get("html") or {}
    ).get("baseurl")
    return resolve_locations(repo.get("url"), site, repo.get("branch"), env=env)


def _wheel_and_repo(loc: Locations, version: str) -> tuple[str, str]:
    return f"{loc.site_url}python/{wheel_name(version)}", f"git+{loc.repository_url}@{loc.branch}"


def _config_inited(app, config) -> None:
    from sphinx.errors import ConfigError

    theme = config.html_theme_options
    try:
        loc = resolve_locations(
            theme.get("repository_url"), config.html_baseurl or None, theme.get("repository_branch")
        )
    except SettingError as err:
        raise ConfigError(str(err)) from None
    theme["repository_url"] = loc.repository_url
    theme["repository_branch"] = loc.branch
    config.html_baseurl = loc.site_url
    if "ogp_site_url" in config:
        config.ogp_site_url = loc.site_url


def rewrite_sources(outdir: Path, committed: Locations, effective: Locations, version: str) -> int:
    """Point the install cells of the downloadable sources at the effective addresses.

    The committed labs and chapters name the default addresses of ``_config.yml``; a build
    for another repository (a fork, ``BOOK_REPOSITORY_URL``) rewrites them in ``_sources``.
    Returns the number of files changed.
    """
    pairs = [
        (a, b)
        for a, b in zip(
            _wheel_and_repo(committed, version), _wheel_and_repo(effective, version), strict=True
        )
        if a != b
    ]
    if not pairs:
        return 0
    changed = 0
    for path in (outdir / "_sources").rglob("*"):
        if not path.is_file() or path.suffix not in {".ipynb", ".md", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        new = text
        for old, repl in pairs:
            new = new.replace(old, repl)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    theme = app.config.html_theme_options
    effective = Locations(
        theme["repository_url"], app.config.html_baseurl, theme.get("repository_branch") or "main"
    )
    root = Path(app.srcdir)
    try:
        build_wheel(root, Path(app.outdir) / "python")
        committed = config_locations(root, env={})
    except (RuntimeError, SettingError) as err:
        raise ExtensionError(str(err)) from None
    rewrite_sources(Path(app.outdir), committed, effective, project_version(root))


def setup(app) -> dict[str, Any]:
    app.connect("config-inited", _config_inited, priority=100)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


_MD_CELL = "```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n{source}\n```\n"


def _md_install_cell(text: str) -> tuple[int, int] | None:
    """Span of the install cell in a MyST notebook, or None."""
    at = text.find(INSTALL_CELL_MARKER)
    if at < 0:
        return None
    start = text.rfind("```{code-cell}", 0, at)
    end = text.find("\n```", at)
    return (start, end + len("\n```\n")) if start >= 0 and end >= 0 else None


def notebook_pages(root: Path) -> list[Path]:
    """Labs and executable chapters (MyST notebooks with a kernelspec), template included."""
    pages = sorted((root / "notebooks").glob("*.ipynb"))
    for md in sorted((root / "chapters").rglob("*.md")):
        head = md.read_text(encoding="utf-8")[:400]
        if head.startswith("---") and "kernelspec:" in head:
            pages.append(md)
    return pages


def sync_install_cells(root: Path, *, write: bool = False) -> list[str]:
    """Check that every lab and chapter starts with the current install cell.

    Returns one problem per page (naming the file); with ``write=True`` fixes them instead.
    """
    import json

    cell = install_cell_source(config_locations(root, env={}), project_version(root))
    problems = []
    for page in notebook_pages(root):
        rel = page.relative_to(root).as_posix()
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".ipynb":
            nb = json.loads(text)
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            first = code[0] if code else None
            if (
                first is not None
                and "".join(first["source"]) == cell
                and "remove-cell" in first.get("metadata", {}).get("tags", [])
            ):
                continue
            problems.append(
                f"{rel}: the first code cell is not the current install cell "
                "(run: python -m booktools.publish --write)"
            )
            if write:
                new = {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {"tags": ["remove-cell"]},
                    "outputs": [],
                    "source": cell.splitlines(keepends=True),
                }
                if first is not None and "".join(first["source"]).startswith(
                    (INSTALL_CELL_MARKER, "# On Colab or Binder this installs")
                ):
                    new["id"] = first.get("id", "install")
                    nb["cells"][nb["cells"].index(first)] = new
                else:
                    new["id"] = "install"
                    nb["cells"].insert(1 if nb["cells"][0]["cell_type"] == "markdown" else 0, new)
                page.write_text(
                    json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8",
                )
        else:
            block = _MD_CELL.format(source=cell)
            span = _md_install_cell(text)
            if span is not None and text[span[0] : span[1]] == block:
                continue
            problems.append(
                f"{rel}: does not start with the current install cell "
                "(run: python -m booktools.publish --write)"
            )
            if write:
                if span is not None:
                    text = text[: span[0]] + block + text[span[1] :]
                else:
                    end = text.index("\n---\n", 3) + len("\n---\n")
                    text = text[:end] + "\n" + block + text[end:]
                page.write_text(text, encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m booktools.publish [--write]``: check (or write) every install cell."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", action="store_true", help="update the cells in place")
    parser.add_argument("--root", type=Path, default=None, help="the book's folder")
    args = parser.parse_args(argv)
    from .paths import book_root

    root = args.root or book_root()
    problems = sync_install_cells(root, write=args.write)
    for p in problems:
        print(p)
    return 1 if problems and not args.write else 0


if __name__ == "__main__":
    raise SystemExit(main())
