"""Tests of the energy-landscape toy of the entropic brain / REBUS hypotheses (models.landscape)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.landscape import (
    LandscapeParams,
    barrier_positions,
    energy,
    kramers_rate,
    landscape_view,
    simulate_landscape,
    well_positions,
)

P = LandscapeParams()
EDGE = (P.n_wells - 1) * P.well_spacing / 2 + P.well_spacing / 2


# --- the landscape ----------------------------------------------------------------------------


def test_wells_are_minima_and_barriers_are_maxima():
    wells, tops = well_positions(), barrier_positions()
    assert wells.size == P.n_wells and tops.size == P.n_wells - 1
    assert np.all(np.diff(wells) > 0)
    assert np.all((wells[:-1] < tops) & (tops < wells[1:]))  # barriers between wells
    h = 1e-3
    assert np.all(energy(wells + h) > energy(wells)) and np.all(energy(wells - h) > energy(wells))
    assert np.all(energy(tops + h) < energy(tops)) and np.all(energy(tops - h) < energy(tops))


def test_central_well_is_deepest_and_outer_wells_lie_about_g_higher():
    wells = well_positions()
    e = energy(wells)
    c = P.n_wells // 2
    assert e[c] == pytest.approx(0.0, abs=1e-12)
    assert np.argmin(e) == c
    assert 0.8 * P.outer_well_offset < e[0] <= P.outer_well_offset
    assert e[0] == pytest.approx(e[-1])


def test_energy_is_symmetric_and_infinite_beyond_the_walls():
    x = np.linspace(-EDGE, EDGE, 101)
    assert np.allclose(energy(x), energy(-x))
    assert np.all(np.isinf(energy(np.array([-EDGE - 0.01, EDGE + 0.01]))))


@pytest.mark.parametrize("flattening", [0.0, 0.3, 0.75, 1.0])
def test_flattening_scales_the_whole_landscape(flattening):
    x = np.linspace(-EDGE, EDGE, 201)
    assert np.allclose(energy(x, flattening=flattening), (1 - flattening) * energy(x))


def test_barrier_height_without_bowl_equals_barrier_height_parameter():
    p = LandscapeParams(outer_well_offset=0.0, barrier_height=1.7)
    assert np.allclose(energy(barrier_positions(p), params=p), 1.7)
    assert np.allclose(energy(well_positions(p), params=p), 0.0, atol=1e-12)
    assert np.allclose(np.diff(well_positions(p)), p.well_spacing)


# --- Kramers' law ----------------------------------------------------------------------------


def test_kramers_rate_is_arrhenius_in_temperature():
    """Prefactor independent of T: ln k(T1) - ln k(T2) = -dV (1/T1 - 1/T2)."""
    c = P.n_wells // 2
    dv = float(energy(barrier_positions()[c]) - energy(well_positions()[c]))
    t1, t2 = 0.2, 0.4
    lhs = np.log(kramers_rate(temperature=t1) / kramers_rate(temperature=t2))
    assert lhs == pytest.approx(-dv * (1 / t1 - 1 / t2))


def test_kramers_rate_rises_with_flattening_and_temperature():
    flat = [kramers_rate(flattening=f, temperature=0.2) for f in (0.0, 0.2, 0.4, 0.6)]
    hot = [kramers_rate(temperature=t) for t in (0.15, 0.2, 0.3, 0.5)]
    assert np.all(np.diff(flat) > 0) and np.all(np.diff(hot) > 0)
    assert kramers_rate(flattening=1.0) == 0.0


def test_simulated_escape_rate_matches_kramers():
    """Escape rate from the central valley (censored exponential fit) vs Kramers' formula."""
    T = 0.25
    run = simulate_landscape(temperature=T, n_steps=8000, n_walkers=400, rng=3)
    left = run.state != P.n_wells // 2
    escaped = left.any(axis=1)
    time_at_risk = np.where(escaped, left.argmax(axis=1), left.shape[1] - 1) * P.dt
    rate = escaped.sum() / time_at_risk.sum()
    assert rate / kramers_rate(temperature=T) == pytest.approx(1.0, abs=0.3)


