"""The explorer contract, checked for every explorer of the book by one parametrized test.

Every factory in :func:`explorers.registry.all_explorers` must give an explorer that

- precomputes at most :data:`explorers.core.MAX_FRAMES` frames;
- changes its frame whenever any slider moves one step (a frame that does not change tells the
  reader nothing, and the browser test relies on it);
- offers only slider values inside the valid range of the model parameter they set;
- runs the model once per slider change, and redraws the one figure it owns;
- gives every frame alt text that names every slider's value;
- keeps its axis labels the same in every frame (only the data move);
- draws the same default frame every time it is made (fixed seeds), and creates no pyplot
  figures.
"""

from __future__ import annotations

import pytest

from explorers.core import MAX_FRAMES
from explorers.registry import all_explorers

EXPLORERS = all_explorers()
NAMES = list(EXPLORERS)


class Rendered:
    """An explorer with every frame rendered once (shared by the tests of one explorer)."""

    def __init__(self, name: str) -> None:
        self.explorer = EXPLORERS[name]()
        self.frames = []
        self.labels = []
        for frame in self.explorer.frames():
            self.frames.append(frame)
            fig = self.explorer.figure()
            self.labels.append([(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes])

    def png(self, values: dict) -> bytes:
        return next(f.png for f in self.frames if f.values == values)


_cache: dict[str, Rendered] = {}


@pytest.fixture(params=NAMES)
def rendered(request) -> Rendered:
    if request.param not in _cache:
        _cache[request.param] = Rendered(request.param)
    return _cache[request.param]


def test_registry_finds_every_chapter_explorer():
    modules = {name.split(".")[0] for name in NAMES}
    assert {
        "spines",
        "pharmacology",
        "imaging",
        "genes",
        "mechanisms",
        "networks",
        "landscape",
        "study_design",
        "headlines",
    } <= modules


def test_frame_count_is_within_the_budget(rendered):
    e = rendered.explorer
    assert 2 <= len(rendered.frames) == len(e.grid()) <= MAX_FRAMES
    assert all(f.png.startswith(b"\x89PNG") for f in rendered.frames)


def test_neighbouring_frames_differ(rendered):
    controls = rendered.explorer.controls
    for frame in rendered.frames:
        for c in controls:
            i = c.values.index(frame.values[c.name])
            if i + 1 < len(c.values):
                nxt = {**frame.values, c.name: c.values[i + 1]}
                same = rendered.png(nxt) == frame.png
                assert not same, f"moving {c.name} from {frame.values} changes nothing"


def test_slider_values_lie_inside_the_models_bounds(rendered):
    for c in rendered.explorer.controls:
        if c.kind == "choice":
            assert len(set(c.values)) == len(c.values), c.name
            continue
        assert c.bounds is not None, f"{c.name}: a numeric slider must carry the model's bounds"
        assert all(c.bounds.contains(v) for v in c.values), (c.name, c.bounds.describe())
        if c.kind == "int":
            assert all(type(v) is int for v in c.values), c.name


def test_every_frame_has_alt_text_naming_each_value(rendered):
    for frame in rendered.frames:
        assert frame.alt.strip(), frame.values
        for c in rendered.explorer.controls:
            assert c.text(frame.values[c.name]) in frame.alt, (c.name, frame.alt)


def test_axis_labels_do_not_change_between_frames(rendered):
    first = rendered.labels[0]
    assert any(x or y for x, y in first), "the figure needs axis labels"
    assert all(labels == first for labels in rendered.labels)


@pytest.mark.parametrize("name", NAMES)
def test_one_model_run_per_slider_change_on_one_figure(name):
    import matplotlib.pyplot as plt

    pyplot_figures = plt.get_fignums()
    e = EXPLORERS[name]()
    calls = []
    compute = e.compute

    def counting(**values):
        calls.append(values)
        return compute(**values)

    e.compute = counting
    box = e.widget()
    fig = e.figure()
    for slider, c in zip(box.sliders, e.controls, strict=True):
        calls.clear()
        before = box.image.value
        options = [v for _, v in slider.options]
        slider.value = options[(options.index(slider.value) + 1) % len(options)]
        assert len(calls) == 1, (c.name, calls)
        got = calls[0][c.name]
        assert got in c.values, (c.name, got)
        if c.kind == "int":  # an int slider hands the model ints, never floats
            assert type(got) is int, (c.name, got)
        changed = box.image.value != before
        assert changed, c.name
        assert e.figure() is fig
    assert plt.get_fignums() == pyplot_figures
    assert e.frame_png(**e.defaults) == EXPLORERS[name]().frame_png(**e.defaults)
