"""The accuracy rules of the book's prose (issue 12, item 5), checked mechanically.

Each rule reads the text a reader sees: ``intro.md``, the chapters, the instructor guide, the
glossary, the labs' Markdown cells and the explorers' captions. Where a rule cannot be
checked in general, the test pins the instances that were found, so they cannot come back.

Every failure names the file and quotes the offending passage.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from booktools import check
from conftest import ROOT

#: Pages whose prose is checked (the contributing guide and the template are about writing,
#: not about the science).
PAGES = sorted(
    [ROOT / "intro.md"]
    + [p for p in (ROOT / "chapters").glob("*.md") if p.name not in {"_template.md"}]
    + list((ROOT / "chapters" / "instructor").glob("*.md"))
)
LABS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPLORERS = sorted((ROOT / "src" / "explorers").glob("*.py"))

#: The two source articles' real headlines, word for word.
HEADLINES = (
    "Psilocybin Regenerates Neurons Lost In Depression",
    "New Study in Rats Reveals Genes Responsible for Psilocybin Induced Neural Plasticity",
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def _caption_strings(path: Path) -> list[str]:
    """String literals of an explorer module (f-strings joined with ``{}`` for the holes),
    docstrings left out: captions and alt texts are what a reader sees."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    out = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            out.append(
                "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            )
    return out


def _yaml_strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _yaml_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _yaml_strings(v)]
    return []


#: Quizzes and evidence records: their prompts, explanations and cards are read too.
DATA = sorted((ROOT / "chapters" / "_data").glob("*/*.yml"))


def _texts() -> list[tuple[str, str]]:
    """(file, text) for every page, lab, explorer string, quiz and evidence record."""
    texts = [(_rel(p), _markdown(p)) for p in PAGES + LABS]
    texts += [(_rel(p), "\n\n".join(_caption_strings(p))) for p in EXPLORERS]
    texts += [
        (_rel(p), "\n\n".join(_yaml_strings(yaml.safe_load(p.read_text(encoding="utf-8")))))
        for p in DATA
    ]
    return texts


def _blocks(text: str) -> list[str]:
    """Paragraphs, list items and table rows, with line breaks joined (a block is one unit
    of meaning: a label must sit in the same block as the claim it qualifies)."""
    blocks = []
    for para in re.split(r"\n\s*\n", text):
        lines = para.splitlines()
        if any(line.lstrip().startswith("|") for line in lines):
            # A table: each row is a block, and the caption paragraph before it counts too.
            blocks.extend(line for line in lines if line.strip())
        else:
            blocks.append(" ".join(line.strip() for line in lines))
    return blocks


def _context_blocks(text: str) -> list[tuple[str, str]]:
    """(block, block with its neighbours): a table row may rely on the paragraph above it."""
    paras = re.split(r"\n\s*\n", text)
    out = []
    for i, para in enumerate(paras):
        around = " ".join(paras[max(0, i - 1) : i + 1]).replace("\n", " ")
        for block in _blocks(para):
            out.append((block, around))
    return out


TEXTS = _texts()


def _violations(predicate) -> list[str]:
    bad = []
    for rel, text in TEXTS:
        for block, around in _context_blocks(text):
            if predicate(block, around):
                bad.append(f"{rel}: {block[:160]!r}")
    return bad


# ------------------------------------------------------------------ quote sources verbatim


@pytest.mark.parametrize(
    "phrase",
    ["makes the brain more plastic", "may be as effective as", "more plastic"],
)
def test_invented_headline_phrases_are_gone(phrase):
    """Neither source article contains these words; they must not be presented as quotes."""
    pattern = re.compile(rf"\b{re.escape(phrase)}\b")
    bad = [f"{rel}: contains {phrase!r}" for rel, text in TEXTS if pattern.search(text.lower())]
    assert bad == []


