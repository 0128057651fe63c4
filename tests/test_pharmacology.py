"""Tests for models.pharmacology: Hill curve, psilocin kinetics, 5-HT2A occupancy."""

import math
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models._params import bounds_of
from models.pharmacology import (
    OCCUPANCY_EC50_NG_PER_ML,
    OCCUPANCY_EMAX,
    PKParams,
    dose_for_occupancy,
    hill,
    psilocin_concentration,
    receptor_occupancy,
    simulate_pk,
)

FAST = settings(max_examples=60, deadline=None)

positive = st.floats(0.01, 100.0, allow_nan=False, allow_infinity=False)
hill_n = st.floats(0.3, 5.0)
emaxes = st.floats(0.0, 10.0)


def in_bounds(name: str) -> st.SearchStrategy[float]:
    """Floats over the valid range of a PKParams field, read from its metadata."""
    b = bounds_of(PKParams, name)
    return st.floats(b.low, b.high, exclude_min=b.low_open, exclude_max=b.high_open)


absorption_half_lives = in_bounds("absorption_half_life_h")
elimination_half_lives = in_bounds("elimination_half_life_h")
doses = st.floats(0.0, 100.0)


def pk_params(absorption: float, elimination: float) -> PKParams:
    return PKParams(absorption_half_life_h=absorption, elimination_half_life_h=elimination)


# --- Hill function --------------------------------------------------------------------------


@FAST
@given(ec50=positive, n=hill_n, emax=emaxes)
def test_hill_is_half_maximal_at_ec50_and_zero_at_zero(ec50, n, emax):
    assert float(hill(ec50, ec50, n=n, emax=emax)) == pytest.approx(emax / 2, rel=1e-12, abs=0)
    assert float(hill(0.0, ec50, n=n, emax=emax)) == 0.0


@FAST
@given(ec50=positive, n=hill_n, x=st.lists(st.floats(0.0, 1e4), min_size=2, max_size=30))
def test_hill_is_monotone_and_bounded(ec50, n, x):
    x = np.sort(np.array(x))
    y = hill(x, ec50, n=n, emax=1.0)
    assert np.all(np.diff(y) >= -1e-12)  # monotone up to floating-point rounding near 1
    assert np.all((y >= 0) & (y <= 1))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"ec50": 0.0}, "ec50"),
        ({"ec50": 1.0, "n": -1.0}, "n"),
        ({"ec50": 1.0, "emax": -0.1}, "emax"),
    ],
)
def test_hill_rejects_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        hill(1.0, **kwargs)


# --- Parameters ------------------------------------------------------------------------------


def test_defaults_match_published_kinetics():
    p = PKParams()
    # Psilocin half-life about 1.5-3 h; peak about 2 h after an oral dose (Holze 2023).
    assert 1.5 <= p.elimination_half_life_h <= 3.0
    assert p.t_peak_hours == pytest.approx(2.0, abs=0.25)


def test_params_are_frozen_and_validated_with_named_errors():
    p = PKParams()
    with pytest.raises(FrozenInstanceError):
        p.elimination_half_life_h = 3.0
    with pytest.raises(ValueError, match="elimination_half_life_h.*-1"):
        replace(p, elimination_half_life_h=-1.0)
    with pytest.raises(ValueError, match="absorption_half_life_h"):
        PKParams(absorption_half_life_h=float("nan"))
    with pytest.raises(ValueError, match="scale_ng_per_ml_per_mg"):
        PKParams(scale_ng_per_ml_per_mg=0.0)
    assert replace(p, elimination_half_life_h=3.0).elimination_half_life_h == 3.0


# --- Concentration-time curve ----------------------------------------------------------------


