"""Figures and explorers for the mouse imaging study (chapter "Evidence I: spines in mice").

Two explorers, both drawing toy simulations:

- :func:`explore_imaging_experiment`: a simulated chronic-imaging experiment in the design of
  Shao et al. (2021) (:func:`models.imaging.simulate_mouse_experiment`): mice per group,
  dendrites imaged before and after one dose, per-dendrite and per-mouse density changes, and
  the mean-field model as a reference line.
- :func:`explore_stress_recovery`: chronic stress removes spines; a dose at the end of stress
  speeds their return (:func:`models.spines.simulate_stress_recovery`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from models._params import Bounds
from models.imaging import DENDRITES_PER_MOUSE, MouseExperiment, simulate_mouse_experiment
from models.imaging.mice import MOUSE_SD, N_MICE_RANGE
from models.published import SHAO_DENSITY_CHANGE
from models.spines import (
    DOSE_BOUNDS,
    ELIMINATION_FACTOR_BOUNDS,
    StressRecovery,
    simulate_stress_recovery,
)

from .core import Control, Explorer, IntControl, axes_or_new
from .published import data_handle, draw_data_point
from .style import COLORS, label_axes

__all__ = [
    "explore_imaging_experiment",
    "explore_stress_recovery",
    "plot_imaging_day",
    "plot_imaging_timecourse",
    "plot_stress_recovery",
]

#: The doses offered by both explorers, mg/kg.
_DOSES = (0.0, 0.25, 0.5, 1.0, 2.0, 5.0)


#: The values each slider offers (the frames the static book precomputes).
_N_MICE_STEPS = (2, 3, 4, 6, 9, 12)
_ELIMINATION_FACTOR_STEPS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)


def _dose_label(dose: float) -> str:
    return f"psilocybin {dose:g} mg/kg" if dose else "second saline group"


#: Legend entry for the study's values.
_DATA_LABEL = "data, Shao 2021, 1 mg/kg (bar: \u00b11 SD)"


def _draw_data_point(ax: Axes, x: float, value, color: str) -> None:
    """One published group mean (diamond), with its ±1 SD bar where the spread is known."""
    sd = value.sd
    low, high = (None, None) if sd is None else (value.mean - sd, value.mean + sd)
    draw_data_point(ax, x, value.mean, color, low=low, high=high)


def _draw_data_timecourse(ax: Axes, days: np.ndarray, x: np.ndarray) -> None:
    """The study's mean change per group at each imaging day the simulation also has."""
    for group, col, dx in (
        ("saline", COLORS["saline"], -0.3),
        ("psilocybin", COLORS["psilocybin"], 0.3),
    ):
        for day, value in SHAO_DENSITY_CHANGE[group].items():
            hit = np.flatnonzero(np.isclose(days, day))
            if value.mean is not None and hit.size:
                _draw_data_point(ax, float(x[hit[0]] + dx), value, col)


def _day_label(day: float) -> str:
    return f"{day:g}".replace("-", "\u2212")


def plot_imaging_timecourse(
    result: MouseExperiment, ax: Axes | None = None, *, ylim: tuple[float, float] = (-25.0, 50.0)
) -> Axes:
    """Mouse means and group means of density change at each session, with the model line.

    Sessions are drawn evenly spaced (the axis is not to scale in days).
    """
    ax = axes_or_new(ax)
    days = result.imaging_days
    x = np.arange(days.size)
    color = COLORS["psilocybin"] if result.dose_mg_per_kg else COLORS["stress"]
    for treated, col, dx, label in (
        (False, COLORS["saline"], -0.12, "saline"),
        (True, color, 0.12, _dose_label(result.dose_mg_per_kg)),
    ):
        rows = result.change_percent[result.treated == treated]
        mice = result.mouse[result.treated == treated]
        means = np.array([np.nanmean(rows[mice == m], axis=0) for m in np.unique(mice)])
        ax.plot(
            np.broadcast_to(x + dx, means.shape).ravel(),
            means.ravel(),
            "o",
            color=col,
            ms=4,
            alpha=0.55,
            mec="none",
        )
        ax.plot(x + dx, np.nanmean(rows, axis=0), "-", color=col, lw=2, label=label)
    ax.plot(
        x, result.mean_field_percent, ls="--", color="#222222", lw=1.3, label="model mean, no noise"
    )
    _draw_data_timecourse(ax, days, x)
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xticks(x, [_day_label(d) for d in days])
    ax.set_xlim(-0.5, days.size - 0.5)
    ax.set_ylim(*ylim)
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, data_handle(_DATA_LABEL)], loc="upper left", fontsize=7.5)
    return label_axes(
        ax, x="imaging day (0 = dose; not to scale)", y="density change (% of day \u22123)"
    )


