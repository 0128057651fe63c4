"""Explorers for study design: valid slider ranges, one model run per slider change, plots
with labels and units, frames that differ between neighbouring slider values, and the
science each figure is meant to show."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from explorers.design import (
    PseudoReplicationDemo,
    example_clustered_data,
    explore_multiple_testing,
    explore_power_curve,
    explore_pseudoreplication,
    explore_unblinding,
    plot_clustered_example,
    plot_false_positive_rates,
    plot_power_curve,
    plot_pvalue_ranks,
    plot_trial_estimates,
    plot_trial_intervals,
    power_comparison,
    pseudoreplication_demo,
)
from models._params import bounds_of
from models.design import (
    ALPHA_BOUNDS,
    EFFECT_SIZE_BOUNDS,
    ESCITALOPRAM_TRIAL,
    ICC_BOUNDS,
    TrialParams,
    multiple_testing,
    simulate_trial,
)

FACTORIES = [explore_power_curve, explore_pseudoreplication, explore_multiple_testing,
             explore_unblinding]


# ------------------------------------------------------------------------- slider ranges

def test_power_sliders_inside_valid_ranges():
    e = explore_power_curve()
    values = {c.name: c.values for c in e.controls}
    assert all(EFFECT_SIZE_BOUNDS.contains(v) for v in values["effect_size"])
    assert all(ALPHA_BOUNDS.contains(v) for v in values["alpha"])


def test_pseudoreplication_sliders_inside_valid_ranges():
    e = explore_pseudoreplication()
    values = {c.name: c.values for c in e.controls}
    assert all(ICC_BOUNDS.contains(v) for v in values["icc"])
    assert all(v == int(v) and 1 <= v <= 1000 for v in values["dendrites_per_mouse"])
    assert 13 in values["dendrites_per_mouse"]  # about 161 dendrites / 12 mice (Shao 2021)


def test_multiple_testing_sliders_inside_valid_ranges():
    e = explore_multiple_testing()
    values = {c.name: c.values for c in e.controls}
    assert all(v == int(v) and 1 <= v <= 100_000 for v in values["n_genes"])
    assert min(values["n_genes"]) == 46  # the gene panel of Jefsen et al. (2021)
    assert max(values["n_true_effects"]) <= min(values["n_genes"])


def test_unblinding_sliders_inside_valid_ranges():
    e = explore_unblinding()
    for c in e.controls:
        bounds = bounds_of(TrialParams, c.name)
        assert all(bounds.contains(v) for v in c.values), c.name
    guesses = next(c for c in e.controls if c.name == "correct_guess_probability")
    assert guesses.values[0] == 0.5 and guesses.default == 0.5  # blinding intact at start


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_frame_budget_and_defaults(factory):
    e = factory()  # every explore_* must work without arguments
    assert len(e.grid()) <= 60
    assert e.frame_png(**e.defaults).startswith(b"\x89PNG")


# ---------------------------------------------------------------- wiring and frames

@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_one_model_call_per_slider_change(factory):
    e = factory()
    calls = []
    inner = e.compute

    def counting(**values):
        calls.append(values)
        return inner(**values)

    e.compute = counting
    box = e.widget()
    fig = e.figure()
    for slider in box.sliders:
        calls.clear()
        options = [v for _, v in slider.options]
        first = box.image.value
        slider.value = options[(options.index(slider.value) + 1) % len(options)]
        assert len(calls) == 1
        assert box.image.value != first
        assert e.figure() is fig


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_neighbouring_frames_differ(factory):
    """Moving any slider one step from any position must change the picture."""
    e = factory()
    names = [c.name for c in e.controls]
    shape = [len(c.values) for c in e.controls]
    frames = {idx: e.frame_png(**{c.name: c.values[i] for c, i in zip(e.controls, idx,
                                                                        strict=True)})
              for idx in itertools.product(*(range(n) for n in shape))}
    for idx, png in frames.items():
        for axis in range(len(names)):
            if idx[axis] + 1 < shape[axis]:
                nxt = list(idx)
                nxt[axis] += 1
                assert frames[tuple(nxt)] != png, (names[axis], idx)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_frames_are_reproducible(factory):
    a, b = factory(), factory()
    assert a.frame_png(**a.defaults) == b.frame_png(**b.defaults)


# -------------------------------------------------------------------- plots and units

def test_power_plot_has_data_labels_and_fixed_limits():
    ax = plot_power_curve(power_comparison(effect_size=1.25, n_sims=100))
    assert ax.lines and ax.collections  # exact line; simulated points and error bars
    assert "per group" in ax.get_xlabel() and "%" in ax.get_ylabel()
    assert ax.get_ylim() == (0, 105) and ax.get_xscale() == "log"


def test_pseudoreplication_plots_have_data_and_labels():
    res = pseudoreplication_demo(icc=0.3, dendrites_per_mouse=5, n_sims=100)
    ax = plot_clustered_example(res)
    dots = sum(len(line.get_xdata()) for line in ax.lines if line.get_marker() == "o")
    assert dots == 2 * 6 * 5  # every dendrite of both groups
    assert len(ax.collections) == 2  # one set of mouse-mean bars per group
    assert "SD units" in ax.get_ylabel()
    ax = plot_false_positive_rates(res)
    assert len(ax.patches) == 2 and "%" in ax.get_ylabel()
    assert ax.get_ylim() == (0, 80.0)


def test_pvalue_plot_has_data_and_labels():
    res = multiple_testing(n_genes=46, n_true_effects=5, effect_size=1.5, n_per_group=8,
                           rng=0)
    ax = plot_pvalue_ranks(res)
    points = sum(len(line.get_xdata()) for line in ax.lines[:2])
    assert points == 46
    assert "p-value" in ax.get_ylabel() and ax.get_yscale() == "log"


def test_trial_plots_have_data_and_units():
    res = simulate_trial(params=ESCITALOPRAM_TRIAL, n_sims=200, rng=0)
    ax = plot_trial_estimates(res)
    assert ax.patches and "points" in ax.get_xlabel()
    ax = plot_trial_intervals(res, n_show=20)
    assert ax.collections and "points" in ax.get_xlabel()


# ------------------------------------------------------------- what the figures show

def test_power_simulation_agrees_with_exact_curve():
    res = power_comparison(effect_size=1.0, n_sims=300)
    sim = res.simulated
    exact = np.interp(sim.n_per_group, res.n_grid, res.analytic)
    se = np.sqrt(exact * (1 - exact) / sim.n_sims)
    assert np.all(np.abs(sim.power - exact) <= 4 * se + 1e-9)
    assert np.all(np.diff(res.analytic) >= 0)


def test_pseudoreplication_inflates_only_the_dendrite_analysis():
    res = pseudoreplication_demo(icc=0.3, dendrites_per_mouse=13, n_sims=500)
    assert res.by_dendrite.rate > 0.25
    assert abs(res.by_mouse.rate - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 500)
    assert res.by_dendrite.design_effect == pytest.approx(1 + 12 * 0.3)


def test_example_data_share_mouse_offsets():
    # at icc = 1 every dendrite of a mouse equals the mouse offset; at icc = 0 they differ
    same = example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=1.0, rng=0)
    assert np.allclose(same.std(axis=-1), 0.0)
    diff = example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=0.0, rng=0)
    assert np.all(diff.std(axis=-1) > 0)
    with pytest.raises(ValueError, match="icc"):
        example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=1.5)


def test_unblinding_frame_shifts_estimates_by_expected_bias():
    e = explore_unblinding()
    blind = e.compute(correct_guess_probability=0.5, expectancy_points=3.0)
    unblind = e.compute(correct_guess_probability=1.0, expectancy_points=3.0)
    se = blind.effect_points.std() / np.sqrt(blind.effect_points.size)
    assert abs(blind.mean_effect_points - 2.0) < 4 * se
    assert abs(unblind.mean_effect_points - 5.0) < 4 * se
    assert unblind.ci_coverage < blind.ci_coverage


def test_demo_types():
    assert isinstance(explore_pseudoreplication().compute(icc=0.1, dendrites_per_mouse=2),
                      PseudoReplicationDemo)
