"""Simulated chronic two-photon imaging (chapter 04, "Evidence I: spines in mice").

Two layers, both built on the two-pool spine model of :mod:`models.spines`:

- :mod:`~models.imaging.dendrites`: whole spines born, matured and lost at random on each
  dendrite, imaged on chosen days (:func:`simulate_imaging`);
- :mod:`~models.imaging.mice`: dendrites grouped into mice and two groups of mice
  (:func:`simulate_mouse_experiment`), with per-dendrite and per-mouse effect sizes.
"""

from . import dendrites, mice
from .dendrites import *  # noqa: F403  (each submodule lists its API in __all__)
from .mice import *  # noqa: F403  (each submodule lists its API in __all__)

__all__ = [*dendrites.__all__, *mice.__all__]
