"""Figures and explorers for pharmacology (psilocin kinetics, 5-HT2A occupancy) and for the
mechanism debate (5-HT2A or TrkB?).

Two explorers:

- :func:`explore_pk`: plasma psilocin and 5-HT2A occupancy over 24 h after one oral dose,
  built on :mod:`models.pharmacology` (chapter "Pharmacology: from dose to receptor").
- :func:`explore_mechanisms`: a *toy* of two competing hypotheses (chapter "Evidence III").
  A competitive antagonist (ketanserin) shifts psilocin's 5-HT2A occupancy curve to the right
  (Gaddum equation); a head-twitch proxy follows 5-HT2A occupancy, while a plasticity drive
  runs partly through 5-HT2A and partly through TrkB, in a share the reader chooses.

The toy's small pure functions (:func:`gaddum_occupancy`, :func:`schild_dose_ratio`,
:func:`two_pathway_model`) live here rather than in :mod:`models` because they exist only to
illustrate an argument: they are not calibrated to any experiment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from models.pharmacology import OCCUPANCY_EMAX, PKParams, PKResult, simulate_pk

from .core import Control, Explorer
from .style import COLORS, PALETTE, label_axes, new_figure

__all__ = [
    "PATHWAY_COLORS",
    "TwoPathwayResult",
    "explore_mechanisms",
    "explore_pk",
    "gaddum_occupancy",
    "plot_antagonist_shift",
    "plot_concentration",
    "plot_occupancy",
    "plot_pathway_responses",
    "schild_dose_ratio",
    "two_pathway_model",
]

#: Colours of the two pathways in the mechanism toy (hatching marks TrkB as well).
PATHWAY_COLORS = {"5-HT2A": PALETTE["orange"], "TrkB": PALETTE["sky"]}

#: The default oral dose (mg) and the reference curve drawn in grey in :func:`explore_pk`.
_REFERENCE_DOSE_MG = 25.0


# -- Kinetics and occupancy over time ------------------------------------------------------


def _new_ax(ax: Axes | None) -> Axes:
    return new_figure().add_subplot() if ax is None else ax


def plot_concentration(result: PKResult, ax: Axes | None = None, *,
                       reference: PKResult | None = None,
                       ylim: tuple[float, float] | None = (0.0, 25.0),
                       label: str | None = None, reference_label: str = "reference",
                       legend: bool = True) -> Axes:
    """Plot plasma psilocin (ng/mL) against hours after an oral dose.

    Parameters
    ----------
    result
        A result of :func:`models.pharmacology.simulate_pk`.
    ax
        Axes to draw on; a new figure's axes when None.
    reference
        Optional second result drawn dashed in grey (for example the default dose).
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
    ax = _new_ax(ax)
    if reference is not None:
        ax.plot(reference.t_hours, reference.concentration_ng_per_ml, color=COLORS["baseline"],
                lw=1.5, ls="--", label=reference_label)
    ax.plot(result.t_hours, result.concentration_ng_per_ml, color=COLORS["psilocybin"],
            label=label or f"{result.dose_mg:g} mg")
    ax.plot([result.t_peak_hours], [result.c_max_ng_per_ml], "o", color=COLORS["psilocybin"],
            ms=5)
    ax.text(0.97, 0.5, f"peak {result.c_max_ng_per_ml:.1f} ng/mL at {result.t_peak_hours:.1f} h",
            transform=ax.transAxes, ha="right", fontsize=9, color="#222222")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlim(result.t_hours[0], result.t_hours[-1])
    if legend:
        ax.legend(loc="upper right")
    return label_axes(ax, x="hours after the oral dose (h)",
                      y="plasma psilocin (ng/mL, toy scale)")


