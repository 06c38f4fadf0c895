"""Authorisation matrix rows for the brokerage's runs pages."""

RUNS_CASES = []
