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
    "MOUSE_SD",
    "MOUSE_SD_BOUNDS",
    "NOISE_SD_BOUNDS",
    "N_MICE_RANGE",
    "SCORING_SD",
    "SESSION_SD",
    "MouseExperiment",
    "cohens_d",
    "simulate_mouse_experiment",
    "simulate_null_experiments",
]

#: Imaging sessions (days relative to the dose): two baselines, then the days Shao et al.
#: (2021) reported.
IMAGING_DAYS = DEFAULT_IMAGING_DAYS
#: Dendrites per mouse: about 161 dendrites / 12 mice in Shao et al. (2021).
DENDRITES_PER_MOUSE = 13
#: Imaged segment length (µm). Illustrative (not a measured mean): with it the toy's
#: per-dendrite effect size at day 1 (about 0.6 SD at 1 mg/kg) is close to the study's.
SEGMENT_UM = 30.0
#: Valid spread of mouse-to-mouse responsiveness (SD of its natural log).
MOUSE_SD_BOUNDS = Bounds(0.0, 1.0)
#: Valid scoring and imaging-session error SDs (SD of the natural log of the error factor).
NOISE_SD_BOUNDS = Bounds(0.0, 0.5)

# Calibration. Real imaging is not perfect and mice are not alike; three parameters stand
# for that. None was measured directly: all three were fitted (tests/test_imaging.py checks
# the fit over seeds) so that the calibrated experiment (6 + 6 mice, 13 dendrites each,
# 1 mg/kg) matches three numbers recomputed from the authors' public data of Shao et al.
# (2021) (:data:`models.published.SHAO_DENSITY_CHANGE`, :data:`models.published.SHAO_ICC_DAY1`):
# the SD across dendrites of the change from day -3, 11.8 % at day -1 and 18.7 % at day +1,
# and the between-mouse share of the day-1 variance (ICC), about 0.1.

#: Scoring error of one dendrite's spine count in one session (SD of its log; fitted). Stands
#: for spines missed, merged or misjudged when a session's images are scored.
SCORING_SD = 0.04
#: Imaging-session error shared by all dendrites of one mouse in one session (SD of its log;
#: fitted). Stands for what one cranial window on one day has in common (clarity, focus,
#: brightness, the scorer's calls on that stack). It makes dendrites of a mouse correlated
#: in every group, saline included.
SESSION_SD = 0.03
#: Mouse-to-mouse spread of responsiveness to the dose (SD of its log; fitted). Stands for
#: real differences between animals, such as the sex difference Shao et al. (2021) reported.
MOUSE_SD = 0.4
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
    mouse_sd, scoring_sd, session_sd
        The spread of responsiveness, scoring error and imaging-session error simulated.
    """

    imaging_days: np.ndarray
    change_percent: np.ndarray
    mouse: np.ndarray
    treated: np.ndarray
    dose_mg_per_kg: float
    mean_field_percent: np.ndarray
    mouse_sd: float = 0.0
    scoring_sd: float = 0.0
    session_sd: float = 0.0

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
            mouse_sd=self.mouse_sd,
            scoring_sd=self.scoring_sd,
            session_sd=self.session_sd,
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
    """True spine counts of one group, ``(dendrites, sessions)``, rows ordered mouse by mouse."""
    if mouse_sd == 0.0 or dose == 0.0:
        r = simulate_imaging(
            n_dendrites=n_mice * per_mouse,
            dose_mg_per_kg=dose,
            imaging_days=days,
            params=params,
            rng=rng,
            dendrite_length_um=SEGMENT_UM,
        )
        return r.spine_counts.astype(float)
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
        rows.append(r.spine_counts.astype(float))
    return np.vstack(rows)


def _scored_change(
    counts: np.ndarray,
    n_mice: int,
    per_mouse: int,
    rng: np.random.Generator,
    scoring_sd: float,
    session_sd: float,
) -> np.ndarray:
    """Percent change from the first session of *scored* counts (see :data:`SCORING_SD`).

    Each count is multiplied by ``exp(a + e - (scoring_sd**2 + session_sd**2) / 2)`` (mean
    factor 1), where ``e ~ Normal(0, scoring_sd**2)`` is drawn per dendrite and session and
    ``a ~ Normal(0, session_sd**2)`` per mouse and session, shared by that mouse's dendrites.
    """
    sessions = counts.shape[1]
    own = rng.standard_normal(counts.shape)
    shared = np.repeat(rng.standard_normal((n_mice, sessions)), per_mouse, axis=0)
    log_factor = scoring_sd * own + session_sd * shared - 0.5 * (scoring_sd**2 + session_sd**2)
    scored = counts * np.exp(log_factor)
    ref = scored[:, [0]]
    out = np.full(counts.shape, np.nan)
    np.divide(scored, ref, out=out, where=ref > 0)
    return 100.0 * (out - 1.0)


def simulate_mouse_experiment(
    *,
    n_mice: int = 6,
    dose_mg_per_kg: float = 1.0,
    dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
    mouse_sd: float = MOUSE_SD,
    scoring_sd: float = SCORING_SD,
    session_sd: float = SESSION_SD,
    imaging_days=IMAGING_DAYS,
    rng=0,
) -> MouseExperiment:
    """Simulate ``n_mice`` saline and ``n_mice`` dosed mice, several dendrites each.

    Each group's dendrites come from :func:`~models.imaging.dendrites.simulate_imaging`
    (segments of :data:`SEGMENT_UM` µm), which images perfectly. Three sources of spread are
    added, with defaults fitted to the data of Shao et al. (2021) (see :data:`SCORING_SD`):

    - each dosed mouse gets its own responsiveness ``m = exp(Normal(0, mouse_sd))``, which
      multiplies the dose's formation and stabilization boosts (saline mice have nothing to
      respond to);
    - every count is scored with a multiplicative error ``exp(Normal(0, scoring_sd))``, drawn
      per dendrite and session;
    - every session of a mouse has an error ``exp(Normal(0, session_sd))`` shared by all its
      dendrites (both factors scaled to mean 1).

    With all three at 0, imaging is perfect, dendrites differ only by chance and mice are
    merely bags of dendrites.

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
    scoring_sd
        Scoring error per dendrite and session (SD of its log), in [0, 0.5].
    session_sd
        Imaging-session error shared by a mouse's dendrites (SD of its log), in [0, 0.5].
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
    check_in_range("scoring_sd", scoring_sd, NOISE_SD_BOUNDS)
    check_in_range("session_sd", session_sd, NOISE_SD_BOUNDS)
    days = tuple(float(d) for d in imaging_days)
    rng = np.random.default_rng(rng)
    # Separate streams: the biology of each group does not depend on the noise settings.
    rng_saline, rng_dosed, rng_noise = rng.spawn(3)
    params = SpineParams()
    saline = _group(n, k, 0.0, days, params, rng_saline, 0.0)
    dosed = _group(n, k, float(dose_mg_per_kg), days, params, rng_dosed, float(mouse_sd))
    change = _scored_change(
        np.vstack([saline, dosed]), 2 * n, k, rng_noise, float(scoring_sd), float(session_sd)
    )
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
        mouse_sd=float(mouse_sd),
        scoring_sd=float(scoring_sd),
        session_sd=float(session_sd),
    )


