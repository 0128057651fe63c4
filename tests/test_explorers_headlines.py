"""Explorers of the introduction and the headlines chapter: ranges, wiring, science, frames."""

from __future__ import annotations

import numpy as np
import pytest

from explorers import headlines
from explorers.headlines import (
    EQUIVALENCE_MARGIN_POINTS,
    classify_trials,
    explore_equivalence,
    explore_headline_vs_data,
    plot_equivalence_outcomes,
    plot_equivalence_trials,
    plot_estimate_distribution,
    plot_study_estimates,
)
from models._params import bounds_of
from models.design import TrialParams, simulate_trial

FACTORIES = [explore_headline_vs_data, explore_equivalence]
#: Which TrialParams field each slider sets.
FIELD_OF = {"n_per_group": "n_per_arm", "effect_sd": "drug_effect_points",
            "n_per_arm": "n_per_arm", "true_difference": "drug_effect_points"}


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_sliders_stay_inside_valid_parameter_ranges(factory):
    e = factory()
    assert 1 <= len(e.controls) <= 2
    assert np.prod([len(c.values) for c in e.controls]) <= 60
    for c in e.controls:
        bounds = bounds_of(TrialParams, FIELD_OF[c.name])
        assert all(bounds.contains(v) for v in c.values), c.name
        if FIELD_OF[c.name] == "n_per_arm":
            assert all(float(v).is_integer() for v in c.values)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_one_model_call_per_slider_change(factory, monkeypatch):
    calls = []

    def counting(**kwargs):
        calls.append(kwargs["params"])
        return simulate_trial(**kwargs)

    monkeypatch.setattr(headlines, "simulate_trial", counting)
    e = factory()
    box = e.widget()
    fig = e.figure()
    for slider in box.sliders:
        options = [v for _, v in slider.options]
        before = box.image.value
        calls.clear()
        slider.value = options[(options.index(slider.value) + 1) % len(options)]
        assert len(calls) == 1
        assert box.image.value != before
    assert e.figure() is fig and len(fig.axes) == 2


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_neighbouring_frames_differ_and_frames_are_reproducible(factory):
    e = factory()
    shape = [len(c.values) for c in e.controls]
    frames = np.array([e.frame_png(**v) for v in e.grid()], dtype=object).reshape(shape)
    for axis in range(frames.ndim):
        a = np.moveaxis(frames, axis, 0)
        for i in range(a.shape[0] - 1):
            for x, y in zip(a[i].ravel(), a[i + 1].ravel(), strict=True):
                assert x != y, f"neighbouring frames are identical along {e.controls[axis].name}"
    assert factory().frame_png(**e.defaults) == frames[tuple(c.default_index
                                                            for c in e.controls)]


def test_no_pyplot_figures_are_created():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for factory in FACTORIES:
        factory().widget().sliders[0].value = factory().controls[0].values[0]
    assert plt.get_fignums() == before


def _study(n, effect, sims=2000):
    params = TrialParams(n_per_arm=n, drug_effect_points=effect, placebo_response_points=0.0,
                         sd_points=1.0, expectancy_points=0.0)
    return simulate_trial(params=params, n_sims=sims, rng=0)


def test_significant_small_studies_overestimate_the_true_effect():
    # The lesson of the introduction's explorer: filter small studies by p < 0.05 and the
    # surviving estimates exaggerate the effect; large studies do not.
    small, large = _study(10, 0.5), _study(200, 0.5, sims=500)
    sig_small = small.p_value < 0.05
    assert np.mean(small.effect_points[sig_small]) > 1.8 * 0.5
    assert abs(np.mean(small.effect_points) - 0.5) < 0.05  # unbiased before filtering
    sig_large = large.p_value < 0.05
    assert abs(np.mean(large.effect_points[sig_large]) - 0.5) < 0.05


def test_no_true_effect_gives_about_alpha_significant_studies():
    null = _study(5, 0.0, sims=4000)
    assert abs(null.power - 0.05) < 0.015


def test_trial_classes_partition_and_need_many_patients():
    base = TrialParams(n_per_arm=30, drug_effect_points=0.0, sd_points=5.7,
                       expectancy_points=0.0)
    small = classify_trials(simulate_trial(params=base, n_sims=500, rng=0))
    assert sum(small.as_dict().values()) == pytest.approx(1.0)
    # With the escitalopram trial's size and spread, a 2-point margin is out of reach even
    # when the two treatments are identical: the 95 % CI is wider than the margin.
    assert small.equivalent == 0.0 and small.inconclusive > 0.9
    big = TrialParams(n_per_arm=500, drug_effect_points=0.0, sd_points=5.7,
                      expectancy_points=0.0)
    assert classify_trials(simulate_trial(params=big, n_sims=500, rng=0)).equivalent > 0.85
    # A true difference equal to the margin is (almost) never declared equivalent.
    at_margin = TrialParams(n_per_arm=500, drug_effect_points=EQUIVALENCE_MARGIN_POINTS,
                            sd_points=5.7, expectancy_points=0.0)
    assert classify_trials(simulate_trial(params=at_margin, n_sims=1000,
                                          rng=1)).equivalent < 0.05


def test_classify_matches_a_hand_built_interval():
    r = simulate_trial(params=TrialParams(n_per_arm=500, drug_effect_points=0.0,
                                          expectancy_points=0.0), n_sims=1, rng=0)
    lo, hi = r.ci_low_points[0], r.ci_high_points[0]
    out = classify_trials(r, margin_points=max(abs(lo), abs(hi)) + 0.01)
    assert (out.equivalent + out.both) == 1.0
    out = classify_trials(r, margin_points=min(abs(lo), abs(hi)) / 2)
    assert (out.different + out.inconclusive) == 1.0


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_bad_margin_raises(bad):
    r = _study(5, 0.0, sims=10)
    with pytest.raises(ValueError, match="margin_points"):
        classify_trials(r, bad)
    with pytest.raises(ValueError, match="margin_points"):
        explore_equivalence(margin_points=bad)


def test_plots_have_data_and_labels_with_units():
    study = _study(10, 0.5, sims=300)
    ax = plot_study_estimates(study)
    assert ax.collections and ax.lines
    assert "SD units" in ax.get_xlabel()
    ax = plot_estimate_distribution(study)
    assert ax.patches and "SD units" in ax.get_xlabel() and "%" in ax.get_ylabel()
    trials = simulate_trial(params=TrialParams(n_per_arm=60), n_sims=100, rng=0)
    ax = plot_equivalence_trials(trials)
    assert ax.collections and ax.lines and "points" in ax.get_xlabel()
    ax = plot_equivalence_outcomes(trials)
    heights = [p.get_width() for p in ax.patches]
    assert len(heights) == 4 and sum(heights) == pytest.approx(100.0)
    assert "%" in ax.get_xlabel()
