"""Who may do what with the self-assessments: council staff answer them and read the results, and council
administrators change their questions; providers score the council's engagement, anonymously, and see only their own
scores; providers complete their own checklist on the market position statement, which only they see."""

from carenetwork.organisations.models import Organisation
from carenetwork.organisations.permissions import active_memberships, is_council_admin, is_council_staff


def can_manage_assessments(user) -> bool:
    """Council staff start, answer and close rounds and read the trend and providers' scores beside their own."""
    return is_council_staff(user)


def can_change_questions(user) -> bool:
    """Council administrators change the questionnaires' wording, order and questions (as a new version)."""
    return is_council_admin(user)


def scoring_organisation(user):
    """The care provider a person scores the council for: their first provider membership (any role), or None."""
    for m in active_memberships(user):
        if m.organisation.kind == Organisation.Kind.PROVIDER:
            return m.organisation
    return None


def can_score_council(user) -> bool:
    """Admins and members of a care provider score the council's engagement methods."""
    return scoring_organisation(user) is not None


def checklist_organisation(user):
    """The care provider whose own checklist a person completes and reads (their first provider membership), or None."""
    return scoring_organisation(user)


def can_complete_checklist(user) -> bool:
    """Admins and members of a care provider complete their provider's checklist on the market position statement;
    no one outside the provider, the council included, sees it."""
    return checklist_organisation(user) is not None
