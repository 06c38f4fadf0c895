"""Authorisation matrix rows for the meeting, booking and calendar pages (see tests/test_authorisation_matrix.py).

`w.meeting` is an upcoming meeting of the provider's forum with places free. Meeting pages exist only for the
forum's members and leads (404 to everyone else, council_admin included); leads run meetings (403 to members).
Leads book no places, so booking as council_officer is refused (403). A booking may be cancelled by its person,
their organisation's admin, or a lead. The calendar feed needs no sign-in: its secret token is the key.
"""

from carenetwork.forums.models import Booking, CalendarFeed
from tests.forums.matrix import IN_FORUM, SIGNED_IN, forum_only
from tests.matrix_roles import OK, REDIRECT, ROLES, only


def _member(w):
    return w.member_membership.user


def _booking(w):
    return Booking.objects.create(
        meeting=w.meeting, person=_member(w), organisation=w.provider, status=Booking.Status.CONFIRMED
    )


def _meeting(w):
    return [w.forum.slug, w.meeting.pk]


MEETING_CASES = [
    ("forums:meeting-add", lambda w: [w.forum.slug], "get", forum_only("council_officer")),
    ("forums:meeting-detail", _meeting, "get", forum_only(*IN_FORUM)),
    ("forums:meeting-edit", _meeting, "get", forum_only("council_officer")),
    ("forums:meeting-cancel", _meeting, "get", forum_only("council_officer")),
    (
        "forums:booking-create",
        _meeting,
        "post",
        forum_only("provider_member", "provider_admin", status=REDIRECT),
    ),
    (
        "forums:booking-cancel",
        lambda w: [*_meeting(w), _booking(w).pk],
        "post",
        forum_only(*IN_FORUM, status=REDIRECT),
    ),
    ("forums:meeting-attendees", _meeting, "get", forum_only("council_officer")),
    ("forums:meeting-attendees-csv", _meeting, "get", forum_only("council_officer")),
    ("forums:meeting-attendees-xlsx", _meeting, "get", forum_only("council_officer")),
    ("forums:meeting-ics", _meeting, "get", forum_only(*IN_FORUM)),
    ("forums:calendar", lambda w: [], "get", only(*SIGNED_IN)),
    ("forums:calendar-reset", lambda w: [], "post", only(*SIGNED_IN, status=REDIRECT)),
    (
        "forums:calendar-feed",
        lambda w: [CalendarFeed.objects.create(person=_member(w)).token],
        "get",
        only(*ROLES, anonymous=OK),
    ),
]
