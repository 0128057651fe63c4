"""Figures and explorers for the rat gene-expression study (chapter "Evidence II: genes in rats").

Built on :mod:`models.expression`, a toy of Jefsen et al. (2021): the *directions* of change
follow the paper's abstract; sizes, ED50s and doses are illustrative.

- :func:`explore_gene_panel`: the toy's noise-free change of every panel gene in prefrontal
  cortex and hippocampus at one dose, and which genes pass a chosen cut-off.
- :func:`explore_ed50_fit`: one simulated study (rats with noise), one gene in one region,
  and a Hill curve fitted to estimate the ED50.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from models.expression import (
    EXAMPLE_DOSES_MG_PER_KG,
    GENE_PANEL,
    REGIONS,
    GeneStudy,
    HillFit,
    fit_ed50,
    get_gene,
    simulate_gene_study,
    true_log2fc,
)

from .core import Control, Explorer
from .style import COLORS, label_axes, new_figure

__all__ = [
    "ChoiceControl",
    "DoseSnapshot",
    "Ed50Experiment",
    "display_name",
    "dose_snapshot",
    "explore_ed50_fit",
    "explore_gene_panel",
    "plot_ed50_fit",
    "plot_gene_changes",
    "simulate_ed50_experiment",
]

#: How the paper's abstract names genes whose official symbol differs.
_PAPER_NAMES = {"Fos": "c-Fos", "Nfkbia": "Iκβ-α (Nfkbia)", "S100a10": "P11 (S100a10)",
                "Dlg4": "Psd95 (Dlg4)"}
#: Gene and region pairs offered by :func:`explore_ed50_fit`.
FIT_CHOICES: tuple[tuple[str, str], ...] = (
    ("Fos", "PFC"), ("Junb", "PFC"), ("Nr4a1", "PFC"), ("Dlg4", "PFC"), ("Clk1", "PFC"),
    ("Dusp1", "hippocampus"), ("Sgk1", "hippocampus"), ("Arc", "hippocampus"),
    ("Egr2", "hippocampus"), ("Gapdh", "PFC"),
)
#: Fixed y range (log2 fold change) of the fit explorer.
_FIT_YLIM = (-2.0, 3.0)


def display_name(symbol: str) -> str:
    """A gene's name as written in the paper's abstract, e.g. ``"c-Fos"`` for Fos."""
    return _PAPER_NAMES.get(symbol, symbol)


@dataclass(frozen=True)
class ChoiceControl(Control):
    """A slider over named choices: ``values`` are 0, 1, 2, ... and ``names`` their labels."""

    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.names) != len(self.values):
            raise ValueError(f"ChoiceControl {self.name!r}: {len(self.names)} names for "
                             f"{len(self.values)} values")

    def text(self, value: float) -> str:
        return self.names[int(round(value))]


# -- the gene panel at one dose ---------------------------------------------------------------


@dataclass(frozen=True)
class DoseSnapshot:
    """Noise-free log2 fold change of every panel gene in both regions at one dose.

    Attributes
    ----------
    dose_mg_per_kg
        The dose, mg/kg.
    genes
        Gene symbols, in panel order.
    log2fc
        Array of shape ``(len(REGIONS), len(genes))``: true change in PFC and hippocampus.
    """

    dose_mg_per_kg: float
    genes: tuple[str, ...]
    log2fc: np.ndarray

    def region(self, region: str) -> np.ndarray:
        """The changes in ``region`` ("PFC" or "hippocampus")."""
        names = [r.lower() for r in REGIONS]
        if not isinstance(region, str) or region.lower() not in names:
            raise ValueError(f"region must be one of {REGIONS}, got {region!r}")
        return self.log2fc[names.index(region.lower())]

    def changed(self, region: str, threshold: float) -> tuple[str, ...]:
        """Genes whose absolute change exceeds ``threshold`` (log2 units) in ``region``."""
        values = self.region(region)
        return tuple(g for g, v in zip(self.genes, values, strict=True) if abs(v) > threshold)


def dose_snapshot(dose_mg_per_kg: float) -> DoseSnapshot:
    """The toy's noise-free changes at one dose (mg/kg, in [0, 20]).

    Examples
    --------
    >>> snap = dose_snapshot(20.0)
    >>> "Arc" in snap.changed("hippocampus", 0.25), "Arc" in snap.changed("PFC", 0.25)
    (True, False)
    """
    genes = tuple(g.symbol for g in GENE_PANEL)
    values = np.array([[true_log2fc(g, r, dose_mg_per_kg) for g in genes] for r in REGIONS])
    values.setflags(write=False)
    return DoseSnapshot(dose_mg_per_kg=float(dose_mg_per_kg), genes=genes, log2fc=values)


def plot_gene_changes(result: DoseSnapshot, ax: Axes | None = None, *, region: str = "PFC",
                      threshold: float = 0.25, xlim: tuple[float, float] = (-1.0, 1.8),
                      show_names: bool = True) -> Axes:
    """Horizontal bars: each gene's log2 fold change in ``region``; cut-off as dashed lines.

    Bars beyond the cut-off are coloured (up: vermillion, down: blue), the others grey.
    """
    if ax is None:
        ax = new_figure(4.0, 4.8).add_subplot()
    values = result.region(region)
    y = np.arange(len(result.genes))[::-1]
    colors = [COLORS["psilocybin"] if v > threshold else COLORS["saline"] if v < -threshold
              else "#BBBBBB" for v in values]
    # One collection of rectangles instead of one patch per bar: several times faster to draw.
    half = 0.35
    verts = [[(0.0, yi - half), (v, yi - half), (v, yi + half), (0.0, yi + half)]
             for yi, v in zip(y, values, strict=True)]
    ax.add_collection(PolyCollection(verts, facecolors=colors, edgecolors="none"),
                      autolim=False)
    for x in (-threshold, threshold):
        ax.axvline(x, color="#444444", lw=1.0, ls="--")
    ax.axvline(0.0, color=COLORS["baseline"], lw=1.0)
    n_up = int(np.sum(values > threshold))
    n_down = int(np.sum(values < -threshold))
    ax.text(0.98, 0.02, f"{n_up} up, {n_down} down", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=9, color="#222222")
    ax.set_yticks(y, [display_name(g) for g in result.genes] if show_names
                  else [""] * len(y))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylim(-0.7, len(y) - 0.3)
    ax.set_xlim(*xlim)
    return label_axes(ax, x="log2 fold change vs saline", y="gene" if show_names else "",
                      title=region)


def explore_gene_panel() -> Explorer:
    """Explorer: which genes change, in which region, at one dose (noise-free toy)."""
    doses = tuple(float(d) for d in EXAMPLE_DOSES_MG_PER_KG)
    dose = Control("dose", "Dose", doses, 5.0, unit="mg/kg")
    cut = Control("threshold", "Cut-off", (0.1, 0.25, 0.5), 0.25, unit="log2 units",
                  fmt="{:.2g}")

    def compute(dose: float, threshold: float) -> DoseSnapshot:
        return dose_snapshot(dose)

    def draw(result, axes, threshold: float, **_values):
        plot_gene_changes(result, axes[0], region="PFC", threshold=threshold)
        plot_gene_changes(result, axes[1], region="hippocampus", threshold=threshold,
                          show_names=False)

    return Explorer(
        compute=compute, draw=draw, controls=(dose, cut), panels=2, figsize=(6.6, 4.8),
        title="Which genes change, and where",
        alt=("Two bar charts of log2 fold change of 18 genes in prefrontal cortex and "
             "hippocampus at {dose} in the toy model, with genes beyond a cut-off of "
             "{threshold} coloured."),
        caption=("Toy model, no noise. Directions of change follow Jefsen et al. (2021); "
                 "sizes and dose dependence are invented for illustration. Bars beyond the "
                 "dashed cut-off count as changed (vermillion up, blue down). Move the dose to "
                 "see changes grow; move the cut-off to see how the count of 'changed' genes "
                 "depends on it."),
    )


# -- one simulated study and an ED50 fit ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class Ed50Experiment:
    """One gene in one region from a simulated study, with its Hill fit.

    Attributes
    ----------
    gene, region
        Gene symbol and region.
    data
        The study's rows for this gene and region (:class:`models.expression.GeneStudy`).
    fit
        Least-squares Hill fit, or None if the fit failed.
    n_per_group
        Rats per dose group.
    """

    gene: str
    region: str
    data: GeneStudy
    fit: HillFit | None
    n_per_group: int

    @property
    def ed50_reliable(self) -> bool:
        """True when the fitted ED50 lies inside the dose range with SE below half of it."""
        if self.fit is None:
            return False
        doses = self.data.doses
        positive = doses[doses > 0]
        f = self.fit
        return bool(np.isfinite(f.ed50_se) and positive.min() <= f.ed50 <= positive.max()
                    and f.ed50_se < 0.5 * f.ed50)

    def true_ed50(self) -> float | None:
        """The toy's true ED50 (mg/kg), or None for a gene that does not change here."""
        response = get_gene(self.gene).response(self.region)
        return None if response.direction == 0 else float(response.ed50_mg_per_kg)


