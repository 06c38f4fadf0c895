"""Authorisation matrix rows for award, feedback and payment on time (see tests/test_authorisation_matrix.py).

Council staff record the award, write feedback, record invoices and see the payments page and its downloads. A
bid's feedback is read by the bidder organisation's admins and members (sending it is for council staff: 403), and a
contract's invoices by the supplier's admins and members; anyone else gets a 404 for either: they may not know it
exists.
"""

from tests.matrix_roles import DENIED, MISSING, only

COUNCIL = ("council_officer", "council_admin")
PROVIDER = ("provider_member", "provider_admin")
# Everyone but the provider's people and council staff may not know of the provider's bid or contract.
READERS = only(*COUNCIL, *PROVIDER, other=MISSING)
SENDERS = {**READERS, **dict.fromkeys(PROVIDER, DENIED)}

AWARD_CASES = [
    ("procurement:award", lambda w: [closed_for(w).pk], "get", only(*COUNCIL)),
    # An empty POST: the rows' errors.
    ("procurement:award", lambda w: [closed_for(w).pk], "post", only(*COUNCIL)),
    ("procurement:feedback", lambda w: [bid_for(w).pk], "get", READERS),
    # An empty POST: "Write the feedback".
    ("procurement:feedback", lambda w: [bid_for(w).pk], "post", SENDERS),
    ("procurement:payments", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:payments-compliance-csv", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:payments-compliance-xlsx", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:payments-large-csv", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:payments-large-xlsx", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:contract", lambda w: [contract_for_world(w).pk], "get", READERS),
    ("procurement:invoice-new", lambda w: [contract_for_world(w).pk], "get", only(*COUNCIL)),
    ("procurement:invoice-new", lambda w: [contract_for_world(w).pk], "post", only(*COUNCIL)),
    ("procurement:invoice-edit", lambda w: [invoice_for(w).pk], "get", only(*COUNCIL)),
    ("procurement:invoice-edit", lambda w: [invoice_for(w).pk], "post", only(*COUNCIL)),
]


def closed_for(w):
    """A closed opportunity whose tender deadline has passed (made once per world)."""
    if not hasattr(w, "closed_opportunity"):
        import datetime

        from django.utils import timezone

        from carenetwork.procurement.models import Opportunity
        from tests.procurement.factories import opportunity_for

        today = timezone.localdate()
        w.closed_opportunity = opportunity_for(
            status=Opportunity.Status.CLOSED,
            questions_deadline=today - datetime.timedelta(days=20),
            tender_deadline=today - datetime.timedelta(days=7),
        )
    return w.closed_opportunity


def bid_for(w):
    """The provider's unsuccessful bid for lot 1 of the closed opportunity (made once per world)."""
    if not hasattr(w, "bid"):
        from decimal import Decimal

        from carenetwork.procurement.models import Bid

        lot = closed_for(w).lots.get(number=1)
        w.bid = Bid.objects.create(
            lot=lot, organisation=w.provider, outcome=Bid.Outcome.UNSUCCESSFUL, score=Decimal(61)
        )
    return w.bid


def contract_for_world(w):
    """A contract awarded to the provider (made once per world)."""
    if not hasattr(w, "contract"):
        from tests.procurement.factories import contract_for

        w.contract = contract_for(w.provider)
    return w.contract


def invoice_for(w):
    """An unpaid invoice on the provider's contract (made once per world)."""
    if not hasattr(w, "invoice"):
        from django.utils import timezone

        from carenetwork.procurement.models import Invoice

        today = timezone.localdate()
        w.invoice = Invoice.objects.create(
            contract=contract_for_world(w), reference="INV-1", amount=1000, received_on=today, undisputed_on=today
        )
    return w.invoice
