"""iCalendar for meetings: one event per meeting for invitations, and a person's feed of bookings."""

from django.urls import reverse

from carenetwork.core import calendar as ical
from carenetwork.core.email import absolute_url
from carenetwork.forums.models import Meeting

MIMETYPE = ical.MIMETYPE
PRODID = "-//Care Network//Forum meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    """The event's identity in every calendar, the same in every invitation, reminder and feed."""
    return f"forum-meeting-{meeting.pk}@{ical.host()}"


def meeting_sequence(meeting: Meeting) -> int:
    """Grows whenever the meeting changes, so calendars take the newest version."""
    return ical.sequence(meeting)


def meeting_url(meeting: Meeting) -> str:
    return absolute_url(reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk]))


def meeting_event(meeting: Meeting, *, cancelled: bool = False):
    """One VEVENT for the meeting, times in UTC."""
    return ical.event(
        uid=meeting_uid(meeting),
        seq=meeting_sequence(meeting),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.forum.name}: {meeting.title}",
        url=meeting_url(meeting),
        location=meeting.venue or meeting.online_link,
        description=[meeting.online_link] if meeting.venue and meeting.online_link else [],
        cancelled=cancelled or meeting.cancelled_at is not None,
    )


def meeting_ics(meeting: Meeting, *, cancelled: bool = False) -> str:
    """A whole iCalendar file for one meeting: an invitation, or its cancellation."""
    cancelled = cancelled or meeting.cancelled_at is not None
    return ical.single_event_ics(PRODID, meeting_event(meeting, cancelled=cancelled), cancelled=cancelled)


def meeting_attachment(meeting: Meeting, *, cancelled: bool = False) -> tuple[str, str, str]:
    """(filename, content, mimetype) for send_templated's attachments."""
    return (f"meeting-{meeting.pk}.ics", meeting_ics(meeting, cancelled=cancelled), MIMETYPE)


def feed_ics(meetings, *, name: str) -> str:
    """A subscribable calendar of meetings (the person's bookings)."""
    calendar = ical.new_calendar(PRODID, name=name, refresh=True)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical().decode()
