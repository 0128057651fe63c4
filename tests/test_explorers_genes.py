"""Explorers of the rat gene-expression chapter: science, slider ranges, wiring, frames."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import explorers.genes as gn
from explorers.genes import (
    FIT_CHOICES,
    ChoiceControl,
    display_name,
    dose_snapshot,
    explore_ed50_fit,
    explore_gene_panel,
    plot_ed50_fit,
    plot_gene_changes,
    simulate_ed50_experiment,
)
from models.expression import DOSE_BOUNDS, GENE_PANEL, get_gene


@pytest.fixture(scope="module")
def panel_explorer():
    return explore_gene_panel()


@pytest.fixture(scope="module")
def fit_explorer():
    return explore_ed50_fit()


def frames_of(explorer) -> np.ndarray:
    page = explorer.static_html()
    data = json.loads(re.search(r'class="rw-data">(.*?)</script>', page).group(1))
    return np.array(data["frames"], dtype=object).reshape(data["shape"])


# --- science ---------------------------------------------------------------------------------


def test_saline_changes_nothing():
    snap = dose_snapshot(0.0)
    assert np.all(snap.log2fc == 0.0)
    assert snap.changed("PFC", 0.1) == () and snap.changed("hippocampus", 0.1) == ()


def test_more_genes_change_in_pfc_and_plasticity_genes_go_down_in_hippocampus():
    snap = dose_snapshot(20.0)
    assert len(snap.changed("PFC", 0.25)) > len(snap.changed("hippocampus", 0.25))
    hip = dict(zip(snap.genes, snap.region("hippocampus"), strict=True))
    assert hip["Arc"] < -0.25 and hip["Egr2"] < -0.25
    assert all(v == 0.0 for g, v in hip.items() if g in ("Gapdh", "Actb", "Hprt1"))


def test_changes_grow_with_dose_and_a_higher_cutoff_counts_fewer_genes():
    low, high = dose_snapshot(0.5), dose_snapshot(20.0)
    assert np.all(np.abs(high.log2fc) >= np.abs(low.log2fc))
    assert len(high.changed("PFC", 0.5)) < len(high.changed("PFC", 0.1))


def test_snapshot_rejects_unknown_region():
    with pytest.raises(ValueError, match="region"):
        dose_snapshot(1.0).region("striatum")


def test_ed50_fit_recovers_a_large_change_with_many_rats():
    e = simulate_ed50_experiment(gene="Fos", region="PFC", n_per_group=200, rng=1)
    assert e.ed50_reliable
    assert e.fit.ed50 == pytest.approx(get_gene("Fos").pfc.ed50_mg_per_kg, rel=0.2)
    assert e.true_ed50() == 2.0


def test_unchanged_gene_has_no_true_ed50_and_no_reliable_fit():
    e = simulate_ed50_experiment(gene="Gapdh", region="PFC", n_per_group=8, rng=2021)
    assert e.true_ed50() is None
    assert not e.ed50_reliable


def test_same_seed_same_study():
    a = simulate_ed50_experiment(gene="Arc", region="hippocampus", rng=3)
    b = simulate_ed50_experiment(gene="Arc", region="hippocampus", rng=3)
    assert np.array_equal(a.data.log2_fold_change, b.data.log2_fold_change)
    assert a.fit.ed50 == b.fit.ed50


def test_choice_control_shows_names_and_checks_them():
    c = ChoiceControl("choice", "Gene", (0, 1), 0, names=("Fos", "Arc"))
    assert c.text(1.0) == "Arc"
    with pytest.raises(ValueError, match="names"):
        ChoiceControl("choice", "Gene", (0, 1, 2), 0, names=("Fos",))


def test_display_names_follow_the_paper():
    assert display_name("Fos") == "c-Fos" and display_name("Arc") == "Arc"


# --- sliders, wiring, frames -----------------------------------------------------------------


def test_panel_sliders_inside_valid_ranges(panel_explorer):
    c = {c.name: c for c in panel_explorer.controls}
    assert all(DOSE_BOUNDS.contains(v) for v in c["dose"].values)
    assert all(0.0 <= v <= 5.0 for v in c["threshold"].values)


def test_fit_sliders_inside_valid_ranges(fit_explorer):
    c = {c.name: c for c in fit_explorer.controls}
    assert len(c["choice"].values) == len(FIT_CHOICES)
    symbols = {g.symbol for g in GENE_PANEL}
    assert all(gene in symbols for gene, _ in FIT_CHOICES)
    assert all(1 <= v <= 10_000 and float(v).is_integer() for v in c["n_per_group"].values)


@pytest.mark.parametrize("factory, module_fn", [
    (explore_gene_panel, "dose_snapshot"), (explore_ed50_fit, "simulate_gene_study")])
def test_slider_change_calls_the_model_once(monkeypatch, factory, module_fn):
    e = factory()
    box = e.widget()
    calls = []
    real = getattr(gn, module_fn)
    monkeypatch.setattr(gn, module_fn, lambda *a, **k: calls.append(k) or real(*a, **k))
    first = box.image.value
    slider = box.sliders[0]
    options = [v for _, v in slider.options]
    slider.value = options[(options.index(slider.value) + 1) % len(options)]
    assert len(calls) == 1
    assert box.image.value != first


@pytest.mark.slow
@pytest.mark.parametrize("name", ["panel", "fit"])
def test_neighbouring_frames_differ(name, panel_explorer, fit_explorer):
    frames = frames_of(panel_explorer if name == "panel" else fit_explorer)
    for axis in range(frames.ndim):
        a = np.take(frames, range(frames.shape[axis] - 1), axis=axis)
        b = np.take(frames, range(1, frames.shape[axis]), axis=axis)
        assert np.all(a != b), f"{name}: identical neighbouring frames along control {axis}"


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
