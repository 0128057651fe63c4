"""The DMN explorer: valid sliders, one model run per change, honest figures."""

from __future__ import annotations

import numpy as np
import pytest
from explorer_checks import assert_neighbouring_frames_differ

import explorers.networks as xn
from explorers.networks import (
    explore_dmn_connectivity,
    plot_fc_matrix,
    plot_network_summary,
    summarize_network,
)
from models.networks import (
    LABELS,
    PSYCHEDELIC_BOUNDS,
    NetworkParams,
    modularity,
    simulate_network,
    stationary_fc,
    within_network_connectivity,
)


@pytest.fixture(scope="module")
def explorer():
    return explore_dmn_connectivity()


def test_sliders_stay_inside_valid_ranges(explorer):
    level, minutes = explorer.controls
    assert all(PSYCHEDELIC_BOUNDS.contains(v) for v in level.values)
    tr = NetworkParams().time_step_s
    for m in minutes.values:
        n = m * 60.0 / tr
        assert float(n).is_integer() and n >= 2, m  # whole fMRI volumes
    assert len(explorer.grid()) <= 60


def test_one_model_run_per_slider_change(monkeypatch):
    calls = []

    def counting(**kwargs):
        calls.append(kwargs["psychedelic"])
        return simulate_network(**kwargs)

    monkeypatch.setattr(xn, "simulate_network", counting)
    e = explore_dmn_connectivity()
    box = e.widget()
    calls.clear()
    box.sliders[0].value = 1.0
    assert calls == [1.0]
    box.sliders[1].value = 5.0
    assert calls == [1.0, 1.0]
    assert len(e.figure().axes) == 2


def test_neighbouring_frames_differ(explorer):
    assert_neighbouring_frames_differ(explorer)


def test_frames_are_reproducible(explorer):
    values = explorer.defaults
    assert explorer.frame_png(**values) == explore_dmn_connectivity().frame_png(**values)


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


def test_summary_matches_the_model_functions():
    run = simulate_network(psychedelic=0.4, n_timepoints=300, rng=3)
    s = summarize_network(run, n_timepoints=150)
    fc = np.corrcoef(run.timeseries[:, :150])
    assert s.scan_minutes == pytest.approx(5.0)
    assert s.within_dmn == pytest.approx(within_network_connectivity(fc, LABELS))
    assert s.modularity == pytest.approx(modularity(fc, LABELS))
    assert s.exact_modularity == pytest.approx(modularity(stationary_fc(0.4), LABELS))


@pytest.mark.parametrize("n", [1, 301])
def test_summary_rejects_impossible_scan_lengths(n):
    run = simulate_network(n_timepoints=300, rng=0)
    with pytest.raises(ValueError, match="n_timepoints"):
        summarize_network(run, n_timepoints=n)


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
    assert heights == pytest.approx(sorted([s.within_dmn, s.modularity, placebo.within_dmn,
                                            placebo.modularity]))


def test_repeated_drawing_adds_no_extra_colorbars_or_legends():
    s = summarize_network(simulate_network(n_timepoints=300, rng=0))
    ax = plot_fc_matrix(s)
    plot_fc_matrix(s, ax)
    assert len(ax.child_axes) == 1
    ax2 = plot_network_summary(s)
    plot_network_summary(s, ax2)
    assert len(ax2.child_axes) == 1
