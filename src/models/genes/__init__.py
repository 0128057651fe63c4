"""Gene expression after one dose of psilocybin (chapter 05, "Evidence II: genes in rats").

A toy of Jefsen et al. (2021), in two layers:

- :mod:`~models.genes.panel`: the gene panel and each gene's true, noise-free change by dose
  and region (:func:`true_log2fc`, :func:`dose_snapshot`);
- :mod:`~models.genes.study`: a simulated study with noisy rats and an ED50 fit
  (:func:`simulate_gene_study`, :func:`fit_ed50`, :func:`simulate_ed50_experiment`).
"""

from . import panel, study
from .panel import *  # noqa: F403  (each submodule lists its API in __all__)
from .study import *  # noqa: F403  (each submodule lists its API in __all__)

__all__ = [*panel.__all__, *study.__all__]
