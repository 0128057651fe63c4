"""Shared fixtures: the built book, a localhost server for it, and headless Debian chromium.

Browser tests need Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs it).
Outside CI they are skipped with a reason when it is missing; with ``CI`` set they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from booktools.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS

ROOT = Path(__file__).resolve().parents[1]
# BOOK_OUTPUT moves the test build elsewhere (jupyter-book --path-output), so two checkouts or
# two people testing at once do not write the same _build folder.
OUTPUT = Path(os.environ["BOOK_OUTPUT"]).resolve() if os.environ.get("BOOK_OUTPUT") else ROOT
BUILD = OUTPUT / "_build"
HTML = BUILD / "html"


def jupyter_book_build(
    source: Path, *extra: str, timeout: float = 1800
) -> subprocess.CompletedProcess:
    """Run ``jupyter-book build SOURCE -W -n --keep-going`` with the project venv."""
    cmd = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(source),
        "-W",
        "-n",
        "--keep-going",
        *extra,
    ]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that needs the session's book build ``site``.

    ``make test`` (scripts/run_tests.py) runs ``-m site`` and ``-m "not site"`` as two
    processes at once, so that only one of them ever builds the book into ``_build``.
    """
    for item in items:
        if "book_build" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def book_build() -> subprocess.CompletedProcess:
    """Build the book once per test session (cached execution keeps a rebuild fast).

    The cache is cleared first when code in src/ changed (scripts/cache_guard.py), so the
    tests never see figures made by older models.
    """
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cache_guard.py"), str(BUILD)], check=True
    )
    extra = ("--path-output", str(OUTPUT)) if OUTPUT != ROOT else ()
    return jupyter_book_build(ROOT, *extra)


@pytest.fixture(scope="session")
def site(book_build) -> Path:
    """The built HTML folder; fails if the build failed."""
    if book_build.returncode != 0:
        pytest.fail(
            "the book build failed, so the site cannot be tested:\n"
            + (book_build.stdout + book_build.stderr)[-4000:]
        )
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, handler_class=_QuietHandler):
    """Serve ``folder`` on a free localhost port for the ``with`` block; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on a free localhost port; yields the base URL."""
    with serve_folder(site) as base:
        yield base


def require_chromium() -> None:
    """Skip (locally) or fail (CI) when Debian chromium is not installed."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    message = (
        f"Debian chromium not found at {CHROMIUM}; install it with "
        "'apt-get install chromium' (.ci/run does this)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium driven by Python playwright (never a downloaded browser)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageProbe:
    """A page with every outside request blocked and counted, and console errors recorded."""

    def __init__(self, browser, *, viewport=None, color_scheme="light"):
        self.context = browser.new_context(
            viewport=viewport or {"width": 1200, "height": 900}, color_scheme=color_scheme
        )
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(f"console: {msg.text}")

    def goto(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> PageProbe:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@pytest.fixture
def probe(browser):
    p = PageProbe(browser)
    yield p
    p.close()
