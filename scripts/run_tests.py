"""``make test``: every test, in two pytest processes that run side by side.

The tests that need the session's book build (marked ``site`` by ``tests/conftest.py``) run in
one process; all others (models, explorers, labs, environments, small test books) in the
other, whose report is printed after the first one's. The two share no build folder, and on a
machine with two or more cores the suite takes about the time of the longer half.

With arguments, runs one ordinary pytest with them instead (``make test PYTEST_ARGS="-k x"``).
Exits non-zero when either half fails or collects no tests (pytest's exit code 5).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest"]
HALVES = {
    "site": ["-m", "site"],
    # the other half keeps no pytest cache, so the two never write the same file
    "rest": ["-m", "not site", "-p", "no:cacheprovider"],
}


def main(argv: list[str]) -> int:
    if argv:
        return subprocess.call([*PYTEST, *argv], cwd=ROOT)
    start = time.monotonic()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as rest_log:
        rest = subprocess.Popen(
            [*PYTEST, *HALVES["rest"]], cwd=ROOT, stdout=rest_log, stderr=subprocess.STDOUT
        )
        site_rc = subprocess.call([*PYTEST, *HALVES["site"]], cwd=ROOT)
        site_time = time.monotonic() - start
        rest_rc = rest.wait()
        rest_log.seek(0)
        print(f"\n{'=' * 30} tests that need no book build {'=' * 30}", flush=True)
        sys.stdout.write(rest_log.read())
    codes = {"site": site_rc, "rest": rest_rc}
    print(
        f"\nrun_tests: site half exit {site_rc} ({site_time:.0f} s), rest half exit {rest_rc}; "
        f"{time.monotonic() - start:.0f} s in all",
        flush=True,
    )
    for name, rc in codes.items():
        if rc == 5:
            print(f"run_tests: the {name} half collected no tests", file=sys.stderr)
    return next((rc for rc in codes.values() if rc != 0), 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
