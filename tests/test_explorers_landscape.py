"""The energy-landscape explorer: what its frames show, and its plots (the contract every
explorer keeps is checked in test_explorer_contract.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import explorers.landscape as xl
from explorers.landscape import (
    FRAME_DT,
    explore_energy_landscape,
    plot_energy_landscape,
    plot_walkers,
)
from models._params import bounds_of
from models.landscape import LandscapeParams, landscape_view, simulate_landscape


def test_frame_step_is_valid_for_the_model():
    assert bounds_of(LandscapeParams, "dt").contains(FRAME_DT)
    LandscapeParams(dt=FRAME_DT)  # passes the combined check (dt resolves the curvature)


@pytest.fixture(scope="module")
def explorer():
    return explore_energy_landscape()


def test_entropy_rises_with_flattening_and_with_temperature(explorer):
    f_values, t_values = (c.values for c in explorer.controls)
    h = np.array(
        [
            [explorer.compute(flattening=f, temperature=t).run.state_entropy_bits for t in t_values]
            for f in f_values
        ]
    )
    assert np.all(np.diff(h, axis=0) >= 0) and np.all(np.diff(h, axis=1) >= 0)
    assert h[0, 0] == 0.0  # cold, intact: every walker stays in the central valley
    assert h[-1, -1] > 0.9 * np.log2(5)  # flat and hot: close to uniform over 5 valleys


def test_larger_frame_step_keeps_transition_counts():
    # The explorer uses dt = 0.02 instead of the model's 0.01 to stay fast.
    same = {"flattening": 0.5, "temperature": 0.2, "n_walkers": 300, "rng": 1}
    fine = simulate_landscape(n_steps=2000, **same)
    coarse = simulate_landscape(
        n_steps=1000, params=replace(LandscapeParams(), dt=FRAME_DT), **same
    )
    assert coarse.mean_transitions == pytest.approx(fine.mean_transitions, rel=0.15)


def test_plots_have_data_and_labels_with_units():
    view = landscape_view(
        simulate_landscape(flattening=0.5, temperature=0.3, n_steps=200, n_walkers=10, rng=0)
    )
    ax = plot_energy_landscape(view)
    assert len(ax.lines) == 2 and len(ax.patches) >= 1
    assert "model units" in ax.get_xlabel() and "model units" in ax.get_ylabel()
    assert ax.get_ylim() == xl.ENERGY_YLIM
    ax2 = plot_walkers(view, n_shown=3)
    assert len(ax2.lines) == 3
    assert "time" in ax2.get_xlabel() and "model units" in ax2.get_ylabel()
    assert any("bits" in t.get_text() for t in ax2.texts)
