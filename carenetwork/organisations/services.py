"""Every write to organisations, locations, memberships, invitations and join requests."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.core.slugs import unique_slug
from carenetwork.organisations import membership_hooks, permissions
from carenetwork.organisations.models import (
    ADMIN_ROLES,
    ROLES_BY_KIND,
    Invitation,
    JoinRequest,
    Location,
    Membership,
    Organisation,
    Role,
    Sector,
)

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "description",
    "contact_email",
    "phone",
    "website",
    "address",
    "postcode",
    "area",
    "cqc_provider_id",
    "is_active",
    "sectors",
    "ascwds_workplace_id",
    "ascwds_provider_code",
]
SECTOR_FIELDS = ["name", "position", "is_active"]
LOCATION_FIELDS = [
    "name",
    "address",
    "town",
    "postcode",
    "area",
    "service_type",
    "cqc_location_id",
    "capacity",
    "capacity_unit",
    "cqc_rating",
    "is_active",
    "ascwds_workplace_id",
]


def _admin_role_for(organisation: Organisation) -> str:
    return Role.ADMINISTRATOR if organisation.kind == Organisation.Kind.COUNCIL else Role.ADMIN


def _check_role(organisation: Organisation, role: str) -> None:
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ValidationError({"role": _("Choose a role that this kind of organisation has")})


@transaction.atomic
def organisation_create(*, actor, sectors=(), **fields) -> Organisation:
    """Create an organisation (council administrators, imports and the demo)."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    if sectors:
        organisation.sectors.set(sectors)
    audit.record(
        actor=actor,
        action="organisation.created",
        obj=organisation,
        organisation=organisation,
        changes=audit.snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict, check=True) -> Organisation:
    """Change an organisation's profile; the audit trail records what changed."""
    if check:
        require(permissions.can_manage_organisation(actor, organisation) or permissions.is_council_admin(actor))
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    sectors = data.pop("sectors", None)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if sectors is not None:
        organisation.sectors.set(sectors)
    changes = audit.diff(before, audit.snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit.record(
            actor=actor, action="organisation.updated", obj=organisation, organisation=organisation, changes=changes
        )
    return organisation


@transaction.atomic
def location_save(*, actor, organisation: Organisation, location: Location | None, data: dict, check=True) -> Location:
    """Add a location to an organisation or change one of its locations."""
    if check:
        require(permissions.can_manage_organisation(actor, organisation) or permissions.is_council_admin(actor))
    created = location is None
    location = location or Location(organisation=organisation)
    if location.organisation_id != organisation.pk:
        raise PermissionDenied
    before = {} if created else audit.snapshot(location, LOCATION_FIELDS)
    for field, value in data.items():
        setattr(location, field, value)
    location.full_clean()
    location.save()
    changes = audit.diff(before, audit.snapshot(location, LOCATION_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="location.created" if created else "location.updated",
            obj=location,
            organisation=organisation,
            changes=changes,
        )
    return location


@transaction.atomic
def invitation_create(*, actor, organisation: Organisation, email: str, role: str, check=True) -> Invitation:
    """Invite someone by email to join an organisation with a role; the invitation expires. Inviting the same
    address to the same role again re-sends the invitation already emailed (`resent` is then True)."""
    if check:
        require(
            permissions.can_manage_organisation(actor, organisation)
            or permissions.can_appoint_admin(actor, organisation)
        )
    _check_role(organisation, role)
    email = email.strip().lower()
    if Membership.objects.active().filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of %(org)s") % {"org": organisation}})
    unanswered = Invitation.objects.select_for_update().filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    live = unanswered.filter(role=role, expires_at__gt=timezone.now()).first()
    if live:
        # The same invitation again (a second click, or going back and sending the form again): send the same
        # link, working for the full period from now, rather than silently cancel the one already emailed.
        invitation = live
        invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
        invitation.save(update_fields=["expires_at", "modified_at"])
        invitation.resent = True
        action = "invitation.resent"
    else:
        # Another role replaces the earlier offer: only one invitation for an address works at a time.
        unanswered.update(revoked_at=timezone.now())
        invitation = Invitation(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        action = "invitation.sent"
    audit.record(
        actor=actor,
        action=action,
        obj=invitation,
        organisation=organisation,
        changes={"email": email, "role": role},
    )
    send_templated(
        to=[email],
        template="organisations/email/invitation",
        context={
            "invitation": invitation,
            "url": absolute_url(reverse("organisations:invitation-accept", args=[invitation.token])),
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted."""
    require(
        permissions.can_manage_organisation(actor, invitation.organisation)
        or permissions.can_appoint_admin(actor, invitation.organisation)
    )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "modified_at"])
    audit.record(actor=actor, action="invitation.revoked", obj=invitation, organisation=invitation.organisation)
    return invitation


class InvitationNotValid(ValidationError):
    """The invitation has expired, been used or been withdrawn, or is for another email address."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation as the invitation says. The invited address must be the person's."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationNotValid(_("This invitation has expired or has already been used. Ask for a new one."))
    if invitation.email.lower() != user.email.lower():
        raise InvitationNotValid(_("This invitation was sent to a different email address."))
    membership = _membership_start(
        actor=user,
        organisation=invitation.organisation,
        user=user,
        role=invitation.role,
        action="membership.joined_by_invitation",
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "modified_at"])
    JoinRequest.objects.filter(
        user=user, organisation=invitation.organisation, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.APPROVED)
    return membership


def _membership_start(*, actor, organisation, user, role, action) -> Membership:
    _check_role(organisation, role)
    existing = Membership.objects.active().filter(organisation=organisation, user=user).first()
    if existing:
        if existing.role in ADMIN_ROLES or existing.role == role:
            return existing
        return membership_set_role(actor=actor, membership=existing, role=role, check=False)
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean(validate_constraints=False)
    membership.save()
    audit.record(
        actor=actor,
        action=action,
        obj=membership,
        organisation=organisation,
        changes={"user": user.email, "role": role},
    )
    permissions.forget_memberships(user)
    return membership


@transaction.atomic
def membership_create(*, actor, organisation, user, role, check=True) -> Membership:
    """Add a person to an organisation directly (council administrators, imports and the demo)."""
    if check:
        require(permissions.is_council_admin(actor))
    return _membership_start(actor=actor, organisation=organisation, user=user, role=role, action="membership.created")


@transaction.atomic
def membership_set_role(*, actor, membership: Membership, role: str, check=True) -> Membership:
    """Change a person's role in an organisation."""
    organisation = membership.organisation
    if check:
        require(
            permissions.can_manage_organisation(actor, organisation)
            or permissions.can_appoint_admin(actor, organisation)
        )
    _check_role(organisation, role)
    if not membership.is_active:
        raise ValidationError(_("This person has left the organisation."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "modified_at"])
    audit.record(
        actor=actor,
        action="membership.role_changed",
        obj=membership,
        organisation=organisation,
        changes={"role": [old, role]},
    )
    permissions.forget_memberships(membership.user)
    return membership


@transaction.atomic
def admin_hand_on(*, actor, organisation: Organisation, to: Membership) -> Membership:
    """An admin makes another member the admin and becomes an ordinary member."""
    require(permissions.can_manage_organisation(actor, organisation))
    if to.organisation_id != organisation.pk or not to.is_active:
        raise ValidationError(_("Choose a current member of %(org)s") % {"org": organisation})
    if to.user_id == actor.pk:
        raise ValidationError(_("Choose someone other than yourself"))
    membership_set_role(actor=actor, membership=to, role=_admin_role_for(organisation), check=False)
    own = Membership.objects.active().get(organisation=organisation, user=actor)
    other_role = Role.OFFICER if organisation.kind == Organisation.Kind.COUNCIL else Role.MEMBER
    membership_set_role(actor=actor, membership=own, role=other_role, check=False)
    return to


@transaction.atomic
def membership_end(*, actor, membership: Membership) -> Membership:
    """A person leaves, or an admin removes them. The membership is kept, marked as ended."""
    organisation = membership.organisation
    leaving = membership.user_id == actor.pk
    require(
        permissions.can_leave(actor, membership)
        if leaving
        else permissions.can_manage_organisation(actor, organisation)
    )
    if not membership.is_active:
        raise ValidationError(_("This person has already left."))
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at", "modified_at"])
    audit.record(
        actor=actor,
        action="membership.left" if leaving else "membership.removed",
        obj=membership,
        organisation=organisation,
        changes={"user": membership.user.email, "role": membership.role},
    )
    permissions.forget_memberships(membership.user)
    # Forums (and any other capability) drop what hangs on the membership: bookings, lead roles.
    membership_hooks.membership_ended(membership=membership, actor=actor)
    return membership


@transaction.atomic
def admin_appoint(*, actor, organisation: Organisation, email: str) -> Membership | Invitation:
    """A council administrator appoints an admin: a current member is promoted, anyone else is invited."""
    require(permissions.can_appoint_admin(actor, organisation))
    role = _admin_role_for(organisation)
    membership = Membership.objects.active().filter(organisation=organisation, user__email__iexact=email).first()
    if membership:
        return membership_set_role(actor=actor, membership=membership, role=role, check=False)
    return invitation_create(actor=actor, organisation=organisation, email=email, role=role, check=False)


@transaction.atomic
def join_request_create(*, user, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to join an organisation; its admins are told by email."""
    require(permissions.can_request_to_join(user, organisation))
    # One request at a time per person (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions queue writers):
    # the same form sent twice then finds the first request instead of breaking the one-pending-request rule.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    already = _("You have already asked to join %(org)s") % {"org": organisation}
    if JoinRequest.objects.filter(user=user, organisation=organisation, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(already)
    join_request = JoinRequest(user=user, organisation=organisation, message=message)
    join_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError:  # the database's own rule, should a request slip past the lock
        raise ValidationError(already) from None
    audit.record(actor=user, action="join_request.created", obj=join_request, organisation=organisation)
    admins = Membership.objects.admins().filter(organisation=organisation).values_list("user__email", flat=True)
    send_templated(
        to=list(admins) or [organisation.contact_email],
        template="organisations/email/join_request",
        context={
            "join_request": join_request,
            "url": absolute_url(reverse("organisations:members", args=[organisation.pk])),
        },
    )
    return join_request


@transaction.atomic
def join_request_decide(*, actor, join_request: JoinRequest, approve: bool) -> JoinRequest:
    """An admin approves (the person joins as a member) or declines a request to join."""
    organisation = join_request.organisation
    require(permissions.can_manage_organisation(actor, organisation))
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "modified_at"])
    audit.record(actor=actor, action=f"join_request.{join_request.status}", obj=join_request, organisation=organisation)
    if approve:
        _membership_start(
            actor=actor,
            organisation=organisation,
            user=join_request.user,
            role=Role.MEMBER,
            action="membership.joined_by_request",
        )
    send_templated(
        to=[join_request.user.email],
        template="organisations/email/join_request_decided",
        context={
            "join_request": join_request,
            "url": absolute_url(reverse("organisations:detail", args=[organisation.pk])),
        },
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, user, join_request: JoinRequest) -> JoinRequest:
    """The person who asked withdraws their request."""
    require(join_request.user_id == user.pk and join_request.status == JoinRequest.Status.PENDING)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.save(update_fields=["status", "modified_at"])
    return join_request


@transaction.atomic
def sector_save(*, actor, sector: Sector | None, data: dict) -> Sector:
    """Add a sector or rename, reorder or retire one (council administrators)."""
    require(permissions.is_council_admin(actor))
    created = sector is None
    sector = sector or Sector()
    before = {} if created else audit.snapshot(sector, SECTOR_FIELDS)
    for field, value in data.items():
        setattr(sector, field, value)
    if created:
        sector.slug = unique_slug(Sector, sector.name, fallback="sector")
    sector.full_clean()
    sector.save()
    audit.record(
        actor=actor,
        action="sector.created" if created else "sector.updated",
        obj=sector,
        changes=audit.diff(before, audit.snapshot(sector, SECTOR_FIELDS)),
    )
    return sector
