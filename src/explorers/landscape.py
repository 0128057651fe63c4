"""Figures and the explorer for the energy-landscape toy (chapter on the entropic brain).

A ball (many independent "walkers") moves in a one-dimensional landscape of valleys
(:mod:`models.landscape`). Flattening lowers every barrier; temperature sets the size of the
random kicks. The explorer shows the landscape with where the walkers spent their time, and
the path of a few walkers over time with the entropy of the valleys they visited.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from models.landscape import (
    FLATTENING_BOUNDS,
    TEMPERATURE_BOUNDS,
    LandscapeParams,
    LandscapeView,
    landscape_view,
    simulate_landscape,
)

from .core import Control, Explorer, axes_or_new, in_words, static_legend
from .style import COLORS, PALETTE, label_axes

__all__ = ["explore_energy_landscape", "plot_energy_landscape", "plot_walkers"]

#: Fixed energy range of the landscape panel (energy units of the model).
ENERGY_YLIM = (-0.05, 2.6)
#: Walkers, steps and step size per explorer frame: enough for a stable entropy, fast enough
#: to redraw live. The model's defaults are 100 walkers x 2,000 steps of 0.01; a step of 0.02
#: (valid for the default landscape, see ``LandscapeParams.dt``) changes transition counts by
#: less than about 10 % and halves the cost, and 750 steps still cover 15 time units.
FRAME_WALKERS = 40
#: Walkers whose paths :func:`plot_walkers` draws.
N_SHOWN = 3
FRAME_STEPS = 750
FRAME_DT = 0.02


#: The values each slider offers (the frames the static book precomputes).
_FLATTENING_STEPS = (0.0, 0.25, 0.5, 0.75, 1.0)
_TEMPERATURE_STEPS = (0.1, 0.15, 0.2, 0.3, 0.5)


def plot_energy_landscape(
    view: LandscapeView, ax: Axes | None = None, *, ylim: tuple[float, float] | None = ENERGY_YLIM
) -> Axes:
    """Energy against state, the intact landscape dashed, time spent shaded underneath.

    The shaded area is the histogram of every walker's position over the whole run, scaled
    so that its highest bar reaches 40 % of the plot's height: it shows *where* the walkers
    were, not an energy. An arrow of height ``T`` at the central valley compares the
    temperature with the barrier; the text gives their ratio, the exponent of Kramers' law.
    """
    ax = axes_or_new(ax)
    run = view.run
    lo, hi = (
        ylim
        if ylim is not None
        else (float(np.min(view.intact_energy)), float(np.max(view.intact_energy)))
    )
    counts, edges = np.histogram(run.trajectory, bins=60, range=(-view.edge, view.edge))
    height = 0.4 * (hi - lo) * counts / max(counts.max(), 1)
    ax.stairs(lo + height, edges, baseline=lo, fill=True, color=COLORS["highlight"], alpha=0.45)
    ax.plot(view.x, view.intact_energy, color=COLORS["baseline"], lw=1.3, ls="--")
    ax.plot(view.x, view.energy, color=COLORS["psilocybin"])
    centre = run.well_positions[run.well_positions.size // 2]
    ax.annotate(
        "",
        xy=(centre, run.temperature),
        xytext=(centre, 0.0),
        arrowprops={"arrowstyle": "<->", "color": PALETTE["green"], "lw": 1.8},
    )
    ratio = (
        f"barrier / T = {view.central_barrier:.2f} / {run.temperature:g} = "
        f"{view.barrier_over_temperature:.1f}"
        if view.central_barrier > 0
        else f"no barrier left; T = {run.temperature:g}"
    )
    ax.text(0.0, 1.02, ratio, transform=ax.transAxes, va="bottom", fontsize=9)
    ax.set_xlim(-view.edge, view.edge)
    if ylim is not None:
        ax.set_ylim(*ylim)
    static_legend(
        ax,
        [
            Line2D([], [], color=COLORS["psilocybin"], label="landscape"),
            Line2D([], [], color=COLORS["baseline"], lw=1.3, ls="--", label="intact landscape"),
            Line2D([], [], color=PALETTE["green"], lw=1.8, label="temperature T"),
            Patch(color=COLORS["highlight"], alpha=0.45, label="time spent (scaled)"),
        ],
        loc="upper center",
        fontsize=8,
        ncol=2,
    )
    return label_axes(ax, x="brain state x (model units)", y="energy V(x) (model units)")


def plot_walkers(view: LandscapeView, ax: Axes | None = None, *, n_shown: int = N_SHOWN) -> Axes:
    """Paths of the first ``n_shown`` walkers over time, with the valleys as grey lines.

    The text above the axes gives the Shannon entropy of the time spent in each valley
    (pooled over all walkers) and the mean number of valley-to-valley transitions.
    """
    ax = axes_or_new(ax)
    run = view.run
    ax.hlines(
        run.well_positions, run.t[0], run.t[-1], colors=COLORS["baseline"], lw=0.8, linestyles=":"
    )
    colors = (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"])
    step = max(1, run.t.size // 400)  # a few hundred points per path are enough to see
    for i in range(min(n_shown, run.trajectory.shape[0])):
        ax.plot(run.t[::step], run.trajectory[i, ::step], color=colors[i % len(colors)], lw=1.0)
    ax.text(
        0.0,
        1.02,
        f"entropy {run.state_entropy_bits:.2f} of {run.max_entropy_bits:.2f} "
        f"bits; {run.mean_transitions:.1f} transitions per walker",
        transform=ax.transAxes,
        va="bottom",
        fontsize=9,
    )
    ax.set_xlim(run.t[0], run.t[-1])
    ax.set_ylim(-view.edge, view.edge)
    return label_axes(ax, x="time (model units)", y="brain state x (model units)")


def explore_energy_landscape(
    *,
    rng: int = 0,
    n_walkers: int = FRAME_WALKERS,
    n_steps: int = FRAME_STEPS,
    dt: float = FRAME_DT,
) -> Explorer:
    """Explorer: flattening and temperature vs landscape, visits and entropy.

    Parameters
    ----------
    rng
        Seed of every frame's simulation (the same for every frame).
    n_walkers, n_steps, dt
        Size and time step of each frame's simulation (kept small so a slider change
        redraws quickly).
    """
    params = replace(LandscapeParams(), dt=dt)
    flattening = Control(
        "flattening", "Flattening", _FLATTENING_STEPS, 0.0, bounds=FLATTENING_BOUNDS
    )
    temperature = Control(
        "temperature",
        "Temperature",
        _TEMPERATURE_STEPS,
        0.2,
        unit="energy units",
        bounds=TEMPERATURE_BOUNDS,
    )
    valleys, walkers = in_words(params.n_wells), in_words(N_SHOWN)

    def compute(flattening: float, temperature: float) -> LandscapeView:
        run = simulate_landscape(
            flattening=flattening,
            temperature=temperature,
            n_steps=n_steps,
            n_walkers=n_walkers,
            rng=rng,
            params=params,
        )
        return landscape_view(run, params)

    return Explorer(
        compute=compute,
        draw=(plot_energy_landscape, plot_walkers),
        controls=(flattening, temperature),
        figsize=(8.0, 3.6),
        title="A ball in an energy landscape",
        alt=(
            f"Left: a one-dimensional energy landscape with {valleys} valleys at flattening "
            "{flattening}, the intact landscape dashed, and a shaded histogram of where "
            f"walkers spent their time. Right: the paths of {walkers} walkers over time at "
            "temperature {temperature}, with the entropy of the valleys visited."
        ),
        caption=(
            "A toy simulation of a metaphor, not a model of the brain. Left: energy "
            "against state (solid; dashed: intact landscape), the green arrow is the "
            f"temperature T, shading shows where walkers spent their time. Right: {walkers} "
            "walkers' paths; dotted lines mark the valleys. Flattening lowers the "
            "barriers, a higher temperature gives bigger random kicks; either lets "
            "walkers leave the central valley more often, which raises the entropy of "
            "the valleys they visit."
        ),
    )
