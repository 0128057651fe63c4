"""Study design: power, pseudo-replication, many tests, and blinding in trials.

Four small simulators, each tied to a design lesson of the book:

1. **Power** (:func:`power_by_simulation`, :func:`analytic_power`): how often a two-group
   experiment detects a true effect. Button et al. (2013) estimated the median power of
   neuroscience studies at about 21 % (range of about 8-31 % across fields).
2. **The unit of analysis** (:func:`false_positive_rate`, :func:`design_effect`): dendrites
   imaged in the same mouse are not independent. Treating them as independent
   (pseudo-replication) inflates false positives; Lazic (2010). In Shao et al. (2021) the
   spine effect is about 0.6 SD per dendrite but 1.2-1.7 SD per mouse: the mouse is the unit
   that was randomized.
3. **Many tests** (:func:`multiple_testing`, :func:`multiple_testing_error_rates`): testing
   many genes at ``alpha`` each makes some false discoveries almost certain. Bonferroni
   controls the family-wise error rate, Benjamini & Hochberg (1995) the false discovery rate.
4. **Blinding** (:class:`TrialParams`, :func:`simulate_trial`, :func:`trial_power`): most
   people can tell whether they received a psychedelic (functional unblinding), so an
   expectancy effect can add to the drug arm (Muthukumaraswamy et al. 2021; Szigeti et al.
   2021). :data:`ESCITALOPRAM_TRIAL` mirrors the size and result of Carhart-Harris et al.
   (2021).

The model of a trial
--------------------
Each participant's improvement (points of score reduction, so positive is better) is::

    improvement = placebo_response + drug_effect * [in drug arm]
                  + expectancy * [believes they got the drug] + noise,  noise ~ N(0, sd^2)

A participant guesses their own arm correctly with probability ``q``. The expected estimate
(drug arm minus control arm) is therefore ``drug_effect + expectancy * (2 q - 1)``: no bias at
chance guessing (``q = 0.5``), the full expectancy effect when everyone knows (``q = 1``).

What is simplified (these are toys)
-----------------------------------
- Outcomes are normal with equal variance in both groups; every analysis is a two-sided,
  pooled-variance two-sample t-test. Real trials use mixed models with baseline covariates.
- Pseudo-replication: one random intercept per mouse, equal numbers of dendrites per mouse,
  no animal- or dendrite-level covariates; the correct analysis shown is "average per mouse,
  then test", not a full mixed model.
- Many tests: genes are independent (real expression data are correlated), all true effects
  have the same size, and the true effects are the first ``n_true_effects`` genes.
- Trials: expectancy is a fixed additive number of points and guesses are independent of the
  outcome. In reality people who improve are more likely to guess "drug", which makes
  unblinding and efficacy hard to separate (Szigeti et al. 2021). No dropout, no missing
  data, no covariates.
- :data:`ESCITALOPRAM_TRIAL` reproduces the published numbers only in size (arm sizes,
  difference, width of the confidence interval); it does not know what caused the difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._params import Bounds, Params, bounded, check_in_range

__all__ = [
    "ALPHA_BOUNDS",
    "EFFECT_SIZE_BOUNDS",
    "ESCITALOPRAM_TRIAL",
    "ICC_BOUNDS",
    "Discoveries",
    "ErrorRates",
    "FalsePositiveRate",
    "MethodRates",
    "MultipleTestingResult",
    "PowerCurve",
    "TrialParams",
    "TrialResult",
    "analytic_power",
    "design_effect",
    "false_positive_rate",
    "multiple_testing",
    "multiple_testing_error_rates",
    "power_by_simulation",
    "sample_size_for_power",
    "simulate_trial",
    "trial_power",
]

#: Valid significance levels (two-sided), an open interval.
ALPHA_BOUNDS = Bounds(0.0, 1.0, low_open=True, high_open=True)
#: Valid standardized effect sizes (Cohen's d: difference of means in SD units).
EFFECT_SIZE_BOUNDS = Bounds(-10.0, 10.0)
#: Valid intraclass correlations (share of variance between mice).
ICC_BOUNDS = Bounds(0.0, 1.0)

_MAX_N = 10_000
_MAX_SIMS = 1_000_000
#: Random numbers drawn per block; larger simulations are split into blocks of this size.
_BLOCK_ELEMENTS = 2_000_000


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _check_int(name: str, value, low: int, high: int) -> int:
    """Return ``value`` as int, or raise ``ValueError`` naming ``name``, value and range."""
    if (isinstance(value, bool) or not isinstance(value, (int, np.integer))
            or not low <= value <= high):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


def _as_sizes(name: str, value, low: int, high: int) -> np.ndarray:
    """A 1-d int array of sample sizes, each an integer in ``[low, high]``."""
    arr = np.atleast_1d(np.asarray(value))
    if (arr.ndim != 1 or arr.size == 0 or arr.dtype == bool
            or not np.issubdtype(arr.dtype, np.number)):
        raise ValueError(f"{name} must be an integer or a 1-d array of integers in "
                         f"[{low}, {high}], got {value!r}")
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(arr) & (arr == np.round(arr)) & (arr >= low) & (arr <= high)
    if not ok.all():
        bad = arr[~ok][0].item()
        raise ValueError(f"{name} must be integers in [{low}, {high}], got {bad!r}")
    return arr.astype(int)


def _blocks(n_sims: int, elements_per_sim: int) -> Iterator[int]:
    """Split ``n_sims`` simulations into blocks that keep memory bounded.

    The loop runs over blocks of thousands of simulations, not over single simulations.
    """
    per_block = max(1, _BLOCK_ELEMENTS // max(1, elements_per_sim))
    done = 0
    while done < n_sims:
        k = min(per_block, n_sims - done)
        done += k
        yield k


def _binomial_se(rate: np.ndarray | float, n: int) -> np.ndarray | float:
    """Monte-Carlo standard error of a proportion estimated from ``n`` simulations."""
    return np.sqrt(np.asarray(rate) * (1.0 - np.asarray(rate)) / n)


def _nct_power(df, ncp, alpha: float):
    """Two-sided power of a t-test with ``df`` degrees of freedom and noncentrality ``ncp``."""
    t_crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    # P(T < -t_crit | ncp) = P(T > t_crit | -ncp): both tails via ``sf``, because
    # ``nct.cdf`` returns NaN far in the tail (scipy 1.17, e.g. df=58, ncp=30).
    ncp = np.abs(ncp)
    far = stats.nct.sf(t_crit, df, -ncp)  # the tail opposite the effect, <= alpha / 2
    return stats.nct.sf(t_crit, df, ncp) + np.where(np.isnan(far), 0.0, far)


# --------------------------------------------------------------------------------------------
# 1. power
# --------------------------------------------------------------------------------------------

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


def power_by_simulation(*, n_per_group, effect_size: float, alpha: float = 0.05,
                        n_sims: int = 1000, rng=None) -> PowerCurve:
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
    sizes = _as_sizes("n_per_group", n_per_group, 2, _MAX_N)
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    n_sims = _check_int("n_sims", n_sims, 1, _MAX_SIMS)
    rng = np.random.default_rng(rng)
    power = np.empty(sizes.size)
    for i, n in enumerate(sizes):  # loop over sample sizes; simulations are vectorized
        hits = 0
        for k in _blocks(n_sims, 2 * n):
            control = rng.standard_normal((k, n))
            treated = rng.standard_normal((k, n)) + effect_size
            p = stats.ttest_ind(treated, control, axis=-1).pvalue
            hits += int(np.count_nonzero(p < alpha))
        power[i] = hits / n_sims
    return PowerCurve(n_per_group=sizes, power=power, mc_se=_binomial_se(power, n_sims),
                      effect_size=float(effect_size), alpha=float(alpha), n_sims=n_sims)


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
    sizes = _as_sizes("n_per_group", n_per_group, 2, _MAX_N)
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    power = _nct_power(2 * sizes - 2, effect_size * np.sqrt(sizes / 2.0), alpha)
    return float(power[0]) if scalar else power


def sample_size_for_power(*, effect_size: float, power: float = 0.8,
                          alpha: float = 0.05) -> int:
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
        raise ValueError(f"effect_size must be at least 0.05 in absolute value (smaller "
                         f"effects need more than {_MAX_N} per group), got {effect_size!r}")
    check_in_range("power", power, Bounds(0.0, 1.0, low_open=True, high_open=True))
    check_in_range("alpha", alpha, Bounds(0.0, power, low_open=True, high_open=True))
    sizes = np.arange(2, _MAX_N + 1)
    curve = _nct_power(2 * sizes - 2, abs(effect_size) * np.sqrt(sizes / 2.0), alpha)
    return int(sizes[np.argmax(curve >= power)])


# --------------------------------------------------------------------------------------------
# 2. pseudo-replication
# --------------------------------------------------------------------------------------------

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


def false_positive_rate(*, n_mice: int, dendrites_per_mouse: int, icc: float, unit: str,
                        n_sims: int = 1000, alpha: float = 0.05,
                        rng=None) -> FalsePositiveRate:
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
    n_mice = _check_int("n_mice", n_mice, 2, 1000)
    m = _check_int("dendrites_per_mouse", dendrites_per_mouse, 1, 1000)
    check_in_range("icc", icc, ICC_BOUNDS)
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
    n_sims = _check_int("n_sims", n_sims, 1, _MAX_SIMS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    rng = np.random.default_rng(rng)
    sd_mouse, sd_dendrite = math.sqrt(icc), math.sqrt(1.0 - icc)
    hits = 0
    for k in _blocks(n_sims, 2 * n_mice * m):
        mouse = sd_mouse * rng.standard_normal((k, 2, n_mice, 1))
        y = mouse + sd_dendrite * rng.standard_normal((k, 2, n_mice, m))
        if unit == "dendrite":
            a, b = y[:, 0].reshape(k, -1), y[:, 1].reshape(k, -1)
        else:
            a, b = y[:, 0].mean(axis=-1), y[:, 1].mean(axis=-1)
        p = stats.ttest_ind(a, b, axis=-1).pvalue
        hits += int(np.count_nonzero(p < alpha))
    rate = hits / n_sims
    return FalsePositiveRate(rate=rate, mc_se=float(_binomial_se(rate, n_sims)), n_mice=n_mice,
                             dendrites_per_mouse=m, icc=float(icc), unit=unit,
                             alpha=float(alpha), n_sims=n_sims)


# --------------------------------------------------------------------------------------------
# 3. many genes, many tests
# --------------------------------------------------------------------------------------------

_METHODS = ("uncorrected", "bonferroni", "bh")


def _reject(p: np.ndarray, alpha: float, method: str) -> np.ndarray:
    """Rejections along the last axis of ``p`` for one correction method."""
    if method == "uncorrected":
        return p < alpha
    if method == "bonferroni":
        return p < alpha / p.shape[-1]
    return stats.false_discovery_control(p, axis=-1, method="bh") <= alpha


def _simulate_gene_pvalues(rng: np.random.Generator, k: int, n_genes: int, n_true: int,
                           effect_size: float, n: int) -> np.ndarray:
    """p-values, shape ``(k, n_genes)``; the first ``n_true`` genes carry the effect."""
    control = rng.standard_normal((k, n_genes, n))
    treated = rng.standard_normal((k, n_genes, n))
    treated[:, :n_true, :] += effect_size
    return stats.ttest_ind(treated, control, axis=-1).pvalue


def _check_genes(n_genes, n_true_effects, effect_size, n_per_group, alpha):
    n_genes = _check_int("n_genes", n_genes, 1, 100_000)
    n_true = _check_int("n_true_effects", n_true_effects, 0, n_genes)
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    n = _check_int("n_per_group", n_per_group, 2, _MAX_N)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    return n_genes, n_true, n


@dataclass(frozen=True)
class Discoveries:
    """The discoveries of one correction method in one simulated experiment.

    Attributes
    ----------
    method
        ``"uncorrected"`` (each gene at ``alpha``), ``"bonferroni"`` (each at
        ``alpha / n_genes``) or ``"bh"`` (Benjamini-Hochberg at false discovery rate ``alpha``).
    rejected
        Boolean array, one per gene: declared a discovery.
    n_discoveries
        Number of discoveries ``R``.
    n_false
        False discoveries ``V`` (null genes declared changed).
    n_true
        True discoveries ``S = R - V``.
    family_wise_error
        True when at least one false discovery was made (``V > 0``).
    false_discovery_proportion
        ``V / R``, defined as 0 when there are no discoveries.
    """

    method: str
    rejected: np.ndarray
    n_discoveries: int
    n_false: int
    n_true: int
    family_wise_error: bool
    false_discovery_proportion: float


def _discoveries(method: str, rejected: np.ndarray, truth: np.ndarray) -> Discoveries:
    r = int(rejected.sum())
    v = int((rejected & ~truth).sum())
    return Discoveries(method=method, rejected=rejected, n_discoveries=r, n_false=v,
                       n_true=r - v, family_wise_error=v > 0,
                       false_discovery_proportion=v / r if r else 0.0)


@dataclass(frozen=True)
class MultipleTestingResult:
    """Result of :func:`multiple_testing`: one experiment, three ways to read it.

    Attributes
    ----------
    p_values
        Two-sided t-test p-value of every gene.
    is_true_effect
        Boolean truth mask: the gene really changed.
    uncorrected, bonferroni, bh
        :class:`Discoveries` for no correction, Bonferroni and Benjamini-Hochberg.
    alpha
        Significance level (uncorrected, Bonferroni) or false discovery rate target (BH).
    effect_size
        True change of the affected genes, SD units.
    n_per_group
        Animals per group.
    """

    p_values: np.ndarray
    is_true_effect: np.ndarray
    uncorrected: Discoveries
    bonferroni: Discoveries
    bh: Discoveries
    alpha: float
    effect_size: float
    n_per_group: int

    @property
    def methods(self) -> tuple[Discoveries, Discoveries, Discoveries]:
        """The three :class:`Discoveries`, in the order uncorrected, Bonferroni, BH."""
        return (self.uncorrected, self.bonferroni, self.bh)


def multiple_testing(*, n_genes: int, n_true_effects: int, effect_size: float,
                     n_per_group: int, alpha: float = 0.05, rng=None) -> MultipleTestingResult:
    """Test many genes at once and count true and false discoveries.

    ``n_genes`` genes are measured in two groups of ``n_per_group`` animals; the first
    ``n_true_effects`` genes change by ``effect_size`` SD, the rest do not. Every gene gets a
    two-sided t-test; the p-values are then read without correction, with Bonferroni and with
    Benjamini-Hochberg (:func:`scipy.stats.false_discovery_control`).

    Parameters
    ----------
    n_genes
        Genes tested, in [1, 100000].
    n_true_effects
        Genes that truly change, in [0, n_genes].
    effect_size
        True change in SD units, in [-10, 10].
    n_per_group
        Animals per group, in [2, 10000].
    alpha
        Significance level, and false discovery rate target of BH, in (0, 1).
    rng
        Seed or generator.

    Returns
    -------
    MultipleTestingResult

    Examples
    --------
    A panel of 46 genes, as in Jefsen et al. (2021), none of them truly changed:

    >>> res = multiple_testing(n_genes=46, n_true_effects=0, effect_size=0.0,
    ...                        n_per_group=10, rng=3)
    >>> res.uncorrected.n_false >= res.bonferroni.n_false
    True
    >>> all(d.n_true == 0 for d in res.methods)
    True
    """
    n_genes, n_true, n = _check_genes(n_genes, n_true_effects, effect_size, n_per_group, alpha)
    rng = np.random.default_rng(rng)
    p = _simulate_gene_pvalues(rng, 1, n_genes, n_true, effect_size, n)[0]
    truth = np.arange(n_genes) < n_true
    found = {m: _discoveries(m, _reject(p, alpha, m), truth) for m in _METHODS}
    return MultipleTestingResult(p_values=p, is_true_effect=truth, uncorrected=found["uncorrected"],
                                 bonferroni=found["bonferroni"], bh=found["bh"],
                                 alpha=float(alpha), effect_size=float(effect_size),
                                 n_per_group=n)


@dataclass(frozen=True)
class MethodRates:
    """Error rates of one correction method across simulated experiments.

    Attributes
    ----------
    method
        ``"uncorrected"``, ``"bonferroni"`` or ``"bh"``.
    fwer, fwer_mc_se
        Family-wise error rate (fraction of experiments with any false discovery) and its
        Monte-Carlo standard error.
    fdr, fdr_mc_se
        False discovery rate (mean false discovery proportion, 0 when nothing is found) and
        its Monte-Carlo standard error.
    mean_false_discoveries, mean_true_discoveries
        Average numbers of false and true discoveries per experiment.
    """

    method: str
    fwer: float
    fwer_mc_se: float
    fdr: float
    fdr_mc_se: float
    mean_false_discoveries: float
    mean_true_discoveries: float


@dataclass(frozen=True)
class ErrorRates:
    """Result of :func:`multiple_testing_error_rates`.

    Attributes
    ----------
    uncorrected, bonferroni, bh
        :class:`MethodRates` of each method.
    n_genes, n_true_effects, effect_size, n_per_group, alpha, n_sims
        The inputs.
    """

    uncorrected: MethodRates
    bonferroni: MethodRates
    bh: MethodRates
    n_genes: int
    n_true_effects: int
    effect_size: float
    n_per_group: int
    alpha: float
    n_sims: int


def multiple_testing_error_rates(*, n_genes: int, n_true_effects: int, effect_size: float,
                                 n_per_group: int, alpha: float = 0.05, n_sims: int = 200,
                                 rng=None) -> ErrorRates:
    """Family-wise error rate and false discovery rate of each method, by simulation.

    Repeats the experiment of :func:`multiple_testing` ``n_sims`` times (vectorized: all
    genes of a block of experiments are tested in one call).

    Parameters
    ----------
    n_genes, n_true_effects, effect_size, n_per_group, alpha
        As in :func:`multiple_testing`.
    n_sims
        Simulated experiments, in [1, 1000000].
    rng
        Seed or generator.

    Returns
    -------
    ErrorRates

    Notes
    -----
    With ``m0`` null genes tested independently at ``alpha``, the uncorrected family-wise
    error rate is ``1 - (1 - alpha)**m0``; Bonferroni keeps it at or below ``alpha``;
    Benjamini-Hochberg keeps the false discovery rate at ``alpha m0 / m`` or below.

    Examples
    --------
    >>> r = multiple_testing_error_rates(n_genes=100, n_true_effects=0, effect_size=0.0,
    ...                                  n_per_group=8, n_sims=200, rng=0)
    >>> bool(r.uncorrected.fwer > 0.9), bool(r.bonferroni.fwer < 0.1)
    (True, True)
    """
    n_genes, n_true, n = _check_genes(n_genes, n_true_effects, effect_size, n_per_group, alpha)
    n_sims = _check_int("n_sims", n_sims, 1, _MAX_SIMS)
    rng = np.random.default_rng(rng)
    truth = np.arange(n_genes) < n_true
    false_counts = {m: [] for m in _METHODS}
    true_counts = {m: [] for m in _METHODS}
    for k in _blocks(n_sims, 2 * n_genes * n):
        p = _simulate_gene_pvalues(rng, k, n_genes, n_true, effect_size, n)
        for m in _METHODS:
            rejected = _reject(p, alpha, m)
            false_counts[m].append(np.count_nonzero(rejected & ~truth, axis=-1))
            true_counts[m].append(np.count_nonzero(rejected & truth, axis=-1))
    rates = {}
    for m in _METHODS:
        v = np.concatenate(false_counts[m]).astype(float)
        s = np.concatenate(true_counts[m]).astype(float)
        fdp = np.divide(v, v + s, out=np.zeros_like(v), where=(v + s) > 0)
        fwer = float(np.mean(v > 0))
        fdr_se = float(fdp.std(ddof=1) / math.sqrt(n_sims)) if n_sims > 1 else 0.0
        rates[m] = MethodRates(method=m, fwer=fwer, fwer_mc_se=float(_binomial_se(fwer, n_sims)),
                               fdr=float(fdp.mean()), fdr_mc_se=fdr_se,
                               mean_false_discoveries=float(v.mean()),
                               mean_true_discoveries=float(s.mean()))
    return ErrorRates(uncorrected=rates["uncorrected"], bonferroni=rates["bonferroni"],
                      bh=rates["bh"], n_genes=n_genes, n_true_effects=n_true,
                      effect_size=float(effect_size), n_per_group=n, alpha=float(alpha),
                      n_sims=n_sims)


# --------------------------------------------------------------------------------------------
# 4. trials: placebo response, expectancy and functional unblinding
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrialParams(Params):
    """A two-arm trial with a placebo response, expectancy and functional unblinding (toy).

    Outcomes are *improvements* in points of a symptom score (the reduction of, for example,
    QIDS-SR-16), so positive numbers mean "better". The defaults describe a small depression
    trial on the QIDS-SR-16 scale with the arm sizes and spread of Carhart-Harris et al.
    (2021); the expectancy effect is illustrative (no published number is used).

    Attributes
    ----------
    n_per_arm
        Participants in the drug arm (and in the control arm unless ``n_control_arm`` is set),
        an integer in [2, 10000].
    n_control_arm
        Participants in the control arm, an integer in [2, 10000]; None means ``n_per_arm``.
    drug_effect_points
        True pharmacological advantage of the drug over the control, points.
    placebo_response_points
        Improvement shared by both arms (natural course, regression to the mean, support,
        placebo response), points. It cancels in the difference.
    sd_points
        Between-participant SD of the improvement, points, > 0. 5.7 gives the width of the
        confidence interval of Carhart-Harris et al. (2021).
    correct_guess_probability
        Probability that a participant correctly guesses their own arm, in [0, 1]. 0.5 is
        intact blinding (guessing at chance), 1 is complete functional unblinding. Most people
        can tell whether they received a psychedelic (Muthukumaraswamy et al. 2021).
    expectancy_points
        Extra improvement of anyone who *believes* they received the drug, points
        (illustrative default).

    Examples
    --------
    >>> from dataclasses import replace
    >>> unblinded = replace(TrialParams(), correct_guess_probability=0.9)
    >>> round(unblinded.expected_effect_points, 2)
    4.4
    >>> TrialParams(correct_guess_probability=1.5)
    Traceback (most recent call last):
    ...
    ValueError: correct_guess_probability must be a finite number in [0, 1], got 1.5
    """

    n_per_arm: int = bounded(30, 2, _MAX_N)
    n_control_arm: int | None = None
    drug_effect_points: float = bounded(2.0, -50.0, 50.0)
    placebo_response_points: float = bounded(6.0, -50.0, 50.0)
    sd_points: float = bounded(5.7, 0.0, 50.0, low_open=True)
    correct_guess_probability: float = bounded(0.5, 0.0, 1.0)
    expectancy_points: float = bounded(3.0, -50.0, 50.0)

    def _check(self) -> None:
        _check_int("n_per_arm", self.n_per_arm, 2, _MAX_N)
        if self.n_control_arm is not None:
            _check_int("n_control_arm", self.n_control_arm, 2, _MAX_N)

    @property
    def n_control(self) -> int:
        """Participants in the control arm."""
        return self.n_per_arm if self.n_control_arm is None else self.n_control_arm

    @property
    def expected_effect_points(self) -> float:
        """Expected estimate: ``drug_effect + expectancy (2 q - 1)``, points."""
        q = self.correct_guess_probability
        return self.drug_effect_points + self.expectancy_points * (2.0 * q - 1.0)


#: Carhart-Harris et al. (2021, NEJM 384:1402-1411): psilocybin (n = 30) vs escitalopram
#: (n = 29), 6 weeks, QIDS-SR-16 change -8.0 vs -6.0 points, difference 2.0 (95 % CI -5.0 to
#: 0.9 on the paper's change scale), P = 0.17. Here as improvements: drug arm 8, control arm 6.
#: The SD (5.7 points) makes the 95 % CI half-width about 3 points, as published. The observed
#: difference is taken at face value (blinding intact, no expectancy); how much of it might be
#: expectancy is a question for :func:`dataclasses.replace`, not a finding.
ESCITALOPRAM_TRIAL = TrialParams(n_per_arm=30, n_control_arm=29, drug_effect_points=2.0,
                                 placebo_response_points=6.0, sd_points=5.7,
                                 correct_guess_probability=0.5, expectancy_points=0.0)


@dataclass(frozen=True)
class TrialResult:
    """Result of :func:`simulate_trial`: one entry per simulated trial.

    Attributes
    ----------
    effect_points
        Estimated drug effect: mean improvement of the drug arm minus the control arm, points.
    ci_low_points, ci_high_points
        ``1 - alpha`` confidence interval of the effect (pooled-variance t), points.
    p_value
        Two-sided p-value of the pooled two-sample t-test.
    drug_arm_mean_points, control_arm_mean_points
        Mean improvement in each arm, points.
    params
        The :class:`TrialParams` simulated.
    alpha
        Significance level; the CI level is ``1 - alpha``.
    """

    effect_points: np.ndarray
    ci_low_points: np.ndarray
    ci_high_points: np.ndarray
    p_value: np.ndarray
    drug_arm_mean_points: np.ndarray
    control_arm_mean_points: np.ndarray
    params: TrialParams
    alpha: float

    @property
    def mean_effect_points(self) -> float:
        """Average estimated effect across simulated trials, points."""
        return float(np.mean(self.effect_points))

    @property
    def bias_points(self) -> float:
        """Average estimate minus the true pharmacological effect, points."""
        return self.mean_effect_points - self.params.drug_effect_points

    @property
    def power(self) -> float:
        """Fraction of trials with ``p < alpha`` (power, or false positive rate at no effect)."""
        return float(np.mean(self.p_value < self.alpha))

    @property
    def fraction_ci_includes_zero(self) -> float:
        """Fraction of trials whose confidence interval contains 0."""
        return float(np.mean((self.ci_low_points <= 0.0) & (self.ci_high_points >= 0.0)))

    @property
    def ci_coverage(self) -> float:
        """Fraction of intervals containing the true drug effect (nominally ``1 - alpha``)."""
        true = self.params.drug_effect_points
        return float(np.mean((self.ci_low_points <= true) & (self.ci_high_points >= true)))


def simulate_trial(*, params: TrialParams | None = None, n_sims: int = 1000,
                   alpha: float = 0.05, rng=None) -> TrialResult:
    """Simulate ``n_sims`` two-arm trials with placebo response, expectancy and unblinding.

    A toy: see the module docstring for the model and what it leaves out. Each participant
    guesses their arm (correctly with probability ``params.correct_guess_probability``); those
    who believe they got the drug improve by ``params.expectancy_points`` more. Each trial is
    analysed with a pooled-variance two-sample t-test (vectorized over trials).

    Parameters
    ----------
    params
        Trial parameters; :class:`TrialParams` defaults when None.
    n_sims
        Simulated trials, in [1, 1000000].
    alpha
        Two-sided significance level, in (0, 1); the CI level is ``1 - alpha``.
    rng
        Seed or generator.

    Returns
    -------
    TrialResult

    Examples
    --------
    With blinding intact the estimate is unbiased; when everyone can tell, a drug with no
    pharmacological effect looks like it works:

    >>> from dataclasses import replace
    >>> null = replace(TrialParams(), drug_effect_points=0.0)
    >>> blind = simulate_trial(params=null, n_sims=2000, rng=0)
    >>> abs(blind.mean_effect_points) < 0.2
    True
    >>> open_ = simulate_trial(params=replace(null, correct_guess_probability=1.0),
    ...                        n_sims=2000, rng=0)
    >>> bool(2.7 < open_.mean_effect_points < 3.3), bool(open_.power > 0.4)
    (True, True)
    """
    p = params or TrialParams()
    if not isinstance(p, TrialParams):
        raise ValueError(f"params must be a TrialParams or None, got {params!r}")
    n_sims = _check_int("n_sims", n_sims, 1, _MAX_SIMS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    rng = np.random.default_rng(rng)
    n1, n0 = p.n_per_arm, p.n_control
    q = p.correct_guess_probability
    df = n1 + n0 - 2
    t_crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    parts: dict[str, list[np.ndarray]] = {"drug": [], "ctrl": [], "diff": [], "se": []}
    for k in _blocks(n_sims, n1 + n0):
        believes_drug_1 = rng.random((k, n1)) < q  # drug arm: a correct guess is "drug"
        believes_drug_0 = rng.random((k, n0)) >= q  # control arm: a wrong guess is "drug"
        drug = (p.placebo_response_points + p.drug_effect_points
                + p.expectancy_points * believes_drug_1
                + p.sd_points * rng.standard_normal((k, n1)))
        ctrl = (p.placebo_response_points + p.expectancy_points * believes_drug_0
                + p.sd_points * rng.standard_normal((k, n0)))
        m1, m0 = drug.mean(axis=1), ctrl.mean(axis=1)
        pooled_var = ((n1 - 1) * drug.var(axis=1, ddof=1)
                      + (n0 - 1) * ctrl.var(axis=1, ddof=1)) / df
        parts["drug"].append(m1)
        parts["ctrl"].append(m0)
        parts["diff"].append(m1 - m0)
        parts["se"].append(np.sqrt(pooled_var * (1.0 / n1 + 1.0 / n0)))
    m1, m0, diff, se = (np.concatenate(parts[key]) for key in ("drug", "ctrl", "diff", "se"))
    p_value = 2.0 * stats.t.sf(np.abs(diff / se), df)
    return TrialResult(effect_points=diff, ci_low_points=diff - t_crit * se,
                       ci_high_points=diff + t_crit * se, p_value=p_value,
                       drug_arm_mean_points=m1, control_arm_mean_points=m0, params=p,
                       alpha=float(alpha))


def trial_power(*, params: TrialParams | None = None, difference_points: float | None = None,
                alpha: float = 0.05) -> float:
    """Power of a trial's t-test to detect a true difference, from the noncentral t.

    Parameters
    ----------
    params
        Arm sizes and SD; :class:`TrialParams` defaults when None.
    difference_points
        True difference to detect, points; by default ``params.expected_effect_points``.
    alpha
        Two-sided significance level, in (0, 1).

    Returns
    -------
    float
        Probability that a trial of this size reaches ``p < alpha``.

    Notes
    -----
    ``df = n1 + n0 - 2`` and noncentrality ``difference / (sd sqrt(1/n1 + 1/n0))``.

    Examples
    --------
    The escitalopram trial had about a one-in-four chance of detecting a true 2-point
    difference, close to the median power of neuroscience studies (Button et al. 2013):

    >>> round(trial_power(params=ESCITALOPRAM_TRIAL, difference_points=2.0), 2)
    0.26

    About 130 per arm would have been needed for 80 % power:

    >>> sample_size_for_power(effect_size=2.0 / ESCITALOPRAM_TRIAL.sd_points)
    129
    """
    p = params or TrialParams()
    if not isinstance(p, TrialParams):
        raise ValueError(f"params must be a TrialParams or None, got {params!r}")
    diff = p.expected_effect_points if difference_points is None else difference_points
    check_in_range("difference_points", diff, Bounds(-100.0, 100.0))
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    n1, n0 = p.n_per_arm, p.n_control
    ncp = diff / (p.sd_points * math.sqrt(1.0 / n1 + 1.0 / n0))
    return float(_nct_power(n1 + n0 - 2, ncp, alpha))
