"""Published values the toy models are drawn against (one place, each with its source).

Explorers draw these next to the simulations, on the same axes, so a reader sees what a toy
was tuned to and where it departs. Every value names its reference (a key of
``references.bib``) and where the number comes from: the paper's abstract or full text, or
recomputed by the book from the authors' public data (then the paper's own normalisation
may differ slightly).

This module holds numbers only; it imports nothing from the other models.

Examples
--------
>>> day1 = SHAO_DENSITY_CHANGE["psilocybin"][1.0]
>>> day1.mean, day1.sd, day1.n
(6.9, 18.7, 76)
>>> GOODWIN_2022.arm("25 mg").change
-12.0
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CARHART_HARRIS_2021",
    "GOODWIN_2022",
    "RECOMPUTED",
    "SHAO_DENSITY_CHANGE",
    "SHAO_ICC_DAY1",
    "SHAO_SOURCE",
    "Arm",
    "Difference",
    "GroupChange",
    "Trial",
]

#: Provenance labels.
RECOMPUTED = "recomputed from the authors' public data (GitHub Kwan-Lab/shao2021)"
PAPER = "published paper (abstract and full text)"

#: Reference key of Shao et al. (2021) in references.bib.
SHAO_SOURCE = "shao2021"


@dataclass(frozen=True)
class GroupChange:
    """Mean spine density change of one group at one imaging day.

    Attributes
    ----------
    mean
        Mean per-dendrite change from the first session (day -3), percent.
    sd
        Standard deviation of that change across dendrites, percent (None: not available).
    n
        Dendrites (None: not recorded here).
    """

    mean: float | None
    sd: float | None = None
    n: int | None = None
    source: str = SHAO_SOURCE
    provenance: str = RECOMPUTED


#: Shao et al. (2021), density change from day -3 per dendrite, percent, by group and day
#: (days relative to the dose). Recomputed from the authors' public data. The spread is known
#: at day -1 (before the dose, psilocybin-group dendrites) and day +1 (psilocybin, 76
#: dendrites); the mean at day -1 is not recorded here.
SHAO_DENSITY_CHANGE: dict[str, dict[float, GroupChange]] = {
    "psilocybin": {
        -1.0: GroupChange(mean=None, sd=11.8, n=76),
        1.0: GroupChange(mean=6.9, sd=18.7, n=76),
        3.0: GroupChange(mean=10.1),
        7.0: GroupChange(mean=12.2),
        34.0: GroupChange(mean=6.6, n=32),
    },
    "saline": {
        1.0: GroupChange(mean=-3.5),
        7.0: GroupChange(mean=-1.8),
        34.0: GroupChange(mean=-10.6, n=34),
    },
}

#: Shao et al. (2021): share of the variance of the day-1 change that lies between mice
#: (intraclass correlation), about 0.1 (0.09-0.11); recomputed from the authors' public data.
SHAO_ICC_DAY1 = (0.09, 0.11)


@dataclass(frozen=True)
class Arm:
    """One arm of a trial: its label, participants and mean score change (points)."""

    label: str
    n: int
    change: float


@dataclass(frozen=True)
class Difference:
    """A published between-arm difference of score change with its 95 % confidence interval."""

    arms: tuple[str, str]
    estimate: float
    ci95: tuple[float, float]
    p_value: str


@dataclass(frozen=True)
class Trial:
    """A published trial: its scale, arms, differences and source."""

    name: str
    scale: str
    weeks: int
    arms: tuple[Arm, ...]
    differences: tuple[Difference, ...]
    source: str
    provenance: str = PAPER

    def arm(self, label: str) -> Arm:
        """The arm called ``label``; ``ValueError`` naming the known labels otherwise."""
        for a in self.arms:
            if a.label == label:
                return a
        known = ", ".join(a.label for a in self.arms)
        raise ValueError(f"{self.name} has no arm {label!r}; arms are {known}")


#: Carhart-Harris et al. (2021, NEJM 384:1402-1411): psilocybin vs escitalopram, 6 weeks,
#: change of QIDS-SR-16 (negative is better). Primary outcome not significant.
CARHART_HARRIS_2021 = Trial(
    name="Carhart-Harris et al. 2021",
    scale="QIDS-SR-16",
    weeks=6,
    arms=(Arm("psilocybin", 30, -8.0), Arm("escitalopram", 29, -6.0)),
    differences=(Difference(("psilocybin", "escitalopram"), -2.0, (-5.0, 0.9), "P = 0.17"),),
    source="carhartharris2021",
)

#: Goodwin et al. (2022, NEJM 387:1637-1648): treatment-resistant depression, one dose of
#: 25, 10 or 1 mg; change of MADRS at week 3 (negative is better).
GOODWIN_2022 = Trial(
    name="Goodwin et al. 2022",
    scale="MADRS",
    weeks=3,
    arms=(Arm("25 mg", 79, -12.0), Arm("10 mg", 75, -7.9), Arm("1 mg", 79, -5.4)),
    differences=(
        Difference(("25 mg", "1 mg"), -6.6, (-10.2, -2.9), "P < 0.001"),
        Difference(("10 mg", "1 mg"), -2.5, (-6.2, 1.2), "P = 0.18"),
    ),
    source="goodwin2022",
)
