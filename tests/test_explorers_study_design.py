"""Explorers for study design and trials: plots with labels and units, and what each figure shows.

The contract every explorer keeps (slider ranges, frames, one model run per change) is
checked in test_explorer_contract.py.
"""

from __future__ import annotations

import numpy as np

from explorers.study_design import (
    explore_pseudoreplication,
    plot_clustered_example,
    plot_false_positive_rates,
    plot_power_curve,
    plot_pvalue_ranks,
)
from explorers.trials import explore_unblinding, plot_trial_estimates, plot_trial_intervals
from models.published import CARHART_HARRIS_2021
from models.study_design.clustering import PseudoReplicationDemo, pseudoreplication_demo
from models.study_design.multiple_testing import multiple_testing
from models.study_design.power import power_comparison
from models.study_design.trials import ESCITALOPRAM_TRIAL, simulate_trial

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
    res = multiple_testing(n_genes=46, n_true_effects=5, effect_size=1.5, n_per_group=8, rng=0)
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


def test_unblinding_frame_shifts_estimates_by_expected_bias():
    e = explore_unblinding()
    blind = e.compute(correct_guess_probability=0.5, expectancy_points=3.0)
    unblind = e.compute(correct_guess_probability=1.0, expectancy_points=3.0)
    se = blind.effect_points.std() / np.sqrt(blind.effect_points.size)
    assert abs(blind.mean_effect_points - 2.0) < 4 * se
    assert abs(unblind.mean_effect_points - 5.0) < 4 * se
    assert unblind.ci_coverage < blind.ci_coverage


def test_demo_types():
    assert isinstance(
        explore_pseudoreplication().compute(icc=0.1, dendrites_per_mouse=2), PseudoReplicationDemo
    )


def test_unblinding_explorer_draws_the_published_trial_on_the_effect_axis():
    e = explore_unblinding(n_sims=200)
    e.render(**e.defaults)
    right = e._axes[1]
    d = CARHART_HARRIS_2021.differences[0]  # -2.0 (95 % CI -5.0 to 0.9), change scores
    diamonds = [line for line in right.lines if line.get_marker() == "D"]
    assert len(diamonds) == 1 and diamonds[0].get_xdata()[0] == -d.estimate  # as improvement
    bars = [tuple(line.get_xdata()) for line in right.lines if len(line.get_xdata()) == 2]
    assert (-d.ci95[1], -d.ci95[0]) in bars  # the interval, sign turned: -0.9 to 5.0
    assert "published" in " ".join(t.get_text() for t in right.texts)


def test_pseudoreplication_explorer_marks_the_calibrated_simulation():
    e = explore_pseudoreplication(n_sims=100)
    e.render(icc=0.1, dendrites_per_mouse=13)
    crosses = [line for line in e._axes[1].lines if line.get_marker() == "x"]
    assert len(crosses) == 2
    dendrite, mouse = (float(c.get_ydata()[0]) for c in crosses)
    assert dendrite > mouse  # pseudo-replication inflates false positives in the calibrated sim
    assert any("calibrated" in t.get_text() for t in e._axes[1].texts)


def test_arms_figure_draws_every_published_arm_beside_the_toy():
    from explorers.trials import figure_arms_against_data
    from models.published import GOODWIN_2022

    fig = figure_arms_against_data(n_sims=300)
    left, right = fig.axes[:2]
    for ax, trial in ((left, CARHART_HARRIS_2021), (right, GOODWIN_2022)):
        diamonds = sorted(
            float(line.get_ydata()[0]) for line in ax.lines if line.get_marker() == "D"
        )
        assert diamonds == sorted(-a.change for a in trial.arms)  # improvements
        assert "improvement" in left.get_ylabel() and trial.scale in ax.get_title()
