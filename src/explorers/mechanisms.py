"""Figures and the explorer for the mechanism debate (chapter "Evidence III: mechanisms").

:func:`explore_mechanisms` draws the toy of :mod:`models.mechanisms`: ketanserin shifts
psilocin's 5-HT2A occupancy curve; a head-twitch proxy and a plasticity drive respond, the
latter through 5-HT2A and TrkB in a share the reader chooses.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import Patch

from models._params import Bounds
from models.mechanisms import ANTAGONIST_BOUNDS, SHARE_BOUNDS, TwoPathwayResult, two_pathway_model

from .core import Control, Explorer, axes_or_new
from .style import COLORS, PALETTE, label_axes

__all__ = [
    "PATHWAY_COLORS",
    "explore_mechanisms",
    "plot_antagonist_shift",
    "plot_pathway_responses",
]

#: Colours of the two pathways in the mechanism toy (hatching marks TrkB as well).
PATHWAY_COLORS = {"5-HT2A": PALETTE["orange"], "TrkB": PALETTE["sky"]}


#: The values each slider offers (the frames the static book precomputes).
_ANTAGONIST_OVER_KB_STEPS = (0.0, 1.0, 3.0, 10.0, 30.0, 100.0)
_SHARE_PERCENT_STEPS = (0.0, 25.0, 50.0, 75.0, 100.0)


def plot_antagonist_shift(
    result: TwoPathwayResult, ax: Axes | None = None, *, legend: bool = True
) -> Axes:
    """Plot 5-HT2A occupancy (%) against psilocin concentration, with and without ketanserin.

    The concentration axis is logarithmic, in multiples of psilocin's EC50; a competitive
    antagonist shifts the curve to the right by the Schild dose ratio without lowering its top.
    ``legend=False`` leaves the legend out (see :func:`explorers.pharmacology.plot_concentration`).
    """
    ax = axes_or_new(ax)
    x = result.concentration_over_ec50
    ax.plot(
        x,
        100 * result.occupancy_curve_control,
        color=COLORS["baseline"],
        lw=1.5,
        ls="--",
        label="psilocin alone",
    )
    ax.plot(
        x,
        100 * result.occupancy_curve_antagonist,
        color=PATHWAY_COLORS["5-HT2A"],
        label=f"+ ketanserin {result.antagonist_over_kb:g} × KB",
    )
    ax.axvline(result.agonist_over_ec50, color="#444444", lw=1.0, ls=":")
    ax.plot(
        [result.agonist_over_ec50] * 2,
        [100 * result.occupancy_control, 100 * result.occupancy],
        "o",
        color=PATHWAY_COLORS["5-HT2A"],
        ms=5,
    )
    ax.annotate(
        f"{100 * result.occupancy:.0f} %",
        (result.agonist_over_ec50, 100 * result.occupancy),
        textcoords="offset points",
        xytext=(6, -2),
        fontsize=9,
        color="#222222",
    )
    ax.set_xscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0.0, 105.0)
    if legend:
        ax.legend(loc="upper left")
    return label_axes(ax, x="psilocin concentration (multiples of EC50)", y="5-HT2A occupancy (%)")


def plot_pathway_responses(
    result: TwoPathwayResult, ax: Axes | None = None, *, legend: bool = True
) -> Axes:
    """Bar chart: head-twitch proxy and plasticity drive, in % of the no-ketanserin response.

    The plasticity bar is stacked: the part that runs through 5-HT2A (orange) and the part
    through TrkB (light blue, hatched). ``legend=False`` leaves the legend out.
    """
    ax = axes_or_new(ax)
    c5, ct = PATHWAY_COLORS["5-HT2A"], PATHWAY_COLORS["TrkB"]
    ax.axhline(100.0, color=COLORS["baseline"], lw=1.0, ls=":")
    ax.bar([0], [100 * result.head_twitch], width=0.6, color=c5, edgecolor="#333333")
    trkb = 100 * result.plasticity_via_trkb
    ax.bar([1], [trkb], width=0.6, color=ct, edgecolor="#333333", hatch="//")
    ax.bar(
        [1],
        [100 * result.plasticity_via_5ht2a],
        bottom=[trkb],
        width=0.6,
        color=c5,
        edgecolor="#333333",
    )
    for pos, value in ((0, result.head_twitch), (1, result.plasticity)):
        ax.annotate(
            f"{100 * value:.0f} %",
            (pos, 100 * value),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=9,
            color="#222222",
        )
    ax.set_xticks([0, 1], ["head-twitch\nproxy", "plasticity\ndrive"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0.0, 125.0)
    # Explicit handles: bar containers outlive an explorer's frame, so an automatic legend
    # would collect the labels of earlier frames too.
    if legend:
        handles = [
            Patch(facecolor=c5, edgecolor="#333333", label="via 5-HT2A"),
            Patch(facecolor=ct, edgecolor="#333333", hatch="//", label="via TrkB"),
        ]
        ax.legend(handles=handles, loc="upper right", ncols=2, fontsize=8)
    return label_axes(ax, x="toy readout", y="% of response without ketanserin")


def explore_mechanisms() -> Explorer:
    """Explorer: a toy of the mechanism debate (5-HT2A or TrkB?).

    Sliders: ketanserin concentration (multiples of its ``KB``) and the share of the plasticity
    drive that runs through 5-HT2A (0 %: TrkB hypothesis; 100 %: 5-HT2A hypothesis). Left: the
    competitive antagonist shifts psilocin's 5-HT2A occupancy curve to the right. Right: the
    head-twitch proxy and the plasticity drive, relative to no ketanserin.
    """
    ketanserin = Control(
        "antagonist_over_kb",
        "Ketanserin",
        _ANTAGONIST_OVER_KB_STEPS,
        10.0,
        unit="× KB",
        bounds=ANTAGONIST_BOUNDS,
    )
    share = Control(
        "share_percent",
        "Plasticity via 5-HT2A",
        _SHARE_PERCENT_STEPS,
        100.0,
        unit="%",
        bounds=Bounds(100 * SHARE_BOUNDS.low, 100 * SHARE_BOUNDS.high),
    )

    def compute(antagonist_over_kb: float, share_percent: float) -> TwoPathwayResult:
        return two_pathway_model(
            antagonist_over_kb=antagonist_over_kb, share_5ht2a=share_percent / 100.0, n_points=61
        )

    def draw(result: TwoPathwayResult, axes, **_values) -> None:
        ax_shift, ax_bars = axes
        plot_antagonist_shift(result, ax_shift, legend=False)
        plot_pathway_responses(result, ax_bars, legend=False)
        ax_shift.set_title("dashed: psilocin alone; solid: + ketanserin", fontsize=9)
        ax_bars.set_title("orange: via 5-HT2A; hatched: via TrkB", fontsize=9)

    return Explorer(
        compute=compute,
        draw=draw,
        controls=(ketanserin, share),
        panels=2,
        figsize=(7.2, 3.4),
        title="Toy model: does psilocybin's plasticity need 5-HT2A?",
        alt=(
            "Toy model with ketanserin at {antagonist_over_kb} and {share_percent} of the "
            "plasticity drive running through 5-HT2A. Left: the 5-HT2A occupancy curve of "
            "psilocin shifts to the right. Right: bars for the head-twitch proxy and the "
            "plasticity drive as percent of the response without ketanserin."
        ),
        caption=(
            "A toy of competing hypotheses, not a fit to data. Left: ketanserin, a "
            "competitive 5-HT2A antagonist, shifts psilocin's occupancy curve to the "
            "right (dashed: psilocin alone; dotted line: the psilocin concentration "
            "used). Right: the head-twitch proxy follows 5-HT2A occupancy; the "
            "plasticity drive runs through 5-HT2A (orange) and TrkB (hatched) in the "
            "share you choose. Raise ketanserin to lower 5-HT2A occupancy; move the "
            "share from 100 % (5-HT2A hypothesis) to 0 % (TrkB hypothesis)."
        ),
    )
