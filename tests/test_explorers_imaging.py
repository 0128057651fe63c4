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
from models.published import SHAO_DENSITY_CHANGE
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


def _diamonds(ax) -> list[tuple[float, float]]:
    return [
        (float(line.get_xdata()[0]), float(line.get_ydata()[0]))
        for line in ax.lines
        if line.get_marker() == "D" and len(line.get_xdata())
    ]


def test_imaging_panels_draw_the_published_means_on_the_same_axes():
    e = simulate_mouse_experiment(n_mice=3, dendrites_per_mouse=4)
    ax = plot_imaging_timecourse(e)
    ys = sorted(y for _, y in _diamonds(ax))
    published = [
        v.mean for g in SHAO_DENSITY_CHANGE.values() for v in g.values() if v.mean is not None
    ]
    assert ys == sorted(published)  # every published mean at a simulated session
    day = plot_imaging_day(e, day=1.0)
    assert sorted(y for _, y in _diamonds(day)) == [-3.5, 6.9]
    # The day-1 spread of the study (±1 SD) is drawn as a bar: 6.9 - 18.7 to 6.9 + 18.7.
    bars = [tuple(line.get_ydata()) for line in day.lines if len(line.get_ydata()) == 2]
    assert any(np.allclose(b, (6.9 - 18.7, 6.9 + 18.7)) for b in bars)


def test_group_names_agree_with_the_dose_in_every_frame():
    # At dose 0 the second group is saline again: neither legend nor panel may say "dosed".
    e = explore_imaging_experiment()
    for dose in e.controls[1].values:
        e.render(n_mice=6, dose=dose)
        left, right = e._axes
        legend = [t.get_text() for t in left.get_legend().get_texts()]
        shown = [t.get_text() for t in right.texts] + [
            t.get_text() for t in right.get_xticklabels()
        ]
        words = " ".join(legend + shown)
        if dose == 0.0:
            assert "second saline group" in legend and "second saline group" in shown
            assert "dosed" not in words and "psilocybin 0" not in words
        else:
            assert f"psilocybin {dose:g} mg/kg" in legend and f"psilocybin {dose:g} mg/kg" in shown
