"""What the study-design lessons share: valid ranges, simulation blocks, t-test power.

Every analysis in :mod:`models.study_design` is a two-sided, pooled-variance two-sample
t-test on normal outcomes with equal variance in both groups (real studies use mixed models
with covariates). Private to the package.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import stats

from .._params import Bounds, check_in_range, check_int

__all__ = [
    "ALPHA_BOUNDS",
    "EFFECT_SIZE_BOUNDS",
    "ICC_BOUNDS",
    "MAX_N",
    "MAX_SIMS",
    "SHAO_MICE_PER_GROUP",
    "binomial_se",
    "blocks",
    "check_effect",
    "check_simulations",
    "nct_power",
]

#: Valid significance levels (two-sided), an open interval.
ALPHA_BOUNDS = Bounds(0.0, 1.0, low_open=True, high_open=True)
#: Valid standardized effect sizes (Cohen's d: difference of means in SD units).
EFFECT_SIZE_BOUNDS = Bounds(-10.0, 10.0)
#: Valid intraclass correlations (share of variance between mice).
ICC_BOUNDS = Bounds(0.0, 1.0)
#: Mice per group in Shao et al. (2021) (6 psilocybin, 6 saline).
SHAO_MICE_PER_GROUP = 6

#: Largest group size any function accepts.
MAX_N = 10_000
#: Most simulations one call may run.
MAX_SIMS = 1_000_000
#: Random numbers drawn per block; larger simulations are split into blocks of this size.
_BLOCK_ELEMENTS = 2_000_000


def blocks(n_sims: int, elements_per_sim: int) -> Iterator[int]:
    """Split ``n_sims`` simulations into blocks that keep memory bounded.

    The loop runs over blocks of thousands of simulations, not over single simulations.
    """
    per_block = max(1, _BLOCK_ELEMENTS // max(1, elements_per_sim))
    done = 0
    while done < n_sims:
        k = min(per_block, n_sims - done)
        done += k
        yield k


def binomial_se(rate: np.ndarray | float, n: int) -> np.ndarray | float:
    """Monte-Carlo standard error of a proportion estimated from ``n`` simulations."""
    return np.sqrt(np.asarray(rate) * (1.0 - np.asarray(rate)) / n)


def nct_power(df, ncp, alpha: float):
    """Two-sided power of a t-test with ``df`` degrees of freedom and noncentrality ``ncp``."""
    t_crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    # P(T < -t_crit | ncp) = P(T > t_crit | -ncp): both tails via ``sf``, because
    # ``nct.cdf`` returns NaN far in the tail (scipy 1.17, e.g. df=58, ncp=30).
    ncp = np.abs(ncp)
    far = stats.nct.sf(t_crit, df, -ncp)  # the tail opposite the effect, <= alpha / 2
    return stats.nct.sf(t_crit, df, ncp) + np.where(np.isnan(far), 0.0, far)


def check_simulations(n_sims: int, alpha: float) -> int:
    """Validate a simulation count and a significance level; return ``n_sims`` as ``int``."""
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    return check_int("n_sims", n_sims, 1, MAX_SIMS)


def check_effect(effect_size: float, alpha: float) -> None:
    """Validate a standardized effect size and a two-sided significance level."""
    check_in_range("effect_size", effect_size, EFFECT_SIZE_BOUNDS)
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
