"""Authorisation matrix rows for the brokerage's delivery pages."""

DELIVERY_CASES = []
