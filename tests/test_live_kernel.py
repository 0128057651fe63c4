"""Live kernel: a lab opened in JupyterLab in headless chromium, Run All, move a slider.

JupyterLab runs on 127.0.0.1 with a token, its own config/data/runtime folders and a
temporary copy of the notebook (autosave writes outputs). Every request to another host is
blocked and counted.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, PageProbe, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LAB = ROOT / "notebooks" / "lab-spines.ipynb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    require_chromium()
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(LAB, work / LAB.name)
    home = tmp_path_factory.mktemp("home")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "rt"),
        "IPYTHONDIR": str(home / "ipython"),
        "MPLCONFIGDIR": str(home / "mpl"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    env.pop("MPLBACKEND", None)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w")
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("JupyterLab exited:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token, work
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_lab_runs_all_and_slider_redraws_figure(jupyterlab, browser):
    base, token, _ = jupyterlab
    probe = PageProbe(browser, viewport={"width": 1400, "height": 1000})
    page = probe.page
    try:
        page.goto(f"{base}/lab/tree/{LAB.name}?token={token}", wait_until="load")
        # Kernel ready = idle indicator AND a real kernel name (idle shows before a kernel).
        page.wait_for_function(
            """() => {
              const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
              const name = document.querySelector('.jp-Toolbar-kernelName');
              return ind && ind.getAttribute('data-status') === 'idle' && name &&
                     /python/i.test(name.textContent);
            }""",
            timeout=90_000,
        )
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        slider = page.locator(".widget-slider").first
        slider.wait_for(state="attached", timeout=90_000)
        image = page.locator("img.widget-image").first
        image.wait_for(state="visible", timeout=60_000)
        page.wait_for_function(
            "document.querySelector('img.widget-image').naturalWidth > 100", timeout=30_000
        )
        before_src = image.get_attribute("src")
        readout = slider.locator(".widget-readout")
        before_text = readout.inner_text()
        handle = slider.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # nouislider ignores input briefly after it appears
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(src) => { const i = document.querySelector('img.widget-image');"
            " return i && i.src !== src && i.naturalWidth > 100; }",
            arg=before_src,
            timeout=30_000,
        )
        assert readout.inner_text() != before_text
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert errors.count() == 0, errors.all_inner_texts()
        assert probe.external == [], probe.external
    except Exception:
        shot = Path(os.environ.get("TMPDIR", "/tmp")) / "live-kernel-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        print(
            page.evaluate(
                "Array.from(document.querySelectorAll('[class*=slider], img'))"
                ".slice(0, 12).map(e => e.tagName + ' ' + e.className)"
            )
        )
        raise
    finally:
        probe.close()
