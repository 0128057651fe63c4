"""Figures and explorers for the statistics toolkit page (:mod:`models.statistics`).

- :func:`explore_two_groups`: one simulated two-group experiment: dots, means, standard
  deviation and standard error; Cohen's d, t, p and a 95 % confidence interval; the p-value
  as the tail area of the t distribution under the null hypothesis.
- :func:`explore_standard_error`: sample means pile up ever closer to the true mean as the
  sample grows (standard error = SD / sqrt(n)).
- :func:`explore_confidence_intervals`: forty 95 % intervals; about one in twenty misses.
- :func:`explore_power`: the t statistic without and with a true effect; power is the share
  of the second beyond the critical values.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from models._params import Bounds
from models.statistics import (
    EFFECT_BOUNDS,
    N_RANGE,
    CIResult,
    PowerPicture,
    SamplingResult,
    TwoGroupResult,
    confidence_intervals,
    power_picture,
    sampling_of_means,
    two_group_experiment,
)

from .core import Control, Explorer, IntControl, axes_or_new
from .style import COLORS, label_axes

__all__ = [
    "explore_confidence_intervals",
    "explore_power",
    "explore_standard_error",
    "explore_two_groups",
    "plot_intervals",
    "plot_power",
    "plot_sampling",
    "plot_t_null",
    "plot_two_groups",
]

_N = Bounds(*N_RANGE)
_EFFECT_STEPS = (0.0, 0.5, 1.0, 1.5)
_GROUP_N_STEPS = (4, 8, 16, 32, 64)
_SE_N_STEPS = (2, 4, 10, 25, 100)
_CI_N_STEPS = (3, 5, 10, 30, 100)
_POWER_EFFECT_STEPS = (0.0, 0.5, 1.0, 1.5, 2.0)
_POWER_N_STEPS = (3, 6, 12, 24)
#: Samples drawn per frame of the standard-error explorer.
_SE_SAMPLES = 2000
_CONTROL, _TREATED = COLORS["saline"], COLORS["psilocybin"]
_BOX = {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "#BBBBBB"}


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _note(ax: Axes, text: str, *, right: bool = False) -> None:
    """The boxed note in a top corner of a panel (left unless ``right``)."""
    ax.text(
        0.98 if right else 0.02,
        0.98,
        text,
        transform=ax.transAxes,
        ha="right" if right else "left",
        va="top",
        fontsize=8.5,
        bbox=_BOX,
    )


def _effect_control(name: str, label: str, steps: tuple[float, ...], default: float) -> Control:
    """A slider for an effect size in SD units (Cohen's d)."""
    return Control(name, label, steps, default, unit="SD", bounds=EFFECT_BOUNDS)


def _per_group_control(steps: tuple[int, ...], default: int) -> IntControl:
    """A slider for the group size of a two-group experiment."""
    return IntControl("n_per_group", "Per group", steps, default, bounds=_N)


def _shade_tails(ax: Axes, x: np.ndarray, pdf: np.ndarray, t: float, **style) -> None:
    """Fill the area under ``pdf`` beyond -t and beyond +t (two fills, as two tails)."""
    beyond = np.abs(x) >= t
    ax.fill_between(x, 0, pdf, where=beyond & (x > 0), **style)
    ax.fill_between(x, 0, pdf, where=beyond & (x < 0), **style)


# ------------------------------------------------------------------------------ two groups


def plot_two_groups(result: TwoGroupResult, ax: Axes | None = None) -> Axes:
    """Dots per group; mean (bar), ±1 SD (wide pale band), ±1 SE (black error bar)."""
    ax = axes_or_new(ax)
    groups = ((0, result.control, result.sd_control, result.se_control, _CONTROL),
              (1, result.treated, result.sd_treated, result.se_treated, _TREATED))  # fmt: skip
    for x, values, sd, se, colour in groups:
        jitter = np.linspace(-0.18, 0.18, values.size)
        mean = values.mean()
        ax.fill_between([x + 0.25, x + 0.37], mean - sd, mean + sd, color=colour, alpha=0.3, lw=0)
        ax.plot(x + jitter, values, "o", ms=3.5, color=colour, alpha=0.75)
        ax.hlines(mean, x - 0.3, x + 0.3, color="#222222", lw=2.2)
        ax.vlines(x + 0.31, mean - se, mean + se, color="#222222", lw=2.2)
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["control", "treated"])
    ax.set_xlim(-0.5, 1.6)
    ax.set_ylim(-4.0, 9.0)
    ax.set_title("bar: mean; band: ±1 SD\nblack: ±1 SE", fontsize=9)
    _note(
        ax,
        f"difference {result.diff:+.2f}\n"
        f"95 % CI {result.ci_low:+.2f} to {result.ci_high:+.2f}\n"
        f"d = {result.cohens_d:.2f}, {_p_text(result.p)}",
    )
    return label_axes(ax, x="group", y="measurement (SD units)")


