"""A figure as PNG bytes: the one encoder behind every explorer frame and ``show``.

Kept apart from :mod:`explorers.core` so that :mod:`explorers.static`, which core's
``Explorer`` calls for the book's static frames, can encode frames without importing core.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["figure_to_png"]


def figure_to_png(fig: Figure, *, colors: int | None = 64, draw: bool = True) -> bytes:
    """Render ``fig`` to PNG bytes; quantize to ``colors`` colours (None: full RGBA).

    ``draw=False`` encodes the canvas as it is (after :meth:`Explorer.render` composed it).
    """
    from PIL import Image  # Pillow ships with matplotlib

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if draw:
        canvas.draw()
    img = Image.fromarray(np.asarray(canvas.buffer_rgba()))
    if colors is not None:
        img = img.convert("RGB").quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()
