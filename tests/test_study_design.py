"""Tests of models.study_design: power, pseudo-replication, multiple testing, blinding in trials.

Statistical claims are checked with fixed seeds and tolerances of a few Monte-Carlo standard
errors, so each test could fail if the model were wrong.
"""

from __future__ import annotations

import time
from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from models._params import bounds_of
from models.imaging.mice import simulate_null_experiments
from models.published import SHAO_ICC_DAY1
from models.study_design.clustering import (
    calibrated_null_rates,
    design_effect,
    example_clustered_data,
    false_positive_rate,
    pseudoreplication_demo,
)
from models.study_design.multiple_testing import multiple_testing, multiple_testing_error_rates
from models.study_design.power import (
    analytic_power,
    power_by_simulation,
    power_comparison,
    sample_size_for_power,
)
from models.study_design.trials import (
    EQUIVALENCE_MARGIN_POINTS,
    ESCITALOPRAM_TRIAL,
    TrialParams,
    classify_trials,
    simulate_trial,
    toy_study,
    trial_power,
)

FAST = settings(max_examples=25, deadline=None)


# ------------------------------------------------------------------------------------ power


def test_power_equals_alpha_at_zero_effect():
    for alpha in (0.05, 0.01):
        curve = power_by_simulation(
            n_per_group=[5, 20], effect_size=0.0, alpha=alpha, n_sims=4000, rng=11
        )
        se = np.sqrt(alpha * (1 - alpha) / curve.n_sims)
        assert np.all(np.abs(curve.power - alpha) < 3 * se)


def test_power_rises_with_sample_size():
    curve = power_by_simulation(n_per_group=[4, 8, 16, 32, 64], effect_size=0.5, n_sims=2000, rng=1)
    assert np.all(np.diff(curve.power) > 0)
    assert curve.power[0] < 0.2 and curve.power[-1] > 0.7


def test_power_matches_noncentral_t():
    sizes = np.array([3, 5, 8, 12, 20, 30, 45, 70])
    curve = power_by_simulation(n_per_group=sizes, effect_size=0.6, n_sims=3000, rng=2)
    exact = analytic_power(n_per_group=sizes, effect_size=0.6)
    se = np.sqrt(exact * (1 - exact) / curve.n_sims)
    assert np.all(np.abs(curve.power - exact) < 4 * se)
    assert np.allclose(curve.mc_se, np.sqrt(curve.power * (1 - curve.power) / 3000))


def test_analytic_power_limits():
    # zero effect: exactly alpha; the two-sided t-test is unbiased and symmetric in the sign
    assert analytic_power(n_per_group=7, effect_size=0.0, alpha=0.01) == pytest.approx(0.01)
    assert analytic_power(n_per_group=10, effect_size=0.7) == pytest.approx(
        analytic_power(n_per_group=10, effect_size=-0.7)
    )
    # textbook value: d = 0.5 needs 64 per group for 80 % power
    assert analytic_power(n_per_group=64, effect_size=0.5) == pytest.approx(0.80, abs=0.01)
    assert sample_size_for_power(effect_size=0.5) == 64
    assert sample_size_for_power(effect_size=-0.5) == 64
    assert analytic_power(n_per_group=5000, effect_size=0.5) == pytest.approx(1.0)
    assert isinstance(analytic_power(n_per_group=10, effect_size=0.5), float)
    assert analytic_power(n_per_group=[10], effect_size=0.5).shape == (1,)


def test_power_curve_is_fast():
    sizes = [5, 10, 15, 20, 30, 40, 60, 80]
    power_by_simulation(n_per_group=sizes, effect_size=0.5, n_sims=1000, rng=0)  # warm up
    start = time.perf_counter()
    curve = power_by_simulation(n_per_group=sizes, effect_size=0.5, n_sims=1000, rng=0)
    elapsed = time.perf_counter() - start
    assert curve.power.shape == (8,)
    assert elapsed < 1.0


def test_power_scalar_input_gives_arrays():
    curve = power_by_simulation(n_per_group=10, effect_size=1.0, n_sims=200, rng=0)
    assert curve.n_per_group.tolist() == [10]
    assert curve.power.shape == curve.mc_se.shape == (1,)


# ------------------------------------------------------------------- pseudo-replication