def plot_occupancy(result: PKResult, ax: Axes | None = None, *,
                   reference: PKResult | None = None,
                   ylim: tuple[float, float] | None = (0.0, 80.0),
                   emax: float = OCCUPANCY_EMAX, legend: bool = True) -> Axes:
    """Plot 5-HT2A receptor occupancy (%) against hours after an oral dose.

    A dotted line marks ``emax``, the highest occupancy measured with PET (72 %, Madsen et
    al. 2019), which the model's binding curve approaches but never reaches.

    Parameters
    ----------
    result, ax, reference
        As in :func:`plot_concentration`.
    ylim
        Fixed y range in percent (None: automatic).
    emax
        Occupancy ceiling to mark, a fraction.
    legend
        Label the ceiling line in the plot (False: the caller explains it, e.g. in a title).
    """
    ax = _new_ax(ax)
    ax.axhline(100 * emax, color=COLORS["baseline"], lw=1.0, ls=":")
    if legend:
        ax.annotate(f"{100 * emax:.0f} %: highest measured (PET)", (0.98, 100 * emax),
                    xycoords=("axes fraction", "data"), textcoords="offset points",
                    xytext=(0, 3), ha="right", fontsize=8, color="#444444")
    if reference is not None:
        ax.plot(reference.t_hours, 100 * reference.occupancy, color=COLORS["baseline"], lw=1.5,
                ls="--")
    ax.plot(result.t_hours, 100 * result.occupancy, color=COLORS["psilocybin"])
    peak = 100 * result.peak_occupancy
    ax.plot([result.t_peak_hours], [peak], "o", color=COLORS["psilocybin"], ms=5)
    ax.annotate(f"peak {peak:.0f} %", (result.t_peak_hours, peak), textcoords="offset points",
                xytext=(6, 4), fontsize=9, color="#222222")
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
    dose = Control("dose_mg", "Oral dose", (1.0, 3.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0),
                   _REFERENCE_DOSE_MG, unit="mg")
    half_life = Control("elimination_half_life_h", "Elimination half-life",
                        (1.0, 1.5, 2.0, 2.5, 3.0, 4.0), default.elimination_half_life_h,
                        unit="h")
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
        ax_o.set_title(f"dotted: {100 * OCCUPANCY_EMAX:.0f} %, highest measured (PET)",
                       fontsize=9)

    return Explorer(
        compute=compute, draw=draw, controls=(dose, half_life), panels=2,
        figsize=(7.2, 3.4),
        title="Psilocin concentration and 5-HT2A occupancy after one oral dose",
        alt=("Two line plots over 24 hours after a {dose_mg} oral dose of psilocybin with an "
             "elimination half-life of {elimination_half_life_h}: left, plasma psilocin "
             "rises to a peak and decays; right, 5-HT2A receptor occupancy follows it but "
             "stays below 72 percent."),
        caption=("Toy one-compartment model. Left: plasma psilocin (illustrative scale); "
                 "right: 5-HT2A occupancy from a single-site binding curve capped at the "
                 "highest value measured with PET (72 %). Grey dashed: 25 mg with a 2 h "
                 "half-life. A larger dose scales the concentration curve but raises "
                 "occupancy less and less; a longer half-life delays and broadens both "
                 "curves."),
    )


# -- The mechanism toy: a competitive antagonist and two pathways --------------------------


def _check_nonneg(name: str, x) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {x!r}")
    return arr


def _check_pos(name: str, x: float) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        v = float("nan")
    if isinstance(x, bool) or not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {x!r}")
    return v


def schild_dose_ratio(antagonist, *, kb: float = 1.0):
    """Dose ratio ``1 + B / KB`` by which a competitive antagonist shifts an agonist's curve.

    With the antagonist present, the agonist needs ``1 + B/KB`` times the concentration to
    reach the same occupancy (Schild). ``KB`` is the antagonist's dissociation constant.

    Parameters
    ----------
    antagonist
        Antagonist concentration ``B`` (array-like, >= 0), in the same unit as ``kb``.
    kb
        The antagonist's dissociation constant (> 0).

    Examples
    --------
    >>> float(schild_dose_ratio(0.0))
    1.0
    >>> float(schild_dose_ratio(9.0, kb=1.0))
    10.0
    """
    b = _check_nonneg("antagonist", antagonist)
    return 1.0 + b / _check_pos("kb", kb)


