"""Rules for joining, leaving and managing organisations, through the services every page uses."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.organisations import selectors, services
from carenetwork.organisations.models import Invitation, JoinRequest, Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def active_role(user, organisation):
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    return membership.role if membership else None


def test_invitation_is_emailed_with_a_link_and_joins_with_the_invited_role(
    provider, provider_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=provider_admin, organisation=provider, email="New.Carer@Example.org", role=Role.MEMBER
        )
    assert invitation.email == "new.carer@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.carer@example.org"]
    assert f"/organisations/invitations/{invitation.token}/" in mail.outbox[0].body
    user = UserFactory(email="new.carer@example.org")
    services.invitation_accept(invitation=invitation, user=user)
    assert active_role(user, provider) == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and not invitation.is_pending


def test_invitation_cannot_be_accepted_after_it_expires(provider, provider_admin):
    invitation = services.invitation_create(
        actor=provider_admin, organisation=provider, email="late@example.org", role=Role.MEMBER
    )
    user = UserFactory(email="late@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=15)), pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=user)
    assert active_role(user, provider) is None


def test_invitation_cannot_be_used_twice_or_by_another_address(provider, provider_admin):
    invitation = services.invitation_create(
        actor=provider_admin, organisation=provider, email="one@example.org", role=Role.MEMBER
    )
    with pytest.raises(ValidationError, match="different email"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="someone.else@example.org"))
    services.invitation_accept(invitation=invitation, user=UserFactory(email="one@example.org"))
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="ONE@example.org".lower() + "x"))


def test_withdrawn_invitation_cannot_be_accepted(provider, provider_admin):
    invitation = services.invitation_create(
        actor=provider_admin, organisation=provider, email="w@example.org", role=Role.MEMBER
    )
    services.invitation_revoke(actor=provider_admin, invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="w@example.org"))


def test_reinviting_withdraws_the_earlier_invitation(provider, provider_admin):
    first = services.invitation_create(
        actor=provider_admin, organisation=provider, email="r@example.org", role=Role.MEMBER
    )
    services.invitation_create(actor=provider_admin, organisation=provider, email="r@example.org", role=Role.ADMIN)
    first.refresh_from_db()
    assert not first.is_pending


def test_appointing_the_same_admin_again_resends_the_first_invitation(
    provider, council_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.admin_appoint(actor=council_admin, organisation=provider, email="boss@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        again = services.admin_appoint(actor=council_admin, organisation=provider, email="Boss@example.org")

    first.refresh_from_db()
    assert again.pk == first.pk and again.resent
    assert first.is_pending  # the link in the first email still works
    assert Invitation.objects.filter(organisation=provider).count() == 1
    link = f"/organisations/invitations/{first.token}/"
    assert [link in m.body for m in mailoutbox] == [True, True]
    assert again.expires_at >= first.created_at


def test_only_the_organisations_admin_can_invite(provider, provider_member, other_admin, council_officer):
    for actor in (provider_member, other_admin, council_officer):
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=actor, organisation=provider, email="x@example.org", role=Role.MEMBER)


def test_council_roles_cannot_be_given_in_a_provider(provider, provider_admin):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=provider_admin, organisation=provider, email="x@example.org", role=Role.ADMINISTRATOR
        )


def test_existing_member_cannot_be_invited_again(provider, provider_admin, provider_member):
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(
            actor=provider_admin, organisation=provider, email=provider_member.email, role=Role.MEMBER
        )


def test_join_request_tells_the_admins_and_approval_makes_a_member(
    provider, provider_admin, django_capture_on_commit_callbacks
):
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(user=newcomer, organisation=provider, message="I work nights")
    assert mail.outbox[-1].to == [provider_admin.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(actor=provider_admin, join_request=request, approve=True)
    assert active_role(newcomer, provider) == Role.MEMBER
    assert mail.outbox[-1].to == [newcomer.email]
    assert "approved" in mail.outbox[-1].body


def test_declined_join_request_does_not_make_a_member(provider, provider_admin):
    newcomer = UserFactory()
    request = services.join_request_create(user=newcomer, organisation=provider)
    services.join_request_decide(actor=provider_admin, join_request=request, approve=False)
    assert active_role(newcomer, provider) is None
    with pytest.raises(ValidationError):
        services.join_request_decide(actor=provider_admin, join_request=request, approve=True)


def test_join_request_goes_to_the_contact_mailbox_when_there_is_no_admin(provider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_create(user=UserFactory(), organisation=provider)
    assert mail.outbox[-1].to == [provider.contact_email]


def test_only_the_organisations_admin_decides_join_requests(provider, provider_member, other_admin, council_admin):
    request = services.join_request_create(user=UserFactory(), organisation=provider)
    for actor in (provider_member, other_admin, council_admin):
        with pytest.raises(PermissionDenied):
            services.join_request_decide(actor=actor, join_request=request, approve=True)
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.PENDING


def test_members_and_council_staff_cannot_ask_to_join(provider, provider_member, council_officer):
    for user in (provider_member, council_officer):
        with pytest.raises(PermissionDenied):
            services.join_request_create(user=user, organisation=provider)


def test_a_second_pending_request_is_refused(provider):
    user = UserFactory()
    services.join_request_create(user=user, organisation=provider)
    with pytest.raises(ValidationError, match="already asked"):
        services.join_request_create(user=user, organisation=provider)


def test_handing_on_makes_the_other_person_admin_and_the_giver_a_member(provider, provider_admin, provider_member):
    to = Membership.objects.get(user=provider_member, organisation=provider)
    services.admin_hand_on(actor=provider_admin, organisation=provider, to=to)
    assert active_role(provider_member, provider) == Role.ADMIN
    assert active_role(provider_admin, provider) == Role.MEMBER


def test_handing_on_to_someone_outside_the_organisation_is_refused(provider, provider_admin, other_admin):
    outsider = Membership.objects.get(user=other_admin)
    with pytest.raises(ValidationError):
        services.admin_hand_on(actor=provider_admin, organisation=provider, to=outsider)
    assert active_role(provider_admin, provider) == Role.ADMIN


def test_leaving_keeps_the_membership_for_the_record(provider, provider_member):
    membership = Membership.objects.get(user=provider_member, organisation=provider)
    services.membership_end(actor=provider_member, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert active_role(provider_member, provider) is None
    assert AuditEvent.objects.filter(action="membership.left", object_id=str(membership.pk)).exists()


def test_someone_else_cannot_end_a_membership_unless_admin(provider, provider_admin, provider_member, other_admin):
    membership = Membership.objects.get(user=provider_member, organisation=provider)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=other_admin, membership=membership)
    services.membership_end(actor=provider_admin, membership=membership)
    assert AuditEvent.objects.filter(action="membership.removed").exists()


def test_last_admin_leaving_puts_the_organisation_on_the_councils_list(
    provider, provider_admin, provider_member, other_admin, council_admin
):
    assert provider not in selectors.organisations_without_admin_for(user=council_admin)
    services.membership_end(
        actor=provider_admin, membership=Membership.objects.get(user=provider_admin, organisation=provider)
    )
    listed = selectors.organisations_without_admin_for(user=council_admin)
    assert provider in listed
    assert listed.get(pk=provider.pk).had_people
    assert listed.get(pk=provider.pk).member_count == 1


def test_council_administrator_appoints_a_current_member_as_admin(provider, provider_member, council_admin):
    services.admin_appoint(actor=council_admin, organisation=provider, email=provider_member.email.upper())
    assert active_role(provider_member, provider) == Role.ADMIN
    assert provider not in selectors.organisations_without_admin_for(user=council_admin)


def test_council_administrator_invites_an_outsider_as_admin(provider, council_admin):
    result = services.admin_appoint(actor=council_admin, organisation=provider, email="boss@example.org")
    assert isinstance(result, Invitation) and result.role == Role.ADMIN


def test_council_officers_cannot_appoint_admins(provider, provider_member, council_officer):
    with pytest.raises(PermissionDenied):
        services.admin_appoint(actor=council_officer, organisation=provider, email=provider_member.email)


def test_profile_changes_are_recorded_with_who_and_what(provider, provider_admin):
    services.organisation_update(
        actor=provider_admin,
        organisation=provider,
        data={"phone": "01632 960123", "contact_email": "office@willow.example"},
    )
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == provider_admin
    assert event.changes["phone"] == ["", "01632 960123"]
    assert set(event.changes) == {"phone", "contact_email"}


def test_other_organisations_cannot_edit_a_profile(provider, other_admin, provider_member):
    for actor in (other_admin, provider_member):
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=actor, organisation=provider, data={"phone": "1"})


def test_role_changes_are_recorded(provider, provider_admin, provider_member):
    membership = Membership.objects.get(user=provider_member, organisation=provider)
    services.membership_set_role(actor=provider_admin, membership=membership, role=Role.ADMIN)
    assert AuditEvent.objects.get(action="membership.role_changed").changes == {"role": ["member", "admin"]}


def test_location_postcode_and_cqc_id_are_validated(provider, provider_admin):
    with pytest.raises(ValidationError) as error:
        services.location_save(
            actor=provider_admin,
            organisation=provider,
            location=None,
            data={"name": "Annexe", "postcode": "NOT A POSTCODE", "cqc_location_id": "12345"},
        )
    assert {"postcode", "cqc_location_id"} <= set(error.value.message_dict)
    location = services.location_save(
        actor=provider_admin,
        organisation=provider,
        location=None,
        data={"name": "Annexe", "postcode": "rm13bb", "cqc_location_id": "1-1234567890"},
    )
    assert location.postcode == "RM1 3BB"


def test_council_administrators_add_and_retire_sectors(council_admin, provider_admin):
    added = services.sector_save(
        actor=council_admin, sector=None, data={"name": "Extra care housing", "position": 9, "is_active": True}
    )
    assert added.slug == "extra-care-housing"
    services.sector_save(actor=council_admin, sector=added, data={"is_active": False})
    assert AuditEvent.objects.filter(action="sector.updated", changes__is_active=[True, False]).exists()
    with pytest.raises(PermissionDenied):
        services.sector_save(actor=provider_admin, sector=added, data={"name": "Mine"})
