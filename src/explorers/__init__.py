"""Figures and interactive explorers built on :mod:`models`.

``plot_*`` functions draw a model result and never recompute; ``explore_*`` functions return
an :class:`~explorers.core.Explorer`, which is live in Jupyter (ipywidgets) and works in the
static book with precomputed frames.
"""

from .core import Control, Explorer, show

__all__ = ["Control", "Explorer", "show"]
