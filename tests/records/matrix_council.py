"""Authorisation matrix rows for the records council pages (see tests/test_authorisation_matrix.py)."""

COUNCIL_CASES = []
