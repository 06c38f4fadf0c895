"""Authorisation matrix rows for the brokerage's council pages."""

COUNCIL_CASES = []
