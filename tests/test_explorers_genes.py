"""Explorers of the rat gene-expression chapter: names, choices and plots.

The contract every explorer keeps is checked in test_explorer_contract.py; the science of the
toy in test_genes.py.
"""

from __future__ import annotations

import numpy as np

from explorers.genes import FIT_CHOICES, display_name, plot_ed50_fit, plot_gene_changes
from models.genes import GENE_PANEL, dose_snapshot, simulate_ed50_experiment


def test_display_names_follow_the_paper():
    assert display_name("Fos") == "c-Fos" and display_name("Arc") == "Arc"


def test_plots_have_data_and_labels_with_units():
    ax = plot_gene_changes(dose_snapshot(5.0), region="hippocampus", threshold=0.25)
    bars = [c for c in ax.collections if len(c.get_paths()) == len(GENE_PANEL)]
    assert len(bars) == 1  # one rectangle per gene
    widths = [np.ptp(p.vertices[:, 0]) for p in bars[0].get_paths()]
    assert max(widths) > 0.25  # some genes change at 5 mg/kg
    assert "log2" in ax.get_xlabel() and ax.get_title() == "hippocampus"
    ax = plot_ed50_fit(simulate_ed50_experiment())
    assert len(ax.lines) >= 4
    assert "mg/kg" in ax.get_xlabel() and "log2" in ax.get_ylabel()


def test_fit_choices_are_panel_genes_in_measured_regions():
    symbols = {g.symbol for g in GENE_PANEL}
    assert all(gene in symbols and region in ("PFC", "hippocampus") for gene, region in FIT_CHOICES)