def test_design_effect():
    assert design_effect(0.3, 10) == pytest.approx(3.7)
    assert design_effect(0.0, 50) == 1.0  # independent dendrites: no inflation
    assert design_effect(0.8, 1) == 1.0  # one dendrite per mouse: no clustering
    assert design_effect(1.0, 10) == 10.0  # identical dendrites: m copies of one number
    assert np.allclose(design_effect(np.array([0.0, 0.5]), 5), [1.0, 3.0])


def test_pseudo_replication_inflates_false_positives():
    common = dict(n_mice=5, dendrites_per_mouse=10, icc=0.3, n_sims=2000, rng=4)
    wrong = false_positive_rate(unit="dendrite", **common)
    right = false_positive_rate(unit="mouse", **common)
    assert wrong.rate > 0.15
    assert 0.02 <= right.rate <= 0.09
    assert wrong.design_effect == pytest.approx(3.7)
    assert wrong.effective_n_per_group == pytest.approx(50 / 3.7)
    assert wrong.mc_se == pytest.approx(np.sqrt(wrong.rate * (1 - wrong.rate) / 2000))


def test_no_clustering_means_dendrites_are_valid_units():
    res = false_positive_rate(
        n_mice=5, dendrites_per_mouse=10, icc=0.0, unit="dendrite", n_sims=3000, rng=5
    )
    assert abs(res.rate - 0.05) < 3 * np.sqrt(0.05 * 0.95 / 3000)


def test_false_positives_grow_with_icc_and_dendrites():
    rates = [
        false_positive_rate(
            n_mice=4, dendrites_per_mouse=10, icc=icc, unit="dendrite", n_sims=1500, rng=6
        ).rate
        for icc in (0.05, 0.2, 0.5)
    ]
    assert rates[0] < rates[1] < rates[2]
    few, many = (
        false_positive_rate(
            n_mice=4, dendrites_per_mouse=m, icc=0.3, unit="dendrite", n_sims=1500, rng=7
        ).rate
        for m in (2, 30)
    )
    assert many > few + 0.2


# ----------------------------------------------------------------------- many tests


def test_single_experiment_bookkeeping():
    res = multiple_testing(n_genes=200, n_true_effects=20, effect_size=1.5, n_per_group=8, rng=8)
    assert res.p_values.shape == (200,)
    assert res.is_true_effect.sum() == 20 and res.is_true_effect[:20].all()
    unc, bon, bh = res.methods
    assert [d.method for d in res.methods] == ["uncorrected", "bonferroni", "bh"]
    # Bonferroni's discoveries are a subset of BH's, which are a subset of uncorrected ones
    assert np.all(bon.rejected <= bh.rejected) and np.all(bh.rejected <= unc.rejected)
    for d in res.methods:
        assert d.n_true + d.n_false == d.n_discoveries == d.rejected.sum()
        assert d.n_false == np.sum(d.rejected & ~res.is_true_effect)
        assert d.family_wise_error == (d.n_false > 0)
        expected_fdp = d.n_false / d.n_discoveries if d.n_discoveries else 0.0
        assert d.false_discovery_proportion == pytest.approx(expected_fdp)
    assert np.array_equal(unc.rejected, res.p_values < 0.05)
    assert np.array_equal(bon.rejected, res.p_values < 0.05 / 200)
    assert np.array_equal(bh.rejected, stats.false_discovery_control(res.p_values) <= 0.05)


def test_uncorrected_fwer_near_one_with_many_null_genes():
    r = multiple_testing_error_rates(
        n_genes=1000, n_true_effects=0, effect_size=0.0, n_per_group=10, n_sims=100, rng=9
    )
    assert r.uncorrected.fwer > 0.9
    assert r.uncorrected.mean_false_discoveries == pytest.approx(50, abs=3)
    # with no true effects FDR and FWER coincide, and both corrections hold them near alpha
    for m in (r.bonferroni, r.bh):
        assert m.fdr == pytest.approx(m.fwer)
        assert m.fwer <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / r.n_sims)


