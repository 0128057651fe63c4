"""Figures and explorers for reading headlines (the introduction and the headlines chapter).

Both explorers are toys built on :func:`models.study_design.trials.simulate_trial`: they
simulate many copies of one two-group study and show how far single studies land from the truth.

- :func:`explore_headline_vs_data`: many small studies of the same true effect (in SD units).
  Small studies scatter widely, and the ones that happen to reach ``p < 0.05`` overestimate
  the effect: the number most likely to make a headline is the least trustworthy.
- :func:`explore_equivalence`: two-arm trials on a symptom scale with the spread of
  Carhart-Harris et al. (2021), read against an *equivalence margin*. "Not significantly
  different" is not "as effective as"; showing equivalence needs a margin fixed in advance and
  far more patients. The margin here (2 points) is illustrative, not taken from any trial.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import StepPatch

from models._params import bounds_of, check_in_range
from models.study_design.trials import (
    EQUIVALENCE_MARGIN_POINTS,
    ESCITALOPRAM_TRIAL,
    MARGIN_BOUNDS,
    TrialParams,
    TrialResult,
    classify_trials,
    interval_classes,
    simulate_trial,
    toy_study,
)

from .core import Control, Explorer, IntControl, axes_or_new
from .style import COLORS, PALETTE, label_axes

__all__ = [
    "explore_equivalence",
    "explore_headline_vs_data",
    "plot_equivalence_outcomes",
    "plot_equivalence_trials",
    "plot_estimate_distribution",
    "plot_study_estimates",
]

#: Simulated trials shown one by one in the left-hand panels.
N_SHOWN = 20

_SIG = COLORS["psilocybin"]  # vermillion: "significant", the result a headline picks
_NONSIG = COLORS["baseline"]  # grey
_EQUIV = PALETTE["green"]
_BOTH = PALETTE["purple"]
_TRUTH = PALETTE["black"]

#: Both explorers draw two panels side by side, at this size (inches).
_FIGSIZE = (8.0, 3.6)
_SD_LIM = (-2.5, 3.5)  # x range of the headline explorer, SD units
_SD_BINS = np.linspace(*_SD_LIM, 61)
_POINTS_LIM = (-7.0, 11.0)  # x range of the equivalence explorer, points


#: The values each slider offers (the frames the static book precomputes).
_N_PER_GROUP_STEPS = (3, 5, 10, 20, 50, 100)
_EFFECT_SD_STEPS = (0.0, 0.2, 0.5, 0.8)
_N_PER_ARM_STEPS = (15, 30, 60, 120, 250, 500)
_TRUE_DIFFERENCE_STEPS = (0.0, 1.0, 2.0, 3.0, 4.0)


def _legible(ax: Axes) -> Axes:
    """Slightly larger text than the book default: two panels are shown at column width."""
    ax.tick_params(labelsize=10)
    ax.xaxis.label.set_size(10.5)
    ax.yaxis.label.set_size(10.5)
    ax.title.set_size(11.5)
    return ax


def _simulated_trials(
    trial: Callable[..., TrialParams], *, n_sims: int, rng: int
) -> Callable[..., TrialResult]:
    """The model call of an explorer: ``n_sims`` trials (fixed seed ``rng``) simulated with
    :func:`simulate_trial` for ``trial(**values)``, the parameters at the sliders' values
    (``trial`` takes the sliders' names as keywords, as :func:`toy_study` does)."""

    def compute(**values: float) -> TrialResult:
        return simulate_trial(params=trial(**values), n_sims=n_sims, rng=rng)

    return compute


def _forest(ax: Axes, result: TrialResult, colors: list[str], n_show: int) -> None:
    """One row per simulated study: its estimate (dot) and 95 % interval (line).

    Built from one LineCollection and one Line2D per colour, without autoscaling (the caller
    fixes the limits): legends, scatter and autoscaled patches would cost most of a live
    slider's 100 ms budget.
    """
    k = min(n_show, result.effect_points.size)
    rows = np.arange(1, k + 1)
    lo, hi, est = (
        a[:k] for a in (result.ci_low_points, result.ci_high_points, result.effect_points)
    )
    segments = np.stack([np.column_stack([lo, rows]), np.column_stack([hi, rows])], axis=1)
    ax.add_collection(LineCollection(segments, colors=colors[:k], linewidths=1.6), autolim=False)
    shown = np.asarray(colors[:k])
    for color in dict.fromkeys(colors[:k]):
        pick = shown == color
        ax.plot(est[pick], rows[pick], "o", color=color, ms=4.5, zorder=3)
    ax.set_ylim(0, k + 1)
    ax.set_yticks([1, k // 2, k])


# --------------------------------------------------------------------------------------------
# 1. one small study, many possible headlines
# --------------------------------------------------------------------------------------------


def plot_study_estimates(
    result: TrialResult,
    ax: Axes | None = None,
    *,
    n_show: int = N_SHOWN,
    xlim: tuple[float, float] = _SD_LIM,
) -> Axes:
    """Forest plot of the first ``n_show`` simulated studies of :func:`simulate_trial`.

    Each row is one study: its estimated effect (treated minus control) with its 95 %
    confidence interval; studies with ``p < 0.05`` are vermillion, the others grey. The solid
    black line is the true effect, the thin grey line zero.

    Parameters
    ----------
    result
        Simulated studies in SD units (``params.sd_points == 1``).
    n_show
        How many studies to draw.
    xlim
        Fixed x range (SD units), so that explorer frames are comparable.
    """
    ax = axes_or_new(ax)
    sig = result.p_value < result.alpha
    colors = [_SIG if s else _NONSIG for s in sig]
    ax.axvline(0.0, color=COLORS["baseline"], lw=0.8)
    ax.axvline(result.params.drug_effect_points, color=_TRUTH, lw=1.4, label="true effect")
    _forest(ax, result, colors, n_show)
    ax.set_xlim(*xlim)
    return _legible(
        label_axes(
            ax,
            x="estimated effect (SD units)",
            y="simulated study (number)",
            title=f"{min(n_show, sig.size)} of the simulated studies",
        )
    )


def plot_estimate_distribution(
    result: TrialResult,
    ax: Axes | None = None,
    *,
    bins: np.ndarray = _SD_BINS,
    ylim: tuple[float, float] = (0.0, 35.0),
) -> Axes:
    """Histogram of every simulated study's estimate; the significant ones highlighted.

    The annotation gives the share of studies with ``p < 0.05`` (the power, or the false
    positive rate when the true effect is 0) and the average size of the significant
    estimates: the numbers a headline would report.

    Parameters
    ----------
    result
        Simulated studies in SD units.
    bins
        Fixed bin edges (SD units).
    ylim
        Fixed y range, percent of studies per bin.
    """
    ax = axes_or_new(ax)
    est = result.effect_points
    sig = result.p_value < result.alpha
    scale = 100.0 / est.size
    all_counts, _ = np.histogram(est, bins=bins)
    sig_counts, _ = np.histogram(est[sig], bins=bins)
    # StepPatch added directly: the limits are fixed, so no costly patch autoscaling.
    ax.add_artist(StepPatch(all_counts * scale, bins, fill=True, color="#D9D9D9"))
    ax.add_artist(StepPatch(sig_counts * scale, bins, fill=True, color=_SIG, alpha=0.85))
    truth = result.params.drug_effect_points
    ax.axvline(truth, color=_TRUTH, lw=1.4)
    width = bins[1] - bins[0]
    if sig.any():
        typical = float(np.mean(np.abs(est[sig])))
        text = (
            f"vermillion, p < 0.05: {100 * sig.mean():.0f} % of studies\n"
            f"their average size: {typical:.2f} SD\n"
        )
    else:
        text = "vermillion, p < 0.05: 0 % of studies\n"
    text += f"grey: all {est.size} studies\nblack line: true effect, {truth:g} SD"
    ax.text(
        0.02,
        0.97,
        text,
        transform=ax.transAxes,
        va="top",
        ha="left",
        fontsize=9,
        color="#222222",
        linespacing=1.3,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2.0},
    )
    ax.set_xlim(bins[0], bins[-1])
    ax.set_ylim(*ylim)
    return _legible(
        label_axes(
            ax,
            x="estimated effect (SD units)",
            y=f"studies (% per {width:.1f} SD bin)",
            title=f"{est.size} simulated studies",
        )
    )


def explore_headline_vs_data(*, n_sims: int = 1000, rng: int = 0) -> Explorer:
    """Explorer (toy): how one small two-group study's estimate scatters around the truth.

    Sliders: animals or people per group, and the true effect (SD units). Each frame
    simulates ``n_sims`` studies with :func:`models.study_design.trials.simulate_trial`
    (fixed seed).

    Parameters
    ----------
    n_sims
        Simulated studies per frame.
    rng
        Seed, fixed so that every frame is reproducible.
    """
    n_ctrl = IntControl(
        "n_per_group",
        "Sample size per group",
        _N_PER_GROUP_STEPS,
        10,
        unit="per group",
        bounds=bounds_of(TrialParams, "n_per_arm"),
    )
    effect = Control(
        "effect_sd",
        "True effect",
        _EFFECT_SD_STEPS,
        0.5,
        unit="SD",
        bounds=bounds_of(TrialParams, "drug_effect_points"),
    )

    return Explorer(
        compute=_simulated_trials(toy_study, n_sims=n_sims, rng=rng),
        draw=(plot_study_estimates, plot_estimate_distribution),
        controls=(n_ctrl, effect),
        figsize=_FIGSIZE,
        title="Toy: how far one small study lands from the truth",
        alt=(
            "Toy simulation with {n_per_group} and a true effect of {effect_sd}. Left: "
            f"{N_SHOWN} simulated studies, each an estimate with a 95 % confidence interval, "
            "significant ones highlighted. Right: histogram of the estimates of all "
            "simulated studies, significant ones highlighted, with the share of significant "
            "studies and their average estimated size."
        ),
        caption=(
            "A toy simulation, not data: many copies of the same two-group study. With "
            "few animals or people per group the estimates scatter widely, and the "
            "studies that reach p < 0.05 (vermillion) overestimate the true effect (black "
            "line). Raise the sample size: the scatter shrinks and significant estimates "
            "move towards the truth. Set the true effect to 0: about 1 study in 20 is "
            "still 'significant'."
        ),
    )


# --------------------------------------------------------------------------------------------
# 2. "as effective as": equivalence needs a margin and many patients
# --------------------------------------------------------------------------------------------

_CLASS_COLORS = {
    "equivalence shown": _EQUIV,
    "difference, inside margin": _BOTH,
    "difference shown": _SIG,
    "inconclusive": _NONSIG,
}


def plot_equivalence_trials(
    result: TrialResult,
    ax: Axes | None = None,
    *,
    margin_points: float = EQUIVALENCE_MARGIN_POINTS,
    n_show: int = N_SHOWN,
    xlim: tuple[float, float] = _POINTS_LIM,
) -> Axes:
    """Forest plot of simulated trials against the equivalence margin (shaded band).

    Each row is one trial: the estimated difference (drug arm minus comparator, points;
    positive favours the drug) and its 95 % interval, coloured by its class (see
    :func:`classify_trials`).

    Parameters
    ----------
    result
        Trials from :func:`models.study_design.trials.simulate_trial`.
    margin_points
        Equivalence margin, points.
    n_show
        How many trials to draw.
    xlim
        Fixed x range, points.
    """
    ax = axes_or_new(ax)
    inside, excl = interval_classes(result, margin_points)
    colors = [
        (_BOTH if e else _EQUIV) if i else (_SIG if e else _NONSIG)
        for i, e in zip(inside, excl, strict=True)
    ]
    ax.axvspan(-margin_points, margin_points, color=_EQUIV, alpha=0.15, lw=0)
    ax.axvline(0.0, color=COLORS["baseline"], lw=0.8)
    truth = result.params.drug_effect_points
    ax.axvline(truth, color=_TRUTH, lw=1.4)
    _forest(ax, result, colors, n_show)
    k = min(n_show, result.effect_points.size)
    ax.set_ylim(0, k + 3.5)  # headroom for the labels
    ax.text(
        truth + 0.2, k + 2.2, "true difference", ha="left", va="center", fontsize=8.5, color=_TRUTH
    )
    ax.set_xlim(*xlim)
    return _legible(
        label_axes(
            ax,
            x="difference in improvement (points)",
            y="simulated trial (number)",
            title=f"{k} trials; band: margin \u00b1{margin_points:g} points",
        )
    )


def plot_equivalence_outcomes(
    result: TrialResult, ax: Axes | None = None, *, margin_points: float = EQUIVALENCE_MARGIN_POINTS
) -> Axes:
    """Bar chart: percent of all simulated trials in each class of :func:`classify_trials`.

    Parameters as in :func:`plot_equivalence_trials`.
    """
    ax = axes_or_new(ax)
    shares = classify_trials(result, margin_points).as_dict()
    names = list(shares)[::-1]
    values = [100.0 * shares[k] for k in names]
    rows = np.arange(len(names))
    ax.barh(rows, values, color=[_CLASS_COLORS[k] for k in names], height=0.6)
    for r, v in zip(rows, values, strict=True):
        if v > 85.0:  # inside the bar
            ax.text(v - 2.0, r, f"{v:.0f} %", va="center", ha="right", fontsize=9, color="white")
        else:
            ax.text(v + 2.0, r, f"{v:.0f} %", va="center", fontsize=9, color="#222222")
    ax.set_yticks(rows, [name.replace(", ", ",\n") for name in names])
    ax.set_xlim(0.0, 100.0)
    ax.set_ylim(-0.6, len(names) - 0.4)
    return _legible(
        label_axes(
            ax, x="simulated trials (%)", y="", title=f"all {result.effect_points.size} trials"
        )
    )


def explore_equivalence(
    *, margin_points: float = EQUIVALENCE_MARGIN_POINTS, n_sims: int = 300, rng: int = 0
) -> Explorer:
    """Explorer (toy): trials of two treatments read against an equivalence margin.

    Sliders: patients per arm and the true difference between the treatments (points on a
    QIDS-SR-16-like scale, SD 5.7 as in :data:`models.study_design.trials.ESCITALOPRAM_TRIAL`).
    Each frame
    simulates ``n_sims`` trials with :func:`models.study_design.trials.simulate_trial` (fixed seed).

    Parameters
    ----------
    margin_points
        Equivalence margin, points (illustrative default; not from any trial).
    n_sims
        Simulated trials per frame.
    rng
        Seed, fixed so that every frame is reproducible.
    """
    check_in_range("margin_points", margin_points, MARGIN_BOUNDS)
    n_ctrl = IntControl(
        "n_per_arm",
        "Patients per arm",
        _N_PER_ARM_STEPS,
        30,
        unit="per arm",
        bounds=bounds_of(TrialParams, "n_per_arm"),
    )
    diff = Control(
        "true_difference",
        "True difference",
        _TRUE_DIFFERENCE_STEPS,
        0.0,
        unit="points",
        bounds=bounds_of(TrialParams, "drug_effect_points"),
    )
    base = replace(ESCITALOPRAM_TRIAL, n_control_arm=None)

    def trial(n_per_arm: int, true_difference: float) -> TrialParams:
        return replace(base, n_per_arm=n_per_arm, drug_effect_points=true_difference)

    return Explorer(
        compute=_simulated_trials(trial, n_sims=n_sims, rng=rng),
        draw=(
            partial(plot_equivalence_trials, margin_points=margin_points),
            partial(plot_equivalence_outcomes, margin_points=margin_points),
        ),
        controls=(n_ctrl, diff),
        figsize=_FIGSIZE,
        title="Toy: can a trial show that two treatments are equally effective?",
        alt=(
            "Toy simulation of trials with {n_per_arm} and a true difference of "
            f"{{true_difference}}. Left: {N_SHOWN} simulated trials, each a difference with "
            "a 95 % confidence interval, against a shaded equivalence margin of plus or minus "
            f"{margin_points:g} points. Right: bars with the percent of all simulated trials "
            "that show equivalence, a difference inside the margin, a difference, or nothing."
        ),
        caption=(
            "A toy simulation, not data: two-arm trials on a depression scale with the "
            "spread of the psilocybin-escitalopram trial. Equivalence is shown only when "
            f"a trial's whole 95 % interval lies inside the shaded margin (\u00b1"
            f"{margin_points:g} points, an illustrative choice). At about {n_ctrl.default} "
            "per arm almost "
            "every trial is inconclusive even when the treatments are truly equal; "
            "raise the sample size to see how many patients equivalence needs."
        ),
    )
