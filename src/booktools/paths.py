"""Find the book's folder from its configuration, not from where this package is installed."""

from __future__ import annotations

import os
from pathlib import Path

#: Files that mark the book's root folder.
MARKERS = ("_config.yml", "_toc.yml")


def book_root(start: Path | None = None) -> Path:
    """The folder holding ``_config.yml`` and ``_toc.yml``: ``BOOK_ROOT`` if set, else the
    nearest such folder at or above ``start`` (default: the working directory).

    Raises ``FileNotFoundError`` naming where it looked when there is none.
    """
    if os.environ.get("BOOK_ROOT"):
        root = Path(os.environ["BOOK_ROOT"]).resolve()
        if not all((root / m).is_file() for m in MARKERS):
            raise FileNotFoundError(f"BOOK_ROOT={root} holds no {' and '.join(MARKERS)}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).is_file() for m in MARKERS):
            return folder
    raise FileNotFoundError(
        f"no book found: no folder at or above {here} holds "
        f"{' and '.join(MARKERS)} (run from inside the book, or set "
        "BOOK_ROOT)"
    )


def build_folder_parser(description: str, build_help: str, output_help: str):
    """An argument parser for a script that reads a build folder: ``[BUILD] [--output F]``.

    ``BUILD`` defaults to ``_build`` in the book's root; the scripts behind ``make pdf`` and
    ``make dist`` share it so they accept the same arguments.
    """
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("build", nargs="?", default=str(book_root() / "_build"), help=build_help)
    parser.add_argument("--output", help=output_help)
    return parser
