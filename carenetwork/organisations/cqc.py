"""Importing registered providers and locations from CQC data (placeholder, replaced below)."""
