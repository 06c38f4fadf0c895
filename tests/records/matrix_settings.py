"""Authorisation matrix rows for the records settings pages (see tests/test_authorisation_matrix.py)."""

SETTINGS_CASES = []