def gaddum_occupancy(agonist, *, ec50: float = 1.0, antagonist=0.0, kb: float = 1.0):
    """Fraction of receptors bound by an agonist in the presence of a competitive antagonist.

    The Gaddum equation, ``A / (A + EC50 (1 + B / KB))``: agonist and antagonist compete for
    the same site, so the antagonist multiplies the agonist's apparent EC50 by the Schild dose
    ratio ``1 + B/KB``. Without antagonist it is the single-site binding curve ``A/(A+EC50)``.

    Parameters
    ----------
    agonist
        Agonist concentration ``A`` (array-like, >= 0), same unit as ``ec50``.
    ec50
        Agonist concentration giving half occupancy without antagonist (> 0).
    antagonist
        Antagonist concentration ``B`` (array-like, >= 0), same unit as ``kb``.
    kb
        The antagonist's dissociation constant (> 0).

    Returns
    -------
    numpy.ndarray
        Occupancy as a fraction in ``[0, 1)``.

    Examples
    --------
    >>> float(gaddum_occupancy(3.0))
    0.75
    >>> float(gaddum_occupancy(3.0, antagonist=1.0))
    0.6
    >>> round(float(gaddum_occupancy(3.0, antagonist=10.0)), 3)
    0.214
    """
    a = _check_nonneg("agonist", agonist)
    shifted = _check_pos("ec50", ec50) * schild_dose_ratio(antagonist, kb=kb)
    with np.errstate(invalid="ignore"):
        occ = a / (a + shifted)
    return np.where(np.isfinite(occ), occ, 1.0)  # a = inf: fully bound


@dataclass(frozen=True)
class TwoPathwayResult:
    """Result of :func:`two_pathway_model` (a toy, in relative units).

    Attributes
    ----------
    antagonist_over_kb
        Ketanserin concentration in multiples of its ``KB``.
    share_5ht2a
        Share of the plasticity drive that runs through 5-HT2A (0: TrkB only, 1: 5-HT2A only).
    agonist_over_ec50
        Psilocin concentration in multiples of its 5-HT2A EC50.
    concentration_over_ec50
        Psilocin concentrations for the occupancy curves (multiples of EC50).
    occupancy_curve_control, occupancy_curve_antagonist
        5-HT2A occupancy along ``concentration_over_ec50``, without and with the antagonist.
    occupancy_control, occupancy
        5-HT2A occupancy at ``agonist_over_ec50``, without and with the antagonist.
    head_twitch
        Head-twitch proxy relative to no antagonist (proportional to 5-HT2A occupancy).
    plasticity_via_5ht2a, plasticity_via_trkb
        The two parts of the plasticity drive, relative to the total without antagonist.
    """

    antagonist_over_kb: float
    share_5ht2a: float
    agonist_over_ec50: float
    concentration_over_ec50: np.ndarray
    occupancy_curve_control: np.ndarray
    occupancy_curve_antagonist: np.ndarray
    occupancy_control: float
    occupancy: float
    head_twitch: float
    plasticity_via_5ht2a: float
    plasticity_via_trkb: float

    @property
    def plasticity(self) -> float:
        """Total plasticity drive relative to no antagonist (1 = unchanged)."""
        return self.plasticity_via_5ht2a + self.plasticity_via_trkb


