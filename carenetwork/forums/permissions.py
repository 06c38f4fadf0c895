"""Who may see and do what in a forum. A forum is confidential: outside its member organisations and council
leads, its pages do not exist (404); council officers who are not leads see only that it exists.

Forum rights are read once per request and cached on the user object, like organisation memberships.
"""

from django.db.models import Q

from carenetwork.forums.models import Forum, ForumMembership
from carenetwork.organisations import permissions as org_permissions
from carenetwork.organisations.models import ADMIN_ROLES, Membership, Organisation


def member_forum_organisations(user) -> dict[int, list[int]]:
    """{forum id: [ids of the person's organisations that are active members]}, read once per request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_cn_forum_orgs", None)
    if cached is None:
        org_ids = [m.organisation_id for m in org_permissions.active_memberships(user)]
        cached = {}
        rows = ForumMembership.objects.filter(
            organisation_id__in=org_ids, status=ForumMembership.Status.ACTIVE
        ).values_list("forum_id", "organisation_id")
        for forum_id, organisation_id in rows:
            cached.setdefault(forum_id, []).append(organisation_id)
        user._cn_forum_orgs = cached
    return cached


def led_forum_ids(user) -> set[int]:
    """Ids of the forums the person leads (council staff only), read once per request."""
    if not org_permissions.is_council_staff(user):
        return set()
    cached = getattr(user, "_cn_led_forums", None)
    if cached is None:
        cached = set(Forum.leads.through.objects.filter(user_id=user.pk).values_list("forum_id", flat=True))
        user._cn_led_forums = cached
    return cached


def current_leads(forum):
    """The forum's leads who are council staff now and whose accounts are active: the only ones told anything.

    A lead row can outlive the person's council membership (it is removed when the membership ends, but the
    rule must not depend on that), so every email and list of leads asks this, never `forum.leads` directly.
    """
    council_staff = Membership.objects.active().filter(organisation__kind=Organisation.Kind.COUNCIL)
    return forum.leads.filter(is_active=True, pk__in=council_staff.values("user_id")).order_by("full_name", "email")


def forget(user) -> None:
    """Drop cached forum rights after they change."""
    for attr in ("_cn_forum_orgs", "_cn_led_forums"):
        if hasattr(user, attr):
            delattr(user, attr)


def is_lead(user, forum) -> bool:
    """A council lead of this forum."""
    return forum.pk in led_forum_ids(user)


def is_member(user, forum) -> bool:
    """A person of one of the forum's member organisations."""
    return forum.pk in member_forum_organisations(user)


def can_know_forum_exists(user, forum) -> bool:
    """Members, leads and every council officer know a forum exists; nobody else does."""
    return is_member(user, forum) or is_lead(user, forum) or org_permissions.is_council_staff(user)


def can_view_forum(user, forum) -> bool:
    """Everything said in a forum is for its member organisations' people and its council leads."""
    return is_member(user, forum) or is_lead(user, forum)


def can_lead_forum(user, forum) -> bool:
    """Council leads run meetings, the agenda, the record and membership."""
    return is_lead(user, forum)


def can_manage_forums(user) -> bool:
    """Council officers create forums and choose their leads."""
    return org_permissions.is_council_staff(user)


def own_bookings_q(user) -> Q:
    """The person's own bookings; when they act for one organisation (an API token), only those made for it."""
    own = Q(person_id=user.pk)
    acting = org_permissions.acting_organisation_id(user)
    return own & Q(organisation_id=acting) if acting is not None else own


def booking_organisation(user, forum) -> int | None:
    """The member organisation a person books for: the first of theirs in the forum."""
    organisations = member_forum_organisations(user).get(forum.pk)
    return organisations[0] if organisations else None


def can_book(user, meeting) -> bool:
    """People of member organisations book; leads run the meeting and need no place."""
    return booking_organisation(user, meeting.forum) is not None and meeting.cancelled_at is None


def can_cancel_booking(user, booking) -> bool:
    """The person themselves, their organisation's admins, or the forum's leads."""
    return (
        booking.person_id == user.pk
        or org_permissions.can_manage_organisation(user, booking.organisation)
        or can_lead_forum(user, booking.meeting.forum)
    )


def can_raise_item(user, forum) -> bool:
    """Any person of a member organisation, or a lead, raises an agenda item."""
    return can_view_forum(user, forum)


def eligible_organisations(user, forum) -> list[Organisation]:
    """The person's organisations that they administer and that may ask to join the forum."""
    sector_ids = {s.pk for s in forum.sectors.all()}
    members = set(member_forum_organisations(user).get(forum.pk, []))
    return [
        m.organisation
        for m in org_permissions.active_memberships(user)
        if m.role in ADMIN_ROLES
        and m.organisation.kind == Organisation.Kind.PROVIDER
        and m.organisation_id not in members
        and sector_ids & {s.pk for s in m.organisation.sectors.all()}
    ]


def can_request_membership(user, forum, organisation) -> bool:
    """An eligible provider's admin asks for their organisation to join (partners are invited)."""
    return organisation in eligible_organisations(user, forum)
