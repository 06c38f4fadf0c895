"""Agenda, record and issue-log pages (filled in by the agenda work)."""

urlpatterns: list = []
