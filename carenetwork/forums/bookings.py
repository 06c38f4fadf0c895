"""Meetings people book onto: places limited in all and per organisation, and a waiting list promoted in order.

Every change to a meeting's places locks the meeting row first (ENGINEERING.md, "Limited places without
races"): on PostgreSQL `select_for_update` serialises the writers; on SQLite the IMMEDIATE transaction does.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.forums import calendar, permissions
from carenetwork.forums.agenda import DUPLICATE_WINDOW, attach_waiting_items
from carenetwork.forums.models import Booking, CalendarFeed, Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Membership

MEETING_FIELDS = [
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "capacity",
    "per_organisation_limit",
    "booking_deadline",
    "agenda_deadline",
]
# A change to any of these makes booked people's calendar entries out of date: they are sent the new one.
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "venue", "online_link"}
LIVE = [Booking.Status.CONFIRMED, Booking.Status.WAITING]
PAST_MEETINGS_SHOWN = 10


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def _meeting_link(meeting: Meeting) -> str:
    return absolute_url(reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk]))


def _email(booking: Booking, template: str, *, meeting: Meeting, attach: bool = False, cancelled: bool = False):
    send_templated(
        to=[booking.person.email],
        template=f"forums/email/{template}",
        context={
            "booking": booking,
            "person": booking.person,
            "meeting": meeting,
            "forum": meeting.forum,
            "when": _when(meeting.starts_at),
            "url": _meeting_link(meeting),
        },
        attachments=[calendar.meeting_attachment(meeting, cancelled=cancelled)] if attach else None,
    )


# More places than any room or call holds is a typing slip (2,147,483,648 was accepted, and broke PostgreSQL).
MAX_PLACES = 1000


def _validate(meeting: Meeting, *, confirmed: int, changed) -> None:
    """The meeting's rules; moments are checked against now only when they are new or changed, so that a meeting
    whose deadlines have passed can still have its venue corrected."""
    errors = {}
    now = timezone.now()
    in_past = {
        "starts_at": _("Enter a meeting date and time in the future"),
        "booking_deadline": _("Enter a time for booking to close that is in the future"),
        "agenda_deadline": _("Enter a deadline for agenda items that is in the future"),
    }
    for field, message in in_past.items():
        value = getattr(meeting, field)
        if field in changed and value is not None and value <= now:
            errors[field] = message
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting must end after it starts")
    if meeting.starts_at and meeting.booking_deadline and meeting.booking_deadline > meeting.starts_at:
        errors["booking_deadline"] = _("Booking must close before the meeting starts")
    if meeting.starts_at and meeting.agenda_deadline and meeting.agenda_deadline > meeting.starts_at:
        errors["agenda_deadline"] = _("The deadline for agenda items must be before the meeting starts")
    if meeting.capacity is None or meeting.capacity < 1:
        errors["capacity"] = _("A meeting needs at least 1 place")
    elif meeting.capacity > MAX_PLACES:
        errors["capacity"] = _("Enter %(max)s places or fewer") % {"max": f"{MAX_PLACES:,}"}
    elif meeting.capacity < confirmed:
        errors["capacity"] = _("%(n)s places are booked already: the meeting needs at least that many") % {
            "n": confirmed
        }
    if meeting.per_organisation_limit is None or meeting.per_organisation_limit < 1:
        errors["per_organisation_limit"] = _("Each organisation needs at least 1 place")
    elif meeting.capacity and "capacity" not in errors and meeting.per_organisation_limit > meeting.capacity:
        errors["per_organisation_limit"] = _(
            "The places each organisation may book must be no more than the number of places (%(n)s)"
        ) % {"n": meeting.capacity}
    if not meeting.venue and not meeting.online_link:
        errors["venue"] = _("Enter a venue or an online meeting link")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_save(*, actor, forum: Forum, meeting: Meeting | None, data: dict) -> Meeting:
    """A lead adds a meeting or changes one; more places promote people from the waiting list."""
    require(permissions.can_lead_forum(actor, forum))
    created = meeting is None
    if created:
        # A double submit waits for the first on the forum's row, then gets the meeting it added.
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        same = {field: data[field] for field in MEETING_FIELDS if field in data}
        duplicate = forum.meetings.filter(
            **same, cancelled_at__isnull=True, created_at__gte=timezone.now() - DUPLICATE_WINDOW
        ).first()
        if duplicate is not None:
            return duplicate
        meeting = Meeting(forum=forum)
        confirmed = 0
    else:
        if meeting.forum_id != forum.pk:
            raise PermissionDenied
        meeting = _locked(meeting)
        if meeting.cancelled_at:
            raise ValidationError(_("This meeting has been cancelled and cannot be changed."))
        confirmed = meeting.bookings.filter(status=Booking.Status.CONFIRMED).count()
    before = {} if created else audit.snapshot(meeting, MEETING_FIELDS)
    for field in MEETING_FIELDS:
        if field in data:
            setattr(meeting, field, data[field])
    changed = MEETING_FIELDS if created else audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS)).keys()
    _validate(meeting, confirmed=confirmed, changed=changed)
    meeting.full_clean()
    meeting.save()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    audit.record(actor=actor, action="meeting.created" if created else "meeting.updated", obj=meeting, changes=changes)
    if created:
        attach_waiting_items(meeting=meeting)  # items raised while no meeting was planned wait for this one
    else:
        if CALENDAR_FIELDS & changes.keys():
            for booking in meeting.bookings.filter(status=Booking.Status.CONFIRMED).select_related("person"):
                _email(booking, "meeting_changed", meeting=meeting, attach=True)
        if {"capacity", "per_organisation_limit"} & changes.keys():
            _promote(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    """A lead calls a meeting off; everyone booked or waiting is told."""
    require(permissions.can_lead_forum(actor, meeting.forum))
    meeting = _locked(meeting)
    if meeting.cancelled_at:
        raise ValidationError(_("This meeting has already been cancelled."))
    if meeting.has_started:
        raise ValidationError(_("This meeting has already started."))
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at", "modified_at"])
    audit.record(actor=actor, action="meeting.cancelled", obj=meeting)
    for booking in meeting.bookings.filter(status__in=LIVE).select_related("person"):
        confirmed = booking.status == Booking.Status.CONFIRMED
        _email(booking, "meeting_cancelled", meeting=meeting, attach=confirmed, cancelled=True)
    return meeting


def booking_closed_reason(meeting: Meeting, *, now=None) -> str | None:
    """Why nobody may book the meeting now, or None while booking is open."""
    now = now or timezone.now()
    if meeting.cancelled_at:
        return _("This meeting has been cancelled.")
    if meeting.starts_at <= now:
        return _("This meeting has already started.")
    if meeting.booking_deadline < now:
        return _("Booking closed on %(date)s.") % {"date": _when(meeting.booking_deadline)}
    return None


def _confirmed_by_organisation(meeting: Meeting) -> dict[int, int]:
    rows = (
        meeting.bookings.filter(status=Booking.Status.CONFIRMED)
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("organisation", "n")
    )
    return dict(rows)


@transaction.atomic
def booking_create(*, actor, meeting: Meeting) -> Booking:
    """A person books a place for themselves, or joins the waiting list when the meeting or their quota is full."""
    meeting = _locked(meeting)
    organisation_id = permissions.booking_organisation(actor, meeting.forum)
    require(organisation_id is not None)
    now = timezone.now()
    closed = booking_closed_reason(meeting, now=now)
    if closed:
        raise ValidationError(closed)
    existing = meeting.bookings.filter(person=actor, status__in=LIVE).first()
    if existing:
        if existing.status == Booking.Status.CONFIRMED:
            raise ValidationError(_("You already have a place at this meeting."))
        raise ValidationError(_("You are already on the waiting list for this meeting."))
    per_organisation = _confirmed_by_organisation(meeting)
    full = sum(per_organisation.values()) >= meeting.capacity
    quota_used = per_organisation.get(organisation_id, 0) >= meeting.per_organisation_limit
    booking = Booking(
        meeting=meeting,
        person=actor,
        organisation_id=organisation_id,
        status=Booking.Status.WAITING if full or quota_used else Booking.Status.CONFIRMED,
        queued_at=now,
    )
    # The lock and the check above keep to one live booking per person; the constraint is the backstop.
    booking.full_clean(validate_constraints=False)
    booking.save()
    audit.record(
        actor=actor,
        action="booking.created",
        obj=booking,
        organisation=booking.organisation,
        changes={"status": [None, booking.status]},
    )
    if booking.status == Booking.Status.CONFIRMED:
        _email(booking, "booking_confirmed", meeting=meeting, attach=True)
    else:
        _email(booking, "booking_waiting", meeting=meeting)
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking) -> Booking:
    """Give up a place (or leave the waiting list); the freed place goes to the next person waiting."""
    require(permissions.can_cancel_booking(actor, booking))
    return _cancel(actor=actor, booking=booking)


@transaction.atomic
def bookings_cancel_for_ended_membership(*, actor, membership) -> list[Booking]:
    """A person who leaves (or is removed from) an organisation loses its places and waiting-list places at
    meetings still to come; the places go to the next people waiting."""
    live = (
        Booking.objects.filter(
            person_id=membership.user_id,
            organisation_id=membership.organisation_id,
            status__in=LIVE,
            meeting__starts_at__gt=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting_id", "pk")
    )
    return [_cancel(actor=actor, booking=booking) for booking in live]


def _cancel(*, actor, booking: Booking) -> Booking:
    """The caller has checked the actor may cancel the booking (or the rules cancel it)."""
    meeting = _locked(booking.meeting)
    booking = Booking.objects.select_for_update().select_related("person", "organisation").get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError(_("This booking has already been cancelled."))
    if meeting.has_started:
        raise ValidationError(_("This meeting has already started."))
    was_confirmed = booking.status == Booking.Status.CONFIRMED
    _end_booking(booking, actor=actor, action="booking.cancelled")
    if meeting.cancelled_at is None:
        _email(booking, "booking_cancelled", meeting=meeting, attach=was_confirmed, cancelled=True)
        if was_confirmed:
            _promote(meeting)
    return booking


@transaction.atomic
def waiting_list_promote(*, meeting: Meeting) -> list[Booking]:
    """Give free places to the people waiting, in the order they joined, within each organisation's limit."""
    return _promote(_locked(meeting))


