"""Validated, frozen parameter dataclasses shared by every model.

A parameter field is declared with :func:`bounded`, which stores its valid range in the
field's metadata. :class:`Params` checks every bounded field in ``__post_init__`` and raises a
``ValueError`` that names the field, the value and the valid range. Explorers read the same
metadata (:func:`bounds_of`) so that a slider can never leave the valid range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

__all__ = [
    "Bounds",
    "Params",
    "bounded",
    "bounds_of",
    "check_choice",
    "check_in_range",
    "check_int",
    "check_int_array",
]


@dataclass(frozen=True)
class Bounds:
    """A closed or half-open interval ``[low, high]`` of valid values."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: float) -> bool:
        """Return True when ``value`` is a finite number inside the interval."""
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        if math.isnan(v) or math.isinf(v):
            return False
        above = v > self.low if self.low_open else v >= self.low
        below = v < self.high if self.high_open else v <= self.high
        return above and below

    def describe(self) -> str:
        """Interval notation, for example ``[0, 1]`` or ``(0, inf)``."""
        left = "(" if self.low_open or self.low == -math.inf else "["
        right = ")" if self.high_open or self.high == math.inf else "]"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"


def _fmt(x: float) -> str:
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return "-inf"
    return f"{x:g}"


def check_in_range(name: str, value: Any, bounds: Bounds) -> None:
    """Raise ``ValueError`` naming ``name``, ``value`` and the range when out of bounds.

    Examples
    --------
    >>> check_in_range("dose_mg_per_kg", 1.0, Bounds(0.0, 20.0))
    >>> check_in_range("dose_mg_per_kg", -1.0, Bounds(0.0, 20.0))
    Traceback (most recent call last):
    ...
    ValueError: dose_mg_per_kg must be a finite number in [0, 20], got -1.0
    """
    if isinstance(value, bool) or not bounds.contains(value):
        raise ValueError(f"{name} must be a finite number in {bounds.describe()}, got {value!r}")


def check_array(name: str, value: Any, bounds: Bounds) -> np.ndarray:
    """``value`` as a float array; raise ``ValueError`` naming ``name``, the first bad value and
    the range unless every element is a finite number inside ``bounds``.

    Examples
    --------
    >>> check_array("doses", [0.0, 2.5], Bounds(0.0, 20.0)).tolist()
    [0.0, 2.5]
    >>> check_array("doses", [0.0, 25.0], Bounds(0.0, 20.0))
    Traceback (most recent call last):
    ...
    ValueError: doses must be finite numbers in [0, 20], got 25.0
    """
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in {bounds.describe()}, got {value!r}") from None
    ok = np.vectorize(bounds.contains, otypes=[bool])(arr) if arr.size else np.ones(0, bool)
    if not np.all(ok):
        bad = arr[~ok].flat[0].item()
        raise ValueError(f"{name} must be finite numbers in {bounds.describe()}, got {bad!r}")
    return arr


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """Return ``value`` as ``int``; raise ``ValueError`` naming ``name``, ``value`` and the range.

    Booleans and floats are refused, even ``2.0``: a count is an integer.

    Examples
    --------
    >>> check_int("n_mice", 6, 2, 50)
    6
    >>> check_int("n_mice", 1, 2, 50)
    Traceback (most recent call last):
    ...
    ValueError: n_mice must be an integer in [2, 50], got 1
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not low <= value <= high
    ):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


def check_int_array(name: str, value: Any, low: int, high: int) -> np.ndarray:
    """A 1-d ``int`` array from an integer or a sequence of integers, each in ``[low, high]``.

    Whole-number floats (``4.0``) are accepted here, as numpy produces them.

    Examples
    --------
    >>> check_int_array("n_per_group", [4, 8.0], 2, 100).tolist()
    [4, 8]
    >>> check_int_array("n_per_group", [4, 1], 2, 100)
    Traceback (most recent call last):
    ...
    ValueError: n_per_group must be integers in [2, 100], got 1
    """
    arr = np.atleast_1d(np.asarray(value))
    if (
        arr.ndim != 1
        or arr.size == 0
        or arr.dtype == bool
        or not np.issubdtype(arr.dtype, np.number)
    ):
        raise ValueError(
            f"{name} must be an integer or a 1-d array of integers in "
            f"[{low}, {high}], got {value!r}"
        )
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(arr) & (arr == np.round(arr)) & (arr >= low) & (arr <= high)
    if not ok.all():
        raise ValueError(f"{name} must be integers in [{low}, {high}], got {arr[~ok][0].item()!r}")
    return arr.astype(int)


def check_choice(
    name: str, value: Any, choices: Sequence[Any], *, ignore_case: bool = False
) -> Any:
    """Return the member of ``choices`` equal to ``value`` (the stored spelling).

    Raise ``ValueError`` naming ``name``, ``value`` and the valid choices otherwise.

    Examples
    --------
    >>> check_choice("region", "pfc", ("PFC", "hippocampus"), ignore_case=True)
    'PFC'
    >>> check_choice("unit", "rat", ("dendrite", "mouse"))
    Traceback (most recent call last):
    ...
    ValueError: unit must be one of ('dendrite', 'mouse'), got 'rat'
    """
    for c in choices:
        same = (
            isinstance(value, str) and isinstance(c, str) and value.lower() == c.lower()
            if ignore_case
            else _equal(value, c)
        )
        if same:
            return c
    raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is not bool
    except (TypeError, ValueError):
        return False


def bounded(
    default: float,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Any:
    """A dataclass field whose valid range is stored in its metadata."""
    return field(default=default, metadata={"bounds": Bounds(low, high, low_open, high_open)})


def bounds_of(params_type: type | Params, name: str) -> Bounds:
    """The :class:`Bounds` of field ``name`` of a parameter class or instance."""
    for f in fields(params_type):
        if f.name == name:
            return f.metadata.get("bounds", Bounds())
    raise KeyError(
        f"{getattr(params_type, '__name__', type(params_type).__name__)} has no parameter {name!r}"
    )


@dataclass(frozen=True)
class Params:
    """Base class: validates every :func:`bounded` field after construction."""

    def __post_init__(self) -> None:
        for f in fields(self):
            b = f.metadata.get("bounds")
            if b is not None:
                check_in_range(f.name, getattr(self, f.name), b)
        self._check()

    def _check(self) -> None:
        """Hook for checks that involve several fields (override in subclasses)."""