def test_bh_controls_fdr_and_finds_more_than_bonferroni():
    r = multiple_testing_error_rates(
        n_genes=500, n_true_effects=50, effect_size=1.5, n_per_group=10, n_sims=300, rng=10
    )
    assert r.bh.fdr <= 0.05 + 3 * r.bh.fdr_mc_se
    assert r.uncorrected.fdr > 0.15
    assert r.bonferroni.fwer <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / r.n_sims)
    assert r.bh.mean_true_discoveries > 2 * r.bonferroni.mean_true_discoveries


# --------------------------------------------------------------------------------- trials


def test_unblinding_inflates_the_estimated_effect():
    base = replace(TrialParams(), n_per_arm=50, expectancy_points=4.0, drug_effect_points=1.0)
    means = []
    for q in (0.5, 0.75, 1.0):
        res = simulate_trial(params=replace(base, correct_guess_probability=q), n_sims=2000, rng=12)
        se = np.std(res.effect_points) / np.sqrt(2000)
        assert abs(res.mean_effect_points - res.params.expected_effect_points) < 4 * se
        means.append(res.mean_effect_points)
    assert abs(means[0] - 1.0) < 0.15  # chance guessing: no inflation
    assert means[0] < means[1] < means[2]
    assert means[2] == pytest.approx(5.0, abs=0.2)  # full unblinding adds all the expectancy


def test_unblinding_breaks_ci_coverage_and_manufactures_significance():
    null = replace(TrialParams(), drug_effect_points=0.0, expectancy_points=3.0)
    blind = simulate_trial(params=null, n_sims=3000, rng=13)
    seen = simulate_trial(params=replace(null, correct_guess_probability=0.9), n_sims=3000, rng=13)
    se = np.sqrt(0.05 * 0.95 / 3000)
    assert abs(blind.power - 0.05) < 4 * se  # a null drug is "significant" 5 % of the time
    assert abs(blind.ci_coverage - 0.95) < 4 * se
    assert seen.power > 0.2 and seen.ci_coverage < 0.85
    assert seen.bias_points == pytest.approx(0.8 * 3.0, abs=0.15)


def test_escitalopram_scenario_reproduces_published_result():
    p = ESCITALOPRAM_TRIAL
    assert (p.n_per_arm, p.n_control) == (30, 29)
    res = simulate_trial(params=p, n_sims=4000, rng=14)
    assert res.mean_effect_points == pytest.approx(2.0, abs=0.15)
    assert np.mean(res.drug_arm_mean_points) == pytest.approx(8.0, abs=0.15)
    assert np.mean(res.control_arm_mean_points) == pytest.approx(6.0, abs=0.15)
    half_width = np.mean(res.ci_high_points - res.ci_low_points) / 2
    assert half_width == pytest.approx(2.95, abs=0.15)  # published CI -5.0 to 0.9
    assert np.median(res.p_value) > 0.05  # typical trial: not significant
    assert res.fraction_ci_includes_zero > 0.6
    power = trial_power(params=p, difference_points=2.0)
    assert 0.2 < power < 0.35  # near the 21 % median of Button et al. (2013)
    assert res.power == pytest.approx(power, abs=4 * np.sqrt(power * (1 - power) / 4000))
    assert trial_power(params=p) == pytest.approx(power)  # default: the expected effect


def test_trial_p_value_and_ci_agree():
    res = simulate_trial(params=ESCITALOPRAM_TRIAL, n_sims=2000, rng=15)
    significant = res.p_value < 0.05
    excludes_zero = ~((res.ci_low_points <= 0) & (res.ci_high_points >= 0))
    assert np.array_equal(significant, excludes_zero)
    assert np.allclose(res.effect_points, res.drug_arm_mean_points - res.control_arm_mean_points)


def test_trial_t_test_matches_scipy():
    # the t statistic implied by the CI reproduces scipy's p-value for the same df
    res = simulate_trial(params=ESCITALOPRAM_TRIAL, n_sims=50, rng=16)
    df = 30 + 29 - 2
    se = (res.ci_high_points - res.ci_low_points) / (2 * stats.t.ppf(0.975, df))
    assert np.allclose(res.p_value, 2 * stats.t.sf(np.abs(res.effect_points / se), df))


def test_trial_power_at_zero_difference_is_alpha():
    assert trial_power(params=ESCITALOPRAM_TRIAL, difference_points=0.0) == pytest.approx(0.05)


