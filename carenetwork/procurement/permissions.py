"""Who may do what on the opportunities board. Published opportunities are public, like a tender notice; council
staff draft, publish, answer, award and record payments; admins and members of a supplier organisation (any kind but
the council) register interest, ask questions and use the consortium finder for their organisation, and read their own
bids' feedback and their own contracts' invoices. A question's asker is known only to council staff."""

from carenetwork.organisations.models import Organisation
from carenetwork.organisations.permissions import active_memberships, is_council_staff


def can_manage(user) -> bool:
    """Council officers and administrators draft, publish, answer, award and record invoices."""
    return is_council_staff(user)


def supplier_organisations(user) -> list:
    """The organisations a person may act for as a supplier: every active membership outside the council."""
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind != Organisation.Kind.COUNCIL and m.organisation.is_active
    ]


def acting_organisation(user, organisation_id: int | None = None):
    """The supplier organisation a person acts for: the one asked for if they belong to it, else their first."""
    organisations = supplier_organisations(user)
    for organisation in organisations:
        if organisation_id is None or organisation.pk == organisation_id:
            return organisation
    return None


def can_take_part(user) -> bool:
    """Register interest, ask a clarification question, post in the consortium finder."""
    return bool(supplier_organisations(user))


def can_view(user, opportunity) -> bool:
    """Anyone sees a published opportunity; only council staff see a draft."""
    return opportunity.status != opportunity.Status.DRAFT or can_manage(user)


def can_read_clarifications(user) -> bool:
    """Questions and answers, and the consortium finder, are for signed-in suppliers and council staff."""
    return can_manage(user) or can_take_part(user)


def can_edit(opportunity) -> bool:
    """A draft or open opportunity published here may be changed (by council staff); not one decided or imported."""
    return opportunity.origin == opportunity.Origin.PORTAL and opportunity.status in (
        opportunity.Status.DRAFT,
        opportunity.Status.OPEN,
    )


def can_cancel(opportunity) -> bool:
    """An open or closed opportunity published here may be cancelled until a lot has a successful bid."""
    from carenetwork.procurement.models import Bid

    return (
        opportunity.origin == opportunity.Origin.PORTAL
        and opportunity.status in (opportunity.Status.OPEN, opportunity.Status.CLOSED)
        and not Bid.objects.filter(lot__opportunity=opportunity, outcome=Bid.Outcome.SUCCESSFUL).exists()
    )


def can_read_feedback(user, bid) -> bool:
    """A bid's feedback and scores: council staff, and the bidder organisation's admins and members."""
    return can_manage(user) or any(o.pk == bid.organisation_id for o in supplier_organisations(user))


def can_view_contract(user, contract) -> bool:
    """A contract and its invoices: council staff, and the supplier organisation's admins and members."""
    return can_manage(user) or any(o.pk == contract.supplier_id for o in supplier_organisations(user))
