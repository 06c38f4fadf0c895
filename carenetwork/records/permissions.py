"""Who may see and change staff registers and training records.

Staff names and training are personal data: only the provider's admins (and the person themselves, for their own
records) see them. Council staff see aggregates without names; council administrators edit the taxonomies.
"""

from carenetwork.organisations.models import Organisation, Role
from carenetwork.organisations.permissions import is_council_admin, is_council_staff, role_in


def can_manage_staff(user, organisation) -> bool:
    """A provider's admins keep its staff register and training records."""
    return organisation.kind == Organisation.Kind.PROVIDER and role_in(user, organisation) == Role.ADMIN


def can_view_certificate(user, record) -> bool:
    """A certificate is served to the provider's admins and to the person it belongs to."""
    staff = record.staff
    return can_manage_staff(user, staff.organisation) or (staff.user_id is not None and staff.user_id == user.pk)


def can_view_compliance(user) -> bool:
    """Council staff read the skills picture and providers' compliance, never names."""
    return is_council_staff(user)


def can_manage_training_settings(user) -> bool:
    """Council administrators edit training categories, job roles, mandatory training and retention."""
    return is_council_admin(user)
