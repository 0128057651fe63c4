"""The pharmacology explorer's plots (the contract every explorer keeps is checked in
test_explorer_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from explorers.pharmacology import explore_pk, plot_concentration, plot_occupancy
from models.pharmacology import OCCUPANCY_EMAX, simulate_pk


def test_published_half_lives_are_on_the_slider():
    half_life = explore_pk().controls[1]
    assert half_life.name == "elimination_half_life_h"
    assert {1.5, 2.0, 3.0} <= set(half_life.values)  # about 1.5-3 h in the literature


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