def simulate_ed50_experiment(*, gene: str = "Fos", region: str = "PFC", n_per_group: int = 8,
                             doses=EXAMPLE_DOSES_MG_PER_KG, hill_n: float | None = 1.5,
                             rng=0) -> Ed50Experiment:
    """Simulate a study, keep one gene in one region, and fit a Hill curve to every rat.

    Parameters are passed to :func:`models.expression.simulate_gene_study` (default noise)
    and :func:`models.expression.fit_ed50`. ``hill_n`` fixes the curve's steepness (1.5 is
    the toy's own value for every gene, as an analyst might fix it from other genes); None
    fits it as well, which with few animals often leaves the ED50 wildly uncertain.

    Examples
    --------
    >>> e = simulate_ed50_experiment(gene="c-Fos", n_per_group=20)
    >>> e.gene, e.ed50_reliable
    ('Fos', True)
    """
    symbol = get_gene(gene).symbol
    study = simulate_gene_study(doses=doses, n_per_group=n_per_group, rng=rng)
    data = study.subset(gene=symbol, region=region)
    try:
        fit = fit_ed50(data.dose_mg_per_kg, data.log2_fold_change, hill_n=hill_n)
    except RuntimeError:  # pragma: no cover - the fit rarely fails to converge
        fit = None
    return Ed50Experiment(gene=symbol, region=data.region[0], data=data, fit=fit,
                          n_per_group=int(n_per_group))


