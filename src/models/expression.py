"""Gene expression after one dose of psilocybin: a toy of the Jefsen et al. (2021) rat study.

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

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

from ._params import Bounds, Params, bounded, check_in_range
from .pharmacology import hill

__all__ = [
    "DOSE_BOUNDS",
    "EXAMPLE_DOSES_MG_PER_KG",
    "GENE_PANEL",
    "REGIONS",
    "Gene",
    "GeneStudy",
    "HillFit",
    "RegionResponse",
    "changed_genes",
    "fit_ed50",
    "get_gene",
    "simulate_gene_study",
    "true_log2fc",
]

#: Brain regions measured by Jefsen et al. (2021).
REGIONS: tuple[str, ...] = ("PFC", "hippocampus")
#: Valid doses (mg/kg): the study's range was 0.5-20 mg/kg, plus saline (0).
DOSE_BOUNDS = Bounds(0.0, 20.0)
#: An illustrative dose set spanning the study's range (the paper's exact doses: not confirmed).
EXAMPLE_DOSES_MG_PER_KG: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
_SD_BOUNDS = Bounds(0.0, 5.0)
_MAX_PER_GROUP = 10_000


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
            raise ValueError("max_abs_log2fc must be 0 exactly when direction is 0, got "
                             f"direction={self.direction}, max_abs_log2fc={self.max_abs_log2fc}")

    @property
    def max_log2fc(self) -> float:
        """Signed maximal change, log2 fold change."""
        return float(self.direction * self.max_abs_log2fc)

    def log2fc(self, dose_mg_per_kg) -> np.ndarray:
        """True log2 fold change vs saline at ``dose_mg_per_kg`` (array-like, >= 0)."""
        return self.direction * hill(dose_mg_per_kg, self.ed50_mg_per_kg, n=self.hill_n,
                                     emax=self.max_abs_log2fc)


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
    Gene("Fos", ("c-Fos", "cFos"), "immediate early gene; marker of recent neuronal activity",
         _up(1.6, 2.0), _UNCHANGED),
    Gene("Fosb", ("FosB",), "immediate early transcription factor (AP-1 family)",
         _up(1.2, 3.0), _UNCHANGED),
    Gene("Junb", ("JunB",), "immediate early transcription factor (AP-1 family)",
         _up(1.0, 2.0), _UNCHANGED),
    Gene("Nr4a1", ("Nur77",), "immediate early nuclear receptor",
         _up(1.3, 2.5), _UNCHANGED),
    Gene("Cebpb", ("C/EBPb", "C/EBP-beta"), "transcription factor linked to memory consolidation",
         _up(0.8, 3.0), _UNCHANGED),
    Gene("Dusp1", ("Dups1", "MKP-1"), "phosphatase that switches off MAP kinase signalling",
         _up(1.2, 2.0), _up(0.8, 4.0)),
    Gene("Nfkbia", ("Iκβ-α", "IkBa", "IkB-alpha"), "inhibitor of NF-κB signalling",
         _up(0.9, 3.0), _up(0.7, 5.0)),
    Gene("Sgk1", ("SGK1",), "glucocorticoid-regulated kinase",
         _up(1.0, 4.0), _up(0.9, 5.0)),
    Gene("S100a10", ("P11", "p11"), "partner of serotonin receptors; linked to depression",
         _up(0.5, 5.0), _UNCHANGED),
    Gene("Dlg4", ("Psd95", "PSD-95"), "scaffold protein of excitatory synapses",
         _up(0.4, 5.0), _UNCHANGED),
    Gene("Clk1", ("CLK1",), "kinase that regulates RNA splicing",
         _down(0.5, 3.0), _down(0.4, 4.0)),
    Gene("Arrdc2", ("ARRDC2",), "arrestin-domain protein, glucocorticoid-responsive",
         _UNCHANGED, _up(0.7, 4.0)),
    Gene("Arc", ("Arg3.1",), "immediate early gene needed for synaptic plasticity",
         _UNCHANGED, _down(0.5, 3.0)),
    Gene("Egr2", ("Krox20",), "immediate early transcription factor",
         _UNCHANGED, _down(0.6, 3.0)),
    Gene("Ptgs2", ("Cox2", "COX-2"), "cyclooxygenase-2, activity-regulated enzyme",
         _UNCHANGED, _down(0.4, 4.0)),
    Gene("Gapdh", (), "housekeeping gene (glycolysis); unchanged control",
         _UNCHANGED, _UNCHANGED),
    Gene("Actb", ("beta-actin",), "housekeeping gene (cytoskeleton); unchanged control",
         _UNCHANGED, _UNCHANGED),
    Gene("Hprt1", ("Hprt",), "housekeeping gene (purine salvage); unchanged control",
         _UNCHANGED, _UNCHANGED),
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
        raise ValueError(f"gene must be a symbol or alias in GENE_PANEL ({symbols}), "
                         f"got {name!r}")
    return gene


def _region_name(region: str) -> str:
    if isinstance(region, str):
        for r in REGIONS:
            if region.lower() == r.lower():
                return r
    raise ValueError(f"region must be one of {REGIONS}, got {region!r}")


def _check_doses(name: str, doses, bounds: Bounds = DOSE_BOUNDS) -> np.ndarray:
    try:
        d = np.asarray(doses, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in mg/kg, got {doses!r}") from None
    if d.size and not all(bounds.contains(v) for v in np.unique(d)):
        raise ValueError(f"{name} must be finite numbers in {bounds.describe()} mg/kg, "
                         f"got {doses!r}")
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
    check_in_range("threshold", threshold, Bounds(0.0, 5.0))
    region = _region_name(region)
    return tuple(g.symbol for g in GENE_PANEL
                 if abs(true_log2fc(g.symbol, region, dose)) > threshold)


@dataclass(frozen=True)
class GeneStudy:
    """A tidy table, one row per animal, region and gene (result of :func:`simulate_gene_study`).

    All columns are read-only numpy arrays of equal length.

    Attributes
    ----------
    gene
        Gene symbol (str).
    region
        "PFC" or "hippocampus" (str).
    dose_mg_per_kg
        Dose the animal received, mg/kg (0 is saline).
    animal
        Animal id (int); each animal contributes every gene in both regions.
    log2_fold_change
        Measured log2 fold change vs the saline expectation.
    """

    gene: np.ndarray
    region: np.ndarray
    dose_mg_per_kg: np.ndarray
    animal: np.ndarray
    log2_fold_change: np.ndarray

    COLUMNS = ("gene", "region", "dose_mg_per_kg", "animal", "log2_fold_change")

    def __post_init__(self) -> None:
        n = len(self.gene)
        for name in self.COLUMNS:
            col = np.asarray(getattr(self, name))
            if col.shape != (n,):
                raise ValueError(f"column {name} must be 1-D of length {n}, got {col.shape}")
            col = col.copy()
            col.setflags(write=False)
            object.__setattr__(self, name, col)

    def __len__(self) -> int:
        return len(self.gene)

    @property
    def doses(self) -> np.ndarray:
        """The distinct doses of the study, mg/kg, ascending."""
        return np.unique(self.dose_mg_per_kg)

    def subset(self, *, gene: str | None = None, region: str | None = None) -> GeneStudy:
        """Rows of one gene and/or one region (names resolved as in :func:`true_log2fc`)."""
        keep = np.ones(len(self), dtype=bool)
        if gene is not None:
            keep &= self.gene == get_gene(gene).symbol
        if region is not None:
            keep &= self.region == _region_name(region)
        return GeneStudy(**{name: getattr(self, name)[keep] for name in self.COLUMNS})

    def to_records(self) -> list[dict]:
        """The rows as a list of dicts with plain Python values (for printing or pandas)."""
        cols = [getattr(self, name).tolist() for name in self.COLUMNS]
        return [dict(zip(self.COLUMNS, row, strict=True)) for row in zip(*cols, strict=True)]


def simulate_gene_study(*, doses, n_per_group: int, rng=None, noise_sd: float = 0.3,
                        animal_sd: float = 0.15) -> GeneStudy:
    """Simulate a qPCR study: ``n_per_group`` rats per dose, every panel gene in both regions.

    Parameters
    ----------
    doses
        Doses, mg/kg, each in [0, 20] (one group per value); include 0 for a saline group.
        :data:`EXAMPLE_DOSES_MG_PER_KG` spans the study's range.
    n_per_group
        Animals per dose group (integer >= 1).
    rng
        Seed or :class:`numpy.random.Generator`; the same seed gives the same table.
    noise_sd
        Standard deviation of independent per-animal, per-gene, per-region noise, log2 units
        (illustrative).
    animal_sd
        Standard deviation of the animal effect shared by all of one rat's measurements, log2
        units (illustrative).

    Returns
    -------
    GeneStudy
        ``len(doses) * n_per_group * 2 * len(GENE_PANEL)`` rows, ordered by animal, region,
        gene.

    Examples
    --------
    >>> study = simulate_gene_study(doses=[0.0, 10.0], n_per_group=3, rng=0)
    >>> len(study) == 2 * 3 * 2 * len(GENE_PANEL)
    True
    >>> study.to_records()[0]["gene"], study.to_records()[0]["region"]
    ('Fos', 'PFC')
    """
    d = _check_doses("doses", doses)
    if d.ndim != 1 or d.size == 0:
        raise ValueError(f"doses must be a non-empty 1-D sequence of mg/kg values, got {doses!r}")
    if (isinstance(n_per_group, bool) or not isinstance(n_per_group, (int, np.integer))
            or not 1 <= n_per_group <= _MAX_PER_GROUP):
        raise ValueError(f"n_per_group must be an integer in [1, {_MAX_PER_GROUP}], "
                         f"got {n_per_group!r}")
    check_in_range("noise_sd", noise_sd, _SD_BOUNDS)
    check_in_range("animal_sd", animal_sd, _SD_BOUNDS)
    rng = np.random.default_rng(rng)

    n_genes, n_regions = len(GENE_PANEL), len(REGIONS)
    # True effect per dose group, region and gene: shape (n_doses, n_regions, n_genes).
    truth = np.stack([np.stack([g.response(r).log2fc(d) for g in GENE_PANEL], axis=-1)
                      for r in REGIONS], axis=1)
    animal_dose_idx = np.repeat(np.arange(d.size), n_per_group)  # (n_animals,)
    n_animals = animal_dose_idx.size
    animal_effect = rng.normal(0.0, animal_sd, size=(n_animals, 1, 1))
    noise = rng.normal(0.0, noise_sd, size=(n_animals, n_regions, n_genes))
    values = truth[animal_dose_idx] + animal_effect + noise

    shape = values.shape
    animal = np.broadcast_to(np.arange(n_animals)[:, None, None], shape)
    dose = np.broadcast_to(d[animal_dose_idx][:, None, None], shape)
    region = np.broadcast_to(np.array(REGIONS)[None, :, None], shape)
    gene = np.broadcast_to(np.array([g.symbol for g in GENE_PANEL])[None, None, :], shape)
    return GeneStudy(gene=gene.ravel(), region=region.ravel(), dose_mg_per_kg=dose.ravel(),
                     animal=animal.ravel(), log2_fold_change=values.ravel())


@dataclass(frozen=True)
class HillFit:
    """Result of :func:`fit_ed50`: a signed Hill curve fitted by least squares.

    Attributes
    ----------
    ed50
        Fitted ED50, in the unit of the doses (mg/kg).
    emax
        Fitted maximal response (signed; log2 fold change for gene data).
    hill_n
        Fitted Hill coefficient, or the fixed value when ``n_fixed``.
    ed50_se, emax_se, hill_n_se
        Asymptotic standard errors from the covariance of the fit (``hill_n_se`` is NaN when
        ``n`` was fixed; NaN or inf when a parameter is not identifiable from the data).
    n_fixed
        True when ``hill_n`` was held fixed.
    """

    ed50: float
    emax: float
    hill_n: float
    ed50_se: float
    emax_se: float
    hill_n_se: float
    n_fixed: bool

    def predict(self, dose) -> np.ndarray:
        """Fitted response at ``dose`` (array-like, >= 0)."""
        return np.sign(self.emax) * hill(dose, self.ed50, n=self.hill_n, emax=abs(self.emax))


def _hill_model(d, ed50, emax, n):
    r = (d / ed50) ** n
    return emax * r / (1.0 + r)


def fit_ed50(doses, responses, *, hill_n: float | None = None) -> HillFit:
    """Fit ``emax d**n / (ed50**n + d**n)`` to per-animal responses with ``curve_fit``.

    Parameters
    ----------
    doses
        Dose of each observation, mg/kg (1-D, >= 0); at least three distinct values, two of
        them > 0.
    responses
        Response of each observation (same length), e.g. log2 fold changes. Responses are
        assumed to be 0 at dose 0 (the saline reference).
    hill_n
        Fix the Hill coefficient to this value (> 0); None fits it as well.

    Returns
    -------
    HillFit

    Examples
    --------
    >>> d = np.array([0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0])
    >>> fit = fit_ed50(d, true_log2fc("Fos", "PFC", d))
    >>> round(fit.ed50, 3), round(fit.emax, 3), round(fit.hill_n, 3)
    (2.0, 1.6, 1.5)
    """
    d = _check_doses("doses", doses, Bounds(0.0, np.inf))
    try:
        y = np.asarray(responses, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"responses must be numbers, got {responses!r}") from None
    if d.ndim != 1 or y.shape != d.shape:
        raise ValueError(f"doses and responses must be 1-D of equal length, got shapes "
                         f"{d.shape} and {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("responses must be finite (no NaN or inf)")
    positive = np.unique(d[d > 0])
    if np.unique(d).size < 3 or positive.size < 2:
        raise ValueError("doses must contain at least three distinct values, two of them > 0, "
                         f"got {np.unique(d).tolist()}")
    if hill_n is not None:
        check_in_range("hill_n", hill_n, Bounds(0.0, 10.0, low_open=True))

    top = y[d == positive[-1]].mean()
    emax0 = top if top != 0 else 1e-3
    p0 = [float(np.median(positive)), float(emax0)]
    lower = [positive[0] * 1e-3, -np.inf]
    upper = [positive[-1] * 1e3, np.inf]
    if hill_n is None:
        p0.append(1.0)
        lower.append(0.2)
        upper.append(10.0)

        def model(x, ed50, emax, n):
            return _hill_model(x, ed50, emax, n)
    else:
        n_fixed = float(hill_n)

        def model(x, ed50, emax):
            return _hill_model(x, ed50, emax, n_fixed)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        try:
            popt, pcov = curve_fit(model, d, y, p0=p0, bounds=(lower, upper), maxfev=20_000)
        except RuntimeError as err:  # pragma: no cover - trf rarely fails on this model
            raise RuntimeError(f"Hill fit did not converge: {err}") from err
    se = np.sqrt(np.abs(np.diag(pcov)))
    if hill_n is None:
        return HillFit(ed50=float(popt[0]), emax=float(popt[1]), hill_n=float(popt[2]),
                       ed50_se=float(se[0]), emax_se=float(se[1]), hill_n_se=float(se[2]),
                       n_fixed=False)
    return HillFit(ed50=float(popt[0]), emax=float(popt[1]), hill_n=float(hill_n),
                   ed50_se=float(se[0]), emax_se=float(se[1]), hill_n_se=float("nan"),
                   n_fixed=True)
