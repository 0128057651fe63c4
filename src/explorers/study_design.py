"""Figures and explorers for study design in animal experiments (chapter 09).

Three explorers, each drawing a lesson of :mod:`models.study_design`, each a *toy simulation*:

- :func:`explore_power_curve`: power of a two-group experiment against group size, by
  simulation and from the t-test formula, for a chosen effect size and significance level.
- :func:`explore_pseudoreplication`: false positives when dendrites, not mice, are counted as
  the sample (no true effect), for a chosen intraclass correlation and dendrites per mouse.
- :func:`explore_multiple_testing`: one simulated gene panel read without correction, with
  Bonferroni and with Benjamini-Hochberg.

The trial explorer of chapter 10 is in :mod:`explorers.trials`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.axes import Axes

from models._params import Bounds
from models.study_design._common import (
    ALPHA_BOUNDS,
    EFFECT_SIZE_BOUNDS,
    ICC_BOUNDS,
    SHAO_MICE_PER_GROUP,
)
from models.study_design.clustering import (
    DENDRITES_RANGE,
    CalibratedNull,
    PseudoReplicationDemo,
    calibrated_null_rates,
    pseudoreplication_demo,
)
from models.study_design.multiple_testing import (
    N_GENES_RANGE,
    MultipleTestingResult,
    multiple_testing,
)
from models.study_design.power import (
    BUTTON_MEDIAN_POWER,
    POWER_SIZES,
    PowerComparison,
    power_comparison,
)

from .core import Control, Explorer, IntControl, axes_or_new
from .style import COLORS, PALETTE, label_axes

__all__ = [
    "explore_multiple_testing",
    "explore_power_curve",
    "explore_pseudoreplication",
    "plot_clustered_example",
    "plot_false_positive_rates",
    "plot_power_curve",
    "plot_pvalue_ranks",
]


# --------------------------------------------------------------------------------- power


#: The values each slider offers (the frames the static book precomputes).
_EFFECT_SIZE_STEPS = (0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0)
_ALPHA_STEPS = (0.001, 0.01, 0.05)
_ICC_STEPS = (0.0, 0.1, 0.3, 0.5, 0.7)
_DENDRITES_PER_MOUSE_STEPS = (1, 2, 5, 13, 20, 30)
_N_GENES_STEPS = (46, 92, 184, 368)
#: Dendrites per calibrated null simulation (its limit; sets how many experiments it runs).
_CALIBRATED_DENDRITES = 100_000
_N_TRUE_EFFECTS_STEPS = (0, 2, 5, 10, 20)


def plot_power_curve(
    result: PowerComparison, ax: Axes | None = None, *, mark_n: int | None = SHAO_MICE_PER_GROUP
) -> Axes:
    """Power (%) against animals per group: simulated points with error bars, exact line.

    Parameters
    ----------
    result
        From :func:`power_comparison`.
    mark_n
        Group size to mark with a vertical line (default: 6 mice per group, as in
        Shao et al. 2021); None for no mark.
    """
    ax = axes_or_new(ax)
    sim = result.simulated
    ax.plot(result.n_grid, 100 * result.analytic, color=COLORS["saline"])
    ax.vlines(
        sim.n_per_group,
        100 * (sim.power - 2 * sim.mc_se),
        100 * (sim.power + 2 * sim.mc_se),
        color=COLORS["psilocybin"],
        lw=1.2,
    )
    ax.plot(sim.n_per_group, 100 * sim.power, "o", color=COLORS["psilocybin"], ms=4)
    ax.axhline(80, color=COLORS["baseline"], lw=1.0, ls="--")
    ax.text(2.05, 81.5, "80 % (common target)", fontsize=8, color="#333333")
    ax.axhline(100 * BUTTON_MEDIAN_POWER, color=PALETTE["purple"], lw=1.0, ls=":")
    ax.text(
        2.05,
        100 * BUTTON_MEDIAN_POWER + 1.5,
        f"{100 * BUTTON_MEDIAN_POWER:.0f} % (median in neuroscience)",
        fontsize=8,
        color="#333333",
    )
    if mark_n is not None:
        ax.axvline(mark_n, color=COLORS["highlight"], lw=1.2)
        p = float(np.interp(mark_n, result.n_grid, result.analytic))
        ax.annotate(
            f"{mark_n} per group: {100 * p:.0f} %",
            (mark_n, 100 * p),
            textcoords="offset points",
            xytext=(6, -14),
            fontsize=9,
            color="#222222",
        )
    ax.set_xscale("log")
    ax.set_xlim(1.8, 72)
    ax.set_xticks(list(POWER_SIZES))
    ax.set_xticklabels([str(n) for n in POWER_SIZES])
    ax.minorticks_off()
    ax.set_ylim(0, 105)
    # Changing numbers go in one text artist, not the title (part of the cached background)
    # or a legend (slow to redraw on every frame).
    ax.set_title("power of a two-group t-test; line: exact, dots: simulated", fontsize=10)
    ax.text(
        0.02,
        0.98,
        f"effect size d = {sim.effect_size:g} SD, alpha = {sim.alpha:g}\n"
        f"dots: {sim.n_sims} simulated experiments each (±2 SE)",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8.5,
    )
    return label_axes(ax, x="animals per group (log scale)", y="power (% of experiments)")


def explore_power_curve(*, n_sims: int = 200) -> Explorer:
    """Explorer: power against group size for a chosen effect size and significance level.

    Parameters
    ----------
    n_sims
        Simulated experiments per group size (small for speed; the exact line is the check).
    """
    effect = Control(
        "effect_size",
        "Effect size d",
        _EFFECT_SIZE_STEPS,
        1.25,
        unit="SD",
        bounds=EFFECT_SIZE_BOUNDS,
    )
    alpha = Control("alpha", "Significance level", _ALPHA_STEPS, 0.05, bounds=ALPHA_BOUNDS)

    return Explorer(
        compute=partial(power_comparison, n_sims=n_sims, rng=0),
        draw=(plot_power_curve,),
        controls=(effect, alpha),
        title="Power against group size",
        alt=(
            "Line plot of statistical power against animals per group for an effect size of "
            "{effect_size} at significance level {alpha}; simulated points lie on the exact "
            "curve."
        ),
        caption=(
            "Power of a two-group experiment (two-sided t-test) against animals per "
            "group, log scale. Points: toy simulations; line: the exact formula; vertical "
            f"line: {SHAO_MICE_PER_GROUP} mice per group. A larger effect size moves the "
            "curve left; a stricter "
            "significance level moves it right."
        ),
    )


# ---------------------------------------------------------------------- pseudo-replication


def plot_clustered_example(
    result: PseudoReplicationDemo,
    ax: Axes | None = None,
    *,
    ylim: tuple[float, float] = (-4.0, 4.0),
) -> Axes:
    """Dots: every dendrite of one null experiment, grouped by mouse; bars: mouse means."""
    ax = axes_or_new(ax)
    data = result.example
    n_groups, n_mice, m = data.shape
    jitter = np.linspace(-0.28, 0.28, m) if m > 1 else np.zeros(1)
    names = ("group A", "group B")
    colors = (COLORS["saline"], COLORS["psilocybin"])
    for g in range(n_groups):
        centre = g * (n_mice + 1) + np.arange(n_mice)
        x = (centre[:, None] + jitter[None, :]).ravel()
        ax.plot(x, data[g].ravel(), "o", ms=3, alpha=0.6, color=colors[g])
        ax.hlines(data[g].mean(axis=-1), centre - 0.35, centre + 0.35, color="#222222", lw=2)
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xticks([(n_mice - 1) / 2, n_mice + 1 + (n_mice - 1) / 2])
    ax.set_xticklabels([f"{names[0]}\n({n_mice} mice)", f"{names[1]}\n({n_mice} mice)"])
    for tick, color in zip(ax.get_xticklabels(), colors, strict=True):
        tick.set_color(color)
    ax.set_xlim(-1, 2 * n_mice + 1)
    ax.set_ylim(*ylim)
    # No legend (redrawn on every frame, so slow): the title explains dots and bars.
    ax.set_title("no true effect; dots: dendrites, bars: mouse means", fontsize=10)
    return label_axes(ax, x="mouse (dendrites jittered)", y="measurement (SD units)")


def plot_false_positive_rates(
    result: PseudoReplicationDemo,
    ax: Axes | None = None,
    *,
    ymax: float = 80.0,
    reference: CalibratedNull | None = None,
) -> Axes:
    """Bars: false positive rate (%) of the per-dendrite and the per-mouse analysis.

    ``reference``, when given, marks (black crosses) the rates of the same two analyses on
    the spine imaging simulation calibrated to Shao et al. (2021)
    (:func:`models.study_design.clustering.calibrated_null_rates`).
    """
    ax = axes_or_new(ax)
    rates = (result.by_dendrite, result.by_mouse)
    labels = ("dendrites as n\n(pseudo-replication)", "mice as n\n(mouse means)")
    colors = (COLORS["psilocybin"], COLORS["saline"])
    if reference is not None:
        refs = (reference.by_dendrite, reference.by_mouse)
        for x, r in enumerate(refs):
            ax.plot([x + 0.32], [100 * r.rate], "x", color="#000000", ms=8, mew=2)
        ax.text(
            0.98,
            0.60,
            "\u00d7: calibrated spine imaging\nsimulation"
            + ("" if np.isnan(reference.icc) else f" (ICC {reference.icc:.2f})"),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
        )
    for x, (r, c) in enumerate(zip(rates, colors, strict=True)):
        ax.bar(x, 100 * r.rate, width=0.5, color=c)
        ax.plot(
            [x, x],
            [100 * (r.rate - 2 * r.mc_se), 100 * (r.rate + 2 * r.mc_se)],
            color="#222222",
            lw=1.2,
        )
        ax.annotate(
            f"{100 * r.rate:.0f} %",
            (x, 100 * r.rate + 200 * r.mc_se),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=9,
        )
    alpha = result.by_mouse.alpha
    ax.axhline(100 * alpha, color="#222222", lw=1.0, ls="--")
    ax.text(0.5, 100 * alpha + 1.5, f"nominal {100 * alpha:g} %", fontsize=8, ha="center")
    d = result.by_dendrite
    ax.text(
        0.98,
        0.97,
        f"design effect = {d.design_effect:.1f}\n"
        f"{d.n_mice * d.dendrites_per_mouse} dendrites per group\n"
        f"~ {d.effective_n_per_group:.1f} independent ones",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=9,
    )
    ax.set_xticks([0, 1])
    ax.set_xticklabels(labels)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0, ymax)
    ax.set_title("false positives in null experiments")
    return label_axes(ax, x="unit of analysis", y="false positive rate (%)")


def explore_pseudoreplication(*, n_mice: int = SHAO_MICE_PER_GROUP, n_sims: int = 400) -> Explorer:
    """Explorer: dendrites vs mice as the unit of analysis when there is no true effect.

    Parameters
    ----------
    n_mice
        Mice per group (6, as in Shao et al. 2021).
    n_sims
        Simulated null experiments per frame (small for speed).
    """
    icc = Control("icc", "Intraclass correlation (ICC)", _ICC_STEPS, 0.3, bounds=ICC_BOUNDS)
    m = IntControl(
        "dendrites_per_mouse",
        "Dendrites per mouse",
        _DENDRITES_PER_MOUSE_STEPS,
        13,
        bounds=Bounds(*DENDRITES_RANGE),
    )

    # The calibrated imaging simulation depends on dendrites per mouse only: computed once
    # per value (a fraction of a second in all), so a slider change still runs one model.
    calibrated = {
        k: calibrated_null_rates(
            n_mice=n_mice,
            dendrites_per_mouse=k,
            n_sims=min(n_sims, _CALIBRATED_DENDRITES // (2 * n_mice * k)),
            rng=0,
        )
        for k in m.values
    }

    def draw(result: PseudoReplicationDemo, axes, **values) -> None:
        plot_clustered_example(result, axes[0])
        plot_false_positive_rates(
            result, axes[1], reference=calibrated[values["dendrites_per_mouse"]]
        )

    return Explorer(
        compute=partial(pseudoreplication_demo, n_mice=n_mice, n_sims=n_sims, rng=0),
        draw=draw,
        panels=2,
        controls=(icc, m),
        figsize=(8.6, 3.6),
        title="Pseudo-replication: dendrites or mice?",
        alt=(
            "Left: dots for {dendrites_per_mouse} dendrites in each of "
            f"{2 * n_mice} mice with no true effect, ICC {{icc}}. Right: bars of the false "
            "positive rate when dendrites or "
            "mouse means are the sample."
        ),
        caption=(
            "Toy simulation of an imaging experiment with no true effect, "
            f"{n_mice} mice per group. Left: one example experiment; dendrites of the same "
            "mouse share its "
            "offset. Right: how often a t-test on dendrites, or on mouse means, reports "
            "p < 0.05. A higher ICC or more dendrites per mouse inflates false positives "
            "only in the per-dendrite analysis. The default ICC of 0.3 is illustrative; "
            "recomputed from the mouse study's public data (Shao et al. 2021) it is "
            "about 0.1. Crosses: the same two analyses of the spine imaging simulation of "
            "chapter 04, calibrated to the mouse study's spread, run with no true effect "
            "(saline against saline); its ICC is close to the study's."
        ),
    )


# ---------------------------------------------------------------------- multiple testing


def plot_pvalue_ranks(
    result: MultipleTestingResult,
    ax: Axes | None = None,
    *,
    ylim: tuple[float, float] = (1e-7, 1.0),
) -> Axes:
    """Sorted p-values against rank, with the uncorrected, Bonferroni and BH thresholds."""
    ax = axes_or_new(ax)
    p = result.p_values
    m = p.size
    order = np.argsort(p)
    rank = np.arange(1, m + 1)
    sorted_p = np.clip(p[order], ylim[0], None)
    truth = result.is_true_effect[order]
    a = result.alpha
    ax.plot(
        rank[~truth],
        sorted_p[~truth],
        "o",
        ms=3.5,
        color=COLORS["baseline"],
        label="gene with no true change",
    )
    if truth.any():
        ax.plot(
            rank[truth],
            sorted_p[truth],
            "D",
            ms=4,
            color=COLORS["psilocybin"],
            label="gene that truly changed",
        )
    ax.plot(
        rank, a * rank / m, color=COLORS["persistent"], lw=1.5, label=f"BH line k x {a:g} / {m}"
    )
    ax.axhline(a, color=PALETTE["orange"], lw=1.2, ls="--", label=f"uncorrected {a:g}")
    ax.axhline(a / m, color=COLORS["saline"], lw=1.2, ls=":", label=f"Bonferroni {a:g}/{m}")
    lines = [
        f"{name}: {d.n_true} true, {d.n_false} false"
        for name, d in zip(("uncorrected", "Bonferroni", "BH"), result.methods, strict=True)
    ]
    ax.text(
        1.03,
        0.02,
        "discoveries\n" + "\n".join(lines),
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=9,
    )
    if ax.get_yscale() != "log" or ax.get_xscale() != "log":
        # Set once: an explorer reuses these axes, and re-setting scales and fixed tick
        # labels on every frame rebuilds every tick (most of a frame's time).
        ax.set_yscale("log")
        ax.set_xscale("log")
        ax.set_xticks([1, 2, 5, 10, 20, 50, 100, 200])
        ax.set_xticklabels(["1", "2", "5", "10", "20", "50", "100", "200"])
        ax.minorticks_off()
    ax.set_ylim(*ylim)
    ax.set_xlim(0.8, 500)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return label_axes(ax, x="rank of p-value (1 = smallest; log scale)", y="p-value (log scale)")


def explore_multiple_testing(*, effect_size: float = 1.5, n_per_group: int = 8) -> Explorer:
    """Explorer: one simulated gene panel; how many discoveries each correction makes.

    Parameters
    ----------
    effect_size
        True change of the genes that change, SD units (illustrative).
    n_per_group
        Animals per group (illustrative).
    """
    n_tests = IntControl(
        "n_genes",
        "Tests (genes x regions x doses)",
        _N_GENES_STEPS,
        92,
        bounds=Bounds(*N_GENES_RANGE),
    )
    # At most as many true changes as the fewest tests offered.
    n_true = IntControl(
        "n_true_effects",
        "Genes that truly change",
        _N_TRUE_EFFECTS_STEPS,
        5,
        bounds=Bounds(0, min(n_tests.values)),
    )

    return Explorer(
        compute=partial(multiple_testing, effect_size=effect_size, n_per_group=n_per_group, rng=0),
        draw=(plot_pvalue_ranks,),
        controls=(n_tests, n_true),
        figsize=(7.6, 4.0),
        title="Many genes, many tests",
        alt=(
            "Sorted p-values of {n_genes} simulated tests, {n_true_effects} of them true "
            "changes, with uncorrected, Bonferroni and Benjamini-Hochberg thresholds."
        ),
        caption=(
            f"One toy gene-expression experiment ({n_per_group} animals per group, true "
            f"changes of {effect_size:g} SD). Each dot is one test's p-value, sorted. Points "
            "under a threshold "
            "are discoveries. More tests make uncorrected false discoveries more likely; "
            "Bonferroni's line drops, the Benjamini-Hochberg line rises with rank."
        ),
    )
