"""How every explorer draws a study's published values next to a simulation.

One marker style for "what the study found" across the book: a diamond with a black edge,
in the colour of the group it belongs to, with a black bar for the spread (±1 SD across
units) or a confidence interval where one is known. The values come from
:mod:`models.published`; this module only draws them.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D

__all__ = ["DATA_STYLE", "data_handle", "draw_data_point"]

#: Marker style of a published value (the colour is the group's).
DATA_STYLE = {"marker": "D", "ms": 6.5, "mec": "#000000", "mew": 1.2, "ls": "none", "zorder": 5}


def data_handle(label: str) -> Line2D:
    """A legend entry for published values (white diamond, black edge)."""
    return Line2D([], [], color="#FFFFFF", label=label, **DATA_STYLE)


def draw_data_point(
    ax: Axes,
    x: float,
    y: float,
    color: str,
    *,
    low: float | None = None,
    high: float | None = None,
    horizontal: bool = False,
) -> None:
    """One published value at ``(x, y)`` with an optional bar from ``low`` to ``high``.

    With ``horizontal=True`` the bar runs along x (an interval on the x axis at height y).
    """
    if low is not None and high is not None:
        xs, ys = ([low, high], [y, y]) if horizontal else ([x, x], [low, high])
        ax.plot(xs, ys, color="#000000", lw=1.3, zorder=4)
    ax.plot([x], [y], color=color, **DATA_STYLE)
