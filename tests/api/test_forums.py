"""The forums' API: meetings and their agenda items (area "forums") and bookings (area "bookings"). A confidential
forum, its meetings, items and bookings do not exist (404, never listed) for anyone outside it: another
organisation's token, a person who left, an organisation that left the forum, council staff who do not lead it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from carenetwork.api.models import ApiToken
from carenetwork.api.services import token_revoke
from carenetwork.core.models import AuditEvent
from carenetwork.forums import agenda, bookings, permissions
from carenetwork.forums.models import AgendaItem, Booking, Forum, ForumMembership, Meeting
from carenetwork.organisations import services as org_services
from carenetwork.organisations.models import Membership, Role
from carenetwork.organisations.permissions import forget_memberships
from tests.api.conftest import ALL
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED
MEETINGS, BOOKINGS = "/api/v1/meetings/", "/api/v1/bookings/"
VIA = "token Rota sync of Willow Care Home"
ITEM = {"title": "Hospital discharge on Fridays", "description": "People arrive late.", "category": "issue"}


def fresh(user):
    """The same person as a new request would see them, with no cached rights."""
    permissions.forget(user)
    forget_memberships(user)
    return user


def meeting_url(meeting):
    return f"{MEETINGS}{meeting.pk}/"


def agenda_url(meeting):
    return f"{MEETINGS}{meeting.pk}/agenda-items/"


def item_url(item):
    return f"/api/v1/agenda-items/{item.pk}/"


def booking_url(booking):
    return f"{BOOKINGS}{booking.pk}/"


def signed_in(user):
    api = APIClient()
    api.force_login(user)
    return api


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def add_meeting(forum, days=14, **fields):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        forum=forum,
        title=fields.pop("title", f"Meeting in {days} days"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Town Hall",
        capacity=fields.pop("capacity", 10),
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
        **fields,
    )


def member_organisation(forum, **fields):
    organisation = OrganisationFactory(sectors=[sector("residential-care")], **fields)
    ForumMembership.objects.create(forum=forum, organisation=organisation, status=ForumMembership.Status.ACTIVE)
    return organisation


def book(person, meeting):
    return bookings.booking_create(actor=fresh(person), meeting=meeting)


@pytest.fixture
def home_care(other_provider, other_admin):
    """Another confidential forum, with its meeting: the other provider belongs, the provider does not."""
    forum = Forum.objects.get(slug="home-care")
    ForumMembership.objects.create(forum=forum, organisation=other_provider, status=ForumMembership.Status.ACTIVE)
    return forum


@pytest.fixture
def home_care_meeting(home_care):
    return add_meeting(home_care, title="Home care rates")


@pytest.fixture
def other_token(make_token, other_admin, other_provider):
    """A token of another provider, with every area, read and write."""
    return make_token(other_admin, other_provider, read=ALL, write=ALL, name="Other sync")


@pytest.fixture
def oak_lodge(forum):
    return member_organisation(forum, name="Oak Lodge Nursing")


@pytest.fixture
def oak_member(oak_lodge):
    return person_in(oak_lodge, Role.MEMBER, full_name="Ruth Ellis")


# Meetings: who sees them


def test_a_member_organisations_token_lists_the_forums_meetings_with_places(api_as, provider_token, meeting):
    response = api_as(provider_token).get(MEETINGS)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == meeting.pk
    assert row["forum"]["slug"] == "residential-nursing-care"
    assert (row["capacity"], row["confirmed_count"], row["places_left"], row["waiting_count"]) == (3, 0, 3, 0)
    assert row["my_booking_status"] is None
    assert row["venue"] == meeting.venue


def test_people_outside_a_confidential_forum_never_see_its_meetings(
    api_as, make_token, other_token, council_admin, council, meeting, partner_member, training_admin
):
    outsiders = [
        api_as(other_token),
        # Council staff who do not lead the forum only know it exists: its meetings are not theirs to see.
        api_as(make_token(council_admin, council, read=["forums", "bookings"])),
        signed_in(partner_member),
        signed_in(training_admin),
    ]
    for api in outsiders:
        assert ids(api.get(MEETINGS)) == []
        assert ids(api.get(MEETINGS, {"forum": meeting.forum_id})) == []
        assert api.get(meeting_url(meeting)).status_code == 404
        assert api.get(agenda_url(meeting)).status_code == 404


def test_a_confidential_meeting_answers_exactly_as_one_that_does_not_exist(api_as, other_token, meeting):
    api = api_as(other_token)
    hidden, missing = api.get(meeting_url(meeting)), api.get(f"{MEETINGS}999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden["Content-Type"] == "application/problem+json"
    hidden = api.post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    missing = api.post(BOOKINGS, {"meeting": 999999}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert not Booking.objects.exists()


def test_each_organisation_sees_only_its_own_forums_meetings(
    api_as, provider_token, other_token, meeting, home_care_meeting
):
    assert ids(api_as(provider_token).get(MEETINGS)) == [meeting.pk]
    assert ids(api_as(other_token).get(MEETINGS)) == [home_care_meeting.pk]
    assert api_as(provider_token).get(meeting_url(home_care_meeting)).status_code == 404
    assert api_as(other_token).get(meeting_url(meeting)).status_code == 404


def test_an_organisation_that_left_the_forum_no_longer_sees_its_meetings(api_as, provider_token, forum, meeting):
    ForumMembership.objects.filter(forum=forum).update(status=ForumMembership.Status.ENDED)
    api = api_as(provider_token)
    assert ids(api.get(MEETINGS)) == []
    assert api.get(meeting_url(meeting)).status_code == 404
    assert api.get(agenda_url(meeting)).status_code == 404


def test_a_person_who_left_their_organisation_no_longer_sees_its_forums(provider, provider_member, meeting):
    api = signed_in(provider_member)
    assert ids(api.get(MEETINGS)) == [meeting.pk]
    membership = Membership.objects.active().get(user=provider_member, organisation=provider)
    org_services.membership_end(actor=provider_member, membership=membership)
    assert ids(api.get(MEETINGS)) == []
    assert api.get(meeting_url(meeting)).status_code == 404


def test_a_token_stops_working_when_the_admin_who_made_it_leaves(api_as, provider_token, provider, provider_admin):
    person_in(provider, Role.ADMIN)  # the organisation keeps an admin
    membership = Membership.objects.active().get(user=provider_admin, organisation=provider)
    org_services.membership_end(actor=provider_admin, membership=membership)
    assert api_as(provider_token).get(MEETINGS).status_code == 401


def test_a_deactivated_forum_shows_nothing(api_as, provider_token, provider_member, forum, meeting):
    booking = book(provider_member, meeting)
    Forum.objects.filter(pk=forum.pk).update(is_active=False)
    for api in (api_as(provider_token), signed_in(provider_member)):
        assert ids(api.get(MEETINGS)) == []
        assert api.get(meeting_url(meeting)).status_code == 404
        assert ids(api.get(BOOKINGS)) == []
        assert api.get(booking_url(booking)).status_code == 404


def test_a_lead_sees_the_meetings_of_the_forums_they_lead(api_as, make_token, council, council_admin, meeting):
    token = make_token(council_admin, council, read=["forums"])
    assert ids(api_as(token).get(MEETINGS)) == []
    meeting.forum.leads.add(council_admin)
    assert ids(api_as(token).get(MEETINGS)) == [meeting.pk]
    assert api_as(token).get(meeting_url(meeting)).json()["can_book"] is False


def test_meetings_not_yet_over_by_default_and_filtered_by_forum_and_date(api_as, provider_token, forum, meeting):
    past = add_meeting(forum, days=-30, title="Last month")
    later = add_meeting(forum, days=60, title="Later")
    other_forum = Forum.objects.get(slug="home-care")
    api = api_as(provider_token)
    assert ids(api.get(MEETINGS)) == [meeting.pk, later.pk]
    assert ids(api.get(MEETINGS, {"forum": forum.pk})) == [meeting.pk, later.pk]
    today = timezone.localdate()
    start = (today - timedelta(days=31)).isoformat()
    assert ids(api.get(MEETINGS, {"from": start})) == [past.pk, meeting.pk, later.pk]
    assert ids(api.get(MEETINGS, {"from": start, "to": (today + timedelta(days=20)).isoformat()})) == [
        past.pk,
        meeting.pk,
    ]
    meeting_day = timezone.localtime(meeting.starts_at).date().isoformat()
    assert ids(api.get(MEETINGS, {"from": meeting_day, "to": meeting_day})) == [meeting.pk]
    add_meeting(other_forum)
    assert ids(api.get(MEETINGS, {"forum": other_forum.pk})) == []


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        ({"forum": "abc"}, "/forum"),
        ({"forum": ""}, "/forum"),
        ({"to": ""}, "/to"),
        ({"forum": "0"}, "/forum"),
        ({"forum": "99999999999999999999"}, "/forum"),
        ({"from": "yesterday"}, "/from"),
        ({"to": "2026-02-30"}, "/to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "/to"),
    ],
)
def test_bad_meeting_filters_are_400_problems(api_as, provider_token, meeting, query, pointer):
    response = api_as(provider_token).get(MEETINGS, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_meeting_detail_shows_places_left_and_the_callers_place_on_the_waiting_list(
    api_as, provider_token, provider, provider_admin, meeting
):
    others = [person_in(member_organisation(meeting.forum), Role.MEMBER) for _ in range(3)]
    for person in others:
        book(person, meeting)
    book(others[0], add_meeting(meeting.forum))  # elsewhere: not counted
    waiting = person_in(member_organisation(meeting.forum), Role.MEMBER)
    book(waiting, meeting)
    book(provider_admin, meeting)
    body = api_as(provider_token).get(meeting_url(meeting)).json()
    assert (body["confirmed_count"], body["places_left"], body["waiting_count"]) == (3, 0, 2)
    assert body["my_booking_status"] == WAITING
    assert body["my_waiting_position"] == 2
    assert body["my_booking_id"] == Booking.objects.get(person=provider_admin).pk
    assert body["can_book"] is False and body["closed_reason"] is None


def test_meeting_detail_says_why_booking_is_closed(api_as, provider_token, meeting):
    api = api_as(provider_token)
    body = api.get(meeting_url(meeting)).json()
    assert body["can_book"] is True and body["closed_reason"] is None and body["organisation_full"] is False
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
    body = api.get(meeting_url(meeting)).json()
    assert body["can_book"] is False and "cancelled" in body["closed_reason"]


# Areas and tokens


@pytest.mark.parametrize("url", ["meetings", "meeting", "agenda", "item"])
def test_forum_endpoints_need_the_forums_area(api_as, make_token, provider_admin, provider, meeting, url):
    item = agenda.item_raise(actor=fresh(provider_admin), forum=meeting.forum, meeting=meeting, data=ITEM)
    address = {"meetings": MEETINGS, "meeting": meeting_url(meeting), "agenda": agenda_url(meeting)}.get(url)
    address = address or item_url(item)
    assert api_as(None).get(address).status_code == 401
    assert api_as(make_token(provider_admin, provider, read=["bookings", "records"])).get(address).status_code == 403
    assert api_as(make_token(provider_admin, provider, read=["forums"])).get(address).status_code == 200
    assert signed_in(provider_admin).get(address).status_code == 200
    assert api_as("cn_abcd1234_not-a-real-secret").get(address).status_code == 401


def test_a_revoked_or_expired_token_is_refused(api_as, make_token, provider_admin, provider, meeting):
    token = make_token(provider_admin, provider, read=["forums", "bookings"])
    assert api_as(token).get(MEETINGS).status_code == 200
    stored = ApiToken.objects.get(prefix=token.split("_")[1])
    token_revoke(actor=fresh(provider_admin), token=stored)
    assert api_as(token).get(MEETINGS).status_code == 401
    expired = make_token(provider_admin, provider, read=["forums", "bookings"])
    ApiToken.objects.filter(prefix=expired.split("_")[1]).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_as(expired).get(BOOKINGS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_writes_are_refused_on_the_read_only_forums_area(api_as, provider_token, meeting):
    # Meetings and agenda items are read-only here: only GET is offered.
    api = api_as(provider_token)
    assert api.post(MEETINGS, {}, format="json").status_code == 405
    assert api.delete(meeting_url(meeting)).status_code == 405


# Bookings


def test_a_token_books_a_place_through_the_booking_service_and_the_history_names_the_token(
    api_as, provider_token, provider, provider_admin, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(provider_token).post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert body["id"] == booking.pk and body["status"] == CONFIRMED and body["waiting_position"] is None
    assert (booking.person, booking.organisation, booking.meeting) == (provider_admin, provider, meeting)
    assert body["person"]["name"] == "Grace Adeyemi" and body["organisation"]["id"] == provider.pk
    event = AuditEvent.objects.get(action="booking.created", object_id=str(booking.pk))
    assert event.via == VIA and event.actor == provider_admin


def test_a_full_meeting_puts_the_booking_on_the_waiting_list(api_as, provider_token, meeting):
    for _ in range(meeting.capacity):
        book(person_in(member_organisation(meeting.forum), Role.MEMBER), meeting)
    response = api_as(provider_token).post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == WAITING and response.json()["waiting_position"] == 1


def test_an_organisation_at_its_limit_puts_the_booking_on_the_waiting_list(api_as, provider_token, provider, meeting):
    for _ in range(meeting.per_organisation_limit):
        book(person_in(provider, Role.MEMBER), meeting)
    response = api_as(provider_token).post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert response.json()["status"] == WAITING


def test_a_signed_in_member_books_their_own_place(provider_member, meeting):
    response = signed_in(provider_member).post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert booking.person == provider_member and booking.status == CONFIRMED
    assert AuditEvent.objects.get(action="booking.created").via == ""


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/meeting"),
        ({"meeting": "abc"}, "/meeting"),
        ({"meeting": 0}, "/meeting"),
        ({"meeting": 2**40}, "/meeting"),
        ({"meeting": None}, "/meeting"),
        ({"meeting": 999999}, "/meeting"),
    ],
)
def test_bad_bookings_are_400_problems(api_as, provider_token, meeting, body, pointer):
    response = api_as(provider_token).post(BOOKINGS, body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert not Booking.objects.exists()


def test_the_booking_services_refusals_are_400_problems(api_as, provider_token, meeting):
    api = api_as(provider_token)
    assert api.post(BOOKINGS, {"meeting": meeting.pk}, format="json").status_code == 201
    again = api.post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert again.status_code == 400
    assert "already have a place" in again.json()["errors"][0]["detail"]
    cancelled = add_meeting(meeting.forum, cancelled_at=timezone.now())
    closed = api.post(BOOKINGS, {"meeting": cancelled.pk}, format="json")
    assert closed.status_code == 400 and "cancelled" in closed.json()["errors"][0]["detail"]
    assert Booking.objects.count() == 1


def test_booking_needs_the_bookings_area_to_write(api_as, make_token, provider_admin, provider, meeting):
    body = {"meeting": meeting.pk}
    assert api_as(None).post(BOOKINGS, body, format="json").status_code == 401
    read_only = make_token(provider_admin, provider, read=["forums", "bookings"], write=["forums"])
    assert api_as(read_only).post(BOOKINGS, body, format="json").status_code == 403
    no_area = make_token(provider_admin, provider, read=["forums"], write=["forums"])
    assert api_as(no_area).post(BOOKINGS, body, format="json").status_code == 403
    assert api_as(no_area).get(BOOKINGS).status_code == 403
    assert not Booking.objects.exists()
    writer = make_token(provider_admin, provider, read=["bookings"], write=["bookings"])
    assert api_as(writer).post(BOOKINGS, body, format="json").status_code == 201


def test_a_lead_needs_no_place_and_may_not_book(council_officer, meeting):
    response = signed_in(council_officer).post(BOOKINGS, {"meeting": meeting.pk}, format="json")
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_an_organisations_token_lists_its_peoples_bookings_and_no_one_elses(
    api_as,
    provider_token,
    provider,
    provider_admin,
    provider_member,
    meeting,
    oak_member,
    home_care_meeting,
    other_admin,
):
    mine = book(provider_admin, meeting)
    colleague = book(provider_member, meeting)
    book(oak_member, meeting)
    book(other_admin, home_care_meeting)
    past = add_meeting(meeting.forum)
    old = book(provider_member, past)
    Meeting.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    cancelled = book(person_in(provider, Role.MEMBER), add_meeting(meeting.forum, days=20))
    bookings.booking_cancel(actor=fresh(provider_admin), booking=cancelled)
    listed = ids(api_as(provider_token).get(BOOKINGS))
    assert sorted(listed) == sorted([mine.pk, colleague.pk])
    assert old.pk not in listed
    assert ids(api_as(provider_token).get(BOOKINGS, {"meeting": meeting.pk})) == listed
    assert ids(api_as(provider_token).get(BOOKINGS, {"meeting": home_care_meeting.pk})) == []
    response = api_as(provider_token).get(BOOKINGS, {"meeting": "x"})
    assert response.status_code == 400 and response.json()["errors"][0]["pointer"] == "/meeting"


def test_a_signed_in_person_lists_only_their_own_bookings(provider_admin, provider_member, meeting):
    mine = book(provider_member, meeting)
    theirs = book(provider_admin, meeting)
    assert ids(signed_in(provider_member).get(BOOKINGS)) == [mine.pk]
    assert ids(signed_in(provider_admin).get(BOOKINGS)) == [theirs.pk]


def test_bookings_in_a_forum_the_organisation_left_are_neither_listed_nor_reachable(
    api_as, provider_token, provider_member, forum, meeting
):
    booking = book(provider_member, meeting)
    ForumMembership.objects.filter(forum=forum).update(status=ForumMembership.Status.ENDED)
    assert ids(api_as(provider_token).get(BOOKINGS)) == []
    assert api_as(provider_token).get(booking_url(booking)).status_code == 404
    assert signed_in(provider_member).get(booking_url(booking)).status_code == 404
    assert api_as(provider_token).delete(booking_url(booking)).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == CONFIRMED


def test_who_may_see_a_booking_by_id(
    api_as, provider_token, other_token, provider, provider_admin, provider_member, council_officer, oak_member, meeting
):
    colleague = book(provider_member, meeting)
    outsider = book(oak_member, meeting)
    assert api_as(provider_token).get(booking_url(colleague)).json()["person"]["name"] == "Daniel Price"
    assert signed_in(provider_admin).get(booking_url(colleague)).status_code == 200
    assert signed_in(provider_member).get(booking_url(colleague)).status_code == 200
    assert signed_in(council_officer).get(booking_url(colleague)).status_code == 200  # the forum's lead
    # Another member organisation's booking, and any booking for another organisation's token: not there.
    assert api_as(provider_token).get(booking_url(outsider)).status_code == 404
    assert signed_in(provider_admin).get(booking_url(outsider)).status_code == 404
    assert api_as(other_token).get(booking_url(colleague)).status_code == 404
    # A colleague's booking, to a member who is not an admin: not theirs to see (nor to cancel).
    second = book(person_in(provider, Role.MEMBER), meeting)
    assert signed_in(provider_member).get(booking_url(second)).status_code == 404
    assert signed_in(provider_member).delete(booking_url(second)).status_code == 404
    assert api_as(provider_token).get(f"{BOOKINGS}999999/").status_code == 404


def test_a_token_cancels_a_colleagues_place_and_the_next_person_waiting_gets_it(
    api_as, provider_token, provider, provider_member, meeting
):
    colleague = book(provider_member, meeting)
    for _ in range(meeting.capacity - 1):
        book(person_in(member_organisation(meeting.forum), Role.MEMBER), meeting)
    waiting = book(person_in(member_organisation(meeting.forum), Role.MEMBER), meeting)
    assert waiting.status == WAITING
    response = api_as(provider_token).delete(booking_url(colleague))
    assert response.status_code == 204
    assert Booking.objects.get(pk=colleague.pk).status == CANCELLED
    assert Booking.objects.get(pk=waiting.pk).status == CONFIRMED
    event = AuditEvent.objects.get(action="booking.cancelled", object_id=str(colleague.pk))
    assert event.via == VIA
    again = api_as(provider_token).delete(booking_url(colleague))
    assert again.status_code == 400 and "already been cancelled" in again.json()["errors"][0]["detail"]


def test_posting_to_cancel_answers_with_the_cancelled_booking(api_as, provider_token, provider_member, meeting):
    booking = book(provider_member, meeting)
    response = api_as(provider_token).post(f"{booking_url(booking)}cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == CANCELLED and response.json()["cancelled_at"]
    assert AuditEvent.objects.get(action="booking.cancelled").via == VIA


def test_a_lead_cancels_a_place_at_their_forums_meeting(council_officer, provider_member, meeting):
    booking = book(provider_member, meeting)
    response = signed_in(council_officer).post(f"{booking_url(booking)}cancel/")
    assert response.status_code == 200 and response.json()["status"] == CANCELLED
    assert AuditEvent.objects.get(action="booking.cancelled").actor == council_officer


def test_a_person_cancels_their_own_place(provider_member, meeting):
    booking = book(provider_member, meeting)
    assert signed_in(provider_member).delete(booking_url(booking)).status_code == 204
    assert Booking.objects.get(pk=booking.pk).status == CANCELLED


def test_cancelling_needs_the_bookings_area_to_write_and_the_callers_organisation(
    api_as, make_token, other_token, provider_admin, provider, provider_member, meeting
):
    booking = book(provider_member, meeting)
    read_only = make_token(provider_admin, provider, read=["bookings"])
    assert api_as(None).delete(booking_url(booking)).status_code == 401
    assert api_as(read_only).delete(booking_url(booking)).status_code == 403
    assert api_as(read_only).post(f"{booking_url(booking)}cancel/").status_code == 403
    assert api_as(other_token).delete(booking_url(booking)).status_code == 404
    assert api_as(other_token).post(f"{booking_url(booking)}cancel/").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == CONFIRMED


def test_a_place_at_a_meeting_that_has_started_cannot_be_cancelled(api_as, provider_token, provider_member, meeting):
    booking = book(provider_member, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = api_as(provider_token).delete(booking_url(booking))
    assert response.status_code == 400
    assert Booking.objects.get(pk=booking.pk).status == CONFIRMED


def test_a_token_for_one_organisation_does_not_reach_the_admins_booking_for_another(
    api_as, make_token, provider, provider_admin, forum, meeting
):
    second = member_organisation(forum, name="Second Home")
    Membership.objects.filter(user=provider_admin).delete()
    Membership.objects.create(user=provider_admin, organisation=second, role=Role.ADMIN)
    booking = book(provider_admin, meeting)
    assert booking.organisation == second
    Membership.objects.create(user=provider_admin, organisation=provider, role=Role.ADMIN)
    token = make_token(fresh(provider_admin), provider, read=["bookings"], write=["bookings"])
    assert ids(api_as(token).get(BOOKINGS)) == []
    assert api_as(token).get(booking_url(booking)).status_code == 404
    assert api_as(token).delete(booking_url(booking)).status_code == 404


# Agenda items


@pytest.fixture
def items(forum, meeting, council_officer, provider_member, oak_member):
    """On the meeting's published agenda: the provider's item and Oak Lodge's anonymous one. Raised only: one
    each, not yet on the agenda."""
    lead = fresh(council_officer)
    raised = {
        "ours": agenda.item_raise(actor=fresh(provider_member), forum=forum, meeting=meeting, data=ITEM),
        "theirs_anonymous": agenda.item_raise(
            actor=fresh(oak_member), forum=forum, meeting=meeting, data={**ITEM, "title": "Oak's", "anonymous": True}
        ),
        "ours_raised": agenda.item_raise(
            actor=provider_member, forum=forum, meeting=meeting, data={**ITEM, "title": "Our draft"}
        ),
        "theirs_raised": agenda.item_raise(
            actor=oak_member, forum=forum, meeting=meeting, data={**ITEM, "title": "Oak's draft"}
        ),
    }
    agenda.item_accept(actor=lead, item=raised["ours"])
    agenda.item_accept(actor=lead, item=raised["theirs_anonymous"])
    agenda.agenda_publish(actor=lead, meeting=meeting)
    return {name: AgendaItem.objects.get(pk=item.pk) for name, item in raised.items()}


def test_a_member_sees_the_published_agenda_and_their_own_organisations_items(api_as, provider_token, meeting, items):
    rows = api_as(provider_token).get(agenda_url(meeting)).json()["results"]
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {items["ours"].pk, items["theirs_anonymous"].pk, items["ours_raised"].pk}
    assert by_id[items["ours"].pk]["on_agenda"] is True and by_id[items["ours_raised"].pk]["on_agenda"] is False
    anonymous = by_id[items["theirs_anonymous"].pk]
    assert anonymous["raised_by"] == "A provider" and anonymous["raised_by_organisation"] is None
    assert by_id[items["ours"].pk]["raised_by_organisation"]["name"] == "Willow Care Home"
    assert api_as(provider_token).get(item_url(items["theirs_raised"])).status_code == 404
    detail = api_as(provider_token).get(item_url(items["theirs_anonymous"])).json()
    assert detail["raised_by"] == "A provider" and detail["description"] == ITEM["description"]


def test_before_the_agenda_is_published_a_member_sees_only_their_own_items(
    api_as, provider_token, provider_member, forum, meeting
):
    ours = agenda.item_raise(actor=fresh(provider_member), forum=forum, meeting=meeting, data=ITEM)
    other = person_in(member_organisation(forum), Role.MEMBER)
    theirs = agenda.item_raise(actor=fresh(other), forum=forum, meeting=meeting, data={**ITEM, "title": "Theirs"})
    assert ids(api_as(provider_token).get(agenda_url(meeting))) == [ours.pk]
    assert api_as(provider_token).get(item_url(theirs)).status_code == 404
    assert api_as(provider_token).get(item_url(ours)).status_code == 200


def test_a_lead_sees_every_item_and_who_raised_it(council_officer, meeting, items):
    api = signed_in(council_officer)
    rows = api.get(agenda_url(meeting)).json()["results"]
    assert {row["id"] for row in rows} == {item.pk for item in items.values()}
    anonymous = next(row for row in rows if row["id"] == items["theirs_anonymous"].pk)
    assert anonymous["raised_by_organisation"]["name"] == "Oak Lodge Nursing"
    assert "Ruth Ellis" in anonymous["raised_by"]


def test_agenda_items_are_invisible_outside_the_forum(
    api_as, other_token, make_token, council_admin, council, partner_member, meeting, items
):
    council_token = make_token(council_admin, council, read=["forums"])
    for api in (api_as(other_token), api_as(council_token), signed_in(partner_member)):
        assert api.get(agenda_url(meeting)).status_code == 404
        for item in items.values():
            assert api.get(item_url(item)).status_code == 404
    assert api_as(other_token).get("/api/v1/agenda-items/999999/").status_code == 404


def test_a_person_who_left_no_longer_sees_the_items(provider, provider_member, meeting, items):
    api = signed_in(provider_member)
    assert api.get(item_url(items["ours"])).status_code == 200
    membership = Membership.objects.active().get(user=provider_member, organisation=provider)
    org_services.membership_end(actor=provider_member, membership=membership)
    assert api.get(item_url(items["ours"])).status_code == 404
    assert api.get(agenda_url(meeting)).status_code == 404


# Query counts stay the same as the data grows


def _queries(api, url) -> int:
    api.get(url)  # the token's first use of the minute writes when it was used: not what is measured
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_meeting_list_queries_do_not_grow_with_meetings_or_bookings(api_as, provider_token, provider, forum, meeting):
    api = api_as(provider_token)
    book(person_in(provider, Role.MEMBER), meeting)
    few = _queries(api, MEETINGS)
    for days in range(20, 30):
        extra = add_meeting(forum, days=days)
        book(person_in(provider, Role.MEMBER), extra)
        book(person_in(member_organisation(forum), Role.MEMBER), extra)
    many = _queries(api, MEETINGS)
    assert len(api.get(MEETINGS).json()["results"]) == 11
    assert many == few


def test_booking_list_queries_do_not_grow_with_bookings(
    api_as, provider_token, provider, provider_member, forum, meeting
):
    api = api_as(provider_token)
    book(provider_member, meeting)
    few = _queries(api, BOOKINGS)
    session = signed_in(provider_member)
    few_own = _queries(session, BOOKINGS)
    for days in range(20, 30):
        extra = add_meeting(forum, days=days, capacity=1)
        book(person_in(member_organisation(forum), Role.MEMBER), extra)
        book(person_in(provider, Role.MEMBER), extra)  # waiting: its position is counted in the query
        book(provider_member, extra)
    assert _queries(api, BOOKINGS) == few
    assert len(api.get(BOOKINGS).json()["results"]) == 21
    assert _queries(session, BOOKINGS) == few_own


def test_agenda_item_list_queries_do_not_grow_with_items(api_as, provider_token, provider_member, forum, meeting):
    api = api_as(provider_token)
    agenda.item_raise(actor=fresh(provider_member), forum=forum, meeting=meeting, data=ITEM)
    few = _queries(api, agenda_url(meeting))
    for n in range(10):
        agenda.item_raise(actor=provider_member, forum=forum, meeting=meeting, data={**ITEM, "title": f"Item {n}"})
    assert _queries(api, agenda_url(meeting)) == few
    assert len(api.get(agenda_url(meeting)).json()["results"]) == 11


# A token acts for its organisation only, even where its maker also works for another in the same forum


def test_a_token_shows_nothing_its_maker_did_for_their_other_organisation(
    api_as, provider_token, provider_admin, forum, meeting, oak_lodge
):
    grace = fresh(provider_admin)
    Membership.objects.create(user=grace, organisation=oak_lodge, role=Role.MEMBER)
    grace = fresh(grace)
    item = agenda.item_raise(
        actor=grace, forum=forum, meeting=meeting, data={**ITEM, "title": "Oak's private draft", "anonymous": True}
    )
    AgendaItem.objects.filter(pk=item.pk).update(raised_by_organisation=oak_lodge)
    booking = Booking.objects.create(
        meeting=meeting, person=grace, organisation=oak_lodge, status=CONFIRMED, queued_at=timezone.now()
    )
    api = api_as(provider_token)
    titles = [row["title"] for row in api.get(agenda_url(meeting)).json()["results"]]
    assert "Oak's private draft" not in titles
    assert api.get(item_url(item)).status_code == 404
    assert api.get(meeting_url(meeting)).json()["my_booking_id"] is None
    assert api.get(MEETINGS).json()["results"][0]["my_booking_status"] is None
    assert api.get(booking_url(booking)).status_code == 404
    # Signed in as herself, all of it is hers.
    assert "Oak's private draft" in [
        row["title"] for row in signed_in(grace).get(agenda_url(meeting)).json()["results"]
    ]
