"""The unit of analysis: pseudo-replication (chapter 09).

Dendrites imaged in the same mouse are not independent. Treating them as independent
(pseudo-replication) inflates false positives; Lazic (2010). In Shao et al. (2021) the spine
effect is about 0.6 SD per dendrite but 1.2-1.7 SD per mouse: the mouse is the unit that was
randomized (:func:`false_positive_rate`, :func:`design_effect`).

What is simplified: one random intercept per mouse, equal numbers of dendrites per mouse, no
animal- or dendrite-level covariates; the correct analysis shown is "average per mouse, then
test", not a full mixed model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._params import check_in_range, check_int
from ..imaging.mice import DENDRITES_PER_MOUSE, simulate_null_experiments
from ._common import ICC_BOUNDS, SHAO_MICE_PER_GROUP, binomial_se, blocks, check_simulations

#: Valid dendrites per mouse (inclusive).
DENDRITES_RANGE = (1, 1000)


def design_effect(icc, m):
    """Variance inflation of a mean over clustered data: ``1 + (m - 1) icc``.

    Parameters
    ----------
    icc
        Intraclass correlation, the share of variance between clusters (mice), in [0, 1].
        Scalar or array.
    m
        Observations per cluster (dendrites per mouse), >= 1. Scalar or array.

    Returns
    -------
    float or numpy.ndarray
        The design effect: ``n`` clustered observations carry as much information as
        ``n / design_effect`` independent ones (Kish's formula).

    Examples
    --------
    Ten dendrites per mouse at icc = 0.3 are worth fewer than three independent dendrites:

    >>> round(design_effect(0.3, 10), 2)
    3.7
    >>> design_effect(0.0, 10)
    1.0
    """
    icc_a = np.asarray(icc, dtype=float)
    m_a = np.asarray(m, dtype=float)
    bad_icc = ~(np.isfinite(icc_a) & (icc_a >= 0.0) & (icc_a <= 1.0))
    if bad_icc.any():
        raise ValueError(f"icc must be a finite number in [0, 1], got {icc_a[bad_icc].flat[0]!r}")
    bad_m = ~(np.isfinite(m_a) & (m_a >= 1.0))
    if bad_m.any():
        raise ValueError(f"m must be a finite number >= 1, got {m_a[bad_m].flat[0]!r}")
    de = 1.0 + (m_a - 1.0) * icc_a
    return float(de) if de.ndim == 0 else de


def icc_oneway(values, clusters) -> float:
    """Intraclass correlation estimated from clustered data (one-way ANOVA, ICC(1)).

    ``(MSB - MSW) / (MSB + (n0 - 1) MSW)`` with ``n0`` the adjusted mean cluster size, clipped
    at 0: the share of the variance that lies between clusters (mice) rather than within
    them (dendrites of one mouse). NaN values are dropped.

    Parameters
    ----------
    values
        One number per observation (dendrite), 1-D.
    clusters
        The cluster (mouse) of each observation, same shape; at least two clusters with two
        or more finite values in total beyond one per cluster.

    Examples
    --------
    Clusters that differ a lot relative to their inside spread:

    >>> round(icc_oneway([0.0, 0.2, 5.0, 5.2, 10.0, 10.2], [0, 0, 1, 1, 2, 2]), 2)
    1.0
    >>> icc_oneway([0.0, 5.0, 0.0, 5.0], [0, 0, 1, 1])
    0.0
    """
    x = np.asarray(values, dtype=float)
    g = np.asarray(clusters)
    if x.ndim != 1 or g.shape != x.shape:
        raise ValueError(
            f"values and clusters must be 1-D of the same shape, got {x.shape} and {g.shape}"
        )
    ok = np.isfinite(x)
    x, g = x[ok], g[ok]
    ids, idx, n = np.unique(g, return_inverse=True, return_counts=True)
    k, total = ids.size, x.size
    if k < 2 or total <= k:
        raise ValueError(
            f"clusters must hold at least 2 clusters and more values than clusters, "
            f"got {k} clusters and {total} finite values"
        )
    means = np.bincount(idx, weights=x) / n
    msb = float(np.sum(n * (means - x.mean()) ** 2) / (k - 1))
    msw = float(np.sum((x - means[idx]) ** 2) / (total - k))
    n0 = float((total - np.sum(n**2) / total) / (k - 1))
    between = max((msb - msw) / n0, 0.0)
    return float(between / (between + msw)) if between + msw > 0 else 0.0


@dataclass(frozen=True)
class FalsePositiveRate:
    """Result of :func:`false_positive_rate`.

    Attributes
    ----------
    rate
        Fraction of simulated null experiments with ``p < alpha`` (the false positive rate).
    mc_se
        Monte-Carlo standard error of ``rate``.
    n_mice
        Mice per group.
    dendrites_per_mouse
        Dendrites imaged per mouse.
    icc
        Intraclass correlation (share of variance between mice).
    unit
        ``"dendrite"`` (pseudo-replication) or ``"mouse"`` (average per mouse first).
    alpha
        Nominal significance level: the rate a correct analysis should give.
    n_sims
        Simulated experiments.
    """

    rate: float
    mc_se: float
    n_mice: int
    dendrites_per_mouse: int
    icc: float
    unit: str
    alpha: float
    n_sims: int

    @property
    def design_effect(self) -> float:
        """``1 + (dendrites_per_mouse - 1) icc``: see :func:`design_effect`."""
        return design_effect(self.icc, self.dendrites_per_mouse)

    @property
    def effective_n_per_group(self) -> float:
        """Dendrites per group divided by the design effect: the independent information."""
        return self.n_mice * self.dendrites_per_mouse / self.design_effect


_UNITS = ("dendrite", "mouse")


def false_positive_rate(
    *,
    n_mice: int,
    dendrites_per_mouse: int,
    icc: float,
    unit: str,
    n_sims: int = 1000,
    alpha: float = 0.05,
    rng=None,
) -> FalsePositiveRate:
    """False positive rate of a two-group imaging experiment with dendrites nested in mice.

    There is **no** true effect. Each mouse has its own offset (variance ``icc``) shared by its
    dendrites; each dendrite adds independent noise (variance ``1 - icc``). The two groups are
    compared with a two-sided t-test either on every dendrite, as if dendrites were
    independent animals (``unit="dendrite"``, pseudo-replication; Lazic 2010), or on mouse
    means (``unit="mouse"``: one number per randomized animal).

    Parameters
    ----------
    n_mice
        Mice per group, in [2, 1000].
    dendrites_per_mouse
        Dendrites per mouse, in [1, 1000].
    icc
        Intraclass correlation: the between-mouse share of variance, in [0, 1]. Shao et al.
        (2021) did not report one; values used in the book (0.3) are illustrative.
    unit
        ``"dendrite"`` or ``"mouse"``.
    n_sims
        Simulated experiments, in [1, 1000000].
    alpha
        Two-sided significance level, in (0, 1).
    rng
        Seed or generator. The simulated data depend only on the seed and sizes, not on
        ``unit``: the same seed analyses the same experiments both ways.

    Returns
    -------
    FalsePositiveRate
        A result object rather than a bare float, so the rate travels with its Monte-Carlo
        error and the inputs that produced it.

    Examples
    --------
    Shao et al. (2021) imaged about 13 dendrites in each of 6 mice per group:

    >>> wrong = false_positive_rate(n_mice=6, dendrites_per_mouse=13, icc=0.3,
    ...                             unit="dendrite", rng=1)
    >>> right = false_positive_rate(n_mice=6, dendrites_per_mouse=13, icc=0.3,
    ...                             unit="mouse", rng=1)
    >>> bool(wrong.rate > 0.3), bool(right.rate < 0.08)
    (True, True)
    """
    n_mice = check_int("n_mice", n_mice, 2, 1000)
    m = check_int("dendrites_per_mouse", dendrites_per_mouse, *DENDRITES_RANGE)
    check_in_range("icc", icc, ICC_BOUNDS)
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
    n_sims = check_simulations(n_sims, alpha)
    rng = np.random.default_rng(rng)
    sd_mouse, sd_dendrite = math.sqrt(icc), math.sqrt(1.0 - icc)
    hits = 0
    for k in blocks(n_sims, 2 * n_mice * m):
        mouse = sd_mouse * rng.standard_normal((k, 2, n_mice, 1))
        y = mouse + sd_dendrite * rng.standard_normal((k, 2, n_mice, m))
        if unit == "dendrite":
            a, b = y[:, 0].reshape(k, -1), y[:, 1].reshape(k, -1)
        else:
            a, b = y[:, 0].mean(axis=-1), y[:, 1].mean(axis=-1)
        p = stats.ttest_ind(a, b, axis=-1).pvalue
        hits += int(np.count_nonzero(p < alpha))
    rate = hits / n_sims
    return FalsePositiveRate(
        rate=rate,
        mc_se=float(binomial_se(rate, n_sims)),
        n_mice=n_mice,
        dendrites_per_mouse=m,
        icc=float(icc),
        unit=unit,
        alpha=float(alpha),
        n_sims=n_sims,
    )


@dataclass(frozen=True)
class PseudoReplicationDemo:
    """One example null experiment and the false positive rates of two analyses.

    Attributes
    ----------
    example
        Simulated values in SD units, shape ``(2 groups, n_mice, dendrites_per_mouse)``;
        no true effect.
    by_dendrite, by_mouse
        :class:`FalsePositiveRate` when every dendrite counts as a sample, and
        when each mouse's mean is one sample.
    """

    example: np.ndarray
    by_dendrite: FalsePositiveRate
    by_mouse: FalsePositiveRate


def example_clustered_data(
    *, n_mice: int, dendrites_per_mouse: int, icc: float, rng=0
) -> np.ndarray:
    """One null imaging experiment: dendrites nested in mice, shape ``(2, n_mice, m)``.

    Each mouse has an offset with variance ``icc`` shared by its dendrites, and each dendrite
    adds noise with variance ``1 - icc`` (the model of
    :func:`false_positive_rate`). The standard normal draws depend only on the
    seed and sizes, so changing ``icc`` rescales the same draws.
    """
    check_in_range("icc", icc, ICC_BOUNDS)
    rng = np.random.default_rng(rng)
    mouse = rng.standard_normal((2, n_mice, 1))
    dendrite = rng.standard_normal((2, n_mice, dendrites_per_mouse))
    return np.sqrt(icc) * mouse + np.sqrt(1.0 - icc) * dendrite


def pseudoreplication_demo(
    *,
    icc: float,
    dendrites_per_mouse: int,
    n_mice: int = SHAO_MICE_PER_GROUP,
    n_sims: int = 400,
    rng=0,
) -> PseudoReplicationDemo:
    """Both analyses of the same simulated null experiments, plus one example."""
    kw = dict(
        n_mice=n_mice, dendrites_per_mouse=dendrites_per_mouse, icc=icc, n_sims=n_sims, rng=rng
    )
    return PseudoReplicationDemo(
        example=example_clustered_data(
            n_mice=n_mice, dendrites_per_mouse=dendrites_per_mouse, icc=icc, rng=rng
        ),
        by_dendrite=false_positive_rate(unit="dendrite", **kw),
        by_mouse=false_positive_rate(unit="mouse", **kw),
    )


@dataclass(frozen=True)
class CalibratedNull:
    """False positives when the calibrated spine imaging simulation has no true effect.

    Attributes
    ----------
    by_dendrite, by_mouse
        :class:`FalsePositiveRate` of the two analyses; their ``icc`` is :attr:`icc`.
    icc
        Between-mouse share of the variance of the simulated change, estimated within each
        group of each experiment (:func:`icc_oneway`) and averaged; NaN with one dendrite
        per mouse.
    """

    by_dendrite: FalsePositiveRate
    by_mouse: FalsePositiveRate
    icc: float


def calibrated_null_rates(
    *,
    n_mice: int = SHAO_MICE_PER_GROUP,
    dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
    n_sims: int = 300,
    alpha: float = 0.05,
    rng=0,
) -> CalibratedNull:
    """Pseudo-replication on the calibrated imaging simulation rather than on a toy ICC.

    Saline-against-saline experiments of :func:`models.imaging.simulate_null_experiments`
    (day-1 change from day -3, with the scoring and imaging-session errors fitted to Shao et
    al. 2021) are tested per dendrite and per mouse mean with a two-sided t-test.

    Examples
    --------
    >>> r = calibrated_null_rates(n_sims=100, rng=1)
    >>> bool(r.by_dendrite.rate > r.by_mouse.rate), bool(0.0 < r.icc < 0.3)
    (True, True)
    """
    n_sims = check_simulations(n_sims, alpha)
    x = simulate_null_experiments(
        n_experiments=n_sims, n_mice=n_mice, dendrites_per_mouse=dendrites_per_mouse, rng=rng
    )
    m = x.shape[-1]
    clusters = np.repeat(np.arange(n_mice), m)
    # With one dendrite per mouse the ICC cannot be estimated (NaN); the design effect is 1
    # whatever it is, so the rates record 0.
    icc = (
        float(np.mean([icc_oneway(g.ravel(), clusters) for g in x.reshape(-1, n_mice, m)]))
        if m > 1
        else float("nan")
    )
    rates = {}
    for unit, (a, b) in (
        ("dendrite", (x[:, 0].reshape(n_sims, -1), x[:, 1].reshape(n_sims, -1))),
        ("mouse", (x[:, 0].mean(axis=-1), x[:, 1].mean(axis=-1))),
    ):
        p = stats.ttest_ind(a, b, axis=-1).pvalue
        rate = float(np.mean(p < alpha))
        rates[unit] = FalsePositiveRate(
            rate=rate,
            mc_se=float(binomial_se(rate, n_sims)),
            n_mice=n_mice,
            dendrites_per_mouse=m,
            icc=icc if m > 1 else 0.0,
            unit=unit,
            alpha=float(alpha),
            n_sims=n_sims,
        )
    return CalibratedNull(by_dendrite=rates["dendrite"], by_mouse=rates["mouse"], icc=icc)
