"""Reads of forums, meetings and items, always for a given person. A forum they may not see raises 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from carenetwork.forums import permissions
from carenetwork.forums.models import AgendaItem, Forum, ForumMembership, Meeting
from carenetwork.organisations import permissions as org_permissions


def forum_list_for(*, user) -> list[Forum]:
    """The forums the person may know exist, each marked with what they may do there."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    forums = (
        Forum.objects.filter(is_active=True)
        .prefetch_related("sectors")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=ForumMembership.Status.ACTIVE)))
    )
    # Requests the person's organisations have made and not yet had decided, by forum.
    org_ids = [m.organisation_id for m in org_permissions.active_memberships(user)]
    asked: dict[int, set[int]] = {}
    rows = ForumMembership.objects.filter(organisation_id__in=org_ids, status=ForumMembership.Status.REQUESTED)
    for forum_id, organisation_id in rows.values_list("forum_id", "organisation_id"):
        asked.setdefault(forum_id, set()).add(organisation_id)
    visible = []
    for forum in forums:
        eligible = permissions.eligible_organisations(user, forum)
        if permissions.can_know_forum_exists(user, forum) or eligible:
            forum.can_view = permissions.can_view_forum(user, forum)
            forum.is_lead = permissions.is_lead(user, forum)
            # "Ask to join" only where the page behind it lets them ask (never for council staff, say).
            forum.can_join = any(o.pk not in asked.get(forum.pk, ()) for o in eligible)
            forum.has_asked = bool(eligible) and not forum.can_join
            visible.append(forum)
    return visible


def forum_get_for(*, user, slug: str) -> Forum:
    """A forum the person may see into; to anyone else it does not exist."""
    forum = Forum.objects.filter(slug=slug, is_active=True).first()
    if forum is None or not permissions.can_view_forum(user, forum):
        raise Http404
    return forum


def forum_get_for_joining(*, user, slug: str) -> Forum:
    """A forum the person's organisation may ask to join (its name and description only)."""
    forum = Forum.objects.filter(slug=slug, is_active=True).prefetch_related("sectors").first()
    if forum is None or not (
        permissions.eligible_organisations(user, forum) or permissions.can_view_forum(user, forum)
    ):
        raise Http404
    return forum


def forum_get_for_lead(*, user, slug: str) -> Forum:
    """A forum the person leads; members who are not leads may see it but not run it (403)."""
    forum = forum_get_for(user=user, slug=slug)
    if not permissions.can_lead_forum(user, forum):
        raise PermissionDenied
    return forum


def forum_membership_list_for(*, user, forum: Forum) -> QuerySet[ForumMembership]:
    """The forum's member organisations and requests, for its leads."""
    if not permissions.can_lead_forum(user, forum):
        raise PermissionDenied
    return forum.memberships.filter(
        status__in=[ForumMembership.Status.ACTIVE, ForumMembership.Status.REQUESTED]
    ).select_related("organisation", "requested_by")


def member_organisation_list_for(*, user, forum: Forum):
    """The names of the forum's member organisations, for anyone in the forum."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    return forum.memberships.filter(status=ForumMembership.Status.ACTIVE).select_related("organisation")


def meeting_get_for(*, user, forum: Forum, pk: int) -> Meeting:
    """One meeting of a forum the person may see into."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    meeting = forum.meetings.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def item_get_for(*, user, forum: Forum, pk: int) -> AgendaItem:
    """One agenda item of a forum the person may see into."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    item = forum.items.filter(pk=pk).select_related("meeting", "raised_by", "raised_by_organisation").first()
    if item is None:
        raise Http404
    return item


def council_staff_options(*, user):
    """Council staff who may be chosen as forum leads."""
    from carenetwork.accounts.models import User
    from carenetwork.organisations.models import Membership, Organisation

    if not permissions.can_manage_forums(user):
        raise PermissionDenied
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(organisation__kind=Organisation.Kind.COUNCIL).values("user_id")
    ).order_by("full_name")


# Meetings and bookings (the models are imported where used, to keep this file's head as it was).


def meeting_places_for(*, user, meeting: Meeting) -> dict:
    """Places taken and left, the person's own booking and waiting-list position, and, for an organisation's
    admins, the bookings of their colleagues."""
    from carenetwork.forums.bookings import booking_closed_reason
    from carenetwork.forums.models import Booking
    from carenetwork.organisations import permissions as org_permissions
    from carenetwork.organisations.models import ADMIN_ROLES

    if not permissions.can_view_forum(user, meeting.forum):
        raise Http404
    live = [Booking.Status.CONFIRMED, Booking.Status.WAITING]
    organisation_id = permissions.booking_organisation(user, meeting.forum)
    confirmed = Q(status=Booking.Status.CONFIRMED)
    counts = meeting.bookings.aggregate(
        confirmed=Count("pk", filter=confirmed),
        waiting=Count("pk", filter=Q(status=Booking.Status.WAITING)),
        organisation_confirmed=Count("pk", filter=confirmed & Q(organisation_id=organisation_id)),
    )
    my_booking = meeting.bookings.filter(permissions.own_bookings_q(user), status__in=live).first()
    position = None
    if my_booking and my_booking.status == Booking.Status.WAITING:
        ahead = Q(queued_at__lt=my_booking.queued_at) | Q(queued_at=my_booking.queued_at, pk__lt=my_booking.pk)
        position = meeting.bookings.filter(ahead, status=Booking.Status.WAITING).count() + 1
    administered = [
        m.organisation_id
        for m in org_permissions.active_memberships(user)
        if m.role in ADMIN_ROLES
        and m.organisation_id in permissions.member_forum_organisations(user).get(meeting.forum_id, [])
    ]
    colleagues = (
        meeting.bookings.filter(status__in=live, organisation_id__in=administered)
        .exclude(person_id=user.pk)
        .select_related("person", "organisation")
        .order_by("status", "queued_at", "pk")
        if administered
        else Booking.objects.none()
    )
    closed = booking_closed_reason(meeting)
    return {
        "confirmed_count": counts["confirmed"],
        "waiting_count": counts["waiting"],
        "places_left": max(meeting.capacity - counts["confirmed"], 0),
        "organisation_full": organisation_id is not None
        and counts["organisation_confirmed"] >= meeting.per_organisation_limit,
        "my_booking": my_booking,
        "waiting_position": position,
        "closed_reason": closed,
        "can_book": my_booking is None and closed is None and permissions.can_book(user, meeting),
        "colleague_bookings": colleagues,
    }


def booking_get_for(*, user, meeting: Meeting, pk: int):
    """One booking of a meeting the person may see; whether they may change it is the service's question."""
    if not permissions.can_view_forum(user, meeting.forum):
        raise Http404
    booking = meeting.bookings.filter(pk=pk).select_related("person", "organisation", "meeting__forum").first()
    if booking is None:
        raise Http404
    return booking


