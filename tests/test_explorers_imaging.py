"""Explorers of the mouse imaging chapter: science of the helper, slider ranges, wiring, frames."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import explorers.imaging as im
from explorers.imaging import (
    MouseExperiment,
    cohens_d,
    explore_imaging_experiment,
    explore_stress_recovery,
    plot_imaging_day,
    plot_imaging_timecourse,
    plot_stress_recovery,
    simulate_mouse_experiment,
)
from models.synapses import DOSE_BOUNDS, simulate_spine_density, simulate_stress_recovery


@pytest.fixture(scope="module")
def imaging_explorer():
    return explore_imaging_experiment()


@pytest.fixture(scope="module")
def stress_explorer():
    return explore_stress_recovery()


def frames_of(explorer) -> np.ndarray:
    """All precomputed frames of the static HTML, shaped like the control grid."""
    page = explorer.static_html()
    data = json.loads(re.search(r'class="rw-data">(.*?)</script>', page).group(1))
    return np.array(data["frames"], dtype=object).reshape(data["shape"])


# --- the helper: science -------------------------------------------------------------------


def test_cohens_d_matches_hand_calculation_and_handles_tiny_groups():
    assert cohens_d([2.0, 4.0], [0.0, 2.0]) == pytest.approx(np.sqrt(2.0))
    assert np.isnan(cohens_d([1.0], [0.0, 1.0]))
    assert np.isnan(cohens_d([1.0, 1.0], [1.0, 1.0]))  # no spread: undefined


def test_same_seed_same_experiment_and_shapes():
    a = simulate_mouse_experiment(n_mice=3, dendrites_per_mouse=5, rng=4)
    b = simulate_mouse_experiment(n_mice=3, dendrites_per_mouse=5, rng=4)
    assert np.array_equal(a.change_percent, b.change_percent)
    assert a.change_percent.shape == (30, 6)
    assert np.all(a.change_percent[:, 0] == 0.0)  # change is relative to the first session
    assert a.n_mice == 3 and int(a.treated.sum()) == 15


def test_dose_zero_groups_do_not_differ_on_average():
    e = simulate_mouse_experiment(n_mice=50, dendrites_per_mouse=40, dose_mg_per_kg=0.0, rng=1)
    x = e.change_percent[:, e.session(1.0)]
    diff = x[e.treated].mean() - x[~e.treated].mean()
    se = np.sqrt(x[e.treated].var() / e.treated.sum() + x[~e.treated].var() / (~e.treated).sum())
    assert abs(diff) < 4 * se


def test_dose_raises_density_close_to_mean_field_model():
    e = simulate_mouse_experiment(n_mice=50, dendrites_per_mouse=40, dose_mg_per_kg=1.0, rng=2)
    s = e.session(7.0)
    change = e.change_percent[e.treated, s].mean() - e.change_percent[~e.treated, s].mean()
    mf = simulate_spine_density(dose_mg_per_kg=1.0)
    expected = 100 * (mf.at(7.0) / mf.baseline_per_um - 1)
    assert e.mean_field_percent[s] == pytest.approx(expected, abs=0.2)
    assert change == pytest.approx(expected, abs=3.0)
    assert change > 5.0


def test_mouse_means_are_steadier_than_dendrites_so_d_per_mouse_is_larger():
    e = simulate_mouse_experiment(n_mice=12, dose_mg_per_kg=1.0, rng=3)
    d_dendrite, d_mouse = e.effect_sizes(1.0)
    assert 0 < d_dendrite < d_mouse
    means, treated = e.mouse_means(1.0)
    assert means.shape == (24,) and treated.sum() == 12


def test_mouse_variability_only_touches_dosed_mice():
    a = simulate_mouse_experiment(n_mice=4, mouse_sd=0.0, rng=5)
    b = simulate_mouse_experiment(n_mice=4, mouse_sd=0.8, rng=5)
    assert np.array_equal(a.change_percent[~a.treated], b.change_percent[~b.treated])
    assert not np.array_equal(a.change_percent[a.treated], b.change_percent[b.treated])


def test_first_mice_keeps_the_same_mice():
    e = simulate_mouse_experiment(n_mice=6, rng=6)
    sub = e.first_mice(2)
    assert isinstance(sub, MouseExperiment) and sub.n_mice == 2
    assert np.array_equal(sub.change_percent[:26], e.change_percent[:26])  # saline mice 0-1
    with pytest.raises(ValueError, match="n must be"):
        e.first_mice(7)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_mice": 1}, "n_mice"), ({"n_mice": 2.5}, "n_mice"), ({"dendrites_per_mouse": 0},
                                                              "dendrites_per_mouse"),
    ({"dose_mg_per_kg": -1.0}, "dose_mg_per_kg"), ({"mouse_sd": 2.0}, "mouse_sd"),
])
def test_bad_inputs_raise_naming_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        simulate_mouse_experiment(**kwargs)


# --- sliders, wiring, frames -----------------------------------------------------------------


def test_imaging_sliders_inside_valid_ranges(imaging_explorer):
    c = {c.name: c for c in imaging_explorer.controls}
    assert all(DOSE_BOUNDS.contains(v) for v in c["dose"].values)
    assert all(2 <= v <= 50 and float(v).is_integer() for v in c["n_mice"].values)


def test_stress_sliders_inside_valid_ranges(stress_explorer):
    c = {c.name: c for c in stress_explorer.controls}
    assert all(DOSE_BOUNDS.contains(v) for v in c["dose"].values)
    for factor in c["elimination_factor"].values:  # the model validates its own range
        simulate_stress_recovery(elimination_factor=factor, stress_days=1.0, recovery_days=1.0)


def test_imaging_slider_change_computes_once_and_runs_no_new_simulation(monkeypatch):
    e = explore_imaging_experiment()
    calls = []
    compute = e.compute
    e.compute = lambda **v: calls.append(v) or compute(**v)
    box = e.widget()
    model_calls = []
    monkeypatch.setattr(im, "simulate_imaging", lambda **k: model_calls.append(k))
    calls.clear()
    first = box.image.value
    box.sliders[0].value = 12
    box.sliders[1].value = 2.0
    assert len(calls) == 2 and model_calls == []  # precomputed population, only drawn
    assert box.image.value != first


def test_stress_slider_change_runs_the_model_once(monkeypatch):
    e = explore_stress_recovery()
    box = e.widget()
    runs = []
    real = im.simulate_stress_recovery
    monkeypatch.setattr(im, "simulate_stress_recovery", lambda **k: runs.append(k) or real(**k))
    box.sliders[1].value = 2.0  # the saline curve of each stress level is precomputed
    assert len(runs) == 1 and runs[0]["dose_mg_per_kg"] == 2.0
    box.sliders[0].value = 2.0
    assert len(runs) == 2 and runs[1]["elimination_factor"] == 2.0


@pytest.mark.slow
@pytest.mark.parametrize("name", ["imaging", "stress"])
def test_neighbouring_frames_differ(name, imaging_explorer, stress_explorer):
    frames = frames_of(imaging_explorer if name == "imaging" else stress_explorer)
    for axis in range(frames.ndim):
        a = np.take(frames, range(frames.shape[axis] - 1), axis=axis)
        b = np.take(frames, range(1, frames.shape[axis]), axis=axis)
        assert np.all(a != b), f"{name}: identical neighbouring frames along control {axis}"


def test_imaging_plots_have_data_and_labels_with_units():
    e = simulate_mouse_experiment(n_mice=3, dendrites_per_mouse=4)
    ax = plot_imaging_timecourse(e)
    assert len(ax.lines) >= 5
    assert "%" in ax.get_ylabel() and "day" in ax.get_xlabel()
    ax = plot_imaging_day(e, day=1.0)
    assert len(ax.lines) >= 4 and "%" in ax.get_ylabel()
    assert any("d per mouse" in t.get_text() for t in ax.texts)


def test_stress_plot_has_data_labels_and_dose_beats_saline():
    dosed = simulate_stress_recovery(dose_mg_per_kg=1.0)
    saline = simulate_stress_recovery(dose_mg_per_kg=0.0)
    ax = plot_stress_recovery(dosed, reference=saline)
    assert len(ax.lines) >= 2 and "days" in ax.get_xlabel() and "%" in ax.get_ylabel()
    after = dosed.t_days > 1.0
    assert np.all(dosed.percent_change[after] > saline.percent_change[after])
    assert saline.percent_change[np.searchsorted(saline.t_days, 0.0)] < 0  # stress took spines
