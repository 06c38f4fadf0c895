"""Writes to the shared agenda: raising items, the leads' decisions, the record and its feedback, comments, papers.

Every change of an item's state writes an ItemEvent (its timeline) and tells the person who raised it.
"""

import hashlib
import os
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.forums import agenda_permissions as rules
from carenetwork.forums import permissions
from carenetwork.forums.models import Action, AgendaItem, Comment, Forum, ForumMembership, ItemEvent, Meeting, Paper
from carenetwork.forums.uploads import paper_content_type
from carenetwork.organisations.models import Membership, Organisation

State = AgendaItem.State
# The same thing sent again within this time is taken for a double submit, not a new one.
DUPLICATE_WINDOW = timedelta(minutes=10)
EVENT_LABELS = {
    "raised": gettext_lazy("Raised"),
    "accepted": gettext_lazy("Put on the agenda"),
    "declined": gettext_lazy("Declined"),
    "merged": gettext_lazy("Merged into another item"),
    "merged_in": gettext_lazy("Another item was merged into this one"),
    "deferred": gettext_lazy("Deferred"),
    "agenda_published": gettext_lazy("Agenda published"),
    "recorded": gettext_lazy("Outcome recorded"),
    "action_added": gettext_lazy("Action added"),
    "action_updated": gettext_lazy("Action updated"),
    "fed_back": gettext_lazy("Fed back"),
    "carried_over": gettext_lazy("Carried over"),
    "attached": gettext_lazy("Added to a new meeting"),
    "closed": gettext_lazy("Closed"),
}


# --- helpers -------------------------------------------------------------------------------------------------


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(item: AgendaItem) -> AgendaItem:
    # Lock the row only (`of`): PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    return (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("forum", "meeting", "raised_by")
        .get(pk=item.pk)
    )


def _next_meeting(forum: Forum, *, after: datetime, open_for_items: bool = False) -> Meeting | None:
    meetings = forum.meetings.filter(cancelled_at__isnull=True, starts_at__gt=after)
    if open_for_items:
        meetings = meetings.filter(agenda_deadline__gt=timezone.now())
    return meetings.order_by("starts_at", "pk").first()


def _end_of_agenda(meeting: Meeting | None) -> int:
    if meeting is None:
        return 0
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def _item_url(item: AgendaItem) -> str:
    return absolute_url(reverse("forums:item-detail", args=[item.forum.slug, item.pk]))


def _event(item, *, actor, action: str, from_state: str = "", note: str = "") -> ItemEvent:
    return ItemEvent.objects.create(
        item=item, actor=_actor(actor), action=action, from_state=from_state, to_state=item.state, note=note
    )


def _tell_raiser(item: AgendaItem, event: ItemEvent, actor) -> None:
    """Raisers hear of every change to their item (but not of their own doing)."""
    raiser = item.raised_by
    if raiser is None or not raiser.email or raiser.pk == getattr(actor, "pk", None):
        return
    if not rules.can_view_item(raiser, item):  # they have left the forum
        return
    send_templated(
        to=[raiser.email],
        template="forums/email/item_changed",
        context={"item": item, "event": event, "label": EVENT_LABELS[event.action], "url": _item_url(item)},
    )


def _change(*, actor, item, allowed, action: str, to_state=None, note: str = "", **fields) -> AgendaItem:
    """Move a locked item to a new state (or keep it), write its event and tell the raiser."""
    if item.state not in allowed:
        raise ValidationError(
            _("This cannot be done to an item that is “%(state)s”.") % {"state": item.get_state_display()}
        )
    from_state = item.state
    item.state = to_state or item.state
    for field, value in fields.items():
        setattr(item, field, value)
    item.full_clean()
    item.save()
    event = _event(item, actor=actor, action=action, from_state=from_state, note=note)
    if from_state != item.state or action == "deferred":
        _tell_raiser(item, event, actor)
    return item


def _require_lead(actor, forum) -> None:
    require(permissions.can_lead_forum(actor, forum))


def _lead_lock(actor, item: AgendaItem) -> AgendaItem:
    """Check the actor leads the item's forum, then lock the item and read it afresh."""
    _require_lead(actor, item.forum)
    return _lock(item)


