"""Authorisation matrix rows for the records imports pages (see tests/test_authorisation_matrix.py)."""

IMPORTS_CASES = []
