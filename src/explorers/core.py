"""One explorer object, three places to use it.

An :class:`Explorer` couples a model (``compute``) with a drawing function (``draw``) and one
or two :class:`Control` s (sliders). Displaying it gives:

1. **Live Jupyter, Colab, Binder**: ipywidgets sliders that recompute the model and redraw
   one figure in place (an ``ipywidgets.Image`` holding a PNG of one reused
   :class:`~matplotlib.figure.Figure`; no pyplot, so no figure is leaked).
2. **The static book, no kernel**: a ``text/html`` fallback with every frame precomputed at
   build time (quantized PNGs) and a range input per control; a few lines of inline
   JavaScript swap the frame. The book picks this output through MyST-NB's
   ``nb_mime_priority_overrides``.
3. **Print, PDF and screen readers**: the default frame is the ``<img>`` the page starts with,
   with alt text for the current values, a visible label and value per slider, ARIA
   ``aria-valuetext``, and a caption that says what the sliders change.

A chapter calls one function per explorer (for example
:func:`explorers.spines.explore_spine_turnover`), which returns an :class:`Explorer`.
"""

from __future__ import annotations

import base64
import html
import itertools
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .controls import ChoiceControl, Control, IntControl
from .png import figure_to_png
from .style import new_figure, style_context

__all__ = [
    "MAX_FRAMES",
    "ChoiceControl",
    "Control",
    "Explorer",
    "Frame",
    "IntControl",
    "axes_or_new",
    "in_words",
    "figure_to_png",
    "show",
    "static_legend",
]

#: Upper limit on precomputed frames per explorer (page weight and build time). The one
#: frame budget: the explorer contract test reads it from here.
MAX_FRAMES = 60


class Frame(NamedTuple):
    """One precomputed frame of an explorer (see :meth:`Explorer.frames`)."""

    values: dict[str, Any]
    png: bytes
    alt: str


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(n: int) -> str:
    """A small count in words, as captions write it (``in_words(4) == "four"``; 11 and up
    stay digits)."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def axes_or_new(ax: Axes | None, size: tuple[float, float] | None = None) -> Axes:
    """``ax`` itself, or the axes of a new figure (``size`` in inches) when ``ax`` is None.

    Every ``plot_*`` function starts with it, so it can draw on an explorer's axes or alone.
    """
    if ax is not None:
        return ax
    return (new_figure() if size is None else new_figure(*size)).add_subplot()


def static_legend(ax: Axes, handles, **kwargs) -> None:
    """A legend that stays the same in every frame, drawn once.

    An explorer redraws an axes' own legend on every frame, and legends are slow to draw.
    A legend whose entries never change lives instead on a transparent child axes laid over
    ``ax``: it is drawn with the axes' decorations and reused (once per axes).
    """
    if getattr(ax, "_static_legend", None) is None:
        holder = ax.inset_axes([0.0, 0.0, 1.0, 1.0])
        holder.set_axis_off()
        holder.legend(handles=handles, **kwargs)
        ax._static_legend = holder


def show(obj: Figure | Axes, *, alt: str | None = None):
    """Display a figure (or the figure of an axes) in any notebook frontend and in the book.

    Book figures are plain :class:`~matplotlib.figure.Figure` objects without pyplot, which
    Jupyter does not display by itself; this returns an ``IPython.display.Image`` of the
    figure as PNG. End a cell with ``show(ax)`` to see a ``plot_*`` result.
    """
    from IPython.display import Image

    fig = obj.figure if isinstance(obj, Axes) else obj
    if not isinstance(fig, Figure):
        raise TypeError(f"show() takes a matplotlib Figure or Axes, got {type(obj).__name__}")
    image = Image(data=figure_to_png(fig, colors=None), format="png")
    if alt:
        image.metadata = {"alt": alt}
    return image


def _data_artists(ax: Axes) -> list:
    """Artists that show data (redrawn every frame), as opposed to the axes' decorations."""
    arts = [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images, *ax.artists]
    if ax.get_legend() is not None:
        arts.append(ax.get_legend())
    return sorted(arts, key=lambda a: a.get_zorder())


