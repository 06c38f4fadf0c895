"""Authorisation matrix rows for the meeting and booking pages."""

MEETING_CASES: list = []