def _promote(meeting: Meeting) -> list[Booking]:
    """The caller holds the meeting's lock."""
    if meeting.cancelled_at or meeting.has_started:
        return []
    per_organisation = _confirmed_by_organisation(meeting)
    free = meeting.capacity - sum(per_organisation.values())
    promoted = []
    if free <= 0:
        return promoted
    # Only people still in their organisation, with it still in the forum, may be given a place: anyone else's
    # waiting-list place lapses quietly (an email would tell a non-member about a confidential meeting).
    still_member = Exists(
        Membership.objects.active().filter(user_id=OuterRef("person_id"), organisation_id=OuterRef("organisation_id"))
    )
    organisation_in_forum = Exists(
        ForumMembership.objects.filter(
            forum_id=meeting.forum_id, organisation_id=OuterRef("organisation_id"), status=ForumMembership.Status.ACTIVE
        )
    )
    waiting = (
        meeting.bookings.filter(status=Booking.Status.WAITING)
        .annotate(eligible=still_member & organisation_in_forum & Q(person__is_active=True))
        .select_related("person", "organisation")
        .order_by("queued_at", "pk")
    )
    for booking in waiting:
        if free == 0:
            break
        if not booking.eligible:
            _end_booking(booking, actor=None, action="booking.lapsed")
            continue
        if per_organisation.get(booking.organisation_id, 0) >= meeting.per_organisation_limit:
            continue
        booking.status = Booking.Status.CONFIRMED
        booking.save(update_fields=["status", "modified_at"])
        per_organisation[booking.organisation_id] = per_organisation.get(booking.organisation_id, 0) + 1
        free -= 1
        promoted.append(booking)
        audit.record(
            actor=None,
            action="booking.promoted",
            obj=booking,
            organisation=booking.organisation,
            changes={"status": ["waiting", "confirmed"]},
        )
        _email(booking, "booking_promoted", meeting=meeting, attach=True)
    return promoted


