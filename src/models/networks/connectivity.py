"""What a resting-state scan is summarised by: FC, modularity, within- and between-network FC.

Functional connectivity (FC) is the Pearson correlation between two regions' time series;
Newman's modularity ``Q`` says how well a partition into networks explains the FC matrix.
:func:`summarize_network` reduces one simulated scan of :mod:`models.networks.simulation`
(possibly shortened) to the numbers chapter 07 discusses, next to the model's exact values for
an infinitely long scan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._params import check_int
from .simulation import (
    NetworkParams,
    NetworkTimeseries,
    _labels_array,
    functional_connectivity,
    stationary_fc,
)

__all__ = [
    "NetworkSummary",
    "between_network_connectivity",
    "functional_connectivity",
    "modularity",
    "summarize_network",
    "within_network_connectivity",
]


def _check_fc(fc) -> np.ndarray:
    w = np.asarray(fc, dtype=float)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] < 2:
        raise ValueError(f"fc must be a square matrix of at least 2 x 2, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("fc must contain only finite numbers")
    if not np.allclose(w, w.T):
        raise ValueError("fc must be symmetric")
    return w


def modularity(fc, labels) -> float:
    """Newman's modularity ``Q`` of a partition of a weighted FC graph.

    Only positive connections count: negative entries are set to 0 and the diagonal is
    excluded. With ``W`` that graph, ``k_i = sum_j W_ij`` and ``2m = sum_ij W_ij``::

        Q = 1 / (2m) * sum_ij [W_ij - k_i k_j / (2m)] delta(c_i, c_j)

    ``Q`` is the fraction of connection weight inside the networks minus the fraction
    expected if the same weights were wired at random; higher means more segregated networks.

    Parameters
    ----------
    fc
        Symmetric square matrix, e.g. from :func:`functional_connectivity`.
    labels
        Community (network) of each node, one per row of ``fc``.

    Returns
    -------
    float
        ``Q`` in [-1/2, 1).

    Examples
    --------
    Two disconnected pairs: the analytic value for ``K`` equal disconnected communities
    is ``1 - 1/K``.

    >>> W = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]], dtype=float)
    >>> modularity(W, ["a", "a", "b", "b"])
    0.5
    """
    w = _check_fc(fc)
    lab = _labels_array(labels, w.shape[0])
    w = np.clip(w, 0.0, None)
    np.fill_diagonal(w, 0.0)
    k = w.sum(axis=1)
    two_m = k.sum()
    if two_m <= 0:
        raise ValueError("fc has no positive off-diagonal connection; modularity is undefined")
    same = lab[:, None] == lab[None, :]
    return float(np.sum((w - np.outer(k, k) / two_m)[same]) / two_m)


def _network_mask(lab: np.ndarray, network: str, arg: str) -> np.ndarray:
    mask = lab == network
    if not mask.any():
        raise ValueError(f"{arg} {network!r} is not among the labels {sorted(set(lab.tolist()))}")
    return mask


def within_network_connectivity(fc, labels, network: str = "DMN") -> float:
    """Mean FC between distinct regions of one network (off-diagonal entries only).

    Examples
    --------
    >>> fc = np.array([[1.0, 0.6, 0.1], [0.6, 1.0, 0.2], [0.1, 0.2, 1.0]])
    >>> within_network_connectivity(fc, ["DMN", "DMN", "visual"], "DMN")
    0.6
    """
    w = _check_fc(fc)
    mask = _network_mask(_labels_array(labels, w.shape[0]), network, "network")
    if mask.sum() < 2:
        raise ValueError(
            f"network {network!r} has a single region; within-network connectivity needs at least 2"
        )
    block = w[np.ix_(mask, mask)]
    off = ~np.eye(block.shape[0], dtype=bool)
    return float(block[off].mean())


def between_network_connectivity(
    fc, labels, network: str = "DMN", other: str | None = None
) -> float:
    """Mean FC between the regions of ``network`` and those of ``other``.

    With ``other=None`` the mean is over all regions outside ``network``.

    Examples
    --------
    >>> fc = np.array([[1.0, 0.6, 0.1], [0.6, 1.0, 0.2], [0.1, 0.2, 1.0]])
    >>> round(between_network_connectivity(fc, ["DMN", "DMN", "visual"], "DMN"), 2)
    0.15
    """
    w = _check_fc(fc)
    lab = _labels_array(labels, w.shape[0])
    a = _network_mask(lab, network, "network")
    b = ~a if other is None else _network_mask(lab, other, "other")
    if other is not None and other == network:
        raise ValueError("other must differ from network; use within_network_connectivity")
    if not b.any():
        raise ValueError(f"there are no regions outside network {network!r}")
    return float(w[np.ix_(a, b)].mean())


@dataclass(frozen=True)
class NetworkSummary:
    """One simulated scan reduced to what the chapter discusses.

    Attributes
    ----------
    fc
        Functional connectivity (Pearson r) between every pair of regions, ``(n, n)``.
    regions, labels
        Region names and the network of each region, aligned with the rows of ``fc``.
    psychedelic
        Drug effect level simulated (dimensionless, 0 = placebo).
    scan_minutes
        Length of the simulated scan, minutes.
    within_dmn
        Mean FC between distinct DMN regions, estimated from the scan.
    modularity
        Newman's ``Q`` of the partition into networks, estimated from the scan.
    exact_within_dmn, exact_modularity
        The same two numbers from the model's exact (stationary) FC: what an infinitely long
        scan would give.
    """

    fc: np.ndarray
    regions: tuple[str, ...]
    labels: tuple[str, ...]
    psychedelic: float
    scan_minutes: float
    within_dmn: float
    modularity: float
    exact_within_dmn: float
    exact_modularity: float


def summarize_network(
    run: NetworkTimeseries, params: NetworkParams | None = None, *, n_timepoints: int | None = None
) -> NetworkSummary:
    """Reduce a run of :func:`simulate_network` to a :class:`NetworkSummary`.

    Parameters
    ----------
    run
        The simulated scan.
    params
        The parameters the run was simulated with (defaults when None); needed for the scan
        length in minutes and for the exact values.
    n_timepoints
        Use only the first ``n_timepoints`` samples (a shorter scan of the same session);
        all of them when None.

    Examples
    --------
    >>> from models.networks import simulate_network
    >>> run = simulate_network(n_timepoints=600, rng=0)
    >>> s = summarize_network(run, n_timepoints=300)
    >>> s.fc.shape, s.scan_minutes
    ((18, 18), 10.0)
    >>> bool(0.0 < s.exact_modularity < 1.0)
    True
    """
    p = params or NetworkParams()
    n = run.t_s.size if n_timepoints is None else int(n_timepoints)
    check_int("n_timepoints", n, 2, run.t_s.size)
    fc = functional_connectivity(run.timeseries[:, :n])
    exact = stationary_fc(run.psychedelic, p, run.labels)
    return NetworkSummary(
        fc=fc,
        regions=run.regions,
        labels=run.labels,
        psychedelic=run.psychedelic,
        scan_minutes=n * p.time_step_s / 60.0,
        within_dmn=within_network_connectivity(fc, run.labels, "DMN"),
        modularity=modularity(fc, run.labels),
        exact_within_dmn=within_network_connectivity(exact, run.labels, "DMN"),
        exact_modularity=modularity(exact, run.labels),
    )
