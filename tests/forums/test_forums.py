"""Forum membership by organisation and sector, and confidentiality: outside the forum it does not exist."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from carenetwork.forums import permissions, selectors, services
from carenetwork.forums.models import Forum, ForumMembership
from carenetwork.organisations.models import Role
from tests.factories import person_in, sector

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same person as a new request would see them, with no cached rights."""
    permissions.forget(user)
    from carenetwork.organisations.permissions import forget_memberships

    forget_memberships(user)
    return user


def test_all_people_of_a_member_organisation_see_the_forum(forum, provider_admin, provider_member):
    assert selectors.forum_get_for(user=provider_admin, slug=forum.slug) == forum
    assert selectors.forum_get_for(user=provider_member, slug=forum.slug) == forum


def test_to_people_outside_the_forum_it_does_not_exist(forum, other_admin, training_admin, partner_member):
    for outsider in (other_admin, training_admin, partner_member):
        with pytest.raises(Http404):
            selectors.forum_get_for(user=outsider, slug=forum.slug)
        assert forum not in selectors.forum_list_for(user=outsider)


def test_council_officers_who_are_not_leads_only_know_the_forum_exists(forum, council_admin, council_officer):
    listed = selectors.forum_list_for(user=council_admin)
    assert forum in listed and not next(f for f in listed if f == forum).can_view
    with pytest.raises(Http404):
        selectors.forum_get_for(user=council_admin, slug=forum.slug)
    assert selectors.forum_get_for(user=council_officer, slug=forum.slug) == forum


def test_eligible_provider_asks_to_join_and_a_lead_approves(
    other_provider, other_admin, council_officer, django_capture_on_commit_callbacks
):
    home_care = Forum.objects.get(slug="home-care")
    home_care.leads.add(council_officer)
    assert other_provider in permissions.eligible_organisations(other_admin, home_care)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.forum_membership_request(actor=other_admin, forum=home_care, organisation=other_provider)
    assert mail.outbox[-1].to == [council_officer.email]
    with pytest.raises(Http404):
        selectors.forum_get_for(user=fresh(other_admin), slug=home_care.slug)
    with django_capture_on_commit_callbacks(execute=True):
        services.forum_membership_decide(actor=council_officer, membership=request, approve=True)
    assert mail.outbox[-1].to == [other_admin.email]
    assert selectors.forum_get_for(user=fresh(other_admin), slug=home_care.slug) == home_care


def test_providers_outside_the_forums_sectors_cannot_ask_to_join(forum, other_provider, other_admin):
    assert forum.sectors.filter(slug="home-care").count() == 0
    with pytest.raises(PermissionDenied):
        services.forum_membership_request(actor=other_admin, forum=forum, organisation=other_provider)


def test_only_an_organisations_admin_asks_for_it(other_provider, council_officer):
    home_care = Forum.objects.get(slug="home-care")
    member = person_in(other_provider, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.forum_membership_request(actor=member, forum=home_care, organisation=other_provider)


def test_declined_request_gives_no_access(other_provider, other_admin, council_officer):
    home_care = Forum.objects.get(slug="home-care")
    home_care.leads.add(council_officer)
    request = services.forum_membership_request(actor=other_admin, forum=home_care, organisation=other_provider)
    services.forum_membership_decide(actor=council_officer, membership=request, approve=False)
    with pytest.raises(Http404):
        selectors.forum_get_for(user=fresh(other_admin), slug=home_care.slug)
    with pytest.raises(ValidationError):
        services.forum_membership_decide(actor=council_officer, membership=request, approve=True)


def test_only_the_forums_leads_decide(forum, other_provider, council_admin, provider_admin):
    request = ForumMembership.objects.create(forum=forum, organisation=other_provider)
    for actor in (council_admin, provider_admin):
        with pytest.raises(PermissionDenied):
            services.forum_membership_decide(actor=actor, membership=request, approve=True)


def test_a_lead_invites_a_partner_organisation(forum, partner_org, partner_member, council_officer):
    services.forum_membership_add(actor=council_officer, forum=forum, organisation=partner_org)
    assert selectors.forum_get_for(user=fresh(partner_member), slug=forum.slug) == forum


def test_the_council_cannot_be_added_as_a_member(forum, council, council_officer):
    with pytest.raises(ValidationError):
        services.forum_membership_add(actor=council_officer, forum=forum, organisation=council)


def test_removed_organisation_loses_access(forum, provider, provider_member, council_officer):
    membership = ForumMembership.objects.get(forum=forum, organisation=provider)
    services.forum_membership_end(actor=council_officer, membership=membership)
    with pytest.raises(Http404):
        selectors.forum_get_for(user=fresh(provider_member), slug=forum.slug)


def test_council_officers_create_forums_whose_leads_are_council_staff(council_officer, provider_admin):
    forum = services.forum_save(
        actor=council_officer,
        forum=None,
        data={
            "name": "Mental health forum",
            "description": "Providers of mental health support.",
            "sectors": [sector("supported-living")],
            "leads": [council_officer],
        },
    )
    assert forum.slug == "mental-health-forum"
    assert permissions.is_lead(fresh(council_officer), forum)
    with pytest.raises(ValidationError):
        services.forum_save(actor=council_officer, forum=forum, data={"leads": [provider_admin]})
    with pytest.raises(PermissionDenied):
        services.forum_save(actor=provider_admin, forum=None, data={"name": "Mine", "leads": [provider_admin]})


def test_removing_an_organisation_frees_its_places_for_the_waiting_list(
    forum, meeting, provider, provider_member, council_officer, other_provider
):
    from carenetwork.forums import bookings
    from carenetwork.forums.models import Booking

    services.forum_membership_add(actor=council_officer, forum=forum, organisation=other_provider)
    booked = bookings.booking_create(actor=provider_member, meeting=meeting)
    services.forum_membership_end(
        actor=council_officer, membership=ForumMembership.objects.get(forum=forum, organisation=provider)
    )
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CANCELLED
