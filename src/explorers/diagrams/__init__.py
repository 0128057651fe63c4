"""Concept diagrams: schematics of the structures and processes the chapters name.

Each diagram is a small inline SVG (see :mod:`explorers.diagrams.svg`) with alt text and a
caption that starts with "Schematic". A chapter shows one with a cell that ends in
``diagram("two_pool")``; in the book the SVG follows the light/dark theme, in Jupyter the
notebook's theme.

Examples
--------
>>> d = diagram("two_pool")
>>> d.caption.startswith("Schematic")
True
>>> "<svg" in d._repr_html_() and 'role="img"' in d.svg
True
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from . import biology, design

__all__ = ["Diagram", "diagram", "all_diagrams"]


@dataclass(frozen=True)
class Diagram:
    """One schematic: its name, the SVG, alt text (also the SVG's ``aria-label``) and caption."""

    name: str
    svg: str
    alt: str
    caption: str
    texts: tuple[str, ...]

    def _repr_html_(self) -> str:
        return (
            f'<figure class="rw-diagram" id="diagram-{self.name}" '
            'style="max-width:30rem;margin:1.5rem auto">'
            f"{self.svg}<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )


_BUILDERS: dict[str, Callable[[], tuple]] = {**biology.DIAGRAMS, **design.DIAGRAMS}


def all_diagrams() -> tuple[str, ...]:
    """Names of every diagram, sorted."""
    return tuple(sorted(_BUILDERS))


def diagram(name: str) -> Diagram:
    """The diagram called ``name`` (one of :func:`all_diagrams`)."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown diagram {name!r}; choose one of {', '.join(all_diagrams())}")
    canvas, alt, caption = _BUILDERS[name]()
    if not caption.startswith("Schematic"):
        raise ValueError(f"diagram {name!r}: caption must start with 'Schematic'")
    return Diagram(name, canvas.svg(alt), alt, caption, tuple(canvas.texts))
