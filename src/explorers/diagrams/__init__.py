"""Concept diagrams: schematics of the structures and processes the chapters name.

Each diagram is a small inline SVG (see :mod:`explorers.diagrams.svg`) with alt text and a
caption that starts with "Schematic". A chapter shows one with a cell that ends in
``diagram("two_pool")``; in the book the SVG follows the light/dark theme, in Jupyter the
notebook's theme.

A diagram's builder is the public function of that name in :mod:`~explorers.diagrams.biology`
or :mod:`~explorers.diagrams.design`; builders only draw. Every diagram's alt text and caption
are prose kept in one place, ``texts.json`` next to them, under the diagram's name. A text may
name a value computed from a model (``{sessions}``), filled in from ``biology.TEXT_VALUES``.

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
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from . import biology, design
from .svg import Canvas

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


def _builders(*modules) -> dict[str, Callable[[], Canvas]]:
    """Every diagram builder: the public functions of the builder modules, by name."""
    return {
        name: fn
        for module in modules
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_")
    }


_BUILDERS = _builders(biology, design)
#: name -> {"alt": ..., "caption": ...}, read once.
_TEXTS: dict[str, dict[str, str]] = json.loads(
    resources.files(__name__).joinpath("texts.json").read_text(encoding="utf-8")
)


def all_diagrams() -> tuple[str, ...]:
    """Names of every diagram, sorted."""
    return tuple(sorted(_BUILDERS))


def diagram(name: str) -> Diagram:
    """The diagram called ``name`` (one of :func:`all_diagrams`)."""
    if name not in _BUILDERS:
        raise ValueError(f"unknown diagram {name!r}; choose one of {', '.join(all_diagrams())}")
    canvas = _BUILDERS[name]()
    if name not in _TEXTS:
        raise ValueError(f"diagram {name!r} has no alt text and caption in texts.json")
    values = biology.TEXT_VALUES.get(name, {})
    alt, caption = (_TEXTS[name][key].format(**values) for key in ("alt", "caption"))
    if not caption.startswith("Schematic"):
        raise ValueError(f"diagram {name!r}: caption must start with 'Schematic'")
    return Diagram(name, canvas.svg(alt), alt, caption, tuple(canvas.texts))
