"""Authorisation matrix rows for the market pages (see tests/test_authorisation_matrix.py).

Every member of an organisation reads the overview, predicted demand and supply (aggregates; small sub-markets
hidden from providers); council staff read sustainability, which names providers; council administrators change the
market settings.
"""

from tests.matrix_roles import REDIRECT, SIGNED_IN, only

COUNCIL = only("council_officer", "council_admin")

MARKET_CASES = [
    ("market:overview", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:demand", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:supply", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:sustainability", lambda w: [], "get", COUNCIL),
    ("market:settings", lambda w: [], "get", only("council_admin")),
    ("market:settings", lambda w: [], "post", only("council_admin", status=200)),
    ("market:returns", lambda w: [], "get", only("provider_admin", "other_admin")),
    ("market:returns-completion", lambda w: [], "get", COUNCIL),
    ("market:return-edit", lambda w: [w.location.pk], "get", only("provider_admin")),
    ("market:return-no-change", lambda w: [w.location.pk], "post", only("provider_admin", status=REDIRECT)),
]
