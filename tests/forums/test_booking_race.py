"""Simultaneous bookings never exceed a meeting's places or an organisation's limit (ENGINEERING.md, "Limited
places without races"). Real threads, each with its own database connection, start together at a barrier;
run on PostgreSQL in CI (DATABASE_URL), and on SQLite when its test database is a file.

SQLite's default test database is in memory with a shared cache, where a second writer gets "database table is
locked" at once instead of waiting for the IMMEDIATE transaction ahead of it (the busy timeout does not apply to
shared-cache locks). That is an artefact of the test database, not of production's file database, so there
these tests skip; with DATABASES["default"]["TEST"]["NAME"] set to a file they run and pass.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from carenetwork.forums import bookings
from carenetwork.forums.models import Booking, Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Role
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, person_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded_data():
    """A transactional test starts from whatever the last one flushed: seed what migrations seeded."""
    prepare_race("organisations", "forums")


def a_meeting(*, capacity, per_organisation_limit):
    forum = Forum.objects.create(name="Race forum", slug="race-forum")
    start = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        forum=forum,
        title="Popular meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        venue="Town Hall",
        capacity=capacity,
        per_organisation_limit=per_organisation_limit,
        booking_deadline=start - timedelta(hours=1),
        agenda_deadline=start - timedelta(days=1),
    )


def people_in_forum(forum, n, *, organisation=None):
    people = []
    for _ in range(n):
        org = organisation or OrganisationFactory()
        ForumMembership.objects.get_or_create(forum=forum, organisation=org, status=ForumMembership.Status.ACTIVE)
        people.append(person_in(org, Role.MEMBER))
    return people


def book_all_at_once(meeting, people):
    """Each person books from their own thread, all released at the same moment; returns errors raised."""

    def book(person):
        return bookings.booking_create(actor=person, meeting=Meeting.objects.get(pk=meeting.pk))

    _results, errors = at_once([partial(book, person) for person in people])
    return errors


def test_twenty_people_booking_five_places_at_once_get_five_places_and_fifteen_waiting():
    meeting = a_meeting(capacity=5, per_organisation_limit=5)
    people = people_in_forum(meeting.forum, 20)
    errors = book_all_at_once(meeting, people)
    assert errors == []
    statuses = list(meeting.bookings.values_list("status", flat=True))
    assert statuses.count(Booking.Status.CONFIRMED) == 5
    assert statuses.count(Booking.Status.WAITING) == 15
    assert len(statuses) == 20


def test_one_organisations_simultaneous_bookings_stay_within_its_limit():
    meeting = a_meeting(capacity=10, per_organisation_limit=2)
    organisation = OrganisationFactory()
    colleagues = people_in_forum(meeting.forum, 8, organisation=organisation)
    errors = book_all_at_once(meeting, colleagues)
    assert errors == []
    assert meeting.bookings.filter(status=Booking.Status.CONFIRMED).count() == 2
    assert meeting.bookings.filter(status=Booking.Status.WAITING).count() == 6


def test_one_person_pressing_book_twice_at_once_gets_one_booking():
    meeting = a_meeting(capacity=5, per_organisation_limit=2)
    (person,) = people_in_forum(meeting.forum, 1)
    errors = book_all_at_once(meeting, [person] * 4)
    assert len(errors) == 3 and all("already have a place" in str(e) for e in errors)
    assert meeting.bookings.count() == 1