def _fmt(x: float, cap: float = 100.0) -> str:
    """Two significant digits; values beyond ``cap`` (or not finite) shown as ``> cap``."""
    if not np.isfinite(x) or abs(x) > cap:
        return f"> {cap:g}"
    return f"{x:.2g}"


def plot_ed50_fit(result: Ed50Experiment, ax: Axes | None = None, *,
                  ylim: tuple[float, float] = _FIT_YLIM, legend: bool = True) -> Axes:
    """Every rat's log2 fold change against dose, group means, the true and the fitted curve.

    The dose axis is linear below 0.5 mg/kg and logarithmic above (so saline, 0, shows).
    With ``legend=False`` a fixed title explains the symbols instead (an explorer then
    renders it once, which keeps a slider change fast).
    """
    if ax is None:
        ax = new_figure().add_subplot()
    data = result.data
    doses = data.doses
    jitter = np.random.default_rng(7).uniform(0.93, 1.07, size=len(data))
    x = np.where(data.dose_mg_per_kg > 0, data.dose_mg_per_kg * jitter,
                 0.08 * (jitter - 1.0) / 0.07)
    ax.plot(x, data.log2_fold_change, "o", ms=3.5, color=COLORS["highlight"], alpha=0.7,
            mec="none", label="one rat")
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
        text = (f"ED50 not pinned down ({_fmt(fit.ed50)} mg/kg, "
                f"SE {_fmt(fit.ed50_se, cap=1000.0)})")
    else:
        text = "the fit did not converge"
    text += "; true " + (f"{true_ed50:g}" if true_ed50 is not None else "none (no change)")
    if legend:
        text = (f"{display_name(result.gene)} in {result.region}, {result.n_per_group} rats "
                f"per dose\n{text}")
    ax.text(0.02, 0.98, text, transform=ax.transAxes, va="top", ha="left", fontsize=8.5,
            color="#222222")
    ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    ax.set_xscale("symlog", linthresh=0.5, linscale=0.4)
    ax.set_xticks([0, 0.5, 1, 2, 5, 10, 20], ["0", "0.5", "1", "2", "5", "10", "20"])
    ax.set_xlim(-0.15, 25.0)
    ax.set_ylim(*ylim)
    if legend:
        ax.legend(loc="lower right", fontsize=8, ncols=2)
    else:
        ax.set_title("dots: rats, squares: group means, dashed: true curve, solid: fit",
                     fontsize=9)
    return label_axes(ax, x="dose (mg/kg; 0 = saline; log scale above 0.5)",
                      y="log2 fold change vs saline")


def explore_ed50_fit() -> Explorer:
    """Explorer: one simulated study; choose a gene and region and the rats per dose."""
    names = tuple(f"{display_name(g)} ({r})" for g, r in FIT_CHOICES)
    choice = ChoiceControl("choice", "Gene (region)", tuple(range(len(names))), 0,
                           names=names)
    rats = Control("n_per_group", "Rats per dose", (3, 5, 8, 12, 20), 8, fmt="{:.0f}")

    def compute(choice: float, n_per_group: float) -> Ed50Experiment:
        gene, region = FIT_CHOICES[int(round(choice))]
        return simulate_ed50_experiment(gene=gene, region=region,
                                        n_per_group=int(round(n_per_group)), rng=2021)

    def draw(result, ax, **_values):
        plot_ed50_fit(result, ax, legend=False)

    return Explorer(
        compute=compute, draw=draw, controls=(choice, rats), figsize=(6.8, 4.0),
        title="Fitting a dose-response curve to one gene",
        alt=("Scatter plot of simulated log2 fold changes of {choice} against dose with "
             "{n_per_group} rats per dose, with group means, the true toy curve and a fitted "
             "Hill curve."),
        caption=("Toy simulation (fixed seed; doses illustrative, not the study's). Dots are "
                 "rats, squares group means, dashed the true toy curve, solid a Hill curve "
                 "fitted to the rats (steepness fixed, ED50 and maximum fitted). Choose a "
                 "gene: large changes give a steady ED50, small or absent ones do not. More "
                 "rats per dose usually narrow the estimate."),
    )
