"""iCalendar (RFC 5545) for meetings: one event per meeting for invitations, and a person's feed of bookings.

A meeting's UID never changes, so a calendar updates the event it already has; SEQUENCE grows with every
change to the meeting (seconds between its creation and its last change), and a cancelled meeting is sent
with STATUS:CANCELLED so calendars strike it out.
"""

from datetime import UTC, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from carenetwork.core.email import absolute_url
from carenetwork.forums.models import Meeting

MIMETYPE = "text/calendar"
PRODID = "-//Care Network//Forum meetings//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "carenetwork.invalid"


def _utc(value):
    # iCalendar times have whole seconds.
    return value.astimezone(UTC).replace(microsecond=0)


def meeting_uid(meeting: Meeting) -> str:
    """The event's identity in every calendar, the same in every invitation, reminder and feed."""
    return f"forum-meeting-{meeting.pk}@{_host()}"


def meeting_sequence(meeting: Meeting) -> int:
    """Grows whenever the meeting changes, so calendars take the newest version."""
    if not meeting.created_at or not meeting.modified_at:
        return 0
    return max(0, int((meeting.modified_at - meeting.created_at).total_seconds()))


def meeting_url(meeting: Meeting) -> str:
    return absolute_url(reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk]))


def meeting_event(meeting: Meeting, *, cancelled: bool = False) -> Event:
    """One VEVENT for the meeting, times in UTC."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", _utc(timezone.now()))
    event.add("sequence", meeting_sequence(meeting))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", f"{meeting.forum.name}: {meeting.title}")
    url = meeting_url(meeting)
    event.add("url", url)
    location = meeting.venue or meeting.online_link
    if location:
        event.add("location", location)
    description = [url]
    if meeting.venue and meeting.online_link:
        description.insert(0, meeting.online_link)
    event.add("description", vText("\n".join(description)))
    cancelled = cancelled or meeting.cancelled_at is not None
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if address:
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(settings.COUNCIL_NAME)
        event.add("organizer", organizer)
    return event


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def meeting_ics(meeting: Meeting, *, cancelled: bool = False) -> str:
    """A whole iCalendar file for one meeting: an invitation, or its cancellation."""
    cancelled = cancelled or meeting.cancelled_at is not None
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(meeting_event(meeting, cancelled=cancelled))
    return calendar.to_ical().decode()


def meeting_attachment(meeting: Meeting, *, cancelled: bool = False) -> tuple[str, str, str]:
    """(filename, content, mimetype) for send_templated's attachments."""
    return (f"meeting-{meeting.pk}.ics", meeting_ics(meeting, cancelled=cancelled), MIMETYPE)


def feed_ics(meetings, *, name: str) -> str:
    """A subscribable calendar of meetings (the person's bookings)."""
    calendar = _calendar(name=name)
    # Ask subscribing calendars to look again hourly (RFC 7986, and Outlook's older name for it).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical().decode()
