"""Figures and interactive explorers built on :mod:`models`.

``plot_*`` functions draw a model result and never recompute; ``explore_*`` functions return
an :class:`~explorers.core.Explorer`, which is live in Jupyter (ipywidgets) and works in the
static book with precomputed frames. Nothing here simulates: models live in :mod:`models`.
:func:`explorers.registry.all_explorers` lists every explorer.
"""

from .core import ChoiceControl, Control, Explorer, IntControl, show

__all__ = ["ChoiceControl", "Control", "Explorer", "IntControl", "show"]