def attendee_list_for(*, user, meeting: Meeting):
    """Everyone booked or waiting for a meeting, for the forum's leads: places first, then the list in order."""
    from carenetwork.forums.models import Booking

    if not permissions.can_lead_forum(user, meeting.forum):
        raise PermissionDenied
    return (
        meeting.bookings.filter(status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING])
        .select_related("person", "organisation")
        .order_by("status", "queued_at", "pk")
    )


def booking_list_for(*, user):
    """The person's places at meetings not yet over, in forums they still belong to."""
    from django.utils import timezone

    from carenetwork.forums.models import Booking

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    forum_ids = set(permissions.member_forum_organisations(user)) | permissions.led_forum_ids(user)
    return (
        Booking.objects.filter(
            person_id=user.pk,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING],
            meeting__forum_id__in=forum_ids,
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("meeting__forum")
        .order_by("meeting__starts_at", "pk")
    )


def calendar_feed_for(*, user):
    """The person's current secret calendar address, if they have made one."""
    from carenetwork.forums.models import CalendarFeed

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return CalendarFeed.objects.filter(person_id=user.pk, revoked_at__isnull=True).order_by("-created_at").first()


def calendar_feed_meetings(*, token: str):
    """(person, meetings) for a secret calendar address: the token stands in for signing in, so an unknown or
    revoked one is a 404. Only confirmed places, in forums the person still belongs to, from a year back."""
    from datetime import timedelta

    from django.utils import timezone

    from carenetwork.forums.models import Booking, CalendarFeed

    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("person").first()
    if feed is None or not feed.person.is_active:
        raise Http404
    person = feed.person
    forum_ids = set(permissions.member_forum_organisations(person)) | permissions.led_forum_ids(person)
    meetings = (
        Meeting.objects.filter(
            forum_id__in=forum_ids,
            bookings__person=person,
            bookings__status=Booking.Status.CONFIRMED,
            ends_at__gte=timezone.now() - timedelta(days=365),
        )
        .select_related("forum")
        .distinct()
        .order_by("starts_at")
    )
    return person, meetings


def item_visible_get_for(*, user, forum: Forum, pk: int) -> AgendaItem:
    """One agenda item the person may see: leads see all; members see published items and their own."""
    from carenetwork.forums import agenda_permissions

    item = item_get_for(user=user, forum=forum, pk=pk)
    if not agenda_permissions.can_view_item(user, item):
        raise Http404
    return item


# Across forums, by id alone (for the API, which has no forum in its addresses). The same rules as above: a forum
# the person may not see into, and everything in it, does not exist for them.


def _seen_forum_ids(user) -> set[int]:
    """Ids of the forums the person sees into (`can_view_forum` for many forums at once)."""
    return set(permissions.member_forum_organisations(user)) | permissions.led_forum_ids(user)