def test_headlines_are_quoted_word_for_word():
    """Wherever a real headline is quoted, its wording and capitals are the article's."""
    bad = []
    for rel, text in TEXTS:
        flat = re.sub(r"\s+", " ", text)
        for headline in HEADLINES:
            for m in re.finditer(re.escape(headline), flat, flags=re.IGNORECASE):
                if m.group(0) != headline:
                    bad.append(f"{rel}: {m.group(0)!r} is not the headline {headline!r}")
    assert bad == []


def test_both_real_headlines_are_quoted_on_the_front_page_and_in_chapters_1_and_11():
    for rel in ("intro.md", "chapters/01-introduction.md", "chapters/11-headlines.md"):
        flat = re.sub(r"\s+", " ", (ROOT / rel).read_text(encoding="utf-8"))
        for headline in HEADLINES:
            assert headline in flat, f"{rel}: the headline {headline!r} is not quoted"


def test_genes_responsible_is_taken_apart_where_the_rat_headline_is_discussed():
    for rel in (
        "chapters/01-introduction.md",
        "chapters/05-evidence-genes.md",
        "chapters/11-headlines.md",
    ):
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert re.search(r"association|not cause|claim of cause", text), (
            f"{rel}: quotes 'genes responsible' without saying expression is not cause"
        )


def test_direct_evidence_phrase_for_ly2018_is_discussed():
    text = re.sub(r"\s+", " ", (ROOT / "chapters/06-evidence-mechanisms.md").read_text())
    assert "direct evidence of increased neuroplasticity" in text, (
        "chapters/06-evidence-mechanisms.md: the article's phrase about Ly 2018 is not discussed"
    )


def test_headlines_carry_no_invented_year():
    """The rat article reports online publication in November 2020: no "In 2021 ... headline"."""
    assert _violations(lambda b, _: re.search(r"In 2021\b.{0,80}headline", b)) == []


# ---------------------------------------------------------------- label recomputed numbers

#: Numbers the book recomputed from Shao et al.'s public data (facts sheet); each must say
#: so in its own block (or, for a table row, in the paragraph just above the table).
RECOMPUTED = [
    r"\+6\.9 %",
    r"\+12\.8 %",
    r"\+0\.4 %",
    r"\+19\.5 %",
    r"1\.64 Hz",
    r"0\.068",
    r"\+11\.7 %",
    r"\+4\.8 %",
    r"1\.2(?: to |-)1\.7(?!\s*h\b)",
    r"−10\.6 %",
    r"ICC[^.]{0,40}0\.1\b",
    r"larger in females|females responded",
]


@pytest.mark.parametrize("number", RECOMPUTED)
def test_recomputed_numbers_carry_their_label(number):
    def unlabelled(block, around):
        return re.search(number, block) and not re.search(r"recomput", around, re.IGNORECASE)

    assert _violations(unlabelled) == []


def test_explorer_captions_label_the_studys_recomputed_values():
    bad = []
    for path in EXPLORERS:
        for s in _caption_strings(path):
            if re.search(r"Shao", s) and re.search(r"mean|spread|SD\b", s) and len(s) > 60:
                if "recomputed" not in s:
                    bad.append(f"{_rel(path)}: {s[:120]!r}")
    assert bad == []


def test_ten_percent_within_a_day_is_relative_to_saline():
    def bare(block, _):
        early = re.search(r"within (?:a day|24 ?h|24 hours)|24 ?h\b", block)
        return early and re.search(r"\b10 ?%", block) and "saline" not in block

    assert _violations(bare) == []


# ------------------------------------------------------------ illustrations are not data

ICC_PAGES = [
    "chapters/09-design-animals.md",
    "chapters/instructor/09-design-animals.md",
    "notebooks/lab-power.ipynb",
]


@pytest.mark.parametrize("rel", ICC_PAGES)
def test_illustrative_icc_is_set_beside_the_studys(rel):
    text = re.sub(r"\s+", " ", _markdown(ROOT / rel))
    for needle in ("0.3", "about 0.1", "2.2", "70 independent"):
        assert needle in text, f"{rel}: does not give {needle!r} (the study's ICC, design effect)"