def plot_imaging_day(
    result: MouseExperiment,
    ax: Axes | None = None,
    *,
    day: float = 1.0,
    ylim: tuple[float, float] = (-60.0, 100.0),
) -> Axes:
    """Every dendrite's change at ``day`` (small dots) and each mouse's mean (large dots).

    The text box gives Cohen's d computed per dendrite and per mouse.
    """
    ax = axes_or_new(ax)
    s = result.session(day)
    jitter = np.random.default_rng(12345)
    means, mtreated = result.mouse_means(day)
    color = COLORS["psilocybin"] if result.dose_mg_per_kg else COLORS["stress"]
    for pos, treated, col in ((0, False, COLORS["saline"]), (1, True, color)):
        y = result.change_percent[result.treated == treated, s]
        ax.plot(
            pos + jitter.uniform(-0.22, 0.22, y.size),
            y,
            "o",
            color=col,
            ms=3,
            alpha=0.35,
            mec="none",
        )
        m = means[mtreated == treated]
        ax.plot(
            pos + np.linspace(-0.12, 0.12, m.size), m, "o", color=col, ms=8, mec="#222222", mew=0.8
        )
        ax.plot([pos - 0.3, pos + 0.3], [np.nanmean(y)] * 2, color="#222222", lw=2)
        study = SHAO_DENSITY_CHANGE["psilocybin" if treated else "saline"].get(
            float(result.imaging_days[s])
        )
        if study is not None and study.mean is not None:
            _draw_data_point(ax, pos + 0.4, study, COLORS["psilocybin" if treated else "saline"])
        # The group's name as a data artist, so it follows the dose in every frame (tick
        # labels are cached with the axes' decorations and stay the same).
        name = _dose_label(result.dose_mg_per_kg) if treated else "saline"
        ax.text(pos, ylim[0] + 0.03 * (ylim[1] - ylim[0]), name, ha="center", fontsize=8, color=col)
    d_dend, d_mouse = result.effect_sizes(day)
    n_dend = int(np.sum(result.treated))
    sd_dosed = float(np.nanstd(result.change_percent[result.treated, s], ddof=1))
    lines = [
        f"d per dendrite {d_dend:+.2f} ({n_dend} + {n_dend})",
        f"d per mouse {d_mouse:+.2f} ({result.n_mice} + {result.n_mice})",
        f"SD per dendrite, 2nd group: {sd_dosed:.1f} %",
    ]
    study = SHAO_DENSITY_CHANGE["psilocybin"].get(float(result.imaging_days[s]))
    if study is not None and study.sd is not None:
        lines.append(f"(study, 1 mg/kg: {study.sd:g} %)")
    ax.text(0.02, 0.98, "\n".join(lines), transform=ax.transAxes, va="top", ha="left", fontsize=8)
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xticks([0, 1], ["first group", "second group"])
    ax.set_xlim(-0.5, 1.6)
    ax.set_ylim(*ylim)
    return label_axes(
        ax,
        x=f"group (day {_day_label(result.imaging_days[s])})",
        y="density change (% of day \u22123)",
    )


def explore_imaging_experiment(
    *, dendrites_per_mouse: int = DENDRITES_PER_MOUSE, mouse_sd: float = MOUSE_SD
) -> Explorer:
    """Explorer: a simulated imaging experiment; sliders for mice per group and dose.

    Left: per-mouse means (dots) and group means (lines) at every session, with the
    noise-free model (dashed). Right: every dendrite at day 1 with mouse means and the
    effect size computed per dendrite and per mouse.

    One fixed-seed population per dose, as many saline and dosed mice as the mice slider's
    largest value, is simulated when the explorer is made (about a second); the mice slider
    shows its first ``n`` mice, so moving it adds or removes mice and keeps the others.
    ``mouse_sd`` sets how much the dosed mice differ in responsiveness; scoring error and
    the error shared by a mouse's dendrites keep their calibrated defaults (see
    :func:`models.imaging.simulate_mouse_experiment`). The study's published values
    (:data:`models.published.SHAO_DENSITY_CHANGE`) are drawn on the same axes.
    """
    mice = IntControl("n_mice", "Mice per group", _N_MICE_STEPS, 6, bounds=Bounds(*N_MICE_RANGE))
    dose = Control("dose", "Dose", _DOSES, 1.0, unit="mg/kg", bounds=DOSE_BOUNDS)
    population = {
        d: simulate_mouse_experiment(
            n_mice=max(mice.values),
            dose_mg_per_kg=d,
            dendrites_per_mouse=dendrites_per_mouse,
            mouse_sd=mouse_sd,
            rng=2021,
        )
        for d in dose.values
    }

    def compute(n_mice: int, dose: float) -> MouseExperiment:
        return population[dose].first_mice(n_mice)

    return Explorer(
        compute=compute,
        draw=(plot_imaging_timecourse, plot_imaging_day),
        controls=(mice, dose),
        figsize=(7.6, 3.9),
        title="A simulated imaging experiment",
        alt=(
            "Two panels from a simulated imaging experiment with {n_mice} mice per group and "
            "a dose of {dose}: left, per-mouse and group mean spine density change at each "
            "imaging day with the noise-free model line and the study's published means at "
            "1 mg/kg as diamonds; right, every dendrite's change at day 1 with mouse means, "
            "effect sizes per dendrite and per mouse, and the study's day-1 mean and spread."
        ),
        caption=(
            f"Toy simulation of a chronic imaging study ({dendrites_per_mouse} dendrites "
            "per mouse, fixed seed, with scoring error and differences between mice fitted "
            "to the study's spread). Left: small dots are mouse means, lines group means, "
            "dashed the noise-free model; black-edged diamonds are the study's per-dendrite "
            "means at 1 mg/kg, recomputed from the authors' public data (Shao et al. 2021), "
            "with \u00b11 SD where it is known. Right: day 1, every dendrite (small dots) "
            "and every mouse (large dots), the effect size (Cohen's d) computed per dendrite "
            "and per mouse, and the study's mean \u00b11 SD. More mice make group means "
            "steadier; the dose sets the true effect. The study tested one dose, so the "
            "diamonds stay at 1 mg/kg."
        ),
    )


