"""The built site in a real browser: math typeset, figures shown, sliders live, nothing external.

Runs headless Debian chromium through Python playwright against the site served on
localhost. Every request to another host is blocked and counted; the tests require zero.
"""

from __future__ import annotations

import html
import json
import math
import re

import pytest

from conftest import PageProbe

pytestmark = pytest.mark.browser


def explorer_pages(site) -> list[str]:
    return sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if 'class="rw-explorer"' in p.read_text(encoding="utf-8")
    )


def test_spine_chapter_typesets_math_and_shows_figure(site, server, probe):
    page = probe.goto(f"{server}/chapters/02-spines.html")
    page.wait_for_function("document.querySelectorAll('mjx-container').length >= 5", timeout=20000)
    article = page.inner_text("article")
    assert "\\frac" not in article and "$$" not in article, "raw TeX left on the page"
    img = page.locator("figure.rw-explorer img.rw-frame").first
    img.scroll_into_view_if_needed()
    assert page.evaluate("(el) => el.complete && el.naturalWidth > 100", img.element_handle())
    assert img.get_attribute("alt").startswith("Line plot")
    assert probe.external == []
    assert probe.console_errors == []


def test_every_page_makes_no_outside_request_and_no_console_error(site, server, browser):
    pages = [
        "index.html",
        "intro.html",
        "search.html",
        "genindex.html",
        *sorted(str(p.relative_to(site)) for p in (site / "chapters").glob("*.html")),
        *sorted(str(p.relative_to(site)) for p in (site / "notebooks").glob("*.html")),
    ]
    for scheme in ("light", "dark"):
        probe = PageProbe(browser, color_scheme=scheme)
        try:
            for rel in pages:
                probe.goto(f"{server}/{rel}")
                probe.page.wait_for_load_state("networkidle")
            assert probe.external == [], f"{scheme}: outside requests {probe.external}"
            assert probe.console_errors == [], f"{scheme}: {probe.console_errors}"
        finally:
            probe.close()


def test_there_are_explorer_pages(site):
    assert "chapters/02-spines.html" in explorer_pages(site)


def _frame_state(fig):
    return fig.evaluate("""(f) => ({src: f.querySelector('img.rw-frame').src,
        alt: f.querySelector('img.rw-frame').alt,
        values: Array.from(f.querySelectorAll('input[type=range]')).map(i => i.value),
        texts: Array.from(f.querySelectorAll('output')).map(o => o.textContent),
        aria: Array.from(f.querySelectorAll('input[type=range]'))
              .map(i => i.getAttribute('aria-valuetext'))})""")


def test_every_slider_moves_by_keyboard_and_by_value(site, server, probe):
    pages = explorer_pages(site)
    assert pages
    for rel in pages:
        page = probe.goto(f"{server}/{rel}")
        figures = page.locator("figure.rw-explorer")
        assert figures.count() >= 1
        for f in range(figures.count()):
            fig = figures.nth(f).element_handle()
            sliders = figures.nth(f).locator("input[type=range]")
            for s in range(sliders.count()):
                slider = sliders.nth(s)
                label = figures.nth(f).locator(f"label[for='{slider.get_attribute('id')}']")
                assert label.is_visible() and label.inner_text().strip(), f"{rel}: no label"
                before = _frame_state(fig)
                at_max = slider.get_attribute("value") == slider.get_attribute("max")
                slider.focus()
                page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
                after = _frame_state(fig)
                assert after["values"] != before["values"], f"{rel}: key did not move slider"
                assert after["src"] != before["src"], f"{rel}: frame unchanged by keyboard"
                assert after["texts"][s] != before["texts"][s]
                assert after["aria"][s] == after["texts"][s]
                # Setting the value directly (as assistive tech or a script would).
                slider.evaluate(
                    "(el) => { el.value = el.min;"
                    " el.dispatchEvent(new Event('input', {bubbles: true})); }"
                )
                at_min = _frame_state(fig)
                assert at_min["values"][s] == slider.get_attribute("min")
                # Frames are PNG files next to the site's pages (src/booktools/site.py).
                assert at_min["alt"] and "/_images/explorers/" in at_min["src"]
                assert at_min["src"].endswith(".png")
    assert probe.external == []
    assert probe.console_errors == []


def test_frame_swap_is_fast(site, server, probe):
    page = probe.goto(f"{server}/chapters/02-spines.html")
    ms = page.evaluate("""() => {
        const input = document.querySelector('figure.rw-explorer input[type=range]');
        const n = 50, t0 = performance.now();
        for (let i = 0; i < n; i++) {
            input.value = i % (+input.max + 1);
            input.dispatchEvent(new Event('input'));
        }
        return (performance.now() - t0) / n; }""")
    assert ms < 16, f"frame swap took {ms:.1f} ms"