def test_trial_params_expected_effect_and_bounds():
    p = TrialParams(drug_effect_points=1.0, expectancy_points=2.0, correct_guess_probability=0.8)
    assert p.expected_effect_points == pytest.approx(1.0 + 2.0 * 0.6)
    assert replace(p, correct_guess_probability=0.5).expected_effect_points == 1.0
    assert bounds_of(TrialParams, "correct_guess_probability").describe() == "[0, 1]"
    with pytest.raises(FrozenInstanceError):
        p.n_per_arm = 10  # type: ignore[misc]


# ------------------------------------------------------------------------ reproducibility


@pytest.mark.parametrize(
    "run",
    [
        lambda s: power_by_simulation(n_per_group=[5, 9], effect_size=0.5, n_sims=300, rng=s).power,
        lambda s: np.array(
            [
                false_positive_rate(
                    n_mice=3, dendrites_per_mouse=4, icc=0.2, unit="dendrite", n_sims=300, rng=s
                ).rate
            ]
        ),
        lambda s: (
            multiple_testing(
                n_genes=30, n_true_effects=5, effect_size=1.0, n_per_group=5, rng=s
            ).p_values
        ),
        lambda s: np.array(
            [
                multiple_testing_error_rates(
                    n_genes=30, n_true_effects=5, effect_size=1.0, n_per_group=5, n_sims=50, rng=s
                ).bh.fdr
            ]
        ),
        lambda s: simulate_trial(n_sims=300, rng=s).effect_points,
    ],
)
def test_same_seed_same_result(run):
    assert np.array_equal(run(42), run(42))
    assert np.array_equal(run(np.random.default_rng(7)), run(np.random.default_rng(7)))


def test_different_seeds_differ():
    a = simulate_trial(n_sims=100, rng=1).effect_points
    b = simulate_trial(n_sims=100, rng=2).effect_points
    assert not np.array_equal(a, b)


