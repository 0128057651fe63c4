"""Toy models of the brain's rewiring, used by every chapter of the book.

Pure numpy/scipy: no plotting, no widgets, no printing. One module per idea:
:mod:`models.synapses`, :mod:`models.pharmacology`, :mod:`models.expression`,
:mod:`models.networks`, :mod:`models.landscape`, :mod:`models.design`.
"""
