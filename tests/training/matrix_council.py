"""Authorisation matrix rows for the brokerage's council pages and the providers' demand survey
(see tests/test_authorisation_matrix.py).

Only the provider's own admins answer its demand survey; council staff read the priorities and the programme
report; council administrators change the brokerage settings. Everyone else gets 403.
"""

from tests.matrix_roles import only

COUNCIL = only("council_officer", "council_admin")

COUNCIL_CASES = [
    ("training:demand-survey", lambda w: [w.provider.pk], "get", only("provider_admin")),
    ("training:priorities", lambda w: [], "get", COUNCIL),
    ("training:priorities-csv", lambda w: [], "get", COUNCIL),
    ("training:priorities-xlsx", lambda w: [], "get", COUNCIL),
    ("training:programme-report", lambda w: [], "get", COUNCIL),
    ("training:programme-report-csv", lambda w: [], "get", COUNCIL),
    ("training:programme-report-xlsx", lambda w: [], "get", COUNCIL),
    ("training:settings", lambda w: [], "get", only("council_admin")),
]
