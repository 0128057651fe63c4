"""Science and behaviour of the spine turnover model (models.spines)."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models._params import bounds_of
from models.spines import (
    SpineParams,
    simulate_spine_density,
    simulate_stress_recovery,
    steady_state,
)


def change_at(result, day):
    return 100 * (result.at(day) / result.baseline_per_um - 1)


def test_steady_state_is_formation_over_elimination_in_one_pool_limit():
    p = SpineParams(
        maturation_per_day=0.0, formation_per_um_day=0.02, transient_elimination_per_day=0.04
    )
    T, P = steady_state(p)
    assert T + P == pytest.approx(0.02 / 0.04)
    assert P == 0.0


def test_two_pool_steady_state_balances_formation_and_elimination():
    p = SpineParams()
    T, P = steady_state(p)
    elimination_flux = p.transient_elimination_per_day * T + p.persistent_elimination_per_day * P
    assert elimination_flux == pytest.approx(p.formation_per_um_day)
    # The effective (average) elimination rate reproduces D* = f / e.
    assert T + P == pytest.approx(p.formation_per_um_day / (elimination_flux / (T + P)))


def test_defaults_match_shao_baseline_and_holtmaat_persistent_share():
    T, P = steady_state()
    assert T + P == pytest.approx(0.48, abs=0.01)  # spines/µm, Shao et al. 2021
    assert 0.6 <= P / (T + P) <= 0.8  # most adult spines persistent, Holtmaat et al. 2005


def test_simulation_relaxes_to_analytic_steady_state():
    """Started away from D*, the integrated ODE settles on the analytic steady state."""
    p = SpineParams()
    # A dose perturbs the system; long after, it must return to the same steady state.
    r = simulate_spine_density(
        dose_mg_per_kg=1.0,
        days=365.0,
        params=replace(p, persistent_elimination_per_day=0.05),
        points_per_day=2,
    )
    T, P = steady_state(replace(p, persistent_elimination_per_day=0.05))
    assert r.density_per_um[-1] == pytest.approx(T + P, rel=1e-3)


def test_dose_zero_equals_baseline_throughout():
    r = simulate_spine_density(dose_mg_per_kg=0.0, days=35.0)
    assert np.all(np.abs(r.percent_change) <= 3.0)
    assert np.allclose(r.density_per_um, r.baseline_per_um)


def test_one_mg_per_kg_gives_about_ten_percent_at_24h_and_lasts_to_day_34():
    r = simulate_spine_density(dose_mg_per_kg=1.0, days=35.0)
    assert 7.0 <= change_at(r, 1.0) <= 13.0  # Shao et al. 2021: about +10 % within 24 h
    assert change_at(r, 34.0) >= 5.0  # still clearly elevated about a month later
    assert change_at(r, 34.0) < change_at(r, 3.0)  # but fading


def test_late_effect_needs_maturation_into_persistent_spines():
    p = replace(SpineParams(), stabilization_boost=0.0, maturation_per_day=0.0)
    r = simulate_spine_density(dose_mg_per_kg=1.0, days=35.0, params=p)
    default = simulate_spine_density(dose_mg_per_kg=1.0, days=35.0)
    assert change_at(r, 1.0) > 7.0  # the early rise is still there ...
    assert change_at(r, 34.0) < change_at(default, 34.0) / 3  # ... but it does not last


def test_response_grows_with_dose_and_saturates():
    day1 = [
        change_at(simulate_spine_density(dose_mg_per_kg=d, days=2.0), 1.0)
        for d in (0.0, 0.25, 1.0, 5.0, 20.0)
    ]
    assert np.all(np.diff(day1) > 0)
    assert day1[-1] - day1[-2] < day1[2] - day1[1]  # diminishing returns


def test_stress_removes_spines_and_a_dose_speeds_recovery():
    stressed = simulate_stress_recovery(dose_mg_per_kg=0.0)
    treated = simulate_stress_recovery(dose_mg_per_kg=1.0)
    i0 = np.searchsorted(stressed.t_days, 0.0)
    assert stressed.percent_change[i0] < -5.0
    assert treated.percent_change[i0] == pytest.approx(stressed.percent_change[i0])
    i7 = np.searchsorted(stressed.t_days, 7.0)
    assert treated.percent_change[i7] > stressed.percent_change[i7] + 5.0


@pytest.mark.parametrize(
    "field, value",
    [
        ("formation_per_um_day", -0.01),
        ("transient_elimination_per_day", 0.0),
        ("persistent_elimination_per_day", float("nan")),
        ("formation_boost", 50.0),
        ("window_days", 0.0),
    ],
)
def test_bad_parameter_raises_value_error_naming_it(field, value):
    with pytest.raises(ValueError, match=field) as info:
        SpineParams(**{field: value})
    assert str(bounds_of(SpineParams, field).describe()) in str(info.value)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"dose_mg_per_kg": -1.0}, "dose_mg_per_kg"),
        ({"dose_mg_per_kg": 25.0}, "dose_mg_per_kg"),
        ({"days": 0.0}, "days"),
        ({"days": float("inf")}, "days"),
    ],
)
def test_bad_simulation_argument_raises(kwargs, name):
    with pytest.raises(ValueError, match=name):
        simulate_spine_density(**kwargs)


def _valid(name):
    b = bounds_of(SpineParams, name)
    lo = b.low if not b.low_open else b.low + 1e-3 * (b.high - b.low)
    return st.floats(min_value=lo, max_value=b.high, allow_nan=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dose=st.floats(0.0, 20.0),
    f=_valid("formation_per_um_day"),
    e_t=_valid("transient_elimination_per_day"),
    k=_valid("maturation_per_day"),
    e_p=_valid("persistent_elimination_per_day"),
    boost=_valid("formation_boost"),
    stab=_valid("stabilization_boost"),
    window=_valid("window_days"),
)
def test_density_never_negative_or_nan(dose, f, e_t, k, e_p, boost, stab, window):
    p = SpineParams(
        formation_per_um_day=f,
        transient_elimination_per_day=e_t,
        maturation_per_day=k,
        persistent_elimination_per_day=e_p,
        formation_boost=boost,
        stabilization_boost=stab,
        window_days=window,
    )
    r = simulate_spine_density(dose_mg_per_kg=dose, days=10.0, params=p, points_per_day=4)
    assert np.all(np.isfinite(r.density_per_um))
    assert np.all(r.density_per_um >= 0.0)
    if e_p <= e_t:
        # A dose only adds formation and moves spines to the longer-lived pool: density
        # never drops below baseline. (With e_p > e_t, maturation would shorten lives.)
        assert np.all(r.density_per_um >= r.baseline_per_um * (1 - 1e-6))
