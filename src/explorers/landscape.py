"""Figures and the explorer for the energy-landscape toy (chapter on the entropic brain).

A ball (many independent "walkers") moves in a one-dimensional landscape of valleys
(:mod:`models.landscape`). Flattening lowers every barrier; temperature sets the size of the
random kicks. The explorer shows the landscape with where the walkers spent their time, and
the path of a few walkers over time with the entropy of the valleys they visited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from models.landscape import (
    LandscapeParams,
    LandscapeTrajectory,
    barrier_positions,
    energy,
    simulate_landscape,
)

from .core import Control, Explorer
from .style import COLORS, PALETTE, label_axes, new_figure

__all__ = ["LandscapeView", "landscape_view", "plot_energy_landscape", "plot_walkers",
           "explore_energy_landscape"]

#: Fixed energy range of the landscape panel (energy units of the model).
ENERGY_YLIM = (-0.05, 2.6)
#: Walkers, steps and step size per explorer frame: enough for a stable entropy, fast enough
#: to redraw live. The model's defaults are 100 walkers x 2,000 steps of 0.01; a step of 0.02
#: (valid for the default landscape, see ``LandscapeParams.dt``) changes transition counts by
#: less than about 10 % and halves the cost, and 750 steps still cover 15 time units.
FRAME_WALKERS = 40
FRAME_STEPS = 750
FRAME_DT = 0.02


@dataclass(frozen=True)
class LandscapeView:
    """A simulation plus the curves needed to draw it.

    Attributes
    ----------
    run
        The simulation (:class:`models.landscape.LandscapeTrajectory`).
    x
        Positions at which the energy is evaluated, units of the state variable.
    energy, intact_energy
        Energy at ``x`` with the run's flattening, and without flattening (energy units).
    central_barrier
        Height of the barrier around the central (deepest) valley after flattening, the
        ``dV`` of Kramers' law, energy units.
    edge
        Position of the reflecting walls (``|x| = edge``).
    """

    run: LandscapeTrajectory
    x: np.ndarray
    energy: np.ndarray
    intact_energy: np.ndarray
    central_barrier: float
    edge: float

    @property
    def barrier_over_temperature(self) -> float:
        """``dV / T``, the exponent of Kramers' law (0 for a flat landscape)."""
        return self.central_barrier / self.run.temperature


