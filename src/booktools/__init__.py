"""Tools for building and checking the book: a small Sphinx extension and the chapter checker."""
