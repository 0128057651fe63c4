"""Figures and the explorer for pharmacology (chapter "Pharmacology: from dose to receptor").

:func:`explore_pk` draws plasma psilocin and 5-HT2A occupancy after one oral dose, computed by
:mod:`models.pharmacology`. (The mechanism toy of chapter 06 is in
:mod:`explorers.mechanisms`.)
"""

from __future__ import annotations

from dataclasses import replace

from matplotlib.axes import Axes

from models.pharmacology import DOSE_MG_BOUNDS, OCCUPANCY_EMAX, PKParams, PKResult, simulate_pk

from .core import Control, Explorer, axes_or_new
from .style import COLORS, label_axes

__all__ = ["explore_pk", "plot_concentration", "plot_occupancy"]

#: The default oral dose (mg) and the reference curve drawn in grey in :func:`explore_pk`.
_REFERENCE_DOSE_MG = 25.0


# -- Kinetics and occupancy over time ------------------------------------------------------


#: The values each slider offers (the frames the static book precomputes).
_DOSE_MG_STEPS = (1.0, 3.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
_ELIMINATION_HALF_LIFE_H_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0)


def plot_concentration(
    result: PKResult,
    ax: Axes | None = None,
    *,
    reference: PKResult | None = None,
    ylim: tuple[float, float] | None = (0.0, 25.0),
    label: str | None = None,
    reference_label: str = "reference",
    legend: bool = True,
) -> Axes:
    """Plot plasma psilocin (ng/mL) against hours after an oral dose.

    Parameters
    ----------
    result
        A result of :func:`models.pharmacology.simulate_pk`.
    reference
        Drawn dashed in grey (for example the default dose).
    ylim
        Fixed y range in ng/mL so an explorer's frames are comparable (None: automatic).
    label
        Legend label of ``result`` (default: the dose).
    reference_label
        Legend label of ``reference``.
    legend
        Draw the legend. Explorers pass False and explain the lines in the panel title
        instead: a title is drawn once and cached, a legend is redrawn on every frame.
    """
    ax = axes_or_new(ax)
    if reference is not None:
        ax.plot(
            reference.t_hours,
            reference.concentration_ng_per_ml,
            color=COLORS["baseline"],
            lw=1.5,
            ls="--",
            label=reference_label,
        )
    ax.plot(
        result.t_hours,
        result.concentration_ng_per_ml,
        color=COLORS["psilocybin"],
        label=label or f"{result.dose_mg:g} mg",
    )
    ax.plot([result.t_peak_hours], [result.c_max_ng_per_ml], "o", color=COLORS["psilocybin"], ms=5)
    ax.text(
        0.97,
        0.5,
        f"peak {result.c_max_ng_per_ml:.1f} ng/mL at {result.t_peak_hours:.1f} h",
        transform=ax.transAxes,
        ha="right",
        fontsize=9,
        color="#222222",
    )
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(result.t_hours[0], result.t_hours[-1])
    if legend:
        ax.legend(loc="upper right")
    return label_axes(ax, x="hours after the oral dose (h)", y="plasma psilocin (ng/mL, toy scale)")


