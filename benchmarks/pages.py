"""Page weight and Lighthouse mobile scores of the built site, one row per page.

Serves the built site on localhost **with gzip**, as GitHub Pages does (``http.server`` alone
does not compress), and prints for the landing page and every chapter and lab page (or
``--pages``):

- HTML bytes (raw and gzipped);
- total transfer (Lighthouse ``total-byte-weight``: every request of the page load, gzipped);
- Lighthouse mobile performance, FCP, LCP and TBT, the median of ``--runs`` runs;
- Lighthouse accessibility, best-practices and SEO scores.

Lighthouse is npm ``lighthouse@12.2.3`` (later versions need Node 22), installed from
``benchmarks/package-lock.json`` on first use, run against Debian chromium
(``CHROME_PATH=/usr/bin/chromium``). Its simulated throttling moves scores by a few points
between runs on a loaded machine: the numbers are reported, never asserted.

    python benchmarks/pages.py                      # every chapter and lab, 3 runs each
    python benchmarks/pages.py --pages index chapters/02-spines --runs 1
    python benchmarks/pages.py --no-lighthouse      # sizes only (seconds)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROMIUM", "/usr/bin/chromium")
COMPRESSIBLE = {
    ".html",
    ".css",
    ".js",
    ".json",
    ".svg",
    ".xml",
    ".txt",
    ".map",
    ".ico",
    ".ipynb",
    ".md",
    ".otf",
    ".ttf",
}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that gzips text files when the client accepts it."""

    _cache: dict[str, bytes] = {}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if (
            not accepts
            or not os.path.isfile(path)
            or os.path.splitext(path)[1].lower() not in COMPRESSIBLE
        ):
            return super().send_head()
        body = self._cache.get(path)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=6, mtime=0)
            self._cache[path] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # Chrome closing a socket
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def default_pages(site: Path) -> list[str]:
    """The landing page, then every chapter and lab page (not the instructor guide's lesson
    plans)."""
    return ["index"] + sorted(
        p.relative_to(site).with_suffix("").as_posix()
        for p in [*(site / "chapters").glob("*.html"), *(site / "notebooks").glob("*.html")]
    )


def ensure_lighthouse() -> Path:
    if not LIGHTHOUSE.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm not found: Lighthouse comes from benchmarks/package-lock.json")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=HERE, check=True
        )
    return LIGHTHOUSE


def lighthouse(url: str) -> dict:
    """One Lighthouse mobile run; returns the scores and metrics this table shows."""
    env = {**os.environ, "CHROME_PATH": CHROME}
    out = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if out.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}: {out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    cats, audits = report["categories"], report["audits"]

    def score(name: str) -> float:
        s = cats[name]["score"]
        return float("nan") if s is None else round(100 * s)

    return {
        "perf": score("performance"),
        "a11y": score("accessibility"),
        "bp": score("best-practices"),
        "seo": score("seo"),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def median_runs(url: str, runs: int) -> dict:
    results = [lighthouse(url) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main(argv: list[str] | None = None) -> int:
    output = Path(os.environ["BOOK_OUTPUT"]) if os.environ.get("BOOK_OUTPUT") else ROOT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site",
        type=Path,
        default=output / "_build" / "html",
        help="built site (default: $BOOK_OUTPUT/_build/html or _build/html)",
    )
    parser.add_argument("--pages", nargs="+", help="pages, e.g. index chapters/02-spines")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--no-lighthouse", action="store_true", help="sizes only")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"no built site at {site}: run `make book` first", file=sys.stderr)
        return 1
    pages = [p.removesuffix(".html") for p in (args.pages or default_pages(site))]
    use_lh = not args.no_lighthouse
    if use_lh:
        ensure_lighthouse()
    httpd, base = serve(site)
    rows = []
    header = (
        f"{'page':40} {'HTML kB':>8} {'gz kB':>6} {'total kB':>9} {'perf':>5} "
        f"{'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'a11y':>5} {'bp':>4} {'seo':>4}"
    )
    print(
        f"Lighthouse 12.2.3 mobile, median of {args.runs} run(s); site served with gzip"
        if use_lh
        else "Sizes only (--no-lighthouse)"
    )
    print(header)
    print("-" * len(header))
    try:
        for page in pages:
            raw = (site / f"{page}.html").read_bytes()
            row = {"page": page, "html": len(raw), "html_gz": len(gzip.compress(raw, mtime=0))}
            t0 = time.perf_counter()
            if use_lh:
                row.update(median_runs(f"{base}/{page}.html", args.runs))
            row["seconds"] = time.perf_counter() - t0
            rows.append(row)
            lh = (
                (
                    f"{row['bytes'] / 1e3:9.0f} {row['perf']:5.0f} {row['fcp']:6.1f} "
                    f"{row['lcp']:6.1f} {row['tbt']:7.0f} {row['a11y']:5.0f} {row['bp']:4.0f} "
                    f"{row['seo']:4.0f}"
                )
                if use_lh
                else f"{'-':>9}"
            )
            print(
                f"{page:40} {row['html'] / 1e3:8.1f} {row['html_gz'] / 1e3:6.1f} {lh}", flush=True
            )
    finally:
        httpd.shutdown()
        httpd.server_close()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
