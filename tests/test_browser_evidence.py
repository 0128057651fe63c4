"""Evidence cards, glossary definitions in place and the evidence table, in a real browser.

Headless Debian chromium through Python playwright (fixtures in conftest.py): a card opens by
keyboard and by hover and closes with Escape; a glossary link shows its definition on focus
without leaving the page; the evidence table sorts and filters; axe-core finds no violation
with cards and definitions open, in light and dark mode, on a desktop and at 390 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PageProbe

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CARD_PAGE = "chapters/04-evidence-spines.html"
TERM_PAGE = "chapters/04-evidence-spines.html"
TABLE_PAGE = "chapters/evidence-table.html"

AXE_RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return r.violations.map(v => v.impact + ' ' + v.id + ': '
        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


# Parts of cards, definitions and the table that stick out of the window (at 390 px too).
WIDE_PARTS = """() => Array.from(document.querySelectorAll(
        '.rw-evidence, .rw-evidence *, .rw-def:not([hidden]), .rw-evtable-controls *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + '.' + e.className)"""


def _no_motion(page) -> None:
    page.add_style_tag(
        content="*, *::before, *::after { transition: none !important;"
        " animation: none !important; }"
    )


def test_card_opens_by_keyboard_and_closes_with_escape(site, server, probe):
    page = probe.goto(f"{server}/{CARD_PAGE}")
    card = page.locator("details.rw-evidence").first
    summary = card.locator("summary")
    assert "mice · 6 + 6 · 1 mg/kg i.p." in summary.inner_text()
    assert not card.evaluate("d => d.open")
    # Tab onto the card: focus alone opens it (keyboard focus shows the record).
    summary.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.wait_for_function("document.querySelector('details.rw-evidence').open")
    body = card.locator(".rw-evidence-body")
    assert body.is_visible()
    assert "Unit of analysis" in body.inner_text() and "recomputed" in body.inner_text()
    page.keyboard.press("Escape")
    assert not card.evaluate("d => d.open")
    # Enter toggles it like any disclosure, without JavaScript tricks.
    page.keyboard.press("Enter")
    assert card.evaluate("d => d.open")
    assert probe.external == [] and probe.console_errors == []


def test_card_opens_on_hover_and_on_tap(site, server, browser):
    probe = PageProbe(browser, viewport=DESKTOP)
    try:
        page = probe.goto(f"{server}/{CARD_PAGE}")
        card = page.locator("details.rw-evidence").first
        card.scroll_into_view_if_needed()
        card.locator("summary").hover()
        assert card.evaluate("d => d.open")
        page.mouse.move(0, 0)
        assert not card.evaluate("d => d.open")
    finally:
        probe.close()
    phone = PageProbe(browser, viewport=PHONE)
    try:
        page = phone.goto(f"{server}/{CARD_PAGE}")
        card = page.locator("details.rw-evidence").first
        card.locator("summary").scroll_into_view_if_needed()
        card.locator("summary").click()
        assert card.evaluate("d => d.open")
        assert page.evaluate(WIDE_PARTS) == []
        card.locator("summary").click()
        assert not card.evaluate("d => d.open")
    finally:
        phone.close()


def test_glossary_definition_shows_on_focus_without_leaving_the_page(site, server, probe):
    page = probe.goto(f"{server}/{TERM_PAGE}")
    link = page.locator("a.rw-term").first
    tip_id = link.get_attribute("aria-describedby")
    tip = page.locator(f"#{tip_id}")
    assert tip.get_attribute("role") == "tooltip" and tip.is_hidden()
    assert len(tip.text_content().strip()) > 20
    link.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    link.hover()
    assert tip.is_visible()
    assert page.url.endswith(TERM_PAGE)
    assert probe.external == [] and probe.console_errors == []


def test_glossary_definition_first_tap_shows_second_tap_follows(site, server, browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/{TERM_PAGE}", wait_until="load")
        link = page.locator("a.rw-term").first
        link.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -200)")  # clear of the sticky header
        tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
        link.tap()
        assert tip.is_visible() and page.url.endswith(TERM_PAGE)
        tip_box = tip.bounding_box()
        assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= PHONE["width"]
        link.tap()
        page.wait_for_url("**/glossary.html#term-*")
    finally:
        context.close()


def test_evidence_table_sorts_and_filters(site, server, probe):
    page = probe.goto(f"{server}/{TABLE_PAGE}")
    rows = page.locator(".rw-evtable tbody tr")
    total = rows.count()
    assert total >= 20
    page.select_option("#rw-f-species", "mice")
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < total
    assert all(r.get_attribute("data-species") == "mice" for r in visible)
    assert f"of {total} studies" in page.inner_text("#rw-f-status")
    page.select_option("#rw-f-species", "")
    page.fill("#rw-f-n", "100")
    ns = [
        float(r.locator("td").nth(4).get_attribute("data-value"))
        for r in rows.all()
        if r.is_visible()
    ]
    assert ns and min(ns) >= 100
    page.fill("#rw-f-n", "")
    n_header = page.locator(".rw-evtable thead th", has_text="n").filter(has=page.locator("button"))
    page.locator(".rw-evtable thead th[data-type='number'] button").click()
    assert page.locator(".rw-evtable thead th[data-type='number']").get_attribute("aria-sort") == (
        "ascending"
    )
    values = [r.locator("td").nth(4).get_attribute("data-value") for r in rows.all()]
    known = [float(v) for v in values if v]
    assert known == sorted(known) and values[: len(known)] == [v for v in values if v]
    assert n_header.count() >= 1
    assert probe.external == [] and probe.console_errors == []


@pytest.mark.parametrize(
    "scheme,viewport",
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE), ("dark", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone", "dark-phone"],
)
def test_axe_clean_with_cards_and_definitions_open(site, server, browser, scheme, viewport):
    assert AXE.is_file(), "axe-core is missing: run `npm ci` (make setup does)"
    probe = PageProbe(browser, viewport=viewport, color_scheme=scheme)
    found = {}
    try:
        for rel in (CARD_PAGE, "chapters/06-evidence-mechanisms.html", TABLE_PAGE):
            page = probe.goto(f"{server}/{rel}")
            _no_motion(page)
            page.evaluate(
                "document.querySelectorAll('details.rw-evidence').forEach(d => d.open = true)"
            )
            if page.locator("a.rw-term").count():
                page.locator("a.rw-term").first.focus()
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[rel] = violations
            wide = page.evaluate(WIDE_PARTS)
            if wide:
                found.setdefault(rel, []).append(f"wider than the window: {wide}")
        assert found == {}, found
    finally:
        probe.close()
