"""Schematics of structures and processes: spines, imaging, the two-pool model, dose to
receptor, the default mode network. Every public function is a diagram builder, found by its
name: it draws and returns a canvas; its alt text and caption are in ``texts.json`` (see
:mod:`explorers.diagrams`)."""

from __future__ import annotations

from models.imaging.dendrites import DEFAULT_IMAGING_DAYS

from .svg import WIDTH, Canvas


def _day(d: float) -> str:
    return f"day {int(d):+d}".replace("-", "\u2212") if d else "day 0"


#: The imaging timeline's days: the mouse study's imaging sessions and the dose (day 0).
_TIMELINE_DAYS = sorted({*DEFAULT_IMAGING_DAYS, 0.0})

#: Values the texts of a diagram name (``{sessions}`` in ``texts.json``), from the model.
TEXT_VALUES = {"imaging_timeline": {"sessions": ", ".join(_day(d) for d in _TIMELINE_DAYS if d)}}


def spine_anatomy():
    """A dendrite with a mushroom spine (synapse on its head) and a thin spine."""
    c = Canvas("dg-spine", 300)
    # axon with a bouton touching the mushroom spine's head
    c.path("M20,22 C70,26 92,38 104,58", cls="l-purple", width=4)
    c.circle(108, 68, 11, cls="h-purple")
    c.text(20, 16, "axon", anchor="start")
    c.text(126, 52, ["axon terminal", "(bouton)"], anchor="start")
    # synapse gap and label
    c.line(97, 84, 121, 84, cls="l-vermillion", width=3)
    c.text(134, 92, "synapse", anchor="start", cls="b")
    # mushroom spine: head + neck
    c.ellipse(110, 102, 24, 14, cls="h-green", width=2)
    c.path("M104,116 L104,170 M116,116 L116,170", cls="l-green", width=2)
    c.text(20, 110, ["spine", "head"], anchor="start")
    c.text(20, 148, "neck", anchor="start")
    c.line(52, 144, 100, 144, cls="ink", width=1)
    # thin spine
    c.ellipse(250, 128, 7, 7, cls="h-orange", width=2)
    c.line(250, 135, 250, 170, cls="l-orange", width=2)
    c.text(222, 70, ["thin spine:", "often comes and", "goes in days"], anchor="start", cls="")
    c.text(150, 125, ["mushroom", "spine: often", "lasts months"], anchor="start")
    # dendrite shaft
    c.rect(12, 170, WIDTH - 24, 34, cls="h-grey", r=17)
    c.text(WIDTH / 2, 192, "dendrite", cls="b")
    # scale bar
    c.line(290, 236, 330, 236, cls="ink", width=3)
    c.text(310, 256, "~1 µm", cls="")
    c.text(
        12,
        236,
        [
            "Most spines carry one excitatory",
            "synapse: counting spines per µm",
            "estimates synapses.",
        ],
        anchor="start",
    )
    return c


def two_photon_view():
    """The same stretch of dendrite on three imaging days: one spine forms, one is lost."""
    c = Canvas("dg-twophoton", 330)
    c.text(
        WIDTH / 2,
        20,
        [
            "In the living brain, a two-photon microscope",
            "finds the same dendrite again and again:",
        ],
    )
    spines = [60, 110, 160, 250, 300]
    rows = [("day \u22121", spines, None, None), ("day +1", spines, 205, None),
            ("day +3", [60, 110, 250, 300], 205, 160)]  # fmt: skip
    for i, (label, present, new, lost) in enumerate(rows):
        y = 88 + i * 72
        c.text(8, y + 5, label, anchor="start", cls="b")
        c.rect(70, y - 6, 280, 12, cls="h-grey", r=6)
        for x in present:
            x = x + 50
            c.line(x, y - 6, x, y - 26, cls="l-green", width=2)
            c.circle(x, y - 30, 5, cls="h-green", width=2)
        if new is not None:
            x = new + 50
            c.line(x, y - 6, x, y - 26, cls="l-vermillion", width=2)
            c.circle(x, y - 30, 5, cls="h-vermillion", width=2)
            if i == 1:
                c.text(x, y + 26, "new: formed", cls="b")
        if lost is not None:
            x = lost + 50
            c.circle(x, y - 30, 6, cls="ink dash", width=1.5)
            c.text(x - 10, y + 26, "gone: eliminated", cls="b")
    c.text(
        WIDTH / 2,
        300,
        ["density = spines counted \u00f7 length imaged", "(spines per µm)"],
    )
    return c


