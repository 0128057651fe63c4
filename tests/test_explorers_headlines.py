"""Explorers of the introduction and the headlines chapter: margin checks and plots.

The contract every explorer keeps is checked in test_explorer_contract.py; the science of
the simulated studies and trials in test_study_design.py.
"""

from __future__ import annotations

import pytest

from explorers.headlines import (
    explore_equivalence,
    plot_equivalence_outcomes,
    plot_equivalence_trials,
    plot_estimate_distribution,
    plot_study_estimates,
)
from models.study_design.trials import TrialParams, classify_trials, simulate_trial, toy_study


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_bad_margin_raises(bad):
    r = simulate_trial(params=toy_study(5, 0.0), n_sims=10, rng=0)
    with pytest.raises(ValueError, match="margin_points"):
        classify_trials(r, bad)
    with pytest.raises(ValueError, match="margin_points"):
        explore_equivalence(margin_points=bad)


def test_plots_have_data_and_labels_with_units():
    study = simulate_trial(params=toy_study(10, 0.5), n_sims=300, rng=0)
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