def two_pathway_model(*, antagonist_over_kb: float = 0.0, share_5ht2a: float = 1.0,
                      agonist_over_ec50: float = 3.0, n_points: int = 121) -> TwoPathwayResult:
    """Toy of two hypotheses: does psilocybin's plasticity run through 5-HT2A or TrkB?

    - 5-HT2A occupancy by psilocin follows :func:`gaddum_occupancy` with ketanserin as a
      competitive antagonist.
    - Head-twitch proxy: proportional to 5-HT2A occupancy, relative to no antagonist.
    - Plasticity drive: ``share * occ / occ_control + (1 - share)``. The first term runs
      through 5-HT2A and falls with ketanserin; the second runs through TrkB, which psilocin
      binds directly in the hypothesis of Moliner et al. (2023) and which ketanserin does not
      bind in this toy, so it is unchanged.

    Both outputs are 1 without antagonist. Nothing here is calibrated: it shows what each
    hypothesis predicts, not which one is true.

    Parameters
    ----------
    antagonist_over_kb
        Ketanserin concentration in multiples of its dissociation constant, in [0, 1e4].
    share_5ht2a
        Share of plasticity through 5-HT2A, in [0, 1] (1: "5-HT2A hypothesis", 0: "TrkB").
    agonist_over_ec50
        Psilocin concentration in multiples of its 5-HT2A EC50, in (0, 1e4].
    n_points
        Points on the occupancy curves (integer in [2, 10000]).

    Examples
    --------
    >>> r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=1.0)
    >>> round(r.head_twitch, 3), round(r.plasticity, 3)
    (0.286, 0.286)
    >>> r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=0.0)
    >>> round(r.head_twitch, 3), round(r.plasticity, 3)
    (0.286, 1.0)
    """
    b = float(_check_nonneg("antagonist_over_kb", antagonist_over_kb))
    if b > 1e4:
        raise ValueError(f"antagonist_over_kb must be in [0, 1e4], got {antagonist_over_kb!r}")
    w = float(_check_nonneg("share_5ht2a", share_5ht2a))
    if w > 1:
        raise ValueError(f"share_5ht2a must be in [0, 1], got {share_5ht2a!r}")
    a = _check_pos("agonist_over_ec50", agonist_over_ec50)
    if a > 1e4:
        raise ValueError(f"agonist_over_ec50 must be in (0, 1e4], got {agonist_over_ec50!r}")
    if (isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer))
            or not 2 <= n_points <= 10_000):
        raise ValueError(f"n_points must be an integer in [2, 10000], got {n_points!r}")
    x = np.logspace(-2.0, 4.0, int(n_points))
    occ0 = float(gaddum_occupancy(a))
    occ = float(gaddum_occupancy(a, antagonist=b))
    ratio = occ / occ0
    return TwoPathwayResult(
        antagonist_over_kb=b, share_5ht2a=w, agonist_over_ec50=a,
        concentration_over_ec50=x,
        occupancy_curve_control=gaddum_occupancy(x),
        occupancy_curve_antagonist=gaddum_occupancy(x, antagonist=b),
        occupancy_control=occ0, occupancy=occ, head_twitch=ratio,
        plasticity_via_5ht2a=w * ratio, plasticity_via_trkb=1.0 - w)


def plot_antagonist_shift(result: TwoPathwayResult, ax: Axes | None = None, *,
                          legend: bool = True) -> Axes:
    """Plot 5-HT2A occupancy (%) against psilocin concentration, with and without ketanserin.

    The concentration axis is logarithmic, in multiples of psilocin's EC50; a competitive
    antagonist shifts the curve to the right by the Schild dose ratio without lowering its top.
    ``legend=False`` leaves the legend out (see :func:`plot_concentration`).
    """
    ax = _new_ax(ax)
    x = result.concentration_over_ec50
    ax.plot(x, 100 * result.occupancy_curve_control, color=COLORS["baseline"], lw=1.5, ls="--",
            label="psilocin alone")
    ax.plot(x, 100 * result.occupancy_curve_antagonist, color=PATHWAY_COLORS["5-HT2A"],
            label=f"+ ketanserin {result.antagonist_over_kb:g} × KB")
    ax.axvline(result.agonist_over_ec50, color="#444444", lw=1.0, ls=":")
    ax.plot([result.agonist_over_ec50] * 2,
            [100 * result.occupancy_control, 100 * result.occupancy], "o",
            color=PATHWAY_COLORS["5-HT2A"], ms=5)
    ax.annotate(f"{100 * result.occupancy:.0f} %", (result.agonist_over_ec50,
                100 * result.occupancy), textcoords="offset points", xytext=(6, -2),
                fontsize=9, color="#222222")
    ax.set_xscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0.0, 105.0)
    if legend:
        ax.legend(loc="upper left")
    return label_axes(ax, x="psilocin concentration (multiples of EC50)",
                      y="5-HT2A occupancy (%)")


