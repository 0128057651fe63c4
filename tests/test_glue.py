"""Model numbers in the text are generated, not typed (issue 12, item 2).

Chapters compute the numbers they state about a model in a hidden cell and paste them with
MyST-NB's ``{glue:text}`` role (instructor pages paste from their chapter with
``{glue:text}`../chapter.md::key:fmt```). A glued name that no cell defines fails the
``-W`` build. These tests check, on the built book, that

- every glued name the pages paste exists in the page it is taken from (naming the file), and
- a sample of glued values equals what the model gives when called here, so a number in the
  text cannot drift from the model without failing a test.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from conftest import BUILD, ROOT

CHAPTERS = ROOT / "chapters"
EXECUTED = BUILD / "jupyter_execute" / "chapters"
ROLE = re.compile(r"\{glue:text\}`(?:(?P<doc>[^`:]+\.md)::)?(?P<key>[A-Za-z0-9_]+)(?::[^`]*)?`")


def _glued(page: str) -> dict[str, str]:
    path = EXECUTED / f"{page}.glue.json"
    assert path.exists(), f"no glue data for {page} (looked for {path})"
    data = json.loads(path.read_text("utf-8"))
    return {k: v["data"]["text/plain"] for k, v in data.items()}


def _value(page: str, key: str) -> float:
    text = _glued(page)[key]
    return float(text.strip("'\""))


@pytest.fixture(scope="module")
def built(site) -> Path:
    return EXECUTED


def test_every_pasted_glue_name_exists_in_its_page(built):
    pages = sorted(CHAPTERS.glob("[0-9]*.md")) + sorted((CHAPTERS / "instructor").glob("*.md"))
    missing = []
    for page in pages:
        for m in ROLE.finditer(page.read_text("utf-8")):
            source = (page.parent / m["doc"]).resolve() if m["doc"] else page
            name = source.relative_to(CHAPTERS).with_suffix("").as_posix()
            if m["key"] not in _glued(name):
                missing.append(f"{page.relative_to(ROOT)}: {m['key']} (from {name})")
    assert missing == []


def test_glued_numbers_equal_the_models(built):
    from models.imaging import mice
    from models.pharmacology import PKParams, dose_for_occupancy
    from models.spines import SpineParams, simulate_spine_density, steady_state
    from models.study_design.power import analytic_power, sample_size_for_power
    from models.study_design.trials import ESCITALOPRAM_TRIAL

    t, p = steady_state()
    assert _value("02-spines", "ch02_persistent_pct") == pytest.approx(100 * p / (t + p))
    traj = simulate_spine_density(dose_mg_per_kg=1.0, days=35, params=SpineParams())
    day1 = 100 * (traj.at(1) / traj.baseline_per_um - 1)
    assert _value("02-spines", "ch02_default_day1") == pytest.approx(day1)
    assert _value("03-pharmacology", "ch03_tpeak_default_h") == pytest.approx(
        PKParams().t_peak_hours
    )
    ratio = dose_for_occupancy(0.7) / dose_for_occupancy(0.6)
    assert _value("03-pharmacology", "ch03_dose_ratio_60_70") == pytest.approx(ratio)
    assert _value("04-evidence-spines", "ch04_scoring_pct") == pytest.approx(100 * mice.SCORING_SD)
    assert _value("04-evidence-spines", "ch04_segment_um") == pytest.approx(mice.SEGMENT_UM)
    assert _value("09-design-animals", "ch09_power_d125_n6") == pytest.approx(
        100 * analytic_power(n_per_group=6, effect_size=1.25)
    )
    n80 = sample_size_for_power(effect_size=2.0 / ESCITALOPRAM_TRIAL.sd_points)
    assert _value("11-headlines", "ch11_n80") == n80


def test_calibration_numbers_in_the_text_are_the_calibrated_simulations(built):
    # The chapter states the simulation's spread next to the study's (11.8 % and 18.7 %, ICC
    # about 0.1): the glued values are the model's, within a factor of 1.5 of the data.
    before = _value("04-evidence-spines", "ch04_sim_sd_before")
    after = _value("04-evidence-spines", "ch04_sim_sd_after")
    icc = _value("04-evidence-spines", "ch04_sim_icc")
    assert 11.8 / 1.5 < before < 11.8 * 1.5 and 18.7 / 1.5 < after < 18.7 * 1.5
    assert 0.03 < icc < 0.2 and not math.isnan(icc)


def test_the_role_pattern_reads_both_forms():
    text = "a {glue:text}`ch02_x:.1f` b {glue:text}`../02-spines.md::ch02_y:+.0f` c"
    found = [(m["doc"], m["key"]) for m in ROLE.finditer(text)]
    assert found == [(None, "ch02_x"), ("../02-spines.md", "ch02_y")]


def test_what_the_answers_say_in_words_holds_for_the_glued_values(built):
    # Chapter 07, question 2: in the 5-minute scan, level 0.2 sits above placebo and level
    # 0.4 below level 1.0 (sampling noise); the words would be wrong if the model changed.
    v = {k: _value("07-networks", f"ch07_dmn_5min_{k}") for k in ("0", "02", "04", "1")}
    assert v["02"] > v["0"] and v["04"] < v["1"]
    # Chapter 01, question 1: significant estimates are "more than twice" the true 0.5 SD.
    assert _value("01-introduction", "ch01_size_n10_d05") > 2 * 0.5
    # Chapter 04: the toy's d per mouse exceeds d per dendrite (the pseudo-replication point).
    d_dendrite = _value("04-evidence-spines", "ch04_explorer_d_dendrite")
    assert d_dendrite < _value("04-evidence-spines", "ch04_explorer_d_mouse")
