"""Explorers for pharmacology and the mechanism toy: valid sliders, one model call per change,
frames that differ, plots with units, and the toy's pharmacology (Gaddum / Schild)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorers.pharmacology import (
    explore_mechanisms,
    explore_pk,
    gaddum_occupancy,
    plot_antagonist_shift,
    plot_concentration,
    plot_occupancy,
    plot_pathway_responses,
    schild_dose_ratio,
    two_pathway_model,
)
from models._params import bounds_of
from models.pharmacology import DOSE_MG_BOUNDS, OCCUPANCY_EMAX, PKParams, simulate_pk

FAST = settings(max_examples=60, deadline=None)
FACTORIES = {"pk": explore_pk, "mechanisms": explore_mechanisms}


# --- Explorer wiring ------------------------------------------------------------------------


def test_pk_sliders_stay_inside_the_models_valid_ranges():
    e = explore_pk()
    dose, half_life = e.controls
    assert dose.name == "dose_mg" and all(DOSE_MG_BOUNDS.contains(v) for v in dose.values)
    bounds = bounds_of(PKParams, "elimination_half_life_h")
    assert half_life.name == "elimination_half_life_h"
    assert all(bounds.contains(v) for v in half_life.values)
    # the published half-lives (about 1.5-3 h) are on the slider
    assert {1.5, 2.0, 3.0} <= set(half_life.values)


def test_mechanism_sliders_stay_inside_the_toys_valid_ranges():
    e = explore_mechanisms()
    for values in e.grid():  # every combination is accepted by the toy model
        r = e.compute(**values)
        assert 0.0 <= r.head_twitch <= 1.0 and 0.0 <= r.plasticity <= 1.0
    share = e.controls[1]
    assert share.values[0] == 0.0 and share.values[-1] == 100.0  # both pure hypotheses


@pytest.mark.parametrize("name", FACTORIES)
def test_explorers_build_with_defaults_within_frame_budget(name):
    e = FACTORIES[name]()
    assert 1 <= len(e.controls) <= 2 and e.panels == 2
    assert math.prod(len(c.values) for c in e.controls) <= 60
    assert e.frame_png(**e.defaults).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", FACTORIES)
def test_one_model_call_per_slider_change_and_one_figure(name):
    e = FACTORIES[name]()
    calls = []
    compute = e.compute

    def counting(**values):
        calls.append(values)
        return compute(**values)

    e.compute = counting
    box = e.widget()
    fig = e.figure()
    for slider in box.sliders:
        options = [v for _, v in slider.options]
        calls.clear()
        before = box.image.value
        slider.value = options[(options.index(slider.value) + 1) % len(options)]
        assert len(calls) == 1
        assert box.image.value != before
    assert e.figure() is fig and len(fig.axes) == 2


@pytest.mark.parametrize("name", FACTORIES)
def test_every_frame_differs_from_its_neighbours(name):
    e = FACTORIES[name]()
    names = [c.name for c in e.controls]
    shape = [len(c.values) for c in e.controls]
    frames = {idx: e.frame_png(**{n: c.values[i] for n, c, i in zip(names, e.controls, idx,
                                                                     strict=True)})
              for idx in itertools.product(*(range(k) for k in shape))}
    for idx, png in frames.items():
        for axis in range(len(shape)):
            if idx[axis] + 1 < shape[axis]:
                nxt = tuple(i + (1 if a == axis else 0) for a, i in enumerate(idx))
                assert png != frames[nxt], f"{name}: frames {idx} and {nxt} are identical"


def test_frames_are_reproducible():
    e = explore_mechanisms()
    values = {"antagonist_over_kb": 3.0, "share_percent": 50.0}
    assert e.frame_png(**values) == e.frame_png(**values)


def test_no_pyplot_figures_are_created():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for factory in FACTORIES.values():
        e = factory()
        e.widget().sliders[0].value = e.controls[0].values[0]
    assert plt.get_fignums() == before


# --- Plots ----------------------------------------------------------------------------------


def test_pk_plots_have_data_and_labels_with_units():
    r = simulate_pk(dose_mg=25.0)
    ax = plot_concentration(r, reference=simulate_pk(dose_mg=10.0))
    assert len(ax.lines) >= 2
    assert "(h)" in ax.get_xlabel() and "ng/mL" in ax.get_ylabel()
    ax = plot_occupancy(r)
    assert len(ax.lines) >= 2
    assert "(h)" in ax.get_xlabel() and "(%)" in ax.get_ylabel()
    # the occupancy line is in percent and never crosses the measured ceiling
    occ = ax.lines[-2].get_ydata()
    assert np.max(occ) == pytest.approx(100 * r.peak_occupancy)
    assert np.max(occ) < 100 * OCCUPANCY_EMAX


def test_mechanism_plots_have_data_and_labels_with_units():
    r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=0.5)
    ax = plot_antagonist_shift(r)
    assert len(ax.lines) >= 2 and ax.get_xscale() == "log"
    assert "EC50" in ax.get_xlabel() and "(%)" in ax.get_ylabel()
    ax = plot_pathway_responses(r)
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == pytest.approx(sorted([100 * r.head_twitch, 100 * r.plasticity_via_trkb,
                                            100 * r.plasticity_via_5ht2a]))
    assert "%" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["via 5-HT2A", "via TrkB"]


# --- The toy's pharmacology -----------------------------------------------------------------

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
    assert float(gaddum_occupancy(ec50 * ratio, ec50=ec50, antagonist=b, kb=kb)) == \
        pytest.approx(0.5)


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
    r = two_pathway_model(antagonist_over_kb=b, share_5ht2a=w, agonist_over_ec50=a,
                          n_points=11)
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


@pytest.mark.parametrize("kwargs, name", [
    ({"antagonist_over_kb": -1.0}, "antagonist_over_kb"),
    ({"antagonist_over_kb": 1e5}, "antagonist_over_kb"),
    ({"share_5ht2a": 1.5}, "share_5ht2a"),
    ({"share_5ht2a": float("nan")}, "share_5ht2a"),
    ({"agonist_over_ec50": 0.0}, "agonist_over_ec50"),
    ({"n_points": 1}, "n_points"),
])
def test_bad_toy_inputs_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        two_pathway_model(**kwargs)


@pytest.mark.parametrize("call, name", [
    (lambda: gaddum_occupancy(-1.0), "agonist"),
    (lambda: gaddum_occupancy(1.0, ec50=0.0), "ec50"),
    (lambda: gaddum_occupancy(1.0, antagonist=-2.0), "antagonist"),
    (lambda: schild_dose_ratio(1.0, kb=0.0), "kb"),
])
def test_bad_gaddum_inputs_raise(call, name):
    with pytest.raises(ValueError, match=name):
        call()
