"""iCalendar (RFC 5545) events for invitations and feeds: forum meetings and course runs share these.

An event's UID never changes, so a calendar updates the event it already has; SEQUENCE grows with every change
(seconds between the object's creation and its last change), and a cancelled event is sent with
STATUS:CANCELLED so calendars strike it out.
"""

from datetime import UTC, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

MIMETYPE = "text/calendar"


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "carenetwork.invalid"


def utc(value):
    # iCalendar times have whole seconds.
    return value.astimezone(UTC).replace(microsecond=0)


def sequence(obj) -> int:
    """Grows whenever the object changes, so calendars take the newest version."""
    if not obj.created_at or not obj.modified_at:
        return 0
    return max(0, int((obj.modified_at - obj.created_at).total_seconds()))


def event(
    *, uid: str, seq: int, starts_at, ends_at, summary: str, url: str, location: str, description: list[str], cancelled
) -> Event:
    """One VEVENT, times in UTC, organised by the council."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utc(timezone.now()))
    event.add("sequence", seq)
    event.add("dtstart", utc(starts_at))
    event.add("dtend", utc(ends_at))
    event.add("summary", summary)
    event.add("url", url)
    if location:
        event.add("location", location)
    event.add("description", vText("\n".join([*description, url])))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if address:
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(settings.COUNCIL_NAME)
        event.add("organizer", organizer)
    return event


def new_calendar(prodid: str, *, method: str | None = None, name: str | None = None, refresh: bool = False) -> Calendar:
    """An empty calendar; a subscribable feed (`refresh`) asks to be fetched again hourly."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    if refresh:
        # RFC 7986, and Outlook's older name for it.
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def single_event_ics(prodid: str, event: Event, *, cancelled: bool) -> str:
    """A whole iCalendar file with one event: an invitation, or its cancellation."""
    calendar = new_calendar(prodid, method="CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical().decode()
