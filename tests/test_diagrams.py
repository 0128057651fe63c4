"""Concept diagrams (explorers.diagrams): each renders as accessible SVG with its words inside,
says it is a schematic, agrees with the science it draws, fits a phone and reads in light and
dark mode (checked in chromium on a test page and, with the built book, on chapter pages)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from explorers.diagrams import all_diagrams, diagram
from explorers.diagrams.svg import FILL_OPACITY, HUES, MIN_FONT, WIDTH
from models.imaging.dendrites import DEFAULT_IMAGING_DAYS

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
#: pydata-sphinx-theme's page background and text colour, light and dark.
THEMES = {"light": ("#ffffff", "#222832"), "dark": ("#14181e", "#ced6dd")}
#: Where each diagram must appear (chapter file) and words its figure must contain.
EXPECTED = {
    "neuron_vs_spines": ("01-introduction", ["one neuron", "what the study counted"]),
    "spine_anatomy": ("02-spines", ["dendrite", "synapse", "spine", "~1 µm"]),
    "two_pool": ("02-spines", ["transient pool T", "persistent pool P", "formation f"]),
    "two_photon_view": ("04-evidence-spines", ["new: formed", "gone: eliminated"]),
    "imaging_timeline": ("04-evidence-spines", ["1 mg/kg or saline (i.p.)", "day 0"]),
    "dose_to_occupancy": ("03-pharmacology", ["concentration C(t)", "receptor occupancy"]),
    "dmn_brain": ("07-networks", ["mPFC", "PCC / precuneus", "(hippocampus)", "angular gyrus*"]),
    "gene_experiment": ("05-evidence-genes", ["hippocampus", "(0.5 to 20 mg/kg) or saline"]),
    "two_pathways": ("06-evidence-mechanisms", ["5-HT2A receptor", "ketanserin", "(proposed)"]),
    "claim_ladder": ("11-headlines", ["headline", "what was measured", "the paper\u2019s title"]),
    "rebus_chain": ("08-entropic-brain", ["5-HT2A receptors", "higher entropy"]),
    "nested_design": ("09-design-animals", ["M1", "M6", "psilocybin", "saline"]),
    "trial_arms": ("10-design-people", ["25 mg", "10 mg", "1 mg", "active placebo"]),
}


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_every_diagram_is_expected_and_used_in_its_chapter():
    assert set(all_diagrams()) == set(EXPECTED)
    for name, (chapter, _) in EXPECTED.items():
        text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
        assert f'diagram("{name}")' in text, f"{name} is not shown in chapters/{chapter}.md"
    used = set()
    for md in (ROOT / "chapters").rglob("*.md"):
        used |= set(re.findall(r'diagram\("(\w+)"\)', md.read_text(encoding="utf-8")))
    assert used <= set(all_diagrams()), (
        f"unknown diagrams in chapters: {used - set(all_diagrams())}"
    )


def test_every_diagram_has_its_texts_and_every_text_a_diagram():
    texts = json.loads(
        (ROOT / "src" / "explorers" / "diagrams" / "texts.json").read_text(encoding="utf-8")
    )
    assert set(texts) == set(all_diagrams())
    assert all(set(t) == {"alt", "caption"} for t in texts.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_diagram_is_accessible_svg_with_its_words_inside(name):
    d = diagram(name)
    root = ET.fromstring(d.svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-label") == d.alt and len(d.alt) > 80
    assert root.find(f"{SVG}title").text == d.alt
    assert d.caption.startswith("Schematic")
    assert "Schematic" in d._repr_html_() and "<figcaption>" in d._repr_html_()
    texts = _texts(d.svg)
    assert len(texts) >= 5, "a diagram names its parts inside the figure"
    for word in EXPECTED[name][1]:
        assert any(word in t for t in texts), f"{name}: {word!r} missing from the figure"
    # drawn for a phone: one width for every diagram, no text below the minimum size
    assert root.get("viewBox").split()[2] == str(WIDTH)
    sizes = [float(s) for s in re.findall(r"font-size:(\d+(?:\.\d+)?)px", d.svg)]
    assert sizes and min(sizes) >= MIN_FONT
    # ids are prefixed by the diagram, so several diagrams share a page
    ids = re.findall(r'id="([^"]+)"', d.svg)
    assert all(i.startswith("dg-") for i in ids) and len(ids) == len(set(ids))
    assert len(d._repr_html_().encode()) < 12_000, "keep each diagram small (page weight)"


def test_diagrams_share_no_ids():
    ids = [i for n in all_diagrams() for i in re.findall(r'id="([^"]+)"', diagram(n).svg)]
    assert len(ids) == len(set(ids))


def test_timeline_draws_the_model_sessions_and_the_dose():
    texts = _texts(diagram("imaging_timeline").svg)
    days = [t for t in texts if t.startswith("day ")]
    assert len(days) == len(DEFAULT_IMAGING_DAYS) + 1  # every session plus the dose day
    assert days[0] == "day \u22123" and days[-1] == "day +34"


def test_dmn_regions_are_the_core_regions():
    alt = diagram("dmn_brain").alt
    for region in (
        "medial prefrontal cortex",
        "posterior cingulate",
        "precuneus",
        "angular gyrus",
        "hippocampus",
    ):
        assert region in alt


def test_unknown_diagram_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown diagram 'nope'.*two_pool"):
        diagram("nope")


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _blend(fg: str, bg: str, alpha: float) -> str:
    f = [int(fg[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(bg[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(alpha * x + (1 - alpha) * y):02x}" for x, y in zip(f, b, strict=True)
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_colours_read_in_light_and_dark_mode(mode):
    """Text (the theme's colour) on every tinted box passes WCAG AA (4.5:1); strokes keep
    3:1 against the page (WCAG's minimum for graphics)."""
    page, text = THEMES[mode]
    for name, (light, dark) in HUES.items():
        hue = light if mode == "light" else dark
        box = _blend(hue, page, FILL_OPACITY)
        assert _contrast(text, box) >= 4.5, f"{mode}: text on {name} box"
        if name != "grey":
            assert _contrast(hue, page) >= 3.0, f"{mode}: {name} stroke on the page"


_MEASURE = r"""() => [...document.querySelectorAll('svg.rwd')].map(svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return {x: b.x, y: b.y, w: b.width, h: b.height,
            px: parseFloat(getComputedStyle(t).fontSize) * scale,
            fill: getComputedStyle(t).fill};
  });
  let e = svg, bg = 'rgba(0, 0, 0, 0)';
  while (e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
    bg = getComputedStyle(e).backgroundColor; e = e.parentElement; }
  return {id: svg.id, width: box.width, vw: svg.viewBox.baseVal.width,
          vh: svg.viewBox.baseVal.height, texts, bg};
})"""


def _rgb_hex(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_diagrams_in_chromium_fit_a_phone_and_follow_the_theme(browser, mode):
    """At 390 px every word is inside its figure, none overlaps another, text is >= 11 CSS px,
    and the text colour is the theme's (readable on the theme's background)."""
    page_bg, text = THEMES[mode]
    # Each diagram sits in an output panel that the theme paints light in dark mode, with the
    # theme's own selector (pydata-sphinx-theme 0.17).
    body = "".join(
        '<div class="bd-content"><div class="cell_output"><div class="output text_html">'
        f"{diagram(n)._repr_html_()}</div></div></div>"
        for n in all_diagrams()
    )
    html = (
        f'<html data-theme="{mode}"><head><style>:root{{--pst-color-text-base:{text};'
        f"--pst-color-background:{page_bg}}}"
        f"body{{background:{page_bg};margin:0;padding:0 16px}}"
        'html[data-theme="dark"] .bd-content div.cell_output .text_html:not(:has(table.dataframe))'
        "{background-color:#ced6dd;color:#222832;padding:.5rem}</style></head>"
        f"<body>{body}</body></html>"
    )
    ctx = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = ctx.new_page()
        page.set_content(html)
        found = page.evaluate(_MEASURE)
    finally:
        ctx.close()
    assert len(found) == len(all_diagrams())
    for svg in found:
        assert (_luminance(_rgb_hex(svg["bg"])) < 0.05) == (mode == "dark"), svg["id"]
        for t in svg["texts"]:
            assert t["px"] >= 11, f"{svg['id']}: text {t['px']:.1f} px at 390 px"
            assert t["x"] >= -0.5 and t["x"] + t["w"] <= svg["vw"] + 0.5, f"{svg['id']}: {t}"
            assert t["y"] >= -0.5 and t["y"] + t["h"] <= svg["vh"] + 0.5, f"{svg['id']}: {t}"
            assert _contrast(_rgb_hex(t["fill"]), _rgb_hex(svg["bg"])) >= 4.5, f"{svg['id']}"
        boxes = svg["texts"]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                assert overlap_x <= 1 or overlap_y <= 1, f"{svg['id']}: text overlaps {a} {b}"


def test_diagrams_on_chapter_pages_in_dark_mode_at_phone_width(server, browser):
    """The built book at 390 px in dark mode: every chapter shows its diagrams, each fits the
    screen, and its words are >= 11 px and readable on what is really behind them (the
    theme paints output panels light; a diagram must not end up light-on-light)."""
    from conftest import PageProbe

    by_chapter: dict[str, set[str]] = {}
    for name, (chapter, _) in EXPECTED.items():
        svg_id = ET.fromstring(diagram(name).svg).get("id")
        by_chapter.setdefault(chapter, set()).add(svg_id)
    with PageProbe(browser, viewport={"width": 390, "height": 844}, color_scheme="dark") as p:
        for chapter, ids in sorted(by_chapter.items()):
            page = p.goto(f"{server}/chapters/{chapter}.html")
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            found = page.evaluate(_MEASURE)
            assert {s["id"] for s in found} == ids, chapter
            for svg in found:
                assert svg["width"] <= 390 - 2 * 8, f"{chapter}: {svg['id']} too wide"
                assert _luminance(_rgb_hex(svg["bg"])) < 0.05, f"{svg['id']} not dark"
                for t in svg["texts"]:
                    assert t["px"] >= 11, f"{chapter}: {svg['id']} text {t['px']:.1f} px"
                    contrast = _contrast(_rgb_hex(t["fill"]), _rgb_hex(svg["bg"]))
                    assert contrast >= 4.5, f"{chapter}: {svg['id']} {contrast:.1f}:1"
        assert p.console_errors == [] and p.external == []
