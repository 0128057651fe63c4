"""Tests for models.genes: the Jefsen et al. (2021) gene-expression toy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.genes import (
    EXAMPLE_DOSES_MG_PER_KG,
    GENE_PANEL,
    REGIONS,
    RegionResponse,
    changed_genes,
    dose_snapshot,
    fit_ed50,
    get_gene,
    simulate_ed50_experiment,
    simulate_gene_study,
    true_log2fc,
)

FAST = settings(max_examples=40, deadline=None)
TOP_DOSE = 20.0
THRESHOLD = 0.25  # |log2 fold change| counted as "changed"

# Directions from the abstract of Jefsen et al. (2021), as written there.
ABSTRACT = {
    ("PFC", +1): [
        "Cebpb",
        "c-Fos",
        "Dusp1",
        "Fosb",
        "Junb",
        "Iκβ-α",
        "Nr4a1",
        "P11",
        "Psd95",
        "Sgk1",
    ],
    ("PFC", -1): ["Clk1"],
    ("hippocampus", +1): ["Arrdc2", "Dusp1", "Iκβ-α", "Sgk1"],
    ("hippocampus", -1): ["Arc", "Clk1", "Egr2", "Ptgs2"],
}
POSITIVE_DOSES = np.array([0.5, 1.0, 2.0, 5.0, 10.0, 20.0])


# --- The panel ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "region, direction, gene", [(r, s, g) for (r, s), genes in ABSTRACT.items() for g in genes]
)
def test_directions_follow_the_abstract(region, direction, gene):
    values = true_log2fc(gene, region, POSITIVE_DOSES)
    assert np.all(np.sign(values) == direction)


def test_arc_and_egr2_go_down_in_hippocampus():
    for gene in ("Arc", "Egr2"):
        assert np.all(true_log2fc(gene, "hippocampus", POSITIVE_DOSES) < 0)


def test_genes_not_listed_for_a_region_are_unchanged_there():
    listed = {(r, get_gene(g).symbol) for (r, _), genes in ABSTRACT.items() for g in genes}
    for gene in GENE_PANEL:
        for region in REGIONS:
            if (region, gene.symbol) not in listed:
                assert np.all(true_log2fc(gene.symbol, region, POSITIVE_DOSES) == 0)


def test_more_genes_change_and_more_strongly_in_pfc_at_the_top_dose():
    effect = {
        r: np.array([true_log2fc(g.symbol, r, TOP_DOSE) for g in GENE_PANEL]) for r in REGIONS
    }
    n_changed = {r: int(np.sum(np.abs(e) > THRESHOLD)) for r, e in effect.items()}
    assert n_changed["PFC"] > n_changed["hippocampus"] > 0
    mean_size = {r: np.abs(e[np.abs(e) > THRESHOLD]).mean() for r, e in effect.items()}
    assert mean_size["PFC"] > mean_size["hippocampus"]
    assert len(changed_genes("PFC", TOP_DOSE, threshold=THRESHOLD)) == n_changed["PFC"]


def test_saline_changes_nothing_and_response_is_half_maximal_at_ed50():
    for gene in GENE_PANEL:
        for region in REGIONS:
            assert true_log2fc(gene.symbol, region, 0.0) == 0.0
            resp = gene.response(region)
            half = true_log2fc(gene.symbol, region, resp.ed50_mg_per_kg)
            assert half == pytest.approx(resp.max_log2fc / 2, abs=1e-12)


def test_aliases_and_case_resolve():
    assert get_gene("c-fos").symbol == "Fos"
    assert get_gene("P11").symbol == "S100a10"
    assert get_gene("Psd95").symbol == "Dlg4"
    assert true_log2fc("Iκβ-α", "pfc", 5.0) == true_log2fc("Nfkbia", "PFC", 5.0)


@FAST
@given(
    gene=st.sampled_from([g.symbol for g in GENE_PANEL]),
    region=st.sampled_from(REGIONS),
    d=st.lists(st.floats(0.0, 20.0), min_size=1, max_size=20),
)
def test_true_log2fc_is_finite_bounded_signed_and_monotone(gene, region, d):
    d = np.sort(np.array(d))
    resp = get_gene(gene).response(region)
    y = true_log2fc(gene, region, d)
    assert np.all(np.isfinite(y))
    assert np.all(np.abs(y) <= resp.max_abs_log2fc)
    assert np.all(y * resp.direction >= 0)
    # A larger dose never does less (up to floating-point rounding near saturation).
    assert np.all(np.diff(y * resp.direction) >= -1e-12)


@pytest.mark.parametrize(
    "args, name",
    [
        (("Bdnf", "PFC", 1.0), "gene"),
        (("Fos", "amygdala", 1.0), "region"),
        (("Fos", "PFC", -1.0), "dose"),
        (("Fos", "PFC", float("nan")), "dose"),
    ],
)
def test_true_log2fc_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        true_log2fc(*args)


def test_region_response_validation():
    with pytest.raises(ValueError, match="direction"):
        RegionResponse(direction=2, max_abs_log2fc=1.0)
    with pytest.raises(ValueError, match="max_abs_log2fc"):
        RegionResponse(direction=1, max_abs_log2fc=0.0)
    with pytest.raises(ValueError, match="ed50_mg_per_kg"):
        RegionResponse(direction=1, max_abs_log2fc=1.0, ed50_mg_per_kg=0.0)


# --- Simulated study -------------------------------------------------------------------------


def test_table_layout():
    s = simulate_gene_study(doses=[0.0, 1.0, 10.0], n_per_group=4, rng=1)
    n_rows = 3 * 4 * len(REGIONS) * len(GENE_PANEL)
    for col in (s.gene, s.region, s.dose_mg_per_kg, s.animal, s.log2_fold_change):
        assert col.shape == (n_rows,)
        assert not col.flags.writeable
    assert len(s) == n_rows and len(s.to_records()) == n_rows
    assert set(s.to_records()[0]) == {
        "gene",
        "region",
        "dose_mg_per_kg",
        "animal",
        "log2_fold_change",
    }
    np.testing.assert_array_equal(s.doses, [0.0, 1.0, 10.0])
    # Each animal has one dose and every gene in both regions; 4 animals per dose.
    animals, rows = np.unique(s.animal, return_counts=True)
    assert animals.size == 12 and np.all(rows == len(REGIONS) * len(GENE_PANEL))
    for a in animals:
        assert np.unique(s.dose_mg_per_kg[s.animal == a]).size == 1
    per_dose = np.unique(
        s.dose_mg_per_kg[np.unique(s.animal, return_index=True)[1]], return_counts=True
    )[1]
    assert np.all(per_dose == 4)
    sub = s.subset(gene="c-Fos", region="hippocampus")
    assert len(sub) == 12 and set(sub.gene) == {"Fos"} and set(sub.region) == {"hippocampus"}


def test_same_seed_same_table_different_seed_different_table():
    kw = dict(doses=EXAMPLE_DOSES_MG_PER_KG, n_per_group=5)
    a, b = simulate_gene_study(**kw, rng=42), simulate_gene_study(**kw, rng=42)
    c = simulate_gene_study(**kw, rng=43)
    for col in ("gene", "region", "dose_mg_per_kg", "animal", "log2_fold_change"):
        np.testing.assert_array_equal(getattr(a, col), getattr(b, col))
    assert not np.allclose(a.log2_fold_change, c.log2_fold_change)
    g = np.random.default_rng(7)
    d = simulate_gene_study(**kw, rng=np.random.default_rng(7))
    e = simulate_gene_study(**kw, rng=g)
    np.testing.assert_array_equal(d.log2_fold_change, e.log2_fold_change)


def test_without_noise_the_table_is_the_truth():
    s = simulate_gene_study(
        doses=EXAMPLE_DOSES_MG_PER_KG, n_per_group=2, rng=0, noise_sd=0.0, animal_sd=0.0
    )
    truth = [
        true_log2fc(g, r, d) for g, r, d in zip(s.gene, s.region, s.dose_mg_per_kg, strict=True)
    ]
    np.testing.assert_allclose(s.log2_fold_change, truth, atol=1e-15)


def test_saline_mean_is_zero_and_group_means_estimate_the_truth():
    s = simulate_gene_study(doses=[0.0, 20.0], n_per_group=300, rng=3)
    saline = s.log2_fold_change[s.dose_mg_per_kg == 0]
    # Grand-mean SD ~ sqrt(0.15**2 / 300 + 0.3**2 / (300 * 36)) ~ 0.009.
    assert abs(saline.mean()) < 0.04
    fos = s.subset(gene="Fos", region="PFC")
    top = fos.log2_fold_change[fos.dose_mg_per_kg == 20.0].mean()
    assert top == pytest.approx(true_log2fc("Fos", "PFC", 20.0), abs=0.1)


def test_animal_effect_correlates_genes_within_an_animal():
    def corr(animal_sd):
        s = simulate_gene_study(doses=[0.0], n_per_group=2000, rng=5, animal_sd=animal_sd)
        x = s.subset(gene="Gapdh", region="PFC").log2_fold_change
        y = s.subset(gene="Actb", region="hippocampus").log2_fold_change
        return np.corrcoef(x, y)[0, 1]

    # Expected r = 0.15**2 / (0.15**2 + 0.3**2) = 0.2 with the shared effect, 0 without.
    assert 0.12 < corr(0.15) < 0.28
    assert abs(corr(0.0)) < 0.08


@FAST
@given(
    d=st.lists(st.floats(0.0, 20.0), min_size=1, max_size=4),
    n=st.integers(1, 5),
    noise=st.floats(0.0, 2.0),
    animal=st.floats(0.0, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_simulated_values_are_finite(d, n, noise, animal, seed):
    s = simulate_gene_study(doses=d, n_per_group=n, rng=seed, noise_sd=noise, animal_sd=animal)
    assert len(s) == len(d) * n * len(REGIONS) * len(GENE_PANEL)
    assert np.all(np.isfinite(s.log2_fold_change))
    assert np.all(s.dose_mg_per_kg >= 0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"doses": [0.0, -1.0], "n_per_group": 3}, "doses"),
        ({"doses": [], "n_per_group": 3}, "doses"),
        ({"doses": [0.0, 1.0], "n_per_group": 0}, "n_per_group"),
        ({"doses": [0.0, 1.0], "n_per_group": 2.5}, "n_per_group"),
        ({"doses": [0.0, 1.0], "n_per_group": 3, "noise_sd": -0.1}, "noise_sd"),
        ({"doses": [0.0, 1.0], "n_per_group": 3, "animal_sd": float("nan")}, "animal_sd"),
    ],
)
def test_simulate_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        simulate_gene_study(**kwargs)


# --- ED50 fitting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gene, region",
    [(g.symbol, r) for g in GENE_PANEL for r in REGIONS if g.response(r).direction != 0],
)
def test_fit_recovers_noiseless_curves_exactly(gene, region):
    d = np.array(EXAMPLE_DOSES_MG_PER_KG)
    fit = fit_ed50(d, true_log2fc(gene, region, d))
    resp = get_gene(gene).response(region)
    assert fit.ed50 == pytest.approx(resp.ed50_mg_per_kg, rel=1e-4)
    assert fit.emax == pytest.approx(resp.max_log2fc, rel=1e-4)
    np.testing.assert_allclose(fit.predict(d), true_log2fc(gene, region, d), atol=1e-6)


@pytest.mark.parametrize("hill_n", [None, 1.5])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fit_recovers_ed50_within_20_percent_with_large_groups(seed, hill_n):
    s = simulate_gene_study(doses=EXAMPLE_DOSES_MG_PER_KG, n_per_group=200, rng=seed)
    fos = s.subset(gene="Fos", region="PFC")
    fit = fit_ed50(fos.dose_mg_per_kg, fos.log2_fold_change, hill_n=hill_n)
    true_ed50 = get_gene("Fos").pfc.ed50_mg_per_kg
    assert fit.ed50 == pytest.approx(true_ed50, rel=0.2)
    assert abs(fit.ed50 - true_ed50) < 4 * fit.ed50_se  # the standard error is honest
    assert fit.n_fixed == (hill_n is not None)
    assert np.isnan(fit.hill_n_se) == (hill_n is not None)


def test_fit_of_a_downregulated_gene_has_negative_emax():
    s = simulate_gene_study(doses=EXAMPLE_DOSES_MG_PER_KG, n_per_group=200, rng=4)
    egr2 = s.subset(gene="Egr2", region="hippocampus")
    fit = fit_ed50(egr2.dose_mg_per_kg, egr2.log2_fold_change, hill_n=1.5)
    assert fit.emax < 0
    assert fit.ed50 == pytest.approx(get_gene("Egr2").hippocampus.ed50_mg_per_kg, rel=0.3)


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        (([0.0, 1.0, 2.0], [0.0, 1.0]), {}, "equal length"),
        (([0.0, 1.0, 1.0], [0.0, 1.0, 1.0]), {}, "three distinct"),
        (([0.0, -1.0, 2.0], [0.0, 1.0, 1.0]), {}, "doses"),
        (([0.0, 1.0, 2.0], [0.0, np.nan, 1.0]), {}, "responses"),
        (([0.0, 1.0, 2.0], [0.0, 0.5, 1.0]), {"hill_n": 0.0}, "hill_n"),
    ],
)
def test_fit_bad_input(args, kwargs, name):
    with pytest.raises(ValueError, match=name):
        fit_ed50(*args, **kwargs)


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
