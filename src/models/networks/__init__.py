"""Resting-state networks under a psychedelic (chapter 07, the default mode network).

- :mod:`~models.networks.simulation`: a toy brain of 18 regions in four networks, a linear
  stochastic network whose networks blur together under a psychedelic
  (:func:`simulate_network`, :func:`stationary_fc`);
- :mod:`~models.networks.connectivity`: what a scan is summarised by (functional connectivity,
  modularity, within- and between-network connectivity, :func:`summarize_network`).
"""

from . import connectivity, simulation
from .connectivity import *  # noqa: F403  (each submodule lists its API in __all__)
from .simulation import *  # noqa: F403  (each submodule lists its API in __all__)

__all__ = [*simulation.__all__, *connectivity.__all__]
