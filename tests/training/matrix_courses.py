"""Authorisation matrix rows for the brokerage's courses pages."""

COURSES_CASES = []
