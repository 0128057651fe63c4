"""Power: how often a two-group experiment detects a true effect (chapter 09).

:func:`power_by_simulation` counts significant results over many simulated experiments;
:func:`analytic_power` gives the exact answer from the noncentral t distribution, and
:func:`sample_size_for_power` inverts it. Button et al. (2013) estimated the median power of
neuroscience studies at about 21 % (range of about 8-31 % across fields).
:func:`power_comparison` pairs a simulated curve with the exact one, as the explorer shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._params import Bounds, check_in_range, check_int_array
from ._common import (
    EFFECT_SIZE_BOUNDS,
    MAX_N,
    binomial_se,
    blocks,
    check_effect,
    check_simulations,
    nct_power,
)


@dataclass(frozen=True)
class PowerCurve:
    """Result of :func:`power_by_simulation`.

    Attributes
    ----------
    n_per_group
        Sample sizes per group (animals or participants), 1-d int array.
    power
        Fraction of simulated experiments with ``p < alpha``, one value per sample size.
    mc_se
        Monte-Carlo standard error of each power value, ``sqrt(power (1 - power) / n_sims)``.
    effect_size
        True standardized effect (Cohen's d) that was simulated.
    alpha
        Two-sided significance level.
    n_sims
        Simulated experiments per sample size.
    """

    n_per_group: np.ndarray
    power: np.ndarray
    mc_se: np.ndarray
    effect_size: float
    alpha: float
    n_sims: int


def power_by_simulation(
    *, n_per_group, effect_size: float, alpha: float = 0.05, n_sims: int = 1000, rng=None
) -> PowerCurve:
    """Power of a two-group experiment, estimated by simulating it ``n_sims`` times.

    Each simulated experiment draws ``n`` control values from N(0, 1) and ``n`` treated values
    from N(effect_size, 1) and runs a two-sided two-sample t-test
    (:func:`scipy.stats.ttest_ind`, vectorized over all simulations at once).

    Parameters
    ----------
    n_per_group
        Sample size per group: an integer or a 1-d array of integers (a power curve), each in
        [2, 10000].
    effect_size
        True difference of means in SD units (Cohen's d), in [-10, 10].
    alpha
        Two-sided significance level, in (0, 1).
    n_sims
        Simulated experiments per sample size, in [1, 1000000].
    rng
        Seed or :class:`numpy.random.Generator`; same seed, same result.

    Returns
    -------
    PowerCurve
        Arrays are 1-d even for a single sample size.

    See Also
    --------
    analytic_power : the exact answer from the noncentral t distribution.

    Examples
    --------
    With 10 mice per group a large effect (d = 0.8) is detected less than half the time:

    >>> curve = power_by_simulation(n_per_group=[5, 10, 50], effect_size=0.8, rng=0)
    >>> bool(np.all(np.diff(curve.power) > 0))
    True
    >>> bool(0.3 < curve.power[1] < 0.5)
    True
    """
    sizes = check_int_array("n_per_group", n_per_group, 2, MAX_N)
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    n_sims = check_simulations(n_sims, alpha)
    rng = np.random.default_rng(rng)
    power = np.empty(sizes.size)
    for i, n in enumerate(sizes):  # loop over sample sizes; simulations are vectorized
        hits = 0
        for k in blocks(n_sims, 2 * n):
            control = rng.standard_normal((k, n))
            treated = rng.standard_normal((k, n)) + effect_size
            p = stats.ttest_ind(treated, control, axis=-1).pvalue
            hits += int(np.count_nonzero(p < alpha))
        power[i] = hits / n_sims
    return PowerCurve(
        n_per_group=sizes,
        power=power,
        mc_se=binomial_se(power, n_sims),
        effect_size=float(effect_size),
        alpha=float(alpha),
        n_sims=n_sims,
    )


def analytic_power(*, n_per_group, effect_size: float, alpha: float = 0.05):
    """Exact power of the two-sided two-sample t-test with equal groups.

    Parameters
    ----------
    n_per_group
        Sample size per group: an integer or an array of integers, each in [2, 10000].
    effect_size
        True difference of means in SD units (Cohen's d), in [-10, 10].
    alpha
        Two-sided significance level, in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        A float for an integer ``n_per_group``, otherwise a 1-d array.

    Notes
    -----
    Under the alternative the t statistic follows a noncentral t distribution with
    ``df = 2 n - 2`` and noncentrality ``delta = d sqrt(n / 2)``; the power is
    ``P(T > t_crit) + P(T < -t_crit)`` with ``t_crit`` the ``1 - alpha / 2`` quantile of the
    central t distribution (:data:`scipy.stats.nct`).

    Examples
    --------
    At zero effect the power equals alpha; with d = 0.5, 64 per group give the classic 80 %:

    >>> round(analytic_power(n_per_group=20, effect_size=0.0), 3)
    0.05
    >>> round(analytic_power(n_per_group=64, effect_size=0.5), 2)
    0.8
    """
    scalar = np.ndim(n_per_group) == 0
    sizes = check_int_array("n_per_group", n_per_group, 2, MAX_N)
    check_effect(effect_size, alpha)
    power = nct_power(2 * sizes - 2, effect_size * np.sqrt(sizes / 2.0), alpha)
    return float(power[0]) if scalar else power


def sample_size_for_power(*, effect_size: float, power: float = 0.8, alpha: float = 0.05) -> int:
    """Smallest sample size per group giving at least ``power`` (two-sided t-test).

    Parameters
    ----------
    effect_size
        True difference in SD units (Cohen's d); its absolute value must be at least 0.05.
    power
        Target power, in (0, 1).
    alpha
        Two-sided significance level, in (0, 1) and below ``power``.

    Returns
    -------
    int
        Sample size per group, in [2, 10000].

    Examples
    --------
    >>> sample_size_for_power(effect_size=0.5)
    64
    """
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    if abs(effect_size) < 0.05:
        raise ValueError(
            f"effect_size must be at least 0.05 in absolute value (smaller "
            f"effects need more than {MAX_N} per group), got {effect_size!r}"
        )
    check_in_range("power", power, Bounds(0.0, 1.0, low_open=True, high_open=True))
    check_in_range("alpha", alpha, Bounds(0.0, power, low_open=True, high_open=True))
    sizes = np.arange(2, MAX_N + 1)
    curve = nct_power(2 * sizes - 2, abs(effect_size) * np.sqrt(sizes / 2.0), alpha)
    return int(sizes[np.argmax(curve >= power)])


#: Median power across 49 neuroscience meta-analyses (Button et al. 2013).
BUTTON_MEDIAN_POWER = 0.21
#: Group sizes of the power explorer (animals per group).
POWER_SIZES = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)


@dataclass(frozen=True)
class PowerComparison:
    """A simulated power curve and the exact t-test power on a fine grid of group sizes.

    Attributes
    ----------
    simulated
        :class:`PowerCurve` from :func:`power_by_simulation`.
    n_grid
        Group sizes (animals per group) of the exact curve.
    analytic
        Exact power at ``n_grid`` (:func:`analytic_power`).
    """

    simulated: PowerCurve
    n_grid: np.ndarray
    analytic: np.ndarray


def power_comparison(
    *, effect_size: float, alpha: float = 0.05, n_sims: int = 200, sizes=POWER_SIZES, rng=0
) -> PowerComparison:
    """Simulated and exact power for one effect size (simulated curve and exact line)."""
    sim = power_by_simulation(
        n_per_group=np.asarray(sizes), effect_size=effect_size, alpha=alpha, n_sims=n_sims, rng=rng
    )
    grid = np.unique(np.geomspace(sizes[0], sizes[-1], 60).round().astype(int))
    return PowerComparison(
        simulated=sim,
        n_grid=grid,
        analytic=analytic_power(n_per_group=grid, effect_size=effect_size, alpha=alpha),
    )
