"""The DMN explorer: what its frames show, and its plots (the contract every explorer keeps
is checked in test_explorer_contract.py)."""

from __future__ import annotations

import numpy as np
import pytest

from explorers.networks import explore_dmn_connectivity, plot_fc_matrix, plot_network_summary
from models.networks import simulate_network, summarize_network


@pytest.fixture(scope="module")
def explorer():
    return explore_dmn_connectivity()


def test_exact_values_fall_with_the_psychedelic_level(explorer):
    level = explorer.controls[0]
    exact = [explorer.compute(psychedelic=v, scan_minutes=40.0)[0] for v in level.values]
    within = [s.exact_within_dmn for s in exact]
    q = [s.exact_modularity for s in exact]
    assert all(np.diff(within) < 0) and all(np.diff(q) < 0)


def test_default_seed_gives_a_typical_long_scan(explorer):
    # The docstring promises that the 40-minute scans lie close to the exact values.
    for v in explorer.controls[0].values:
        s, placebo = explorer.compute(psychedelic=v, scan_minutes=40.0)
        assert abs(s.within_dmn - s.exact_within_dmn) < 0.05
        assert abs(s.modularity - s.exact_modularity) < 0.05
        assert placebo.psychedelic == 0.0 and placebo.scan_minutes == 40.0


def test_plots_have_data_and_labels_with_units():
    s = summarize_network(simulate_network(psychedelic=0.5, n_timepoints=300, rng=0))
    placebo = summarize_network(simulate_network(n_timepoints=300, rng=0))
    ax = plot_fc_matrix(s)
    assert len(ax.images) == 1
    assert np.ma.is_masked(ax.images[0].get_array()[0, 0])  # diagonal hidden
    assert "network" in ax.get_xlabel()
    assert "Pearson r" in ax._fc_colorbar.ax.get_ylabel()
    ax2 = plot_network_summary(s, reference=placebo)
    assert len(ax2.patches) == 4 and len(ax2.collections) == 2
    assert "r or Q" in ax2.get_ylabel() and "unitless" in ax2.get_ylabel()
    heights = sorted(p.get_height() for p in ax2.patches)
    assert heights == pytest.approx(
        sorted([s.within_dmn, s.modularity, placebo.within_dmn, placebo.modularity])
    )


def test_repeated_drawing_adds_no_extra_colorbars_or_legends():
    s = summarize_network(simulate_network(n_timepoints=300, rng=0))
    ax = plot_fc_matrix(s)
    plot_fc_matrix(s, ax)
    assert len(ax.child_axes) == 1
    ax2 = plot_network_summary(s)
    plot_network_summary(s, ax2)
    assert len(ax2.child_axes) == 1
