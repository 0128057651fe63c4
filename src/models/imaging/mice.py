"""Mice, not only dendrites: a two-group imaging experiment in the design of Shao et al. (2021).

:func:`simulate_mouse_experiment` groups the per-spine simulation of
:func:`~models.imaging.dendrites.simulate_imaging` into mice: several dendrites per mouse,
saline and dosed groups, and (optionally) mice that differ in how strongly they respond.
:class:`MouseExperiment` gives per-dendrite and per-mouse summaries and effect sizes
(:func:`cohens_d`), the comparison behind the pseudo-replication lesson. A toy simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from .._params import Bounds, bounds_of, check_in_range, check_int
from ..spines import DOSE_BOUNDS, SpineParams, simulate_spine_density
from .dendrites import DEFAULT_IMAGING_DAYS, simulate_imaging

__all__ = [
    "DENDRITES_PER_MOUSE",
    "IMAGING_DAYS",
    "MOUSE_SD_BOUNDS",
    "N_MICE_RANGE",
    "MouseExperiment",
    "cohens_d",
    "simulate_mouse_experiment",
]

#: Imaging sessions (days relative to the dose): two baselines, then the days Shao et al.
#: (2021) reported.
IMAGING_DAYS = DEFAULT_IMAGING_DAYS
#: Dendrites per mouse: about 161 dendrites / 12 mice in Shao et al. (2021).
DENDRITES_PER_MOUSE = 13
#: Imaged segment length (µm). Illustrative: chosen so that the toy's per-dendrite effect size
#: at day 1 (about 0.6 SD at 1 mg/kg) is close to the study's.
SEGMENT_UM = 30.0
#: Valid spread of mouse-to-mouse responsiveness (SD of its natural log).
MOUSE_SD_BOUNDS = Bounds(0.0, 1.0)
#: Valid mice per group and dendrites per mouse (integer ranges, inclusive).
N_MICE_RANGE = (2, 50)
DENDRITES_PER_MOUSE_RANGE = (1, 200)

_BOOST_MAX = bounds_of(SpineParams, "formation_boost").high
_STAB_MAX = bounds_of(SpineParams, "stabilization_boost").high


def cohens_d(a, b) -> float:
    """Standardized difference ``(mean(a) - mean(b)) / pooled SD`` (NaN if undefined).

    Examples
    --------
    >>> round(cohens_d([2.0, 4.0], [0.0, 2.0]), 3)
    1.414
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    df = a.size + b.size - 2
    if a.size < 2 or b.size < 2:
        return float("nan")
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / df
    return float((a.mean() - b.mean()) / np.sqrt(pooled)) if pooled > 0 else float("nan")


@dataclass(frozen=True, eq=False)
class MouseExperiment:
    """A simulated two-group imaging experiment (result of :func:`simulate_mouse_experiment`).

    Attributes
    ----------
    imaging_days
        Session days relative to the dose, shape ``(sessions,)``.
    change_percent
        Density change of each dendrite relative to its first session, percent, shape
        ``(dendrites, sessions)``; rows of both groups stacked (saline first).
    mouse
        Mouse id of each dendrite, shape ``(dendrites,)``; ids are unique across groups.
    treated
        True for dendrites of the dosed group, shape ``(dendrites,)``.
    dose_mg_per_kg
        Dose given to the treated group, mg/kg.
    mean_field_percent
        Noise-free change of the mean-field model at each session, percent.
    """

    imaging_days: np.ndarray
    change_percent: np.ndarray
    mouse: np.ndarray
    treated: np.ndarray
    dose_mg_per_kg: float
    mean_field_percent: np.ndarray

    @property
    def n_mice(self) -> int:
        """Mice per group."""
        return int(np.unique(self.mouse[self.treated]).size)

    def first_mice(self, n: int) -> MouseExperiment:
        """The same experiment restricted to the first ``n`` mice of each group."""
        check_int("n", n, 1, self.n_mice)
        saline_ids = np.unique(self.mouse[~self.treated])[:n]
        dosed_ids = np.unique(self.mouse[self.treated])[:n]
        keep = np.isin(self.mouse, np.concatenate([saline_ids, dosed_ids]))
        return MouseExperiment(
            imaging_days=self.imaging_days,
            change_percent=self.change_percent[keep],
            mouse=self.mouse[keep],
            treated=self.treated[keep],
            dose_mg_per_kg=self.dose_mg_per_kg,
            mean_field_percent=self.mean_field_percent,
        )

    def session(self, day: float) -> int:
        """Index of the session closest to ``day``."""
        return int(np.argmin(np.abs(self.imaging_days - day)))

    def mouse_means(self, day: float) -> tuple[np.ndarray, np.ndarray]:
        """Per-mouse mean change at ``day``: ``(means, treated)``, one entry per mouse."""
        s = self.session(day)
        ids = np.unique(self.mouse)
        means = np.array([np.nanmean(self.change_percent[self.mouse == m, s]) for m in ids])
        treated = np.array([bool(self.treated[self.mouse == m][0]) for m in ids])
        return means, treated

    def effect_sizes(self, day: float) -> tuple[float, float]:
        """Cohen's d of treated vs saline at ``day``: ``(per dendrite, per mouse)``."""
        s = self.session(day)
        x = self.change_percent[:, s]
        per_dendrite = cohens_d(x[self.treated], x[~self.treated])
        means, treated = self.mouse_means(day)
        return per_dendrite, cohens_d(means[treated], means[~treated])


