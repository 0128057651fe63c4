"""Tests of models.mechanisms: the Gaddum / Schild pharmacology of the mechanism toy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.mechanisms import gaddum_occupancy, schild_dose_ratio, two_pathway_model

FAST = settings(max_examples=60, deadline=None)
conc = st.floats(0.0, 1e4)
positive = st.floats(0.01, 100.0)


@FAST
@given(a=conc, ec50=positive)
def test_without_antagonist_gaddum_is_single_site_binding(a, ec50):
    assert float(gaddum_occupancy(a, ec50=ec50)) == pytest.approx(a / (a + ec50))


@FAST
@given(ec50=positive, b=st.floats(0.0, 1e3), kb=positive)
def test_antagonist_shifts_the_half_occupancy_point_by_the_schild_ratio(ec50, b, kb):
    ratio = float(schild_dose_ratio(b, kb=kb))
    assert ratio == pytest.approx(1.0 + b / kb)
    assert float(gaddum_occupancy(ec50 * ratio, ec50=ec50, antagonist=b, kb=kb)) == pytest.approx(
        0.5
    )


@FAST
@given(a=st.floats(0.01, 1e3), b1=st.floats(0.0, 1e3), b2=st.floats(0.0, 1e3))
def test_more_antagonist_never_raises_occupancy(a, b1, b2):
    lo, hi = sorted((b1, b2))
    assert float(gaddum_occupancy(a, antagonist=hi)) <= float(gaddum_occupancy(a, antagonist=lo))


def test_surmountable_a_high_enough_agonist_concentration_overcomes_the_antagonist():
    assert float(gaddum_occupancy(1e7, antagonist=100.0)) > 0.9999


@FAST
@given(b=st.floats(0.0, 1e4), w=st.floats(0.0, 1.0), a=st.floats(0.01, 1e3))
def test_two_pathway_predictions(b, w, a):
    r = two_pathway_model(antagonist_over_kb=b, share_5ht2a=w, agonist_over_ec50=a, n_points=11)
    assert 0.0 <= r.head_twitch <= 1.0
    assert r.head_twitch == pytest.approx(r.occupancy / r.occupancy_control)
    # plasticity lies between the head-twitch proxy (5-HT2A hypothesis) and 1 (TrkB)
    assert r.head_twitch - 1e-12 <= r.plasticity <= 1.0 + 1e-12
    assert r.plasticity == pytest.approx(w * r.head_twitch + (1.0 - w))


def test_the_two_pure_hypotheses_and_no_antagonist():
    none = two_pathway_model(antagonist_over_kb=0.0, share_5ht2a=0.3)
    assert none.head_twitch == 1.0 and none.plasticity == pytest.approx(1.0)
    ht = two_pathway_model(antagonist_over_kb=100.0, share_5ht2a=1.0)
    trkb = two_pathway_model(antagonist_over_kb=100.0, share_5ht2a=0.0)
    assert ht.head_twitch < 0.05 and ht.plasticity == pytest.approx(ht.head_twitch)
    assert trkb.head_twitch == pytest.approx(ht.head_twitch) and trkb.plasticity == 1.0
    # worked example used in the chapter: A = 3 EC50, B = 10 KB
    r = two_pathway_model(antagonist_over_kb=10.0)
    assert r.occupancy_control == pytest.approx(0.75)
    assert r.occupancy == pytest.approx(3 / 14)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"antagonist_over_kb": -1.0}, "antagonist_over_kb"),
        ({"antagonist_over_kb": 1e5}, "antagonist_over_kb"),
        ({"share_5ht2a": 1.5}, "share_5ht2a"),
        ({"share_5ht2a": float("nan")}, "share_5ht2a"),
        ({"agonist_over_ec50": 0.0}, "agonist_over_ec50"),
        ({"n_points": 1}, "n_points"),
    ],
)
def test_bad_toy_inputs_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        two_pathway_model(**kwargs)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: gaddum_occupancy(-1.0), "agonist"),
        (lambda: gaddum_occupancy(1.0, ec50=0.0), "ec50"),
        (lambda: gaddum_occupancy(1.0, antagonist=-2.0), "antagonist"),
        (lambda: schild_dose_ratio(1.0, kb=0.0), "kb"),
    ],
)
def test_bad_gaddum_inputs_raise(call, name):
    with pytest.raises(ValueError, match=name):
        call()
