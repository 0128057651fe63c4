"""Checks shared by the explorer tests."""

from __future__ import annotations

import itertools


def assert_neighbouring_frames_differ(explorer) -> None:
    """Moving any slider one step from any position must change the frame (a browser test
    relies on it, and a frame that does not change tells the reader nothing)."""
    names = [c.name for c in explorer.controls]
    frames = {combo: explorer.frame_png(**dict(zip(names, combo, strict=True)))
              for combo in itertools.product(*(c.values for c in explorer.controls))}
    for combo, png in frames.items():
        for axis, c in enumerate(explorer.controls):
            i = c.values.index(combo[axis])
            if i + 1 < len(c.values):
                nxt = list(combo)
                nxt[axis] = c.values[i + 1]
                assert frames[tuple(nxt)] != png, (combo, c.name)
