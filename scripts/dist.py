"""Zip the built site so it can be put on any static web server: ``make dist``.

Writes ``BUILD_DIR/dist/rewiring-book-site.zip`` from ``BUILD_DIR/html``. Everything in the
zip sits under one folder, ``rewiring-book-site/``; unzip it and serve that folder (for
example ``python -m http.server --directory rewiring-book-site``), or copy it anywhere: the
pages use relative links only and load nothing from other hosts (MathJax is vendored).
The zip is reproducible: files in sorted order with a fixed timestamp.

Sphinx's bookkeeping (``.buildinfo``) and the build reports of failed cells are left out.
``book.pdf`` is included when ``make pdf`` has copied it into the site.

Usage: python scripts/dist.py [BUILD_DIR] [--output FILE]   (BUILD_DIR defaults to ./_build)
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from booktools.paths import build_folder_parser

ROOT = Path(__file__).resolve().parents[1]
NAME = "rewiring-book-site"
EPOCH = (2026, 1, 1, 0, 0, 0)  # fixed timestamp: the same site gives the same zip
SKIP_FILES = {".buildinfo"}
SKIP_DIRS = {"reports", ".doctrees"}
NO_COMPRESS = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".woff",
    ".woff2",
    ".pdf",
    ".zip",
    ".whl",
    ".gz",
}


class DistError(RuntimeError):
    """Something the reader can fix; the message says what."""


def site_files(site: Path) -> list[Path]:
    files = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_dir() or path.name in SKIP_FILES or SKIP_DIRS & set(rel.parts[:-1]):
            continue
        files.append(path)
    return files


def make_zip(site: Path, output: Path) -> tuple[int, int]:
    """Write the zip; return (number of files, size in bytes)."""
    if not (site / "index.html").is_file():
        raise DistError(f"no built site at {site} (index.html missing): run `make book` first")
    files = site_files(site)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for path in files:
            rel = path.relative_to(site).as_posix()
            info = zipfile.ZipInfo(f"{NAME}/{rel}", date_time=EPOCH)
            info.external_attr = 0o644 << 16
            compress = path.suffix.lower() not in NO_COMPRESS
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zf.writestr(info, path.read_bytes(), compresslevel=9 if compress else None)
    tmp.replace(output)
    return len(files), output.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = build_folder_parser(
        __doc__.split("\n\n")[0],
        build_help="the build folder holding html/ (default: ./_build)",
        output_help=f"the zip to write (default: BUILD/dist/{NAME}.zip)",
    )
    args = parser.parse_args(argv)
    build = Path(args.build).resolve()
    output = Path(args.output).resolve() if args.output else build / "dist" / f"{NAME}.zip"
    try:
        count, size = make_zip(build / "html", output)
    except DistError as exc:
        print(f"dist: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"dist: wrote {output} ({count} files, {size / 1e6:.1f} MB); unzip it and serve the "
        f"{NAME}/ folder from any static web server"
    )
    if not (build / "html" / "book.pdf").is_file():
        print(
            "dist: note: the site has no book.pdf (the front page links it): run `make pdf` "
            "before `make dist` to include it"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
