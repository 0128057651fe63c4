"""Tests of the toy resting-state network model (models.networks)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.networks import (
    LABELS,
    NETWORKS,
    REGION_NAMES,
    REGIONS,
    NetworkParams,
    between_network_connectivity,
    coupling_matrix,
    functional_connectivity,
    modularity,
    simulate_network,
    stationary_fc,
    summarize_network,
    within_network_connectivity,
)

SEEDS = range(5)


def _naive_modularity(fc, labels):
    """Newman's Q written out with explicit loops, as an independent cross-check."""
    n = len(labels)
    w = [[max(float(fc[i][j]), 0.0) if i != j else 0.0 for j in range(n)] for i in range(n)]
    k = [sum(row) for row in w]
    two_m = sum(k)
    q = 0.0
    for i in range(n):
        for j in range(n):
            if labels[i] == labels[j]:
                q += w[i][j] - k[i] * k[j] / two_m
    return q / two_m


def _block_matrix(sizes, within, between):
    labels = np.repeat(np.arange(len(sizes)), sizes)
    w = np.where(labels[:, None] == labels[None, :], within, between).astype(float)
    np.fill_diagonal(w, 1.0)
    return w, labels


# --- the toy brain -------------------------------------------------------------------------


def test_regions_and_networks_are_consistent():
    assert 16 <= len(REGIONS) <= 20
    assert len(set(REGIONS)) == len(REGIONS)
    assert len(LABELS) == len(REGIONS)
    assert set(LABELS) == set(NETWORKS) == {"DMN", "visual", "somatomotor", "salience"}
    dmn = {r for r, lab in zip(REGIONS, LABELS, strict=True) if lab == "DMN"}
    assert dmn == {"mPFC", "PCC", "AG-L", "AG-R", "HPC-L", "HPC-R"}
    assert set(REGION_NAMES) == set(REGIONS)


def test_coupling_matrix_is_symmetric_and_stable_for_extreme_parameters():
    p = NetworkParams(within_coupling=0.8, between_coupling=0.15, psychedelic_gain=1.0)
    for psy in (0.0, 0.5, 1.0):
        C = coupling_matrix(psy, p)
        assert np.allclose(C, C.T)
        assert np.all(np.diag(C) == 0) and np.all(C >= 0)
        assert np.linalg.eigvalsh(C).max() < 1.0


def test_psychedelic_moves_coupling_from_within_to_between_networks():
    p = NetworkParams()
    lab = np.array(LABELS)
    same = lab[:, None] == lab[None, :]
    c0, c1 = coupling_matrix(0.0, p), coupling_matrix(1.0, p)
    off = ~np.eye(len(lab), dtype=bool)
    assert np.all(c1[same & off] < c0[same & off])
    assert np.all(c1[~same] > c0[~same])
    # Each region receives exactly within_coupling from its own network.
    assert np.allclose((c0 * same).sum(axis=1), p.within_coupling)
    assert np.allclose((c1 * same).sum(axis=1), p.within_coupling * (1 - p.psychedelic_gain))


# --- functional connectivity ----------------------------------------------------------------


def test_fc_of_a_run_is_a_correlation_matrix():
    fc = simulate_network(rng=0).fc
    assert fc.shape == (len(REGIONS), len(REGIONS))
    assert np.allclose(fc, fc.T)
    assert np.all(np.diag(fc) == 1.0)
    assert np.all(np.abs(fc) <= 1.0)


def test_fc_matches_numpy_corrcoef_and_known_values():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 50))
    assert np.allclose(functional_connectivity(x), np.corrcoef(x))
    t = np.arange(10.0)
    fc = functional_connectivity(np.vstack([t, 2 * t + 1, -t]))
    assert np.allclose(fc, [[1, 1, -1], [1, 1, -1], [-1, -1, 1]])


def test_simulated_fc_converges_to_the_stationary_fc():
    """A long run's FC approaches the model's exact correlation matrix."""
    for psy in (0.0, 1.0):
        run = simulate_network(psychedelic=psy, n_timepoints=30_000, rng=11)
        err = np.abs(run.fc - stationary_fc(psy))
        assert err.max() < 0.05


def test_run_starts_at_the_stationary_variance():
    """Many short runs: the first sample already has the stationary variance."""
    p = replace(NetworkParams(), measurement_noise_sd=0.0)
    rng = np.random.default_rng(4)
    first = np.array(
        [simulate_network(n_timepoints=2, params=p, rng=rng).timeseries[:, 0] for _ in range(2000)]
    )
    C = coupling_matrix(0.0, p)
    expected = np.diag(0.5 * p.noise_sd**2 * np.linalg.inv(np.eye(C.shape[0]) - C))
    assert np.allclose(first.var(axis=0), expected, rtol=0.2)


# --- modularity ------------------------------------------------------------------------------


@pytest.mark.parametrize("n_blocks", [2, 3, 4])
def test_modularity_of_disconnected_equal_blocks_is_one_minus_one_over_k(n_blocks):
    w, labels = _block_matrix([4] * n_blocks, within=0.7, between=0.0)
    assert modularity(w, labels) == pytest.approx(1 - 1 / n_blocks)


