"""The explorer machinery (explorers.core): controls, frames, static HTML and the mimebundle.

Every real explorer is checked by test_explorer_contract.py; these tests use a tiny explorer
whose model only counts its calls.
"""

from __future__ import annotations

import json
import re

import pytest
from matplotlib.text import Text

from explorers.core import (
    STATIC_BUILD_ENV,
    ChoiceControl,
    Control,
    Explorer,
    IntControl,
    in_words,
    widget_view_bundle,
)
from explorers.imaging import explore_imaging_experiment, explore_stress_recovery
from explorers.spines import SLIDER_CHOICES, explore_spine_turnover, plot_spine_density
from models._params import Bounds, bounds_of
from models.spines import SpineParams, simulate_spine_density


def counting_explorer():
    calls = []

    def compute(x):
        calls.append(x)
        return x

    def draw(result, ax, **values):
        ax.plot([0, 1], [0, result])
        ax.set_ylim(0, 3)
        ax.set_xlabel("time (days)")
        ax.set_ylabel("value (a.u.)")

    e = Explorer(
        compute=compute,
        draw=draw,
        controls=[Control("x", "X", (0.0, 1.0, 2.0), 1.0, unit="u")],
        title="test",
        alt="Line to {x}",
        caption="Moving X moves the line.",
    )
    return e, calls


def test_slider_change_calls_model_once_and_updates_same_figure():
    e, calls = counting_explorer()
    box = e.widget()
    fig = e.figure()
    first = box.image.value
    calls.clear()
    box.sliders[0].value = 2.0
    assert calls == [2.0]
    assert box.image.value != first
    assert e.figure() is fig and len(fig.axes) == 1
    box.sliders[0].value = 0.0
    assert calls == [2.0, 0.0]
    assert e.figure() is fig and len(fig.axes) == 1


def test_static_html_has_every_frame_labels_and_aria():
    e, calls = counting_explorer()
    page = e.static_html()
    data = json.loads(re.search(r'class="rw-data">(.*?)</script>', page).group(1))
    assert data["shape"] == [3] and len(data["frames"]) == 3
    assert len(set(data["frames"])) == 3, "frames should differ"
    assert data["alts"] == ["Line to 0 u", "Line to 1 u", "Line to 2 u"]
    assert '<label for="' in page and 'aria-valuetext="1 u"' in page
    assert "<figcaption>Moving X moves the line.</figcaption>" in page
    assert sorted(calls) == [0.0, 1.0, 2.0]


def test_mimebundle_in_a_book_build_offers_live_widget_and_every_frame(monkeypatch):
    monkeypatch.setenv(STATIC_BUILD_ENV, "1")
    e, calls = counting_explorer()
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<figure class="rw-explorer"')
    assert 'class="rw-data"' in bundle["text/html"]
    assert sorted(set(calls)) == [0.0, 1.0, 2.0]


def test_mimebundle_in_a_live_kernel_renders_one_frame_only(monkeypatch):
    monkeypatch.delenv(STATIC_BUILD_ENV, raising=False)
    e, calls = counting_explorer()
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert calls == [1.0], "a live explorer must not precompute the static frames"
    page = bundle["text/html"]
    assert page.count("<img") == 1 and 'class="rw-data"' not in page
    assert 'alt="Line to 1 u"' in page


def test_widget_view_bundle_without_repr_mimebundle_like_ipywidgets_7():
    class Widget7:  # ipywidgets 7 widgets display via _ipython_display_ only
        _view_name = "VBoxView"
        model_id = "abc123"

    view = widget_view_bundle(Widget7())
    assert view == {
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": "abc123",
        }
    }


def test_unknown_control_is_rejected_with_clear_error():
    with pytest.raises(ValueError, match="control must be one of"):
        explore_spine_turnover(control="temperature")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"values": (1.0,), "default": 1.0}, "at least 2 values"),
        ({"values": (2.0, 1.0), "default": 1.0}, "increase strictly"),
        ({"values": (1.0, 2.0), "default": 3.0}, "not one of"),
    ],
)
def test_bad_control_definitions_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Control("x", "X", **kwargs)


def test_frames_yield_values_png_and_alt_in_grid_order():
    e, calls = counting_explorer()
    frames = list(e.frames())
    assert [f.values for f in frames] == e.grid() == [{"x": 0.0}, {"x": 1.0}, {"x": 2.0}]
    assert all(f.png.startswith(b"\x89PNG") for f in frames)
    assert [f.alt for f in frames] == ["Line to 0 u", "Line to 1 u", "Line to 2 u"]


