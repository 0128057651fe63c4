"""Every explorer of the book, found by discovery: the one list tests and benchmarks use.

An explorer is any function named ``explore_*`` defined in a topic module of this package.
A factory with variants (a function attribute ``variants = {"argument": (value, ...)}``, see
:func:`explorers.spines.explore_spine_turnover`) appears once per value.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable

from .core import Explorer

__all__ = ["all_explorers"]

#: Modules of this package that hold plumbing, not topics.
_PLUMBING = frozenset({"controls", "core", "registry", "style"})


def all_explorers() -> dict[str, Callable[[], Explorer]]:
    """Name -> factory (called without arguments) for every explorer, sorted by name.

    Names are ``"module.function"``, with ``[argument=value]`` appended for variants.

    Examples
    --------
    >>> names = list(all_explorers())
    >>> "spines.explore_spine_turnover[control=elimination]" in names
    True
    """
    from . import __path__ as package_path

    found: dict[str, Callable[[], Explorer]] = {}
    for info in pkgutil.iter_modules(package_path):
        if info.name in _PLUMBING or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("explore_") or fn.__module__ != module.__name__:
                continue
            variants = getattr(fn, "variants", None)
            if not variants:
                found[f"{info.name}.{name}"] = fn
                continue
            for arg, values in variants.items():
                for value in values:
                    found[f"{info.name}.{name}[{arg}={value}]"] = functools.partial(
                        fn, **{arg: value}
                    )
    return dict(sorted(found.items()))
