"""Resting-state networks: a toy brain whose networks blur together under a psychedelic.

Eighteen named regions belong to four large-scale networks: the default mode network (DMN:
medial prefrontal cortex, posterior cingulate, angular gyri and hippocampi; Raichle et al. 2001,
Buckner et al. 2008), a visual, a somatomotor and a salience network. Each region's activity is
one number that relaxes back to zero, is pushed around by noise and is pulled towards the
regions it is coupled to. Correlating the regions' time series gives a *functional connectivity*
(FC) matrix, the quantity resting-state fMRI studies report.

The model
---------
A multivariate Ornstein-Uhlenbeck process (a linear stochastic network)::

    tau dx/dt = -(I - C) x + sigma sqrt(tau) xi(t)        (xi: white noise, one per region)
    y(t) = x(t) + m eps(t)                                 (eps: measurement noise)

``C`` is the coupling matrix: regions of the same network are coupled more strongly than
regions of different networks. Every region receives ``within_coupling`` in total from the other
regions of its own network (spread evenly over them); each pair of regions in different
networks is coupled with ``between_coupling / (N - 1)``, so a region receives less than
``between_coupling`` in total from other networks. ``C`` is symmetric and its rows sum to less
than 1, so the process is stable and has a stationary covariance ``sigma**2 / 2 (I - C)**-1``
(:func:`stationary_fc`). The process is sampled every ``time_step_s`` (the fMRI repetition
time) with the exact discretisation of the linear equation, so any time step is stable and a
run starts already at its stationary state.

A psychedelic (``psychedelic`` in [0, 1], a dimensionless drug effect, 0 = placebo) moves a
fraction ``psychedelic_gain * psychedelic`` of the within-network coupling to the
between-network coupling (``within + between`` stays the same, so the network stays stable)::

    moved   = within_coupling * psychedelic_gain * psychedelic
    within  = within_coupling  - moved
    between = between_coupling + moved

so the networks become less segregated: connectivity inside the DMN falls, connectivity
between networks rises and the partition into networks explains less of the FC matrix
(lower Newman modularity, :func:`~models.networks.connectivity.modularity`). This
reproduces, qualitatively, two findings: less coupling inside the DMN (mPFC-PCC) after
intravenous psilocybin in healthy volunteers (Carhart-Harris et al. 2012) and lower brain
network modularity after psilocybin in depression (Daws et al. 2022). Siegel et al. (2024)
found acute connectivity changes that
were largest in the DMN.

What is simplified
------------------
- A toy, not a fit to fMRI data. Coupling strengths are illustrative; only the *direction* of
  the psychedelic effect is taken from the studies above, not its size.
- No anatomy: coupling is uniform inside each network and between networks; there is no
  structural connectome, no distance, no hemispheric asymmetry.
- No haemodynamics: region activity is observed directly, not through a BOLD response.
- No anticorrelations between networks (all couplings are positive), no global signal,
  no head motion, no preprocessing.
- The drug acts on all networks alike, at a constant level during the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._params import Bounds, Params, bounded, check_in_range, check_int

__all__ = [
    "LABELS",
    "NETWORKS",
    "PSYCHEDELIC_BOUNDS",
    "REGIONS",
    "REGION_NAMES",
    "NetworkParams",
    "NetworkTimeseries",
    "coupling_matrix",
    "functional_connectivity",
    "simulate_network",
    "stationary_fc",
]

_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DMN", ("mPFC", "PCC", "AG-L", "AG-R", "HPC-L", "HPC-R")),
    ("visual", ("V1-L", "V1-R", "V2-L", "V2-R")),
    ("somatomotor", ("M1-L", "M1-R", "S1-L", "S1-R", "SMA")),
    ("salience", ("AI-L", "AI-R", "dACC")),
)

#: Names of the large-scale networks, in the order their regions appear in :data:`REGIONS`.
NETWORKS: tuple[str, ...] = tuple(net for net, _ in _LAYOUT)
#: Short names of the 18 regions (L/R: left/right hemisphere).
REGIONS: tuple[str, ...] = tuple(r for _, regions in _LAYOUT for r in regions)
#: Network of each region, aligned with :data:`REGIONS`.
LABELS: tuple[str, ...] = tuple(net for net, regions in _LAYOUT for _ in regions)
#: Full names of the regions, for figure labels.
REGION_NAMES: dict[str, str] = {
    "mPFC": "medial prefrontal cortex",
    "PCC": "posterior cingulate cortex",
    "AG-L": "angular gyrus, left",
    "AG-R": "angular gyrus, right",
    "HPC-L": "hippocampus, left",
    "HPC-R": "hippocampus, right",
    "V1-L": "primary visual cortex, left",
    "V1-R": "primary visual cortex, right",
    "V2-L": "secondary visual cortex, left",
    "V2-R": "secondary visual cortex, right",
    "M1-L": "primary motor cortex, left",
    "M1-R": "primary motor cortex, right",
    "S1-L": "primary somatosensory cortex, left",
    "S1-R": "primary somatosensory cortex, right",
    "SMA": "supplementary motor area",
    "AI-L": "anterior insula, left",
    "AI-R": "anterior insula, right",
    "dACC": "dorsal anterior cingulate cortex",
}

#: Valid drug effect levels (dimensionless; 0 = placebo, 1 = the full modelled effect).
PSYCHEDELIC_BOUNDS = Bounds(0.0, 1.0)
MAX_TIMEPOINTS = 1_000_000


@dataclass(frozen=True)
class NetworkParams(Params):
    """Parameters of the toy resting-state network.

    Couplings are dimensionless (fractions of the leak). The bounds keep the network stable
    for every combination: a region's summed input is below
    ``within_coupling + between_coupling <= 0.95 < 1``, and the psychedelic only moves
    coupling from within to between networks.

    Attributes
    ----------
    within_coupling
        Summed coupling a region receives from the other regions of its own network, spread
        evenly over them. Illustrative, chosen so that placebo within-network FC is about
        0.3-0.5 and between-network FC about 0.05-0.1.
    between_coupling
        Coupling scale between networks: each pair of regions in different networks is coupled
        with ``between_coupling / (N - 1)``. Illustrative.
    psychedelic_gain
        Fraction of the within-network coupling moved to between-network coupling at
        ``psychedelic = 1``. Illustrative: the studies give the direction, not the size.
    noise_sd
        Amplitude ``sigma`` of the driving noise, arbitrary activity units. Correlations do
        not depend on it, only on its ratio to ``measurement_noise_sd``.
    measurement_noise_sd
        Standard deviation ``m`` of independent noise added to each sample (scanner noise),
        same units as ``noise_sd``. Lowers every correlation.
    time_constant_s
        Time constant ``tau`` of an uncoupled region, seconds (slow, BOLD-like fluctuations).
    time_step_s
        Sampling interval (fMRI repetition time, TR), seconds.
    """

    within_coupling: float = bounded(0.75, 0.0, 0.8)
    between_coupling: float = bounded(0.1, 0.0, 0.15)
    psychedelic_gain: float = bounded(0.25, 0.0, 1.0)
    noise_sd: float = bounded(1.0, 0.0, 10.0, low_open=True)
    measurement_noise_sd: float = bounded(0.4, 0.0, 10.0)
    time_constant_s: float = bounded(4.0, 0.1, 60.0)
    time_step_s: float = bounded(2.0, 0.1, 10.0)


@dataclass(frozen=True)
class NetworkTimeseries:
    """Result of :func:`simulate_network`.

    Attributes
    ----------
    timeseries
        Observed activity, shape ``(n_regions, n_timepoints)``, arbitrary units.
    t_s
        Sample times, seconds.
    regions
        Region names, one per row of ``timeseries``.
    labels
        Network of each region.
    coupling
        The coupling matrix ``C`` used (after the psychedelic effect), ``(n_regions, n_regions)``.
    psychedelic
        Drug effect level simulated, in [0, 1].
    """

    timeseries: np.ndarray
    t_s: np.ndarray
    regions: tuple[str, ...]
    labels: tuple[str, ...]
    coupling: np.ndarray
    psychedelic: float

    @property
    def fc(self) -> np.ndarray:
        """Functional connectivity of the run (:func:`functional_connectivity`)."""
        return functional_connectivity(self.timeseries)


def _labels_array(labels, n: int) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.shape[0] != n:
        raise ValueError(
            f"labels must be a 1-D sequence with one label per region ({n}), got shape {lab.shape}"
        )
    return lab


def coupling_matrix(
    psychedelic: float = 0.0, params: NetworkParams | None = None, labels=LABELS
) -> np.ndarray:
    """Coupling matrix ``C`` at drug effect level ``psychedelic``.

    Parameters
    ----------
    psychedelic
        Drug effect level in [0, 1] (0 = placebo).
    params
        Model parameters; :class:`NetworkParams` defaults when None.
    labels
        Network of each region; :data:`LABELS` by default.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n, n)`` matrix with zero diagonal; every row sums to less than 1.

    Examples
    --------
    >>> C = coupling_matrix()
    >>> C.shape, bool(np.allclose(C, C.T)), bool(C.sum(axis=1).max() < 1)
    ((18, 18), True, True)
    >>> i, j = REGIONS.index("mPFC"), REGIONS.index("PCC")
    >>> bool(coupling_matrix(1.0)[i, j] < C[i, j])
    True
    """
    check_in_range("psychedelic", psychedelic, PSYCHEDELIC_BOUNDS)
    p = params or NetworkParams()
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.size < 2:
        raise ValueError(f"labels must be a 1-D sequence of at least 2 labels, got {labels!r}")
    n = lab.size
    moved = p.within_coupling * p.psychedelic_gain * psychedelic
    within = p.within_coupling - moved
    between = p.between_coupling + moved
    same = lab[:, None] == lab[None, :]
    size = same.sum(axis=1)  # size of each region's network
    per_pair_within = within / np.maximum(size - 1, 1)
    C = np.where(same, per_pair_within[:, None], between / (n - 1))
    np.fill_diagonal(C, 0.0)
    return C


def _ou_modes(C: np.ndarray, p: NetworkParams):
    """Eigen-decomposition of the discretised process: ``x = V z`` with independent modes.

    Each mode ``z_k`` is a scalar AR(1) process ``z[t+1] = a_k z[t] + sqrt(q_k) e`` with
    stationary variance ``s_k``.
    """
    lam, V = np.linalg.eigh(C)
    rate = (1.0 - lam) / p.time_constant_s  # 1/s, > 0 because rows of C sum to < 1
    a = np.exp(-rate * p.time_step_s)
    s = p.noise_sd**2 / (2.0 * (1.0 - lam))  # stationary variance of each mode
    q = s * (1.0 - a**2)
    return V, a, s, q


def stationary_fc(
    psychedelic: float = 0.0, params: NetworkParams | None = None, labels=LABELS
) -> np.ndarray:
    """Expected FC of an infinitely long run (the model's exact correlation matrix).

    The stationary covariance of the observed signal is
    ``sigma**2 / 2 (I - C)**-1 + m**2 I``; this returns it normalised to a correlation matrix.

    Examples
    --------
    >>> fc0, fc1 = stationary_fc(0.0), stationary_fc(1.0)
    >>> dmn = [REGIONS.index(r) for r in ("mPFC", "PCC")]
    >>> bool(fc1[dmn[0], dmn[1]] < fc0[dmn[0], dmn[1]])
    True
    """
    p = params or NetworkParams()
    C = coupling_matrix(psychedelic, p, labels)
    n = C.shape[0]
    cov = 0.5 * p.noise_sd**2 * np.linalg.inv(np.eye(n) - C)
    cov[np.diag_indices(n)] += p.measurement_noise_sd**2
    sd = np.sqrt(np.diag(cov))
    fc = cov / np.outer(sd, sd)
    np.fill_diagonal(fc, 1.0)
    return fc


def simulate_network(
    *,
    psychedelic: float = 0.0,
    n_timepoints: int = 600,
    params: NetworkParams | None = None,
    rng=None,
) -> NetworkTimeseries:
    """Simulate resting-state activity of the toy brain.

    Parameters
    ----------
    psychedelic
        Drug effect level in [0, 1]; 0 is placebo.
    n_timepoints
        Number of samples (fMRI volumes), an integer >= 2. 600 volumes at a 2 s TR is a
        20-minute scan.
    params
        Model parameters; :class:`NetworkParams` defaults when None.
    rng
        Seed or :class:`numpy.random.Generator`; same seed, same result.

    Returns
    -------
    NetworkTimeseries
        Time series of the 18 regions of :data:`REGIONS`.

    Notes
    -----
    Exact discretisation of the Ornstein-Uhlenbeck process in the eigenbasis of ``C``
    (``C = V diag(lambda) V^T``): each mode follows
    ``z[t+1] = exp(-(1 - lambda) dt / tau) z[t] + noise`` and starts at its stationary
    distribution; the activity is ``x = V z`` plus measurement noise.

    Examples
    --------
    >>> run = simulate_network(n_timepoints=600, rng=0)
    >>> run.timeseries.shape
    (18, 600)
    >>> from models.networks import within_network_connectivity
    >>> placebo = within_network_connectivity(run.fc, run.labels, "DMN")
    >>> drug = simulate_network(psychedelic=1.0, rng=0)
    >>> bool(within_network_connectivity(drug.fc, drug.labels, "DMN") < placebo)
    True
    """
    check_in_range("psychedelic", psychedelic, PSYCHEDELIC_BOUNDS)
    check_int("n_timepoints", n_timepoints, 2, MAX_TIMEPOINTS)
    p = params or NetworkParams()
    rng = np.random.default_rng(rng)
    C = coupling_matrix(psychedelic, p)
    V, a, s, q = _ou_modes(C, p)
    n, T = C.shape[0], int(n_timepoints)

    # Innovations for every mode and time point at once; the recursion is the only loop.
    z = rng.standard_normal((T, n)) * np.sqrt(q)
    z[0] = rng.standard_normal(n) * np.sqrt(s)  # start at the stationary distribution
    for t in range(1, T):
        z[t] += a * z[t - 1]
    x = V @ z.T  # (regions, time)
    if p.measurement_noise_sd > 0:
        x += p.measurement_noise_sd * rng.standard_normal(x.shape)
    return NetworkTimeseries(
        timeseries=x,
        t_s=np.arange(T) * p.time_step_s,
        regions=REGIONS,
        labels=LABELS,
        coupling=C,
        psychedelic=float(psychedelic),
    )


def functional_connectivity(timeseries) -> np.ndarray:
    """Pearson correlation between every pair of regions.

    Parameters
    ----------
    timeseries
        Array of shape ``(n_regions, n_timepoints)``, at least 2 regions and 2 time points.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(n_regions, n_regions)`` matrix with unit diagonal, entries in [-1, 1].

    Examples
    --------
    >>> x = np.array([[0.0, 1.0, 2.0, 3.0], [0.0, 2.0, 4.0, 6.0], [3.0, 2.0, 1.0, 0.0]])
    >>> functional_connectivity(x)
    array([[ 1.,  1., -1.],
           [ 1.,  1., -1.],
           [-1., -1.,  1.]])
    """
    x = np.asarray(timeseries, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(
            "timeseries must be a 2-D array (regions x time) with at least 2 "
            f"regions and 2 time points, got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("timeseries must contain only finite numbers")
    if np.any(np.ptp(x, axis=1) == 0):
        raise ValueError(
            "timeseries has a region with constant activity; its correlation is undefined"
        )
    fc = np.clip(np.corrcoef(x), -1.0, 1.0)
    fc = 0.5 * (fc + fc.T)
    np.fill_diagonal(fc, 1.0)
    return fc
