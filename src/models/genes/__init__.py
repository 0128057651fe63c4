"""Gene expression after one dose of psilocybin (chapter 05, "Evidence II: genes in rats").

A toy of Jefsen et al. (2021), in two layers:

- :mod:`~models.genes.panel`: the gene panel and each gene's true, noise-free change by dose
  and region (:func:`true_log2fc`, :func:`dose_snapshot`);
- :mod:`~models.genes.study`: a simulated study with noisy rats and an ED50 fit
  (:func:`simulate_gene_study`, :func:`fit_ed50`, :func:`simulate_ed50_experiment`).
"""

from .panel import (
    DOSE_BOUNDS,
    EXAMPLE_DOSES_MG_PER_KG,
    GENE_PANEL,
    REGIONS,
    THRESHOLD_BOUNDS,
    DoseSnapshot,
    Gene,
    RegionResponse,
    changed_genes,
    dose_snapshot,
    get_gene,
    true_log2fc,
)
from .study import (
    Ed50Experiment,
    GeneStudy,
    HillFit,
    fit_ed50,
    simulate_ed50_experiment,
    simulate_gene_study,
)

__all__ = [
    "DOSE_BOUNDS",
    "EXAMPLE_DOSES_MG_PER_KG",
    "GENE_PANEL",
    "REGIONS",
    "THRESHOLD_BOUNDS",
    "DoseSnapshot",
    "Ed50Experiment",
    "Gene",
    "GeneStudy",
    "HillFit",
    "RegionResponse",
    "changed_genes",
    "dose_snapshot",
    "fit_ed50",
    "get_gene",
    "simulate_ed50_experiment",
    "simulate_gene_study",
    "true_log2fc",
]
