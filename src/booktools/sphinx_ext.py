"""Sphinx extension with the book's small build-time fixes.

- Colab opens only ``.ipynb`` files, so its launch button would fail on a MyST Markdown
  chapter. The button is kept on ``.ipynb`` pages (the class labs) and removed elsewhere;
  Binder opens either kind and stays.
- MyST-NB labels the summary of a hidden code cell "Toggle hidden content" while it shows
  "Show code cell source": screen readers then announce a name that differs from the
  visible text (axe rule label-content-name-mismatch). The label is dropped so the visible
  text names the control.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from explorers.core import STATIC_BUILD_ENV


def _drop_colab_on_text_pages(
    app, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    if pagename not in app.env.all_docs:
        return
    if Path(app.env.doc2path(pagename)).suffix == ".ipynb":
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            button["buttons"] = [b for b in button.get("buttons", []) if b.get("text") != "Colab"]


_MISMATCHED_SUMMARY = '<summary aria-label="Toggle hidden content">'


def _name_summaries_by_their_text(
    app, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    body = context.get("body")
    if isinstance(body, str) and _MISMATCHED_SUMMARY in body:
        context["body"] = body.replace(_MISMATCHED_SUMMARY, "<summary>")


def setup(app) -> dict[str, Any]:
    # Kernels that execute the chapters inherit this process's environment: explorers then
    # precompute every frame for the static site (a live kernel renders one frame only).
    os.environ[STATIC_BUILD_ENV] = "1"
    # The theme adds launch buttons at priority 501; run after it.
    app.connect("html-page-context", _drop_colab_on_text_pages, priority=600)
    app.connect("html-page-context", _name_summaries_by_their_text)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
