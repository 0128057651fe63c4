"""The mechanism explorer: what its sliders cover, and its plots.

The contract every explorer keeps is checked in test_explorer_contract.py; the toy's
pharmacology in test_mechanisms.py.
"""

from __future__ import annotations

import pytest

from explorers.mechanisms import explore_mechanisms, plot_antagonist_shift, plot_pathway_responses
from models.mechanisms import two_pathway_model


def test_mechanism_sliders_stay_inside_the_toys_valid_ranges():
    e = explore_mechanisms()
    for values in e.grid():  # every combination is accepted by the toy model
        r = e.compute(**values)
        assert 0.0 <= r.head_twitch <= 1.0 and 0.0 <= r.plasticity <= 1.0
    share = e.controls[1]
    assert share.values[0] == 0.0 and share.values[-1] == 100.0  # both pure hypotheses


def test_mechanism_plots_have_data_and_labels_with_units():
    r = two_pathway_model(antagonist_over_kb=10.0, share_5ht2a=0.5)
    ax = plot_antagonist_shift(r)
    assert len(ax.lines) >= 2 and ax.get_xscale() == "log"
    assert "EC50" in ax.get_xlabel() and "(%)" in ax.get_ylabel()
    ax = plot_pathway_responses(r)
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == pytest.approx(
        sorted([100 * r.head_twitch, 100 * r.plasticity_via_trkb, 100 * r.plasticity_via_5ht2a])
    )
    assert "%" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["via 5-HT2A", "via TrkB"]
