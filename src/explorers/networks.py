"""Figures and the explorer for the toy resting-state network (chapter on the DMN).

A psychedelic level moves coupling from within networks to between networks in
:mod:`models.networks`; the explorer shows the resulting functional connectivity (FC) matrix
and two summary numbers, mean FC inside the default mode network (DMN) and Newman's
modularity ``Q``, each estimated from one simulated scan and compared with placebo and with the
model's exact value for an infinitely long scan.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from models._params import Bounds
from models.networks import (
    NETWORKS,
    PSYCHEDELIC_BOUNDS,
    REGIONS,
    NetworkParams,
    NetworkSummary,
    simulate_network,
    summarize_network,
)
from models.networks.simulation import MAX_TIMEPOINTS

from .core import Control, Explorer, axes_or_new, in_words, static_legend
from .style import COLORS, label_axes

__all__ = ["explore_dmn_connectivity", "plot_fc_matrix", "plot_network_summary"]

#: Colour limits of the FC matrix (Pearson r), the same in every frame.
FC_LIMIT = 0.6
#: Fixed y range of the summary bars.
SUMMARY_YLIM = (0.0, 0.6)


#: The values each slider offers (the frames the static book precomputes).
_PSYCHEDELIC_STEPS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
_SCAN_MINUTES_STEPS = (5.0, 10.0, 20.0, 40.0)


def _blocks(labels) -> list[tuple[str, int, int]]:
    """(network, first index, last index + 1) of each run of equal labels."""
    out, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.append((labels[start], start, i))
            start = i
    return out


def plot_fc_matrix(
    result: NetworkSummary,
    ax: Axes | None = None,
    *,
    limit: float = FC_LIMIT,
    colorbar: bool = True,
) -> Axes:
    """Draw the FC matrix, regions grouped by network, the DMN block outlined.

    Parameters
    ----------
    result
        A :class:`NetworkSummary` (anything with ``fc`` and ``labels``).
    limit
        Colour scale from ``-limit`` to ``+limit`` (Pearson r), fixed so frames compare.
    colorbar
        Add a colour bar (once per axes; later calls reuse it).
    """
    ax = axes_or_new(ax, (4.2, 3.6))
    fc = np.array(result.fc, dtype=float)
    n = fc.shape[0]
    np.fill_diagonal(fc, np.nan)  # self-correlation is 1 by definition: not shown
    cmap = colormaps["RdBu_r"].with_extremes(bad="#BBBBBB")
    im = ax.imshow(
        fc,
        cmap=cmap,
        vmin=-limit,
        vmax=limit,
        interpolation="nearest",
        extent=(-0.5, n - 0.5, n - 0.5, -0.5),
    )
    blocks = _blocks(list(result.labels))
    cuts = [stop - 0.5 for _, _, stop in blocks[:-1]]
    ax.hlines(cuts, -0.5, n - 0.5, colors="#333333", lw=0.8)
    ax.vlines(cuts, -0.5, n - 0.5, colors="#333333", lw=0.8)
    for name, start, stop in blocks:
        if name == "DMN":
            ax.add_patch(
                Rectangle(
                    (start - 0.5, start - 0.5),
                    stop - start,
                    stop - start,
                    fill=False,
                    ec=COLORS["highlight"],
                    lw=2.5,
                    zorder=3,
                )
            )
    centres = [0.5 * (start + stop - 1) for _, start, stop in blocks]
    names = [name for name, _, _ in blocks]
    ax.set_xticks(centres, names, rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(centres, names)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    if colorbar and not getattr(ax, "_fc_colorbar", None):
        cax = ax.inset_axes([1.04, 0.0, 0.05, 1.0])
        cb = ax.figure.colorbar(im, cax=cax)
        cb.set_label("functional connectivity (Pearson r)")
        cb.ax.tick_params(labelsize=8)
        ax._fc_colorbar = cb
    return label_axes(ax, x="region (grouped by network)", y="region (grouped by network)")


def plot_network_summary(
    result: NetworkSummary,
    ax: Axes | None = None,
    *,
    reference: NetworkSummary | None = None,
    ylim: tuple[float, float] | None = SUMMARY_YLIM,
) -> Axes:
    """Bars of within-DMN FC and modularity ``Q``, with the model's exact values as ticks.

    Parameters
    ----------
    result
        The scan to show (vermillion bars).
    reference
        Usually placebo (blue bars, drawn to the left).
    ylim
        Fixed y range so frames compare (None: automatic).
    """
    ax = axes_or_new(ax, (4.0, 3.6))
    groups = np.arange(2.0)
    width = 0.36
    shown = [(result, COLORS["psilocybin"], 0.55 if reference is not None else 0.0)]
    if reference is not None:
        shown.insert(0, (reference, COLORS["saline"], -0.55))
    for res, color, shift in shown:
        x = groups + shift * width
        values = [res.within_dmn, res.modularity]
        exact = [res.exact_within_dmn, res.exact_modularity]
        for xi, v in zip(x, values, strict=True):
            ax.add_patch(Rectangle((xi - width / 2, 0.0), width, v, color=color, lw=0))
            ax.text(
                xi,
                0.01,
                f"{v:.2f}",
                ha="center",
                va="bottom",
                fontsize=9,
                color="white",
                fontweight="bold",
            )
        ax.hlines(exact, x - width / 2, x + width / 2, colors="#111111", lw=2.0)
    handles = [
        Patch(color=COLORS["saline"], label="placebo"),
        Patch(color=COLORS["psilocybin"], label="chosen psychedelic level"),
        Line2D([], [], color="#111111", lw=2.0, label="exact value (infinite scan)"),
    ]
    if reference is None:
        handles.pop(0)
    ax.set_xticks(groups, ["within-DMN FC\n(mean r)", "modularity Q"])
    ax.set_xlim(-0.6, 1.6)
    if ylim is not None:
        ax.set_ylim(*ylim)
    static_legend(ax, handles, loc="upper right", fontsize=8)
    return label_axes(ax, x="measure", y="value (unitless: r or Q)")


def explore_dmn_connectivity(*, rng: int = 6) -> Explorer:
    """Explorer: psychedelic level and scan length vs FC matrix, within-DMN FC and ``Q``.

    Each frame simulates one 40-minute session at the chosen level; a shorter scan uses its
    first minutes, as if the scanner had stopped earlier. Placebo sessions (one per scan
    length, from the same placebo run) are computed once, so a slider change runs the model
    once.

    Parameters
    ----------
    rng
        Seed of every simulated session, the same for every frame. The default was picked
        so that the 40-minute scans lie close to the model's exact values at every level: a
        typical session, neither lucky nor unlucky. Shorter scans then show ordinary noise.
    """
    params = NetworkParams()
    level = Control(
        "psychedelic",
        "Psychedelic level (0 = placebo)",
        _PSYCHEDELIC_STEPS,
        0.6,
        fmt="{:.1f}",
        bounds=PSYCHEDELIC_BOUNDS,
    )
    longest = MAX_TIMEPOINTS * params.time_step_s / 60.0
    minutes = Control(
        "scan_minutes",
        "Scan length",
        _SCAN_MINUTES_STEPS,
        20.0,
        unit="min",
        fmt="{:g}",
        bounds=Bounds(0.0, longest, low_open=True),
    )

    def n_timepoints(scan_minutes: float) -> int:
        return int(round(scan_minutes * 60.0 / params.time_step_s))

    session = n_timepoints(max(minutes.values))
    placebo_run = simulate_network(psychedelic=0.0, n_timepoints=session, params=params, rng=rng)
    placebo = {
        m: summarize_network(placebo_run, params, n_timepoints=n_timepoints(m))
        for m in minutes.values
    }

    def compute(psychedelic: float, scan_minutes: float) -> tuple[NetworkSummary, NetworkSummary]:
        run = simulate_network(
            psychedelic=psychedelic, n_timepoints=session, params=params, rng=rng
        )
        return (
            summarize_network(run, params, n_timepoints=n_timepoints(scan_minutes)),
            placebo[scan_minutes],
        )

    def draw(result, axes, **_values) -> None:
        current, reference = result
        plot_fc_matrix(current, axes[0])
        plot_network_summary(current, axes[1], reference=reference)

    return Explorer(
        compute=compute,
        draw=draw,
        controls=(level, minutes),
        panels=2,
        figsize=(8.0, 3.9),
        title="Toy brain network under a psychedelic",
        alt=(
            f"Left: functional connectivity matrix of {len(REGIONS)} toy brain regions "
            f"grouped into {in_words(len(NETWORKS))} networks, DMN block outlined. Right: "
            "bars of within-DMN connectivity and modularity at psychedelic level "
            "{psychedelic} against placebo, estimated from a {scan_minutes} simulated scan, "
            "with the model's exact values as black ticks."
        ),
        caption=(
            "A toy simulation, not data. Left: correlation between the simulated activity "
            f"of every pair of {len(REGIONS)} regions, grouped by network; red is positive, "
            "blue negative, the outlined block is the DMN. Right: mean correlation inside the "
            "DMN and modularity Q, placebo (blue) against the chosen level (vermillion); "
            "black ticks are the model's exact values for an infinitely long scan. Raising "
            "the psychedelic level moves coupling from within to between networks, so the "
            "blocks fade and both numbers fall; a shorter scan makes every estimate "
            "noisier."
        ),
    )
