"""Pharmacology: dose-response curves, psilocin kinetics and 5-HT2A receptor occupancy.

Psilocybin is a prodrug: it is dephosphorylated to psilocin, a partial agonist at the
serotonin 5-HT2A receptor. This module holds the shared Hill function, a one-compartment
model of plasma psilocin after an oral dose, and a single-site model of 5-HT2A occupancy.

The model
---------
An oral dose ``D`` (mg) is absorbed with first-order rate ``ka`` and eliminated with
first-order rate ``ke`` (both 1/h). Plasma psilocin follows the Bateman function::

    C(t) = D s ka / (ka - ke) (exp(-ke t) - exp(-ka t))     for t >= 0, 0 before the dose
    t_peak = ln(ka / ke) / (ka - ke)                        (-> 1 / k when ka = ke = k)

where ``s`` (ng/mL per mg) is the concentration one milligram would give if it were absorbed
at once. When ``ka = ke = k`` the curve becomes ``D s k t exp(-k t)``. The curve rises to a
single peak and then falls; in the terminal phase it halves every ``max`` of the two
half-lives (if absorption is the slower process the tail reflects absorption, not
elimination: "flip-flop" kinetics).

Occupancy of 5-HT2A receptors follows a single-site (Hill coefficient 1) binding curve of
plasma concentration, ``occ = emax C / (EC50 + C)``.

What is simplified
------------------
- One compartment: no separate brain compartment and no delay between plasma and brain, no
  dephosphorylation step (the dose is treated as psilocin-equivalent), no metabolite
  (psilocin glucuronide), no dependence on body weight, food or enzyme variants.
- Kinetics are linear: doubling the dose doubles the concentration at every time.
- The concentration scale ``s`` is illustrative: it sets the order of magnitude, not a fitted
  value. Shapes and timings (half-lives, time of peak) are the calibrated part.

Calibration (defaults)
----------------------
- Elimination half-life 2 h, within the published range of about 1.5-3 h (Holze et al. 2023:
  1.4-1.8 h; Brown et al. 2017: about 3 h).
- Absorption half-life 1 h, chosen so the peak comes about 2 h after an oral dose, as
  reported (Holze et al. 2023). With these values ``ka = 2 ke`` and ``t_peak = 2 h`` exactly.
- Occupancy ``emax = 0.72``: Madsen et al. (2019) measured 5-HT2A occupancy with PET in 8
  healthy volunteers (oral 3-30 mg); occupancy rose with plasma psilocin up to 72 %. The model
  caps occupancy at the highest observed value, so it never predicts more than was measured.
- Occupancy ``EC50 = 2 ng/mL`` is illustrative, **not** the paper's estimate: it was chosen so
  that, with the illustrative concentration scale, doses of 3-30 mg give peak occupancies of
  roughly 30-65 %, inside the range Madsen et al. observed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._params import Bounds, Params, bounded, check_in_range, check_int

__all__ = [
    "DOSE_MG_BOUNDS",
    "OCCUPANCY_EC50_NG_PER_ML",
    "OCCUPANCY_EMAX",
    "PKParams",
    "PKResult",
    "dose_for_occupancy",
    "hill",
    "psilocin_concentration",
    "receptor_occupancy",
    "simulate_pk",
]

#: Valid oral doses of psilocybin (mg). Trials use about 1-30 mg.
DOSE_MG_BOUNDS = Bounds(0.0, 100.0)
#: Valid simulation lengths (hours).
HOURS_BOUNDS = Bounds(0.0, 240.0, low_open=True)
#: Highest 5-HT2A occupancy observed with PET after psilocybin (Madsen et al. 2019).
OCCUPANCY_EMAX = 0.72
#: Illustrative plasma psilocin EC50 for occupancy (ng/mL); not the paper's estimate.
OCCUPANCY_EC50_NG_PER_ML = 2.0
_EMAX_BOUNDS = Bounds(0.0, 1.0)
_EC50_BOUNDS = Bounds(0.0, 1e4, low_open=True)


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


@dataclass(frozen=True)
class PKParams(Params):
    """One-compartment kinetics of plasma psilocin after an oral dose of psilocybin.

    Attributes
    ----------
    absorption_half_life_h
        Half-life of first-order absorption, hours (``ka = ln 2 / t_half``). Default 1 h puts
        the peak about 2 h after the dose (Holze et al. 2023).
    elimination_half_life_h
        Half-life of first-order elimination of psilocin, hours. Default 2 h, inside the
        published 1.5-3 h (Holze et al. 2023; Brown et al. 2017).
    scale_ng_per_ml_per_mg
        Plasma concentration (ng/mL) that 1 mg would give if absorbed at once (bioavailability
        over volume of distribution). Illustrative: sets the order of magnitude only.

    Examples
    --------
    >>> p = PKParams()
    >>> round(p.t_peak_hours, 6)
    2.0
    >>> PKParams(elimination_half_life_h=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: elimination_half_life_h must be a finite number in (0.1, 24], got -1.0
    """

    absorption_half_life_h: float = bounded(1.0, 0.05, 12.0, low_open=True)
    elimination_half_life_h: float = bounded(2.0, 0.1, 24.0, low_open=True)
    scale_ng_per_ml_per_mg: float = bounded(1.2, 0.0, 100.0, low_open=True)

    @property
    def absorption_rate_per_h(self) -> float:
        """First-order absorption rate ``ka``, 1/h."""
        return float(np.log(2.0) / self.absorption_half_life_h)

    @property
    def elimination_rate_per_h(self) -> float:
        """First-order elimination rate ``ke``, 1/h."""
        return float(np.log(2.0) / self.elimination_half_life_h)

    @property
    def t_peak_hours(self) -> float:
        """Time of peak concentration, ``ln(ka/ke) / (ka - ke)`` (``1/k`` if equal), hours."""
        ka, ke = self.absorption_rate_per_h, self.elimination_rate_per_h
        r = ka / ke
        # ln(r) / (r - 1) -> 1 as r -> 1; log1p keeps it accurate near the limit.
        ratio = 1.0 if abs(r - 1.0) < 1e-12 else float(np.log1p(r - 1.0) / (r - 1.0))
        return ratio / ke

    @property
    def cmax_ng_per_ml_per_mg(self) -> float:
        """Peak concentration per mg of dose, ng/mL per mg (kinetics are linear in dose)."""
        return float(psilocin_concentration(self.t_peak_hours, dose_mg=1.0, params=self))


def _phi(x: np.ndarray) -> np.ndarray:
    """``(1 - exp(-x)) / x`` with its limit 1 at ``x = 0`` (stable for small ``x``)."""
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0.0, 1.0, x)
    return np.where(x == 0.0, 1.0, -np.expm1(-safe) / safe)


def psilocin_concentration(
    t_hours, *, dose_mg: float, params: PKParams | None = None
) -> np.ndarray:
    """Plasma psilocin (ng/mL) at ``t_hours`` after an oral dose given at ``t = 0``.

    Parameters
    ----------
    t_hours
        Time after the dose, hours (array-like). Times before the dose give 0.
    dose_mg
        Oral psilocybin dose, mg, in [0, 100].
    params
        Kinetic parameters; :class:`PKParams` defaults when None.

    Returns
    -------
    numpy.ndarray
        Concentration in ng/mL, same shape as ``t_hours``, never negative.

    Notes
    -----
    The Bateman function ``D s ka / (ka - ke) (exp(-ke t) - exp(-ka t))`` is symmetric in
    ``ka`` and ``ke`` apart from the factor ``ka``. It is evaluated as
    ``D s ka t exp(-k_min t) (1 - exp(-|ka - ke| t)) / (|ka - ke| t)``, which stays accurate
    when the two rates are equal or nearly so (the limit is ``D s k t exp(-k t)``).

    Examples
    --------
    >>> c = psilocin_concentration([0.0, 2.0, 4.0], dose_mg=25.0)
    >>> c.round(2).tolist()
    [0.0, 15.0, 11.25]
    >>> float(psilocin_concentration(-1.0, dose_mg=25.0))
    0.0
    """
    check_in_range("dose_mg", dose_mg, DOSE_MG_BOUNDS)
    p = params or PKParams()
    t = np.asarray(t_hours, dtype=float)
    if np.any(np.isnan(t)):
        raise ValueError(f"t_hours must not contain NaN, got {t_hours!r}")
    ka, ke = p.absorption_rate_per_h, p.elimination_rate_per_h
    tp = np.clip(t, 0.0, None)
    with np.errstate(over="ignore", invalid="ignore"):
        c = (
            dose_mg
            * p.scale_ng_per_ml_per_mg
            * ka
            * tp
            * np.exp(-min(ka, ke) * tp)
            * _phi(abs(ka - ke) * tp)
        )
    c = np.where(np.isfinite(c), c, 0.0)  # t = inf gives 0 * inf; the limit is 0
    return np.clip(c, 0.0, None)


def receptor_occupancy(
    concentration, *, ec50_ng_per_ml: float = OCCUPANCY_EC50_NG_PER_ML, emax: float = OCCUPANCY_EMAX
) -> np.ndarray:
    """Fraction of 5-HT2A receptors occupied at a plasma psilocin concentration.

    A single-site binding curve (:func:`hill` with ``n = 1``) capped at ``emax``, the highest
    occupancy observed with PET after psilocybin (72 %, Madsen et al. 2019).

    Parameters
    ----------
    concentration
        Plasma psilocin, ng/mL (array-like, >= 0).
    ec50_ng_per_ml
        Concentration giving half of ``emax``, ng/mL (> 0). The default is illustrative,
        chosen so that doses of 3-30 mg give occupancies in the range Madsen et al. observed;
        it is not the paper's estimate.
    emax
        Maximal occupancy, a fraction in [0, 1].

    Returns
    -------
    numpy.ndarray
        Occupancy as a fraction in ``[0, emax]``.

    Examples
    --------
    >>> float(receptor_occupancy(2.0))
    0.36
    >>> float(receptor_occupancy(1e6)) < 0.72
    True
    """
    check_in_range("ec50_ng_per_ml", ec50_ng_per_ml, _EC50_BOUNDS)
    check_in_range("emax", emax, _EMAX_BOUNDS)
    c = np.asarray(concentration, dtype=float)
    if np.any(~np.isfinite(c)) or np.any(c < 0):
        raise ValueError(f"concentration must be finite and >= 0 (ng/mL), got {concentration!r}")
    return hill(c, ec50_ng_per_ml, n=1.0, emax=emax)


def dose_for_occupancy(
    target: float,
    *,
    params: PKParams | None = None,
    ec50_ng_per_ml: float = OCCUPANCY_EC50_NG_PER_ML,
    emax: float = OCCUPANCY_EMAX,
) -> float:
    """Oral dose (mg) whose *peak* 5-HT2A occupancy equals ``target``.

    Occupancy saturates: each extra milligram buys less occupancy, and no dose reaches
    ``emax``. Inverting the binding curve gives the peak concentration needed,
    ``C = EC50 target / (emax - target)``, which grows without bound as ``target -> emax``;
    the dose is ``C`` divided by the peak concentration per mg.

    Parameters
    ----------
    target
        Desired peak occupancy, a fraction in ``[0, emax)``.
    params, ec50_ng_per_ml, emax
        As in :func:`simulate_pk` and :func:`receptor_occupancy`.

    Returns
    -------
    float
        Dose in mg (it may exceed the range of doses given to people).

    Raises
    ------
    ValueError
        If ``target`` is outside ``[0, emax)``: occupancy at or above ``emax`` is unreachable.

    Examples
    --------
    >>> round(dose_for_occupancy(0.36), 2)
    3.33
    >>> round(dose_for_occupancy(0.54), 2)
    10.0
    >>> dose_for_occupancy(0.8)
    Traceback (most recent call last):
    ...
    ValueError: target must be in [0, emax) = [0, 0.72), got 0.8: occupancy saturates ...
    """
    check_in_range("ec50_ng_per_ml", ec50_ng_per_ml, _EC50_BOUNDS)
    check_in_range("emax", emax, _EMAX_BOUNDS)
    try:
        t = float(target)
    except (TypeError, ValueError):
        t = float("nan")
    if isinstance(target, bool) or not (np.isfinite(t) and 0.0 <= t < emax):
        raise ValueError(
            f"target must be in [0, emax) = [0, {emax:g}), got {target!r}: "
            "occupancy saturates at emax, so no dose reaches it"
        )
    p = params or PKParams()
    c_needed = ec50_ng_per_ml * t / (emax - t)
    return float(c_needed / p.cmax_ng_per_ml_per_mg)


@dataclass(frozen=True)
class PKResult:
    """Result of :func:`simulate_pk`.

    Attributes
    ----------
    t_hours
        Time after the oral dose, hours.
    concentration_ng_per_ml
        Plasma psilocin, ng/mL.
    occupancy
        Fraction of 5-HT2A receptors occupied, in ``[0, emax]``.
    t_peak_hours
        Analytic time of peak concentration, hours.
    c_max_ng_per_ml
        Analytic peak concentration, ng/mL.
    dose_mg
        The oral dose simulated, mg.
    """

    t_hours: np.ndarray
    concentration_ng_per_ml: np.ndarray
    occupancy: np.ndarray
    t_peak_hours: float
    c_max_ng_per_ml: float
    dose_mg: float

    @property
    def peak_occupancy(self) -> float:
        """Largest occupancy reached (at the concentration peak), fraction."""
        return float(np.max(self.occupancy))


def simulate_pk(
    *,
    dose_mg: float,
    hours: float = 24.0,
    params: PKParams | None = None,
    ec50_ng_per_ml: float = OCCUPANCY_EC50_NG_PER_ML,
    emax: float = OCCUPANCY_EMAX,
    points_per_hour: int = 20,
) -> PKResult:
    """Plasma psilocin and 5-HT2A occupancy over time after one oral dose.

    Parameters
    ----------
    dose_mg
        Oral psilocybin dose, mg, in [0, 100]. 0 gives flat zero curves.
    hours
        Length of the simulation, hours, in (0, 240].
    params
        Kinetic parameters; :class:`PKParams` defaults when None.
    ec50_ng_per_ml, emax
        Occupancy curve, as in :func:`receptor_occupancy`.
    points_per_hour
        Output samples per hour (integer in [1, 1000]).

    Returns
    -------
    PKResult

    Examples
    --------
    >>> r = simulate_pk(dose_mg=25.0)
    >>> round(r.t_peak_hours, 3), round(r.c_max_ng_per_ml, 1), round(r.peak_occupancy, 2)
    (2.0, 15.0, 0.64)
    """
    check_in_range("dose_mg", dose_mg, DOSE_MG_BOUNDS)
    check_in_range("hours", hours, HOURS_BOUNDS)
    check_int("points_per_hour", points_per_hour, 1, 1000)
    p = params or PKParams()
    t = np.linspace(0.0, float(hours), int(round(hours * points_per_hour)) + 1)
    c = psilocin_concentration(t, dose_mg=dose_mg, params=p)
    occ = receptor_occupancy(c, ec50_ng_per_ml=ec50_ng_per_ml, emax=emax)
    return PKResult(
        t_hours=t,
        concentration_ng_per_ml=c,
        occupancy=occ,
        t_peak_hours=p.t_peak_hours,
        c_max_ng_per_ml=float(dose_mg) * p.cmax_ng_per_ml_per_mg,
        dose_mg=float(dose_mg),
    )
