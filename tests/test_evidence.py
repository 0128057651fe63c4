"""Evidence records, cards, the evidence table and the study-number rule (booktools.evidence,
booktools.evidence_check).

Records are checked against their schema and against the science (the numbers the book's
fact sheet gives, recomputed or from the abstracts); bad records fail with the file named, in
Python and in a real Sphinx build; every cited study has a record; every card renders.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from booktools.check import chapter_files, cited_keys
from booktools.evidence import (
    EVIDENCE_DIR,
    SCHEMA,
    EvidenceError,
    bib_keys,
    card_line,
    load_records,
    other_sources,
)
from booktools.evidence_check import (
    check_evidence_coverage,
    check_evidence_numbers,
    matches,
    numbers_in,
    record_values,
    sentences,
)
from booktools.glossary_tips import add_definitions

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / EVIDENCE_DIR


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return load_records(FOLDER, bib_keys(ROOT / "references.bib"))


def _copy_record(tmp_path: Path, key: str = "shao2021") -> tuple[Path, dict]:
    data = yaml.safe_load((FOLDER / f"{key}.yml").read_text(encoding="utf-8"))
    folder = tmp_path / "evidence"
    folder.mkdir()
    return folder, data


# -- records ---------------------------------------------------------------------------------
def test_at_least_twenty_records_all_valid_and_in_the_bibliography(records):
    assert len(records) >= 20
    bib = bib_keys(ROOT / "references.bib")
    assert set(records) <= bib
    assert set(other_sources(FOLDER)) <= bib
    assert not set(records) & set(other_sources(FOLDER))


def test_every_number_has_a_provenance_and_every_figure_in_the_text_is_a_number(records):
    """A figure in a record's result, uncertainty, dose or time points is one of its numbers
    (which carry their provenance) or a group size."""
    from booktools.evidence_check import _values

    for key, r in records.items():
        known = set(_values(r["numbers"])) | {float(g["n"]) for g in r["groups"] if g["n"]}
        for field in ("result", "uncertainty", "dose", "time_points"):
            loose = [t for t in numbers_in(r[field]) if not matches(t, known)]
            assert loose == [], f"{key}.yml: {field} has numbers without a provenance: {loose}"


def test_group_sizes_add_up_and_intervals_contain_the_value(records):
    goodwin = records["goodwin2022"]
    assert sum(g["n"] for g in goodwin["groups"]) == goodwin["numbers"]["n"]["value"] == 233
    trial = records["carhartharris2021"]
    assert sum(g["n"] for g in trial["groups"]) == trial["numbers"]["n"]["value"] == 59
    shao = records["shao2021"]
    assert sum(g["n"] for g in shao["groups"]) == shao["numbers"]["mice_total"]["value"] == 12
    n = shao["numbers"]
    assert n["dendrites_psilocybin"]["value"] + n["dendrites_saline"]["value"] == 161
    for key, r in records.items():
        for name, num in r["numbers"].items():
            if "low" in num and "high" in num and key != "carhartharris2021":
                assert num["low"] <= num["value"] <= num["high"], f"{key}.yml: {name}"


def test_records_agree_with_the_science():
    """Spot checks against the published and recomputed values the book relies on."""
    recs = load_records(FOLDER)
    shao = recs["shao2021"]["numbers"]
    assert shao["density_day1"]["value"] == 6.9 and shao["density_day1"]["provenance"] == (
        "recomputed"
    )
    assert shao["sd_day_minus1"]["value"] == 11.8 and shao["sd_day1"]["value"] == 18.7
    assert shao["icc"]["value"] == pytest.approx(0.1) and shao["design_effect"]["value"] == 2.2
    trial = recs["carhartharris2021"]["numbers"]
    assert (trial["p"]["value"], trial["difference"]["low"], trial["difference"]["high"]) == (
        0.17,
        -5.0,
        0.9,
    )
    goodwin = recs["goodwin2022"]["numbers"]
    assert goodwin["diff_25"]["value"] == -6.6 and goodwin["p_10"]["value"] == 0.18
    # Unverified press figures for the rat study are flagged, never stated as checked.
    jefsen = recs["jefsen2021"]["numbers"]
    for name in ("rats", "doses", "minutes"):
        assert jefsen[name]["provenance"] == "unverified"
    assert all(g["n"] is None for g in recs["jefsen2021"]["groups"])


def test_the_card_line_reads_like_the_brief(records):
    assert card_line(records["shao2021"]).startswith(
        "mice · 6 + 6 · 1 mg/kg i.p. · spine density +7 % at day 1 (per dendrite"
    )
    # A card built on an unverified number says so.
    data = dict(records["jefsen2021"], card="{minutes:.0f} min after the dose")
    assert card_line(data).endswith("(unverified)")


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d.pop("sex"), "'sex' is a required property"),
        (lambda d: d["groups"][0].pop("n"), "groups/0: 'n' is a required property"),
        (
            lambda d: d["numbers"]["density_day1"].update(provenance="memory"),
            "numbers/density_day1/provenance",
        ),
        (lambda d: d.update(card="{no_such_number} %"), "card"),
        (lambda d: d.update(key="shao2099"), "differs from the file name"),
    ],
    ids=["missing-field", "missing-n", "bad-provenance", "unknown-number", "key-vs-file"],
)
def test_a_bad_record_fails_naming_the_file_and_field(tmp_path, change, message):
    folder, data = _copy_record(tmp_path)
    change(data)
    path = folder / "shao2021.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(EvidenceError) as err:
        load_records(folder, {"shao2021"})
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_record_for_a_study_not_in_the_bibliography_fails(tmp_path):
    folder, data = _copy_record(tmp_path)
    (folder / "shao2021.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"shao2021\.yml: key 'shao2021' is not in references"):
        load_records(folder, {"jefsen2021"})


def test_schema_requires_what_the_brief_lists():
    required = set(SCHEMA["required"])
    for field in ("species", "sex", "groups", "unit", "design", "dose", "route", "measure"):
        assert field in required
    for field in ("time_points", "result", "uncertainty", "caveats", "numbers"):
        assert field in required
    assert set(SCHEMA["properties"]["design"]["required"]) >= {"randomized", "blinded", "control"}


# -- the study-number rule --------------------------------------------------------------------
def test_numbers_are_read_as_a_reader_sees_them():
    text = "About 1,000-fold; 5-HT2A and Egr2; +6.9 % (1.2-1.7 SD) in 2021 {cite:p}`shao2021`."
    assert numbers_in(text) == ["1,000", "6.9", "1.2", "1.7"]
    assert numbers_in("{glue:text}`x:.1f` % and `12` and $d = 0.6$") == []
    assert matches("7", {6.9}) and matches("6.9", {6.9}) and not matches("25", {6.9, 10.1})


def test_rule_flags_a_number_the_record_lacks_and_an_unverified_one():
    text = textwrap.dedent(
        """\
        # Page

        Spines rose by 25 % a day after the dose {cite:p}`shao2021`. In rats the genes were
        measured 90 minutes later {cite:p}`jefsen2021`. Spines rose 6.9 % {cite:p}`shao2021`.

        ```{code-cell} ipython3
        x = 42  # {cite:p}`shao2021`
        ```
        """
    )
    recs = load_records(FOLDER)
    found = []
    for s in sentences("page.md", text, set(recs)):
        checked = set().union(*(record_values(recs[k])[0] for k in s.keys))
        unverified = set().union(*(record_values(recs[k])[1] for k in s.keys))
        for token in numbers_in(s.text):
            if not matches(token, checked):
                found.append((token, matches(token, unverified)))
    assert found == [("25", False), ("90", True)]


def test_stale_exception_is_reported(tmp_path):
    import shutil

    book = tmp_path / "book"
    shutil.copytree(FOLDER, book / EVIDENCE_DIR)
    for name in ("_toc.yml", "_config.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    (book / "intro.md").write_text("# Intro\n\nNothing cited.\n", encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    problems = check_evidence_numbers(book)
    assert problems and all("matches nothing; remove it" in p for p in problems)


def test_book_passes_the_study_number_rule():
    assert check_evidence_numbers(ROOT) == []


def test_every_cited_study_has_a_record_and_every_chapter_a_card():
    assert check_evidence_coverage(ROOT) == []
    cards = 0
    for rel in chapter_files(ROOT):
        text = (ROOT / rel).read_text(encoding="utf-8")
        cards += len(re.findall(r"^```\{evidence\}", text, re.M))
        assert set(cited_keys(text)) & set(load_records(FOLDER)), rel
    assert cards >= 30


def test_exceptions_each_have_a_reason():
    data = yaml.safe_load((FOLDER / "_exceptions.yml").read_text(encoding="utf-8"))
    assert 0 < len(data) <= 25
    for item in data:
        assert len(item["reason"].split()) >= 5, item


# -- glossary definitions in place ---------------------------------------------------------------
def test_glossary_links_get_their_definition_as_a_description():
    body = (
        '<p>See <a class="reference internal" href="glossary.html#term-dendritic-spine">'
        '<span class="xref std std-term">spines</span></a>.</p>'
    )
    out = add_definitions(body, {"term-dendritic-spine": ("chapters/glossary", "A <small> bump")})
    assert 'aria-describedby="rw-def-1"' in out
    assert '<span class="rw-def" id="rw-def-1" role="tooltip" hidden>A &lt;small&gt; bump' in out
    assert add_definitions(body, {}) == body


# -- in a real Sphinx build -----------------------------------------------------------------
CONF = """\
extensions = ["myst_parser", "booktools.evidence"]
evidence_dir = "evidence"
evidence_bibfiles = ["refs.bib"]
"""


def _mini_build(tmp_path: Path, page: str, record_change=None) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    (src / "evidence").mkdir(parents=True)
    data = yaml.safe_load((FOLDER / "shao2021.yml").read_text(encoding="utf-8"))
    if record_change:
        record_change(data)
    (src / "evidence" / "shao2021.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (src / "refs.bib").write_text(
        "@article{shao2021,\n  author = {Shao, L. and Liao, C. and Kwan, A.},\n"
        "  year = {2021},\n}\n",
        encoding="utf-8",
    )
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(page, encoding="utf-8")
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", str(src)]
    return subprocess.run(
        [*cmd, str(tmp_path / "out")], capture_output=True, text=True, timeout=300
    )


CARD_PAGE = "# Page\n\nText.\n\n```{evidence} shao2021\n```\n"


def test_sphinx_renders_a_card(tmp_path):
    pytest.importorskip("myst_parser")
    result = _mini_build(tmp_path, CARD_PAGE)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<details class='rw-evidence' id='evidence-shao2021'" in html
    assert "Shao et al. 2021:" in html
    assert "mice · 6 + 6 · 1 mg/kg i.p. · spine density +7 % at day 1 (per dendrite" in html


def test_sphinx_build_fails_on_an_unknown_study_naming_the_page(tmp_path):
    pytest.importorskip("myst_parser")
    result = _mini_build(tmp_path, "# Page\n\n```{evidence} nosuch2020\n```\n")
    assert result.returncode != 0
    assert "index.md" in result.stderr and "unknown study 'nosuch2020'" in result.stderr


def test_sphinx_build_fails_on_a_bad_record_naming_the_file(tmp_path):
    pytest.importorskip("myst_parser")
    result = _mini_build(tmp_path, CARD_PAGE, lambda d: d.pop("route"))
    assert result.returncode != 0
    assert "shao2021.yml" in result.stderr and "'route' is a required property" in result.stderr


# -- the built book ------------------------------------------------------------------------------
@pytest.mark.build
def test_every_card_renders_in_the_built_book(site):
    from conftest import HTML

    missing = []
    total = 0
    for rel in chapter_files(ROOT):
        keys = re.findall(r"^```\{evidence\}\s+(\S+)", (ROOT / rel).read_text("utf-8"), re.M)
        html = (HTML / rel.replace(".md", ".html")).read_text(encoding="utf-8")
        for key in keys:
            total += 1
            if f"<details class='rw-evidence' id='evidence-{key}'" not in html:
                missing.append(f"{rel}: {key}")
    assert total >= 30 and missing == []
    table = (HTML / "chapters" / "evidence-table.html").read_text(encoding="utf-8")
    assert table.count("<tr data-species=") == len(load_records(FOLDER))