def forum_audience(forum: Forum) -> list[tuple]:
    """(person, their member organisation ids, is a lead) for every person of the member organisations and lead."""
    member_orgs = ForumMembership.objects.filter(forum=forum, status=ForumMembership.Status.ACTIVE).values(
        "organisation_id"
    )
    people: dict[int, list] = {}
    memberships = Membership.objects.active().filter(organisation_id__in=member_orgs, user__is_active=True)
    for m in memberships.select_related("user"):
        people.setdefault(m.user_id, [m.user, set(), False])[1].add(m.organisation_id)
    for lead in permissions.current_leads(forum):
        people.setdefault(lead.pk, [lead, set(), False])[2] = True
    return [tuple(entry) for entry in people.values()]


def _email_everyone(forum: Forum, *, template: str, items, context: dict) -> None:
    """One email per person (addresses stay private), each showing raisers as the anonymity rule allows."""
    for person, organisation_ids, lead in forum_audience(forum):
        entries = [
            (item, rules.raiser_label(item, rules.raiser_visible(item, lead=lead, organisation_ids=organisation_ids)))
            for item in items
        ]
        send_templated(to=[person.email], template=template, context={**context, "person": person, "items": entries})


# --- raising and deciding --------------------------------------------------------------------------------------


@transaction.atomic
def item_raise(*, actor, forum: Forum, meeting: Meeting | None, data: dict) -> AgendaItem:
    """A member or lead raises an item; after the meeting's agenda deadline it waits for the next meeting."""
    require(permissions.can_raise_item(actor, forum))
    if meeting is not None and meeting.forum_id != forum.pk:
        raise ValidationError(_("That meeting belongs to another forum."))
    now = timezone.now()
    if meeting is None or meeting.cancelled_at or meeting.agenda_deadline <= now:
        meeting = _next_meeting(forum, after=now, open_for_items=True)
    lead = permissions.is_lead(actor, forum)
    # A second press of the button (or the same item sent again at once) gets the item already raised: the
    # forum's row lock makes the second request wait for the first, then find its item.
    Forum.objects.select_for_update().filter(pk=forum.pk).first()
    duplicate = forum.items.filter(
        meeting=meeting,
        raised_by=actor,
        title=data.get("title", ""),
        description=data.get("description", ""),
        category=data.get("category", ""),
        created_at__gte=now - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate
    item = AgendaItem(
        forum=forum,
        meeting=meeting,
        title=data.get("title", ""),
        description=data.get("description", ""),
        category=data.get("category", ""),
        anonymous=bool(data.get("anonymous")) and not lead,
        raised_by=actor,
        raised_by_organisation_id=None if lead else permissions.booking_organisation(actor, forum),
        state=State.RAISED,
    )
    item.full_clean()
    item.save()
    _event(item, actor=actor, action="raised", note=str(meeting) if meeting else _("Waiting for the next meeting"))
    send_templated(
        to=[person.email for person in permissions.current_leads(forum) if person.pk != actor.pk],
        template="forums/email/item_raised",
        context={"item": item, "raiser": rules.raiser_label(item, True), "url": _item_url(item)},
    )
    return item


@transaction.atomic
def item_accept(*, actor, item: AgendaItem, meeting: Meeting | None = None) -> AgendaItem:
    """A lead puts a raised item on a meeting's agenda (its own meeting unless another is given)."""
    item = _lead_lock(actor, item)
    meeting = meeting or item.meeting
    if meeting is None:
        raise ValidationError(_("This item is waiting for the next meeting: add a meeting first."))
    if meeting.forum_id != item.forum_id or meeting.cancelled_at or meeting.record_published_at:
        raise ValidationError(_("Items can only go on the agenda of a forthcoming meeting of this forum."))
    return _change(
        actor=actor,
        item=item,
        allowed=[State.RAISED],
        action="accepted",
        to_state=State.ON_AGENDA,
        note=str(meeting),
        meeting=meeting,
        position=_end_of_agenda(meeting),
    )


@transaction.atomic
def item_decline(*, actor, item: AgendaItem, reason: str) -> AgendaItem:
    """A lead declines an item, giving the raiser a reason."""
    item = _lead_lock(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Enter the reason, which the person who raised it will see")})
    return _change(
        actor=actor,
        item=item,
        allowed=[State.RAISED, State.ON_AGENDA],
        action="declined",
        to_state=State.DECLINED,
        note=reason,
        decline_reason=reason,
    )


@transaction.atomic
def item_merge(*, actor, item: AgendaItem, into: AgendaItem) -> AgendaItem:
    """A lead merges an item into another item of the same forum that covers it."""
    item = _lead_lock(actor, item)
    if into.pk == item.pk or into.forum_id != item.forum_id or into.state in (State.DECLINED, State.MERGED):
        raise ValidationError({"into": _("Choose another open item of this forum")})
    item = _change(
        actor=actor,
        item=item,
        allowed=[State.RAISED, State.ON_AGENDA],
        action="merged",
        to_state=State.MERGED,
        merged_into=into,
    )
    # No titles in either note: each item may be one the other's organisation may not see.
    _event(into, actor=actor, action="merged_in", from_state=into.state)
    return item


@transaction.atomic
def item_defer(*, actor, item: AgendaItem) -> AgendaItem:
    """A lead defers an item to the forum's next meeting (or to wait for one to be arranged)."""
    item = _lead_lock(actor, item)
    if item.meeting is None:
        raise ValidationError(_("This item is already waiting for the next meeting."))
    following = _next_meeting(item.forum, after=item.meeting.starts_at)
    return _change(
        actor=actor,
        item=item,
        allowed=[State.RAISED, State.ON_AGENDA],
        action="deferred",
        note=str(following) if following else _("Waiting for the next meeting"),
        meeting=following,
        position=_end_of_agenda(following) if item.state == State.ON_AGENDA else 0,
    )


@transaction.atomic
def item_close(*, actor, item: AgendaItem, note: str = "") -> AgendaItem:
    """A lead closes an item that has been dealt with."""
    item = _lead_lock(actor, item)
    return _change(
        actor=actor,
        item=item,
        allowed=[State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK],
        action="closed",
        to_state=State.CLOSED,
        note=note,
    )


# --- the agenda ------------------------------------------------------------------------------------------------


def _agenda_ids(meeting: Meeting) -> list[int]:
    return list(
        meeting.items.filter(state__in=rules.ACCEPTED_STATES)
        .order_by("position", "created_at", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def agenda_reorder(*, actor, meeting: Meeting, ordered_ids: list[int]) -> list[int]:
    """A lead puts the meeting's agenda items in a new order (every item, once each)."""
    _require_lead(actor, meeting.forum)
    ordered_ids = [int(pk) for pk in ordered_ids]
    current = _agenda_ids(meeting)
    if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(current):
        raise ValidationError(_("The agenda has changed since you opened it: try again."))
    items = {item.pk: item for item in meeting.items.filter(pk__in=ordered_ids)}
    for position, pk in enumerate(ordered_ids, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    return ordered_ids


def agenda_move(*, actor, meeting: Meeting, item_id: int, offset: int) -> list[int]:
    """Move one agenda item up (offset -1) or down (+1): the buttons that work without JavaScript."""
    order = _agenda_ids(meeting)
    if item_id not in order:
        raise ValidationError(_("That item is not on this agenda."))
    index = order.index(item_id)
    target = min(max(index + offset, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    return agenda_reorder(actor=actor, meeting=meeting, ordered_ids=order)


def _agenda_items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.filter(state__in=rules.ACCEPTED_STATES)
        .select_related("raised_by", "raised_by_organisation")
        .order_by("position", "created_at", "pk")
    )


def agenda_publish_token(meeting: Meeting, items: list[AgendaItem] | None = None) -> str:
    """What the lead checked before publishing: when the agenda was last published, and its items in order.
    The check page sends it back, so a second press publishes nothing twice and a changed agenda is re-checked."""
    items = _agenda_items(meeting) if items is None else items
    published = meeting.agenda_published_at.isoformat() if meeting.agenda_published_at else "never"
    digest = hashlib.sha256(repr([(i.pk, i.title, i.state) for i in items]).encode()).hexdigest()[:16]
    return f"{published}|{digest}"


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting, seen: str | None = None) -> Meeting:
    """A lead publishes the agenda: every person of the member organisations, and the leads, get it by email.
    `seen` is the token of the agenda the lead checked (agenda_publish_token)."""
    forum = meeting.forum
    _require_lead(actor, forum)
    # Locked first: a second press waits here, then finds the agenda already published as the lead saw it.
    given, meeting = meeting, Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
    if meeting.cancelled_at:
        raise ValidationError(_("The meeting has been cancelled."))
    items = _agenda_items(meeting)
    if not items:
        raise ValidationError(_("Put at least one item on the agenda before publishing it."))
    if seen is not None:
        token = agenda_publish_token(meeting, items)
        if token != seen:
            if token.split("|")[0] != seen.split("|")[0]:
                return meeting  # published since the lead looked (a double submit): nothing to do twice
            raise ValidationError(_("The agenda has changed since you checked it. Check it again, then publish."))
    again = meeting.agenda_published_at is not None
    meeting.agenda_published_at = given.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "modified_at"])
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, actor=_actor(actor), action="agenda_published", from_state=item.state, to_state=item.state)
        for item in items
        if item.state == State.ON_AGENDA
    )
    meeting_url = absolute_url(reverse("forums:meeting-detail", args=[forum.slug, meeting.pk]))
    _email_everyone(
        forum,
        template="forums/email/agenda_published",
        items=items,
        context={"meeting": meeting, "forum": forum, "again": again, "url": meeting_url},
    )
    return meeting


# --- the record ------------------------------------------------------------------------------------------------


def can_record_yet(item: AgendaItem) -> bool:
    """An item's outcome and actions are recorded once its meeting has started (pages say so before the form)."""
    return not (item.state == State.ON_AGENDA and not (item.meeting and item.meeting.has_started))


def _check_meeting_started(item: AgendaItem) -> None:
    if not can_record_yet(item):
        raise ValidationError(_("You can record the outcome once the meeting has started."))


@transaction.atomic
def item_record(*, actor, item: AgendaItem, notes: str, council_response: str) -> AgendaItem:
    """At or after the meeting, a lead records the discussion and the council's response."""
    item = _lead_lock(actor, item)
    notes, council_response = (notes or "").strip(), (council_response or "").strip()
    if not (notes or council_response):
        raise ValidationError({"notes": _("Enter the discussion notes or the council's response")})
    _check_meeting_started(item)
    to_state = State.DISCUSSED if item.state == State.ON_AGENDA else None
    return _change(
        actor=actor,
        item=item,
        allowed=[State.ON_AGENDA, State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK],
        action="recorded",
        to_state=to_state,
        notes=notes,
        council_response=council_response,
    )


def _check_owner(forum: Forum, organisation, person) -> None:
    if organisation is None and person is None:
        raise ValidationError({"owner_organisation": _("Choose the organisation or person who owns the action")})
    member_orgs = forum.memberships.filter(status=ForumMembership.Status.ACTIVE).values("organisation_id")
    allowed_orgs = Q(organisation__kind=Organisation.Kind.COUNCIL) | Q(organisation_id__in=member_orgs)
    if organisation is not None and not (
        organisation.kind == Organisation.Kind.COUNCIL or member_orgs.filter(organisation_id=organisation.pk).exists()
    ):
        raise ValidationError({"owner_organisation": _("Choose a member organisation or the council")})
    if person is not None and not Membership.objects.active().filter(allowed_orgs, user=person).exists():
        raise ValidationError({"owner_person": _("Choose a person of a member organisation or of the council")})


@transaction.atomic
def action_save(*, actor, item: AgendaItem, data: dict, action: Action | None = None) -> Action:
    """A lead adds or updates an action on an item; an open action puts the item in 'action in progress'."""
    item = _lead_lock(actor, item)
    if action is not None and action.item_id != item.pk:
        raise ValidationError(_("That action belongs to another item."))
    _check_meeting_started(item)
    created = action is None
    if created:
        duplicate = item.actions.filter(
            description=data.get("description", ""),
            owner_organisation=data.get("owner_organisation"),
            owner_person=data.get("owner_person"),
            due_date=data.get("due_date"),
            created_at__gte=timezone.now() - DUPLICATE_WINDOW,
        ).first()
        if duplicate is not None:  # a double submit: the item is locked, so the first one is already saved
            return duplicate
    action = action or Action(item=item)
    for field in ("description", "owner_organisation", "owner_person", "due_date", "status"):
        if field in data:
            setattr(action, field, data[field])
    _check_owner(item.forum, action.owner_organisation, action.owner_person)
    action.full_clean()
    action.save()
    # The item's state follows all its actions, whatever order they and the response were recorded in.
    any_open = item.actions.exclude(status=Action.Status.DONE).exists()
    to_state = None
    if any_open and item.state in (State.ON_AGENDA, State.DISCUSSED):
        to_state = State.ACTION_IN_PROGRESS
    elif not any_open and item.state == State.ACTION_IN_PROGRESS:
        to_state = State.DISCUSSED
    _change(
        actor=actor,
        item=item,
        allowed=[State.ON_AGENDA, State.DISCUSSED, State.ACTION_IN_PROGRESS, State.FED_BACK],
        action="action_added" if created else "action_updated",
        to_state=to_state,
        note=f"{action.description} ({action.get_status_display()})",
    )
    return action


def _record_items(meeting: Meeting):
    open_action = Exists(Action.objects.filter(item_id=OuterRef("pk")).exclude(status=Action.Status.DONE))
    return (
        meeting.items.filter(state__in=rules.UNRESOLVED_STATES)
        .annotate(has_open_action=open_action)
        .select_related("forum", "meeting", "raised_by", "raised_by_organisation")
        .order_by("position", "created_at", "pk")
    )


def _feeds_back(item: AgendaItem) -> bool:
    """An item with the council's response and no action still open is fed back; the rest carry over."""
    return (
        not item.has_open_action
        and bool(item.council_response.strip())
        and item.state in (State.DISCUSSED, State.ACTION_IN_PROGRESS)
    )


def _preview(forum: Forum, *, template: str, items, context: dict) -> dict:
    """The email as a member who may not see anonymous raisers will get it, and how many people get it."""
    entries = [
        (item, rules.raiser_label(item, rules.raiser_visible(item, lead=False, organisation_ids=set())))
        for item in items
    ]
    full = {
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        **context,
        "person": None,
        "items": entries,
    }
    return {
        "recipients": len(forum_audience(forum)),
        "subject": " ".join(render_to_string(f"{template}_subject.txt", full).split()),
        "body": render_to_string(f"{template}_body.txt", full),
    }


def agenda_publish_preview(meeting: Meeting) -> dict:
    """What publishing the agenda will send, for the lead's check page, with the token to publish it."""
    forum = meeting.forum
    items = _agenda_items(meeting)
    meeting_url = absolute_url(reverse("forums:meeting-detail", args=[forum.slug, meeting.pk]))
    context = {"meeting": meeting, "forum": forum, "again": meeting.agenda_published_at is not None}
    return {
        **_preview(
            forum, template="forums/email/agenda_published", items=items, context={**context, "url": meeting_url}
        ),
        "items": items,
        "seen": agenda_publish_token(meeting, items),
    }


def record_publish_preview(meeting: Meeting) -> dict:
    """What publishing the record will send and do, for the lead's check page."""
    forum = meeting.forum
    items = list(_record_items(meeting))
    fed_back = [i for i in items if _feeds_back(i)]
    carried = [i for i in items if not _feeds_back(i)]
    context = {
        "meeting": meeting,
        "forum": forum,
        "carried": [i for i in carried if rules.is_published(i)],
        "following": _next_meeting(forum, after=meeting.starts_at),
        "url": absolute_url(reverse("forums:issue-log", args=[forum.slug])),
    }
    preview = _preview(forum, template="forums/email/record_published", items=fed_back, context=context)
    return {**preview, "fed_back": fed_back, "carried": carried, "following": context["following"]}


@transaction.atomic
def record_publish(*, actor, meeting: Meeting) -> Meeting:
    """A lead publishes the record: items with a response are fed back ("you said, we did", emailed to every
    member person), and unresolved items carry over to the next meeting."""
    forum = meeting.forum
    _require_lead(actor, forum)
    # Locked first, so that a second click waits and then finds the record published (no second email).
    given, meeting = meeting, Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)
    if not meeting.has_started:
        raise ValidationError(_("You can publish the record once the meeting has started."))
    if meeting.record_published_at:
        raise ValidationError(_("The record of this meeting has already been published."))
    following = _next_meeting(forum, after=meeting.starts_at)
    position = _end_of_agenda(following)
    fed_back, carried = [], []
    items = _record_items(meeting).select_for_update(of=("self",))
    for item in items:
        from_state, public = item.state, rules.is_published(item)
        if item.has_open_action:
            # An action still open keeps the item open, response or not: it carries over to the next meeting.
            if item.state in (State.ON_AGENDA, State.DISCUSSED):
                item.state = State.ACTION_IN_PROGRESS
            item.meeting, item.position = following, position
            position += 1
            item.save(update_fields=["state", "meeting", "position", "modified_at"])
            note = str(following) if following else _("Waiting for the next meeting")
            _event(item, actor=actor, action="carried_over", from_state=from_state, note=note)
            if public:
                carried.append(item)
        elif _feeds_back(item):
            item.state = State.FED_BACK
            item.save(update_fields=["state", "modified_at"])
            _event(item, actor=actor, action="fed_back", from_state=from_state, note=str(meeting))
            fed_back.append(item)
        else:
            item.meeting, item.position = following, position
            position += 1
            item.save(update_fields=["meeting", "position", "modified_at"])
            note = str(following) if following else _("Waiting for the next meeting")
            _event(item, actor=actor, action="carried_over", from_state=from_state, note=note)
            if public:  # items not yet on a published agenda stay private to their raisers and the leads
                carried.append(item)
    meeting.record_published_at = given.record_published_at = timezone.now()
    meeting.save(update_fields=["record_published_at", "modified_at"])
    _email_everyone(
        forum,
        template="forums/email/record_published",
        items=fed_back,
        context={
            "meeting": meeting,
            "forum": forum,
            "carried": carried,
            "following": following,
            "url": absolute_url(reverse("forums:issue-log", args=[forum.slug])),
        },
    )
    return meeting