def plot_stress_recovery(
    result: StressRecovery,
    ax: Axes | None = None,
    *,
    reference: StressRecovery | None = None,
    ylim: tuple[float, float] = (-30.0, 20.0),
) -> Axes:
    """Spine density (percent of the healthy baseline) through stress, dose and recovery."""
    ax = axes_or_new(ax)
    t = result.t_days
    ax.axvspan(t[0], 0.0, color=COLORS["stress"], alpha=0.15, lw=0)
    if reference is not None:
        ax.plot(
            reference.t_days,
            reference.percent_change,
            color=COLORS["saline"],
            ls="--",
            lw=1.6,
            label="saline at day 0",
        )
    dosed = result.dose_mg_per_kg > 0
    ax.plot(
        t,
        result.percent_change,
        color=COLORS["psilocybin"] if dosed else COLORS["saline"],
        label="psilocybin at day 0" if dosed else "saline (0 mg/kg)",
    )
    for day in (0.0, 7.0, 34.0):
        v = float(np.interp(day, t, result.percent_change))
        ax.plot([day], [v], "o", color="#222222", ms=4)
        ax.annotate(
            f"{v:+.1f} %".replace("-", "\u2212"),
            (day, v),
            textcoords="offset points",
            xytext=(3, -12) if day < 30 else (-34, -12),
            fontsize=8,
            color="#222222",
        )
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(*ylim)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("shaded: chronic stress (faster elimination)", fontsize=9, loc="left")
    return label_axes(
        ax,
        x="days (stress ends and the dose is given at day 0)",
        y="spine density (% change from healthy)",
    )


def explore_stress_recovery(*, stress_days: float = 21.0, recovery_days: float = 35.0) -> Explorer:
    """Explorer: stress raises elimination; a dose at its end speeds the return of spines."""
    stress = Control(
        "elimination_factor",
        "Stress (elimination x)",
        _ELIMINATION_FACTOR_STEPS,
        1.3,
        fmt="{:.2f}",
        unit="x",
        bounds=ELIMINATION_FACTOR_BOUNDS,
    )
    dose = Control("dose", "Dose", _DOSES, 1.0, unit="mg/kg", bounds=DOSE_BOUNDS)

    def run(factor: float, d: float) -> StressRecovery:
        return simulate_stress_recovery(
            stress_days=stress_days,
            elimination_factor=factor,
            dose_mg_per_kg=d,
            recovery_days=recovery_days,
            points_per_day=4,
        )

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
        compute=compute,
        draw=draw,
        controls=(stress, dose),
        figsize=(6.8, 3.6),
        title="Stress, a dose, and recovery",
        alt=(
            f"Line plot of spine density through {stress_days:g} days of stress that "
            "multiplies elimination by {elimination_factor}, then a dose of {dose} at day 0, "
            "compared with saline."
        ),
        caption=(
            "Toy simulation: during stress (shaded) spines are eliminated faster and "
            "density falls; at day 0 stress ends and one dose (solid) or saline (dashed) "
            "is given. Stronger stress deepens the loss; the dose speeds recovery. The "
            "size of the loss is illustrative."
        ),
    )
