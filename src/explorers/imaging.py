"""Figures and explorers for the mouse imaging study (chapter "Evidence I: spines in mice").

Two explorers:

- :func:`explore_imaging_experiment`: a simulated chronic-imaging experiment in the design of
  Shao et al. (2021): mice per group, dendrites imaged before and after one dose, per-dendrite
  and per-mouse density changes, and the mean-field model as a reference line.
- :func:`explore_stress_recovery`: chronic stress removes spines; a dose at the end of stress
  speeds their return (built on :func:`models.synapses.simulate_stress_recovery`).

:func:`simulate_mouse_experiment` is a small helper that groups the per-spine simulation of
:func:`models.synapses.simulate_imaging` into mice. Everything here is a toy simulation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from matplotlib.axes import Axes

from models._params import Bounds, check_in_range
from models.synapses import (
    DOSE_BOUNDS,
    SpineParams,
    StressRecovery,
    simulate_imaging,
    simulate_spine_density,
    simulate_stress_recovery,
)

from .core import Control, Explorer
from .style import COLORS, label_axes, new_figure

__all__ = [
    "MouseExperiment",
    "cohens_d",
    "explore_imaging_experiment",
    "explore_stress_recovery",
    "plot_imaging_day",
    "plot_imaging_timecourse",
    "plot_stress_recovery",
    "simulate_mouse_experiment",
]

#: Imaging sessions (days relative to the dose): two baselines, then the days Shao et al.
#: (2021) reported.
IMAGING_DAYS = (-3.0, -1.0, 1.0, 3.0, 7.0, 34.0)
#: Dendrites per mouse: about 161 dendrites / 12 mice in Shao et al. (2021).
DENDRITES_PER_MOUSE = 13
#: Imaged segment length (µm). Illustrative: chosen so that the toy's per-dendrite effect size
#: at day 1 (about 0.6 SD at 1 mg/kg) is close to the study's.
SEGMENT_UM = 30.0
#: Valid spread of mouse-to-mouse responsiveness (SD of its natural log).
MOUSE_SD_BOUNDS = Bounds(0.0, 1.0)

_BOOST_MAX = 20.0   # upper bound of SpineParams.formation_boost
_STAB_MAX = 100.0   # upper bound of SpineParams.stabilization_boost


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
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= self.n_mice:
            raise ValueError(f"n must be an integer in [1, {self.n_mice}], got {n!r}")
        saline_ids = np.unique(self.mouse[~self.treated])[:n]
        dosed_ids = np.unique(self.mouse[self.treated])[:n]
        keep = np.isin(self.mouse, np.concatenate([saline_ids, dosed_ids]))
        return MouseExperiment(imaging_days=self.imaging_days,
                               change_percent=self.change_percent[keep], mouse=self.mouse[keep],
                               treated=self.treated[keep], dose_mg_per_kg=self.dose_mg_per_kg,
                               mean_field_percent=self.mean_field_percent)

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
    traj = simulate_spine_density(dose_mg_per_kg=dose, days=max(days[-1], 1.0),
                                  points_per_day=8)
    return np.array([0.0 if d <= 0 else 100.0 * (traj.at(d) / traj.baseline_per_um - 1.0)
                     for d in days])


def _group(n_mice: int, per_mouse: int, dose: float, days, params: SpineParams,
           rng: np.random.Generator, mouse_sd: float) -> np.ndarray:
    """Per-dendrite percent change of one group, rows ordered mouse by mouse."""
    if mouse_sd == 0.0 or dose == 0.0:
        r = simulate_imaging(n_dendrites=n_mice * per_mouse, dose_mg_per_kg=dose,
                             imaging_days=days, params=params, rng=rng,
                             dendrite_length_um=SEGMENT_UM)
        return r.percent_change_from(0)
    rows = []
    for m in np.exp(rng.normal(0.0, mouse_sd, size=n_mice)):
        p = replace(params, formation_boost=min(params.formation_boost * m, _BOOST_MAX),
                    stabilization_boost=min(params.stabilization_boost * m, _STAB_MAX))
        r = simulate_imaging(n_dendrites=per_mouse, dose_mg_per_kg=dose, imaging_days=days,
                             params=p, rng=rng, dendrite_length_um=SEGMENT_UM)
        rows.append(r.percent_change_from(0))
    return np.vstack(rows)


def simulate_mouse_experiment(*, n_mice: int = 6, dose_mg_per_kg: float = 1.0,
                              dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
                              mouse_sd: float = 0.0, imaging_days=IMAGING_DAYS,
                              rng=0) -> MouseExperiment:
    """Simulate ``n_mice`` saline and ``n_mice`` dosed mice, several dendrites each.

    Each group's dendrites come from :func:`models.synapses.simulate_imaging` (segments of
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
    for name, value, low, high in (("n_mice", n_mice, 2, 50),
                                   ("dendrites_per_mouse", dendrites_per_mouse, 1, 200)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
                or not low <= value <= high:
            raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    check_in_range("dose_mg_per_kg", dose_mg_per_kg, DOSE_BOUNDS)
    check_in_range("mouse_sd", mouse_sd, MOUSE_SD_BOUNDS)
    days = tuple(float(d) for d in imaging_days)
    rng = np.random.default_rng(rng)
    rng_saline, rng_dosed = rng.spawn(2)
    params = SpineParams()
    n, k = int(n_mice), int(dendrites_per_mouse)
    saline = _group(n, k, 0.0, days, params, rng_saline, 0.0)
    dosed = _group(n, k, float(dose_mg_per_kg), days, params, rng_dosed, float(mouse_sd))
    change = np.vstack([saline, dosed])
    mouse = np.repeat(np.arange(2 * n), k)
    treated = np.repeat(np.array([False, True]), n * k)
    for a in (change, mouse, treated):
        a.setflags(write=False)
    return MouseExperiment(imaging_days=np.array(days), change_percent=change, mouse=mouse,
                           treated=treated, dose_mg_per_kg=float(dose_mg_per_kg),
                           mean_field_percent=_mean_field(float(dose_mg_per_kg), days))


def _dose_label(dose: float) -> str:
    return f"psilocybin {dose:g} mg/kg" if dose else "second saline group"


def _day_label(day: float) -> str:
    return f"{day:g}".replace("-", "\u2212")


def plot_imaging_timecourse(result: MouseExperiment, ax: Axes | None = None, *,
                            ylim: tuple[float, float] = (-25.0, 35.0)) -> Axes:
    """Mouse means and group means of density change at each session, with the model line.

    Sessions are drawn evenly spaced (the axis is not to scale in days).
    """
    if ax is None:
        ax = new_figure().add_subplot()
    days = result.imaging_days
    x = np.arange(days.size)
    color = COLORS["psilocybin"] if result.dose_mg_per_kg else COLORS["stress"]
    for treated, col, dx, label in ((False, COLORS["saline"], -0.12, "saline"),
                                    (True, color, 0.12, _dose_label(result.dose_mg_per_kg))):
        rows = result.change_percent[result.treated == treated]
        mice = result.mouse[result.treated == treated]
        means = np.array([np.nanmean(rows[mice == m], axis=0) for m in np.unique(mice)])
        ax.plot(np.broadcast_to(x + dx, means.shape).ravel(), means.ravel(), "o", color=col,
                ms=4, alpha=0.55, mec="none")
        ax.plot(x + dx, np.nanmean(rows, axis=0), "-", color=col, lw=2, label=label)
    ax.plot(x, result.mean_field_percent, ls="--", color="#222222", lw=1.3,
            label="model mean, no noise")
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xticks(x, [_day_label(d) for d in days])
    ax.set_xlim(-0.5, days.size - 0.5)
    ax.set_ylim(*ylim)
    ax.legend(loc="upper left", fontsize=8)
    return label_axes(ax, x="imaging day (0 = dose; not to scale)",
                      y="density change (% of day \u22123)")


def plot_imaging_day(result: MouseExperiment, ax: Axes | None = None, *, day: float = 1.0,
                     ylim: tuple[float, float] = (-60.0, 100.0)) -> Axes:
    """Every dendrite's change at ``day`` (small dots) and each mouse's mean (large dots).

    The text box gives Cohen's d computed per dendrite and per mouse.
    """
    if ax is None:
        ax = new_figure().add_subplot()
    s = result.session(day)
    jitter = np.random.default_rng(12345)
    means, mtreated = result.mouse_means(day)
    color = COLORS["psilocybin"] if result.dose_mg_per_kg else COLORS["stress"]
    for pos, treated, col in ((0, False, COLORS["saline"]), (1, True, color)):
        y = result.change_percent[result.treated == treated, s]
        ax.plot(pos + jitter.uniform(-0.22, 0.22, y.size), y, "o", color=col, ms=3,
                alpha=0.35, mec="none")
        m = means[mtreated == treated]
        ax.plot(pos + np.linspace(-0.12, 0.12, m.size), m, "o", color=col, ms=8, mec="#222222",
                mew=0.8)
        ax.plot([pos - 0.3, pos + 0.3], [np.nanmean(y)] * 2, color="#222222", lw=2)
    d_dend, d_mouse = result.effect_sizes(day)
    n_dend = int(np.sum(result.treated))
    ax.text(0.02, 0.98, f"d per dendrite {d_dend:+.2f} ({n_dend} + {n_dend})\n"
            f"d per mouse {d_mouse:+.2f} ({result.n_mice} + {result.n_mice})",
            transform=ax.transAxes, va="top", ha="left", fontsize=8)
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    # Tick labels must not change between frames (the explorer caches decorations).
    ax.set_xticks([0, 1], ["saline", "dosed"])
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(*ylim)
    return label_axes(ax, x=f"group (day {_day_label(result.imaging_days[s])})",
                      y="density change (% of day \u22123)")


def explore_imaging_experiment(*, dendrites_per_mouse: int = DENDRITES_PER_MOUSE,
                               mouse_sd: float = 0.5) -> Explorer:
    """Explorer: a simulated imaging experiment; sliders for mice per group and dose.

    Left: per-mouse means (dots) and group means (lines) at every session, with the
    noise-free model (dashed). Right: every dendrite at day 1 with mouse means and the
    effect size computed per dendrite and per mouse.

    One fixed-seed population of 12 saline and 12 dosed mice per dose is simulated when the
    explorer is made (about a second); the mice slider shows its first ``n`` mice, so moving
    it adds or removes mice and keeps the others. ``mouse_sd`` sets how much the dosed mice
    differ in responsiveness (see :func:`simulate_mouse_experiment`).
    """
    mice = Control("n_mice", "Mice per group", (2, 3, 4, 6, 9, 12), 6, fmt="{:.0f}")
    dose = Control("dose", "Dose", (0.0, 0.25, 0.5, 1.0, 2.0, 5.0), 1.0, unit="mg/kg")
    population = {d: simulate_mouse_experiment(n_mice=int(max(mice.values)), dose_mg_per_kg=d,
                                               dendrites_per_mouse=dendrites_per_mouse,
                                               mouse_sd=mouse_sd, rng=2021)
                  for d in dose.values}

    def compute(n_mice: float, dose: float) -> MouseExperiment:
        return population[dose].first_mice(int(round(n_mice)))

    def draw(result, axes, **_values):
        plot_imaging_timecourse(result, axes[0])
        plot_imaging_day(result, axes[1], day=1.0)

    return Explorer(
        compute=compute, draw=draw, controls=(mice, dose), panels=2, figsize=(7.6, 3.9),
        title="A simulated imaging experiment",
        alt=("Two panels from a simulated imaging experiment with {n_mice} mice per group and "
             "a dose of {dose}: left, per-mouse and group mean spine density change at each "
             "imaging day with the noise-free model line; right, every dendrite's change at "
             "day 1 with mouse means and effect sizes per dendrite and per mouse."),
        caption=("Toy simulation of a chronic imaging study (13 dendrites per mouse, fixed "
                 "seed). Left: small dots are mouse means, lines group means, dashed the "
                 "noise-free model. Right: day 1, every dendrite (small dots) and every mouse "
                 "(large dots), with the effect size (Cohen's d) computed per dendrite and per "
                 "mouse. More mice make group means steadier; the dose sets the true effect."),
    )


def plot_stress_recovery(result: StressRecovery, ax: Axes | None = None, *,
                         reference: StressRecovery | None = None,
                         ylim: tuple[float, float] = (-30.0, 20.0)) -> Axes:
    """Spine density (percent of the healthy baseline) through stress, dose and recovery."""
    if ax is None:
        ax = new_figure().add_subplot()
    t = result.t_days
    ax.axvspan(t[0], 0.0, color=COLORS["stress"], alpha=0.15, lw=0)
    if reference is not None:
        ax.plot(reference.t_days, reference.percent_change, color=COLORS["saline"], ls="--",
                lw=1.6, label="saline at day 0")
    dosed = result.dose_mg_per_kg > 0
    ax.plot(t, result.percent_change, color=COLORS["psilocybin"] if dosed else COLORS["saline"],
            label="psilocybin at day 0" if dosed else "saline (0 mg/kg)")
    for day in (0.0, 7.0, 34.0):
        v = float(np.interp(day, t, result.percent_change))
        ax.plot([day], [v], "o", color="#222222", ms=4)
        ax.annotate(f"{v:+.1f} %".replace("-", "\u2212"), (day, v), textcoords="offset points",
                    xytext=(3, -12) if day < 30 else (-34, -12), fontsize=8, color="#222222")
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(*ylim)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("shaded: chronic stress (faster elimination)", fontsize=9, loc="left")
    return label_axes(ax, x="days (stress ends and the dose is given at day 0)",
                      y="spine density (% change from healthy)")


def explore_stress_recovery(*, stress_days: float = 21.0,
                            recovery_days: float = 35.0) -> Explorer:
    """Explorer: stress raises elimination; a dose at its end speeds the return of spines."""
    stress = Control("elimination_factor", "Stress (elimination x)",
                     (1.0, 1.15, 1.3, 1.5, 1.75, 2.0), 1.3, fmt="{:.2f}", unit="x")
    dose = Control("dose", "Dose", (0.0, 0.25, 0.5, 1.0, 2.0, 5.0), 1.0, unit="mg/kg")

    def run(factor: float, d: float) -> StressRecovery:
        return simulate_stress_recovery(stress_days=stress_days, elimination_factor=factor,
                                        dose_mg_per_kg=d, recovery_days=recovery_days,
                                        points_per_day=4)

    # The saline reference depends on the stress level only: computed once per level, so a
    # slider change runs the model once.
    saline_runs = {f: run(f, 0.0) for f in stress.values}

    def compute(elimination_factor: float, dose: float):
        saline = saline_runs[elimination_factor]
        return (saline if dose == 0.0 else run(elimination_factor, dose)), saline

    def draw(result, ax, **_values):
        dosed, saline = result
        plot_stress_recovery(dosed, ax, reference=saline)

    return Explorer(
        compute=compute, draw=draw, controls=(stress, dose), figsize=(6.8, 3.6),
        title="Stress, a dose, and recovery",
        alt=("Line plot of spine density through {stress} days of stress that multiplies "
             "elimination by {elimination_factor}, then a dose of {dose} at day 0, compared "
             "with saline.").replace("{stress}", f"{stress_days:g}"),
        caption=("Toy simulation: during stress (shaded) spines are eliminated faster and "
                 "density falls; at day 0 stress ends and one dose (solid) or saline (dashed) "
                 "is given. Stronger stress deepens the loss; the dose speeds recovery. The "
                 "size of the loss is illustrative."),
    )
