"""Schematics of study designs: nested measurements (chapter 09) and a trial's arms and
blinding (chapter 10). Every public function is a diagram builder, found by its name: it draws
and returns a canvas; its alt text and caption are in ``texts.json`` (see
:mod:`explorers.diagrams`)."""

from __future__ import annotations

from .svg import WIDTH, Canvas


def nested_design():
    """Treatment groups > mice > dendrites: where the independent units are."""
    c = Canvas("dg-nested", 300)
    left, gw = 100, (WIDTH - 100 - 12) / 2
    c.text(6, 40, ["treatment", "groups"], anchor="start", cls="b")
    c.text(6, 110, ["mice: the", "independent", "units"], anchor="start", cls="b")
    c.text(6, 200, ["dendrites:", "repeated", "measures"], anchor="start", cls="b")
    groups = (("psilocybin", "h-vermillion", left), ("saline", "h-blue", left + gw + 12))
    for g, (name, cls, gx) in enumerate(groups):
        c.box(gx, 28, gw, 34, [name], cls=cls)
        for j in range(3):
            mx = gx + gw * (j + 0.5) / 3
            c.line(gx + gw / 2, 62, mx, 104, cls="ink", width=1.2)
            c.circle(mx, 118, 14, cls=cls, width=2)
            c.text(mx, 123, f"M{j + 1 + 3 * g}", cls="b")
            for k in range(3):
                dx = mx + (k - 1) * 11
                c.line(mx, 132, dx, 180, cls="ink", width=1)
                c.rect(dx - 4, 182, 8, 28, cls="h-green", r=4)
    c.text(
        WIDTH / 2,
        250,
        ["n for the comparison = number of mice,", "not number of dendrites."],
        cls="b",
    )
    return c


def trial_arms():
    """The dose-comparison trial: randomization into three arms, blinding, one primary outcome."""
    c = Canvas("dg-trial", 398)
    mid = WIDTH / 2
    c.box(30, 6, WIDTH - 60, 46, ["233 people with treatment-", "resistant depression"])
    c.arrow(mid, 52, mid, 84)
    c.text(mid + 8, 74, "randomized", anchor="start", cls="b")
    c.rect(6, 88, WIDTH - 12, 170, cls="ink dash", r=10)
    c.text(mid, 108, "double-blind: dose not told", cls="b")
    c.text(mid, 126, "to participants or raters")
    arms = (("25 mg", "79 people", "h-vermillion"), ("10 mg", "75 people", "h-orange"),
            ("1 mg", "79 people", "h-blue"))  # fmt: skip
    aw = (WIDTH - 12 - 4 * 8) / 3
    for i, (dose, n, cls) in enumerate(arms):
        ax = 14 + i * (aw + 8)
        c.line(mid, 134, ax + aw / 2, 144, cls="ink", width=1.2)
        c.box(ax, 146, aw, 58, [dose, n], cls=cls, bold_first=True)
    c.text(14 + 2 * (aw + 8) + aw / 2, 222, "active placebo")
    c.text(mid, 246, "one dose each, with psychological support")
    c.arrow(mid, 258, mid, 290)
    c.box(30, 294, WIDTH - 60, 46, ["primary outcome: change in", "MADRS score at week 3"])
    c.text(mid, 362, ["But strong effects can reveal the dose:", "functional unblinding."], cls="b")
    return c


def claim_ladder():
    """Chapter 11: how a measurement becomes a paper's title, then a headline."""
    c = Canvas("dg-ladder", 430)
    x, w, mid = 30, WIDTH - 60, WIDTH / 2
    headline = ["headline", "\u201cPsilocybin Regenerates", "Neurons Lost In Depression\u201d"]
    c.box(x, 8, w, 66, headline, cls="h-vermillion", bold_first=True)
    c.arrow(mid, 142, mid, 78)
    c.text(mid + 10, 98, "spines became neurons;", anchor="start")
    c.text(mid + 10, 114, "healthy mice became", anchor="start")
    c.text(mid + 10, 130, "depressed people", anchor="start")
    title = [
        "the paper\u2019s title",
        "\u201cPsilocybin induces rapid and",
        "persistent growth of dendritic",
        "spines in frontal cortex in vivo\u201d",
    ]
    c.box(x, 146, w, 84, title, cls="h-blue", bold_first=True)
    c.arrow(mid, 300, mid, 234)
    c.text(mid + 10, 256, "a summary: \u201cpersistent\u201d", anchor="start")
    c.text(mid + 10, 272, "rests on 2 mice per", anchor="start")
    c.text(mid + 10, 288, "group at day 34", anchor="start")
    c.box(x, 304, w, 84, ["what was measured", "spine density on dendrites of",
                          "healthy mice, before and after", "one dose or saline"],
          cls="h-green", bold_first=True)  # fmt: skip
    c.text(mid, 414, "Read upwards: each step adds a claim.", cls="b")
    return c
