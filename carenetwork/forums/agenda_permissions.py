"""Who sees what of a forum's shared agenda: which items, who raised them, and who may comment.

The anonymity rule lives here once: an item raised anonymously shows "A provider" instead of its organisation
and person to everyone except the forum's leads and the raiser's own organisation. Pages, the issue log, its
CSV export and emails all ask `raiser_visible` (through `can_see_raiser` where there is a signed-in person).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from carenetwork.forums import permissions
from carenetwork.forums.models import AgendaItem
from carenetwork.organisations import permissions as org_permissions

State = AgendaItem.State
# Accepted onto a meeting's agenda, whatever happened next.
ACCEPTED_STATES = (State.ON_AGENDA, State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK, State.CLOSED)
# Not yet dealt with: these carry over to the next meeting.
UNRESOLVED_STATES = (State.RAISED, State.ON_AGENDA, State.DISCUSSED, State.ACTION_IN_PROGRESS)
# Past the agenda: other providers see these whatever meeting they now sit on.
DISCUSSED_STATES = (State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK, State.CLOSED)
COMMENTABLE_STATES = (State.ON_AGENDA, State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK)


def own_organisation_ids(user) -> set[int]:
    """Ids of the organisations the person belongs to (cached per request with their memberships)."""
    return {m.organisation_id for m in org_permissions.active_memberships(user)}


def own_person_id(user) -> int | None:
    """The person's id for "raised by them", or None when they act for one organisation only (an API token): then
    an item they raised for another of their organisations is not theirs here."""
    if org_permissions.acting_organisation_id(user) is not None:
        return None
    return getattr(user, "pk", None)


def raised_by_person_q(user) -> Q:
    """Items the person raised themselves (none when acting for one organisation: see `own_person_id`)."""
    person_id = own_person_id(user)
    return Q(raised_by_id=person_id) if person_id is not None else Q(pk__in=[])


def _leads(user, forum_id) -> bool:
    return forum_id in permissions.led_forum_ids(user)


def _in_forum(user, forum_id) -> bool:
    return _leads(user, forum_id) or forum_id in permissions.member_forum_organisations(user)


def raiser_visible(item, *, lead: bool, organisation_ids, person_id=None) -> bool:
    """The anonymity rule: leads, the raiser and their organisation always see who raised an item."""
    return (
        not item.anonymous
        or lead
        or (item.raised_by_organisation_id is not None and item.raised_by_organisation_id in organisation_ids)
        or (person_id is not None and item.raised_by_id == person_id)
    )


def can_see_raiser(user, item) -> bool:
    """Whether this person may see which organisation and person raised the item."""
    return raiser_visible(
        item,
        lead=_leads(user, item.forum_id),
        organisation_ids=own_organisation_ids(user),
        person_id=own_person_id(user),
    )


def raiser_label(item, visible: bool) -> str:
    """Who raised the item, as shown to someone who may (or may not) see it."""
    if not visible:
        return _("A provider")
    organisation = item.raised_by_organisation
    person = item.raised_by
    if organisation and person:
        return f"{person}, {organisation}"
    if organisation:
        return str(organisation)
    if person:
        return _("%(person)s (council lead)") % {"person": person}
    return _("Not known")


def is_own_item(user, item) -> bool:
    """Raised by the person or by one of their organisations."""
    person_id = own_person_id(user)
    return (person_id is not None and item.raised_by_id == person_id) or (
        item.raised_by_organisation_id is not None and item.raised_by_organisation_id in own_organisation_ids(user)
    )


def is_published(item) -> bool:
    """On a published agenda, or discussed or later: from then on the whole forum sees it."""
    if item.state in DISCUSSED_STATES:
        return True
    return (
        item.state == State.ON_AGENDA and item.meeting_id is not None and item.meeting.agenda_published_at is not None
    )


def published_q() -> Q:
    """`is_published` as a query filter."""
    return Q(state__in=DISCUSSED_STATES) | Q(state=State.ON_AGENDA, meeting__agenda_published_at__isnull=False)


def can_view_item(user, item) -> bool:
    """Leads see every item; members see published items and their own organisation's."""
    if _leads(user, item.forum_id):
        return True
    return _in_forum(user, item.forum_id) and (is_own_item(user, item) or is_published(item))


def visible_items_q(user, forum) -> Q:
    """`can_view_item` as a query filter over one forum's items."""
    if _leads(user, forum.pk):
        return Q()
    if not _in_forum(user, forum.pk):
        return Q(pk__in=[])
    return raised_by_person_q(user) | Q(raised_by_organisation_id__in=own_organisation_ids(user)) | published_q()


def can_comment(user, item) -> bool:
    """Members and leads comment on items on a published agenda or later (not once closed)."""
    return (
        _in_forum(user, item.forum_id)
        and can_view_item(user, item)
        and item.state in COMMENTABLE_STATES
        and is_published(item)
    )
