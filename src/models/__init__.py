"""Toy models of the brain's rewiring, used by every chapter of the book.

Pure numpy/scipy: no plotting, no widgets, no printing. One lesson per module, named like the
chapter's explorer module (see ARCHITECTURE.md): :mod:`models.spines`,
:mod:`models.pharmacology`, :mod:`models.imaging`, :mod:`models.genes`,
:mod:`models.mechanisms`, :mod:`models.networks`, :mod:`models.landscape` and the four lessons
of :mod:`models.study_design`. Shared parameter validation lives in :mod:`models._params`.
"""