def plot_t_null(result: TwoGroupResult, ax: Axes | None = None) -> Axes:
    """The t distribution if there were no effect; the p-value is the area beyond ±|t|."""
    ax = axes_or_new(ax)
    x, pdf = result.null_t, result.null_pdf
    t = abs(result.t)
    ax.plot(x, pdf, color=COLORS["baseline"])
    _shade_tails(ax, x, pdf, t, color=_TREATED, alpha=0.6, lw=0)
    ax.vlines([-t, t], 0, 0.42, color="#222222", lw=1.2, linestyles="--")
    ax.set_xlim(-6, 6)
    ax.set_ylim(0, 0.5)
    ax.set_title("if the null hypothesis were true", fontsize=9)
    _note(ax, f"t = ±{t:.2f}, df = {result.df}\nshaded: {_p_text(result.p)}")
    return label_axes(ax, x="t statistic", y="probability density")


def explore_two_groups() -> Explorer:
    """Explorer: one simulated experiment summarized with every tool of the toolkit page."""
    return Explorer(
        compute=partial(two_group_experiment, rng=3),
        draw=(plot_two_groups, plot_t_null),
        controls=(
            _effect_control("true_effect", "True effect", _EFFECT_STEPS, 0.5),
            _per_group_control(_GROUP_N_STEPS, 8),
        ),
        figsize=(8.6, 3.6),
        title="One experiment, summarized",
        alt=(
            "First panel: dots for {n_per_group} control and {n_per_group} treated measurements "
            "(true effect {true_effect}) with means, standard deviations and standard errors, "
            "and the difference with its confidence interval, Cohen's d and p. Second panel: the t "
            "distribution under the null hypothesis with the observed t marked and the "
            "p-value shaded."
        ),
        caption=(
            "Toy simulation: one experiment with normal data in SD units. First panel: each "
            "dot is one measurement. Second panel: how t would vary if there were no effect; "
            "the shaded tails are the p-value. A larger true effect moves the treated dots "
            "up; more per group shrinks the standard errors and the confidence interval."
        ),
    )


# --------------------------------------------------------------------------- standard error


def plot_sampling(result: SamplingResult, ax: Axes | None = None) -> Axes:
    """Histogram of sample means (density) over the population's own curve."""
    ax = axes_or_new(ax)
    x = np.linspace(-3.0, 3.0, 301)
    population = np.exp(-0.5 * (x / result.sd) ** 2) / (result.sd * np.sqrt(2 * np.pi))
    ax.plot(x, population, color=COLORS["baseline"], ls="--")
    ax.hist(result.means, bins=np.linspace(-3, 3, 61), density=True, color=_CONTROL, alpha=0.8)
    ax.annotate(
        "", (result.predicted_se, 0.2), (-result.predicted_se, 0.2),
        arrowprops={"arrowstyle": "<->", "color": "#222222", "lw": 1.4},
    )  # fmt: skip
    ax.set_xlim(-3, 3)
    ax.set_ylim(0, 4.2)
    ax.set_title(f"dashed: single values (SD {result.sd:g})\nbars: means of samples", fontsize=9)
    _note(
        ax,
        f"sample size n = {result.n}\nSE = SD / √n = {result.predicted_se:.2f}\n"
        f"spread of {result.means.size} means: {result.observed_se:.2f}",
    )
    return label_axes(ax, x="value (SD units)", y="probability density")


def _explore_sample_size(
    compute: Callable[..., Any],
    draw: Callable[..., Axes],
    steps: tuple[int, ...],
    default: int,
    **text: str,
) -> Explorer:
    """Explorer with one sample-size slider ``n`` over a sampling model with a fixed seed."""
    n = IntControl("n", "Sample size", steps, default, bounds=_N)
    return Explorer(compute=compute, draw=(draw,), controls=(n,), **text)