def two_pool():
    """Flow diagram of the two-pool model of spine turnover (chapter 02's equations)."""
    c = Canvas("dg-twopool", 330)
    c.text(110, 18, "formation f", cls="b")
    c.arrow(110, 24, 110, 52)
    c.box(20, 56, 180, 62, ["transient pool T", "new spines; most", "vanish within days"],
          cls="h-orange", bold_first=True)  # fmt: skip
    c.arrow(200, 87, 262, 87)
    c.text(300, 72, ["eliminated", "rate λ_T"])
    c.text(300, 112, "(fast)")
    c.arrow(110, 118, 110, 178)
    c.text(120, 146, "mature: rate k", anchor="start")
    c.box(20, 182, 180, 62, ["persistent pool P", "matured spines;", "last months"],
          cls="h-green", bold_first=True)  # fmt: skip
    c.arrow(200, 213, 262, 213)
    c.text(300, 198, ["eliminated", "rate λ_P"])
    c.text(300, 238, "(slow)")
    c.text(WIDTH / 2, 280, "spine density D = T + P", cls="b")
    c.text(WIDTH / 2, 304, "A dose raises f and k for about a day.")
    return c


def imaging_timeline():
    """The mouse imaging experiment as a vertical timeline: sessions and the one dose."""
    days = _TIMELINE_DAYS
    rows = len(days)
    last_gap = days[-1] - days[-2] > 10
    ys = [36 + i * 44 + (22 if last_gap and i == rows - 1 else 0) for i in range(rows)]
    c = Canvas("dg-timeline", ys[-1] + 70)
    x0 = 84
    c.line(x0, 30, x0, ys[-1] + 10, cls="ink", width=2)
    for i, (d, y) in enumerate(zip(days, ys, strict=True)):
        c.text(x0 - 14, y + 5, _day(d), anchor="end", cls="b")
        if d == 0:
            c.path(
                f"M{x0},{y - 10} L{x0 + 10},{y} L{x0},{y + 10} L{x0 - 10},{y} z",
                cls="h-vermillion",
                width=2,
            )
            c.text(
                x0 + 20,
                y - 2,
                ["one injection: psilocybin", "1 mg/kg or saline (i.p.)"],
                anchor="start",
            )
        else:
            c.circle(x0, y, 7, cls="h-blue", width=2)
            what = "image (before the dose)" if d < 0 else "image the same dendrites"
            if i == rows - 1:
                what = "image: 2 mice per group left"
            c.text(x0 + 20, y + 5, what, anchor="start")
        if last_gap and i == rows - 2:
            c.text(x0 + 20, y + 38, "\u2026 four weeks \u2026", anchor="start")
    y = ys[-1] + 50
    c.circle(20, y - 4, 6, cls="h-blue", width=2)
    c.text(32, y, "imaging session", anchor="start")
    c.path(f"M190,{y - 12} L198,{y - 4} L190,{y + 4} L182,{y - 4} z", cls="h-vermillion", width=2)
    c.text(206, y, "dose", anchor="start")
    return c


def dose_to_occupancy():
    """The chain from an oral dose to receptor occupancy (chapter 03)."""
    c = Canvas("dg-dose", 424)
    w, x, mid = 250, (WIDTH - 250) / 2, WIDTH / 2
    c.box(x, 8, w, 48, ["dose", "mg of psilocybin, by mouth"], cls="h-grey", bold_first=True)
    c.arrow(mid, 56, mid, 92)
    c.text(mid + 8, 72, ["absorbed; phosphate", "removed: psilocin"], anchor="start")
    c.rect(x, 96, w, 100, cls="h-blue")
    c.text(mid, 116, "concentration C(t)", cls="b")
    c.text(mid, 132.25, ["psilocin in the blood:", "rises, peaks, falls"])
    c.path(f"M{x + 60},190 C{x + 80},150 {x + 100},150 {x + 130},170 S{x + 170},188 {x + 190},190",
           cls="l-blue", width=2)  # fmt: skip
    c.arrow(mid, 196, mid, 232)
    c.text(mid + 8, 220, "binds 5-HT2A receptors", anchor="start")
    c.rect(x, 236, w, 100, cls="h-green")
    c.text(mid, 256, "receptor occupancy", cls="b")
    c.text(mid, 272.25, ["share of receptors bound:", "levels off at high C"])
    c.path(f"M{x + 60},330 C{x + 90},300 {x + 130},296 {x + 190},294", cls="l-green", width=2)
    c.arrow(mid, 336, mid, 372)
    c.text(mid + 8, 360, "went with", anchor="start")
    c.box(x, 376, w, 44, ["felt intensity (in people)"], cls="h-purple")
    return c