def test_unit_changes_analysis_not_data():
    # same seed: the same simulated mice are analysed two ways; the mouse analysis is the
    # better-calibrated one on the very same data
    common = dict(n_mice=4, dendrites_per_mouse=8, icc=0.4, n_sims=1500, rng=3)
    d = false_positive_rate(unit="dendrite", **common)
    m = false_positive_rate(unit="mouse", **common)
    assert d.rate > m.rate


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: power_by_simulation(n_per_group=1, effect_size=0.5), "n_per_group"),
        (lambda: power_by_simulation(n_per_group=[5, 1], effect_size=0.5), "n_per_group"),
        (lambda: power_by_simulation(n_per_group=5.5, effect_size=0.5), "n_per_group"),
        (lambda: power_by_simulation(n_per_group=10, effect_size=0.5, alpha=0), "alpha"),
        (lambda: power_by_simulation(n_per_group=10, effect_size=np.nan), "effect_size"),
        (lambda: power_by_simulation(n_per_group=10, effect_size=0.5, n_sims=0), "n_sims"),
        (lambda: analytic_power(n_per_group=1, effect_size=0.5), "n_per_group"),
        (
            lambda: false_positive_rate(n_mice=5, dendrites_per_mouse=10, icc=1.5, unit="mouse"),
            "icc",
        ),
        (
            lambda: false_positive_rate(n_mice=5, dendrites_per_mouse=10, icc=0.3, unit="rat"),
            "unit",
        ),
        (
            lambda: false_positive_rate(n_mice=1, dendrites_per_mouse=10, icc=0.3, unit="mouse"),
            "n_mice",
        ),
        (
            lambda: false_positive_rate(n_mice=5, dendrites_per_mouse=0, icc=0.3, unit="mouse"),
            "dendrites_per_mouse",
        ),
        (
            lambda: false_positive_rate(
                n_mice=5, dendrites_per_mouse=10, icc=0.3, unit="mouse", alpha=0
            ),
            "alpha",
        ),
        (lambda: design_effect(1.5, 10), "icc"),
        (lambda: design_effect(0.3, 0), "m"),
        (
            lambda: multiple_testing(n_genes=10, n_true_effects=11, effect_size=1.0, n_per_group=5),
            "n_true_effects",
        ),
        (
            lambda: multiple_testing(n_genes=10, n_true_effects=1, effect_size=1.0, n_per_group=1),
            "n_per_group",
        ),
        (
            lambda: multiple_testing(
                n_genes=10, n_true_effects=1, effect_size=1.0, n_per_group=5, alpha=0
            ),
            "alpha",
        ),
        (lambda: TrialParams(n_per_arm=1), "n_per_arm"),
        (lambda: TrialParams(n_per_arm=2.5), "n_per_arm"),
        (lambda: TrialParams(n_control_arm=0), "n_control_arm"),
        (lambda: TrialParams(sd_points=0.0), "sd_points"),
        (lambda: TrialParams(correct_guess_probability=-0.1), "correct_guess_probability"),
        (lambda: simulate_trial(alpha=0), "alpha"),
        (lambda: simulate_trial(n_sims=0), "n_sims"),
        (lambda: sample_size_for_power(effect_size=0.0), "effect_size"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()


def test_error_message_gives_value_and_range():
    with pytest.raises(ValueError, match=r"icc must be a finite number in \[0, 1\], got 1.5"):
        false_positive_rate(n_mice=5, dendrites_per_mouse=10, icc=1.5, unit="mouse")
    with pytest.raises(ValueError, match=r"n_per_group must be integers in \[2, 10000\], got 1"):
        power_by_simulation(n_per_group=1, effect_size=0.5)
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \(0, 1\), got 0"):
        analytic_power(n_per_group=5, effect_size=0.5, alpha=0)


# ------------------------------------------------------------------------ property tests

alphas = st.floats(0.001, 0.5)


@FAST
@given(
    n=st.lists(st.integers(2, 40), min_size=1, max_size=4),
    d=st.floats(-3, 3),
    alpha=alphas,
    seed=st.integers(0, 2**32 - 1),
)
def test_power_is_a_probability(n, d, alpha, seed):
    curve = power_by_simulation(n_per_group=n, effect_size=d, alpha=alpha, n_sims=50, rng=seed)
    assert np.all((curve.power >= 0) & (curve.power <= 1)) and np.all(np.isfinite(curve.mc_se))
    exact = analytic_power(n_per_group=n, effect_size=d, alpha=alpha)
    assert np.all((exact >= alpha - 1e-9) & (exact <= 1))  # the t-test is unbiased


@FAST
@given(
    n_mice=st.integers(2, 8),
    m=st.integers(1, 12),
    icc=st.floats(0, 1),
    unit=st.sampled_from(["dendrite", "mouse"]),
    alpha=alphas,
    seed=st.integers(0, 2**32 - 1),
)
def test_false_positive_rate_is_a_probability(n_mice, m, icc, unit, alpha, seed):
    res = false_positive_rate(
        n_mice=n_mice, dendrites_per_mouse=m, icc=icc, unit=unit, n_sims=50, alpha=alpha, rng=seed
    )
    assert 0 <= res.rate <= 1 and np.isfinite(res.mc_se)
    assert res.design_effect >= 1


@FAST
@given(
    data=st.data(),
    n_genes=st.integers(1, 60),
    d=st.floats(-3, 3),
    n=st.integers(2, 10),
    alpha=alphas,
    seed=st.integers(0, 2**32 - 1),
)
def test_error_rates_are_probabilities(data, n_genes, d, n, alpha, seed):
    n_true = data.draw(st.integers(0, n_genes))
    r = multiple_testing_error_rates(
        n_genes=n_genes,
        n_true_effects=n_true,
        effect_size=d,
        n_per_group=n,
        alpha=alpha,
        n_sims=20,
        rng=seed,
    )
    for m in (r.uncorrected, r.bonferroni, r.bh):
        values = [m.fwer, m.fdr, m.fwer_mc_se, m.fdr_mc_se]
        assert all(np.isfinite(values)) and 0 <= m.fwer <= 1 and 0 <= m.fdr <= 1
    # the same data read more strictly can only lose discoveries
    assert r.bonferroni.fwer <= r.bh.fwer <= r.uncorrected.fwer
    assert r.bonferroni.mean_true_discoveries <= r.bh.mean_true_discoveries


@FAST
@given(
    n1=st.integers(2, 40),
    n0=st.integers(2, 40),
    effect=st.floats(-20, 20),
    placebo=st.floats(-20, 20),
    sd=st.floats(0.1, 20),
    q=st.floats(0, 1),
    expectancy=st.floats(-10, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_trial_outputs_are_finite(n1, n0, effect, placebo, sd, q, expectancy, seed):
    p = TrialParams(
        n_per_arm=n1,
        n_control_arm=n0,
        drug_effect_points=effect,
        placebo_response_points=placebo,
        sd_points=sd,
        correct_guess_probability=q,
        expectancy_points=expectancy,
    )
    res = simulate_trial(params=p, n_sims=20, rng=seed)
    arrays = (res.effect_points, res.ci_low_points, res.ci_high_points, res.p_value)
    assert all(np.all(np.isfinite(a)) for a in arrays)
    assert np.all((res.p_value >= 0) & (res.p_value <= 1))
    assert np.all(
        (res.ci_low_points <= res.effect_points) & (res.effect_points <= res.ci_high_points)
    )
    assert 0 <= trial_power(params=p) <= 1


def test_power_simulation_agrees_with_exact_curve():
    res = power_comparison(effect_size=1.0, n_sims=300)
    sim = res.simulated
    exact = np.interp(sim.n_per_group, res.n_grid, res.analytic)
    se = np.sqrt(exact * (1 - exact) / sim.n_sims)
    assert np.all(np.abs(sim.power - exact) <= 4 * se + 1e-9)
    assert np.all(np.diff(res.analytic) >= 0)


def test_pseudoreplication_inflates_only_the_dendrite_analysis():
    res = pseudoreplication_demo(icc=0.3, dendrites_per_mouse=13, n_sims=500)
    assert res.by_dendrite.rate > 0.25
    assert abs(res.by_mouse.rate - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 500)
    assert res.by_dendrite.design_effect == pytest.approx(1 + 12 * 0.3)


def test_example_data_share_mouse_offsets():
    # at icc = 1 every dendrite of a mouse equals the mouse offset; at icc = 0 they differ
    same = example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=1.0, rng=0)
    assert np.allclose(same.std(axis=-1), 0.0)
    diff = example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=0.0, rng=0)
    assert np.all(diff.std(axis=-1) > 0)
    with pytest.raises(ValueError, match="icc"):
        example_clustered_data(n_mice=4, dendrites_per_mouse=5, icc=1.5)


def _study(n, effect, sims=2000):
    return simulate_trial(params=toy_study(n, effect), n_sims=sims, rng=0)


def test_significant_small_studies_overestimate_the_true_effect():
    # The lesson of the introduction's explorer: filter small studies by p < 0.05 and the
    # surviving estimates exaggerate the effect; large studies do not.
    small, large = _study(10, 0.5), _study(200, 0.5, sims=500)
    sig_small = small.p_value < 0.05
    assert np.mean(small.effect_points[sig_small]) > 1.8 * 0.5
    assert abs(np.mean(small.effect_points) - 0.5) < 0.05  # unbiased before filtering
    sig_large = large.p_value < 0.05
    assert abs(np.mean(large.effect_points[sig_large]) - 0.5) < 0.05


def test_no_true_effect_gives_about_alpha_significant_studies():
    null = _study(5, 0.0, sims=4000)
    assert abs(null.power - 0.05) < 0.015


def test_trial_classes_partition_and_need_many_patients():
    base = TrialParams(n_per_arm=30, drug_effect_points=0.0, sd_points=5.7, expectancy_points=0.0)
    small = classify_trials(simulate_trial(params=base, n_sims=500, rng=0))
    assert sum(small.as_dict().values()) == pytest.approx(1.0)
    # With the escitalopram trial's size and spread, a 2-point margin is out of reach even
    # when the two treatments are identical: the 95 % CI is wider than the margin.
    assert small.equivalent == 0.0 and small.inconclusive > 0.9
    big = TrialParams(n_per_arm=500, drug_effect_points=0.0, sd_points=5.7, expectancy_points=0.0)
    assert classify_trials(simulate_trial(params=big, n_sims=500, rng=0)).equivalent > 0.85
    # A true difference equal to the margin is (almost) never declared equivalent.
    at_margin = TrialParams(
        n_per_arm=500,
        drug_effect_points=EQUIVALENCE_MARGIN_POINTS,
        sd_points=5.7,
        expectancy_points=0.0,
    )
    assert classify_trials(simulate_trial(params=at_margin, n_sims=1000, rng=1)).equivalent < 0.05


def test_classify_matches_a_hand_built_interval():
    r = simulate_trial(
        params=TrialParams(n_per_arm=500, drug_effect_points=0.0, expectancy_points=0.0),
        n_sims=1,
        rng=0,
    )
    lo, hi = r.ci_low_points[0], r.ci_high_points[0]
    out = classify_trials(r, margin_points=max(abs(lo), abs(hi)) + 0.01)
    assert (out.equivalent + out.both) == 1.0
    out = classify_trials(r, margin_points=min(abs(lo), abs(hi)) / 2)
    assert (out.different + out.inconclusive) == 1.0


# ------------------------------------------- pseudo-replication on the calibrated simulation


def test_icc_of_the_calibrated_null_simulation_is_near_the_study_and_inflates_dendrite_tests():
    r = calibrated_null_rates(n_sims=600, rng=3)
    low, high = SHAO_ICC_DAY1  # about 0.1, recomputed from the authors' data
    assert 0.03 < r.icc < 0.2 and abs(r.icc - (low + high) / 2) < 0.05
    # Per mouse: the nominal 5 % within Monte-Carlo error; per dendrite: inflated, as the
    # design effect predicts for a toy with the same ICC.
    assert abs(r.by_mouse.rate - 0.05) < 3 * r.by_mouse.mc_se + 0.01
    assert r.by_dendrite.rate > 0.05 + 3 * r.by_dendrite.mc_se
    toy = false_positive_rate(
        n_mice=6, dendrites_per_mouse=13, icc=r.icc, unit="dendrite", n_sims=4000, rng=4
    )
    assert r.by_dendrite.rate == pytest.approx(toy.rate, abs=4 * r.by_dendrite.mc_se)
    assert 1.5 < r.by_dendrite.design_effect < 2.6  # the study's data: about 2.2


def test_calibrated_null_rates_with_one_dendrite_per_mouse_has_no_icc():
    r = calibrated_null_rates(dendrites_per_mouse=1, n_sims=200, rng=1)
    assert np.isnan(r.icc) and r.by_dendrite.design_effect == 1.0
    assert r.by_dendrite.rate == r.by_mouse.rate  # one dendrite per mouse: the same test


def test_null_experiments_have_no_true_effect_and_bad_sizes_are_named():
    x = simulate_null_experiments(n_experiments=200, n_mice=6, dendrites_per_mouse=13, rng=2)
    assert x.shape == (200, 2, 6, 13)
    diff = x[:, 1].mean() - x[:, 0].mean()
    assert abs(diff) < 4 * x.std() / np.sqrt(x[:, 0].size / 13 * 2)  # about 0, per mouse
    with pytest.raises(ValueError, match="n_experiments"):
        simulate_null_experiments(n_experiments=0)
    with pytest.raises(ValueError, match="at most 100000"):
        simulate_null_experiments(n_experiments=2000, dendrites_per_mouse=200)


def test_toy_trials_reproduce_the_published_arms_and_interval_widths():
    from models.published import CARHART_HARRIS_2021, GOODWIN_2022
    from models.study_design.trials import (
        ESCITALOPRAM_TRIAL,
        GOODWIN_10MG_TRIAL,
        GOODWIN_25MG_TRIAL,
    )

    for params, trial, drug, control, diff in (
        (ESCITALOPRAM_TRIAL, CARHART_HARRIS_2021, "psilocybin", "escitalopram", 0),
        (GOODWIN_25MG_TRIAL, GOODWIN_2022, "25 mg", "1 mg", 0),
        (GOODWIN_10MG_TRIAL, GOODWIN_2022, "10 mg", "1 mg", 1),
    ):
        r = simulate_trial(params=params, n_sims=4000, rng=5)
        assert r.drug_arm_mean_points.mean() == pytest.approx(-trial.arm(drug).change, abs=0.3)
        assert r.control_arm_mean_points.mean() == pytest.approx(
            -trial.arm(control).change, abs=0.3
        )
        assert params.n_per_arm == trial.arm(drug).n and params.n_control == trial.arm(control).n
        low, high = trial.differences[diff].ci95
        width = np.mean(r.ci_high_points - r.ci_low_points)
        assert width == pytest.approx(high - low, rel=0.08)  # the SD was chosen for this width
