"""Typed sliders of an :class:`~explorers.core.Explorer`: numbers, integers and named choices.

A slider that sets a model parameter carries that parameter's valid range
(:class:`models._params.Bounds`); :meth:`Control.of` reads it from the parameter class, so a
slider can never offer a value the model refuses. Integer and choice sliders hand ``compute``
their values unchanged (``int``, or the choice itself), never a float to round back.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from models._params import Bounds, bounds_of

__all__ = ["ChoiceControl", "Control", "IntControl"]


@dataclass(frozen=True)
class Control:
    """One slider over numbers (floats); see :class:`IntControl` and :class:`ChoiceControl`.

    Parameters
    ----------
    name
        Keyword argument passed to ``compute``.
    label
        Visible label, for example ``"Dose"``.
    values
        The discrete values the static book offers (the live slider uses the same steps).
    default
        Starting value; must be one of ``values``.
    unit
        Unit shown after the value, for example ``"mg/kg"``.
    fmt
        Format of the value, for example ``"{:.1f}"``.
    bounds
        The valid range of the model parameter this slider sets (see :meth:`of`); every value
        must lie inside it. None only for sliders that set no model parameter.
    """

    name: str
    label: str
    values: tuple[Any, ...]
    default: Any
    unit: str = ""
    fmt: str = "{:g}"
    bounds: Bounds | None = None

    #: What the slider's values are: "float", "int" or "choice".
    kind: ClassVar[str] = "float"

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"Control name must be a Python identifier, got {self.name!r}")
        vals = tuple(self._convert(v) for v in self.values)
        if len(vals) < 2:
            raise ValueError(f"Control {self.name!r} needs at least 2 values, got {len(vals)}")
        if self.kind != "choice" and any(b <= a for a, b in itertools.pairwise(vals)):
            raise ValueError(f"Control {self.name!r}: values must increase strictly")
        object.__setattr__(self, "values", vals)
        if self._index(self.default) is None:
            raise ValueError(
                f"Control {self.name!r}: default {self.default!r} is not one of its values {vals}"
            )
        if self.bounds is not None:
            outside = [v for v in vals if not self.bounds.contains(v)]
            if outside:
                raise ValueError(
                    f"Control {self.name!r}: values {outside} lie outside the "
                    f"valid range {self.bounds.describe()}"
                )

    @classmethod
    def of(
        cls,
        params: Any,
        field: str,
        label: str,
        values: Sequence[Any],
        default: Any = None,
        **kwargs: Any,
    ) -> Control:
        """A slider for parameter ``field`` of ``params`` (a parameter class or instance).

        Its bounds come from the parameter's declared range (:func:`models._params.bounds_of`)
        and its default, unless given, from ``params`` itself.
        """
        if default is None:
            default = getattr(params, field)
        return cls(field, label, tuple(values), default, bounds=bounds_of(params, field), **kwargs)

    def _convert(self, value: Any) -> Any:
        return float(value)

    def _index(self, value: Any) -> int | None:
        for i, v in enumerate(self.values):
            if math.isclose(float(value), v, rel_tol=1e-9, abs_tol=1e-12):
                return i
        return None

    @property
    def default_index(self) -> int:
        """Index of ``default`` in ``values``."""
        return self._index(self.default)

    def text(self, value: Any) -> str:
        """The value as shown to the reader, with its unit."""
        s = self.fmt.format(value)
        return f"{s} {self.unit}".strip()


@dataclass(frozen=True)
class IntControl(Control):
    """A slider over integers (counts): ``compute`` receives ``int`` values, never floats."""

    fmt: str = "{:d}"
    kind: ClassVar[str] = "int"

    def _convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"IntControl {self.name!r}: values must be integers, got {value!r}")
        return int(value)

    def _index(self, value: Any) -> int | None:
        return self.values.index(value) if value in self.values else None


@dataclass(frozen=True)
class ChoiceControl(Control):
    """A slider over named choices: ``values`` are the choices, ``names`` what the reader sees.

    ``compute`` receives the chosen value itself (a string, a tuple, ...), not an index.
    """

    names: tuple[str, ...] = ()
    kind: ClassVar[str] = "choice"

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.names) != len(self.values):
            raise ValueError(
                f"ChoiceControl {self.name!r}: {len(self.names)} names for "
                f"{len(self.values)} values"
            )
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"ChoiceControl {self.name!r}: names must differ")

    def _convert(self, value: Any) -> Any:
        return value

    def _index(self, value: Any) -> int | None:
        return self.values.index(value) if value in self.values else None

    def text(self, value: Any) -> str:
        return self.names[self.values.index(value)]
