"""Simulated chronic two-photon imaging of spine turnover, one spine at a time.

:func:`simulate_imaging` is the stochastic, per-spine version of the two-pool model of
:mod:`models.spines`: the same equations, but each dendrite carries whole spines that are
born, mature and die at random, and the dendrites are "imaged" only on chosen days, as in
Shao et al. (2021).

The model
---------
Every spine behaves independently. On a dendrite of length ``L`` µm new *transient* spines
appear as a Poisson process of rate ``f(t) L``. A transient spine dies at rate ``λ_T`` or
matures at rate ``k(t)`` into a *persistent* spine, which dies at rate ``λ_P``::

    birth         rate f(t) L                   f(t) = f0 (1 + formation_boost g(t))
    T -> gone     rate λ_T per spine
    T -> P        rate k(t) per spine           k(t) = k0 (1 + stabilization_boost g(t))
    P -> gone     rate λ_P per spine

with the plasticity window ``g(t)`` of :func:`models.spines.plasticity_drive`. The expected
counts divided by ``L`` obey exactly the mean-field equations of :mod:`models.spines`, and
the stationary counts before the dose are independent Poisson numbers with means ``T* L``
and ``P* L``: the starting state.

What imaging sees
-----------------
A spine is *formed* in the interval before session ``s`` if it is present at ``s`` and was
born after session ``s - 1``; it is *eliminated* if it was present at ``s - 1`` and is gone
at ``s``. So ``count[s] = count[s - 1] + formed[s] - eliminated[s]`` exactly. Spines born
and gone between two sessions are never seen: ``born`` counts them, ``formed`` cannot.
This is why the measured formation fraction per 2-day interval underestimates the true birth
rate, most of all in the first days after a dose, when many short-lived spines appear.

Numerics
--------
Time advances in steps of at most ``dt_days`` while the plasticity window is open; imaging
days and the dose (day 0) fall on step boundaries. Where the rates are constant (before the
dose, after the window has closed, or always for saline) the simulation jumps from one
session to the next in a single exact step. Within a step the rates are held at their step
averages (``g`` averaged by 3-point Gauss-Legendre quadrature of
:func:`~models.spines.plasticity_drive`) and every
transition is drawn with its *exact* probability for constant rates, for instance
``1 - exp(-(λ_T + k) dt)`` rather than ``(λ_T + k) dt``, so nothing breaks when a rate times
``dt`` is not small. The loop runs over time steps only; each step is a handful of
vectorised binomial and Poisson draws over all dendrites at once. Only two groups of spines
per dendrite are tracked, "present at the previous session" and "born since", each split
into transient and persistent, because that is all the formed/eliminated counts need.

What is simplified
------------------
- Imaging is perfect: every spine present on an imaging day is seen and matched, none is
  missed or double-counted (real scoring misses small spines and has observer error).
- Dendrites are independent and identical apart from length: no animal-to-animal or
  sex differences, so no pseudo-replication structure. Both are added one layer up, by
  :func:`models.imaging.mice.simulate_mouse_experiment` (scoring error, an imaging-session
  error shared by a mouse's dendrites, and mouse responsiveness, fitted to the spread of
  Shao et al. 2021); with perfect imaging the per-dendrite spread at the default 80 µm is
  about half the study's.
- The default length of 80 µm per imaged segment is illustrative, not a measured mean; pass
  an array of lengths to model segments of different size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import Bounds, check_array, check_in_range, check_int
from ..spines import DOSE_BOUNDS, SpineParams, plasticity_drive, steady_state

__all__ = ["DEFAULT_IMAGING_DAYS", "ImagingResult", "simulate_imaging"]

#: Default imaging sessions, days relative to the dose: two baseline sessions 2 days apart and
#: the post-dose days reported by Shao et al. (2021) (1, 3, 7 and 34).
DEFAULT_IMAGING_DAYS = (-3.0, -1.0, 1.0, 3.0, 7.0, 34.0)
#: Valid imaging days, days relative to the dose at day 0.
IMAGING_DAY_BOUNDS = Bounds(-60.0, 365.0)
#: Valid lengths of an imaged dendritic segment, µm.
LENGTH_BOUNDS = Bounds(1.0, 1000.0)
#: Valid time steps, days.
DT_BOUNDS = Bounds(0.001, 1.0)
#: Most dendrites one call may simulate.
MAX_DENDRITES = 100_000
#: Most imaging sessions one call may simulate.
MAX_SESSIONS = 1000
#: Largest expected number of spines per dendrite at steady state (a guard against parameter
#: combinations whose steady state is astronomically large, e.g. ``λ_P`` close to 0).
MAX_EXPECTED_SPINES = 1e7

# 3-point Gauss-Legendre nodes and weights on [0, 1].
_GL_NODES = 0.5 + 0.5 * np.array([-math.sqrt(0.6), 0.0, math.sqrt(0.6)])
_GL_WEIGHTS = np.array([5.0, 8.0, 5.0]) / 18.0
# Relative rate change below which the rates count as constant (see _step_grid).
_QUIET = 1e-9
# Births are drawn for several steps at once, up to about this many numbers per draw.
_BLOCK_DRAWS = 1 << 18


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class ImagingResult:
    """Result of :func:`simulate_imaging`: spine counts of every dendrite at every session.

    Arrays are read-only. Rows are dendrites, columns imaging sessions.

    Attributes
    ----------
    imaging_days
        Session days relative to the dose (day 0), shape ``(sessions,)``.
    dendrite_length_um
        Length of each imaged segment, µm, shape ``(dendrites,)``.
    spine_counts
        Spines present at each session, integers, shape ``(dendrites, sessions)``.
    transient_counts, persistent_counts
        The two pools of ``spine_counts`` (a model can tell them apart; imaging cannot).
    formed
        Spines present at session ``s`` that were absent at session ``s - 1``. Float array;
        column 0 is NaN because nothing was imaged before the first session.
    eliminated
        Spines present at session ``s - 1`` that are gone at session ``s``; column 0 NaN.
    born
        All spines born between sessions ``s - 1`` and ``s``, including those that vanished
        before session ``s`` and so were never seen; column 0 NaN.
    dose_mg_per_kg
        The dose given at day 0, mg/kg.
    baseline_per_um
        Mean-field steady-state density before the dose, spines/µm.
    """

    imaging_days: np.ndarray
    dendrite_length_um: np.ndarray
    spine_counts: np.ndarray
    transient_counts: np.ndarray
    persistent_counts: np.ndarray
    formed: np.ndarray
    eliminated: np.ndarray
    born: np.ndarray
    dose_mg_per_kg: float
    baseline_per_um: float

    @property
    def n_dendrites(self) -> int:
        """Number of dendrites."""
        return int(self.spine_counts.shape[0])

    @property
    def n_sessions(self) -> int:
        """Number of imaging sessions."""
        return int(self.spine_counts.shape[1])

    @property
    def density_per_um(self) -> np.ndarray:
        """Spine density of each dendrite at each session, spines/µm."""
        return self.spine_counts / self.dendrite_length_um[:, None]

    @property
    def formation_fraction(self) -> np.ndarray:
        """``formed[s] / spine_counts[s - 1]`` per dendrite and interval.

        The measure of Shao et al. (2021) ("spine formation per 2-day interval" when sessions
        are 2 days apart). Column 0, and dendrites with no spine at ``s - 1``, are NaN.
        """
        return self._per_previous_count(self.formed)

    @property
    def elimination_fraction(self) -> np.ndarray:
        """``eliminated[s] / spine_counts[s - 1]`` per dendrite and interval (column 0 NaN)."""
        return self._per_previous_count(self.eliminated)

    @property
    def missed(self) -> np.ndarray:
        """Spines born between sessions ``s - 1`` and ``s`` but gone before ``s`` (unseen)."""
        return self.born - self.formed

    def _per_previous_count(self, x: np.ndarray) -> np.ndarray:
        out = np.full(x.shape, np.nan)
        prev = self.spine_counts[:, :-1].astype(float)
        np.divide(x[:, 1:], prev, out=out[:, 1:], where=prev > 0)
        return out

    def percent_change_from(self, session_index: int = 0) -> np.ndarray:
        """Per-dendrite density change relative to session ``session_index``, in percent.

        Shao et al. (2021) report the change relative to the first session (day -3). Negative
        indices count from the end. Dendrites with no spine at the reference session give NaN.

        Examples
        --------
        >>> r = simulate_imaging(n_dendrites=3, dose_mg_per_kg=0.0, imaging_days=[0, 2], rng=1)
        >>> r.percent_change_from(0)[:, 0]
        array([0., 0., 0.])
        """
        n = self.n_sessions
        check_int("session_index", session_index, -n, n - 1)
        ref = self.spine_counts[:, [session_index]].astype(float)
        out = np.full(self.spine_counts.shape, np.nan)
        np.divide(self.spine_counts, ref, out=out, where=ref > 0)
        return 100.0 * (out - 1.0)


def _phi(x: np.ndarray) -> np.ndarray:
    """``(1 - exp(-x)) / x``, with the limit 1 at ``x = 0``; accurate for small ``x``."""
    x = np.asarray(x, dtype=float)
    out = np.ones_like(x)
    nz = x != 0.0
    out[nz] = -np.expm1(-x[nz]) / x[nz]
    return out


def _psi(x: np.ndarray) -> np.ndarray:
    """``integral_0^1 u exp(-x u) du = (1 - exp(-x) (1 + x)) / x**2``, limit 1/2 at 0."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    exact = (-np.expm1(-xs) - xs * np.exp(-xs)) / xs**2
    series = 0.5 - x / 3.0 + x**2 / 8.0
    return np.where(small, series, exact)