def test_modularity_of_a_block_matrix_matches_the_analytic_value():
    # K equal blocks of n nodes, weight a inside, b between:
    # Q = a (n - 1) / (a (n - 1) + b n (K - 1)) - 1 / K
    n, K, a, b = 5, 3, 0.6, 0.1
    w, labels = _block_matrix([n] * K, within=a, between=b)
    expected = a * (n - 1) / (a * (n - 1) + b * n * (K - 1)) - 1 / K
    assert modularity(w, labels) == pytest.approx(expected)


def test_modularity_hand_computed_example():
    # Triangle {0,1,2} and pair {3,4} joined by the edge 2-3 (all weights 1).
    # Degrees 2,2,3,2,1; 2m = 10. Q = (6/10 - (7/10)^2) + (2/10 - (3/10)^2) = 0.22.
    w = np.zeros((5, 5))
    for i, j in [(0, 1), (0, 2), (1, 2), (3, 4), (2, 3)]:
        w[i, j] = w[j, i] = 1.0
    assert modularity(w, ["a", "a", "a", "b", "b"]) == pytest.approx(0.22)


def test_modularity_ignores_negative_weights_and_the_diagonal():
    w, labels = _block_matrix([3, 3], within=0.5, between=0.2)
    q = modularity(w, labels)
    w2 = w.copy()
    w2[labels[:, None] != labels[None, :]] = -0.4  # negative between-block weights
    w2[np.diag_indices(6)] = 7.0
    assert modularity(w2, labels) == pytest.approx(1 - 1 / 2)  # only the blocks remain
    w3 = w.copy()
    w3[np.diag_indices(6)] = 0.0
    assert modularity(w3, labels) == pytest.approx(q)


def test_modularity_of_a_single_community_is_zero():
    fc = stationary_fc()
    assert modularity(fc, ["all"] * len(REGIONS)) == pytest.approx(0.0, abs=1e-12)


def test_modularity_agrees_with_a_naive_implementation():
    rng = np.random.default_rng(7)
    for _ in range(5):
        a = rng.uniform(-1, 1, (7, 7))
        fc = (a + a.T) / 2
        labels = rng.integers(0, 3, 7)
        assert modularity(fc, labels) == pytest.approx(_naive_modularity(fc, labels))


def test_true_partition_beats_shuffled_partitions():
    rng = np.random.default_rng(1)
    fc = simulate_network(rng=2).fc
    q_true = modularity(fc, LABELS)
    q_shuffled = [modularity(fc, rng.permutation(LABELS)) for _ in range(20)]
    assert q_true > 0.2
    assert max(q_shuffled) < q_true - 0.1


# --- the psychedelic effect (Carhart-Harris 2012; Daws 2022) --------------------------------


def _seed_means(psy):
    runs = [simulate_network(psychedelic=psy, rng=seed) for seed in SEEDS]
    within = np.mean([within_network_connectivity(r.fc, r.labels, "DMN") for r in runs])
    between = np.mean([between_network_connectivity(r.fc, r.labels, "DMN") for r in runs])
    q = np.mean([modularity(r.fc, r.labels) for r in runs])
    return within, between, q


def test_psychedelic_lowers_dmn_connectivity_and_modularity_over_seeds():
    w0, b0, q0 = _seed_means(0.0)
    w1, b1, q1 = _seed_means(1.0)
    assert w1 < w0 - 0.05
    assert q1 < q0 - 0.05
    assert b1 > b0


def test_stationary_effect_is_monotonic_in_the_drug_level():
    levels = np.linspace(0, 1, 6)
    fcs = [stationary_fc(psy) for psy in levels]
    within = [within_network_connectivity(fc, LABELS, "DMN") for fc in fcs]
    between = [between_network_connectivity(fc, LABELS, "DMN") for fc in fcs]
    q = [modularity(fc, LABELS) for fc in fcs]
    i, j = REGIONS.index("mPFC"), REGIONS.index("PCC")
    mpfc_pcc = [fc[i, j] for fc in fcs]
    assert np.all(np.diff(within) < 0)
    assert np.all(np.diff(mpfc_pcc) < 0)
    assert np.all(np.diff(q) < 0)
    assert np.all(np.diff(between) > 0)


def test_no_drug_effect_when_gain_is_zero():
    p = NetworkParams(psychedelic_gain=0.0)
    assert np.array_equal(stationary_fc(0.0, p), stationary_fc(1.0, p))
    a = simulate_network(psychedelic=0.0, params=p, rng=5)
    b = simulate_network(psychedelic=1.0, params=p, rng=5)
    assert np.array_equal(a.timeseries, b.timeseries)


# --- reproducibility and results --------------------------------------------------------------


def test_same_seed_same_result_and_different_seed_different_result():
    a = simulate_network(psychedelic=0.3, rng=42)
    b = simulate_network(psychedelic=0.3, rng=42)
    c = simulate_network(psychedelic=0.3, rng=43)
    assert np.array_equal(a.timeseries, b.timeseries)
    assert not np.array_equal(a.timeseries, c.timeseries)
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    assert np.array_equal(simulate_network(rng=g1).timeseries, simulate_network(rng=g2).timeseries)


