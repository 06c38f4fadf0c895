"""Pressing a button twice (two requests at the same moment) stores one thing and sends one set of emails; the
second request gets the same result or a plain message, never a server error. Real threads, each with its own
database connection, released together at a barrier: run on PostgreSQL (DATABASE_URL), and on SQLite when its
test database is a file (see test_booking_race.py for why the in-memory one cannot)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from carenetwork.forums import agenda, bookings, services
from carenetwork.forums.models import Action, AgendaItem, Comment, Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Organisation, Role
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db(transaction=True)
TIMES = 4


@pytest.fixture(autouse=True)
def _seeded_data(settings):
    prepare_race("organisations", "forums")


@pytest.fixture
def world():
    council = OrganisationFactory(name="Council", kind=Organisation.Kind.COUNCIL)
    lead = person_in(council, Role.OFFICER)
    forum = Forum.objects.create(name="Double forum", slug="double-forum")
    forum.leads.add(lead)
    forum.sectors.add(sector("residential-care"))
    provider = OrganisationFactory(sectors=[sector("residential-care")])
    ForumMembership.objects.create(forum=forum, organisation=provider, status=ForumMembership.Status.ACTIVE)
    member = person_in(provider, Role.MEMBER)
    start = timezone.now() + timedelta(days=14)
    meeting = Meeting.objects.create(
        forum=forum,
        title="Winter",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Town Hall",
        capacity=10,
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
    )
    return {"lead": lead, "forum": forum, "provider": provider, "member": member, "meeting": meeting}


def plain(errors):
    """Every error is a ValidationError with a message for the person (a view shows it), none a crash."""
    return all(isinstance(e, ValidationError) for e in errors)


ITEM = {"title": "Parking", "description": "No parking for visitors.", "category": "issue"}


def test_raising_the_same_item_twice_at_once_stores_it_once(world):
    forum, member = world["forum"], world["member"]
    results, errors = at_once([lambda: agenda.item_raise(actor=member, forum=forum, meeting=None, data=ITEM)] * TIMES)
    assert errors == []
    assert AgendaItem.objects.filter(forum=forum).count() == 1
    assert len({item.pk for item in results}) == 1


def test_adding_the_same_meeting_twice_at_once_stores_it_once(world):
    forum, lead, meeting = world["forum"], world["lead"], world["meeting"]
    data = {f: getattr(meeting, f) for f in bookings.MEETING_FIELDS} | {"title": "Spring"}
    results, errors = at_once([lambda: bookings.meeting_save(actor=lead, forum=forum, meeting=None, data=data)] * TIMES)
    assert errors == []
    assert forum.meetings.filter(title="Spring").count() == 1


def test_commenting_twice_at_once_stores_one_comment(world):
    forum, lead, member, meeting = world["forum"], world["lead"], world["member"], world["meeting"]
    item = agenda.item_raise(actor=member, forum=forum, meeting=meeting, data=ITEM)
    agenda.item_accept(actor=lead, item=item)
    agenda.agenda_publish(actor=lead, meeting=meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    _results, errors = at_once([lambda: agenda.comment_add(actor=member, item=item, body="Any news?")] * TIMES)
    assert errors == []
    assert Comment.objects.filter(item=item).count() == 1


def test_adding_an_action_twice_at_once_stores_one_action(world):
    forum, lead, member, meeting = world["forum"], world["lead"], world["member"], world["meeting"]
    item = agenda.item_raise(actor=member, forum=forum, meeting=meeting, data=ITEM)
    agenda.item_accept(actor=lead, item=item)
    data = {"description": "Call the ward", "owner_person": lead}
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        _results, errors = at_once([lambda: agenda.action_save(actor=lead, item=item, data=data)] * TIMES)
    assert errors == []
    assert Action.objects.filter(item=item).count() == 1


def test_asking_to_join_twice_at_once_makes_one_request(world):
    forum = world["forum"]
    other = OrganisationFactory(sectors=[sector("residential-care")])
    admin = person_in(other, Role.ADMIN)
    _results, errors = at_once(
        [lambda: services.forum_membership_request(actor=admin, forum=forum, organisation=other)] * TIMES
    )
    assert plain(errors)
    assert ForumMembership.objects.filter(forum=forum, organisation=other).count() == 1


def test_adding_an_organisation_twice_at_once_adds_it_once(world):
    forum, lead = world["forum"], world["lead"]
    other = OrganisationFactory()
    _results, errors = at_once(
        [lambda: services.forum_membership_add(actor=lead, forum=forum, organisation=other)] * TIMES
    )
    assert plain(errors)
    assert ForumMembership.objects.filter(forum=forum, organisation=other).count() == 1


def test_removing_an_organisation_twice_at_once_is_no_server_error(world):
    forum, lead, provider, member, meeting = (world[k] for k in ("forum", "lead", "provider", "member", "meeting"))
    bookings.booking_create(actor=member, meeting=meeting)
    membership = ForumMembership.objects.get(forum=forum, organisation=provider)
    _results, errors = at_once([lambda: services.forum_membership_end(actor=lead, membership=membership)] * TIMES)
    assert plain(errors)
    assert ForumMembership.objects.get(pk=membership.pk).status == ForumMembership.Status.ENDED


def test_publishing_the_agenda_twice_at_once_emails_everyone_once(world):
    forum, lead, member, meeting = world["forum"], world["lead"], world["member"], world["meeting"]
    item = agenda.item_raise(actor=member, forum=forum, meeting=meeting, data=ITEM)
    agenda.item_accept(actor=lead, item=item)
    seen = agenda.agenda_publish_token(meeting)
    mail.outbox.clear()
    _results, errors = at_once([lambda: agenda.agenda_publish(actor=lead, meeting=meeting, seen=seen)] * TIMES)
    assert plain(errors)
    assert len([m for m in mail.outbox if m.to == [member.email]]) == 1


def test_publishing_the_record_twice_at_once_emails_everyone_once(world):
    forum, lead, member, meeting = world["forum"], world["lead"], world["member"], world["meeting"]
    item = agenda.item_raise(actor=member, forum=forum, meeting=meeting, data=ITEM)
    agenda.item_accept(actor=lead, item=item)
    agenda.agenda_publish(actor=lead, meeting=meeting)
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        agenda.item_record(actor=lead, item=item, notes="", council_response="Done.")
        mail.outbox.clear()
        _results, errors = at_once([lambda: agenda.record_publish(actor=lead, meeting=meeting)] * TIMES)
    assert plain(errors)
    assert len([m for m in mail.outbox if m.to == [member.email]]) == 1


def test_booking_twice_at_once_books_once_with_a_plain_message(world):
    member, meeting = world["member"], world["meeting"]
    _results, errors = at_once([lambda: bookings.booking_create(actor=member, meeting=meeting)] * TIMES)
    assert plain(errors) and len(errors) == TIMES - 1
    assert meeting.bookings.count() == 1
