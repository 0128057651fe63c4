"""Self-check quizzes: data files, validation, the same HTML in the site and in Jupyter.

The quiz files are ``chapters/_data/quizzes/NN-name.yml`` (format in ``booktools.quiz``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from booktools import check, quiz
from conftest import ROOT, PageProbe

CHAPTERS = check.chapter_files()
QUIZ_FILES = sorted((ROOT / quiz.QUIZ_DIR).glob("*.yml"))


def load(name: str) -> quiz.Quiz:
    return quiz.load_quiz(quiz.quiz_path(ROOT, name))


# -- the book's quizzes ----------------------------------------------------------------------
def test_every_chapter_has_a_valid_quiz_shown_where_it_links():
    """At least 4 questions per chapter, shown by its {quiz} block, every link a heading."""
    assert len(CHAPTERS) == 11
    assert quiz.check_quizzes(ROOT) == []
    assert {p.stem for p in QUIZ_FILES} == {Path(c).stem for c in CHAPTERS}


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_quiz_mixes_choice_and_numeric_with_varied_answer_positions(path):
    q = quiz.load_quiz(path)
    assert len(q.questions) >= quiz.MIN_QUESTIONS
    choice = [x for x in q.questions if x.kind == "choice"]
    assert choice, f"{path.name}: no multiple-choice question"
    for x in q.questions:
        if x.kind == "number":
            assert x.tolerance >= 0 and np.isfinite(x.answer)
        else:
            assert 0 <= x.answer < len(x.options)
            assert len(set(x.options)) == len(x.options), f"{path.name}: repeated option"


def test_right_option_is_not_always_in_the_same_place():
    positions = [x.answer for p in QUIZ_FILES for x in quiz.load_quiz(p).questions if x.options]
    assert len(set(positions)) >= 3


def test_book_has_numeric_questions_with_a_tolerance():
    numeric = [x for p in QUIZ_FILES for x in quiz.load_quiz(p).questions if x.kind == "number"]
    assert len(numeric) >= 11


# -- the answers agree with the models and the text ------------------------------------------
def _numeric(name: str, words: str) -> quiz.Question:
    found = [x for x in load(name).questions if x.kind == "number" and words in x.prompt]
    assert len(found) == 1, f"{name}: {len(found)} numeric questions mention {words!r}"
    return found[0]


def test_one_pool_steady_state_answer_is_the_models_steady_state():
    from models.spines import SpineParams, steady_state

    q = _numeric("02-spines", "steady-state density")
    # The prompt's numbers, read back from the prompt itself.
    f = float(re.search(r"f = ([\d.]+)", q.prompt).group(1))
    e = float(re.search(r"λ = ([\d.]+)", q.prompt).group(1))
    t, p = steady_state(
        SpineParams(formation_per_um_day=f, transient_elimination_per_day=e, maturation_per_day=0)
    )
    assert abs((t + p) - q.answer) <= q.tolerance


def test_computed_answers_come_from_the_models():
    from models.mechanisms import schild_dose_ratio
    from models.pharmacology import hill
    from models.study_design.clustering import design_effect
    from models.study_design.power import analytic_power, sample_size_for_power

    assert _numeric("03-pharmacology", "3 times the EC50").answer == pytest.approx(0.75)
    assert _numeric("06-evidence-mechanisms", "B = 9 K_B").answer == pytest.approx(
        float(schild_dose_ratio(9.0, kb=1.0))
    )
    assert _numeric("09-design-animals", "design effect").answer == pytest.approx(
        float(design_effect(0.3, 13))
    )
    power = _numeric("09-design-animals", "what is the power")
    assert power.answer == pytest.approx(float(analytic_power(n_per_group=6, effect_size=1.25)))
    assert 0.4 < power.answer < 0.6  # the chapter says "about half the time"
    n = _numeric("09-design-animals", "80 % power")
    assert n.answer == sample_size_for_power(effect_size=1.25)
    assert float(hill(3.0, 1.0)) == pytest.approx(0.75)


def test_modularity_of_two_separate_pairs_is_one_half():
    assert _numeric("07-networks", "modularity Q").answer == pytest.approx(0.5)


def test_arithmetic_answers():
    assert _numeric("05-evidence-genes", "92 gene-region").answer == pytest.approx(0.05 * 92)
    assert _numeric("09-design-animals", "Bonferroni").answer == pytest.approx(0.05 / 92, rel=0.1)
    assert _numeric("08-entropic-brain", "from 10 to 5").answer == pytest.approx(np.exp(5), abs=5)
    assert _numeric("08-entropic-brain", "five valleys").answer == pytest.approx(
        np.log2(5), abs=0.01
    )


def test_study_numbers_match_the_fact_sheet():
    """Counts quoted from the papers (facts: 59 patients, 233 people, 12 mice, 46 genes)."""
    assert _numeric("01-introduction", "How many patients").answer == 59
    assert _numeric("01-introduction", "day 34").answer == 2
    assert _numeric("04-evidence-spines", "How many mice").answer == 12
    assert _numeric("05-evidence-genes", "target genes").answer == 46
    assert _numeric("07-networks", "precision functional mapping").answer == 7
    assert _numeric("10-design-people", "dose-comparison").answer == 233


def test_every_numeric_answer_from_a_paper_cites_it():
    """A number about a study (not model arithmetic) names its source."""
    for path in QUIZ_FILES:
        for x in quiz.load_quiz(path).questions:
            if x.kind == "choice" or x.cite:
                continue
            assert re.search(r"model|f = |alpha|Kramers|valleys|Bonferroni|pairs", x.prompt), (
                f"{path.name}: numeric question {x.prompt[:50]!r} has no 'cite'"
            )


# -- validation: bad input names the file ----------------------------------------------------
GOOD = """questions:
  - prompt: Pick one.
    options: [a, b]
    answer: 1
    explain: Because.
    section: Somewhere