def test_phone_width_page_does_not_scroll_sideways(site, server, browser):
    probe = PageProbe(browser, viewport={"width": 390, "height": 844})
    try:
        page = probe.goto(f"{server}/chapters/02-spines.html")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        img = page.locator("figure.rw-explorer img.rw-frame").first
        box = img.bounding_box()
        assert box["width"] <= 390
    finally:
        probe.close()


def test_page_weight_within_budget(site):
    for rel in explorer_pages(site):
        size = (site / rel).stat().st_size
        assert size <= 2_000_000, f"{rel} weighs {size / 1e6:.2f} MB (budget 2 MB)"
        blobs = re.findall(
            r'<script type="application/json" class="rw-data">(.*?)</script>',
            (site / rel).read_text(encoding="utf-8"),
            flags=re.DOTALL,
        )
        assert blobs, f"{rel}: explorer without frame data"
        for blob in blobs:
            data = json.loads(html.unescape(blob) if "&quot;" in blob else blob)
            assert len(data["frames"]) == math.prod(data["shape"]) >= 2


# axe-core (zero violations of any impact, every page, light and dark, desktop and phone)
# runs in tests/test_site.py::test_axe_finds_no_violation_on_any_page.


def test_phone_menu_button_opens_navigation(site, server, browser):
    probe = PageProbe(browser, viewport={"width": 390, "height": 844})
    try:
        page = probe.goto(f"{server}/chapters/02-spines.html")
        visible = [b for b in page.locator("button.primary-toggle").all() if b.is_visible()]
        assert visible, "no visible menu button at phone width"
        visible[0].click()
        page.wait_for_function(
            "document.getElementById('pst-primary-sidebar-modal').open", timeout=5000
        )
        nav_links = page.locator("#pst-primary-sidebar-modal a.reference")
        assert nav_links.count() >= 3 and nav_links.first.is_visible()
        assert probe.console_errors == []
    finally:
        probe.close()


_NARROW_STATE = """(f) => new Promise((resolve) => {
    const img = f.querySelector('img.rw-frame');
    const d = JSON.parse(f.querySelector('script.rw-data').textContent);
    const done = () => {
        const right = (el) => el.getBoundingClientRect().right;
        resolve({
            src: img.currentSrc,
            narrow: (d.narrow || []).map((u) => new URL(u, document.baseURI).href),
            textPx: d.narrowFontPx,
            shown: img.getBoundingClientRect().width,
            natural: img.naturalWidth,
            figRight: right(f),
            controlsRight: Math.max(...Array.from(
                f.querySelectorAll('.rw-control, .rw-control > *')).map(right)),
        });
    };
    if (img.complete && img.naturalWidth) done();
    else { img.addEventListener('load', done, {once: true}); setTimeout(done, 10000); }
})"""


def test_explorers_at_phone_width_stack_panels_with_readable_text(site, server, browser):
    """At 390 px every explorer shows its narrow frame (panels stacked). The smallest text of
    that frame (``narrowFontPx``, measured on the figure at build time, in image pixels),
    scaled by the width the image is shown at, is at least 11 CSS px; its sliders stay inside
    the figure, and the page does not scroll sideways. Moving a slider changes the frame the
    phone shows."""
    probe = PageProbe(browser, viewport={"width": 390, "height": 844})
    try:
        for rel in explorer_pages(site):
            page = probe.goto(f"{server}/{rel}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{rel} scrolls sideways by {overflow} px at 390 px"
            figures = page.locator("figure.rw-explorer")
            for i in range(figures.count()):
                fig = figures.nth(i)
                fig.scroll_into_view_if_needed()
                state = fig.evaluate(_NARROW_STATE)
                assert state["src"] in state["narrow"], f"{rel} #{i}: not the narrow frame"
                text_px = state["textPx"] * state["shown"] / state["natural"]
                assert text_px >= 11, f"{rel} #{i}: smallest figure text {text_px:.1f} CSS px"
                assert state["controlsRight"] <= state["figRight"] + 1, f"{rel} #{i}: controls"
            before = figures.first.evaluate(_NARROW_STATE)
            figures.first.locator("input[type=range]").first.evaluate(
                "(el) => { el.value = el.value === el.max ? el.min : el.max;"
                " el.dispatchEvent(new Event('input', {bubbles: true})); }"
            )
            after = figures.first.evaluate(_NARROW_STATE)
            assert after["src"] in after["narrow"]
            assert after["src"] != before["src"], f"{rel}: the slider left the phone's frame"
        assert probe.external == [] and probe.console_errors == []
    finally:
        probe.close()