def dmn_brain():
    """The default mode network's core regions on a schematic midline view of the brain."""
    c = Canvas("dg-dmn", 320)
    # brain outline, midline (sagittal) view, front to the left; cerebellum and brainstem
    c.path(
        "M40,150 C28,90 70,30 150,26 C230,20 320,50 334,120 C342,160 322,190 292,196 "
        "C270,200 250,196 232,200 C200,206 170,214 130,212 C80,210 48,190 40,150 z",
        cls="h-grey",
        width=2,
    )
    c.path("M262,198 C300,200 322,216 300,236 C280,250 250,240 244,214", cls="h-grey", width=2)
    c.path("M214,206 L222,268 L244,268 L240,212", cls="h-grey", width=2)
    regions = {
        "mpfc": (78, 120),
        "pcc": (250, 96),
        "mtl": (184, 186),
    }
    for a, b in (("mpfc", "pcc"), ("pcc", "mtl"), ("mpfc", "mtl")):
        (x1, y1), (x2, y2) = regions[a], regions[b]
        c.line(x1, y1, x2, y2, cls="l-vermillion dash", width=2)
    for x, y in regions.values():
        c.circle(x, y, 15, cls="h-vermillion", width=2)
    c.circle(292, 150, 13, cls="l-vermillion dash", width=2)
    c.text(78, 96, "mPFC", cls="b")
    c.text(250, 72, ["PCC / precuneus"], cls="b")
    c.text(110, 236, ["medial temporal lobe", "(hippocampus)"], cls="b")
    c.line(140, 222, 172, 198, cls="ink", width=1)
    c.text(318, 184, "angular gyrus*", anchor="end", cls="b")
    c.text(8, 292, "\u2190 front", anchor="start")
    c.text(WIDTH - 8, 292, "back \u2192", anchor="end")
    c.text(WIDTH / 2, 288, ["* on the outer surface,", "one on each side"])
    return c


def gene_experiment():
    """The rat gene-expression experiment (chapter 05): dose, wait, two regions, qPCR."""
    c = Canvas("dg-genes", 396)
    w, x, mid = 280, (WIDTH - 280) / 2, WIDTH / 2
    c.box(x, 8, w, 48, ["rats: one dose of psilocybin", "(0.5 to 20 mg/kg) or saline"])
    c.arrow(mid, 56, mid, 90)
    c.text(mid + 8, 78, "one early time point", anchor="start")
    for i, region in enumerate((["prefrontal", "cortex"], ["hippocampus"])):
        bx = 20 + i * 170
        c.box(bx, 94, 150, 48, region, cls="h-blue")
        c.arrow(bx + 75, 142, mid + (i - 0.5) * 60, 180)
    c.box(x, 184, w, 66, ["qPCR: mRNA of 46 chosen", "genes (and 8 reference", "genes)"],
          cls="h-green")  # fmt: skip
    c.arrow(mid, 250, mid, 284)
    c.box(x, 288, w, 48, ["up or down, against saline,", "for each gene and region"])
    c.text(mid, 362, ["46 genes \u00d7 2 regions \u00d7 each dose:", "many tests at once"], cls="b")
    return c


