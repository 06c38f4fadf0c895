"""Who may do what with the fair cost of care. A provider's calculations are private to its own admins and members;
council staff see submitted returns only as quartiles; council administrators keep the dated assumptions."""

from carenetwork.organisations.models import Organisation
from carenetwork.organisations.permissions import active_memberships, is_council_admin, is_council_staff


def calculating_organisations(user) -> list:
    """The care providers this person is an admin or member of: the ones they calculate and save for."""
    return [m.organisation for m in active_memberships(user) if m.organisation.kind == Organisation.Kind.PROVIDER]


def can_calculate(user) -> bool:
    """Admins and members of a care provider run the calculators and save their calculations."""
    return bool(calculating_organisations(user))


def can_view_calculation(user, calculation) -> bool:
    """Only the provider's own admins and members see its calculations, drafts or submitted."""
    return any(org.pk == calculation.organisation_id for org in calculating_organisations(user))


def can_view_cost_returns(user) -> bool:
    """Council staff see the submitted returns as quartiles, never one provider's figure."""
    return is_council_staff(user)


def can_manage_assumptions(user) -> bool:
    """Council administrators add dated assumption sets (and correct one, audited)."""
    return is_council_admin(user)
