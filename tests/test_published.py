"""models.published: the study values explorers draw beside the models.

The same numbers live in the book's evidence records (chapters/_data/evidence/*.yml), which
the models cannot read (the installed package ships without the chapters). These tests keep
the two in step: a value changed in one place and not the other fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from models.published import (
    CARHART_HARRIS_2021,
    GOODWIN_2022,
    SHAO_DENSITY_CHANGE,
    SHAO_ICC_DAY1,
)

EVIDENCE = Path(__file__).resolve().parents[1] / "chapters" / "_data" / "evidence"


def _numbers(key: str) -> dict:
    path = EVIDENCE / f"{key}.yml"
    if not path.exists():
        pytest.skip(f"no evidence record {path}")
    return yaml.safe_load(path.read_text("utf-8"))["numbers"]


def test_shao_values_match_the_evidence_record():
    n = _numbers("shao2021")
    psi, sal = SHAO_DENSITY_CHANGE["psilocybin"], SHAO_DENSITY_CHANGE["saline"]
    assert [psi[d].mean for d in (1.0, 3.0, 7.0, 34.0)] == [
        n[f"density_day{d}"]["value"] for d in (1, 3, 7, 34)
    ]
    assert [sal[d].mean for d in (1.0, 7.0, 34.0)] == [
        n[f"saline_day{d}"]["value"] for d in (1, 7, 34)
    ]
    assert psi[-1.0].sd == n["sd_day_minus1"]["value"]
    assert psi[1.0].sd == n["sd_day1"]["value"]
    assert psi[1.0].n == n["dendrites_psilocybin"]["value"]
    assert psi[34.0].n == n["day34_dendrites_psilocybin"]["value"]
    assert sal[34.0].n == n["day34_dendrites_saline"]["value"]
    assert SHAO_ICC_DAY1 == (n["icc"]["low"], n["icc"]["high"])


def test_trial_values_match_the_evidence_records():
    n = _numbers("carhartharris2021")
    assert CARHART_HARRIS_2021.arm("psilocybin").n == n["n_psilocybin"]["value"]
    assert CARHART_HARRIS_2021.arm("escitalopram").n == n["n_escitalopram"]["value"]
    assert CARHART_HARRIS_2021.arm("psilocybin").change == n["change_psilocybin"]["value"]
    assert CARHART_HARRIS_2021.arm("escitalopram").change == n["change_escitalopram"]["value"]
    d = CARHART_HARRIS_2021.differences[0]
    # The record states the size of the difference (2.0) with the interval as published.
    assert abs(d.estimate) == abs(n["difference"]["value"])
    assert d.ci95 == (n["difference"]["low"], n["difference"]["high"])

    g = _numbers("goodwin2022")
    for label, key in (("25 mg", "25"), ("10 mg", "10"), ("1 mg", "1")):
        assert GOODWIN_2022.arm(label).n == g[f"n_{key}"]["value"]
        assert GOODWIN_2022.arm(label).change == g[f"change_{key}"]["value"]
    for diff, key in zip(GOODWIN_2022.differences, ("diff_25", "diff_10"), strict=True):
        assert diff.estimate == g[key]["value"]
        assert diff.ci95 == (g[key]["low"], g[key]["high"])


def test_published_values_agree_with_themselves():
    # The trial's arms and its difference tell the same story (to the published rounding).
    arms = {a.label: a.change for a in GOODWIN_2022.arms}
    for d in GOODWIN_2022.differences:
        a, b = d.arms
        assert arms[a] - arms[b] == pytest.approx(d.estimate, abs=0.15)
        assert d.ci95[0] < d.estimate < d.ci95[1]
    c = CARHART_HARRIS_2021
    assert c.arm("psilocybin").change - c.arm("escitalopram").change == c.differences[0].estimate
    with pytest.raises(ValueError, match="no arm"):
        c.arm("placebo")