def _step_grid(days: np.ndarray, dt: float, modulation) -> tuple[np.ndarray, np.ndarray]:
    """Step edges from ``min(days[0], 0)`` to ``days[-1]`` and the last step of each session.

    Every imaging day and the dose (day 0, when inside the range) is a step edge; each piece
    between them is cut into equal steps of at most ``dt``. Where ``modulation(t)`` (the
    relative change of the rates caused by the dose) stays below ``_QUIET`` the rates are
    constant to that accuracy, so runs of such steps between two sessions are merged into one:
    the exact transition probabilities make one long step as good as many short ones.
    """
    start = min(float(days[0]), 0.0)
    knots = np.union1d(days, [start, 0.0] if start < 0.0 < days[-1] else [start])
    if knots.size == 1:  # one session, before or at the dose
        return knots, np.array([-1])
    gaps = np.diff(knots)
    n_steps = np.maximum(1, np.ceil(gaps / dt - 1e-9).astype(np.int64))
    piece = np.repeat(np.arange(gaps.size), n_steps)
    ends = np.cumsum(n_steps)
    j = np.arange(1, ends[-1] + 1) - np.repeat(ends - n_steps, n_steps)
    edges = np.empty(ends[-1] + 1)
    edges[0] = start
    edges[1:] = knots[piece] + gaps[piece] * (j / n_steps[piece])
    edges[ends] = knots[1:]  # exactly, despite rounding
    if edges.size > 2:
        h = np.diff(edges)
        pts = np.concatenate(
            [edges[:-1, None], edges[:-1, None] + h[:, None] * _GL_NODES, edges[1:, None]], axis=1
        )
        quiet = np.max(np.abs(modulation(pts)), axis=1) <= _QUIET
        interior = edges[1:-1]
        drop = quiet[:-1] & quiet[1:] & ~np.isin(interior, knots)
        edges = np.concatenate([edges[:1], interior[~drop], edges[-1:]])
    # Index (into the steps) after which each session is imaged; -1 means "before any step".
    session_step = np.searchsorted(edges, days) - 1
    return edges, session_step


