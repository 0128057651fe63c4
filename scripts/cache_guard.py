"""Invalidate the book's execution cache when the code the chapters import changes.

Jupyter Book's ``execute_notebooks: cache`` keys a page's cached outputs on the page's own
code cells only. A change in ``src/`` (a model or an explorer) would otherwise leave stale
figures in the book, and Sphinx does not always recopy edited ``_static`` files. This script
hashes ``src/**/*.py``, the package's data (``src/**/*.json``: the diagrams' alt text and
captions), ``_static``, ``_templates``, the lock file and ``_config.yml``;
when the hash differs from the one stored with the last build it removes the cached
execution results and Sphinx's saved state so every page is read and executed again.

Usage: python scripts/cache_guard.py [BUILD_DIR]   (default: _build)
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def source_hash() -> str:
    h = hashlib.sha256()
    files = (
        sorted((ROOT / "src").rglob("*.py"))
        + sorted((ROOT / "src").rglob("*.json"))
        + sorted((ROOT / "_static").rglob("*"))
        + sorted((ROOT / "_templates").rglob("*"))
        + [ROOT / "requirements.lock", ROOT / "_config.yml"]
    )
    files = [f for f in files if f.is_file()]
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def guard(build: Path) -> bool:
    """Clear stale caches under ``build``; return True when something was cleared."""
    stamp = build / ".source-hash"
    current = source_hash()
    stale = not stamp.exists() or stamp.read_text().strip() != current
    if stale:
        for name in (".jupyter_cache", ".doctrees", "jupyter_execute", "html"):
            shutil.rmtree(build / name, ignore_errors=True)
        build.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    return stale


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    if guard(target):
        print(
            f"cache_guard: code in src/ changed since the last build; {target} will be "
            "executed afresh"
        )
