"""Authorisation matrix rows for the board and the officer's drafting (see tests/test_authorisation_matrix.py).

A published opportunity is public, like a tender notice; a draft is seen only by council staff (anyone else: 404, they
may not know it exists). Supplier organisations' admins and members register interest; council staff draft, change,
check the advice and publish.
"""

from carenetwork.procurement.models import Opportunity
from tests.matrix_roles import MISSING, REDIRECT, ROLES, SIGNED_IN, only
from tests.procurement.factories import opportunity_for

COUNCIL = ("council_officer", "council_admin")
SUPPLIERS = tuple(r for r in SIGNED_IN if r not in COUNCIL)
EVERYONE = {role: 200 for role in ROLES}


def _draft(w):
    return opportunity_for(status=Opportunity.Status.DRAFT)


BOARD_CASES = [
    ("procurement:board", lambda w: [], "get", EVERYONE),
    ("procurement:detail", lambda w: [opportunity_for().pk], "get", EVERYONE),
    ("procurement:detail", lambda w: [_draft(w).pk], "get", only(*COUNCIL, other=MISSING, anonymous=MISSING)),
    ("procurement:interest", lambda w: [opportunity_for().pk], "post", only(*SUPPLIERS, status=REDIRECT)),
    ("procurement:new", lambda w: [], "get", only(*COUNCIL)),
    # An empty POST: the form's errors.
    ("procurement:new", lambda w: [], "post", only(*COUNCIL)),
    ("procurement:edit", lambda w: [_draft(w).pk], "get", only(*COUNCIL)),
    ("procurement:advice", lambda w: [], "post", only(*COUNCIL)),
    # Publishing a complete draft puts it on the board.
    ("procurement:publish", lambda w: [_draft(w).pk], "post", only(*COUNCIL, status=REDIRECT)),
    ("procurement:cancel", lambda w: [opportunity_for().pk], "get", only(*COUNCIL)),
    # An empty POST: the reason is asked for.
    ("procurement:cancel", lambda w: [opportunity_for().pk], "post", only(*COUNCIL)),
    ("procurement:draft-delete", lambda w: [_draft(w).pk], "get", only(*COUNCIL)),
    ("procurement:draft-delete", lambda w: [_draft(w).pk], "post", only(*COUNCIL, status=REDIRECT)),
    ("procurement:part-new", lambda w: [_draft(w).pk, "lots"], "get", only(*COUNCIL)),
    ("procurement:part-edit", lambda w: ["criteria", _draft(w).criteria.first().pk], "get", only(*COUNCIL)),
    ("procurement:part-remove", lambda w: ["documents", _document(w).pk], "post", only(*COUNCIL, status=REDIRECT)),
    # The board as open contracting data is public; a draft is not in it.
    ("procurement:ocds-list", lambda w: [], "get", EVERYONE),
    ("procurement:ocds-package", lambda w: [opportunity_for().pk], "get", EVERYONE),
    ("procurement:ocds-package", lambda w: [_draft(w).pk], "get", {role: MISSING for role in ROLES}),
]


def _document(w):
    return _draft(w).documents.create(title="Specification", url="https://example.org/spec.pdf")
