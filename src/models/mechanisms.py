"""The mechanism debate as a toy: does psilocybin's plasticity need 5-HT2A, or TrkB?

Chapter 06 ("Evidence III: mechanisms"). A competitive antagonist (ketanserin) shifts
psilocin's 5-HT2A occupancy curve to the right (:func:`gaddum_occupancy`, with the Schild dose
ratio :func:`schild_dose_ratio`); a head-twitch proxy follows 5-HT2A occupancy, while a
plasticity drive runs partly through 5-HT2A and partly through TrkB, in a share the reader
chooses (:func:`two_pathway_model`).

Nothing here is calibrated to an experiment: these small pure functions exist to illustrate an
argument, what each hypothesis predicts, not which one is true.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._params import Bounds, check_in_range, check_int

__all__ = [
    "AGONIST_BOUNDS",
    "ANTAGONIST_BOUNDS",
    "SHARE_BOUNDS",
    "TwoPathwayResult",
    "gaddum_occupancy",
    "schild_dose_ratio",
    "two_pathway_model",
]

#: Valid ketanserin concentrations, multiples of its dissociation constant KB.
ANTAGONIST_BOUNDS = Bounds(0.0, 1e4)
#: Valid shares of the plasticity drive that run through 5-HT2A.
SHARE_BOUNDS = Bounds(0.0, 1.0)
#: Valid psilocin concentrations, multiples of its 5-HT2A EC50.
AGONIST_BOUNDS = Bounds(0.0, 1e4, low_open=True)


def _check_nonneg(name: str, x) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {x!r}")
    return arr


def _check_pos(name: str, x: float) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        v = float("nan")
    if isinstance(x, bool) or not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {x!r}")
    return v


def schild_dose_ratio(antagonist, *, kb: float = 1.0):
    """Dose ratio ``1 + B / KB`` by which a competitive antagonist shifts an agonist's curve.

    With the antagonist present, the agonist needs ``1 + B/KB`` times the concentration to
    reach the same occupancy (Schild). ``KB`` is the antagonist's dissociation constant.

    Parameters
    ----------
    antagonist
        Antagonist concentration ``B`` (array-like, >= 0), in the same unit as ``kb``.
    kb
        The antagonist's dissociation constant (> 0).

    Examples
    --------
    >>> float(schild_dose_ratio(0.0))
    1.0
    >>> float(schild_dose_ratio(9.0, kb=1.0))
    10.0
    """
    b = _check_nonneg("antagonist", antagonist)
    return 1.0 + b / _check_pos("kb", kb)


def gaddum_occupancy(agonist, *, ec50: float = 1.0, antagonist=0.0, kb: float = 1.0):
    """Fraction of receptors bound by an agonist in the presence of a competitive antagonist.

    The Gaddum equation, ``A / (A + EC50 (1 + B / KB))``: agonist and antagonist compete for
    the same site, so the antagonist multiplies the agonist's apparent EC50 by the Schild dose
    ratio ``1 + B/KB``. Without antagonist it is the single-site binding curve ``A/(A+EC50)``.

    Parameters
    ----------
    agonist
        Agonist concentration ``A`` (array-like, >= 0), same unit as ``ec50``.
    ec50
        Agonist concentration giving half occupancy without antagonist (> 0).
    antagonist
        Antagonist concentration ``B`` (array-like, >= 0), same unit as ``kb``.
    kb
        The antagonist's dissociation constant (> 0).

    Returns
    -------
    numpy.ndarray
        Occupancy as a fraction in ``[0, 1)``.

    Examples
    --------
    >>> float(gaddum_occupancy(3.0))
    0.75
    >>> float(gaddum_occupancy(3.0, antagonist=1.0))
    0.6
    >>> round(float(gaddum_occupancy(3.0, antagonist=10.0)), 3)
    0.214
    """
    a = _check_nonneg("agonist", agonist)
    shifted = _check_pos("ec50", ec50) * schild_dose_ratio(antagonist, kb=kb)
    with np.errstate(invalid="ignore"):
        occ = a / (a + shifted)
    return np.where(np.isfinite(occ), occ, 1.0)  # a = inf: fully bound


@dataclass(frozen=True)
class TwoPathwayResult:
    """Result of :func:`two_pathway_model` (a toy, in relative units).

    Attributes
    ----------
    antagonist_over_kb
        Ketanserin concentration in multiples of its ``KB``.
    share_5ht2a
        Share of the plasticity drive that runs through 5-HT2A (0: TrkB only, 1: 5-HT2A only).
    agonist_over_ec50
        Psilocin concentration in multiples of its 5-HT2A EC50.
    concentration_over_ec50
        Psilocin concentrations for the occupancy curves (multiples of EC50).
    occupancy_curve_control, occupancy_curve_antagonist
        5-HT2A occupancy along ``concentration_over_ec50``, without and with the antagonist.
    occupancy_control, occupancy
        5-HT2A occupancy at ``agonist_over_ec50``, without and with the antagonist.
    head_twitch
        Head-twitch proxy relative to no antagonist (proportional to 5-HT2A occupancy).
    plasticity_via_5ht2a, plasticity_via_trkb
        The two parts of the plasticity drive, relative to the total without antagonist.
    """

    antagonist_over_kb: float
    share_5ht2a: float
    agonist_over_ec50: float
    concentration_over_ec50: np.ndarray
    occupancy_curve_control: np.ndarray
    occupancy_curve_antagonist: np.ndarray
    occupancy_control: float
    occupancy: float
    head_twitch: float
    plasticity_via_5ht2a: float
    plasticity_via_trkb: float

    @property
    def plasticity(self) -> float:
        """Total plasticity drive relative to no antagonist (1 = unchanged)."""
        return self.plasticity_via_5ht2a + self.plasticity_via_trkb


def two_pathway_model(
    *,
    antagonist_over_kb: float = 0.0,
    share_5ht2a: float = 1.0,
    agonist_over_ec50: float = 3.0,
    n_points: int = 121,
) -> TwoPathwayResult:
    """Toy of two hypotheses: does psilocybin's plasticity run through 5-HT2A or TrkB?

    - 5-HT2A occupancy by psilocin follows :func:`gaddum_occupancy` with ketanserin as a
      competitive antagonist.
    - Head-twitch proxy: proportional to 5-HT2A occupancy, relative to no antagonist.
    - Plasticity drive: ``share * occ / occ_control + (1 - share)``. The first term runs
      through 5-HT2A and falls with ketanserin; the second runs through TrkB, which psilocin
      binds directly in the hypothesis of Moliner et al. (2023) and which ketanserin does not
      bind in this toy, so it is unchanged.

    Both outputs are 1 without antagonist. Nothing here is calibrated: it shows what each
    hypothesis predicts, not which one is true.

    Parameters
    ----------
    antagonist_over_kb
        Ketanserin concentration in multiples of its dissociation constant, in [0, 1e4].
    share_5ht2a
        Share of plasticity through 5-HT2A, in [0, 1] (1: "5-HT2A hypothesis", 0: "TrkB").
    agonist_over_ec50
        Psilocin concentration in multiples of its 5-HT2A EC50, in (0, 1e4].
    n_points
        Points on the occupancy curves (integer in [2, 10000]).

    Examples
    --------
    >>> r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=1.0)
    >>> round(r.head_twitch, 3), round(r.plasticity, 3)
    (0.286, 0.286)
    >>> r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=0.0)
    >>> round(r.head_twitch, 3), round(r.plasticity, 3)
    (0.286, 1.0)
    """
    check_in_range("antagonist_over_kb", antagonist_over_kb, ANTAGONIST_BOUNDS)
    check_in_range("share_5ht2a", share_5ht2a, SHARE_BOUNDS)
    check_in_range("agonist_over_ec50", agonist_over_ec50, AGONIST_BOUNDS)
    n_points = check_int("n_points", n_points, 2, 10_000)
    b, w, a = float(antagonist_over_kb), float(share_5ht2a), float(agonist_over_ec50)
    x = np.logspace(-2.0, 4.0, n_points)
    occ0 = float(gaddum_occupancy(a))
    occ = float(gaddum_occupancy(a, antagonist=b))
    ratio = occ / occ0
    return TwoPathwayResult(
        antagonist_over_kb=b,
        share_5ht2a=w,
        agonist_over_ec50=a,
        concentration_over_ec50=x,
        occupancy_curve_control=gaddum_occupancy(x),
        occupancy_curve_antagonist=gaddum_occupancy(x, antagonist=b),
        occupancy_control=occ0,
        occupancy=occ,
        head_twitch=ratio,
        plasticity_via_5ht2a=w * ratio,
        plasticity_via_trkb=1.0 - w,
    )