"""


@pytest.mark.parametrize(
    "text,message",
    [
        (GOOD.replace("    answer: 1\n", ""), "has no 'answer'"),
        (GOOD.replace("answer: 1", "answer: 2"), "'answer' 2 is out of range"),
        (GOOD.replace("answer: 1", "answer: true"), "must be an option index"),
        (
            GOOD.replace("    options: [a, b]\n", "").replace("answer: 1", "answer: 0.5"),
            "numeric answer without a 'tolerance'",
        ),
        (
            GOOD.replace("    options: [a, b]\n", "").replace("answer: 1", "answer: lots"),
            "needs a numeric 'answer'",
        ),
        (GOOD.replace("explain:", "explanation:"), "unknown keys ['explanation']"),
        (GOOD.replace("    section: Somewhere\n", ""), "needs a non-empty 'section'"),
        (GOOD.replace("[a, b]", "[a]"), "at least two answers"),
        (GOOD.replace("answer: 1", "answer: 1\n    tolerance: 0.1"), "'tolerance' belongs"),
        ("questions: [\n", "not valid YAML"),
        ("- just a list\n", "needs a 'questions:' list"),
        (
            GOOD.replace("    options: [a, b]\n", "").replace(
                "answer: 1", "compute: {function: 'models.nothing:here'}\n    tolerance: 1"
            ),
            "cannot import 'models.nothing:here'",
        ),
        (
            GOOD.replace("    options: [a, b]\n", "").replace(
                "answer: 1",
                "compute: {function: 'models.study_design.clustering:design_effect', "
                "kwargs: {icc: 2, m: 3}}\n    tolerance: 1",
            ),
            "design_effect(**{'icc': 2, 'm': 3}) failed",
        ),
    ],
    ids=[
        "missing-answer",
        "option-out-of-range",
        "bool-answer",
        "no-tolerance",
        "text-answer",
        "unknown-key",
        "no-section",
        "one-option",
        "tolerance-on-choice",
        "bad-yaml",
        "not-a-mapping",
        "compute-import",
        "compute-fails",
    ],
)
def test_bad_quiz_file_gets_an_error_naming_the_file(tmp_path, text, message):
    path = tmp_path / "99-broken.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(quiz.QuizError) as err:
        quiz.load_quiz(path)
    assert str(err.value).startswith(str(path)), err.value
    assert message in str(err.value)


def test_check_names_a_quiz_that_links_to_a_missing_section_or_has_too_few_questions(tmp_path):
    for name in ("_toc.yml", "_config.yml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    shutil_copy = __import__("shutil").copytree
    shutil_copy(ROOT / "chapters", tmp_path / "chapters")
    bad = tmp_path / quiz.QUIZ_DIR / "02-spines.yml"
    bad.write_text(GOOD, encoding="utf-8")
    problems = quiz.check_quizzes(tmp_path)
    assert "chapters/_data/quizzes/02-spines.yml: 1 question(s); at least 4 needed" in problems
    assert (
        "chapters/_data/quizzes/02-spines.yml: question 1 links to section 'Somewhere', "
        "which is not a heading of chapters/02-spines.md"
    ) in problems
    page = tmp_path / "chapters" / "05-evidence-genes.md"
    page.write_text(
        page.read_text().replace("{quiz} 05-evidence-genes", "{quiz} 04-evidence-spines")
    )
    assert (
        "chapters/05-evidence-genes.md: shows the quiz '04-evidence-spines', not its own "
        "'05-evidence-genes'"
    ) in quiz.check_quizzes(tmp_path)
    (tmp_path / quiz.QUIZ_DIR / "03-pharmacology.yml").unlink()
    assert "chapters/_data/quizzes/03-pharmacology.yml: no such quiz file" in quiz.check_quizzes(
        tmp_path
    )


# -- the HTML: accessible, self-contained, the same in Jupyter -------------------------------
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html_text: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html_text)
    return parser.tags


def test_jupyter_html_has_labelled_controls_live_status_and_links_to_the_site():
    shown = quiz.show_quiz("02-spines", root=ROOT)
    html_text = shown._repr_html_()
    tags = _tags(html_text)
    n = len(load("02-spines").questions)
    assert sum(t == "form" for t, _ in tags) == n
    assert sum(t == "fieldset" for t, _ in tags) == n
    assert sum(t == "legend" for t, _ in tags) == n
    assert sum(t == "p" and a.get("role") == "status" for t, a in tags) == n
    ids = {a["id"] for t, a in tags if "id" in a}
    labelled = {a["for"] for t, a in tags if t == "label"}
    inputs = [a for t, a in tags if t == "input"]
    assert inputs and all(a["id"] in labelled for a in inputs)
    assert labelled <= ids
    links = [a["href"] for t, a in tags if t == "a"]
    assert links and all(
        h.startswith("https://") and "/chapters/02-spines.html#" in h for h in links
    )
    # Nothing is loaded from anywhere: no src attributes, no imports in the script.
    assert not any("src" in a for _, a in tags)
    assert "import(" not in quiz.JS and "fetch(" not in quiz.JS and "http" not in quiz.JS


def test_quiz_weight_is_small():
    assert len(quiz.JS.encode()) < 2000
    assert len(quiz.CSS.encode()) < 2000
    for path in QUIZ_FILES:
        q = quiz.load_quiz(path)
        page = quiz.render_html(q, link=lambda s: "#" + quiz.section_id(s))
        assert len(page.encode()) < 15_000, path.name


def test_numbers_are_written_as_readers_write_them():
    assert quiz.format_number(12.0) == "12"
    assert quiz.format_number(0.000543) == "0.000543"
    assert quiz.format_number(4.6000000001) == "4.6"


# -- the built site --------------------------------------------------------------------------
@pytest.mark.build
@pytest.mark.parametrize("rel", CHAPTERS)
def test_built_chapter_shows_its_quiz_with_working_section_links(site, rel):
    page = (site / rel).with_suffix(".html").read_text(encoding="utf-8")
    name = Path(rel).stem
    q = load(name)
    assert page.count('class="rw-quiz-q"') == len(q.questions)
    for i in range(1, len(q.questions) + 1):
        assert f'id="rwq-{name}-{i}"' in page
    tags = _tags(page[page.index('class="rw-quiz"') :])
    anchors = [a["href"][1:] for t, a in tags if t == "a" and a.get("href", "").startswith("#")]
    ids = {a["id"] for t, a in _tags(page) if "id" in a}
    assert anchors and set(anchors) <= ids


@pytest.mark.browser
def test_quiz_works_with_the_keyboard_and_announces_the_result(site, server, browser):
    name = "09-design-animals"
    q = load(name)
    first_choice = next(i for i, x in enumerate(q.questions, 1) if x.kind == "choice")
    first_number = next(i for i, x in enumerate(q.questions, 1) if x.kind == "number")
    probe = PageProbe(browser)
    try:
        page = probe.goto(f"{server}/chapters/{name}.html")
        form = page.locator(f"#rwq-{name}-{first_choice}")
        explain = form.locator(".rw-quiz-explain")
        assert explain.is_hidden()
        # Keyboard only: focus the first option, arrow to the right one, Enter submits.
        form.locator("input[type=radio]").first.focus()
        right = int(q.questions[first_choice - 1].answer)
        for _ in range(right):
            page.keyboard.press("ArrowDown")
        if right == 0:
            page.keyboard.press("Space")
        page.keyboard.press("Enter")
        assert form.locator("[role=status]").inner_text() == "Correct."
        assert explain.is_visible()
        # A wrong number is answered with the right one and the explanation.
        numeric = page.locator(f"#rwq-{name}-{first_number}")
        numeric.locator("input[type=text]").fill("-1")
        numeric.locator("button").click()
        status = numeric.locator("[role=status]").inner_text()
        assert status.startswith("Not quite. The answer is")
        assert numeric.locator("input").get_attribute("aria-invalid") == "true"
        # Within the tolerance counts, with a decimal comma too.
        answer = q.questions[first_number - 1].answer
        numeric.locator("input[type=text]").fill(f"{answer:.3f}".replace(".", ","))
        numeric.locator("button").click()
        assert numeric.locator("[role=status]").inner_text() == "Correct."
        assert probe.external == [] and probe.console_errors == []
    finally:
        probe.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "scheme,viewport",
    [("light", {"width": 1280, "height": 900}), ("dark", {"width": 390, "height": 844})],
    ids=["light-desktop", "dark-phone"],
)
def test_answered_quiz_is_axe_clean_and_fits_a_phone(site, server, browser, scheme, viewport):
    """axe-core on a quiz with every explanation and status shown (the state axe would miss)."""
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    assert axe.is_file(), "axe-core is missing: run `npm ci` (make setup does)"
    probe = PageProbe(browser, viewport=viewport, color_scheme=scheme)
    try:
        page = probe.goto(f"{server}/chapters/04-evidence-spines.html")
        page.add_style_tag(content="*,*::before,*::after{transition:none!important}")
        page.evaluate("""() => document.querySelectorAll('form.rw-quiz-q').forEach((f, i) => {
            const r = f.querySelector('input[type=radio]');
            if (r) { r.checked = true; }
            else { f.querySelector('input').value = i % 2 ? '1' : '12'; }
            f.requestSubmit();
        })""")
        assert page.locator(".rw-quiz-explain:visible").count() == len(
            load("04-evidence-spines").questions
        )
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("""async () => {
            const r = await axe.run('.rw-quiz', {resultTypes: ['violations']});
            return r.violations.map(v => v.impact + ' ' + v.id + ': ' +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""")
        assert violations == []
        overflow = page.evaluate("""() => Array.from(document.querySelectorAll('.rw-quiz *'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .length""")
        assert overflow == 0
    finally:
        probe.close()


@pytest.mark.browser
def test_jupyter_html_works_on_a_page_of_its_own(browser):
    """The HTML show_quiz gives Jupyter needs nothing from the book's site."""
    name = "03-pharmacology"
    q = load(name)
    probe = PageProbe(browser)
    try:
        page = probe.page
        page.set_content(
            "<!doctype html><html lang='en'><title>q</title><body>"
            + quiz.show_quiz(name, root=ROOT)._repr_html_()
            + "</body></html>"
        )
        i = next(i for i, x in enumerate(q.questions, 1) if x.kind == "choice")
        form = page.locator(f"#rwq-{name}-{i}")
        form.locator("button").click()
        assert form.locator("[role=status]").inner_text() == "Choose an answer first."
        wrong = (int(q.questions[i - 1].answer) + 1) % len(q.questions[i - 1].options)
        form.locator(f"#rwq-{name}-{i}-{wrong}").check()
        form.locator("button").click()
        status = form.locator("[role=status]").inner_text()
        assert status == f"Not quite. The answer is: {q.questions[i - 1].answer_text}."
        assert form.locator(".rw-quiz-explain a").get_attribute("href").startswith("https://")
        assert probe.external == [] and probe.console_errors == []
    finally:
        probe.close()
