"""Authorisation matrix rows for the records staff pages (see tests/test_authorisation_matrix.py)."""

STAFF_CASES = []
