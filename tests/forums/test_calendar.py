"""A person's calendar feed: a secret, revocable address that lists the meetings they have a place at."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from carenetwork.forums import bookings
from carenetwork.forums.calendar import meeting_uid
from carenetwork.forums.models import Booking, CalendarFeed, ForumMembership, Meeting
from carenetwork.organisations.models import Role
from tests.factories import OrganisationFactory, person_in

pytestmark = pytest.mark.django_db


def feed_url(feed):
    return reverse("forums:calendar-feed", args=[feed.token])


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def another_meeting(meeting, title, days=7):
    copy = Meeting.objects.get(pk=meeting.pk)
    copy.pk = None
    copy.title = title
    copy.starts_at += timedelta(days=days)
    copy.ends_at += timedelta(days=days)
    copy.save()
    return copy


def test_feed_lists_the_persons_places_without_signing_in(client, meeting, provider_member, provider_admin):
    waiting_for = another_meeting(meeting, "Full meeting")
    cancelled_place = another_meeting(meeting, "Changed my mind", days=9)
    someone_elses = another_meeting(meeting, "Not mine", days=11)
    bookings.booking_create(actor=provider_member, meeting=meeting)
    bookings.booking_cancel(
        actor=provider_member, booking=bookings.booking_create(actor=provider_member, meeting=cancelled_place)
    )
    Booking.objects.create(
        meeting=waiting_for,
        person=provider_member,
        organisation=meeting.forum.memberships.get().organisation,
        status=Booking.Status.WAITING,
    )
    bookings.booking_create(actor=provider_admin, meeting=someone_elses)
    feed = bookings.calendar_feed_reset(actor=provider_member)
    client.logout()
    found = events(client.get(feed_url(feed)))
    assert set(found) == {meeting_uid(meeting)}
    event = found[meeting_uid(meeting)]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert meeting.title in str(event["SUMMARY"])


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(client, meeting, provider_member, council_officer):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    bookings.meeting_cancel(actor=council_officer, meeting=meeting)
    feed = bookings.calendar_feed_reset(actor=provider_member)
    event = events(client.get(feed_url(feed)))[meeting_uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"


def test_revoked_and_unknown_tokens_are_not_found(client, meeting, provider_member):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    old = bookings.calendar_feed_reset(actor=provider_member)
    new = bookings.calendar_feed_reset(actor=provider_member)
    assert old.token != new.token
    assert CalendarFeed.objects.get(pk=old.pk).revoked_at is not None
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(reverse("forums:calendar-feed", args=["not-a-token"])).status_code == 404
    assert meeting_uid(meeting) in events(client.get(feed_url(new)))


def test_feed_drops_forums_the_person_no_longer_belongs_to(client, meeting, provider_member):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    feed = bookings.calendar_feed_reset(actor=provider_member)
    ForumMembership.objects.filter(forum=meeting.forum).update(status=ForumMembership.Status.ENDED)
    assert events(client.get(feed_url(feed))) == {}


def test_feed_holds_past_places_for_a_year_only(client, meeting, provider_member):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    long_ago = timezone.now() - timedelta(days=400)
    old = another_meeting(meeting, "Long ago")
    Meeting.objects.filter(pk=old.pk).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(hours=1), booking_deadline=long_ago
    )
    Booking.objects.create(
        meeting=old,
        person=provider_member,
        organisation=meeting.forum.memberships.get().organisation,
        status=Booking.Status.CONFIRMED,
    )
    feed = bookings.calendar_feed_reset(actor=provider_member)
    assert set(events(client.get(feed_url(feed)))) == {meeting_uid(meeting)}


def test_calendar_page_makes_and_replaces_the_address(client, provider_member):
    client.force_login(provider_member)
    page = client.get(reverse("forums:calendar")).content.decode()
    assert "Create your calendar address" in page
    response = client.post(reverse("forums:calendar-reset"), follow=True)
    feed = CalendarFeed.objects.get(person=provider_member)
    page = response.content.decode()
    assert feed_url(feed) in page and "webcal://" in page and "Make a new address" in page
    client.post(reverse("forums:calendar-reset"))
    current = CalendarFeed.objects.get(person=provider_member, revoked_at__isnull=True)
    assert current.pk != feed.pk
    assert feed.token not in client.get(reverse("forums:calendar")).content.decode()


def test_calendar_page_lists_coming_bookings(client, meeting, provider_member):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    client.force_login(provider_member)
    page = client.get(reverse("forums:calendar")).content.decode()
    assert meeting.title in page and "Booked" in page


def test_one_persons_feed_never_shows_another_persons_places(client, meeting, provider):
    first, second = person_in(provider, Role.MEMBER), person_in(provider, Role.MEMBER)
    bookings.booking_create(actor=first, meeting=meeting)
    outsider = person_in(OrganisationFactory(), Role.MEMBER)
    for person in (second, outsider):
        feed = bookings.calendar_feed_reset(actor=person)
        assert events(client.get(feed_url(feed))) == {}
