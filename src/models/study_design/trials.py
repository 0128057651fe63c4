"""Trials: placebo response, expectancy and functional unblinding (chapters 01, 10, 11).

Most people can tell whether they received a psychedelic (functional unblinding), so an
expectancy effect can add to the drug arm (Muthukumaraswamy et al. 2021; Szigeti et al.
2021). :data:`ESCITALOPRAM_TRIAL` mirrors the size and result of Carhart-Harris et al.
(2021). :func:`classify_trials` reads simulated trials against an equivalence margin.

The model of a trial
--------------------
Each participant's improvement (points of score reduction, so positive is better) is::

    improvement = placebo_response + drug_effect * [in drug arm]
                  + expectancy * [believes they got the drug] + noise,  noise ~ N(0, sd^2)

A participant guesses their own arm correctly with probability ``q``. The expected estimate
(drug arm minus control arm) is therefore ``drug_effect + expectancy * (2 q - 1)``: no bias at
chance guessing (``q = 0.5``), the full expectancy effect when everyone knows (``q = 1``).

What is simplified (a toy)
--------------------------
- Expectancy is a fixed additive number of points and guesses are independent of the
  outcome. In reality people who improve are more likely to guess "drug", which makes
  unblinding and efficacy hard to separate (Szigeti et al. 2021). No dropout, no missing
  data, no covariates.
- :data:`ESCITALOPRAM_TRIAL` reproduces the published numbers only in size (arm sizes,
  difference, width of the confidence interval); it does not know what caused the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from .._params import Bounds, Params, bounded, check_in_range, check_int
from ._common import ALPHA_BOUNDS, MAX_N, blocks, check_simulations, nct_power


@dataclass(frozen=True)
class TrialParams(Params):
    """A two-arm trial with a placebo response, expectancy and functional unblinding (toy).

    Outcomes are *improvements* in points of a symptom score (the reduction of, for example,
    QIDS-SR-16), so positive numbers mean "better". The defaults describe a small depression
    trial on the QIDS-SR-16 scale with the arm sizes and spread of Carhart-Harris et al.
    (2021); the expectancy effect is illustrative (no published number is used).

    Attributes
    ----------
    n_per_arm
        Participants in the drug arm (and in the control arm unless ``n_control_arm`` is set),
        an integer in [2, 10000].
    n_control_arm
        Participants in the control arm, an integer in [2, 10000]; None means ``n_per_arm``.
    drug_effect_points
        True pharmacological advantage of the drug over the control, points.
    placebo_response_points
        Improvement shared by both arms (natural course, regression to the mean, support,
        placebo response), points. It cancels in the difference.
    sd_points
        Between-participant SD of the improvement, points, > 0. 5.7 gives the width of the
        confidence interval of Carhart-Harris et al. (2021).
    correct_guess_probability
        Probability that a participant correctly guesses their own arm, in [0, 1]. 0.5 is
        intact blinding (guessing at chance), 1 is complete functional unblinding. Most people
        can tell whether they received a psychedelic (Muthukumaraswamy et al. 2021).
    expectancy_points
        Extra improvement of anyone who *believes* they received the drug, points
        (illustrative default).

    Examples
    --------
    >>> from dataclasses import replace
    >>> unblinded = replace(TrialParams(), correct_guess_probability=0.9)
    >>> round(unblinded.expected_effect_points, 2)
    4.4
    >>> TrialParams(correct_guess_probability=1.5)
    Traceback (most recent call last):
    ...
    ValueError: correct_guess_probability must be a finite number in [0, 1], got 1.5
    """

    n_per_arm: int = bounded(30, 2, MAX_N)
    n_control_arm: int | None = None
    drug_effect_points: float = bounded(2.0, -50.0, 50.0)
    placebo_response_points: float = bounded(6.0, -50.0, 50.0)
    sd_points: float = bounded(5.7, 0.0, 50.0, low_open=True)
    correct_guess_probability: float = bounded(0.5, 0.0, 1.0)
    expectancy_points: float = bounded(3.0, -50.0, 50.0)

    def _check(self) -> None:
        check_int("n_per_arm", self.n_per_arm, 2, MAX_N)
        if self.n_control_arm is not None:
            check_int("n_control_arm", self.n_control_arm, 2, MAX_N)

    @property
    def n_control(self) -> int:
        """Participants in the control arm."""
        return self.n_per_arm if self.n_control_arm is None else self.n_control_arm

    @property
    def expected_effect_points(self) -> float:
        """Expected estimate: ``drug_effect + expectancy (2 q - 1)``, points."""
        q = self.correct_guess_probability
        return self.drug_effect_points + self.expectancy_points * (2.0 * q - 1.0)


def _as_published(
    n_drug: int, n_control: int, effect: float, placebo_response: float, sd: float
) -> TrialParams:
    """A published trial taken at face value: blinding intact, no expectancy in the result.

    Participants in the drug arm and in the control arm; the drug's extra improvement, the
    control arm's improvement and the SD of improvement, all in points of the trial's scale.
    """
    # TrialParams' first five fields, in order; then intact blinding and no expectancy.
    arms = (n_drug, n_control, effect, placebo_response, sd)
    return TrialParams(*arms, correct_guess_probability=0.5, expectancy_points=0.0)


#: Carhart-Harris et al. (2021, NEJM 384:1402-1411): psilocybin (n = 30) vs escitalopram
#: (n = 29), 6 weeks, QIDS-SR-16 change -8.0 vs -6.0 points, difference 2.0 (95 % CI -5.0 to
#: 0.9 on the paper's change scale), P = 0.17. Here as improvements: drug arm 8, control arm 6.
#: The SD (5.7 points) makes the 95 % CI half-width about 3 points, as published. The observed
#: difference is taken at face value (blinding intact, no expectancy); how much of it might be
#: expectancy is a question for :func:`dataclasses.replace`, not a finding.
ESCITALOPRAM_TRIAL = _as_published(30, 29, effect=2.0, placebo_response=6.0, sd=5.7)

#: Goodwin et al. (2022, NEJM 387:1637-1648), MADRS at week 3, as improvements: 25 mg (n = 79)
#: improved by 12.0 points, 1 mg (n = 79) by 5.4 (difference 6.6, 95 % CI 2.9 to 10.2). The
#: SD (11.6 points) is derived, not published: it makes the interval's half-width 3.65 points.
GOODWIN_25MG_TRIAL = _as_published(79, 79, effect=6.6, placebo_response=5.4, sd=11.6)
#: The same trial's 10 mg arm (n = 75, improved by 7.9) against the same 1 mg arm.
GOODWIN_10MG_TRIAL = replace(GOODWIN_25MG_TRIAL, n_per_arm=75, drug_effect_points=2.5)


@dataclass(frozen=True)
class TrialResult:
    """Result of :func:`simulate_trial`: one entry per simulated trial.

    Attributes
    ----------
    effect_points
        Estimated drug effect: mean improvement of the drug arm minus the control arm, points.
    ci_low_points, ci_high_points
        ``1 - alpha`` confidence interval of the effect (pooled-variance t), points.
    p_value
        Two-sided p-value of the pooled two-sample t-test.
    drug_arm_mean_points, control_arm_mean_points
        Mean improvement in each arm, points.
    params
        The :class:`TrialParams` simulated.
    alpha
        Significance level; the CI level is ``1 - alpha``.
    """

    effect_points: np.ndarray
    ci_low_points: np.ndarray
    ci_high_points: np.ndarray
    p_value: np.ndarray
    drug_arm_mean_points: np.ndarray
    control_arm_mean_points: np.ndarray
    params: TrialParams
    alpha: float

    @property
    def mean_effect_points(self) -> float:
        """Average estimated effect across simulated trials, points."""
        return float(np.mean(self.effect_points))

    @property
    def bias_points(self) -> float:
        """Average estimate minus the true pharmacological effect, points."""
        return self.mean_effect_points - self.params.drug_effect_points

    @property
    def power(self) -> float:
        """Fraction of trials with ``p < alpha`` (power, or false positive rate at no effect)."""
        return float(np.mean(self.p_value < self.alpha))

    @property
    def fraction_ci_includes_zero(self) -> float:
        """Fraction of trials whose confidence interval contains 0."""
        return float(np.mean((self.ci_low_points <= 0.0) & (self.ci_high_points >= 0.0)))

    @property
    def ci_coverage(self) -> float:
        """Fraction of intervals containing the true drug effect (nominally ``1 - alpha``)."""
        true = self.params.drug_effect_points
        return float(np.mean((self.ci_low_points <= true) & (self.ci_high_points >= true)))


def simulate_trial(
    *, params: TrialParams | None = None, n_sims: int = 1000, alpha: float = 0.05, rng=None
) -> TrialResult:
    """Simulate ``n_sims`` two-arm trials with placebo response, expectancy and unblinding.

    A toy: see the module docstring for the model and what it leaves out. Each participant
    guesses their arm (correctly with probability ``params.correct_guess_probability``); those
    who believe they got the drug improve by ``params.expectancy_points`` more. Each trial is
    analysed with a pooled-variance two-sample t-test (vectorized over trials).

    Parameters
    ----------
    params
        Trial parameters; :class:`TrialParams` defaults when None.
    n_sims
        Simulated trials, in [1, 1000000].
    alpha
        Two-sided significance level, in (0, 1); the CI level is ``1 - alpha``.
    rng
        Seed or generator.

    Returns
    -------
    TrialResult

    Examples
    --------
    With blinding intact the estimate is unbiased; when everyone can tell, a drug with no
    pharmacological effect looks like it works:

    >>> from dataclasses import replace
    >>> null = replace(TrialParams(), drug_effect_points=0.0)
    >>> blind = simulate_trial(params=null, n_sims=2000, rng=0)
    >>> abs(blind.mean_effect_points) < 0.2
    True
    >>> open_ = simulate_trial(params=replace(null, correct_guess_probability=1.0),
    ...                        n_sims=2000, rng=0)
    >>> bool(2.7 < open_.mean_effect_points < 3.3), bool(open_.power > 0.4)
    (True, True)
    """
    p = params or TrialParams()
    if not isinstance(p, TrialParams):
        raise ValueError(f"params must be a TrialParams or None, got {params!r}")
    n_sims = check_simulations(n_sims, alpha)
    rng = np.random.default_rng(rng)
    n1, n0 = p.n_per_arm, p.n_control
    q = p.correct_guess_probability
    df = n1 + n0 - 2
    t_crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    parts: dict[str, list[np.ndarray]] = {"drug": [], "ctrl": [], "diff": [], "se": []}
    for k in blocks(n_sims, n1 + n0):
        believes_drug_1 = rng.random((k, n1)) < q  # drug arm: a correct guess is "drug"
        believes_drug_0 = rng.random((k, n0)) >= q  # control arm: a wrong guess is "drug"
        drug = (
            p.placebo_response_points
            + p.drug_effect_points
            + p.expectancy_points * believes_drug_1
            + p.sd_points * rng.standard_normal((k, n1))
        )
        ctrl = (
            p.placebo_response_points
            + p.expectancy_points * believes_drug_0
            + p.sd_points * rng.standard_normal((k, n0))
        )
        m1, m0 = drug.mean(axis=1), ctrl.mean(axis=1)
        pooled_var = (
            (n1 - 1) * drug.var(axis=1, ddof=1) + (n0 - 1) * ctrl.var(axis=1, ddof=1)
        ) / df
        parts["drug"].append(m1)
        parts["ctrl"].append(m0)
        parts["diff"].append(m1 - m0)
        parts["se"].append(np.sqrt(pooled_var * (1.0 / n1 + 1.0 / n0)))
    m1, m0, diff, se = (np.concatenate(parts[key]) for key in ("drug", "ctrl", "diff", "se"))
    p_value = 2.0 * stats.t.sf(np.abs(diff / se), df)
    return TrialResult(
        effect_points=diff,
        ci_low_points=diff - t_crit * se,
        ci_high_points=diff + t_crit * se,
        p_value=p_value,
        drug_arm_mean_points=m1,
        control_arm_mean_points=m0,
        params=p,
        alpha=float(alpha),
    )


def trial_power(
    *,
    params: TrialParams | None = None,
    difference_points: float | None = None,
    alpha: float = 0.05,
) -> float:
    """Power of a trial's t-test to detect a true difference, from the noncentral t.

    Parameters
    ----------
    params
        Arm sizes and SD; :class:`TrialParams` defaults when None.
    difference_points
        True difference to detect, points; by default ``params.expected_effect_points``.
    alpha
        Two-sided significance level, in (0, 1).

    Returns
    -------
    float
        Probability that a trial of this size reaches ``p < alpha``.

    Notes
    -----
    ``df = n1 + n0 - 2`` and noncentrality ``difference / (sd sqrt(1/n1 + 1/n0))``.

    Examples
    --------
    The escitalopram trial had about a one-in-four chance of detecting a true 2-point
    difference, close to the median power of neuroscience studies (Button et al. 2013):

    >>> round(trial_power(params=ESCITALOPRAM_TRIAL, difference_points=2.0), 2)
    0.26

    About 130 per arm would have been needed for 80 % power:

    >>> from models.study_design.power import sample_size_for_power
    >>> sample_size_for_power(effect_size=2.0 / ESCITALOPRAM_TRIAL.sd_points)
    129
    """
    p = params or TrialParams()
    if not isinstance(p, TrialParams):
        raise ValueError(f"params must be a TrialParams or None, got {params!r}")
    diff = p.expected_effect_points if difference_points is None else difference_points
    check_in_range("difference_points", diff, Bounds(-100.0, 100.0))
    check_in_range("alpha", alpha, ALPHA_BOUNDS)
    n1, n0 = p.n_per_arm, p.n_control
    ncp = diff / (p.sd_points * math.sqrt(1.0 / n1 + 1.0 / n0))
    return float(nct_power(n1 + n0 - 2, ncp, alpha))


#: Illustrative equivalence margin on the QIDS-SR-16 scale, points. Not from any trial: a real
#: equivalence or non-inferiority trial justifies its margin in advance.
EQUIVALENCE_MARGIN_POINTS = 2.0
#: Valid equivalence margins, points.
MARGIN_BOUNDS = Bounds(0.0, 100.0, low_open=True)


def toy_study(n_per_group: int, effect_sd: float) -> TrialParams:
    """A two-group study measured in SD units (``sd_points=1``), no placebo or expectancy."""
    no_bias = TrialParams(placebo_response_points=0.0, sd_points=1.0, expectancy_points=0.0)
    return replace(no_bias, n_per_arm=n_per_group, drug_effect_points=float(effect_sd))


@dataclass(frozen=True)
class TrialOutcomes:
    """How simulated trials read against an equivalence margin (fractions in [0, 1]).

    Every trial falls in exactly one class, judged on its 95 % confidence interval:

    Attributes
    ----------
    equivalent
        The interval lies inside ``(-margin, +margin)`` and contains 0: equivalence shown.
    different
        The interval excludes 0 (``p < 0.05``) and reaches beyond the margin: a difference.
    both
        The interval excludes 0 but lies inside the margin: a difference too small to matter.
    inconclusive
        The interval contains 0 and reaches beyond the margin: neither shown.
    margin_points
        The equivalence margin, points.
    """

    equivalent: float
    different: float
    both: float
    inconclusive: float
    margin_points: float

    def as_dict(self) -> dict[str, float]:
        """The four fractions, in display order."""
        return {
            "equivalence shown": self.equivalent,
            "difference, inside margin": self.both,
            "difference shown": self.different,
            "inconclusive": self.inconclusive,
        }


def interval_classes(result: TrialResult, margin_points: float) -> tuple[np.ndarray, np.ndarray]:
    """Per trial: does its interval lie inside ``+/- margin_points``, does it exclude 0?"""
    inside = (result.ci_low_points > -margin_points) & (result.ci_high_points < margin_points)
    excludes_zero = (result.ci_low_points > 0.0) | (result.ci_high_points < 0.0)
    return inside, excludes_zero


def classify_trials(
    result: TrialResult, margin_points: float = EQUIVALENCE_MARGIN_POINTS
) -> TrialOutcomes:
    """Classify each simulated trial by its confidence interval and an equivalence margin.

    A trial shows equivalence when its whole interval lies inside ``+/- margin_points``.
    Using the ``1 - alpha`` interval of :func:`simulate_trial` (95 % by default) for both
    questions is slightly stricter than the usual equivalence test (two one-sided tests, which
    use a 90 % interval), so one interval answers both.

    Parameters
    ----------
    result
        Trials from :func:`models.study_design.trials.simulate_trial`.
    margin_points
        Equivalence margin, points, > 0.

    Examples
    --------
    >>> from models.study_design.trials import TrialParams, simulate_trial
    >>> big = simulate_trial(params=TrialParams(n_per_arm=500, drug_effect_points=0.0),
    ...                      n_sims=200, rng=0)
    >>> classify_trials(big, 2.0).equivalent > 0.9
    True
    """
    check_in_range("margin_points", margin_points, MARGIN_BOUNDS)
    inside, excl = interval_classes(result, margin_points)
    return TrialOutcomes(
        equivalent=float(np.mean(inside & ~excl)),
        different=float(np.mean(~inside & excl)),
        both=float(np.mean(inside & excl)),
        inconclusive=float(np.mean(~inside & ~excl)),
        margin_points=float(margin_points),
    )