def test_result_fields():
    run = simulate_network(psychedelic=0.25, n_timepoints=50, rng=0)
    assert run.timeseries.shape == (len(REGIONS), 50)
    assert run.regions == REGIONS and run.labels == LABELS
    assert run.psychedelic == 0.25
    assert np.allclose(np.diff(run.t_s), NetworkParams().time_step_s)
    assert np.array_equal(run.coupling, coupling_matrix(0.25))
    with pytest.raises(AttributeError):
        run.psychedelic = 0.5  # frozen


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), float("inf"), "high"])
def test_bad_psychedelic_raises(bad):
    with pytest.raises(ValueError, match="psychedelic"):
        simulate_network(psychedelic=bad)


@pytest.mark.parametrize("bad", [0, 1, -5, 2.5, True, "600"])
def test_bad_n_timepoints_raises(bad):
    with pytest.raises(ValueError, match="n_timepoints"):
        simulate_network(n_timepoints=bad)


@pytest.mark.parametrize(
    "field, value",
    [
        ("within_coupling", 0.9),
        ("within_coupling", -0.1),
        ("between_coupling", 0.5),
        ("psychedelic_gain", 1.2),
        ("noise_sd", 0.0),
        ("measurement_noise_sd", -1.0),
        ("time_constant_s", 0.0),
        ("time_step_s", 100.0),
    ],
)
def test_bad_params_raise_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        NetworkParams(**{field: value})


def test_mismatched_labels_raise():
    fc = stationary_fc()
    with pytest.raises(ValueError, match="labels"):
        modularity(fc, LABELS[:-1])
    with pytest.raises(ValueError, match="labels"):
        within_network_connectivity(fc, LABELS + ("DMN",))


def test_bad_fc_and_network_names_raise():
    with pytest.raises(ValueError, match="fc"):
        modularity(np.ones((3, 4)), [0, 0, 1])
    with pytest.raises(ValueError, match="symmetric"):
        modularity(np.array([[1.0, 0.5], [0.1, 1.0]]), [0, 1])
    with pytest.raises(ValueError, match="positive"):
        modularity(np.array([[1.0, -0.5], [-0.5, 1.0]]), [0, 1])
    with pytest.raises(ValueError, match="network"):
        within_network_connectivity(stationary_fc(), LABELS, "limbic")
    with pytest.raises(ValueError, match="other"):
        between_network_connectivity(stationary_fc(), LABELS, "DMN", "limbic")


@pytest.mark.parametrize("bad", [np.ones(5), np.ones((1, 10)), np.ones((3, 1))])
def test_bad_timeseries_shape_raises(bad):
    with pytest.raises(ValueError, match="timeseries"):
        functional_connectivity(bad)


def test_constant_region_raises():
    x = np.vstack([np.arange(5.0), np.zeros(5)])
    with pytest.raises(ValueError, match="constant"):
        functional_connectivity(x)


# --- properties over the valid parameter ranges ----------------------------------------------

#: The drug level and the coupling parameters, over their valid ranges.
COUPLINGS = {
    "psychedelic": st.floats(0.0, 1.0),
    "within": st.floats(0.0, 0.8),
    "between": st.floats(0.0, 0.15),
    "gain": st.floats(0.0, 1.0),
}


@settings(max_examples=40, deadline=None)
@given(
    **COUPLINGS,
    meas=st.floats(0.0, 3.0),
    n_timepoints=st.integers(10, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_runs_are_finite_and_fc_is_valid(
    psychedelic, within, between, gain, meas, n_timepoints, seed
):
    p = NetworkParams(
        within_coupling=within,
        between_coupling=between,
        psychedelic_gain=gain,
        measurement_noise_sd=meas,
    )
    run = simulate_network(psychedelic=psychedelic, n_timepoints=n_timepoints, params=p, rng=seed)
    assert np.all(np.isfinite(run.timeseries))
    fc = run.fc
    assert np.all(np.isfinite(fc))
    assert np.all((fc >= -1.0) & (fc <= 1.0))
    assert np.allclose(fc, fc.T) and np.all(np.diag(fc) == 1.0)
    q = modularity(fc, run.labels)
    assert -0.5 <= q < 1.0
    assert -1.0 <= within_network_connectivity(fc, run.labels, "DMN") <= 1.0


@settings(max_examples=40, deadline=None)
@given(**COUPLINGS)
def test_property_stationary_fc_is_a_valid_correlation_matrix(psychedelic, within, between, gain):
    p = NetworkParams(within_coupling=within, between_coupling=between, psychedelic_gain=gain)
    fc = stationary_fc(psychedelic, p)
    assert np.all(np.isfinite(fc))
    assert np.allclose(fc, fc.T) and np.allclose(np.diag(fc), 1.0)
    assert np.linalg.eigvalsh(fc).min() > 0  # positive definite
    assert np.all(fc >= -1e-12)  # positive couplings give no anticorrelations


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