def explore_standard_error() -> Explorer:
    """Explorer: the spread of sample means (the standard error) against sample size."""
    return _explore_sample_size(
        partial(sampling_of_means, n_samples=_SE_SAMPLES, rng=0),
        plot_sampling,
        _SE_N_STEPS,
        4,
        title="Standard error",
        alt=(
            f"Histogram of {_SE_SAMPLES} sample means, each from a sample of {{n}} values, "
            "narrower than the dashed curve of single values; an arrow marks plus and minus "
            "one standard error."
        ),
        caption=(
            f"Toy simulation: {_SE_SAMPLES} samples drawn from the same population (dashed "
            "curve, standard deviation 1); the bars show where their means fall. Larger "
            "samples give means that cluster more tightly: the standard error SD / √n."
        ),
    )


# --------------------------------------------------------------------- confidence intervals


def plot_intervals(result: CIResult, ax: Axes | None = None) -> Axes:
    """One horizontal 95 % interval per sample; misses in the highlight colour."""
    ax = axes_or_new(ax)
    y = np.arange(result.mean.size)
    for covers, colour in ((True, _CONTROL), (False, _TREATED)):
        sel = result.covers == covers
        ax.hlines(y[sel], result.low[sel], result.high[sel], color=colour, lw=2)
        ax.plot(result.mean[sel], y[sel], "o", ms=3, color=colour)
    ax.axvline(result.true_mean, color="#222222", lw=1.2)
    ax.set_xlim(-3, 3)
    ax.set_ylim(-1, result.mean.size)
    ax.set_title("line: true mean; blue: contains it\nred: misses it", fontsize=9)
    misses = int((~result.covers).sum())
    _note(
        ax,
        f"n = {result.n} per sample\n{misses} of {result.mean.size} miss\n(long run: 5 %)",
    )
    return label_axes(ax, x="value (SD units)", y="sample")


def explore_confidence_intervals() -> Explorer:
    """Explorer: forty 95 % confidence intervals for one true mean, against sample size."""
    return _explore_sample_size(
        partial(confidence_intervals, n_intervals=40, rng=2),
        plot_intervals,
        _CI_N_STEPS,
        10,
        title="Confidence intervals",
        alt=(
            "Forty horizontal 95 % confidence intervals, each from a sample of {n} values, "
            "around a vertical line at the true mean; the few that miss it are highlighted."
        ),
        caption=(
            "Toy simulation: forty samples from the same population, each with its 95 % "
            "confidence interval. Larger samples give narrower intervals, but about one in "
            "twenty still misses the true mean."
        ),
    )


# ----------------------------------------------------------------------------------- power


def plot_power(result: PowerPicture, ax: Axes | None = None) -> Axes:
    """Null and alternative t distributions; the alternative's area beyond ±t_crit is power."""
    ax = axes_or_new(ax)
    x, t = result.x, result.t_crit
    ax.plot(x, result.null_pdf, color=COLORS["baseline"], ls="--")
    ax.plot(x, result.alt_pdf, color=_TREATED)
    _shade_tails(ax, x, result.alt_pdf, t, color=_TREATED, alpha=0.35)
    ax.vlines([-t, t], 0, 0.45, color="#222222", lw=1.2, linestyles=":")
    ax.set_xlim(-5, 10)
    ax.set_ylim(0, 0.5)
    ax.set_title("dashed: no effect\nsolid: the true effect", fontsize=9)
    _note(
        ax,
        f"d = {result.effect_size:g}, n = {result.n_per_group}\n"
        f"critical t = ±{t:.2f}\n"
        f"power = {100 * result.power:.0f} %",
        right=True,
    )
    return label_axes(ax, x="t statistic of one experiment", y="probability density")


def explore_power() -> Explorer:
    """Explorer: power as the overlap of two t distributions, for effect size and group size."""
    return Explorer(
        compute=power_picture,
        draw=(plot_power,),
        controls=(
            _effect_control("effect_size", "Effect size d", _POWER_EFFECT_STEPS, 1.0),
            _per_group_control(_POWER_N_STEPS, 6),
        ),
        title="Power",
        alt=(
            "Two curves of the t statistic: dashed if there is no effect, solid for a true "
            "effect of {effect_size} with {n_per_group} per group; the solid curve's area "
            "beyond the dotted critical values is shaded and labelled as the power."
        ),
        caption=(
            "Exact distributions, no simulation: where the t statistic of one experiment "
            "falls without an effect (dashed) and with one (solid). The experiment reports "
            "p < 0.05 when t falls beyond the dotted lines; the shaded share of the solid "
            "curve is the power. A larger effect or more per group pushes the solid curve "
            "right."
        ),
    )
