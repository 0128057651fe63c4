"""The gene panel: true changes after one dose of psilocybin (toy of Jefsen et al. 2021).

Jefsen et al. (2021) gave rats a single dose of psilocybin (0.5-20 mg/kg) or saline and
measured mRNA of 46 selected genes by qPCR in prefrontal cortex (PFC) and hippocampus. More
genes changed in PFC. This module holds a panel of those genes with a dose-response curve per
region, and simulates a study with animal-to-animal variability, so that a reader can see what
such an experiment can and cannot show (noise, multiple comparisons, fitting an ED50).

The model
---------
The true change of gene ``g`` in region ``r`` at dose ``d`` (mg/kg) is a signed Hill curve::

    log2FC_true(g, r, d) = direction * max_abs_log2fc * d**n / (ED50**n + d**n)

with ``direction`` in {-1, 0, +1} (0: unchanged). A simulated animal ``a`` measures::

    log2FC(a, g, r) = log2FC_true(g, r, dose_a) + u_a + e_agr
    u_a ~ Normal(0, animal_sd)      shared by all genes and both regions of one rat
    e_agr ~ Normal(0, noise_sd)     independent per animal, gene and region

Saline (dose 0) animals scatter around 0. Because ``u_a`` is shared, genes measured in the same
animal are correlated: the animal, not the gene-by-animal measurement, is the unit of
replication.

What is simplified
------------------
- **Magnitudes and ED50s are illustrative.** Only the *directions* follow the paper's
  abstract: up in PFC: Cebpb, c-Fos (Fos), Dusp1, Fosb, Junb, Iκβ-α (Nfkbia), Nr4a1,
  P11 (S100a10), Psd95 (Dlg4), Sgk1; down in PFC: Clk1; up in hippocampus: Arrdc2, Dusp1,
  Iκβ-α (Nfkbia), Sgk1; down in hippocampus: Arc, Clk1, Egr2, Ptgs2. Genes the abstract does
  not list for a region are modelled as unchanged there. Effects are set stronger in PFC (more
  genes changed, larger changes), as the authors report. The curves are monotone; real
  dose-responses need not be.
- Gapdh, Actb and Hprt1 are added as unchanged housekeeping genes of the kind used as qPCR
  references (illustrative; not a statement about the paper's eight reference genes).
- The panel has 18 genes, not the study's 46, and the dose set is the caller's choice: the
  exact seven doses and group sizes of the study are not confirmed here.
- Noise is Gaussian on the log2 scale; no technical qPCR replicates, no reference-gene
  normalisation, no outliers.

Caveats the book makes
----------------------
The measurement is mRNA at a **single time point, 90 min** after the dose. mRNA is an early
marker, not structure: it says nothing by itself about spines, synapses or behaviour, and the
authors found that protein levels only partly matched mRNA. Some plasticity-related genes went
**down** (Arc and Egr2 in hippocampus). Rodents are not people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._params import Bounds, Params, bounded, check_choice, check_in_range
from ..pharmacology import hill

__all__ = [
    "DOSE_BOUNDS",
    "EXAMPLE_DOSES_MG_PER_KG",
    "GENE_PANEL",
    "REGIONS",
    "THRESHOLD_BOUNDS",
    "DoseSnapshot",
    "Gene",
    "RegionResponse",
    "changed_genes",
    "dose_snapshot",
    "get_gene",
    "true_log2fc",
]

#: Brain regions measured by Jefsen et al. (2021).
REGIONS: tuple[str, ...] = ("PFC", "hippocampus")
#: Valid doses (mg/kg): the study's range was 0.5-20 mg/kg, plus saline (0).
DOSE_BOUNDS = Bounds(0.0, 20.0)
#: An illustrative dose set spanning the study's range (the paper's exact doses: not confirmed).
#: Valid cut-offs on the absolute log2 fold change.
THRESHOLD_BOUNDS = Bounds(0.0, 5.0)
EXAMPLE_DOSES_MG_PER_KG: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)


@dataclass(frozen=True)
class RegionResponse(Params):
    """Dose-response of one gene in one region (all values illustrative).

    Attributes
    ----------
    direction
        +1 (up), -1 (down) or 0 (unchanged), following the abstract of Jefsen et al. (2021).
    max_abs_log2fc
        Size of the change at a saturating dose, log2 fold change vs saline (>= 0; 0 exactly
        when ``direction`` is 0).
    ed50_mg_per_kg
        Dose giving half the maximal change, mg/kg.
    hill_n
        Hill coefficient (steepness).
    """

    direction: int = 0
    max_abs_log2fc: float = bounded(0.0, 0.0, 5.0)
    ed50_mg_per_kg: float = bounded(2.0, 0.01, 100.0)
    hill_n: float = bounded(1.5, 0.5, 4.0)

    def _check(self) -> None:
        if isinstance(self.direction, bool) or self.direction not in (-1, 0, 1):
            raise ValueError(f"direction must be -1, 0 or +1, got {self.direction!r}")
        if (self.direction == 0) != (self.max_abs_log2fc == 0.0):
            raise ValueError(
                "max_abs_log2fc must be 0 exactly when direction is 0, got "
                f"direction={self.direction}, max_abs_log2fc={self.max_abs_log2fc}"
            )

    @property
    def max_log2fc(self) -> float:
        """Signed maximal change, log2 fold change."""
        return float(self.direction * self.max_abs_log2fc)

    def log2fc(self, dose_mg_per_kg) -> np.ndarray:
        """True log2 fold change vs saline at ``dose_mg_per_kg`` (array-like, >= 0)."""
        return self.direction * hill(
            dose_mg_per_kg, self.ed50_mg_per_kg, n=self.hill_n, emax=self.max_abs_log2fc
        )


_UNCHANGED = RegionResponse()


@dataclass(frozen=True)
class Gene:
    """A gene of the panel with its response in each region.

    Attributes
    ----------
    symbol
        Rat gene symbol (the table's ``gene`` column).
    aliases
        Other names, e.g. as written in the paper's abstract ("c-Fos", "P11", "Psd95").
    role
        One line on what the gene does.
    pfc, hippocampus
        :class:`RegionResponse` in prefrontal cortex and in hippocampus.
    """

    symbol: str
    aliases: tuple[str, ...]
    role: str
    pfc: RegionResponse
    hippocampus: RegionResponse

    def response(self, region: str) -> RegionResponse:
        """The :class:`RegionResponse` in ``region`` ("PFC" or "hippocampus")."""
        return self.pfc if _region_name(region) == "PFC" else self.hippocampus


def _up(size: float, ed50: float) -> RegionResponse:
    return RegionResponse(direction=1, max_abs_log2fc=size, ed50_mg_per_kg=ed50)


def _down(size: float, ed50: float) -> RegionResponse:
    return RegionResponse(direction=-1, max_abs_log2fc=size, ed50_mg_per_kg=ed50)


#: The gene panel. Directions from Jefsen et al. (2021, abstract); sizes and ED50s illustrative.
GENE_PANEL: tuple[Gene, ...] = (
    Gene(
        "Fos",
        ("c-Fos", "cFos"),
        "immediate early gene; marker of recent neuronal activity",
        _up(1.6, 2.0),
        _UNCHANGED,
    ),
    Gene(
        "Fosb",
        ("FosB",),
        "immediate early transcription factor (AP-1 family)",
        _up(1.2, 3.0),
        _UNCHANGED,
    ),
    Gene(
        "Junb",
        ("JunB",),
        "immediate early transcription factor (AP-1 family)",
        _up(1.0, 2.0),
        _UNCHANGED,
    ),
    Gene("Nr4a1", ("Nur77",), "immediate early nuclear receptor", _up(1.3, 2.5), _UNCHANGED),
    Gene(
        "Cebpb",
        ("C/EBPb", "C/EBP-beta"),
        "transcription factor linked to memory consolidation",
        _up(0.8, 3.0),
        _UNCHANGED,
    ),
    Gene(
        "Dusp1",
        ("Dups1", "MKP-1"),
        "phosphatase that switches off MAP kinase signalling",
        _up(1.2, 2.0),
        _up(0.8, 4.0),
    ),
    Gene(
        "Nfkbia",
        ("Iκβ-α", "IkBa", "IkB-alpha"),
        "inhibitor of NF-κB signalling",
        _up(0.9, 3.0),
        _up(0.7, 5.0),
    ),
    Gene("Sgk1", ("SGK1",), "glucocorticoid-regulated kinase", _up(1.0, 4.0), _up(0.9, 5.0)),
    Gene(
        "S100a10",
        ("P11", "p11"),
        "partner of serotonin receptors; linked to depression",
        _up(0.5, 5.0),
        _UNCHANGED,
    ),
    Gene(
        "Dlg4",
        ("Psd95", "PSD-95"),
        "scaffold protein of excitatory synapses",
        _up(0.4, 5.0),
        _UNCHANGED,
    ),
    Gene("Clk1", ("CLK1",), "kinase that regulates RNA splicing", _down(0.5, 3.0), _down(0.4, 4.0)),
    Gene(
        "Arrdc2",
        ("ARRDC2",),
        "arrestin-domain protein, glucocorticoid-responsive",
        _UNCHANGED,
        _up(0.7, 4.0),
    ),
    Gene(
        "Arc",
        ("Arg3.1",),
        "immediate early gene needed for synaptic plasticity",
        _UNCHANGED,
        _down(0.5, 3.0),
    ),
    Gene("Egr2", ("Krox20",), "immediate early transcription factor", _UNCHANGED, _down(0.6, 3.0)),
    Gene(
        "Ptgs2",
        ("Cox2", "COX-2"),
        "cyclooxygenase-2, activity-regulated enzyme",
        _UNCHANGED,
        _down(0.4, 4.0),
    ),
    Gene("Gapdh", (), "housekeeping gene (glycolysis); unchanged control", _UNCHANGED, _UNCHANGED),
    Gene(
        "Actb",
        ("beta-actin",),
        "housekeeping gene (cytoskeleton); unchanged control",
        _UNCHANGED,
        _UNCHANGED,
    ),
    Gene(
        "Hprt1",
        ("Hprt",),
        "housekeeping gene (purine salvage); unchanged control",
        _UNCHANGED,
        _UNCHANGED,
    ),
)

_GENE_LOOKUP: dict[str, Gene] = {}
for _g in GENE_PANEL:
    for _name in (_g.symbol, *_g.aliases):
        _GENE_LOOKUP[_name.lower()] = _g
del _g, _name


def get_gene(name: str) -> Gene:
    """Look up a gene of :data:`GENE_PANEL` by symbol or alias (case-insensitive).

    Examples
    --------
    >>> get_gene("c-Fos").symbol
    'Fos'
    >>> get_gene("Bdnf")
    Traceback (most recent call last):
    ...
    ValueError: gene must be a symbol or alias in GENE_PANEL (Fos, Fosb, ...), got 'Bdnf'
    """
    gene = _GENE_LOOKUP.get(str(name).lower()) if isinstance(name, str) else None
    if gene is None:
        symbols = ", ".join(g.symbol for g in GENE_PANEL)
        raise ValueError(f"gene must be a symbol or alias in GENE_PANEL ({symbols}), got {name!r}")
    return gene


def _region_name(region: str) -> str:
    return check_choice("region", region, REGIONS, ignore_case=True)


def _check_doses(name: str, doses, bounds: Bounds = DOSE_BOUNDS) -> np.ndarray:
    try:
        d = np.asarray(doses, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in mg/kg, got {doses!r}") from None
    if d.size and not all(bounds.contains(v) for v in np.unique(d)):
        raise ValueError(
            f"{name} must be finite numbers in {bounds.describe()} mg/kg, got {doses!r}"
        )
    return d


def true_log2fc(gene: str, region: str, dose) -> float | np.ndarray:
    """Noise-free log2 fold change vs saline of ``gene`` in ``region`` at ``dose``.

    Parameters
    ----------
    gene
        Symbol or alias of a gene in :data:`GENE_PANEL` (case-insensitive).
    region
        "PFC" or "hippocampus" (case-insensitive).
    dose
        Psilocybin dose, mg/kg, in [0, 20] (scalar or array-like). 0 is saline.

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar dose, else an array of the dose's shape.

    Examples
    --------
    >>> true_log2fc("Fos", "PFC", 0.0)
    0.0
    >>> true_log2fc("Fos", "PFC", 2.0)  # half of the maximum (1.6) at the ED50
    0.8
    >>> true_log2fc("Arc", "hippocampus", 20.0) < 0
    True
    """
    response = get_gene(gene).response(region)
    d = _check_doses("dose", dose)
    out = response.log2fc(d) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if out.ndim == 0 else out


def changed_genes(region: str, dose: float, *, threshold: float = 0.25) -> tuple[str, ...]:
    """Symbols whose true ``|log2 fold change|`` at ``dose`` (mg/kg) exceeds ``threshold``.

    Examples
    --------
    >>> len(changed_genes("PFC", 20.0)) > len(changed_genes("hippocampus", 20.0))
    True
    >>> changed_genes("PFC", 0.0)
    ()
    """
    check_in_range("dose", dose, DOSE_BOUNDS)
    check_in_range("threshold", threshold, THRESHOLD_BOUNDS)
    region = _region_name(region)
    return tuple(
        g.symbol for g in GENE_PANEL if abs(true_log2fc(g.symbol, region, dose)) > threshold
    )


@dataclass(frozen=True)
class DoseSnapshot:
    """Noise-free log2 fold change of every panel gene in both regions at one dose.

    Attributes
    ----------
    dose_mg_per_kg
        The dose, mg/kg.
    genes
        Gene symbols, in panel order.
    log2fc
        Array of shape ``(len(REGIONS), len(genes))``: true change in PFC and hippocampus.
    """

    dose_mg_per_kg: float
    genes: tuple[str, ...]
    log2fc: np.ndarray

    def region(self, region: str) -> np.ndarray:
        """The changes in ``region`` ("PFC" or "hippocampus")."""
        return self.log2fc[REGIONS.index(_region_name(region))]

    def changed(self, region: str, threshold: float) -> tuple[str, ...]:
        """Genes whose absolute change exceeds ``threshold`` (log2 units) in ``region``."""
        values = self.region(region)
        return tuple(g for g, v in zip(self.genes, values, strict=True) if abs(v) > threshold)


def dose_snapshot(dose_mg_per_kg: float) -> DoseSnapshot:
    """The toy's noise-free changes at one dose (mg/kg, in [0, 20]).

    Examples
    --------
    >>> snap = dose_snapshot(20.0)
    >>> "Arc" in snap.changed("hippocampus", 0.25), "Arc" in snap.changed("PFC", 0.25)
    (True, False)
    """
    genes = tuple(g.symbol for g in GENE_PANEL)
    values = np.array([[true_log2fc(g, r, dose_mg_per_kg) for g in genes] for r in REGIONS])
    values.setflags(write=False)
    return DoseSnapshot(dose_mg_per_kg=float(dose_mg_per_kg), genes=genes, log2fc=values)
