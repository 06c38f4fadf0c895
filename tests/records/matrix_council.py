"""Authorisation matrix rows for the records council pages (see tests/test_authorisation_matrix.py).

Council staff (officers and administrators) read the skills picture and any provider's compliance; everyone else,
providers' own admins included, gets 403.
"""

from tests.matrix_roles import only

COUNCIL = only("council_officer", "council_admin")

COUNCIL_CASES = [
    ("records:compliance", lambda w: [], "get", COUNCIL),
    ("records:compliance-csv", lambda w: [], "get", COUNCIL),
    ("records:compliance-xlsx", lambda w: [], "get", COUNCIL),
    ("records:provider-compliance", lambda w: [w.provider.pk], "get", COUNCIL),
    ("records:provider-compliance-csv", lambda w: [w.provider.pk], "get", COUNCIL),
    ("records:provider-compliance-xlsx", lambda w: [w.provider.pk], "get", COUNCIL),
    ("records:skills-gap", lambda w: [], "get", COUNCIL),
    ("records:skills-gap-csv", lambda w: [], "get", COUNCIL),
    ("records:skills-gap-xlsx", lambda w: [], "get", COUNCIL),
]
