"""Glossary definitions in place: every glossary link (``{term}`...```) gets the term's
definition, taken from the glossary page, in a hidden tooltip next to the link
(``aria-describedby``, so a screen reader announces it as the link's description).
``_static/evidence.js`` shows it on hover, on keyboard focus and on a first tap (a second tap
follows the link), so a reader need not leave the page. Without JavaScript the link simply
goes to the glossary. Set up by :mod:`booktools.evidence`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes


def _collect_glossary(app, doctree) -> None:
    env = app.env
    if not hasattr(env, "rw_glossary"):
        env.rw_glossary = {}
    for gloss in doctree.findall(addnodes.glossary):
        for item in gloss.findall(nodes.definition_list_item):
            definition = next(iter(item.findall(nodes.definition)), None)
            if definition is None:
                continue
            text = " ".join(definition.astext().split())
            for term in item.findall(nodes.term):
                for node_id in term["ids"]:
                    env.rw_glossary[node_id] = (env.docname, text)


def _purge(app, env, docname) -> None:
    gloss = getattr(env, "rw_glossary", {})
    for k in [k for k, (doc, _) in gloss.items() if doc == docname]:
        del gloss[k]


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "rw_glossary"):
        env.rw_glossary = {}
    env.rw_glossary.update(getattr(other, "rw_glossary", {}))


_TERM_LINK = re.compile(
    r'<a class="reference internal" href="(?P<href>[^"]*#(?P<id>term-[^"]+))">'
    r'(?P<inner><span class="xref std std-term">.*?</span>)</a>',
    re.DOTALL,
)


def add_definitions(body: str, glossary: dict[str, tuple[str, str]]) -> str:
    """Give every glossary link its definition as a hidden tooltip (``aria-describedby``)."""
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        entry = glossary.get(m.group("id"))
        if entry is None:
            return m.group(0)
        count += 1
        tip = f"rw-def-{count}"
        return (
            f'<a class="reference internal rw-term" href="{m.group("href")}" '
            f'aria-describedby="{tip}">{m.group("inner")}</a>'
            f'<span class="rw-def" id="{tip}" role="tooltip" hidden>{html.escape(entry[1])}</span>'
        )

    return _TERM_LINK.sub(repl, body)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    glossary = getattr(app.env, "rw_glossary", {})
    if isinstance(body, str) and glossary and "std-term" in body:
        context["body"] = add_definitions(body, glossary)


def setup(app) -> dict[str, Any]:
    app.connect("doctree-read", _collect_glossary)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
