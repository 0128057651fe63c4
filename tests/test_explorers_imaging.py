"""Explorers of the mouse imaging chapter: precomputed populations and plots.

The contract every explorer keeps is checked in test_explorer_contract.py; the science of the
mouse experiment in test_imaging.py.
"""

from __future__ import annotations

import numpy as np

import explorers.imaging as im
import models.imaging.mice as mice
from explorers.imaging import (
    explore_imaging_experiment,
    explore_stress_recovery,
    plot_imaging_day,
    plot_imaging_timecourse,
    plot_stress_recovery,
)
from models.imaging import simulate_mouse_experiment
from models.spines import simulate_stress_recovery


def test_imaging_slider_change_computes_once_and_runs_no_new_simulation(monkeypatch):
    e = explore_imaging_experiment()
    calls = []
    compute = e.compute
    e.compute = lambda **v: calls.append(v) or compute(**v)
    box = e.widget()
    model_calls = []
    monkeypatch.setattr(mice, "simulate_imaging", lambda **k: model_calls.append(k))
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