@FAST
@given(absorption=absorption_half_lives, elimination=elimination_half_lives, dose=doses)
def test_concentration_is_finite_nonnegative_and_zero_before_dose(absorption, elimination, dose):
    p = pk_params(absorption, elimination)
    t = np.linspace(-5.0, 200.0, 400)
    c = psilocin_concentration(t, dose_mg=dose, params=p)
    assert np.all(np.isfinite(c))
    assert np.all(c >= 0)
    assert np.all(c[t <= 0] == 0)


@FAST
@given(absorption=absorption_half_lives, elimination=elimination_half_lives)
def test_exactly_one_peak_at_the_analytic_time(absorption, elimination):
    p = pk_params(absorption, elimination)
    ka, ke = p.absorption_rate_per_h, p.elimination_rate_per_h
    expected = 1 / ka if math.isclose(ka, ke) else math.log(ka / ke) / (ka - ke)
    assert p.t_peak_hours == pytest.approx(expected, rel=1e-6)
    tp = p.t_peak_hours
    t = np.linspace(0.0, 6 * max(absorption, elimination) + 3 * tp, 4001)
    c = psilocin_concentration(t, dose_mg=10.0, params=p)
    c_max = float(psilocin_concentration(tp, dose_mg=10.0, params=p))
    tol = 1e-12 * c_max
    # Rises up to the analytic peak, falls after it: a single maximum.
    assert np.all(np.diff(c[t <= tp]) >= -tol)
    assert np.all(np.diff(c[t >= tp]) <= tol)
    assert np.all(c <= c_max + tol)
    assert abs(t[np.argmax(c)] - tp) <= t[1] - t[0]


def test_equal_rates_limit_is_continuous_and_matches_k_t_exp():
    equal = pk_params(2.0, 2.0)
    near = pk_params(2.0 * (1 + 1e-9), 2.0)
    t = np.linspace(0.0, 20.0, 201)
    k = equal.elimination_rate_per_h
    expected = 5.0 * equal.scale_ng_per_ml_per_mg * k * t * np.exp(-k * t)
    np.testing.assert_allclose(
        psilocin_concentration(t, dose_mg=5.0, params=equal), expected, rtol=1e-12, atol=1e-15
    )
    np.testing.assert_allclose(
        psilocin_concentration(t, dose_mg=5.0, params=near), expected, rtol=1e-7, atol=1e-12
    )
    assert equal.t_peak_hours == pytest.approx(1 / k)
    assert near.t_peak_hours == pytest.approx(1 / k, rel=1e-7)


def test_concentration_halves_every_elimination_half_life_in_terminal_phase():
    p = PKParams()
    half = p.elimination_half_life_h
    t = np.array([12.0, 16.0, 20.0])
    ratio = psilocin_concentration(t + half, dose_mg=25.0, params=p) / psilocin_concentration(
        t, dose_mg=25.0, params=p
    )
    np.testing.assert_allclose(ratio, 0.5, rtol=0.01)


def test_flip_flop_slow_absorption_sets_the_terminal_half_life():
    p = pk_params(absorption=6.0, elimination=1.5)
    t = np.array([40.0, 60.0])
    ratio = psilocin_concentration(t + 6.0, dose_mg=25.0, params=p) / psilocin_concentration(
        t, dose_mg=25.0, params=p
    )
    np.testing.assert_allclose(ratio, 0.5, rtol=0.01)