def _end_booking(booking: Booking, *, actor, action: str) -> None:
    """Cancel a live booking (a place or a waiting-list place) and record it as `action`, from the status it had."""
    was = "confirmed" if booking.status == Booking.Status.CONFIRMED else "waiting"
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "modified_at"])
    audit.record(
        actor=actor,
        action=action,
        obj=booking,
        organisation=booking.organisation,
        changes={"status": [was, booking.status]},
    )


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attended_ids) -> Meeting:
    """A lead records who came: every confirmed booking is marked present or absent."""
    require(permissions.can_lead_forum(actor, meeting.forum))
    if not meeting.has_started:
        raise ValidationError(_("You can record attendance once the meeting has started."))
    attended_ids = {int(pk) for pk in attended_ids}
    confirmed = meeting.bookings.filter(status=Booking.Status.CONFIRMED)
    now = timezone.now()
    present = confirmed.filter(pk__in=attended_ids).update(attended=True, modified_at=now)
    absent = confirmed.exclude(pk__in=attended_ids).update(attended=False, modified_at=now)
    audit.record(
        actor=actor, action="meeting.attendance_recorded", obj=meeting, changes={"attended": present, "absent": absent}
    )
    return meeting


@transaction.atomic
def calendar_feed_reset(*, actor) -> CalendarFeed:
    """Give the person a new secret calendar address; any old one stops working."""
    require(getattr(actor, "is_authenticated", False))
    now = timezone.now()
    CalendarFeed.objects.filter(person=actor, revoked_at__isnull=True).update(revoked_at=now, modified_at=now)
    feed = CalendarFeed.objects.create(person=actor)
    audit.record(actor=actor, action="calendar_feed.reset", obj=feed)
    return feed


def meetings_for_forum(*, user, forum: Forum) -> dict[str, QuerySet[Meeting]]:
    """The forum's upcoming meetings and its latest past ones, with places taken and the person's booking."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    mine = Booking.objects.filter(permissions.own_bookings_q(user), meeting=OuterRef("pk"), status__in=LIVE).values(
        "status"
    )[:1]
    meetings = (
        forum.meetings.select_related("forum")
        .annotate(
            confirmed_count=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
            waiting_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
            my_booking_status=Subquery(mine),
        )
        .annotate(places_left=F("capacity") - F("confirmed_count"))
        .order_by("starts_at")
    )
    now = timezone.now()
    return {
        "upcoming_meetings": meetings.filter(ends_at__gte=now),
        "past_meetings": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:PAST_MEETINGS_SHOWN],
    }


def booking_remind(*, booking: Booking) -> None:
    """Email the person a reminder of their place, with the invitation; the caller records that it was sent."""
    _email(booking, "booking_reminder", meeting=booking.meeting, attach=True)