def test_forty_percent_is_never_the_studys_rate():
    def stray(block, _):
        return re.search(r"about 40 ?%", block) and not re.search(
            r"illustrative|teaching|toy|0\.3", block
        )

    assert _violations(stray) == []


# ------------------------------------------------- nothing marked "verify" printed as fact


@pytest.mark.parametrize(
    "pattern",
    [r"\b90 min", r"[Nn]inety minutes", r"\b80 rats", r"seven (?:different )?doses"],
)
def test_press_coverage_numbers_are_attributed(pattern):
    def as_fact(block, _):
        return re.search(pattern, block) and not re.search(
            r"press|reported|not confirmed|unconfirmed|unverified", block
        )

    assert _violations(as_fact) == []


def test_siegel_weeks_come_from_the_preprint():
    def published_weeks(block, _):
        return (
            "siegel2024" in block
            and re.search(r"\bweeks\b", block)
            and not re.search(r"preprint", block)
        )

    assert _violations(published_weeks) == []


def test_head_twitch_counts_name_their_three_mice():
    def bare(block, _):
        return re.search(r"0 twitches|twitches against", block) and "3 mice" not in block

    assert _violations(bare) == []


# ------------------------------------------------------------- hedge the same way everywhere


def test_head_twitch_is_not_called_a_measure_of_occupancy():
    forbidden = [
        r"head.twitch[^.]{0,60}proportional to 5-HT2A occupancy(?![^.]{0,40}toy assumption)",
        r"occupancy, or a marker of it",
        r"rodent sign of psychedelic action",
    ]
    assert _violations(lambda b, _: any(re.search(f, b) for f in forbidden)) == []


def test_trkb_binding_is_reported_not_asserted():
    def asserted(block, _):
        return re.search(r"binds? (?:\{term\}`)?TrkB", block) and not re.search(
            r"report|propos|one study|moliner", block, re.IGNORECASE
        )

    assert _violations(asserted) == []


def test_behaviour_and_imaging_are_not_called_linked():
    assert _violations(lambda b, _: "links the structural change" in b) == []


# ----------------------------------------------------------------------------- cite or cut


@pytest.mark.parametrize(
    ("rel", "anchor", "key"),
    [
        ("chapters/03-pharmacology.md", "**Route.**", "alshoyaib2020"),
        ("chapters/03-pharmacology.md", "**Body size and metabolism.**", "nair2016"),
        ("chapters/03-pharmacology.md", "published correction", "madsen2019correction"),
        ("chapters/10-design-people.md", "has many sources", "finniss2010"),
        ("chapters/10-design-people.md", "regression to the mean", "barnett2005"),
        ("chapters/10-design-people.md", "Designs try to limit the problem", "aday2022"),
        ("chapters/07-networks.md", "Newman's modularity", "newman2006"),
        ("chapters/08-entropic-brain.md", "follows Kramers' law", "kramers1940"),
    ],
)
def test_empirical_claims_found_uncited_now_cite(rel, anchor, key):
    text = (ROOT / rel).read_text(encoding="utf-8")
    block = next((b for b in _blocks(text) if anchor in b), None)
    assert block is not None, f"{rel}: no passage containing {anchor!r}"
    assert key in block, f"{rel}: the passage {anchor!r} does not cite {key}"


# ------------------------------------------------------------------- worked answers computed


