"""Many genes, many tests: multiple-testing corrections (chapter 09).

Testing many genes at ``alpha`` each makes some false discoveries almost certain. Bonferroni
controls the family-wise error rate, Benjamini & Hochberg (1995) the false discovery rate
(:func:`multiple_testing`, :func:`multiple_testing_error_rates`).

What is simplified: genes are independent (real expression data are correlated), all true
effects have the same size, and the true effects are the first ``n_true_effects`` genes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._params import check_int
from ._common import MAX_N, binomial_se, blocks, check_effect, check_simulations

#: Valid numbers of tests (genes) in one panel (inclusive).
N_GENES_RANGE = (1, 100_000)

_METHODS = ("uncorrected", "bonferroni", "bh")


def _reject(p: np.ndarray, alpha: float, method: str) -> np.ndarray:
    """Rejections along the last axis of ``p`` for one correction method."""
    if method == "uncorrected":
        return p < alpha
    if method == "bonferroni":
        return p < alpha / p.shape[-1]
    return stats.false_discovery_control(p, axis=-1, method="bh") <= alpha


def _simulate_gene_pvalues(
    rng: np.random.Generator, k: int, n_genes: int, n_true: int, effect_size: float, n: int
) -> np.ndarray:
    """p-values, shape ``(k, n_genes)``; the first ``n_true`` genes carry the effect."""
    control = rng.standard_normal((k, n_genes, n))
    treated = rng.standard_normal((k, n_genes, n))
    treated[:, :n_true, :] += effect_size
    return stats.ttest_ind(treated, control, axis=-1).pvalue


def _check_genes(n_genes, n_true_effects, effect_size, n_per_group, alpha):
    n_genes = check_int("n_genes", n_genes, *N_GENES_RANGE)
    n_true = check_int("n_true_effects", n_true_effects, 0, n_genes)
    check_effect(effect_size, alpha)
    n = check_int("n_per_group", n_per_group, 2, MAX_N)
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
    return Discoveries(
        method=method,
        rejected=rejected,
        n_discoveries=r,
        n_false=v,
        n_true=r - v,
        family_wise_error=v > 0,
        false_discovery_proportion=v / r if r else 0.0,
    )


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


def multiple_testing(
    *,
    n_genes: int,
    n_true_effects: int,
    effect_size: float,
    n_per_group: int,
    alpha: float = 0.05,
    rng=None,
) -> MultipleTestingResult:
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
    return MultipleTestingResult(
        p_values=p,
        is_true_effect=truth,
        uncorrected=found["uncorrected"],
        bonferroni=found["bonferroni"],
        bh=found["bh"],
        alpha=float(alpha),
        effect_size=float(effect_size),
        n_per_group=n,
    )


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


def multiple_testing_error_rates(
    *,
    n_genes: int,
    n_true_effects: int,
    effect_size: float,
    n_per_group: int,
    alpha: float = 0.05,
    n_sims: int = 200,
    rng=None,
) -> ErrorRates:
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
    n_sims = check_simulations(n_sims, alpha)
    rng = np.random.default_rng(rng)
    truth = np.arange(n_genes) < n_true
    false_counts = {m: [] for m in _METHODS}
    true_counts = {m: [] for m in _METHODS}
    for k in blocks(n_sims, 2 * n_genes * n):
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
        rates[m] = MethodRates(
            method=m,
            fwer=fwer,
            fwer_mc_se=float(binomial_se(fwer, n_sims)),
            fdr=float(fdp.mean()),
            fdr_mc_se=fdr_se,
            mean_false_discoveries=float(v.mean()),
            mean_true_discoveries=float(s.mean()),
        )
    return ErrorRates(
        uncorrected=rates["uncorrected"],
        bonferroni=rates["bonferroni"],
        bh=rates["bh"],
        n_genes=n_genes,
        n_true_effects=n_true,
        effect_size=float(effect_size),
        n_per_group=n,
        alpha=float(alpha),
        n_sims=n_sims,
    )
