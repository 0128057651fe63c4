"""Figures and explorers for spine turnover (chapters on spines and on the Shao study)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from matplotlib.axes import Axes

from models._params import check_choice
from models.published import SHAO_DENSITY_CHANGE
from models.spines import DOSE_BOUNDS, SpineParams, SpineTrajectory, simulate_spine_density

from .core import Control, Explorer, axes_or_new
from .published import data_handle, draw_data_point
from .style import COLORS, label_axes

__all__ = ["SLIDER_CHOICES", "explore_spine_turnover", "plot_spine_density"]

#: Day-34 and 24-h marks, the time points Shao et al. (2021) emphasised.
_MARK_DAYS = (1.0, 34.0)
#: Legend entry of the study's values.
DATA_LABEL = "data: Shao 2021, 1 mg/kg, per dendrite (bar: \u00b11 SD)"
#: What :func:`explore_spine_turnover` can let the reader move besides the dose.
SLIDER_CHOICES = ("dose", "formation_boost", "elimination")


#: The values each slider offers (the frames the static book precomputes).
_DOSE_STEPS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
_FORMATION_BOOST_STEPS = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0)
_TRANSIENT_ELIMINATION_PER_DAY_STEPS = (0.05, 0.075, 0.099, 0.15, 0.2, 0.3)


def plot_spine_density(
    result: SpineTrajectory,
    ax: Axes | None = None,
    *,
    reference: SpineTrajectory | None = None,
    show_pools: bool = False,
    ylim: tuple[float, float] | None = (-15.0, 25.0),
    absolute: bool = False,
    data: bool = False,
) -> Axes:
    """Plot spine density against days after the dose.

    By default the y axis is the change in percent of the pre-dose baseline; with
    ``absolute=True`` it is density in spines/µm, so changes of the baseline itself show.

    Parameters
    ----------
    result
        A trajectory from :func:`models.spines.simulate_spine_density`.
    reference
        Drawn in grey (for example saline).
    show_pools
        Also draw the transient and persistent pools' contributions.
    ylim
        Fixed y range (percent, or spines/µm when ``absolute``) so frames of an explorer
        are comparable (None: automatic).
    absolute
        Plot density in spines/µm instead of percent change.
    data
        Also draw the per-dendrite means of Shao et al. (2021) after 1 mg/kg
        (:data:`models.published.SHAO_DENSITY_CHANGE`, recomputed from the authors' data),
        with ±1 SD where it is known; in spines/µm when ``absolute`` (relative to the
        model's baseline).
    """
    ax = axes_or_new(ax)
    base = result.baseline_per_um

    def y(traj: SpineTrajectory, values: np.ndarray | None = None) -> np.ndarray:
        v = traj.density_per_um if values is None else values
        return v if absolute else 100.0 * (v / traj.baseline_per_um - 1.0)

    if reference is not None:
        ax.plot(
            reference.t_days,
            y(reference),
            color=COLORS["saline"],
            lw=1.5,
            ls="--",
            label="saline (0 mg/kg)",
        )
    label = (
        f"psilocybin {result.dose_mg_per_kg:g} mg/kg"
        if result.dose_mg_per_kg
        else "dose 0 mg/kg (as saline)"
        if reference is not None
        else "saline (0 mg/kg)"
    )
    color = COLORS["psilocybin"] if result.dose_mg_per_kg else COLORS["saline"]
    ax.plot(result.t_days, y(result), color=color, label=label)
    if show_pools:
        for pool in ("transient", "persistent"):
            values = getattr(result, f"{pool}_per_um")
            if absolute:
                ax.plot(result.t_days, values, color=COLORS[pool], lw=1.2, label=f"{pool} spines")
            else:
                ax.plot(
                    result.t_days,
                    100 * (values - values[0]) / base,
                    color=COLORS[pool],
                    lw=1.2,
                    label=f"{pool} spines (change)",
                )
    t_end = result.t_days[-1]
    for day in _MARK_DAYS:
        if day <= t_end:
            change = float(np.interp(day, result.t_days, result.percent_change))
            mark = float(np.interp(day, result.t_days, y(result)))
            ax.plot([day], [mark], "o", color=color, ms=5)
            # Near the right edge the label goes to the left of its point, so it stays
            # inside the axes.
            right_edge = day > result.t_days[0] + 0.8 * (t_end - result.t_days[0])
            ax.annotate(
                f"{change:+.1f} %".replace("-", "\u2212"),
                (day, mark),
                textcoords="offset points",
                xytext=(-4, 6) if right_edge else (6, 16),
                ha="right" if right_edge else "left",
                fontsize=9,
                color="#222222",
            )
    if data:
        for day, value in SHAO_DENSITY_CHANGE["psilocybin"].items():
            if value.mean is None or not 0.0 < day <= t_end:
                continue
            scale = base / 100.0 if absolute else 1.0
            offset = base if absolute else 0.0
            sd = value.sd
            draw_data_point(
                ax,
                day,
                offset + scale * value.mean,
                COLORS["psilocybin"],
                low=None if sd is None else offset + scale * (value.mean - sd),
                high=None if sd is None else offset + scale * (value.mean + sd),
            )
    if not absolute:
        ax.axhline(0.0, color=COLORS["baseline"], lw=1.0)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(result.t_days[0], t_end)
    handles, _ = ax.get_legend_handles_labels()
    if data:
        handles.append(data_handle(DATA_LABEL))
    ax.legend(handles=handles, loc="upper right", fontsize=8 if data else None)
    ylabel = "spine density (spines per µm)" if absolute else "spine density change (% of baseline)"
    return label_axes(ax, x="days after the dose", y=ylabel)


def explore_spine_turnover(*, control: str = "dose", days: float = 35.0) -> Explorer:
    """Explorer: one dose on day 0, and spine density over the following weeks.

    Parameters
    ----------
    control
        Which second quantity the reader moves together with the dose: ``"dose"`` (dose
        only), ``"formation_boost"`` or ``"elimination"`` (dose and that parameter).
    days
        Length of the simulated period after the dose.
    """
    check_choice("control", control, SLIDER_CHOICES)
    default = SpineParams()
    dose = Control("dose", "Dose", _DOSE_STEPS, 1.0, unit="mg/kg", bounds=DOSE_BOUNDS)
    saline = simulate_spine_density(dose_mg_per_kg=0.0, days=days)
    if control == "dose":
        controls = (dose,)
        alt = (
            f"Line plot of spine density change over {days:g} days after a {{dose}} dose "
            "of psilocybin, compared with saline."
        )
        caption = (
            "Spine density after one dose on day 0, as percent change from baseline "
            "(dashed: saline). Move the dose: a larger dose opens a stronger "
            "plasticity window, but the effect saturates above about 2 mg/kg."
        )
    elif control == "formation_boost":
        # Without a dose the boost changes nothing: this variant starts at the lowest dose.
        controls = (
            replace(dose, values=dose.values[1:]),
            Control.of(
                default, "formation_boost", "Formation boost", _FORMATION_BOOST_STEPS, unit="x"
            ),
        )
        alt = (
            "Line plot of spine density change after a {dose} dose when the dose raises "
            "spine formation up to {formation_boost} fold."
        )
        caption = (
            "Spine density after one dose on day 0 (dashed: saline). The formation "
            "boost sets how strongly the dose raises the birth of new spines; dose and "
            "boost together set the early peak."
        )
    else:
        controls = (
            dose,
            Control.of(
                default,
                "transient_elimination_per_day",
                "Elimination of new spines",
                _TRANSIENT_ELIMINATION_PER_DAY_STEPS,
                unit="per day",
                fmt="{:.3g}",
            ),
        )
        alt = (
            "Line plot of spine density in spines per micrometre after a {dose} dose "
            "when new spines are eliminated at {transient_elimination_per_day}, with "
            "the transient and persistent pools."
        )
        caption = (
            "Spine density (spines per µm) after one dose on day 0, with its "
            "transient and persistent pools; dashed: saline at default rates. "
            "Faster elimination of new spines lowers the steady state itself and "
            "shortens how long the dose's extra spines last."
        )

    alt += (
        " Diamonds mark the per-dendrite means of Shao et al. 2021 after 1 mg/kg (recomputed "
        "from the authors' data), with the "
        "spread of single dendrites at day 1."
    )
    caption += (
        " Diamonds: the per-dendrite mean change after 1 mg/kg in Shao et al. (2021), "
        "recomputed from the authors' public data; the bar at day 1 is the spread of single "
        "dendrites (\u00b11 SD), not the uncertainty of the mean. The model was tuned to "
        "these means."
    )

    def compute(dose: float, **param: float) -> SpineTrajectory:
        """The second slider, if any, sets one field of :class:`SpineParams`."""
        return simulate_spine_density(
            dose_mg_per_kg=dose, days=days, params=replace(default, **param)
        )

    absolute = control == "elimination"

    def draw(result, ax, **_values):
        plot_spine_density(
            result,
            ax,
            reference=saline,
            show_pools=True,
            absolute=absolute,
            ylim=(0.0, 0.8) if absolute else (-20.0, 30.0),
            data=True,
        )

    return Explorer(
        compute=compute,
        draw=draw,
        controls=controls,
        title="Spine density after one dose",
        alt=alt,
        caption=caption,
    )


#: The registry shows every variant (see :func:`explorers.registry.all_explorers`).
explore_spine_turnover.variants = {"control": SLIDER_CHOICES}