def test_every_glued_name_is_defined_on_its_page():
    bad = []
    for path in PAGES:
        text = path.read_text(encoding="utf-8")
        defined = set(re.findall(r"glue\(\s*f?[\"']([^\"']+)[\"']", text))
        # An f-string name such as f"ch06_twitch_b{_b:g}" stands for any filled-in value.
        patterns = [
            re.compile(re.sub(r"\\\{[^}]*\\\}", "[A-Za-z0-9_.+-]+", re.escape(d))) for d in defined
        ]
        for used in re.findall(r"\{glue(?::[a-z]+)?\}`([A-Za-z0-9_.+-]+?)(?::[^`]*)?`", text):
            if not any(p.fullmatch(used) for p in patterns):
                bad.append(f"{_rel(path)}: glues {used!r}, which no cell on the page defines")
    assert bad == []


def test_pharmacology_saturation_answer_is_computed_not_typed():
    from models.pharmacology import receptor_occupancy

    text = (ROOT / "chapters/03-pharmacology.md").read_text(encoding="utf-8")
    assert "nine times" not in text
    assert "{glue:text}`ch03_sat_ratio" in text
    # The ratio the solution describes: C at 70 % occupancy over C at 64 % (8 EC50).
    c70 = 0.70 / (0.72 - 0.70)
    assert float(receptor_occupancy(c70, ec50_ng_per_ml=1.0)) == pytest.approx(0.70)
    assert float(receptor_occupancy(8.0, ec50_ng_per_ml=1.0)) == pytest.approx(0.64)
    assert 4.0 < c70 / 8.0 < 4.5


# ------------------------------------------------------------------ references as published

BIB = check.parse_bib(ROOT / "references.bib")


@pytest.mark.parametrize("key", sorted(BIB))
def test_every_entry_has_authors_year_title_journal_and_doi(key):
    for field in ("author", "year", "title", "journal", "doi"):
        assert BIB[key].fields.get(field, "").strip(), f"references.bib: {key} has no {field}"
    assert re.fullmatch(r"(1[89]|20)\d\d", BIB[key].fields["year"]), (
        f"references.bib: {key} has year {BIB[key].fields['year']!r}"
    )


def _authors(key: str) -> list[str]:
    return [a.strip() for a in BIB[key].fields["author"].split(" and ")]


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("siegel2024", "Siegel", "Dosenbach"),
        ("moliner2023", "Moliner", "Castr"),
        ("goodwin2022", "Goodwin", None),
        ("jefsen2021", "Jefsen", "M"),
        ("madsen2019", "Madsen", "Knudsen"),
    ],
)
def test_author_lists_in_published_order(key, first, last):
    """First author first; 'others' only at the end, never after named last authors."""
    authors = _authors(key)
    assert authors[0].startswith(first), f"references.bib: {key} starts with {authors[0]!r}"
    if "others" in authors:
        assert authors[-1] == "others", f"references.bib: {key} has 'others' mid-list"
    else:
        assert last is not None and authors[-1].startswith(last), (
            f"references.bib: {key} ends with {authors[-1]!r}, not the published last author"
        )
    # Goodwin 2022's last author (Malievskaia) is the 80th: she cannot precede 'others'.
    if "others" in authors:
        assert not any(a.startswith("Malievskaia") for a in authors), (
            f"references.bib: {key} names its last author before 'others'"
        )


def test_madsen_correction_is_listed_and_cited():
    assert BIB["madsen2019correction"].fields["doi"] == "10.1038/s41386-019-0360-5"
    assert "madsen2019correction" in (ROOT / "chapters/03-pharmacology.md").read_text()


def test_functions_named_in_the_text_exist():
    """A worked answer that says "check with models.x.f" must name a real function."""
    import importlib

    bad = []
    for rel, text in TEXTS:
        if rel.startswith("src/"):
            continue
        for dotted in set(re.findall(r"`((?:models|explorers)(?:\.[A-Za-z_]\w*)+)", text)):
            parts = dotted.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:cut]))
                except ImportError:
                    continue
                try:
                    for attr in parts[cut:]:
                        obj = getattr(obj, attr)
                except AttributeError:
                    bad.append(f"{rel}: names {dotted}, which does not exist")
                break
            else:
                bad.append(f"{rel}: names {dotted}, whose module does not import")
    assert bad == []
