"""The statistics toolkit: the few ideas the evidence and design chapters use, as small toys.

Every function draws normal data with a seed (same seed, same result) and returns a frozen
result; the analysis is the one the book uses throughout, a two-sided two-sample t-test with
pooled variance (:func:`scipy.stats.ttest_ind`).

- :func:`two_group_experiment`: one simulated experiment, summarized as means, standard
  deviations, standard errors, Cohen's d, t, degrees of freedom, p-value and a 95 % confidence
  interval for the difference.
- :func:`sampling_of_means`: many sample means, to show the standard error ``SD / sqrt(n)``.
- :func:`confidence_intervals`: many 95 % intervals for one true mean, and how many miss it.
- :func:`power_picture`: the t statistic's distribution without and with a true effect, the
  critical values and the power (the share of the second beyond the first's critical values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._params import Bounds, check_in_range, check_int
from .study_design._common import nct_power

__all__ = [
    "ALPHA_BOUNDS",
    "EFFECT_BOUNDS",
    "N_RANGE",
    "CIResult",
    "PowerPicture",
    "SamplingResult",
    "TwoGroupResult",
    "confidence_intervals",
    "power_picture",
    "sampling_of_means",
    "two_group_experiment",
]

#: Valid true effects for the toys, in SD units (Cohen's d).
EFFECT_BOUNDS = Bounds(-5.0, 5.0)
#: Valid two-sided significance levels.
ALPHA_BOUNDS = Bounds(0.0, 1.0, low_open=True, high_open=True)
#: Smallest and largest sample size per group.
N_RANGE = (2, 1000)
_MAX_SIMS = 100_000
_NULL_GRID = np.linspace(-6.0, 6.0, 481)


@dataclass(frozen=True)
class TwoGroupResult:
    """One simulated two-group experiment and its summary (:func:`two_group_experiment`).

    ``control`` and ``treated`` are the measurements (SD units; control population mean 0).
    ``mean_*``, ``sd_*`` (sample standard deviation, ``ddof=1``) and ``se_*`` (standard error
    of each mean, ``sd / sqrt(n)``) summarize each group. ``diff`` is treated minus control;
    ``cohens_d`` is ``diff`` over the pooled SD; ``t``, ``df`` and ``p`` are the two-sided
    pooled-variance t-test; ``ci_low``/``ci_high`` bound the 95 % confidence interval of
    ``diff``. ``true_effect`` is the simulated population difference in SD units.
    ``null_t``/``null_pdf``: the t distribution with ``df`` degrees of freedom on a grid from
    -6 to 6, the curve the p-value is read from (what t would do with no effect).
    """

    control: np.ndarray
    treated: np.ndarray
    mean_control: float
    mean_treated: float
    sd_control: float
    sd_treated: float
    se_control: float
    se_treated: float
    diff: float
    cohens_d: float
    t: float
    df: int
    p: float
    ci_low: float
    ci_high: float
    true_effect: float
    null_t: np.ndarray
    null_pdf: np.ndarray


def _check_n(n: int, name: str = "n_per_group") -> int:
    return check_int(name, n, *N_RANGE)


def two_group_experiment(*, true_effect: float, n_per_group: int, rng=None) -> TwoGroupResult:
    """Simulate one experiment: ``n_per_group`` values from N(0, 1) and from N(true_effect, 1).

    Parameters
    ----------
    true_effect
        Population difference of means in SD units, in [-5, 5].
    n_per_group
        Measurements per group, in [2, 1000].
    rng
        Seed or :class:`numpy.random.Generator`.

    Examples
    --------
    >>> r = two_group_experiment(true_effect=0.0, n_per_group=10, rng=1)
    >>> r.df, bool(0.0 <= r.p <= 1.0), bool(r.ci_low < r.diff < r.ci_high)
    (18, True, True)
    """
    check_in_range("true_effect", true_effect, EFFECT_BOUNDS)
    n = _check_n(n_per_group)
    rng = np.random.default_rng(rng)
    control = rng.standard_normal(n)
    treated = rng.standard_normal(n) + true_effect
    sd_c, sd_t = float(np.std(control, ddof=1)), float(np.std(treated, ddof=1))
    diff = float(treated.mean() - control.mean())
    pooled = np.sqrt((sd_c**2 + sd_t**2) / 2.0)  # equal group sizes
    se_diff = pooled * np.sqrt(2.0 / n)
    df = 2 * n - 2
    test = stats.ttest_ind(treated, control)
    half = stats.t.ppf(0.975, df) * se_diff
    return TwoGroupResult(
        control=control,
        treated=treated,
        mean_control=float(control.mean()),
        mean_treated=float(treated.mean()),
        sd_control=sd_c,
        sd_treated=sd_t,
        se_control=sd_c / np.sqrt(n),
        se_treated=sd_t / np.sqrt(n),
        diff=diff,
        cohens_d=float(diff / pooled),
        t=float(test.statistic),
        df=df,
        p=float(test.pvalue),
        ci_low=diff - float(half),
        ci_high=diff + float(half),
        true_effect=float(true_effect),
        null_t=_NULL_GRID,
        null_pdf=stats.t.pdf(_NULL_GRID, df),
    )


@dataclass(frozen=True)
class SamplingResult:
    """Many sample means (:func:`sampling_of_means`).

    ``means``: one mean per simulated sample of size ``n`` from N(0, ``sd``);
    ``observed_se``: their standard deviation; ``predicted_se``: ``sd / sqrt(n)``.
    """

    n: int
    sd: float
    means: np.ndarray
    observed_se: float
    predicted_se: float


def sampling_of_means(
    *, n: int, sd: float = 1.0, n_samples: int = 2000, rng=None
) -> SamplingResult:
    """Draw ``n_samples`` samples of size ``n`` from N(0, sd); keep each sample's mean.

    The spread of those means is the standard error; it shrinks as ``sd / sqrt(n)``.

    Examples
    --------
    >>> r = sampling_of_means(n=25, rng=0)
    >>> round(r.predicted_se, 3), bool(abs(r.observed_se - 0.2) < 0.02)
    (0.2, True)
    """
    n = _check_n(n, "n")
    check_in_range("sd", sd, Bounds(0.0, 1e6, low_open=True))
    n_samples = check_int("n_samples", n_samples, 10, _MAX_SIMS)
    rng = np.random.default_rng(rng)
    means = rng.normal(0.0, sd, size=(n_samples, n)).mean(axis=1)
    return SamplingResult(
        n=n,
        sd=float(sd),
        means=means,
        observed_se=float(np.std(means, ddof=1)),
        predicted_se=float(sd / np.sqrt(n)),
    )


@dataclass(frozen=True)
class CIResult:
    """95 % confidence intervals from repeated samples (:func:`confidence_intervals`).

    ``low``/``high``/``mean``: one interval per sample of size ``n`` from N(``true_mean``, 1);
    ``covers``: whether each interval contains ``true_mean``; ``coverage``: their share.
    """

    n: int
    true_mean: float
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    covers: np.ndarray
    coverage: float


def confidence_intervals(
    *, n: int, true_mean: float = 0.0, n_intervals: int = 40, rng=None
) -> CIResult:
    """``n_intervals`` t-based 95 % confidence intervals for a mean, each from ``n`` values.

    About 95 % of such intervals contain the true mean; which ones do is a matter of luck.

    Examples
    --------
    >>> r = confidence_intervals(n=10, n_intervals=20000, rng=0)
    >>> bool(abs(r.coverage - 0.95) < 0.01)
    True
    """
    n = _check_n(n, "n")
    check_in_range("true_mean", true_mean, Bounds(-1e6, 1e6))
    k = check_int("n_intervals", n_intervals, 1, _MAX_SIMS)
    rng = np.random.default_rng(rng)
    x = rng.standard_normal((k, n)) + true_mean
    mean = x.mean(axis=1)
    half = stats.t.ppf(0.975, n - 1) * x.std(axis=1, ddof=1) / np.sqrt(n)
    low, high = mean - half, mean + half
    covers = (low <= true_mean) & (true_mean <= high)
    return CIResult(n, float(true_mean), mean, low, high, covers, float(covers.mean()))


@dataclass(frozen=True)
class PowerPicture:
    """The t statistic with and without a true effect (:func:`power_picture`).

    ``x``: grid of t values; ``null_pdf``: central t density (no effect); ``alt_pdf``:
    noncentral t density (true effect ``effect_size``); ``t_crit``: the two-sided critical
    value; ``power``: the probability that ``|t| > t_crit`` under the effect.
    """

    x: np.ndarray
    null_pdf: np.ndarray
    alt_pdf: np.ndarray
    t_crit: float
    df: int
    noncentrality: float
    power: float
    effect_size: float
    n_per_group: int
    alpha: float


def power_picture(*, effect_size: float, n_per_group: int, alpha: float = 0.05) -> PowerPicture:
    """Exact distributions of the two-sample t statistic under "no effect" and "effect".

    With ``n`` per group, ``df = 2n - 2`` and noncentrality ``d sqrt(n/2)``.

    Examples
    --------
    >>> round(power_picture(effect_size=0.0, n_per_group=10).power, 3)
    0.05
    >>> round(power_picture(effect_size=0.5, n_per_group=64).power, 2)
    0.8
    """
    check_in_range("effect_size", effect_size, EFFECT_BOUNDS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    n = _check_n(n_per_group)
    df = 2 * n - 2
    ncp = effect_size * np.sqrt(n / 2.0)
    x = np.linspace(-6.0, 10.0, 641)
    t_crit = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    return PowerPicture(
        x=x,
        null_pdf=stats.t.pdf(x, df),
        alt_pdf=stats.nct.pdf(x, df, ncp),
        t_crit=t_crit,
        df=df,
        noncentrality=float(ncp),
        power=float(nct_power(df, ncp, alpha)),
        effect_size=float(effect_size),
        n_per_group=n,
        alpha=float(alpha),
    )
