"""When a person's membership of an organisation ends, the forums let go of them: council leads who are no
longer council staff are neither asked nor emailed, and leavers lose their places and waiting-list places."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.forums import agenda, bookings, permissions, services
from carenetwork.forums.models import Booking, Forum, ForumMembership, Meeting
from carenetwork.organisations import services as org_services
from carenetwork.organisations.models import Membership, Role
from carenetwork.organisations.permissions import forget_memberships
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

ITEM = {"title": "Hospital discharge on Fridays", "description": "People arrive late.", "category": "issue"}
CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED


def fresh(user):
    permissions.forget(user)
    forget_memberships(user)
    return user


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def end(person, organisation, *, actor=None):
    membership = Membership.objects.active().get(user=person, organisation=organisation)
    return org_services.membership_end(actor=actor or person, membership=membership)


def test_a_lead_who_leaves_the_council_stops_leading_every_forum(council, council_officer, forum):
    other = Forum.objects.get(slug="home-care")
    other.leads.add(council_officer)
    end(council_officer, council)
    assert not Forum.objects.filter(leads=council_officer).exists()
    assert AuditEvent.objects.filter(action="forum.lead_removed", object_id=str(forum.pk)).exists()
    assert not permissions.can_lead_forum(fresh(council_officer), forum)


def test_a_lead_removed_by_an_administrator_stops_leading(council, council_admin, council_officer, forum):
    end(council_officer, council, actor=council_admin)
    assert list(forum.leads.all()) == []


def test_a_lead_with_another_council_membership_keeps_leading(council, council_officer, forum):
    second_council = OrganisationFactory(name="Shared Services", kind=council.kind)
    Membership.objects.create(user=council_officer, organisation=second_council, role=Role.OFFICER)
    end(council_officer, council)
    assert list(forum.leads.all()) == [council_officer]


def test_a_stale_lead_row_gives_no_rights_and_no_email(commit, council, council_officer, forum, provider_member):
    """Even if a lead row survives the person's council membership, nothing is shown or sent to them."""
    Membership.objects.filter(user=council_officer).update(ended_at=timezone.now())  # no services, no hooks
    assert list(forum.leads.all()) == [council_officer]
    fresh(council_officer)
    assert not permissions.can_lead_forum(council_officer, forum)
    assert list(permissions.current_leads(forum)) == []
    assert council_officer not in [person for person, _orgs, _lead in agenda.forum_audience(forum)]
    mail.outbox.clear()
    commit(agenda.item_raise, actor=provider_member, forum=forum, meeting=None, data=ITEM)
    assert all(council_officer.email not in message.to for message in mail.outbox)


def test_a_stale_lead_is_not_told_of_requests_to_join(commit, council_officer, other_provider, other_admin):
    home_care = Forum.objects.get(slug="home-care")
    home_care.leads.add(council_officer)
    Membership.objects.filter(user=council_officer).update(ended_at=timezone.now())
    mail.outbox.clear()
    commit(services.forum_membership_request, actor=other_admin, forum=home_care, organisation=other_provider)
    assert all(council_officer.email not in message.to for message in mail.outbox)


def test_the_forum_page_lists_only_current_leads(client, council_officer, council_admin, forum, provider_member):
    forum.leads.add(council_admin)
    Membership.objects.filter(user=council_admin).update(ended_at=timezone.now())
    client.force_login(provider_member)
    page = client.get(f"/forums/{forum.slug}/").content.decode()
    assert "Tom Okafor" in page and "Priya Shah" not in page


def test_leaving_an_organisation_cancels_its_forum_places_and_waiting_places(
    commit, forum, meeting, provider, provider_member
):
    meeting.capacity = 1
    meeting.save()
    other = person_in(provider, Role.MEMBER)
    place = bookings.booking_create(actor=provider_member, meeting=meeting)
    waiting = bookings.booking_create(actor=other, meeting=meeting)
    assert (place.status, waiting.status) == (CONFIRMED, WAITING)
    commit(end, person=other, organisation=provider)
    waiting.refresh_from_db()
    assert waiting.status == CANCELLED
    commit(end, person=provider_member, organisation=provider)
    place.refresh_from_db()
    assert place.status == CANCELLED


def test_a_removed_member_is_never_promoted_from_the_waiting_list(
    commit, forum, meeting, provider, provider_admin, provider_member
):
    """Their waiting place goes when they are removed; the next person gets the freed place, not them."""
    meeting.capacity = 1
    meeting.save()
    oak = OrganisationFactory(name="Oak Lodge", sectors=[sector("nursing-care")])
    ForumMembership.objects.create(forum=forum, organisation=oak, status=ForumMembership.Status.ACTIVE)
    oak_member = person_in(oak, Role.MEMBER)
    place = bookings.booking_create(actor=provider_admin, meeting=meeting)
    removed = bookings.booking_create(actor=provider_member, meeting=meeting)
    next_in_line = bookings.booking_create(actor=oak_member, meeting=meeting)
    commit(end, person=provider_member, organisation=provider, actor=provider_admin)
    mail.outbox.clear()
    commit(bookings.booking_cancel, actor=provider_admin, booking=place)
    removed.refresh_from_db()
    next_in_line.refresh_from_db()
    assert (removed.status, next_in_line.status) == (CANCELLED, CONFIRMED)
    assert all(provider_member.email not in message.to for message in mail.outbox)


def test_promotion_skips_a_waiting_place_whose_holder_is_no_longer_a_member(forum, meeting, provider, provider_member):
    """Even a waiting place left behind (no hook ran) is never promoted: it lapses without an email."""
    meeting.capacity = 1
    meeting.save()
    first = bookings.booking_create(actor=person_in(provider, Role.MEMBER), meeting=meeting)
    stale = bookings.booking_create(actor=provider_member, meeting=meeting)
    Membership.objects.filter(user=provider_member).update(ended_at=timezone.now())
    Booking.objects.filter(pk=first.pk).update(status=CANCELLED)
    mail.outbox.clear()
    promoted = bookings.waiting_list_promote(meeting=meeting)
    stale.refresh_from_db()
    assert promoted == [] and stale.status == CANCELLED and mail.outbox == []
    lapsed = AuditEvent.objects.get(action="booking.lapsed", object_id=str(stale.pk))
    assert (lapsed.actor, lapsed.organisation) == (None, provider)
    assert lapsed.changes == {"status": ["waiting", "cancelled"]}


def test_past_bookings_stay_as_they_were(forum, meeting, provider, provider_member):
    booking = bookings.booking_create(actor=provider_member, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    end(provider_member, provider)
    booking.refresh_from_db()
    assert booking.status == CONFIRMED