def plot_pathway_responses(result: TwoPathwayResult, ax: Axes | None = None, *,
                           legend: bool = True) -> Axes:
    """Bar chart: head-twitch proxy and plasticity drive, in % of the no-ketanserin response.

    The plasticity bar is stacked: the part that runs through 5-HT2A (orange) and the part
    through TrkB (light blue, hatched). ``legend=False`` leaves the legend out.
    """
    ax = _new_ax(ax)
    c5, ct = PATHWAY_COLORS["5-HT2A"], PATHWAY_COLORS["TrkB"]
    ax.axhline(100.0, color=COLORS["baseline"], lw=1.0, ls=":")
    ax.bar([0], [100 * result.head_twitch], width=0.6, color=c5, edgecolor="#333333")
    trkb = 100 * result.plasticity_via_trkb
    ax.bar([1], [trkb], width=0.6, color=ct, edgecolor="#333333", hatch="//")
    ax.bar([1], [100 * result.plasticity_via_5ht2a], bottom=[trkb], width=0.6, color=c5,
           edgecolor="#333333")
    for pos, value in ((0, result.head_twitch), (1, result.plasticity)):
        ax.annotate(f"{100 * value:.0f} %", (pos, 100 * value), textcoords="offset points",
                    xytext=(0, 3), ha="center", fontsize=9, color="#222222")
    ax.set_xticks([0, 1], ["head-twitch\nproxy", "plasticity\ndrive"])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0.0, 125.0)
    # Explicit handles: bar containers outlive an explorer's frame, so an automatic legend
    # would collect the labels of earlier frames too.
    if legend:
        handles = [Patch(facecolor=c5, edgecolor="#333333", label="via 5-HT2A"),
                   Patch(facecolor=ct, edgecolor="#333333", hatch="//", label="via TrkB")]
        ax.legend(handles=handles, loc="upper right", ncols=2, fontsize=8)
    return label_axes(ax, x="toy readout", y="% of response without ketanserin")


def explore_mechanisms() -> Explorer:
    """Explorer: a toy of the mechanism debate (5-HT2A or TrkB?).

    Sliders: ketanserin concentration (multiples of its ``KB``) and the share of the plasticity
    drive that runs through 5-HT2A (0 %: TrkB hypothesis; 100 %: 5-HT2A hypothesis). Left: the
    competitive antagonist shifts psilocin's 5-HT2A occupancy curve to the right. Right: the
    head-twitch proxy and the plasticity drive, relative to no ketanserin.
    """
    ketanserin = Control("antagonist_over_kb", "Ketanserin", (0.0, 1.0, 3.0, 10.0, 30.0, 100.0),
                         10.0, unit="× KB")
    share = Control("share_percent", "Plasticity via 5-HT2A", (0.0, 25.0, 50.0, 75.0, 100.0),
                    100.0, unit="%")

    def compute(antagonist_over_kb: float, share_percent: float) -> TwoPathwayResult:
        return two_pathway_model(antagonist_over_kb=antagonist_over_kb,
                                 share_5ht2a=share_percent / 100.0, n_points=61)

    def draw(result: TwoPathwayResult, axes, **_values) -> None:
        ax_shift, ax_bars = axes
        plot_antagonist_shift(result, ax_shift, legend=False)
        plot_pathway_responses(result, ax_bars, legend=False)
        ax_shift.set_title("dashed: psilocin alone; solid: + ketanserin", fontsize=9)
        ax_bars.set_title("orange: via 5-HT2A; hatched: via TrkB", fontsize=9)

    return Explorer(
        compute=compute, draw=draw, controls=(ketanserin, share), panels=2,
        figsize=(7.2, 3.4),
        title="Toy model: does psilocybin's plasticity need 5-HT2A?",
        alt=("Toy model with ketanserin at {antagonist_over_kb} and {share_percent} of the "
             "plasticity drive running through 5-HT2A. Left: the 5-HT2A occupancy curve of "
             "psilocin shifts to the right. Right: bars for the head-twitch proxy and the "
             "plasticity drive as percent of the response without ketanserin."),
        caption=("A toy of competing hypotheses, not a fit to data. Left: ketanserin, a "
                 "competitive 5-HT2A antagonist, shifts psilocin's occupancy curve to the "
                 "right (dashed: psilocin alone; dotted line: the psilocin concentration "
                 "used). Right: the head-twitch proxy follows 5-HT2A occupancy; the "
                 "plasticity drive runs through 5-HT2A (orange) and TrkB (hatched) in the "
                 "share you choose. Raise ketanserin to lower 5-HT2A occupancy; move the "
                 "share from 100 % (5-HT2A hypothesis) to 0 % (TrkB hypothesis)."),
    )
