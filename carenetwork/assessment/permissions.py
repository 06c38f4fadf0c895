"""Who may do what with the self-assessments: council staff answer them and read the results; providers score the
council's engagement, anonymously, and see only their own scores."""

from carenetwork.organisations.models import Organisation
from carenetwork.organisations.permissions import active_memberships, is_council_staff


def can_manage_assessments(user) -> bool:
    """Council staff start, answer and close rounds and read the trend and providers' scores beside their own."""
    return is_council_staff(user)


def scoring_organisation(user):
    """The care provider a person scores the council for: their first provider membership (any role), or None."""
    for m in active_memberships(user):
        if m.organisation.kind == Organisation.Kind.PROVIDER:
            return m.organisation
    return None


def can_score_council(user) -> bool:
    """Admins and members of a care provider score the council's engagement methods."""
    return scoring_organisation(user) is not None
