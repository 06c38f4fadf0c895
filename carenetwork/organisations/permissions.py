"""Who may do what with organisations and people. Every view and API endpoint asks these predicates.

A person's rights follow from their active memberships. They are read once per request and cached on
the user object, so predicates cost no queries after the first.
"""

from carenetwork.organisations.models import ADMIN_ROLES, Membership, Organisation, Role


def active_memberships(user) -> list[Membership]:
    """The person's active memberships, with their organisations, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cn_memberships", None)
    if cached is None:
        cached = list(Membership.objects.active().filter(user=user).select_related("organisation"))
        user._cn_memberships = cached
    return cached


def acting_organisation_id(user) -> int | None:
    """The one organisation a person acts for in this request (through an organisation's API token), or None when
    they act as themselves. Then only that organisation's things are theirs, not everything they did personally
    for their other organisations."""
    return getattr(user, "_cn_acting_organisation_id", None)


def forget_memberships(user) -> None:
    """Drop the cached memberships after they change."""
    if hasattr(user, "_cn_memberships"):
        del user._cn_memberships


def role_in(user, organisation) -> str | None:
    """The person's role in the organisation, or None."""
    for m in active_memberships(user):
        if m.organisation_id == organisation.pk:
            return m.role
    return None


def is_council_staff(user) -> bool:
    """Council officers and administrators."""
    return any(m.organisation.kind == Organisation.Kind.COUNCIL for m in active_memberships(user))


def is_council_admin(user) -> bool:
    """Council administrators manage members, settings and taxonomies."""
    return any(
        m.organisation.kind == Organisation.Kind.COUNCIL and m.role == Role.ADMINISTRATOR
        for m in active_memberships(user)
    )


def can_view_directory(user) -> bool:
    """Any signed-in person can search the directory of member organisations."""
    return bool(getattr(user, "is_authenticated", False))


def can_view_organisation(user, organisation) -> bool:
    """Signed-in people see every active organisation's public profile; council staff see all."""
    return can_view_directory(user) and (organisation.is_active or is_council_staff(user))


def can_view_members(user, organisation) -> bool:
    """An organisation's people are seen by its own members and by council staff only."""
    return role_in(user, organisation) is not None or is_council_staff(user)


def can_manage_organisation(user, organisation) -> bool:
    """The organisation's admins edit its profile, locations and people."""
    return role_in(user, organisation) in ADMIN_ROLES


def can_request_to_join(user, organisation) -> bool:
    """A signed-in person, not council staff, may ask to join a provider, training provider or partner."""
    return (
        getattr(user, "is_authenticated", False)
        and not is_council_staff(user)
        and organisation.is_active
        and organisation.kind != Organisation.Kind.COUNCIL
        and role_in(user, organisation) is None
    )


def can_appoint_admin(user, organisation) -> bool:
    """Council administrators appoint an admin for an organisation, e.g. one left without any."""
    return is_council_admin(user) and organisation.kind != Organisation.Kind.COUNCIL


def can_view_admin_reports(user) -> bool:
    """The no-active-admin list, CQC imports and the audit trail are for council administrators."""
    return is_council_admin(user)


def can_leave(user, membership) -> bool:
    """A person may end their own membership."""
    return membership.user_id == user.pk and membership.is_active
