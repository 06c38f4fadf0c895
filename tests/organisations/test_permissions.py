"""The permission predicates: each rule once, tested for who is allowed and who is not."""

import pytest

from carenetwork.organisations import permissions
from carenetwork.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_members_are_seen_only_by_their_organisation_and_council_staff(
    provider, provider_admin, provider_member, other_admin, training_admin, partner_member, council_officer
):
    assert permissions.can_view_members(provider_admin, provider)
    assert permissions.can_view_members(provider_member, provider)
    assert permissions.can_view_members(council_officer, provider)
    for outsider in (other_admin, training_admin, partner_member):
        assert not permissions.can_view_members(outsider, provider)


def test_only_admins_manage_their_own_organisation(
    provider, provider_admin, provider_member, other_admin, council_officer
):
    assert permissions.can_manage_organisation(provider_admin, provider)
    for user in (provider_member, other_admin, council_officer):
        assert not permissions.can_manage_organisation(user, provider)


def test_council_administrator_is_the_admin_of_the_council(council, council_admin, council_officer):
    assert permissions.can_manage_organisation(council_admin, council)
    assert not permissions.can_manage_organisation(council_officer, council)
    assert permissions.is_council_admin(council_admin) and not permissions.is_council_admin(council_officer)
    assert permissions.is_council_staff(council_officer)


def test_admin_appointments_are_for_council_administrators_only(
    provider, council, council_admin, council_officer, provider_admin
):
    assert permissions.can_appoint_admin(council_admin, provider)
    assert not permissions.can_appoint_admin(council_admin, council)
    assert not permissions.can_appoint_admin(council_officer, provider)
    assert not permissions.can_appoint_admin(provider_admin, provider)


def test_ended_membership_gives_no_rights(provider, provider_admin):
    membership = Membership.objects.get(user=provider_admin)
    membership.ended_at = membership.created_at
    membership.save()
    permissions.forget_memberships(provider_admin)
    assert not permissions.can_manage_organisation(provider_admin, provider)
    assert not permissions.can_view_members(provider_admin, provider)


def test_anonymous_people_have_no_rights(provider):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.can_view_directory(anonymous)
    assert not permissions.can_view_members(anonymous, provider)
    assert not permissions.can_request_to_join(anonymous, provider)


def test_inactive_organisations_are_hidden_except_from_council_staff(provider, other_admin, council_officer):
    provider.is_active = False
    provider.save()
    assert not permissions.can_view_organisation(other_admin, provider)
    assert permissions.can_view_organisation(council_officer, provider)