@lru_cache(maxsize=64)
def _mean_field(dose: float, days: tuple[float, ...]) -> np.ndarray:
    traj = simulate_spine_density(dose_mg_per_kg=dose, days=max(days[-1], 1.0), points_per_day=8)
    return np.array(
        [0.0 if d <= 0 else 100.0 * (traj.at(d) / traj.baseline_per_um - 1.0) for d in days]
    )


def _group(
    n_mice: int,
    per_mouse: int,
    dose: float,
    days,
    params: SpineParams,
    rng: np.random.Generator,
    mouse_sd: float,
) -> np.ndarray:
    """Per-dendrite percent change of one group, rows ordered mouse by mouse."""
    if mouse_sd == 0.0 or dose == 0.0:
        r = simulate_imaging(
            n_dendrites=n_mice * per_mouse,
            dose_mg_per_kg=dose,
            imaging_days=days,
            params=params,
            rng=rng,
            dendrite_length_um=SEGMENT_UM,
        )
        return r.percent_change_from(0)
    rows = []
    for m in np.exp(rng.normal(0.0, mouse_sd, size=n_mice)):
        p = replace(
            params,
            formation_boost=min(params.formation_boost * m, _BOOST_MAX),
            stabilization_boost=min(params.stabilization_boost * m, _STAB_MAX),
        )
        r = simulate_imaging(
            n_dendrites=per_mouse,
            dose_mg_per_kg=dose,
            imaging_days=days,
            params=p,
            rng=rng,
            dendrite_length_um=SEGMENT_UM,
        )
        rows.append(r.percent_change_from(0))
    return np.vstack(rows)


def simulate_mouse_experiment(
    *,
    n_mice: int = 6,
    dose_mg_per_kg: float = 1.0,
    dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
    mouse_sd: float = 0.0,
    imaging_days=IMAGING_DAYS,
    rng=0,
) -> MouseExperiment:
    """Simulate ``n_mice`` saline and ``n_mice`` dosed mice, several dendrites each.

    Each group's dendrites come from :func:`~models.imaging.dendrites.simulate_imaging` (segments of
    :data:`SEGMENT_UM` µm). With ``mouse_sd = 0`` dendrites differ only by chance and mice
    are merely bags of dendrites. With ``mouse_sd > 0`` each dosed mouse gets its own
    responsiveness ``m = exp(Normal(0, mouse_sd))``, which multiplies the dose's formation and
    stabilization boosts (an illustrative stand-in for real differences between animals,
    such as the sex difference Shao et al. 2021 reported); saline mice still differ only by
    chance.

    Parameters
    ----------
    n_mice
        Mice per group, integer in [2, 50].
    dose_mg_per_kg
        Dose of the treated group, mg/kg, in [0, 20].
    dendrites_per_mouse
        Dendrites imaged per mouse, integer in [1, 200].
    mouse_sd
        Spread of mouse responsiveness (SD of its log), in [0, 1].
    imaging_days
        Session days relative to the dose; the first is the reference for percent change.
    rng
        Seed or generator (fixed seed by default: same call, same result).

    Examples
    --------
    >>> e = simulate_mouse_experiment(n_mice=3, dendrites_per_mouse=4)
    >>> e.change_percent.shape, e.n_mice
    ((24, 6), 3)
    >>> means, treated = e.mouse_means(1.0)
    >>> means.shape, int(treated.sum())
    ((6,), 3)
    """
    n = check_int("n_mice", n_mice, *N_MICE_RANGE)
    k = check_int("dendrites_per_mouse", dendrites_per_mouse, *DENDRITES_PER_MOUSE_RANGE)
    check_in_range("dose_mg_per_kg", dose_mg_per_kg, DOSE_BOUNDS)
    check_in_range("mouse_sd", mouse_sd, MOUSE_SD_BOUNDS)
    days = tuple(float(d) for d in imaging_days)
    rng = np.random.default_rng(rng)
    rng_saline, rng_dosed = rng.spawn(2)
    params = SpineParams()
    saline = _group(n, k, 0.0, days, params, rng_saline, 0.0)
    dosed = _group(n, k, float(dose_mg_per_kg), days, params, rng_dosed, float(mouse_sd))
    change = np.vstack([saline, dosed])
    mouse = np.repeat(np.arange(2 * n), k)
    treated = np.repeat(np.array([False, True]), n * k)
    for a in (change, mouse, treated):
        a.setflags(write=False)
    return MouseExperiment(
        imaging_days=np.array(days),
        change_percent=change,
        mouse=mouse,
        treated=treated,
        dose_mg_per_kg=float(dose_mg_per_kg),
        mean_field_percent=_mean_field(float(dose_mg_per_kg), days),
    )