#: Most null experiments one call of :func:`simulate_null_experiments` may simulate.
MAX_NULL_EXPERIMENTS = 2000


def simulate_null_experiments(
    *,
    n_experiments: int,
    n_mice: int = 6,
    dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
    day: float = 1.0,
    scoring_sd: float = SCORING_SD,
    session_sd: float = SESSION_SD,
    rng=0,
) -> np.ndarray:
    """Many experiments with no true effect: saline against saline, calibrated imaging.

    Every mouse gets saline; each experiment's mice are split into two groups of ``n_mice``.
    The dendrites are imaged at day -3 and at ``day`` with the calibrated scoring and
    imaging-session errors of :func:`simulate_mouse_experiment` (with saline, responsiveness
    plays no part). All experiments are simulated in one vectorised call.

    Returns
    -------
    numpy.ndarray
        Density change from day -3 at ``day``, percent, shape
        ``(n_experiments, 2, n_mice, dendrites_per_mouse)``.

    Examples
    --------
    >>> x = simulate_null_experiments(n_experiments=3, n_mice=2, dendrites_per_mouse=4)
    >>> x.shape
    (3, 2, 2, 4)
    """
    n_exp = check_int("n_experiments", n_experiments, 1, MAX_NULL_EXPERIMENTS)
    n = check_int("n_mice", n_mice, *N_MICE_RANGE)
    k = check_int("dendrites_per_mouse", dendrites_per_mouse, *DENDRITES_PER_MOUSE_RANGE)
    check_in_range("day", day, Bounds(-3.0, 365.0, low_open=True))
    check_in_range("scoring_sd", scoring_sd, NOISE_SD_BOUNDS)
    check_in_range("session_sd", session_sd, NOISE_SD_BOUNDS)
    total = n_exp * 2 * n
    if total * k > 100_000:
        raise ValueError(
            f"n_experiments x 2 x n_mice x dendrites_per_mouse must be at most 100000 "
            f"dendrites, got {total * k}"
        )
    rng_bio, rng_noise = np.random.default_rng(rng).spawn(2)
    counts = _group(total, k, 0.0, (-3.0, float(day)), SpineParams(), rng_bio, 0.0)
    change = _scored_change(counts, total, k, rng_noise, float(scoring_sd), float(session_sd))
    return change[:, 1].reshape(n_exp, 2, n, k)
