"""Sphinx extension: each page shows its reading time under its title.

The time is the page's words divided by :data:`WORDS_PER_MINUTE` (an adult reads ordinary
prose at about 200-250 words a minute; a textbook with maths reads slower, so the book uses
the low end), rounded up to whole minutes. What counts as a word:

- text of the page (paragraphs, lists, tables, admonitions, code the reader is shown);
- not the outputs of code cells (explorer frames, printed numbers), not code cells whose
  input is hidden, not maths (an equation is read, but its LaTeX source is no measure of
  how long), and not raw HTML.

The line is a ``<p class="reading-time">`` right after the page's first heading. It is inserted
as raw HTML so it is not taken for the page's first paragraph (meta description) and it does
not add to the word count of the search index.
"""

from __future__ import annotations

import math
from typing import Any

from docutils import nodes

#: Reading speed used for every page (words per minute).
WORDS_PER_MINUTE = 200

#: CSS class of the inserted line (tests and the stylesheet look for it).
CSS_CLASS = "reading-time"

_SKIPPED_NODES = (nodes.raw, nodes.math, nodes.math_block, nodes.comment, nodes.system_message)


def _skipped(node: nodes.Node) -> bool:
    """True for a node whose words the reader does not read as prose."""
    if isinstance(node, _SKIPPED_NODES):
        return True
    if isinstance(node, nodes.Element):
        classes = set(node.get("classes", []))
        if "cell_output" in classes or "tag_hide-input" in classes or "tag_remove-input" in classes:
            return True
        if CSS_CLASS in classes:
            return True
    return False


def count_words(doctree: nodes.Node) -> int:
    """Words a reader reads on a page (see the module docstring for what counts).

    Examples
    --------
    >>> from docutils import nodes
    >>> doc = nodes.section("", nodes.title("", "A title"), nodes.paragraph("", "one two three"))
    >>> count_words(doc)
    5
    """
    total = 0

    def walk(node: nodes.Node) -> None:
        nonlocal total
        if _skipped(node):
            return
        if isinstance(node, nodes.Text):
            total += len(node.astext().split())
            return
        for child in node.children:
            walk(child)

    walk(doctree)
    return total


def reading_minutes(words: int, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read ``words`` words, at least 1.

    Examples
    --------
    >>> reading_minutes(0), reading_minutes(200), reading_minutes(201)
    (1, 1, 2)
    """
    if words < 0:
        raise ValueError(f"words must be >= 0, got {words}")
    if words_per_minute <= 0:
        raise ValueError(f"words_per_minute must be > 0, got {words_per_minute}")
    return max(1, math.ceil(words / words_per_minute))


def reading_time_html(words: int) -> str:
    """The line shown under a page's title."""
    minutes = reading_minutes(words)
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f'<p class="{CSS_CLASS}">'
        f"Reading time: about {minutes} {unit} "
        f'<span class="reading-time-words">({words:,} words at {WORDS_PER_MINUTE} a minute)</span>'
        "</p>\n"
    )


def add_reading_time(doctree: nodes.document) -> int | None:
    """Insert the reading-time line after the first heading; return the word count.

    Returns None (and changes nothing) on a page without a heading.
    """
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return None
    title = section[0]
    words = count_words(doctree)
    line = nodes.raw("", reading_time_html(words), format="html", classes=[CSS_CLASS])
    section.insert(section.index(title) + 1, line)
    return words


def _on_doctree_read(app, doctree: nodes.document) -> None:
    add_reading_time(doctree)


def setup(app) -> dict[str, Any]:
    app.connect("doctree-read", _on_doctree_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