@transaction.atomic
def attach_waiting_items(*, meeting: Meeting) -> int:
    """Put the forum's items that wait for a meeting onto a new forthcoming meeting; how many moved."""
    if meeting.cancelled_at or meeting.has_started:
        return 0
    waiting = list(
        AgendaItem.objects.select_for_update()
        .filter(forum_id=meeting.forum_id, meeting__isnull=True, state__in=rules.UNRESOLVED_STATES)
        .order_by("created_at", "pk")
    )
    position = _end_of_agenda(meeting)
    for item in waiting:
        item.meeting, item.position = meeting, position
        position += 1
    AgendaItem.objects.bulk_update(waiting, ["meeting", "position"])
    ItemEvent.objects.bulk_create(
        ItemEvent(item=item, action="attached", from_state=item.state, to_state=item.state, note=str(meeting))
        for item in waiting
    )
    return len(waiting)


# --- comments and papers ---------------------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, actor, item: AgendaItem, body: str) -> Comment:
    """A member or lead comments on an item on a published agenda or later."""
    require(rules.can_view_item(actor, item))
    if not rules.can_comment(actor, item):
        raise ValidationError(_("You can comment once the item is on a published agenda."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Enter your comment")})
    _lock(item)  # a double submit waits here, then finds the first comment
    duplicate = item.comments.filter(author=actor, body=body, created_at__gte=timezone.now() - DUPLICATE_WINDOW).first()
    if duplicate is not None:
        return duplicate
    comment = Comment(item=item, author=actor, body=body)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def paper_add(*, actor, meeting: Meeting, title: str, upload) -> Paper:
    """A lead adds a paper to a meeting, once its type and size have been checked."""
    _require_lead(actor, meeting.forum)
    content_type = paper_content_type(upload)
    stem, extension = os.path.splitext(os.path.basename(upload.name))
    upload.name = get_valid_filename(stem)[:50] + extension.lower()
    paper = Paper(
        meeting=meeting, title=title, file=upload, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    paper.full_clean()
    paper.save()
    return paper
