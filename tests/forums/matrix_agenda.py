"""Authorisation matrix rows for the agenda, record and issue-log pages."""

AGENDA_CASES: list = []
