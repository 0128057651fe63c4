"""The statistics toolkit's models (models.statistics): textbook identities, long-run rates
and clear errors. The explorers are covered by tests/test_explorer_contract.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from models.statistics import (
    confidence_intervals,
    power_picture,
    sampling_of_means,
    two_group_experiment,
)
from models.study_design.power import analytic_power


def test_two_group_summary_matches_the_textbook_formulas():
    r = two_group_experiment(true_effect=0.8, n_per_group=12, rng=5)
    n = 12
    assert r.df == 2 * n - 2
    assert r.sd_control == pytest.approx(np.std(r.control, ddof=1))
    assert r.se_treated == pytest.approx(np.std(r.treated, ddof=1) / np.sqrt(n))
    test = stats.ttest_ind(r.treated, r.control)
    assert r.t == pytest.approx(test.statistic) and r.p == pytest.approx(test.pvalue)
    pooled = np.sqrt((r.sd_control**2 + r.sd_treated**2) / 2)
    assert r.cohens_d == pytest.approx(r.diff / pooled)
    # with equal groups t = d * sqrt(n / 2): the link chapter 04 uses
    assert r.t == pytest.approx(r.cohens_d * np.sqrt(n / 2))
    assert r.ci_low < r.diff < r.ci_high
    # the p-value is the area of the null t curve beyond |t|
    dx = r.null_t[1] - r.null_t[0]
    tail = np.sum(r.null_pdf[np.abs(r.null_t) >= abs(r.t)]) * dx
    assert tail == pytest.approx(r.p, abs=0.01)


@pytest.mark.parametrize("seed", range(40))
def test_interval_excludes_zero_exactly_when_p_is_below_005(seed):
    """The 95 % confidence interval and the 5 % test are the same decision."""
    r = two_group_experiment(true_effect=0.7, n_per_group=10, rng=seed)
    assert (r.p < 0.05) == (r.ci_low > 0 or r.ci_high < 0)


def test_false_positive_rate_under_the_null_is_alpha():
    p = np.array(
        [two_group_experiment(true_effect=0.0, n_per_group=8, rng=s).p for s in range(2000)]
    )
    rate = float(np.mean(p < 0.05))
    assert abs(rate - 0.05) < 3 * np.sqrt(0.05 * 0.95 / 2000)
    # p-values are uniform when the null hypothesis is true
    assert stats.kstest(p, "uniform").pvalue > 0.001


def test_same_seed_same_experiment():
    a = two_group_experiment(true_effect=0.5, n_per_group=6, rng=7)
    b = two_group_experiment(true_effect=0.5, n_per_group=6, rng=7)
    assert np.array_equal(a.treated, b.treated) and a.p == b.p


@pytest.mark.parametrize("n", [2, 4, 16, 100])
def test_standard_error_is_sd_over_root_n(n):
    r = sampling_of_means(n=n, sd=2.0, n_samples=20000, rng=1)
    assert r.predicted_se == pytest.approx(2.0 / np.sqrt(n))
    assert r.observed_se == pytest.approx(r.predicted_se, rel=0.03)
    assert abs(r.means.mean()) < 4 * r.predicted_se / np.sqrt(20000)


def test_quadrupling_the_sample_halves_the_standard_error():
    small, big = sampling_of_means(n=5, rng=0), sampling_of_means(n=20, rng=0)
    assert big.predicted_se == pytest.approx(small.predicted_se / 2)


@pytest.mark.parametrize("n", [3, 10, 100])
def test_95_percent_intervals_cover_the_true_mean_95_percent_of_the_time(n):
    r = confidence_intervals(n=n, true_mean=1.5, n_intervals=20000, rng=n)
    assert abs(r.coverage - 0.95) < 3 * np.sqrt(0.05 * 0.95 / 20000)
    assert np.all(r.low < r.high)


def test_intervals_narrow_as_the_sample_grows():
    results = [confidence_intervals(n=n, n_intervals=2000, rng=0) for n in (5, 20, 80)]
    w = [np.mean(r.high - r.low) for r in results]
    assert w[0] > w[1] > w[2]


def test_power_picture_agrees_with_the_power_chapter():
    for d, n in [(0.0, 5), (0.5, 64), (1.0, 6), (1.5, 12)]:
        pic = power_picture(effect_size=d, n_per_group=n)
        assert pic.power == pytest.approx(analytic_power(n_per_group=n, effect_size=d), abs=1e-9)
    assert power_picture(effect_size=0.0, n_per_group=10).power == pytest.approx(0.05)
    pic = power_picture(effect_size=1.0, n_per_group=6)
    dx = pic.x[1] - pic.x[0]
    assert np.sum(pic.null_pdf) * dx == pytest.approx(1.0, abs=0.01)
    # power is the alternative's area beyond the critical values (numerically)
    beyond = np.abs(pic.x) >= pic.t_crit
    assert np.sum(pic.alt_pdf[beyond]) * dx == pytest.approx(pic.power, abs=0.02)


def test_power_grows_with_effect_and_group_size():
    by_d = [power_picture(effect_size=d, n_per_group=6).power for d in (0.0, 0.5, 1.0, 2.0)]
    by_n = [power_picture(effect_size=0.8, n_per_group=n).power for n in (3, 6, 12, 24)]
    assert np.all(np.diff(by_d) > 0) and np.all(np.diff(by_n) > 0)


@settings(max_examples=40, deadline=None)
@given(
    effect=st.floats(-5, 5, allow_nan=False),
    n=st.integers(2, 200),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_valid_experiment_gives_a_probability_and_an_ordered_interval(effect, n, seed):
    r = two_group_experiment(true_effect=effect, n_per_group=n, rng=seed)
    assert 0.0 <= r.p <= 1.0
    assert r.ci_low <= r.diff <= r.ci_high
    assert r.se_control <= r.sd_control


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: two_group_experiment(true_effect=9.0, n_per_group=5), "true_effect"),
        (lambda: two_group_experiment(true_effect=0.5, n_per_group=1), "n_per_group"),
        (lambda: two_group_experiment(true_effect=0.5, n_per_group=5.0), "n_per_group"),
        (lambda: sampling_of_means(n=0), "n"),
        (lambda: sampling_of_means(n=5, sd=0.0), "sd"),
        (lambda: confidence_intervals(n=5, n_intervals=0), "n_intervals"),
        (lambda: power_picture(effect_size=0.5, n_per_group=5, alpha=1.0), "alpha"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()


def test_toolkit_page_is_placed_linked_and_backed_by_the_glossary():
    from booktools.check import ROOT, glossary_terms, toc_files

    order = toc_files(ROOT)
    toolkit = "chapters/statistics-toolkit.md"
    assert order.index(toolkit) < order.index("chapters/04-evidence-spines.md")
    text = (ROOT / toolkit).read_text(encoding="utf-8")
    for explorer in ("standard_error", "two_groups", "confidence_intervals", "power"):
        assert f"explore_{explorer}()" in text
    terms = {t.lower() for t in glossary_terms(ROOT)}
    for term in ("mean", "standard deviation", "standard error", "cohen's d", "null hypothesis",
                 "p-value", "t-test", "confidence interval", "statistical power"):  # fmt: skip
        assert term in terms, f"glossary lacks {term!r}"
    for chapter in ("04-evidence-spines", "09-design-animals", "10-design-people"):
        page = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
        assert "statistics-toolkit" in page, f"chapters/{chapter}.md does not link the toolkit"


@pytest.mark.parametrize("name", ["two_groups", "standard_error", "confidence_intervals", "power"])
def test_no_text_is_clipped_in_any_frame_of_the_toolkit_explorers_wide_or_narrow(name):
    from test_explorers import _texts_outside_figure

    from explorers import statistics as toolkit

    explorer = getattr(toolkit, f"explore_{name}")()
    assert _texts_outside_figure(explorer) == []
    # the phone-width frames too (panels stacked, 3.1 in wide)
    assert _texts_outside_figure(explorer.narrow()) == []
