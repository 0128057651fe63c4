"""Dendritic spine turnover: a balance of formation and elimination.

A mean-field model of spine density on the apical dendrites of layer-5 pyramidal neurons in
mouse frontal cortex, the cells imaged by Shao et al. (2021).

The model
---------
New spines are born *transient* (T). Each day a transient spine is eliminated with
probability ``λ_T`` or matures into a *persistent* spine (P) with rate ``k``; persistent spines
are eliminated slowly with rate ``λ_P`` (Holtmaat et al. 2005: thin spines come and go over
days, thick spines last for months)::

    dT/dt = f(t) - (λ_T + k(t)) T
    dP/dt = k(t) T - λ_P P
    density D = T + P        (spines per µm)

With ``k = 0`` this is the one-pool model ``dD/dt = f - λ D``, whose steady state is
``D* = f / λ``. With both pools the steady state is ``T* = f / (λ_T + k)`` and
``P* = k T* / λ_P``: formation balances total elimination, ``f = λ_T T* + λ_P P*``.

A dose of psilocybin at day 0 opens a short *plasticity window*
``g(t) = H(dose) exp(-t / tau)`` for ``t >= 0``, where ``H`` is a Hill function of dose. During
the window formation rises to ``f0 (1 + formation_boost g)`` and maturation to
``k0 (1 + stabilization_boost g)``. Elimination is unchanged, as Shao et al. observed.

What is simplified
------------------
- One average dendrite; no spine sizes, no sex difference (Shao et al. found a larger effect
  in females), no ageing drift, no imaging noise
  (see :func:`models.imaging.simulate_imaging` for the noise).
- The dose-response shape is an assumption: Shao et al. tested a single dose (1 mg/kg); only
  that point calibrates the model. ``ed50_mg_per_kg`` is illustrative.
- Chronic stress is modelled as a raised elimination rate only.

Calibration (defaults)
----------------------
- Baseline density about 0.48 spines/µm and formation of about 6.8 % of spines per 2-day
  interval: Shao et al. (2021), recomputed from the authors' public data.
- Most spines persistent in adult cortex, new spines mostly transient: Holtmaat et al. (2005).
- Transient and persistent pools: about 70 % of spines persistent at baseline (Holtmaat et al.
  2005 report 73 % in adult mice); transient spines live about a week, persistent ones months.
- The window's size and length were fitted so that 1 mg/kg gives about +9 % density at 24 h,
  +12 % at day 3, +11 % at day 7 and +7 % at day 34, close to the per-dendrite means of Shao et
  al. (2021): +6.9 %, +10.1 %, +12.2 % and +6.6 %.
- The toy's formation surge in the first two days (about 3x) is larger than the measured
  fraction of new spines per 2-day imaging interval (0.068 -> 0.128). Imaging every two days
  misses spines that appear and vanish between sessions, so the measured fraction
  underestimates the true birth rate; :func:`models.imaging.simulate_imaging` shows the effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ._params import Bounds, Params, bounded, check_in_range, check_int
from .pharmacology import hill

__all__ = [
    "DOSE_BOUNDS",
    "ELIMINATION_FACTOR_BOUNDS",
    "SpineParams",
    "SpineTrajectory",
    "StressRecovery",
    "plasticity_drive",
    "simulate_spine_density",
    "simulate_stress_recovery",
    "steady_state",
]

#: Valid doses (mg/kg). Shao et al. used 1 mg/kg; rodent studies range up to 20 mg/kg.
DOSE_BOUNDS = Bounds(0.0, 20.0)
#: Valid simulation lengths (days).
DAYS_BOUNDS = Bounds(0.0, 365.0, low_open=True)
#: Valid factors by which chronic stress multiplies spine elimination.
ELIMINATION_FACTOR_BOUNDS = Bounds(1.0, 3.0)


@dataclass(frozen=True)
class SpineParams(Params):
    """Parameters of the two-pool spine turnover model.

    Rates are per day; densities are spines per µm of dendrite.

    Attributes
    ----------
    formation_per_um_day
        Baseline formation ``f0`` of new (transient) spines, spines/µm/day. Default gives about
        3.4 % of spines formed per day at the 0.48/µm baseline (Shao et al. 2021).
    transient_elimination_per_day
        Elimination rate ``λ_T`` of transient spines, 1/day (lifetime of days).
    maturation_per_day
        Rate ``k0`` at which a transient spine becomes persistent, 1/day.
    persistent_elimination_per_day
        Elimination rate ``λ_P`` of persistent spines, 1/day (lifetime of months).
    formation_boost
        Fold increase of formation at the peak of a saturating dose's plasticity window.
    stabilization_boost
        Fold increase of maturation at the peak of a saturating dose's plasticity window.
    window_days
        Decay time ``tau`` of the plasticity window after a dose, days.
    ed50_mg_per_kg
        Dose giving half the maximal drive (illustrative; not measured by Shao et al.).
    hill_n
        Hill coefficient of the dose-response of the drive.
    """

    formation_per_um_day: float = bounded(0.0163, 0.0, 0.2, low_open=True)
    transient_elimination_per_day: float = bounded(0.099, 0.0, 5.0, low_open=True)
    maturation_per_day: float = bounded(0.014, 0.0, 5.0)
    persistent_elimination_per_day: float = bounded(0.006, 0.0, 1.0, low_open=True)
    formation_boost: float = bounded(6.0, 0.0, 20.0)
    stabilization_boost: float = bounded(23.2, 0.0, 100.0)
    window_days: float = bounded(0.94, 0.05, 10.0)
    ed50_mg_per_kg: float = bounded(0.5, 0.01, 20.0)
    hill_n: float = bounded(1.5, 0.5, 4.0)


@dataclass(frozen=True)
class SpineTrajectory:
    """Result of :func:`simulate_spine_density`.

    Attributes
    ----------
    t_days
        Time points, days after the dose (the dose is given at day 0).
    density_per_um
        Total spine density ``T + P``, spines/µm.
    transient_per_um, persistent_per_um
        The two pools, spines/µm.
    baseline_per_um
        Steady-state density before the dose, spines/µm.
    dose_mg_per_kg
        The dose simulated.
    """

    t_days: np.ndarray
    density_per_um: np.ndarray
    transient_per_um: np.ndarray
    persistent_per_um: np.ndarray
    baseline_per_um: float
    dose_mg_per_kg: float

    @property
    def percent_change(self) -> np.ndarray:
        """Density change relative to baseline, in percent."""
        return 100.0 * (self.density_per_um / self.baseline_per_um - 1.0)

    def at(self, day: float) -> float:
        """Density at ``day`` (linear interpolation), spines/µm."""
        return float(np.interp(day, self.t_days, self.density_per_um))


def steady_state(
    params: SpineParams | None = None, *, elimination_factor: float = 1.0
) -> tuple[float, float]:
    """Steady-state transient and persistent densities ``(T*, P*)``, spines/µm.

    ``elimination_factor`` multiplies both elimination rates (chronic stress).

    Examples
    --------
    >>> T, P = steady_state()
    >>> round(T + P, 2)
    0.48

    In the one-pool limit (no maturation) the steady state is formation / elimination:

    >>> p = SpineParams(maturation_per_day=0.0)
    >>> T, P = steady_state(p)
    >>> bool(np.isclose(T + P, p.formation_per_um_day / p.transient_elimination_per_day))
    True
    """
    p = params or SpineParams()
    e_t = p.transient_elimination_per_day * elimination_factor
    e_p = p.persistent_elimination_per_day * elimination_factor
    t_star = p.formation_per_um_day / (e_t + p.maturation_per_day)
    p_star = p.maturation_per_day * t_star / e_p
    return t_star, p_star


def plasticity_drive(
    t_days: np.ndarray, dose_mg_per_kg: float, params: SpineParams | None = None
) -> np.ndarray:
    """Drive ``g(t)`` in [0, 1] of the plasticity window opened by a dose at day 0."""
    p = params or SpineParams()
    t = np.asarray(t_days, dtype=float)
    h = float(hill(dose_mg_per_kg, p.ed50_mg_per_kg, n=p.hill_n))
    return np.where(t >= 0.0, h * np.exp(-np.clip(t, 0.0, None) / p.window_days), 0.0)


def _integrate(
    p: SpineParams, dose: float, t_eval: np.ndarray, y0: tuple[float, float], elimination_factor
) -> np.ndarray:
    """Integrate the two-pool equations; ``elimination_factor(t)`` scales elimination."""
    f0, k0 = p.formation_per_um_day, p.maturation_per_day
    e_t, e_p = p.transient_elimination_per_day, p.persistent_elimination_per_day
    h = float(hill(dose, p.ed50_mg_per_kg, n=p.hill_n))
    tau = p.window_days

    def rhs(t, y):
        g = h * math.exp(-t / tau) if t >= 0.0 else 0.0
        s = elimination_factor(t)
        f = f0 * (1.0 + p.formation_boost * g)
        k = k0 * (1.0 + p.stabilization_boost * g)
        T, P = y
        return (f - (s * e_t + k) * T, k * T - s * e_p * P)

    # Integrate in pieces that start at the dose so the window's onset is resolved.
    sol = solve_ivp(
        rhs,
        (t_eval[0], t_eval[-1]),
        y0,
        t_eval=t_eval,
        method="LSODA",
        rtol=1e-7,
        atol=1e-10,
        max_step=max(tau / 4, 0.01),
    )
    if not sol.success:  # pragma: no cover - LSODA does not fail on this linear system
        raise RuntimeError(f"spine model integration failed: {sol.message}")
    return np.clip(sol.y, 0.0, None)


def simulate_spine_density(
    *,
    dose_mg_per_kg: float = 0.0,
    days: float = 35.0,
    params: SpineParams | None = None,
    points_per_day: int = 24,
) -> SpineTrajectory:
    """Simulate mean spine density after a single dose given at day 0.

    Parameters
    ----------
    dose_mg_per_kg
        Psilocybin dose in mg/kg, in [0, 20]. 0 is saline.
    days
        Length of the simulation after the dose, days, in (0, 365].
    params
        Model parameters; :class:`SpineParams` defaults when None.
    points_per_day
        Output samples per day.

    Returns
    -------
    SpineTrajectory
        Starts at the pre-dose steady state at day 0.

    Examples
    --------
    >>> saline = simulate_spine_density(dose_mg_per_kg=0.0)
    >>> bool(np.allclose(saline.density_per_um, saline.baseline_per_um))
    True
    >>> psilo = simulate_spine_density(dose_mg_per_kg=1.0)
    >>> bool(7 < psilo.percent_change[np.searchsorted(psilo.t_days, 1.0)] < 13)
    True
    """
    check_in_range("dose_mg_per_kg", dose_mg_per_kg, DOSE_BOUNDS)
    check_in_range("days", days, DAYS_BOUNDS)
    check_int("points_per_day", points_per_day, 1, 1000)
    p = params or SpineParams()
    t = np.linspace(0.0, float(days), int(round(days * points_per_day)) + 1)
    y0 = steady_state(p)
    baseline = float(sum(y0))
    if dose_mg_per_kg == 0.0:
        T = np.full_like(t, y0[0])
        P = np.full_like(t, y0[1])
    else:
        T, P = _integrate(p, float(dose_mg_per_kg), t, y0, lambda _t: 1.0)
    return SpineTrajectory(
        t_days=t,
        density_per_um=T + P,
        transient_per_um=T,
        persistent_per_um=P,
        baseline_per_um=baseline,
        dose_mg_per_kg=float(dose_mg_per_kg),
    )


@dataclass(frozen=True)
class StressRecovery:
    """Result of :func:`simulate_stress_recovery`.

    ``t_days`` runs from the start of stress (negative days) through the dose (day 0) to the
    end of recovery; ``density_per_um`` is the total density; ``baseline_per_um`` the healthy
    steady state before stress.
    """

    t_days: np.ndarray
    density_per_um: np.ndarray
    baseline_per_um: float
    stress_days: float
    dose_mg_per_kg: float

    @property
    def percent_change(self) -> np.ndarray:
        """Density change relative to the healthy baseline, in percent."""
        return 100.0 * (self.density_per_um / self.baseline_per_um - 1.0)


def simulate_stress_recovery(
    *,
    stress_days: float = 21.0,
    elimination_factor: float = 1.3,
    dose_mg_per_kg: float = 1.0,
    recovery_days: float = 35.0,
    params: SpineParams | None = None,
    points_per_day: int = 12,
) -> StressRecovery:
    """Chronic stress raises elimination; a dose at the end of stress speeds recovery.

    Stress multiplies both elimination rates by ``elimination_factor`` from day
    ``-stress_days`` until day 0, when the dose is given and elimination returns to normal.
    Qualitatively after Radley et al. (2006: stress removes spines in medial PFC) and the
    stress experiments of Shao et al. (2021) and Moda-Sava et al. (2019); the size of the loss
    is illustrative.

    Examples
    --------
    >>> r = simulate_stress_recovery(dose_mg_per_kg=0.0)
    >>> bool(r.percent_change[np.searchsorted(r.t_days, 0.0)] < -5)
    True
    """
    check_in_range("stress_days", stress_days, Bounds(0.0, 120.0, low_open=True))
    check_in_range("elimination_factor", elimination_factor, ELIMINATION_FACTOR_BOUNDS)
    check_in_range("dose_mg_per_kg", dose_mg_per_kg, DOSE_BOUNDS)
    check_in_range("recovery_days", recovery_days, DAYS_BOUNDS)
    p = params or SpineParams()
    n = int(round((stress_days + recovery_days) * points_per_day)) + 1
    t = np.linspace(-float(stress_days), float(recovery_days), n)
    y0 = steady_state(p)
    y = _integrate(
        p, float(dose_mg_per_kg), t, y0, lambda tt: elimination_factor if tt < 0.0 else 1.0
    )
    return StressRecovery(
        t_days=t,
        density_per_um=y[0] + y[1],
        baseline_per_um=float(sum(y0)),
        stress_days=float(stress_days),
        dose_mg_per_kg=float(dose_mg_per_kg),
    )
