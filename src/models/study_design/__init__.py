"""Study design, one lesson per module (chapters 09, 10, 01 and 11).

- :mod:`~models.study_design.power`: power of a two-group experiment;
- :mod:`~models.study_design.clustering`: dendrites nested in mice (pseudo-replication);
- :mod:`~models.study_design.multiple_testing`: many genes, many tests;
- :mod:`~models.study_design.trials`: placebo response, expectancy and unblinding in trials.

Import from the lesson's module, e.g. ``from models.study_design.power import analytic_power``.
"""
