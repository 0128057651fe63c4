"""Pharmacology: dose-response (Hill/Emax) curves.

Psilocybin is a prodrug: it is dephosphorylated to psilocin, a partial agonist at the
serotonin 5-HT2A receptor. This module holds the shared Hill function; concentration-time
and receptor-occupancy models build on it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["hill"]


def hill(x, ec50: float, n: float = 1.0, emax: float = 1.0):
    """Hill (Emax) dose-response: ``emax * x**n / (ec50**n + x**n)``.

    Parameters
    ----------
    x
        Dose or concentration (array-like, >= 0), in the same unit as ``ec50``.
    ec50
        The ``x`` giving half the maximal response (> 0).
    n
        Hill coefficient (> 0): steepness.
    emax
        Maximal response (>= 0).

    Examples
    --------
    >>> float(hill(2.0, ec50=2.0, emax=0.8))
    0.4
    >>> float(hill(0.0, ec50=2.0))
    0.0
    """
    if not np.isfinite(ec50) or ec50 <= 0:
        raise ValueError(f"ec50 must be a finite number > 0, got {ec50!r}")
    if not np.isfinite(n) or n <= 0:
        raise ValueError(f"n must be a finite number > 0, got {n!r}")
    if not np.isfinite(emax) or emax < 0:
        raise ValueError(f"emax must be a finite number >= 0, got {emax!r}")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0) or np.any(~np.isfinite(x)):
        raise ValueError(f"x must be finite and >= 0, got {x!r}")
    # x**n / (ec50**n + x**n) written as 1 / (1 + (ec50/x)**n) is unstable at x = 0.
    ratio = np.divide(x, ec50)
    xn = ratio**n
    return emax * xn / (1.0 + xn)