def landscape_view(run: LandscapeTrajectory, params: LandscapeParams | None = None,
                   n_points: int = 400) -> LandscapeView:
    """Add the energy curves of ``run``'s landscape (``params``: the ones it was run with).

    Examples
    --------
    >>> run = simulate_landscape(flattening=0.5, n_steps=50, n_walkers=5, rng=0)
    >>> view = landscape_view(run)
    >>> bool(np.all(view.energy <= view.intact_energy + 1e-12))
    True
    >>> round(view.central_barrier / landscape_view(
    ...     simulate_landscape(n_steps=50, n_walkers=5, rng=0)).central_barrier, 6)
    0.5
    """
    p = params or LandscapeParams()
    s = float(p.well_spacing)
    edge = (int(p.n_wells) - 1) * s / 2.0 + s / 2.0
    x = np.linspace(-edge, edge, n_points)
    centre = run.well_positions[run.well_positions.size // 2]
    top = barrier_positions(p)
    top = top[np.argmin(np.abs(top - centre))]
    dv = float(energy(top, flattening=run.flattening, params=p)
               - energy(centre, flattening=run.flattening, params=p))
    return LandscapeView(run=run, x=x, energy=energy(x, flattening=run.flattening, params=p),
                         intact_energy=energy(x, flattening=0.0, params=p),
                         central_barrier=dv, edge=edge)


def _static_legend(ax: Axes, handles, **kwargs) -> None:
    """A legend that stays the same in every frame, drawn once.

    An explorer redraws an axes' own legend on every frame, and legends are slow to draw.
    A legend whose entries never change lives instead on a transparent child axes laid over
    ``ax``: it is drawn with the axes' decorations and reused (once per axes).
    """
    if getattr(ax, "_static_legend", None) is None:
        holder = ax.inset_axes([0.0, 0.0, 1.0, 1.0])
        holder.set_axis_off()
        holder.legend(handles=handles, **kwargs)
        ax._static_legend = holder


def plot_energy_landscape(view: LandscapeView, ax: Axes | None = None, *,
                          ylim: tuple[float, float] | None = ENERGY_YLIM) -> Axes:
    """Energy against state, the intact landscape dashed, time spent shaded underneath.

    The shaded area is the histogram of every walker's position over the whole run, scaled
    so that its highest bar reaches 40 % of the plot's height: it shows *where* the walkers
    were, not an energy. An arrow of height ``T`` at the central valley compares the
    temperature with the barrier; the text gives their ratio, the exponent of Kramers' law.
    """
    if ax is None:
        ax = new_figure().add_subplot()
    run = view.run
    lo, hi = ylim if ylim is not None else (float(np.min(view.intact_energy)),
                                             float(np.max(view.intact_energy)))
    counts, edges = np.histogram(run.trajectory, bins=60, range=(-view.edge, view.edge))
    height = 0.4 * (hi - lo) * counts / max(counts.max(), 1)
    ax.stairs(lo + height, edges, baseline=lo, fill=True, color=COLORS["highlight"],
              alpha=0.45)
    ax.plot(view.x, view.intact_energy, color=COLORS["baseline"], lw=1.3, ls="--")
    ax.plot(view.x, view.energy, color=COLORS["psilocybin"])
    centre = run.well_positions[run.well_positions.size // 2]
    ax.annotate("", xy=(centre, run.temperature), xytext=(centre, 0.0),
                arrowprops={"arrowstyle": "<->", "color": PALETTE["green"], "lw": 1.8})
    ratio = (f"barrier / T = {view.central_barrier:.2f} / {run.temperature:g} = "
             f"{view.barrier_over_temperature:.1f}" if view.central_barrier > 0
             else f"no barrier left; T = {run.temperature:g}")
    ax.text(0.0, 1.02, ratio, transform=ax.transAxes, va="bottom", fontsize=9)
    ax.set_xlim(-view.edge, view.edge)
    if ylim is not None:
        ax.set_ylim(*ylim)
    _static_legend(ax, [Line2D([], [], color=COLORS["psilocybin"], label="landscape"),
                        Line2D([], [], color=COLORS["baseline"], lw=1.3, ls="--",
                               label="intact landscape"),
                        Line2D([], [], color=PALETTE["green"], lw=1.8,
                               label="temperature T"),
                        Patch(color=COLORS["highlight"], alpha=0.45,
                              label="time spent (scaled)")],
                   loc="upper center", fontsize=8, ncol=2)
    return label_axes(ax, x="brain state x (model units)", y="energy V(x) (model units)")


def plot_walkers(view: LandscapeView, ax: Axes | None = None, *, n_shown: int = 3) -> Axes:
    """Paths of the first ``n_shown`` walkers over time, with the valleys as grey lines.

    The text above the axes gives the Shannon entropy of the time spent in each valley
    (pooled over all walkers) and the mean number of valley-to-valley transitions.
    """
    if ax is None:
        ax = new_figure().add_subplot()
    run = view.run
    ax.hlines(run.well_positions, run.t[0], run.t[-1], colors=COLORS["baseline"], lw=0.8,
              linestyles=":")
    colors = (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"])
    step = max(1, run.t.size // 400)  # a few hundred points per path are enough to see
    for i in range(min(n_shown, run.trajectory.shape[0])):
        ax.plot(run.t[::step], run.trajectory[i, ::step], color=colors[i % len(colors)],
                lw=1.0)
    ax.text(0.0, 1.02, f"entropy {run.state_entropy_bits:.2f} of {run.max_entropy_bits:.2f} "
            f"bits; {run.mean_transitions:.1f} transitions per walker",
            transform=ax.transAxes, va="bottom", fontsize=9)
    ax.set_xlim(run.t[0], run.t[-1])
    ax.set_ylim(-view.edge, view.edge)
    return label_axes(ax, x="time (model units)", y="brain state x (model units)")


def explore_energy_landscape(*, rng: int = 0, n_walkers: int = FRAME_WALKERS,
                             n_steps: int = FRAME_STEPS, dt: float = FRAME_DT) -> Explorer:
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
    flattening = Control("flattening", "Flattening", (0.0, 0.25, 0.5, 0.75, 1.0), 0.0,
                         fmt="{:g}")
    temperature = Control("temperature", "Temperature", (0.1, 0.15, 0.2, 0.3, 0.5), 0.2,
                          unit="energy units", fmt="{:g}")

    def compute(flattening: float, temperature: float) -> LandscapeView:
        run = simulate_landscape(flattening=flattening, temperature=temperature,
                                 n_steps=n_steps, n_walkers=n_walkers, rng=rng, params=params)
        return landscape_view(run, params)

    def draw(view, axes, **_values) -> None:
        plot_energy_landscape(view, axes[0])
        plot_walkers(view, axes[1])

    return Explorer(
        compute=compute, draw=draw, controls=(flattening, temperature), panels=2,
        figsize=(8.0, 3.6),
        title="A ball in an energy landscape",
        alt=("Left: a one-dimensional energy landscape with five valleys at flattening "
             "{flattening}, the intact landscape dashed, and a shaded histogram of where "
             "walkers spent their time. Right: the paths of three walkers over time at "
             "temperature {temperature}, with the entropy of the valleys visited."),
        caption=("A toy simulation of a metaphor, not a model of the brain. Left: energy "
                 "against state (solid; dashed: intact landscape), the green arrow is the "
                 "temperature T, shading shows where walkers spent their time. Right: three "
                 "walkers' paths; dotted lines mark the valleys. Flattening lowers the "
                 "barriers, a higher temperature gives bigger random kicks; either lets "
                 "walkers leave the central valley more often, which raises the entropy of "
                 "the valleys they visit."))