@FAST
@given(dose=st.floats(0.1, 50.0), factor=st.floats(0.1, 2.0))
def test_kinetics_are_linear_in_dose(dose, factor):
    t = np.linspace(0, 24, 49)
    c1 = psilocin_concentration(t, dose_mg=dose)
    c2 = psilocin_concentration(t, dose_mg=dose * factor)
    np.testing.assert_allclose(c2, factor * c1, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("dose", [-1.0, float("nan"), 1e4])
def test_bad_dose_raises_naming_dose_mg(dose):
    with pytest.raises(ValueError, match="dose_mg"):
        psilocin_concentration(1.0, dose_mg=dose)
    with pytest.raises(ValueError, match="dose_mg"):
        simulate_pk(dose_mg=dose)


# --- Occupancy -------------------------------------------------------------------------------


@FAST
@given(
    c=st.lists(st.floats(0.0, 1e6), min_size=1, max_size=20),
    ec50=st.floats(0.01, 100.0),
    emax=st.floats(0.0, 1.0),
)
def test_occupancy_is_a_fraction_never_above_emax(c, ec50, emax):
    occ = receptor_occupancy(np.array(c), ec50_ng_per_ml=ec50, emax=emax)
    assert np.all((occ >= 0) & (occ <= emax) & (occ <= 1))


def test_occupancy_is_half_of_emax_at_ec50_and_capped_near_observed_72_percent():
    assert OCCUPANCY_EMAX == pytest.approx(0.72)  # Madsen et al. 2019, highest observed
    half = float(receptor_occupancy(OCCUPANCY_EC50_NG_PER_ML))
    assert half == pytest.approx(OCCUPANCY_EMAX / 2)
    assert float(receptor_occupancy(1e9)) < OCCUPANCY_EMAX


def test_human_doses_give_occupancy_in_the_observed_range():
    # Madsen et al. 2019: oral 3-30 mg, occupancy rising with dose up to 72 %.
    peaks = [simulate_pk(dose_mg=d).peak_occupancy for d in (3.0, 10.0, 30.0)]
    assert all(0.2 < o < OCCUPANCY_EMAX for o in peaks)
    assert peaks[0] < peaks[1] < peaks[2]


def test_occupancy_rejects_bad_input_with_named_errors():
    with pytest.raises(ValueError, match="concentration"):
        receptor_occupancy([1.0, -0.5])
    with pytest.raises(ValueError, match="emax"):
        receptor_occupancy(1.0, emax=1.5)
    with pytest.raises(ValueError, match="ec50_ng_per_ml"):
        receptor_occupancy(1.0, ec50_ng_per_ml=0.0)


@FAST
@given(target=st.floats(0.0, 0.71))
def test_dose_for_occupancy_round_trips(target):
    dose = dose_for_occupancy(target)
    if dose <= 100.0:
        r = simulate_pk(dose_mg=dose, hours=4.0)
        assert float(receptor_occupancy(r.c_max_ng_per_ml)) == pytest.approx(target, abs=1e-9)


def test_saturation_each_extra_step_costs_more_dose_and_emax_is_unreachable():
    steps = np.diff([dose_for_occupancy(t) for t in (0.3, 0.4, 0.5, 0.6, 0.7)])
    assert np.all(steps > 0) and np.all(np.diff(steps) > 0)
    assert dose_for_occupancy(0.0) == 0.0
    for bad in (OCCUPANCY_EMAX, 0.9, -0.1, float("nan")):
        with pytest.raises(ValueError, match="target"):
            dose_for_occupancy(bad)


# --- simulate_pk -----------------------------------------------------------------------------


def test_simulate_pk_result_fields_and_saline():
    r = simulate_pk(dose_mg=25.0, hours=12.0, points_per_hour=10)
    assert r.t_hours.shape == r.concentration_ng_per_ml.shape == r.occupancy.shape == (121,)
    assert r.t_hours[0] == 0.0 and r.t_hours[-1] == 12.0
    assert r.t_peak_hours == pytest.approx(PKParams().t_peak_hours)
    assert r.c_max_ng_per_ml == pytest.approx(r.concentration_ng_per_ml.max(), rel=1e-3)
    assert r.dose_mg == 25.0
    zero = simulate_pk(dose_mg=0.0)
    assert np.all(zero.concentration_ng_per_ml == 0) and np.all(zero.occupancy == 0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"hours": 0.0}, "hours"),
        ({"points_per_hour": 0}, "points_per_hour"),
        ({"emax": 2.0}, "emax"),
    ],
)
def test_simulate_pk_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        simulate_pk(dose_mg=10.0, **kwargs)
