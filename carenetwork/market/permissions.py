"""Who may see the market pages. Demand is public data; supply is aggregates, with sub-markets of fewer than three
providers hidden from providers; sustainability (the largest provider by name, verdicts) is for council staff."""

from carenetwork.organisations.models import Organisation, Role
from carenetwork.organisations.permissions import active_memberships, is_council_admin, is_council_staff, role_in


def can_view_market(user) -> bool:
    """Anyone who is a member of an organisation now reads predicted demand and the market's supply."""
    return bool(active_memberships(user))


def sees_every_figure(user) -> bool:
    """Council staff see every sub-market's figures, however few providers it has."""
    return is_council_staff(user)


def can_view_sustainability(user) -> bool:
    """Council staff read the sustainability verdicts, which name the largest provider of each sub-market."""
    return is_council_staff(user)


def can_manage_market_settings(user) -> bool:
    """Council administrators set the council's area and the verdict's thresholds."""
    return is_council_admin(user)


def can_make_return(user, location) -> bool:
    """A provider's admins make its locations' capacity returns."""
    organisation = location.organisation
    return organisation.kind == Organisation.Kind.PROVIDER and role_in(user, organisation) == Role.ADMIN


def return_organisations(user) -> list:
    """The providers whose capacity returns this person makes."""
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == Organisation.Kind.PROVIDER and m.role == Role.ADMIN
    ]


def can_view_returns_completion(user) -> bool:
    """Council staff see which providers have returned, and the market's totals over time."""
    return is_council_staff(user)


# The market position statement: public once published; members read the comments; providers comment; council staff
# edit, publish and respond.


def can_edit_statement(user) -> bool:
    """Council staff write the draft, publish versions and respond to comments."""
    return is_council_staff(user)


def can_read_comments(user) -> bool:
    """Members of any organisation read the comments and responses beneath each section (the public does not)."""
    return bool(active_memberships(user))


def commenting_organisation(user):
    """The provider (or partner) a person comments for: their first such membership, or None."""
    for m in active_memberships(user):
        if m.organisation.kind in (Organisation.Kind.PROVIDER, Organisation.Kind.PARTNER):
            return m.organisation
    return None


def can_comment(user) -> bool:
    """Members of a care provider or partner organisation comment on the current version's sections."""
    return commenting_organisation(user) is not None


def can_manage_needed_services(user) -> bool:
    """Council staff add and change the needed services, read everyone's interest in them and reply."""
    return is_council_staff(user)


def can_register_interest(user) -> bool:
    """Anyone signed in but council staff, with or without an organisation, registers interest in a needed service."""
    return bool(getattr(user, "is_authenticated", False)) and not is_council_staff(user)