def test_long_run_occupancy_approaches_boltzmann():
    """At equilibrium, time in each valley follows the Boltzmann weight of its basin."""
    T = 0.5
    run = simulate_landscape(temperature=T, n_steps=6000, n_walkers=300, rng=5)
    late = run.state[:, 2000:]
    occ = np.bincount(late.ravel(), minlength=P.n_wells) / late.size
    edges = np.r_[-EDGE, barrier_positions(), EDGE]
    x = np.linspace(-EDGE, EDGE, 20001)
    weight = np.exp(-energy(x) / T)
    basin = np.array(
        [weight[(x >= lo) & (x < hi)].sum() for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    )
    assert np.allclose(occ, basin / basin.sum(), atol=0.03)


# --- the entropic-brain behaviour -------------------------------------------------------------


def _runs(name: str, values: tuple[float, ...], seed: int) -> list:
    """One default-sized run per value of parameter ``name``, all with the same seed."""
    return [simulate_landscape(**{name: v}, rng=seed) for v in values]


def test_flattening_raises_transitions_and_entropy():
    rough, half, flat = _runs("flattening", (0.0, 0.5, 1.0), seed=1)
    assert flat.mean_transitions > 3 * rough.mean_transitions
    assert rough.mean_transitions < half.mean_transitions < flat.mean_transitions
    assert flat.state_entropy_bits > rough.state_entropy_bits + 0.4
    assert rough.state_entropy_bits < half.state_entropy_bits < flat.state_entropy_bits


def test_heating_raises_transitions_and_entropy():
    cold, warm, hot = _runs("temperature", (0.25, 0.5, 1.0), seed=2)
    assert warm.mean_transitions > 3 * cold.mean_transitions
    assert cold.mean_transitions < warm.mean_transitions < hot.mean_transitions
    assert warm.state_entropy_bits > cold.state_entropy_bits + 0.4
    assert hot.state_entropy_bits > cold.state_entropy_bits + 0.4


def test_near_zero_temperature_stays_in_the_deepest_valley():
    run = simulate_landscape(temperature=0.02, rng=0)
    assert np.all(run.transitions == 0)
    assert run.state_entropy_bits == 0.0
    assert run.occupancy[P.n_wells // 2] == 1.0


def test_walkers_start_in_the_central_valley_and_stay_inside_the_walls():
    run = simulate_landscape(flattening=1.0, temperature=5.0, n_steps=500, rng=4)
    assert np.all(run.trajectory[:, 0] == well_positions()[P.n_wells // 2])
    assert np.all(run.state[:, 0] == P.n_wells // 2)
    assert np.all(np.abs(run.trajectory) <= EDGE + 1e-12)
    # A hot walker in a flat box spreads over the whole box.
    assert run.trajectory.min() < -0.9 * EDGE and run.trajectory.max() > 0.9 * EDGE


def test_reflection_is_exact_even_for_steps_larger_than_the_box():
    p = LandscapeParams(
        n_wells=3, well_spacing=0.2, barrier_height=0.01, outer_well_offset=0.0, dt=0.05
    )
    run = simulate_landscape(temperature=10.0, n_steps=500, params=p, rng=0)
    edge = 0.2 + 0.1
    assert np.all(np.abs(run.trajectory) <= edge + 1e-12)
    assert run.trajectory.std() > 0.1  # the walker does move around


def test_hysteresis_counts_fewer_transitions_than_the_nearest_valley():
    run = simulate_landscape(flattening=1.0, rng=6)
    wells = well_positions()
    nearest = np.searchsorted((wells[1:] + wells[:-1]) / 2, run.trajectory)
    naive = np.count_nonzero(np.diff(nearest, axis=1), axis=1)
    assert naive.sum() > 2 * run.transitions.sum()
    # Small steps: a walker cannot skip a valley's core, so states change one at a time.
    assert np.all(np.abs(np.diff(run.state.astype(int), axis=1)) <= 1)
    assert np.array_equal(run.transitions, np.count_nonzero(np.diff(run.state, axis=1), axis=1))


def test_entropy_is_the_shannon_entropy_of_the_occupancy():
    run = simulate_landscape(flattening=0.5, rng=8)
    occ = np.bincount(run.state.ravel(), minlength=P.n_wells) / run.state.size
    assert np.allclose(run.occupancy, occ)
    nz = occ[occ > 0]
    assert run.state_entropy_bits == pytest.approx(-np.sum(nz * np.log2(nz)))
    assert run.max_entropy_bits == pytest.approx(np.log2(P.n_wells))


# --- reproducibility and results --------------------------------------------------------------


def test_same_seed_same_result():
    a = simulate_landscape(flattening=0.4, n_steps=300, rng=42)
    b = simulate_landscape(flattening=0.4, n_steps=300, rng=42)
    c = simulate_landscape(flattening=0.4, n_steps=300, rng=43)
    assert np.array_equal(a.trajectory, b.trajectory)
    assert np.array_equal(a.transitions, b.transitions)
    assert not np.array_equal(a.trajectory, c.trajectory)


def test_result_shapes():
    run = simulate_landscape(n_steps=100, n_walkers=7, rng=0)
    assert run.trajectory.shape == run.state.shape == (7, 101)
    assert run.t.shape == (101,) and run.t[1] == pytest.approx(P.dt)
    assert run.transitions.shape == (7,)
    assert run.occupancy.shape == (P.n_wells,) and run.occupancy.sum() == pytest.approx(1.0)
    with pytest.raises(AttributeError):
        run.temperature = 1.0  # frozen


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-0.1, 0.0, 11.0, float("nan")])
def test_bad_temperature_raises(bad):
    with pytest.raises(ValueError, match="temperature"):
        simulate_landscape(temperature=bad)
    with pytest.raises(ValueError, match="temperature"):
        kramers_rate(temperature=bad)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_bad_flattening_raises(bad):
    with pytest.raises(ValueError, match="flattening"):
        simulate_landscape(flattening=bad)
    with pytest.raises(ValueError, match="flattening"):
        energy(0.0, flattening=bad)


@pytest.mark.parametrize(
    "name, bad",
    [("n_steps", 0), ("n_steps", 2.5), ("n_walkers", 0), ("n_walkers", -3), ("n_walkers", True)],
)
def test_bad_counts_raise(name, bad):
    with pytest.raises(ValueError, match=name):
        simulate_landscape(**{name: bad})


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"n_wells": 2}, "n_wells"),
        ({"n_wells": 4.5}, "n_wells"),
        ({"n_wells": 12}, "n_wells"),
        ({"barrier_height": 0.0}, "barrier_height"),
        ({"well_spacing": 0.0}, "well_spacing"),
        ({"outer_well_offset": 1.5}, "outer_well_offset"),
        ({"core_fraction": 0.5}, "core_fraction"),
        ({"dt": 0.04}, "dt"),
        ({"barrier_height": 5.0}, "dt"),
    ],
)
def test_bad_params_raise_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field):
        LandscapeParams(**kwargs)


