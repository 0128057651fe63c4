"""Simulated chronic two-photon imaging (chapter 04, "Evidence I: spines in mice").

Two layers, both built on the two-pool spine model of :mod:`models.spines`:

- :mod:`~models.imaging.dendrites`: whole spines born, matured and lost at random on each
  dendrite, imaged on chosen days (:func:`simulate_imaging`);
- :mod:`~models.imaging.mice`: dendrites grouped into mice and two groups of mice
  (:func:`simulate_mouse_experiment`), with per-dendrite and per-mouse effect sizes.
"""

from .dendrites import DEFAULT_IMAGING_DAYS, ImagingResult, simulate_imaging
from .mice import (
    DENDRITES_PER_MOUSE,
    IMAGING_DAYS,
    MOUSE_SD_BOUNDS,
    MouseExperiment,
    cohens_d,
    simulate_mouse_experiment,
)

__all__ = [
    "DEFAULT_IMAGING_DAYS",
    "DENDRITES_PER_MOUSE",
    "IMAGING_DAYS",
    "MOUSE_SD_BOUNDS",
    "ImagingResult",
    "MouseExperiment",
    "cohens_d",
    "simulate_imaging",
    "simulate_mouse_experiment",
]
