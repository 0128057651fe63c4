"""Figures and the explorer for blinding in trials (chapter "Study design: people").

:func:`explore_unblinding` draws simulated trials shaped like the psilocybin-escitalopram trial
(:mod:`models.study_design.trials`), with functional unblinding and an expectancy effect. A toy
simulation.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from models.published import CARHART_HARRIS_2021, GOODWIN_2022, Trial
from models.study_design.trials import (
    ESCITALOPRAM_TRIAL,
    GOODWIN_10MG_TRIAL,
    GOODWIN_25MG_TRIAL,
    TrialParams,
    TrialResult,
    simulate_trial,
)

from .core import Control, Explorer, axes_or_new
from .published import data_handle, draw_data_point
from .style import COLORS, label_axes, new_figure, style_context

__all__ = [
    "explore_unblinding",
    "figure_arms_against_data",
    "plot_arms_against_data",
    "plot_trial_estimates",
    "plot_trial_intervals",
]

#: Confidence intervals drawn by :func:`plot_trial_intervals`.
N_INTERVALS = 30


#: The values each slider offers (the frames the static book precomputes).
_CORRECT_GUESS_PROBABILITY_STEPS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
_EXPECTANCY_POINTS_STEPS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


def _published_improvement() -> tuple[float, float, float]:
    """Carhart-Harris et al. (2021) as an improvement of psilocybin over escitalopram.

    The paper reports the difference of change scores (negative is better); the toy counts
    improvement (positive is better), so the sign flips and the interval's ends swap.
    """
    diff = CARHART_HARRIS_2021.differences[0]
    low, high = diff.ci95
    return -diff.estimate, -high, -low


def plot_trial_estimates(
    result: TrialResult,
    ax: Axes | None = None,
    *,
    xlim: tuple[float, float] = (-6.0, 16.0),
    ymax: float = 0.35,
) -> Axes:
    """Histogram of estimated drug effects across simulated trials, with the true effect."""
    ax = axes_or_new(ax)
    bins = np.arange(xlim[0], xlim[1] + 0.5, 0.75)
    counts, edges = np.histogram(
        np.clip(result.effect_points, xlim[0], xlim[1]), bins=bins, density=True
    )
    ax.stairs(counts, edges, fill=True, color=COLORS["highlight"])
    true = result.params.drug_effect_points
    ax.axvline(true, color="#222222", lw=2)
    ax.axvline(result.mean_effect_points, color=COLORS["psilocybin"], lw=2, ls="--")
    ax.axvline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xlim(*xlim)
    ax.set_ylim(0, ymax)
    # One text block instead of a legend: a legend is redrawn on every frame and is slow.
    ax.text(
        0.98,
        0.97,
        f"black: true effect {true:g} points\n"
        f"dashed: mean estimate {result.mean_effect_points:.1f} points\n"
        f"p < {result.alpha:g} in {100 * result.power:.0f} % of trials",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8.5,
    )
    ax.set_title(f"estimates from {result.effect_points.size} simulated trials", fontsize=10)
    return label_axes(
        ax, x="estimated effect (points, drug minus control)", y="density (per point)"
    )


def plot_trial_intervals(
    result: TrialResult,
    ax: Axes | None = None,
    *,
    n_show: int = N_INTERVALS,
    xlim: tuple[float, float] = (-6.0, 16.0),
    data: bool = False,
) -> Axes:
    """95 % confidence intervals of the first ``n_show`` simulated trials.

    With ``data=True`` the published trial of Carhart-Harris et al. (2021) is drawn above
    them on the same axis: its difference (psilocybin minus escitalopram, as an improvement)
    with its 95 % confidence interval (:data:`models.published.CARHART_HARRIS_2021`).
    """
    ax = axes_or_new(ax)
    k = min(n_show, result.effect_points.size)
    y = np.arange(k)
    low, high = result.ci_low_points[:k], result.ci_high_points[:k]
    sig = (low > 0) | (high < 0)
    for mask, color in ((sig, COLORS["psilocybin"]), (~sig, COLORS["saline"])):
        if mask.any():
            ax.hlines(y[mask], low[mask], high[mask], color=color, lw=1.6)
            ax.plot(result.effect_points[:k][mask], y[mask], "o", ms=3, color=color)
    true = result.params.drug_effect_points
    ax.axvline(true, color="#222222", lw=2)
    ax.axvline(0.0, color=COLORS["baseline"], lw=1.0)
    if data:
        est, low, high = _published_improvement()
        row = n_show + 1.5
        draw_data_point(ax, est, row, COLORS["psilocybin"], low=low, high=high, horizontal=True)
        ax.text(high + 0.4, row, "published trial", va="center", fontsize=8.5)
    ax.text(
        0.02,
        0.98,
        f"{100 * result.ci_coverage:.0f} % of all {result.effect_points.size}"
        f" CIs contain the true effect",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8.5,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
    )
    # No legend (redrawn on every frame, so slow): the title explains the colours.
    ax.set_title(
        f"{100 * (1 - result.alpha):g} % CIs of {k} trials; orange: excludes 0", fontsize=10
    )
    ax.set_xlim(*xlim)
    ax.set_ylim(-1, n_show + 7)
    return label_axes(ax, x="effect (points, drug minus control)", y="simulated trial (#)")


def explore_unblinding(*, n_sims: int = 2000) -> Explorer:
    """Explorer: functional unblinding plus expectancy in a trial like the escitalopram trial.

    The base is :data:`models.study_design.trials.ESCITALOPRAM_TRIAL` (arm sizes and spread of
    Carhart-Harris et al. 2021, true drug advantage 2 points); the sliders set how often
    participants guess their arm correctly and how much believing "I got the drug" adds.

    Parameters
    ----------
    n_sims
        Simulated trials per frame (small for speed).
    """
    guess = Control.of(
        TrialParams,
        "correct_guess_probability",
        "Correct guesses",
        _CORRECT_GUESS_PROBABILITY_STEPS,
        0.5,
        fmt="{:.0%}",
    )
    expect = Control.of(
        TrialParams,
        "expectancy_points",
        "Expectancy effect",
        _EXPECTANCY_POINTS_STEPS,
        3.0,
        unit="points",
    )
    trial = ESCITALOPRAM_TRIAL

    def compute(correct_guess_probability: float, expectancy_points: float) -> TrialResult:
        p = replace(
            ESCITALOPRAM_TRIAL,
            correct_guess_probability=correct_guess_probability,
            expectancy_points=expectancy_points,
        )
        return simulate_trial(params=p, n_sims=n_sims, rng=0)

    est, low, high = _published_improvement()
    return Explorer(
        compute=compute,
        draw=(plot_trial_estimates, partial(plot_trial_intervals, data=True)),
        controls=(guess, expect),
        figsize=(8.6, 3.6),
        title="Functional unblinding and expectancy",
        alt=(
            "Left: histogram of estimated drug effects from simulated trials when "
            "{correct_guess_probability} of participants guess their arm and belief adds "
            f"{{expectancy_points}}; right: {N_INTERVALS} confidence intervals against the true "
            "effect, with the published trial's difference and interval above them."
        ),
        caption=(
            "Toy simulation of trials the size of the psilocybin-escitalopram trial, with "
            f"a true drug advantage of {trial.drug_effect_points:g} points. Left: estimates "
            f"from many simulated trials; right: the confidence intervals of {N_INTERVALS} "
            "of them. When guesses are at "
            "chance (50 %) the estimates centre on the truth; as more participants guess "
            "correctly, expectancy shifts them and intervals miss the truth. The diamond "
            "above the intervals is "
            f"the published result ({CARHART_HARRIS_2021.name}): psilocybin improved "
            f"{est:g} points more than escitalopram on the {CARHART_HARRIS_2021.scale}, "
            f"95 % CI {low:g} to {high:g}, with the sign turned so that positive is better; "
            "the toy's true effect was set to it."
        ),
    )


def plot_arms_against_data(
    arms: dict[str, np.ndarray], trial: Trial, ax: Axes | None = None
) -> Axes:
    """Each arm's mean improvement in simulated trials against the published arm changes.

    Parameters
    ----------
    arms
        Arm label (as in ``trial``) -> mean improvement of that arm in each simulated trial,
        points.
    trial
        The published trial (:mod:`models.published`); its changes are drawn with the sign
        turned (improvement), as black-edged diamonds.
    """
    ax = axes_or_new(ax)
    for x, (label, means) in enumerate(arms.items()):
        low, mid, high = np.percentile(means, [2.5, 50.0, 97.5])
        ax.plot([x, x], [low, high], color=COLORS["highlight"], lw=6, solid_capstyle="butt")
        ax.plot([x], [mid], "o", color=COLORS["saline"], ms=5)
        draw_data_point(ax, x + 0.22, -trial.arm(label).change, COLORS["psilocybin"])
    ax.set_xticks(range(len(arms)), [f"{a}\n(n = {trial.arm(a).n})" for a in arms])
    ax.set_xlim(-0.6, len(arms) - 0.4)
    ax.set_ylim(0, None)
    ax.set_title(f"{trial.name}, {trial.scale}, week {trial.weeks}", fontsize=9.5)
    return label_axes(ax, x="arm", y="improvement (points)")


def figure_arms_against_data(*, n_sims: int = 2000, rng: int = 0) -> Figure:
    """Both trials by arm: the toy trials' arm means against the published changes.

    Left, :data:`~models.study_design.trials.ESCITALOPRAM_TRIAL` against Carhart-Harris et
    al. (2021); right, :data:`~models.study_design.trials.GOODWIN_25MG_TRIAL` and
    ``GOODWIN_10MG_TRIAL`` against Goodwin et al. (2022) (the 1 mg arm from the first).
    """
    esc = simulate_trial(params=ESCITALOPRAM_TRIAL, n_sims=n_sims, rng=rng)
    g25 = simulate_trial(params=GOODWIN_25MG_TRIAL, n_sims=n_sims, rng=rng)
    g10 = simulate_trial(params=GOODWIN_10MG_TRIAL, n_sims=n_sims, rng=rng)
    fig = new_figure(8.0, 3.4)
    with style_context():
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2, 3]})
        plot_arms_against_data(
            {"psilocybin": esc.drug_arm_mean_points, "escitalopram": esc.control_arm_mean_points},
            CARHART_HARRIS_2021,
            left,
        )
        plot_arms_against_data(
            {
                "25 mg": g25.drug_arm_mean_points,
                "10 mg": g10.drug_arm_mean_points,
                "1 mg": g25.control_arm_mean_points,
            },
            GOODWIN_2022,
            right,
        )
        right.set_ylabel("")
        toy = Line2D(
            [], [], color=COLORS["highlight"], lw=6, label=f"toy: 95 % of {n_sims:,} trials"
        )
        right.legend(
            handles=[toy, data_handle("published change (sign turned)")],
            loc="upper right",
            fontsize=8,
        )
    return fig