def _transitions(h, f, k, e_t, e_p):
    """Exact per-step transition probabilities for rates held constant within each step.

    ``h``, ``f``, ``k`` are arrays over steps. Returns ``keep`` (steps, 4, 1), the probability
    that a spine of each state row (T old, T new, P old, P new) is still in that state at the
    end of the step; ``mature`` (steps,), the probability that a transient spine that left
    the transient state during the step is persistent and alive at its end; and ``birth``
    (steps, 3, 1), the expected births per µm in the step that end it transient, persistent,
    or already gone.
    """
    a = e_t + k  # total exit rate from T
    keep_t = np.exp(-a * h)
    keep_p = np.exp(-e_p * h)
    leave_t = -np.expm1(-a * h)
    # T at the start -> matured and still alive at the end:
    # integral_0^h exp(-a s) k exp(-λ_P (h - s)) ds.
    t_to_p = k * keep_p * h * _phi((a - e_p) * h)
    mature = np.clip(np.divide(t_to_p, leave_t, out=np.zeros_like(h), where=leave_t > 0), 0.0, 1.0)
    # A spine born at a uniform time in the step, at the step's end: still transient, or
    # persistent and alive (integral over the time r left in the step of the term above).
    born_t = h * _phi(a * h)
    diff = a - e_p
    near = np.abs(diff * h) < 1e-3  # divided difference -> limit
    safe = np.where(near, 1.0, diff)
    born_p = k * np.where(
        near, h**2 * _psi(0.5 * (a + e_p) * h), h * (_phi(e_p * h) - _phi(a * h)) / safe
    )
    born_gone = np.clip(h - born_t - born_p, 0.0, None)
    keep = np.stack([keep_t, keep_t, keep_p, keep_p], axis=1)[:, :, None]
    birth = (f[:, None] * np.stack([born_t, born_p, born_gone], axis=1))[:, :, None]
    return keep, mature, birth


