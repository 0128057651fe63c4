"""Resting-state networks under a psychedelic (chapter 07, the default mode network).

- :mod:`~models.networks.simulation`: a toy brain of 18 regions in four networks, a linear
  stochastic network whose networks blur together under a psychedelic
  (:func:`simulate_network`, :func:`stationary_fc`);
- :mod:`~models.networks.connectivity`: what a scan is summarised by (functional connectivity,
  modularity, within- and between-network connectivity, :func:`summarize_network`).
"""

from .connectivity import (
    NetworkSummary,
    between_network_connectivity,
    functional_connectivity,
    modularity,
    summarize_network,
    within_network_connectivity,
)
from .simulation import (
    LABELS,
    NETWORKS,
    PSYCHEDELIC_BOUNDS,
    REGION_NAMES,
    REGIONS,
    NetworkParams,
    NetworkTimeseries,
    coupling_matrix,
    simulate_network,
    stationary_fc,
)

__all__ = [
    "LABELS",
    "NETWORKS",
    "PSYCHEDELIC_BOUNDS",
    "REGIONS",
    "REGION_NAMES",
    "NetworkParams",
    "NetworkSummary",
    "NetworkTimeseries",
    "between_network_connectivity",
    "coupling_matrix",
    "functional_connectivity",
    "modularity",
    "simulate_network",
    "stationary_fc",
    "summarize_network",
    "within_network_connectivity",
]