def two_pathways():
    """Chapter 06's debate: acute signature via 5-HT2A, plasticity perhaps via another route."""
    c = Canvas("dg-pathways", 372)
    mid = WIDTH / 2
    c.box(mid - 80, 8, 160, 40, ["psilocin"], cls="h-grey")
    c.arrow(mid - 40, 48, 95, 92)
    c.arrow(mid + 40, 48, 265, 92)
    c.box(20, 96, 150, 48, ["5-HT2A receptor"], cls="h-vermillion")
    c.rect(190, 96, 150, 48, cls="h-blue dash")
    c.text(265, 116, "TrkB or another")
    c.text(265, 132, "route (proposed)")
    c.arrow(95, 144, 95, 218)
    c.arrow(265, 144, 265, 218)
    c.box(20, 222, 150, 48, ["head twitch", "(acute signature)"], cls="h-vermillion")
    c.box(190, 222, 150, 48, ["spine growth,", "plasticity"], cls="h-green")
    # ketanserin blocks the 5-HT2A arrow
    c.line(70, 180, 120, 180, cls="ink", width=4)
    c.text(128, 176, "ketanserin", anchor="start", cls="b")
    c.text(128, 192, "blocks", anchor="start")
    c.text(
        mid,
        300,
        ["With ketanserin (mice): the twitch went,", "the spine changes did not.",
         "One reading of the data; still debated."],
    )  # fmt: skip
    return c


def neuron_vs_spines():
    """Chapter 01: a whole neuron versus the spines on its dendrite that the study counted."""
    c = Canvas("dg-neuron", 352)
    # pyramidal neuron: apical dendrite up, basal dendrites, axon down
    c.path("M80,40 L80,196 M80,90 L52,62 M80,120 L112,92 M80,150 L50,128", cls="l-grey", width=3)
    c.path("M64,226 L36,250 M96,226 L124,252 M72,230 L60,268", cls="l-grey", width=3)
    c.path("M80,230 L80,300", cls="l-purple", width=2)
    c.path("M80,190 L100,230 L60,230 z", cls="h-grey", width=2)
    for y in (52, 66, 80, 104, 134, 164, 178):
        c.line(80, y, 86, y - 4, cls="l-green", width=2)
    c.text(80, 322, ["one neuron", "(a whole cell)"], cls="b")
    c.text(100, 300, "axon", anchor="start")
    c.text(8, 36, "dendrites", anchor="start")
    c.text(8, 206, "cell body", anchor="start")
    # zoom from a stretch of the apical dendrite
    c.circle(80, 72, 18, cls="ink dash", width=1.5)
    c.line(96, 62, 212, 40, cls="ink dash", width=1)
    c.line(96, 84, 212, 176, cls="ink dash", width=1)
    c.circle(262, 108, 76, cls="ink", width=1.5)
    c.rect(250, 36, 24, 144, cls="h-grey", r=10)
    for y, side in ((60, 1), (84, -1), (104, 1), (128, -1), (150, 1), (166, -1)):
        x0 = 274 if side > 0 else 250
        x1 = x0 + 18 * side
        c.line(x0, y, x1, y, cls="l-green", width=2.5)
        c.circle(x1 + 5 * side, y, 6, cls="h-green", width=2)
    c.text(262, 204, ["spines on its dendrite:", "what the study counted"], cls="b")
    c.text(
        262,
        256,
        ["More spines on existing", "neurons is not new", "neurons: none were", "counted."],
    )
    return c


def rebus_chain():
    """Chapter 08: the REBUS hypothesis as a chain, every link drawn dashed (proposed)."""
    c = Canvas("dg-rebus", 418)
    x, w, mid = 30, WIDTH - 60, WIDTH / 2
    steps = [
        (["a psychedelic acts on", "5-HT2A receptors"], "h-grey", "ink"),
        (["high-level priors (beliefs)", "are relaxed: less weight"], "h-blue", "ink dash"),
        (["the energy landscape flattens:", "valleys (habits) less deep"], "h-blue", "ink dash"),
        (["brain activity visits more", "states: higher entropy"], "h-blue", "ink dash"),
        (["over-weighted beliefs could", "be revised (therapy idea)"], "h-purple", "ink dash"),
    ]
    for i, (lines, cls, _) in enumerate(steps):
        y = 8 + i * 80
        c.box(x, y, w, 50, lines, cls=cls)
        if i < len(steps) - 1:
            c.line(mid, y + 50, mid, y + 76, cls=steps[i + 1][2], width=1.5, arrow=True)
    c.text(mid, 410, "Dashed arrows: proposed, not established.", cls="b")
    return c