def plot_occupancy(
    result: PKResult,
    ax: Axes | None = None,
    *,
    reference: PKResult | None = None,
    ylim: tuple[float, float] | None = (0.0, 80.0),
    emax: float = OCCUPANCY_EMAX,
    legend: bool = True,
) -> Axes:
    """Plot 5-HT2A receptor occupancy (%) against hours after an oral dose.

    A dotted line marks ``emax``, the highest occupancy measured with PET (72 %, Madsen et
    al. 2019), which the model's binding curve approaches but never reaches.

    Parameters
    ----------
    result, reference
        As in :func:`plot_concentration`.
    ylim
        Fixed y range in percent (None: automatic).
    emax
        Occupancy ceiling to mark, a fraction.
    legend
        Label the ceiling line in the plot (False: the caller explains it, e.g. in a title).
    """
    ax = axes_or_new(ax)
    ax.axhline(100 * emax, color=COLORS["baseline"], lw=1.0, ls=":")
    if legend:
        ax.annotate(
            f"{100 * emax:.0f} %: highest measured (PET)",
            (0.98, 100 * emax),
            xycoords=("axes fraction", "data"),
            textcoords="offset points",
            xytext=(0, 3),
            ha="right",
            fontsize=8,
            color="#444444",
        )
    if reference is not None:
        ax.plot(
            reference.t_hours, 100 * reference.occupancy, color=COLORS["baseline"], lw=1.5, ls="--"
        )
    ax.plot(result.t_hours, 100 * result.occupancy, color=COLORS["psilocybin"])
    peak = 100 * result.peak_occupancy
    ax.plot([result.t_peak_hours], [peak], "o", color=COLORS["psilocybin"], ms=5)
    ax.annotate(
        f"peak {peak:.0f} %",
        (result.t_peak_hours, peak),
        textcoords="offset points",
        xytext=(6, 4),
        fontsize=9,
        color="#222222",
    )
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(result.t_hours[0], result.t_hours[-1])
    return label_axes(ax, x="hours after the oral dose (h)", y="5-HT2A occupancy (%)")


def explore_pk(*, hours: float = 24.0) -> Explorer:
    """Explorer: plasma psilocin and 5-HT2A occupancy after one oral dose.

    Two sliders, the oral dose (mg) and the elimination half-life (h); two panels,
    concentration and occupancy over ``hours``. The grey dashed curves are the default
    (25 mg, half-life 2 h) for comparison.

    Parameters
    ----------
    hours
        Length of the simulated period after the dose, hours.
    """
    default = PKParams()
    dose = Control(
        "dose_mg", "Oral dose", _DOSE_MG_STEPS, _REFERENCE_DOSE_MG, unit="mg", bounds=DOSE_MG_BOUNDS
    )
    half_life = Control.of(
        default,
        "elimination_half_life_h",
        "Elimination half-life",
        _ELIMINATION_HALF_LIFE_H_STEPS,
        unit="h",
    )
    emax = f"{100 * OCCUPANCY_EMAX:.0f}"
    reference = simulate_pk(dose_mg=_REFERENCE_DOSE_MG, hours=hours, points_per_hour=10)
    ref_label = f"{_REFERENCE_DOSE_MG:g} mg, t½ {default.elimination_half_life_h:g} h"

    def compute(dose_mg: float, elimination_half_life_h: float) -> PKResult:
        p = replace(default, elimination_half_life_h=elimination_half_life_h)
        return simulate_pk(dose_mg=dose_mg, hours=hours, params=p, points_per_hour=10)

    def draw(result: PKResult, axes, **_values) -> None:
        ax_c, ax_o = axes
        plot_concentration(result, ax_c, reference=reference, legend=False)
        plot_occupancy(result, ax_o, reference=reference, legend=False)
        ax_c.set_title(f"grey dashed: {ref_label}", fontsize=9)
        ax_o.set_title(f"dotted: {emax} %, highest measured (PET)", fontsize=9)

    return Explorer(
        compute=compute,
        draw=draw,
        controls=(dose, half_life),
        panels=2,
        figsize=(7.2, 3.4),
        title="Psilocin concentration and 5-HT2A occupancy after one oral dose",
        alt=(
            f"Two line plots over {hours:g} hours after a {{dose_mg}} oral dose of psilocybin "
            "with an elimination half-life of {elimination_half_life_h}: left, plasma "
            "psilocin rises to a peak and decays; right, 5-HT2A receptor occupancy follows it "
            f"but stays below {emax} percent."
        ),
        caption=(
            "Toy one-compartment model. Left: plasma psilocin (illustrative scale); "
            "right: 5-HT2A occupancy from a single-site binding curve capped at the "
            f"highest value measured with PET ({emax} %). Grey dashed: "
            f"{_REFERENCE_DOSE_MG:g} mg with a {default.elimination_half_life_h:g} h "
            "half-life. A larger dose scales the concentration curve but raises "
            "occupancy less and less; a longer half-life delays and broadens both "
            "curves."
        ),
    )
