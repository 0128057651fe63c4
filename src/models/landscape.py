"""Energy landscapes: a toy of the entropic brain and REBUS hypotheses.

The *entropic brain* hypothesis (Carhart-Harris et al. 2014) and *REBUS* ("relaxed beliefs
under psychedelics", Carhart-Harris & Friston 2019) picture brain states as a ball rolling in an
energy landscape. Valleys are habitual states (in depression, perhaps rumination); psychedelics
are proposed to *flatten* the landscape, so that the brain leaves its valleys more often and
visits a more varied, higher-entropy repertoire of states. **This is a hypothesis, not an
established result**, and this module is a metaphor made runnable, not a model of any
measurement. It shows what the metaphor predicts and how "flatter" and "hotter" differ.

The model
---------
One state variable ``x`` follows overdamped Langevin dynamics (Brownian motion in a potential,
mobility 1)::

    dx = -V'(x) dt + sqrt(2 T) dW

    V(x) = (1 - flattening) * U(x),       |x| <= edge
    U(x) = H (1 - cos(2 pi (x - x_1) / s)) / 2  +  G (x / x_n)**2

``U`` has ``n_wells`` valleys ``s`` apart (the first at ``x_1``, the outermost at ``x_n``);
``H`` (``barrier_height``) sets the barriers between neighbouring valleys and ``G``
(``outer_well_offset``) raises the outer valleys above the central one, so the central valley
is the deepest, most habitual state. Walls at ``|x| = edge`` (half a spacing beyond the outer
wells) reflect the walker. ``flattening`` in [0, 1] scales every barrier and depth difference
down (1 leaves a flat box); the temperature ``T`` sets the noise.

Escapes over a barrier ``dV`` follow Kramers' law: the rate is about
``sqrt(V''(well) |V''(top)|) / (2 pi) * exp(-dV / T)`` (:func:`kramers_rate`). Flattening
lowers ``dV``, heating raises ``T``; both make transitions exponentially more frequent.
In this toy they are interchangeable in the exponent (``dV / T``), though not in the prefactor.

What is counted
---------------
A walker is assigned to a valley only when it comes within ``core_fraction * s`` of that
valley's bottom, and keeps that assignment until it reaches the core of another valley
(hysteresis, "milestoning"), so jitter on a barrier top is not counted as many transitions.
``state_entropy_bits`` is the Shannon entropy of the time spent in each valley, pooled over
walkers: 0 bits if every walker stays in one valley, ``log2(n_wells)`` if all are visited
equally.

What is simplified
------------------
- One dimension, a handful of valleys, an energy invented for teaching. Real brain-state
  landscapes (fitted, e.g., with maximum-entropy models to fMRI) have many dimensions.
- Flattening acts uniformly on all barriers; temperature is a free knob, not a physiological
  quantity. Units are arbitrary (energy in units of ``H``, time in units of the dynamics).
- Walkers start in the deepest valley; entropy over a finite run depends on the run length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._params import Bounds, Params, bounded, check_in_range, check_int

__all__ = [
    "LandscapeView",
    "landscape_view",
    "FLATTENING_BOUNDS",
    "TEMPERATURE_BOUNDS",
    "LandscapeParams",
    "LandscapeTrajectory",
    "barrier_positions",
    "energy",
    "kramers_rate",
    "simulate_landscape",
    "well_positions",
]

#: Valid flattening (dimensionless; 0 = intact landscape, 1 = flat).
FLATTENING_BOUNDS = Bounds(0.0, 1.0)
#: Valid temperatures (energy units, same as ``barrier_height``).
TEMPERATURE_BOUNDS = Bounds(0.0, 10.0, low_open=True)
_MAX_STEPS = 1_000_000
_MAX_WALKERS = 100_000
_MAX_SAMPLES = 50_000_000


@dataclass(frozen=True)
class LandscapeParams(Params):
    """Shape of the energy landscape and the integration step.

    Energies are in arbitrary units (the temperature uses the same unit); positions in units
    of the state variable; time in units of the dynamics (mobility 1).

    Attributes
    ----------
    n_wells
        Number of valleys, an integer in [3, 9].
    well_spacing
        Distance ``s`` between neighbouring valleys.
    barrier_height
        Height ``H`` of the periodic barriers between valleys before flattening.
    outer_well_offset
        ``G``: how much higher the outermost valleys lie than the centre (at most ``H``, so
        that every valley stays a valley).
    core_fraction
        Radius of a valley's core, as a fraction of ``s``, in (0, 0.5); sets the hysteresis of
        the transition count.
    dt
        Euler-Maruyama time step. Must resolve the steepest curvature of ``U``:
        ``dt * (2 pi**2 H / s**2 + 2 G / x_n**2) <= 0.5``.
    """

    n_wells: int = bounded(5, 3, 9)
    well_spacing: float = bounded(1.0, 0.2, 5.0)
    barrier_height: float = bounded(1.0, 0.0, 5.0, low_open=True)
    outer_well_offset: float = bounded(0.5, 0.0, 5.0)
    core_fraction: float = bounded(0.25, 0.0, 0.5, low_open=True, high_open=True)
    dt: float = bounded(0.01, 0.0, 0.05, low_open=True)

    def _check(self) -> None:
        check_int("n_wells", self.n_wells, 3, 9)
        if self.outer_well_offset > self.barrier_height:
            raise ValueError(
                f"outer_well_offset must be in [0, barrier_height = "
                f"{self.barrier_height:g}], got {self.outer_well_offset!r}"
            )
        stiffness = _curvature_scale(self)
        if self.dt * stiffness > 0.5:
            raise ValueError(
                f"dt must be <= {0.5 / stiffness:.3g} for barrier_height = "
                f"{self.barrier_height:g} and well_spacing = {self.well_spacing:g} "
                f"(dt * max curvature <= 0.5), got {self.dt!r}"
            )


def _curvature_scale(p: LandscapeParams) -> float:
    """Largest curvature of ``U`` (periodic part plus bowl), 1/time."""
    x_n = (int(p.n_wells) - 1) * p.well_spacing / 2.0
    periodic = 2.0 * np.pi**2 * p.barrier_height / p.well_spacing**2
    return periodic + 2.0 * p.outer_well_offset / x_n**2


@dataclass(frozen=True)
class LandscapeTrajectory:
    """Result of :func:`simulate_landscape`.

    Attributes
    ----------
    t
        Time of each sample, units of the dynamics.
    trajectory
        Position of each walker, shape ``(n_walkers, n_steps + 1)``.
    state
        Valley each walker is assigned to (index into ``well_positions``, with hysteresis),
        same shape as ``trajectory``.
    well_positions
        Bottoms of the valleys.
    transitions
        Number of valley-to-valley transitions of each walker, shape ``(n_walkers,)``.
    occupancy
        Fraction of walker-time spent in each valley, sums to 1.
    state_entropy_bits
        Shannon entropy of ``occupancy``, bits, in [0, log2(n_wells)].
    flattening, temperature
        The values simulated.
    """

    t: np.ndarray
    trajectory: np.ndarray
    state: np.ndarray
    well_positions: np.ndarray
    transitions: np.ndarray
    occupancy: np.ndarray
    state_entropy_bits: float
    flattening: float
    temperature: float

    @property
    def mean_transitions(self) -> float:
        """Mean number of transitions per walker."""
        return float(self.transitions.mean())

    @property
    def max_entropy_bits(self) -> float:
        """Entropy of equal occupancy of all valleys, ``log2(n_wells)``."""
        return float(np.log2(self.well_positions.size))


def _geometry(p: LandscapeParams) -> tuple[int, float, float, float]:
    n = int(p.n_wells)
    s = float(p.well_spacing)
    x_n = (n - 1) * s / 2.0
    return n, s, x_n, x_n + s / 2.0


def _u(x: np.ndarray, p: LandscapeParams) -> np.ndarray:
    n, s, x_n, _ = _geometry(p)
    return (
        p.barrier_height * 0.5 * (1.0 - np.cos(2.0 * np.pi * (x + x_n) / s))
        + p.outer_well_offset * (x / x_n) ** 2
    )


def _du(x: np.ndarray, p: LandscapeParams) -> np.ndarray:
    n, s, x_n, _ = _geometry(p)
    return (
        p.barrier_height * np.pi / s * np.sin(2.0 * np.pi * (x + x_n) / s)
        + 2.0 * p.outer_well_offset * x / x_n**2
    )


def _d2u(x: np.ndarray, p: LandscapeParams) -> np.ndarray:
    n, s, x_n, _ = _geometry(p)
    return (
        2.0 * np.pi**2 * p.barrier_height / s**2 * np.cos(2.0 * np.pi * (x + x_n) / s)
        + 2.0 * p.outer_well_offset / x_n**2
    )


def _newton(x: np.ndarray, p: LandscapeParams) -> np.ndarray:
    """Refine stationary points of ``U`` from symmetric starting guesses (Newton's method)."""
    for _ in range(50):
        step = _du(x, p) / _d2u(x, p)
        x = x - step
        if np.max(np.abs(step)) < 1e-13:
            break
    return 0.5 * (x - x[::-1])  # U is even: make the points exactly symmetric


def well_positions(params: LandscapeParams | None = None) -> np.ndarray:
    """Bottoms of the valleys (they do not move with ``flattening``, which only scales ``U``).

    Examples
    --------
    >>> well_positions().round(3)
    array([-1.975, -0.987,  0.   ,  0.987,  1.975])
    """
    p = params or LandscapeParams()
    n, s, x_n, _ = _geometry(p)
    guess = np.linspace(-x_n, x_n, n)
    return _newton(guess, p)


def barrier_positions(params: LandscapeParams | None = None) -> np.ndarray:
    """Tops of the barriers between neighbouring valleys (``n_wells - 1`` of them)."""
    p = params or LandscapeParams()
    n, s, x_n, _ = _geometry(p)
    guess = np.linspace(-x_n, x_n, n)[:-1] + s / 2.0
    return _newton(guess, p)


def energy(x, *, flattening: float = 0.0, params: LandscapeParams | None = None) -> np.ndarray:
    """Energy ``V(x) = (1 - flattening) U(x)``; ``inf`` outside the walls.

    Parameters
    ----------
    x
        Position(s), array-like.
    flattening
        In [0, 1]; 0 is the intact landscape, 1 a flat box.
    params
        Landscape shape; :class:`LandscapeParams` defaults when None.

    Examples
    --------
    >>> float(energy(0.0))
    0.0
    >>> float(energy(0.5)), float(energy(0.5, flattening=0.5))
    (1.03125, 0.515625)
    >>> float(energy(10.0))
    inf
    """
    check_in_range("flattening", flattening, FLATTENING_BOUNDS)
    p = params or LandscapeParams()
    x = np.asarray(x, dtype=float)
    edge = _geometry(p)[3]
    v = (1.0 - flattening) * _u(x, p)
    return np.where(np.abs(x) <= edge, v, np.inf)


def kramers_rate(
    *, flattening: float = 0.0, temperature: float = 0.25, params: LandscapeParams | None = None
) -> float:
    """Kramers' escape rate from the deepest (central) valley, per unit time.

    Overdamped Kramers formula, summed over the two barriers next to the central valley::

        k = sum_b sqrt(V''(well) |V''(b)|) / (2 pi) * exp(-(V(b) - V(well)) / T)

    Accurate only when the barrier is several times the temperature (within about 20 % of
    :func:`simulate_landscape` at ``dV / T`` of 4-5 with the defaults). It is meaningless for
    nearly flat landscapes: it tends to 0 at ``flattening = 1``, where the walker in fact
    diffuses freely.

    Examples
    --------
    >>> k0 = kramers_rate(temperature=0.25)
    >>> k_flat = kramers_rate(flattening=0.5, temperature=0.25)
    >>> k_hot = kramers_rate(temperature=0.5)
    >>> bool(k_flat > k0 and k_hot > k0)
    True
    """
    check_in_range("flattening", flattening, FLATTENING_BOUNDS)
    check_in_range("temperature", temperature, TEMPERATURE_BOUNDS)
    p = params or LandscapeParams()
    if flattening == 1.0:
        return 0.0
    wells, tops = well_positions(p), barrier_positions(p)
    c = (int(p.n_wells) - 1) // 2
    a, b = wells[c], tops[[c - 1, c]]
    scale = 1.0 - flattening
    dv = scale * (_u(b, p) - _u(a, p))
    pref = scale * np.sqrt(_d2u(a, p) * np.abs(_d2u(b, p))) / (2.0 * np.pi)
    return float(np.sum(pref * np.exp(-dv / temperature)))


def simulate_landscape(
    *,
    flattening: float = 0.0,
    temperature: float = 0.25,
    n_steps: int = 2000,
    n_walkers: int = 100,
    rng=None,
    params: LandscapeParams | None = None,
) -> LandscapeTrajectory:
    """Simulate walkers in the energy landscape, all starting in the deepest valley.

    Parameters
    ----------
    flattening
        In [0, 1]: fraction by which every barrier and depth difference is lowered.
    temperature
        Noise temperature ``T`` in (0, 10], same energy unit as ``barrier_height``.
    n_steps
        Number of Euler-Maruyama steps of length ``params.dt`` (an integer >= 1).
    n_walkers
        Number of independent walkers (an integer >= 1).
    rng
        Seed or :class:`numpy.random.Generator`; same seed, same result.
    params
        Landscape shape; :class:`LandscapeParams` defaults when None.

    Returns
    -------
    LandscapeTrajectory

    Notes
    -----
    Euler-Maruyama: ``x[t+1] = x[t] - V'(x[t]) dt + sqrt(2 T dt) N(0, 1)``, then reflection
    at the walls ``|x| = edge``. The loop runs over time; walkers are a vector.

    Examples
    --------
    >>> rough = simulate_landscape(flattening=0.0, rng=1)
    >>> flat = simulate_landscape(flattening=1.0, rng=1)
    >>> bool(flat.mean_transitions > rough.mean_transitions)
    True
    >>> bool(flat.state_entropy_bits > rough.state_entropy_bits)
    True
    """
    check_in_range("flattening", flattening, FLATTENING_BOUNDS)
    check_in_range("temperature", temperature, TEMPERATURE_BOUNDS)
    n_steps = check_int("n_steps", n_steps, 1, _MAX_STEPS)
    n_walkers = check_int("n_walkers", n_walkers, 1, _MAX_WALKERS)
    if (n_steps + 1) * n_walkers > _MAX_SAMPLES:
        raise ValueError(
            f"n_steps * n_walkers must be at most {_MAX_SAMPLES} samples, "
            f"got {n_steps} * {n_walkers}"
        )
    p = params or LandscapeParams()
    rng = np.random.default_rng(rng)
    n, s, x_n, edge = _geometry(p)
    wells = well_positions(p)
    start = n // 2  # the central (deepest) valley; for even n the right one of the central pair

    scale = 1.0 - float(flattening)
    dt = p.dt
    # Work in y = x + edge, in [0, 2 edge]. The valleys sit half a period from the wall, so
    # the force is -V'(x) = (H pi / s) sin(2 pi y / s) - (2 G / x_n**2) (y - edge), both
    # terms scaled by 1 - flattening.
    c_per = scale * p.barrier_height * np.pi / s * dt
    k_per = 2.0 * np.pi / s
    bowl = scale * 2.0 * p.outer_well_offset / x_n**2 * dt
    two_edge = 2.0 * edge
    kicks = rng.standard_normal((n_steps, n_walkers))
    kicks *= np.sqrt(2.0 * temperature * dt)
    kicks += bowl * edge  # the constant part of the bowl force

    y = np.empty((n_steps + 1, n_walkers))  # time x walkers: each step writes one row
    y[0] = wells[start] + edge
    yt = y[0].copy()
    buf = np.empty(n_walkers)
    for t in range(n_steps):
        np.multiply(yt, k_per, out=buf)
        np.sin(buf, out=buf)
        buf *= c_per
        yt *= 1.0 - bowl
        yt += buf
        yt += kicks[t]
        # Reflect at 0 and at 2 edge, exactly for any step size: fold y onto one period
        # [0, 4 edge) of the reflected motion, then y -> 2 edge - |2 edge - y|.
        np.mod(yt, 2.0 * two_edge, out=yt)
        np.subtract(two_edge, yt, out=yt)
        np.abs(yt, out=yt)
        np.subtract(two_edge, yt, out=y[t + 1])
        yt[:] = y[t + 1]
    x = y
    x -= edge

    state = _assign_states(x, wells, s * p.core_fraction, start)
    transitions = np.count_nonzero(np.diff(state, axis=0), axis=0)
    occupancy = np.bincount(state.ravel(), minlength=n) / state.size
    nz = occupancy[occupancy > 0]
    entropy = float(max(0.0, -np.sum(nz * np.log2(nz))))
    return LandscapeTrajectory(
        t=np.arange(n_steps + 1) * dt,
        trajectory=x.T,
        state=state.T,
        well_positions=wells,
        transitions=transitions,
        occupancy=occupancy,
        state_entropy_bits=entropy,
        flattening=float(flattening),
        temperature=float(temperature),
    )


def _assign_states(x: np.ndarray, wells: np.ndarray, core: float, start: int) -> np.ndarray:
    """Valley of each sample (time x walkers) with hysteresis: the last valley core visited."""
    nearest = np.searchsorted(0.5 * (wells[1:] + wells[:-1]), x).astype(np.int8)
    in_core = np.abs(x - wells[nearest]) < core
    in_core[0] = True
    nearest[0] = start
    # Time of the last core visit at or before each time (forward fill), then its valley.
    idx = np.where(in_core, np.arange(x.shape[0])[:, None], 0)
    np.maximum.accumulate(idx, axis=0, out=idx)
    return np.take_along_axis(nearest, idx, axis=0)


@dataclass(frozen=True)
class LandscapeView:
    """A simulation plus the curves needed to draw it.

    Attributes
    ----------
    run
        The simulation (:class:`LandscapeTrajectory`).
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


def landscape_view(
    run: LandscapeTrajectory, params: LandscapeParams | None = None, n_points: int = 400
) -> LandscapeView:
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
    dv = float(
        energy(top, flattening=run.flattening, params=p)
        - energy(centre, flattening=run.flattening, params=p)
    )
    return LandscapeView(
        run=run,
        x=x,
        energy=energy(x, flattening=run.flattening, params=p),
        intact_energy=energy(x, flattening=0.0, params=p),
        central_barrier=dv,
        edge=edge,
    )