def meeting_list_for(*, user, forum_id: int | None = None, starts_from=None, starts_before=None) -> QuerySet[Meeting]:
    """Meetings of the forums the person sees into, soonest first, with places taken and left and the person's own
    booking: those not yet over, or from `starts_from` when given; before `starts_before` when given."""
    from django.db.models import F, OuterRef, Subquery, Value
    from django.db.models.functions import Greatest
    from django.utils import timezone

    from carenetwork.forums.models import Booking

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    live = [Booking.Status.CONFIRMED, Booking.Status.WAITING]
    forum_ids = _seen_forum_ids(user)
    if forum_id is not None:
        forum_ids &= {forum_id}
    mine = Booking.objects.filter(permissions.own_bookings_q(user), meeting=OuterRef("pk"), status__in=live).values(
        "status"
    )[:1]
    meetings = Meeting.objects.filter(forum_id__in=forum_ids, forum__is_active=True)
    if starts_from is None:
        meetings = meetings.filter(ends_at__gte=timezone.now())
    else:
        meetings = meetings.filter(starts_at__gte=starts_from)
    if starts_before is not None:
        meetings = meetings.filter(starts_at__lt=starts_before)
    return (
        meetings.select_related("forum")
        .annotate(
            confirmed_count=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
            waiting_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
            my_booking_status=Subquery(mine),
        )
        .annotate(places_left=Greatest(F("capacity") - F("confirmed_count"), Value(0)))
        .order_by("starts_at", "pk")
    )


def meeting_visible_get_for(*, user, pk: int) -> Meeting:
    """One meeting, by id alone, of a forum the person sees into; to anyone else it does not exist."""
    meeting = Meeting.objects.filter(pk=pk, forum__is_active=True).select_related("forum").first()
    if meeting is None or not permissions.can_view_forum(user, meeting.forum):
        raise Http404
    return meeting


def _with_waiting_position(bookings: QuerySet) -> QuerySet:
    """Each booking on a waiting list with its place in it (1 is next), as `meeting_places_for` counts it."""
    from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce

    from carenetwork.forums.models import Booking

    waiting = Booking.Status.WAITING
    ahead = (
        Booking.objects.filter(meeting_id=OuterRef("meeting_id"), status=waiting)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    position = Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1)
    return bookings.annotate(
        waiting_position=Case(When(status=waiting, then=position), default=None, output_field=IntegerField())
    )


def organisation_booking_list_for(*, user, organisation, meeting_id: int | None = None):
    """The places and waiting-list places of an organisation's people at meetings not yet over, in forums the
    organisation still belongs to: what its admins see of their colleagues' bookings on the meeting pages."""
    from django.utils import timezone

    from carenetwork.forums.models import Booking

    if not org_permissions.can_manage_organisation(user, organisation):
        raise PermissionDenied
    forum_ids = [
        forum_id
        for forum_id, organisation_ids in permissions.member_forum_organisations(user).items()
        if organisation.pk in organisation_ids
    ]
    bookings = Booking.objects.filter(
        organisation_id=organisation.pk,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING],
        meeting__forum_id__in=forum_ids,
        meeting__forum__is_active=True,
        meeting__ends_at__gte=timezone.now(),
    )
    if meeting_id is not None:
        bookings = bookings.filter(meeting_id=meeting_id)
    return _with_waiting_position(
        bookings.select_related("meeting__forum", "person", "organisation").order_by(
            "meeting__starts_at", "meeting_id", "status", "queued_at", "pk"
        )
    )


def own_booking_list_for(*, user, meeting_id: int | None = None):
    """The person's own places (`booking_list_for`), with waiting-list positions, optionally at one meeting."""
    bookings = (
        booking_list_for(user=user).filter(meeting__forum__is_active=True).select_related("person", "organisation")
    )
    if meeting_id is not None:
        bookings = bookings.filter(meeting_id=meeting_id)
    return _with_waiting_position(bookings)


def booking_visible_get_for(*, user, pk: int, organisation=None):
    """One booking, by id alone, that the person may see and cancel (their own, their organisation's people's as its
    admin, or any at a forum they lead); when acting for one `organisation` (a token), their own only if it is
    that organisation's. To anyone else it does not exist."""
    from carenetwork.forums.models import Booking

    booking = (
        _with_waiting_position(Booking.objects.filter(pk=pk, meeting__forum__is_active=True))
        .select_related("meeting__forum", "person", "organisation")
        .first()
    )
    if booking is None or not permissions.can_view_forum(user, booking.meeting.forum):
        raise Http404
    if not permissions.can_cancel_booking(user, booking):
        raise Http404
    lead = permissions.can_lead_forum(user, booking.meeting.forum)
    if organisation is not None and booking.organisation_id != organisation.pk and not lead:
        raise Http404
    return booking


def agenda_item_get_for(*, user, pk: int) -> AgendaItem:
    """One agenda item, by id alone, that the person may see (`can_view_item`); to anyone else it does not exist."""
    from carenetwork.forums import agenda_permissions

    item = (
        AgendaItem.objects.filter(pk=pk, forum__is_active=True)
        .select_related("forum", "meeting", "raised_by", "raised_by_organisation")
        .first()
    )
    if item is None or not permissions.can_view_forum(user, item.forum):
        raise Http404
    if not agenda_permissions.can_view_item(user, item):
        raise Http404
    return item
