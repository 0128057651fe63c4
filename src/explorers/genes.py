"""Figures and explorers for the rat gene-expression study (chapter "Evidence II: genes in rats").

Built on :mod:`models.genes`, a toy of Jefsen et al. (2021): the *directions* of change
follow the paper's abstract; sizes, ED50s and doses are illustrative.

- :func:`explore_gene_panel`: the toy's noise-free change of every panel gene in prefrontal
  cortex and hippocampus at one dose, and which genes pass a chosen cut-off.
- :func:`explore_ed50_fit`: one simulated study (rats with noise), one gene in one region,
  and a Hill curve fitted to estimate the ED50.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from models._params import Bounds
from models.genes import (
    DOSE_BOUNDS,
    EXAMPLE_DOSES_MG_PER_KG,
    GENE_PANEL,
    THRESHOLD_BOUNDS,
    DoseSnapshot,
    Ed50Experiment,
    dose_snapshot,
    simulate_ed50_experiment,
    true_log2fc,
)
from models.genes.study import N_PER_GROUP_RANGE

from .core import ChoiceControl, Control, Explorer, IntControl, axes_or_new
from .style import COLORS, label_axes

__all__ = [
    "FIT_CHOICES",
    "display_name",
    "explore_ed50_fit",
    "explore_gene_panel",
    "plot_ed50_fit",
    "plot_gene_changes",
]

#: How the paper's abstract names genes whose official symbol differs.
_PAPER_NAMES = {
    "Fos": "c-Fos",
    "Nfkbia": "Iκβ-α (Nfkbia)",
    "S100a10": "P11 (S100a10)",
    "Dlg4": "Psd95 (Dlg4)",
}
#: Gene and region pairs offered by :func:`explore_ed50_fit`.
FIT_CHOICES: tuple[tuple[str, str], ...] = (
    ("Fos", "PFC"),
    ("Junb", "PFC"),
    ("Nr4a1", "PFC"),
    ("Dlg4", "PFC"),
    ("Clk1", "PFC"),
    ("Dusp1", "hippocampus"),
    ("Sgk1", "hippocampus"),
    ("Arc", "hippocampus"),
    ("Egr2", "hippocampus"),
    ("Gapdh", "PFC"),
)
#: Fixed y range (log2 fold change) of the fit explorer.
_FIT_YLIM = (-2.0, 3.0)


#: The values each slider offers (the frames the static book precomputes).
_THRESHOLD_STEPS = (0.1, 0.25, 0.5)
_N_PER_GROUP_STEPS = (3, 5, 8, 12, 20)


def display_name(symbol: str) -> str:
    """A gene's name as written in the paper's abstract, e.g. ``"c-Fos"`` for Fos."""
    return _PAPER_NAMES.get(symbol, symbol)


# -- the gene panel at one dose ---------------------------------------------------------------


def plot_gene_changes(
    result: DoseSnapshot,
    ax: Axes | None = None,
    *,
    region: str = "PFC",
    threshold: float = 0.25,
    xlim: tuple[float, float] = (-1.0, 1.8),
    show_names: bool = True,
) -> Axes:
    """Horizontal bars: each gene's log2 fold change in ``region``; cut-off as dashed lines.

    Bars beyond the cut-off are coloured (up: vermillion, down: blue), the others grey.
    """
    ax = axes_or_new(ax, (4.0, 4.8))
    values = result.region(region)
    y = np.arange(len(result.genes))[::-1]
    colors = [
        COLORS["psilocybin"] if v > threshold else COLORS["saline"] if v < -threshold else "#BBBBBB"
        for v in values
    ]
    # One collection of rectangles instead of one patch per bar: several times faster to draw.
    half = 0.35
    verts = [
        [(0.0, yi - half), (v, yi - half), (v, yi + half), (0.0, yi + half)]
        for yi, v in zip(y, values, strict=True)
    ]
    ax.add_collection(PolyCollection(verts, facecolors=colors, edgecolors="none"), autolim=False)
    for x in (-threshold, threshold):
        ax.axvline(x, color="#444444", lw=1.0, ls="--")
    ax.axvline(0.0, color=COLORS["baseline"], lw=1.0)
    n_up = int(np.sum(values > threshold))
    n_down = int(np.sum(values < -threshold))
    ax.text(
        0.98,
        0.02,
        f"{n_up} up, {n_down} down",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=9,
        color="#222222",
    )
    ax.set_yticks(y, [display_name(g) for g in result.genes] if show_names else [""] * len(y))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylim(-0.7, len(y) - 0.3)
    ax.set_xlim(*xlim)
    return label_axes(
        ax, x="log2 fold change vs saline", y="gene" if show_names else "", title=region
    )


def explore_gene_panel() -> Explorer:
    """Explorer: which genes change, in which region, at one dose (noise-free toy)."""
    doses = tuple(float(d) for d in EXAMPLE_DOSES_MG_PER_KG)
    dose = Control("dose", "Dose", doses, 5.0, unit="mg/kg", bounds=DOSE_BOUNDS)
    cut = Control(
        "threshold",
        "Cut-off",
        _THRESHOLD_STEPS,
        0.25,
        unit="log2 units",
        fmt="{:.2g}",
        bounds=THRESHOLD_BOUNDS,
    )

    def compute(dose: float, threshold: float) -> DoseSnapshot:
        return dose_snapshot(dose)

    def draw(result, axes, threshold: float, **_values):
        plot_gene_changes(result, axes[0], region="PFC", threshold=threshold)
        plot_gene_changes(
            result, axes[1], region="hippocampus", threshold=threshold, show_names=False
        )

    return Explorer(
        compute=compute,
        draw=draw,
        controls=(dose, cut),
        panels=2,
        figsize=(6.6, 4.8),
        title="Which genes change, and where",
        alt=(
            f"Two bar charts of log2 fold change of {len(GENE_PANEL)} genes in prefrontal "
            "cortex and hippocampus at {dose} in the toy model, with genes beyond a cut-off of "
            "{threshold} coloured."
        ),
        caption=(
            "Toy model, no noise. Directions of change follow Jefsen et al. (2021); "
            "sizes and dose dependence are invented for illustration. Bars beyond the "
            "dashed cut-off count as changed (vermillion up, blue down). Move the dose to "
            "see changes grow; move the cut-off to see how the count of 'changed' genes "
            "depends on it."
        ),
    )


# -- one simulated study and an ED50 fit ---------------------------------------------------


def _fmt(x: float, cap: float = 100.0) -> str:
    """Two significant digits; values beyond ``cap`` (or not finite) shown as ``> cap``."""
    if not np.isfinite(x) or abs(x) > cap:
        return f"> {cap:g}"
    return f"{x:.2g}"


def plot_ed50_fit(
    result: Ed50Experiment,
    ax: Axes | None = None,
    *,
    ylim: tuple[float, float] = _FIT_YLIM,
    legend: bool = True,
) -> Axes:
    """Every rat's log2 fold change against dose, group means, the true and the fitted curve.

    The dose axis is linear below 0.5 mg/kg and logarithmic above (so saline, 0, shows).
    With ``legend=False`` a fixed title explains the symbols instead (an explorer then
    renders it once, which keeps a slider change fast).
    """
    ax = axes_or_new(ax)
    data = result.data
    doses = data.doses
    jitter = np.random.default_rng(7).uniform(0.93, 1.07, size=len(data))
    x = np.where(
        data.dose_mg_per_kg > 0, data.dose_mg_per_kg * jitter, 0.08 * (jitter - 1.0) / 0.07
    )
    ax.plot(
        x,
        data.log2_fold_change,
        "o",
        ms=3.5,
        color=COLORS["highlight"],
        alpha=0.7,
        mec="none",
        label="one rat",
    )
    means = [data.log2_fold_change[data.dose_mg_per_kg == d].mean() for d in doses]
    ax.plot(doses, means, "s", ms=6, color="#222222", label="group mean")
    grid = np.concatenate([[0.0], np.geomspace(0.05, doses.max(), 60)])
    truth = true_log2fc(result.gene, result.region, grid)
    ax.plot(grid, truth, ls="--", color="#222222", lw=1.3, label="true toy curve")
    fit = result.fit
    if fit is not None:
        ax.plot(grid, fit.predict(grid), color=COLORS["psilocybin"], lw=2, label="fitted Hill")
    true_ed50 = result.true_ed50()
    if fit is not None and result.ed50_reliable:
        ax.axvline(fit.ed50, color=COLORS["psilocybin"], lw=1, ls=":")
        text = f"ED50 {_fmt(fit.ed50)} mg/kg (SE {_fmt(fit.ed50_se)})"
    elif fit is not None:
        text = f"ED50 not pinned down ({_fmt(fit.ed50)} mg/kg, SE {_fmt(fit.ed50_se, cap=1000.0)})"
    else:
        text = "the fit did not converge"
    text += "; true " + (f"{true_ed50:g}" if true_ed50 is not None else "none (no change)")
    if legend:
        text = (
            f"{display_name(result.gene)} in {result.region}, {result.n_per_group} rats "
            f"per dose\n{text}"
        )
    ax.text(
        0.02, 0.98, text, transform=ax.transAxes, va="top", ha="left", fontsize=8.5, color="#222222"
    )
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xscale("symlog", linthresh=0.5, linscale=0.4)
    ax.set_xticks([0, 0.5, 1, 2, 5, 10, 20], ["0", "0.5", "1", "2", "5", "10", "20"])
    ax.set_xlim(-0.15, 25.0)
    ax.set_ylim(*ylim)
    if legend:
        ax.legend(loc="lower right", fontsize=8, ncols=2)
    else:
        ax.set_title("dots: rats, squares: group means, dashed: true curve, solid: fit", fontsize=9)
    return label_axes(
        ax, x="dose (mg/kg; 0 = saline; log scale above 0.5)", y="log2 fold change vs saline"
    )


def explore_ed50_fit() -> Explorer:
    """Explorer: one simulated study; choose a gene and region and the rats per dose."""
    names = tuple(f"{display_name(g)} ({r})" for g, r in FIT_CHOICES)
    choice = ChoiceControl("choice", "Gene (region)", FIT_CHOICES, FIT_CHOICES[0], names=names)
    rats = IntControl(
        "n_per_group", "Rats per dose", _N_PER_GROUP_STEPS, 8, bounds=Bounds(*N_PER_GROUP_RANGE)
    )

    def compute(choice: tuple[str, str], n_per_group: int) -> Ed50Experiment:
        gene, region = choice
        return simulate_ed50_experiment(gene=gene, region=region, n_per_group=n_per_group, rng=2021)

    return Explorer(
        compute=compute,
        draw=(partial(plot_ed50_fit, legend=False),),
        controls=(choice, rats),
        figsize=(6.8, 4.0),
        title="Fitting a dose-response curve to one gene",
        alt=(
            "Scatter plot of simulated log2 fold changes of {choice} against dose with "
            "{n_per_group} rats per dose, with group means, the true toy curve and a fitted "
            "Hill curve."
        ),
        caption=(
            "Toy simulation (fixed seed; doses illustrative, not the study's). Dots are "
            "rats, squares group means, dashed the true toy curve, solid a Hill curve "
            "fitted to the rats (steepness fixed, ED50 and maximum fitted). Choose a "
            "gene: large changes give a steady ED50, small or absent ones do not. More "
            "rats per dose usually narrow the estimate."
        ),
    )