def test_control_of_takes_bounds_and_default_from_the_model():
    c = Control.of(SpineParams, "formation_boost", "Boost", (0.0, 6.0, 12.0))
    assert c.bounds == bounds_of(SpineParams, "formation_boost")
    assert c.default == SpineParams().formation_boost
    with pytest.raises(ValueError, match=r"formation_boost.*outside the valid range \[0, 20\]"):
        Control.of(SpineParams, "formation_boost", "Boost", (0.0, 6.0, 40.0))


def test_int_control_keeps_integers_and_refuses_floats():
    c = IntControl("n", "N", (2, 4, 8), 4, bounds=Bounds(1, 10))
    assert c.values == (2, 4, 8) and all(type(v) is int for v in c.values)
    assert c.default_index == 1 and c.text(8) == "8"
    with pytest.raises(ValueError, match="integers"):
        IntControl("n", "N", (2, 4.5), 2)


def test_choice_control_passes_the_choice_itself_and_shows_its_name():
    c = ChoiceControl(
        "gene",
        "Gene",
        (("Fos", "PFC"), ("Arc", "hippocampus")),
        ("Fos", "PFC"),
        names=("c-Fos (PFC)", "Arc (hippocampus)"),
    )
    assert c.text(("Arc", "hippocampus")) == "Arc (hippocampus)" and c.default_index == 0
    with pytest.raises(ValueError, match="names"):
        ChoiceControl("gene", "Gene", ("a", "b", "c"), "a", names=("A",))
    with pytest.raises(ValueError, match="not one of"):
        ChoiceControl("gene", "Gene", ("a", "b"), "z", names=("A", "B"))


def test_in_words_spells_small_counts():
    assert (in_words(3), in_words(4), in_words(18)) == ("three", "four", "18")


def test_plot_has_data_and_labels_with_units():
    ax = plot_spine_density(
        simulate_spine_density(dose_mg_per_kg=1.0),
        reference=simulate_spine_density(dose_mg_per_kg=0.0),
    )
    assert len(ax.lines) >= 2
    assert "days" in ax.get_xlabel() and "%" in ax.get_ylabel()


def _texts_outside_figure(explorer) -> list[str]:
    """Every text of every frame (labels, ticks, legends, annotations) not inside the figure."""
    bad = []
    for frame in explorer.frames():  # each frame is rendered just before it is yielded
        fig = explorer.figure()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        hidden = set()  # labels of ticks outside the view limits are never drawn
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                low, high = sorted(axis.get_view_interval())
                for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                    if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                        hidden.update({id(tick.label1), id(tick.label2)})
        texts = [
            t
            for ax in fig.axes
            for t in ax.findobj(Text)
            if t.get_visible() and t.get_text() and id(t) not in hidden
        ]
        for t in texts:
            ext = t.get_window_extent(renderer)
            inside = (
                ext.x0 >= box.x0 - 1
                and ext.x1 <= box.x1 + 1
                and ext.y0 >= box.y0 - 1
                and ext.y1 <= box.y1 + 1
            )
            if not inside:
                bad.append(f"{frame.values}: {t.get_text()!r} at {ext.bounds}")
    return bad


@pytest.mark.parametrize(
    "factory",
    [
        *(lambda c=c: explore_spine_turnover(control=c) for c in SLIDER_CHOICES),
        explore_imaging_experiment,
        explore_stress_recovery,
    ],
    ids=[*SLIDER_CHOICES, "imaging_experiment", "stress_recovery"],
)
def test_no_text_is_clipped_in_any_frame_of_the_spine_explorers(factory):
    # Chapter 02's day-34 label used to run off the figure's right edge.
    assert _texts_outside_figure(factory()) == []


def test_the_clip_check_catches_a_label_off_the_edge():
    e, _ = counting_explorer()
    draw = e.draw

    def draw_off_edge(result, ax, **values):
        draw(result, ax, **values)
        # Inside in the first frame (which fixes the layout), further right in each next one.
        ax.annotate("cut off", (1.0, 1.0), textcoords="offset points", xytext=(300 * result, 0))

    e.draw = draw_off_edge
    bad = _texts_outside_figure(e)
    assert bad and all("'cut off'" in b for b in bad)
    assert not any(b.startswith("{'x': 0.0}") for b in bad)


def test_spine_legend_never_names_one_state_twice():
    # At dose 0 the dosed line is saline too: its legend entry must not repeat the
    # reference's "saline (0 mg/kg)" as if two different curves were drawn.
    e = explore_spine_turnover(control="dose")
    for dose in e.controls[0].values:
        e.render(dose=dose)
        labels = [t.get_text() for t in e._axes[0].get_legend().get_texts()]
        assert len(labels) == len(set(labels)), labels
        assert (f"psilocybin {dose:g} mg/kg" in labels) == (dose > 0)
