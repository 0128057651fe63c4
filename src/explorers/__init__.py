"""Figures and interactive explorers built on :mod:`models`.

``plot_*`` functions draw a model result and never recompute; ``explore_*`` functions return
an :class:`~explorers.core.Explorer`, which is live in Jupyter (ipywidgets) and works in the
static book with precomputed frames. Nothing here simulates: models live in :mod:`models`.
:func:`explorers.registry.all_explorers` lists every explorer.

Plot functions share one convention, so their docstrings list only what is their own:
``plot_x(result, ax=None, *, reference=None, ...)`` draws ``result``, a model's result (a few
name it for what it is, such as ``view``), on ``ax``, or on a new figure's axes when ``ax`` is
None, and returns the axes; ``reference``, where a plot offers it, is an optional second
result drawn for comparison.
"""

from .core import ChoiceControl, Control, Explorer, IntControl, show

__all__ = ["ChoiceControl", "Control", "Explorer", "IntControl", "show"]
