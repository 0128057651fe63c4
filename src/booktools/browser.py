"""How the book drives a browser: Debian chromium, headless, with no traffic of its own.

Shared by the test fixtures (``tests/conftest.py``) and the PDF printer (``scripts/pdf.py``).
Never a browser downloaded by playwright: ``apt-get install chromium`` (``.ci/run`` does it).
"""

from __future__ import annotations

import os

#: Debian's chromium, or the one named by ``CHROMIUM``.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Headless, and no background requests that would leave the machine.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Hosts a page may load from: everything else counts as leaving the site.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