# --- properties over the valid parameter ranges ----------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    flattening=st.floats(0.0, 1.0),
    temperature=st.floats(0.01, 3.0),
    n_wells=st.integers(3, 9),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_runs_are_finite_and_bounded(flattening, temperature, n_wells, seed):
    p = LandscapeParams(n_wells=n_wells)
    run = simulate_landscape(
        flattening=flattening,
        temperature=temperature,
        n_steps=200,
        n_walkers=20,
        params=p,
        rng=seed,
    )
    edge = (n_wells - 1) * p.well_spacing / 2 + p.well_spacing / 2
    assert np.all(np.isfinite(run.trajectory))
    assert np.all(np.abs(run.trajectory) <= edge + 1e-9)
    assert np.all((run.state >= 0) & (run.state < n_wells))
    assert np.all(run.transitions >= 0)
    assert run.occupancy.sum() == pytest.approx(1.0)
    assert 0.0 <= run.state_entropy_bits <= np.log2(n_wells) + 1e-12


@settings(max_examples=40, deadline=None)
@given(
    n_wells=st.integers(3, 9),
    spacing=st.floats(0.5, 3.0),
    height=st.floats(0.1, 2.0),
    offset_fraction=st.floats(0.0, 1.0),
)
def test_property_every_valley_stays_a_valley(n_wells, spacing, height, offset_fraction):
    p = LandscapeParams(
        n_wells=n_wells,
        well_spacing=spacing,
        barrier_height=height,
        outer_well_offset=offset_fraction * height,
        dt=0.001,
    )
    wells, tops = well_positions(p), barrier_positions(p)
    assert np.all((wells[:-1] < tops) & (tops < wells[1:]))
    e_wells, e_tops = energy(wells, params=p), energy(tops, params=p)
    assert np.all(e_tops > np.maximum(e_wells[:-1], e_wells[1:]))


def test_view_barrier_scales_with_flattening():
    runs = [
        simulate_landscape(flattening=f, n_steps=10, n_walkers=2, rng=0) for f in (0.0, 0.5, 1.0)
    ]
    views = [landscape_view(r) for r in runs]
    assert views[1].central_barrier == pytest.approx(0.5 * views[0].central_barrier)
    assert views[2].central_barrier == pytest.approx(0.0, abs=1e-12)
    assert views[0].barrier_over_temperature == pytest.approx(views[0].central_barrier / 0.25)
    assert np.allclose(views[2].energy, 0.0)
