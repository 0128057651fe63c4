"""One simulated gene-expression study, and a Hill curve fitted to estimate an ED50.

:func:`simulate_gene_study` draws rats with animal-to-animal variability around the true
changes of :mod:`models.genes.panel` (see its docstring for the model and what is simplified);
:func:`fit_ed50` fits a signed Hill curve; :func:`simulate_ed50_experiment` does both for one
gene in one region, as the chapter's explorer shows it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

from .._params import Bounds, check_in_range, check_int
from ..pharmacology import hill
from .panel import (
    EXAMPLE_DOSES_MG_PER_KG,
    GENE_PANEL,
    REGIONS,
    _check_doses,
    _region_name,
    get_gene,
)

#: Valid SDs of the noise and of the animal effect, log2 units.
_SD_BOUNDS = Bounds(0.0, 5.0)
#: Valid rats per dose group (inclusive).
N_PER_GROUP_RANGE = (1, 10_000)

__all__ = [
    "N_PER_GROUP_RANGE",
    "Ed50Experiment",
    "GeneStudy",
    "HillFit",
    "fit_ed50",
    "simulate_ed50_experiment",
    "simulate_gene_study",
]


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


def simulate_gene_study(
    *, doses, n_per_group: int, rng=None, noise_sd: float = 0.3, animal_sd: float = 0.15
) -> GeneStudy:
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
    check_int("n_per_group", n_per_group, *N_PER_GROUP_RANGE)
    check_in_range("noise_sd", noise_sd, _SD_BOUNDS)
    check_in_range("animal_sd", animal_sd, _SD_BOUNDS)
    rng = np.random.default_rng(rng)

    n_genes, n_regions = len(GENE_PANEL), len(REGIONS)
    # True effect per dose group, region and gene: shape (n_doses, n_regions, n_genes).
    truth = np.stack(
        [np.stack([g.response(r).log2fc(d) for g in GENE_PANEL], axis=-1) for r in REGIONS], axis=1
    )
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
    return GeneStudy(
        gene=gene.ravel(),
        region=region.ravel(),
        dose_mg_per_kg=dose.ravel(),
        animal=animal.ravel(),
        log2_fold_change=values.ravel(),
    )


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
    >>> from models.genes.panel import true_log2fc
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
        raise ValueError(
            f"doses and responses must be 1-D of equal length, got shapes {d.shape} and {y.shape}"
        )
    if not np.all(np.isfinite(y)):
        raise ValueError("responses must be finite (no NaN or inf)")
    positive = np.unique(d[d > 0])
    if np.unique(d).size < 3 or positive.size < 2:
        raise ValueError(
            "doses must contain at least three distinct values, two of them > 0, "
            f"got {np.unique(d).tolist()}"
        )
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
        return HillFit(
            ed50=float(popt[0]),
            emax=float(popt[1]),
            hill_n=float(popt[2]),
            ed50_se=float(se[0]),
            emax_se=float(se[1]),
            hill_n_se=float(se[2]),
            n_fixed=False,
        )
    return HillFit(
        ed50=float(popt[0]),
        emax=float(popt[1]),
        hill_n=float(hill_n),
        ed50_se=float(se[0]),
        emax_se=float(se[1]),
        hill_n_se=float("nan"),
        n_fixed=True,
    )


@dataclass(frozen=True, eq=False)
class Ed50Experiment:
    """One gene in one region from a simulated study, with its Hill fit.

    Attributes
    ----------
    gene, region
        Gene symbol and region.
    data
        The study's rows for this gene and region (:class:`GeneStudy`).
    fit
        Least-squares Hill fit, or None if the fit failed.
    n_per_group
        Rats per dose group.
    """

    gene: str
    region: str
    data: GeneStudy
    fit: HillFit | None
    n_per_group: int

    @property
    def ed50_reliable(self) -> bool:
        """True when the fitted ED50 lies inside the dose range with SE below half of it."""
        if self.fit is None:
            return False
        doses = self.data.doses
        positive = doses[doses > 0]
        f = self.fit
        return bool(
            np.isfinite(f.ed50_se)
            and positive.min() <= f.ed50 <= positive.max()
            and f.ed50_se < 0.5 * f.ed50
        )

    def true_ed50(self) -> float | None:
        """The toy's true ED50 (mg/kg), or None for a gene that does not change here."""
        response = get_gene(self.gene).response(self.region)
        return None if response.direction == 0 else float(response.ed50_mg_per_kg)


def simulate_ed50_experiment(
    *,
    gene: str = "Fos",
    region: str = "PFC",
    n_per_group: int = 8,
    doses=EXAMPLE_DOSES_MG_PER_KG,
    hill_n: float | None = 1.5,
    rng=0,
) -> Ed50Experiment:
    """Simulate a study, keep one gene in one region, and fit a Hill curve to every rat.

    Parameters are passed to :func:`simulate_gene_study` (default noise)
    and :func:`fit_ed50`. ``hill_n`` fixes the curve's steepness (1.5 is
    the toy's own value for every gene, as an analyst might fix it from other genes); None
    fits it as well, which with few animals often leaves the ED50 wildly uncertain.

    Examples
    --------
    >>> e = simulate_ed50_experiment(gene="c-Fos", n_per_group=20)
    >>> e.gene, e.ed50_reliable
    ('Fos', True)
    """
    symbol = get_gene(gene).symbol
    study = simulate_gene_study(doses=doses, n_per_group=n_per_group, rng=rng)
    data = study.subset(gene=symbol, region=region)
    try:
        fit = fit_ed50(data.dose_mg_per_kg, data.log2_fold_change, hill_n=hill_n)
    except RuntimeError:  # pragma: no cover - the fit rarely fails to converge
        fit = None
    return Ed50Experiment(
        gene=symbol, region=data.region[0], data=data, fit=fit, n_per_group=int(n_per_group)
    )