def simulate_imaging(
    *,
    n_dendrites: int,
    dose_mg_per_kg: float,
    imaging_days=DEFAULT_IMAGING_DAYS,
    params: SpineParams | None = None,
    rng=None,
    dendrite_length_um=80.0,
    dt_days: float = 0.25,
) -> ImagingResult:
    """Simulate repeated imaging of the same dendrites before and after a dose at day 0.

    Parameters
    ----------
    n_dendrites
        Number of independent dendritic segments, an integer in [1, 100000].
    dose_mg_per_kg
        Psilocybin dose in mg/kg given at day 0, in [0, 20]. 0 is saline.
    imaging_days
        Imaging session days relative to the dose, strictly increasing, in [-60, 365]. May
        start before the dose. Default ``(-3, -1, 1, 3, 7, 34)``: two baseline sessions
        2 days apart, then the post-dose days reported by Shao et al. (2021).
    params
        Model parameters; :class:`~models.spines.SpineParams` defaults when None.
    rng
        Seed or :class:`numpy.random.Generator`; the same seed gives the same result.
    dendrite_length_um
        Length of each imaged segment, µm, in [1, 1000]: one number for all dendrites or an
        array of shape ``(n_dendrites,)``. The default 80 µm is illustrative (about 38 spines
        at the 0.48/µm baseline).
    dt_days
        Largest time step, days, in [0.001, 1]. Transitions are exact for constant rates, so
        ``dt_days`` only sets how finely the plasticity window is resolved; the default 0.25
        day keeps the expected density within 0.01 % of the mean-field model.

    Returns
    -------
    ImagingResult
        Counts start from the stationary (Poisson) state before the dose.

    Raises
    ------
    ValueError
        Naming the offending argument when an input is out of range.

    Notes
    -----
    Expected counts per µm follow the mean-field model exactly::

        dT/dt = f(t) - (λ_T + k(t)) T,    dP/dt = k(t) T - λ_P P

    A spine born in an interval of length ``Δ`` is seen at the next session with probability
    ``S(u) = exp(-a u) + k (exp(-λ_P u) - exp(-a u)) / (a - λ_P)`` (``a = λ_T + k``, ``u`` the
    time from birth to the session), so at steady state the expected formation fraction is
    ``f0 ∫_0^Δ S(u) du / (T* + P*)``, less than the true ``f0 Δ / (T* + P*)``.

    Examples
    --------
    >>> r = simulate_imaging(n_dendrites=500, dose_mg_per_kg=1.0, rng=0)
    >>> r.spine_counts.shape
    (500, 6)
    >>> d = r.density_per_um.mean(axis=0)
    >>> bool(0.45 < d[0] < 0.51 and d[2] > d[1])          # about 0.48/µm; up after the dose
    True
    >>> ff = r.formation_fraction[:, 1:].mean(axis=0)   # intervals -3..-1, -1..1, 1..3, ...
    >>> bool(ff[1] > 1.5 * ff[0])                       # the interval holding the dose
    True
    >>> bool(np.nansum(r.born) > np.nansum(r.formed))     # imaging misses short-lived spines
    True

    Dendrites of different length:

    >>> lengths = np.random.default_rng(1).uniform(50, 150, size=20)
    >>> r = simulate_imaging(n_dendrites=20, dose_mg_per_kg=0.0, imaging_days=[0, 2],
    ...                      dendrite_length_um=lengths, rng=1)
    >>> bool(np.array_equal(r.dendrite_length_um, lengths))
    True
    """
    check_int("n_dendrites", n_dendrites, 1, MAX_DENDRITES)
    check_in_range("dose_mg_per_kg", dose_mg_per_kg, DOSE_BOUNDS)
    days = _check_days(imaging_days)
    check_in_range("dt_days", dt_days, DT_BOUNDS)
    lengths = _check_lengths(dendrite_length_um, int(n_dendrites))
    if params is None:
        params = SpineParams()
    elif not isinstance(params, SpineParams):
        raise ValueError(f"params must be a SpineParams or None, got {type(params).__name__}")
    p = params
    rng = np.random.default_rng(rng)

    t_star, p_star = steady_state(p)
    expected = (t_star + p_star) * float(lengths.max())
    if not expected <= MAX_EXPECTED_SPINES:
        raise ValueError(
            f"params give {expected:.3g} spines per dendrite at steady state "
            f"(more than {MAX_EXPECTED_SPINES:g}); raise the elimination rates"
        )

    # Per-step rates and exact transition probabilities (vectors over steps).
    dose = float(dose_mg_per_kg)
    boost = max(p.formation_boost, p.stabilization_boost)
    edges, session_step = _step_grid(
        days, float(dt_days), lambda t: boost * plasticity_drive(t, dose, p)
    )
    h = np.diff(edges)
    g = plasticity_drive(edges[:-1, None] + h[:, None] * _GL_NODES, dose, p) @ _GL_WEIGHTS
    f = p.formation_per_um_day * (1.0 + p.formation_boost * g)
    k = p.maturation_per_day * (1.0 + p.stabilization_boost * g)
    keep, mature, birth = _transitions(
        h, f, k, p.transient_elimination_per_day, p.persistent_elimination_per_day
    )

    n = int(n_dendrites)
    n_sess = days.size
    block = max(1, _BLOCK_DRAWS // (3 * n))

    # Rows: transient present at the previous session ("old"), transient born since ("new"),
    # persistent old, persistent new.
    S = np.zeros((4, n), dtype=np.int64)
    S[0] = rng.poisson(t_star * lengths)
    S[2] = rng.poisson(p_star * lengths)

    counts = np.empty((n, n_sess), dtype=np.int64)
    trans = np.empty((n, n_sess), dtype=np.int64)
    formed = np.full((n, n_sess), np.nan)
    eliminated = np.full((n, n_sess), np.nan)
    born = np.full((n, n_sess), np.nan)

    first = 0
    for s in range(n_sess):
        births = np.zeros(n, dtype=np.int64)
        last = session_step[s] + 1
        for b0 in range(first, last, block):
            b1 = min(b0 + block, last)
            # Births do not depend on the state: draw a block of steps at once.
            new = rng.poisson(birth[b0:b1] * lengths)  # (steps, 3, n)
            births += new.sum(axis=(0, 1))
            for j, i in enumerate(range(b0, b1)):
                surv = rng.binomial(S, keep[i])
                surv[2:] += rng.binomial(S[:2] - surv[:2], mature[i])
                surv[1] += new[j, 0]
                surv[3] += new[j, 1]
                S = surv
        first = last
        # Image: old spines still present, new spines seen for the first time.
        trans[:, s] = S[0] + S[1]
        counts[:, s] = S.sum(axis=0)
        if s > 0:
            formed[:, s] = S[1] + S[3]
            eliminated[:, s] = counts[:, s - 1] - (S[0] + S[2])
            born[:, s] = births
        S[0] += S[1]
        S[2] += S[3]
        S[1] = 0
        S[3] = 0

    return ImagingResult(
        imaging_days=_readonly(days),
        dendrite_length_um=_readonly(lengths),
        spine_counts=_readonly(counts),
        transient_counts=_readonly(trans),
        persistent_counts=_readonly(counts - trans),
        formed=_readonly(formed),
        eliminated=_readonly(eliminated),
        born=_readonly(born),
        dose_mg_per_kg=dose,
        baseline_per_um=float(t_star + p_star),
    )


def _check_days(imaging_days) -> np.ndarray:
    days = check_array("imaging_days", imaging_days, IMAGING_DAY_BOUNDS)
    if days.ndim != 1 or not 1 <= days.size <= MAX_SESSIONS:
        raise ValueError(
            f"imaging_days must be a 1-D sequence of 1 to {MAX_SESSIONS} days, "
            f"got shape {days.shape}"
        )
    if np.any(np.diff(days) <= 0):
        raise ValueError(f"imaging_days must be strictly increasing, got {imaging_days!r}")
    return days


def _check_lengths(dendrite_length_um, n: int) -> np.ndarray:
    lengths = check_array("dendrite_length_um", dendrite_length_um, LENGTH_BOUNDS)
    if lengths.ndim == 0:
        lengths = np.full(n, float(lengths))
    if lengths.shape != (n,):
        raise ValueError(
            f"dendrite_length_um must be a number or have shape ({n},) "
            f"(one length per dendrite), got shape {lengths.shape}"
        )
    return lengths