def _clear_data(ax: Axes) -> None:
    """Remove the data artists but keep the axes' decorations (cheaper than ``cla``).

    Limits go back to autoscaling from the next frame's data, so a draw function behaves
    as on fresh axes as long as it sets the same properties on every frame.
    """
    for a in _data_artists(ax):
        a.remove()
    ax.set_prop_cycle(None)
    ax.relim()
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)


def _decoration_key(ax: Axes) -> tuple:
    """What the axes' decorations depend on: equal keys give identical backgrounds."""
    return (
        ax.get_position().bounds,
        ax.get_xlim(),
        ax.get_ylim(),
        ax.get_xscale(),
        ax.get_yscale(),
        ax.get_xlabel(),
        ax.get_ylabel(),
        ax.get_title(),
        tuple(ax.xaxis.get_majorticklocs()),
        tuple(ax.yaxis.get_majorticklocs()),
        _formatter_key(ax.xaxis),
        _formatter_key(ax.yaxis),
        ax.axison,
    )


def _formatter_key(axis) -> tuple:
    """Fixed tick labels (categories) can change while the tick positions stay put."""
    fmt = axis.get_major_formatter()
    return (type(fmt).__name__, tuple(getattr(fmt, "seq", ()) or ()))


@dataclass
class Explorer:
    """A model, a drawing and one or two sliders (see the module docstring).

    Parameters
    ----------
    compute
        ``compute(**values) -> result``; called once per slider change.
    draw
        ``draw(result, ax, **values)``: draws ``result`` on a cleared ``ax`` (a tuple of axes
        when ``panels > 1``); never recomputes. Or a sequence of plot functions
        ``plot(result, ax)``, one per panel (``panels`` is then their number).
    controls
        One or two :class:`Control` s.
    title
        Short title, used as the figure's accessible name.
    alt
        Alt text; a format string over the control names, e.g. ``"... after {dose} mg/kg"``
        (each value is inserted as shown to the reader, with its unit).
    caption
        What the figure shows and what moving each slider changes.
    panels
        Number of side-by-side axes (1 to 3).
    stacked
        Panels one above the other instead (the phone-width frames, :meth:`narrow`).
    """

    compute: Callable[..., Any]
    draw: Callable[..., None] | Sequence[Callable[..., Any]]
    controls: Sequence[Control]
    title: str
    alt: str
    caption: str
    figsize: tuple[float, float] = (6.4, 3.6)
    dpi: int = 100
    colors: int | None = 64
    panels: int = 1
    stacked: bool = False
    _fig: Figure | None = field(default=None, init=False, repr=False)
    _axes: tuple = field(default=(), init=False, repr=False)
    _layout_frozen: bool = field(default=False, init=False, repr=False)
    _background: Any = field(default=None, init=False, repr=False)
    _widget: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.controls = tuple(self.controls)
        if not callable(self.draw):
            self.draw, self.panels = _draw_panels(tuple(self.draw), self.panels)
        if self.panels not in (1, 2, 3):
            raise ValueError(f"panels must be 1, 2 or 3, got {self.panels!r}")
        if not 1 <= len(self.controls) <= 2:
            raise ValueError(f"an Explorer takes 1 or 2 controls, got {len(self.controls)}")
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must differ, got {names}")
        n = math.prod(len(c.values) for c in self.controls)
        if n > MAX_FRAMES:
            raise ValueError(f"{n} frames exceed MAX_FRAMES={MAX_FRAMES}: use fewer slider values")
        try:
            self.alt.format(**{c.name: "" for c in self.controls})
        except (KeyError, IndexError) as err:
            raise ValueError(f"alt text names an unknown control: {err}") from None

    # -- drawing -------------------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, Any]:
        """The default value of each control."""
        return {c.name: c.values[c.default_index] for c in self.controls}

    def alt_for(self, **values: float) -> str:
        """Alt text for one set of values."""
        shown = {c.name: c.text(values[c.name]) for c in self.controls}
        return self.alt.format(**shown)

    def figure(self) -> Figure:
        """The one figure this explorer draws on (created on first use, then reused)."""
        if self._fig is None:
            self._fig = new_figure(*self.figsize, dpi=self.dpi)
            shape = (self.panels, 1) if self.stacked else (1, self.panels)
            with style_context():
                axes = self._fig.subplots(*shape, squeeze=False).ravel()
            self._axes = tuple(axes)
        return self._fig

    def render(self, **values: float) -> Figure:
        """Compute the model once for ``values`` and redraw the explorer's figure.

        The data artists are removed and the axes reused rather than recreated (a draw
        function must set the same labels and scales on every frame); after the first frame the
        layout is frozen, so every frame has the same geometry. Axes decorations (ticks,
        labels, grid) are rendered once and cached as a pixel background while they stay
        the same; each frame then draws only the data artists on top (blitting). The
        canvas holds the finished frame when this returns.
        """
        return self.render_result(self.compute(**values), values)

    def render_result(self, result: Any, values: dict[str, Any]) -> Figure:
        """:meth:`render` for a ``result`` already computed for ``values``."""
        fig = self.figure()
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        for extra in [a for a in fig.axes if a not in self._axes]:  # colorbars, twins
            extra.remove()
        with style_context():
            for ax in self._axes:
                _clear_data(ax)
            self.draw(result, self._axes[0] if self.panels == 1 else self._axes, **values)
            simple = len(fig.axes) == len(self._axes) and not fig.texts and not fig.legends
            if not simple:  # figure-level artists: draw everything, no cache
                self._background = None
                canvas.draw()
                self._freeze_layout()
                return fig
            data = [a for ax in self._axes for a in _data_artists(ax)]
            for a in data:
                a.set_animated(True)
            try:
                # The first frame's one full draw lays the figure out and renders its
                # decorations (animated artists are skipped; they still count for the layout).
                key = self._layout_frozen and tuple(_decoration_key(ax) for ax in self._axes)
                if self._background is None or key != self._background[0]:
                    canvas.draw()  # decorations only: animated artists are skipped
                    self._freeze_layout()
                    key = tuple(_decoration_key(ax) for ax in self._axes)
                    self._background = (key, canvas.copy_from_bbox(fig.bbox))
                else:
                    canvas.restore_region(self._background[1])
                for ax in self._axes:
                    for a in _data_artists(ax):
                        ax.draw_artist(a)
            finally:
                for a in data:
                    a.set_animated(False)
        return fig

    def _freeze_layout(self) -> None:
        """After the first full draw, every frame keeps that draw's geometry."""
        if not self._layout_frozen:
            self._fig.set_layout_engine("none")
            self._layout_frozen = True

    def frame_png(self, **values: float) -> bytes:
        """PNG bytes of the frame for ``values``."""
        return figure_to_png(self.render(**values), colors=self.colors, draw=False)

    def grid(self) -> list[dict[str, Any]]:
        """Every combination of control values, first control slowest (C order)."""
        return [
            dict(zip([c.name for c in self.controls], combo, strict=True))
            for combo in itertools.product(*(c.values for c in self.controls))
        ]

    def frames(self) -> Iterator[Frame]:
        """Every frame in :meth:`grid` order: its values, PNG bytes and alt text.

        Each frame is rendered just before it is yielded, so while the caller holds it,
        :meth:`figure` shows that frame.
        """
        for values in self.grid():
            yield Frame(values, self.frame_png(**values), self.alt_for(**values))

    # -- static HTML ---------------------------------------------------------------------
    def narrow(self) -> Explorer:
        """The same explorer drawn for a phone-width column (see :mod:`explorers.static`)."""
        from .static import narrow

        return narrow(self)

    def static_html(self) -> str:
        """Self-contained HTML: default frame, sliders and every precomputed frame, wide and
        narrow (see :func:`explorers.static.static_html`)."""
        from .static import static_html

        return static_html(self)

    # -- live widgets --------------------------------------------------------------------
    def widget(self):
        """Live ipywidgets view: sliders and one image updated in place."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        sliders = []
        for c in self.controls:
            s = w.SelectionSlider(
                options=[(c.text(v), v) for v in c.values],
                value=c.values[c.default_index],
                description=c.label,
                continuous_update=False,
                style={"description_width": "initial"},
                layout=w.Layout(width="95%"),
            )
            sliders.append(s)
        image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        image.value = self.frame_png(**self.defaults)

        def update(_change=None) -> None:
            values = {c.name: s.value for c, s in zip(self.controls, sliders, strict=True)}
            image.value = self.frame_png(**values)

        for s in sliders:
            s.observe(update, names="value")
        caption = w.HTML(f"<p><em>{html.escape(self.caption)}</em></p>")
        box = w.VBox([*sliders, image, caption])
        box.sliders, box.image, box.update = sliders, image, update
        self._widget = box
        return box

    def _static_preview(self) -> str:
        """Light HTML for a live notebook: the current frame, its alt text and the caption.

        nbviewer, GitHub and a notebook opened without a kernel show this instead of the
        sliders; it reuses the PNG the live widget already drew, so nothing is rendered twice.
        """
        png = self.widget().image.value
        alt = self.alt_for(**self.defaults)
        return (
            f'<figure class="rw-explorer rw-preview" aria-label="{html.escape(self.title)}">'
            f'<img class="rw-frame" src="data:image/png;base64,'
            f'{base64.b64encode(png).decode("ascii")}" alt="{html.escape(alt)}">'
            f"<figcaption>{html.escape(self.caption)} (Run the notebook to move the "
            f"sliders.)</figcaption></figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        """Live widget view plus an HTML fallback.

        In a book build (:func:`static_build` is true) the fallback holds every precomputed
        frame; in a live kernel it holds only the frame the widget shows, so an explorer
        appears after one render and a saved lab stays small.
        """
        bundle: dict[str, Any] = {"text/plain": f"<Explorer: {self.title}>"}
        box = self.widget()
        bundle.update(widget_view_bundle(box))
        bundle["text/html"] = self.static_html() if static_build() else self._static_preview()
        return bundle


def _draw_panels(
    plots: tuple[Callable[..., Any], ...], panels: int
) -> tuple[Callable[..., None], int]:
    """One draw function from one plot function per panel (see :class:`Explorer`)."""
    if panels not in (1, len(plots)):
        raise ValueError(f"{len(plots)} plot functions for {panels} panels")

    def draw(result: Any, axes: Any, **_values: Any) -> None:
        for plot, ax in zip(plots, axes if len(plots) > 1 else (axes,), strict=True):
            plot(result, ax)

    return draw, len(plots)


#: Environment variable set by the book's Sphinx extension (``booktools.sphinx_ext``) for the
#: kernels that execute chapters at build time: explorers then precompute every frame.
STATIC_BUILD_ENV = "REWIRING_BOOK_BUILD"


def static_build() -> bool:
    """True while the book is being built (precompute every frame for the static site)."""
    return os.environ.get(STATIC_BUILD_ENV, "") not in ("", "0")


def widget_view_bundle(widget) -> dict[str, Any]:
    """The widget-view part of a mimebundle, for ipywidgets 7 and 8 alike.

    ipywidgets 8 widgets have ``_repr_mimebundle_``; ipywidgets 7 (Google Colab ships 7.7.1)
    display through ``_ipython_display_`` and have none, so the bundle is built from the
    widget's model id exactly as ipywidgets 7 itself builds it.
    """
    repr_bundle = getattr(widget, "_repr_mimebundle_", None)
    if repr_bundle is not None:
        view = repr_bundle() or {}
        return {k: v for k, v in view.items() if k != "text/plain"}
    if getattr(widget, "_view_name", None) is None:  # pragma: no cover - not a view
        return {}
    return {
        "application/vnd.jupyter.widget-view+json": {
            "version_major": 2,
            "version_minor": 0,
            "model_id": widget.model_id,
        }
    }
