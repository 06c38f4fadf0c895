"""Writes to forums and their membership. Meetings and bookings: bookings.py; the agenda: agenda.py."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.core.slugs import unique_slug
from carenetwork.forums import bookings, permissions
from carenetwork.forums.models import Booking, Forum, ForumMembership
from carenetwork.organisations import permissions as org_permissions
from carenetwork.organisations.models import Membership, Organisation

FORUM_FIELDS = ["name", "description", "is_active", "sectors", "leads"]


def _check_leads(leads) -> None:
    for lead in leads:
        if not org_permissions.is_council_staff(lead):
            raise ValidationError({"leads": _("%(person)s is not council staff") % {"person": lead}})


@transaction.atomic
def forum_save(*, actor, forum: Forum | None, data: dict, check: bool = True) -> Forum:
    """Create a forum or change its description, eligible sectors and council leads."""
    if check:
        require(
            permissions.can_manage_forums(actor)
            and (forum is None or permissions.can_lead_forum(actor, forum) or org_permissions.is_council_admin(actor))
        )
    data = dict(data)
    sectors = data.pop("sectors", None)
    leads = data.pop("leads", None)
    if leads is not None:
        if not leads:
            raise ValidationError({"leads": _("Choose at least one council lead")})
        _check_leads(leads)
    created = forum is None
    forum = forum or Forum()
    before = {} if created else audit.snapshot(forum, FORUM_FIELDS)
    for field, value in data.items():
        setattr(forum, field, value)
    if created:
        forum.slug = unique_slug(Forum, forum.name, fallback="forum", reserved=RESERVED_SLUGS)
    forum.full_clean()
    forum.save()
    if sectors is not None:
        forum.sectors.set(sectors)
    if leads is not None:
        forum.leads.set(leads)
        for lead in leads:
            permissions.forget(lead)
    permissions.forget(actor)
    audit.record(
        actor=actor,
        action="forum.created" if created else "forum.updated",
        obj=forum,
        changes=audit.diff(before, audit.snapshot(forum, FORUM_FIELDS)),
    )
    return forum


# Paths under /forums/ that are not forums.
RESERVED_SLUGS = frozenset({"add", "calendar"})


def _lock_forum(forum) -> None:
    """Serialise changes to a forum's membership: the one-open-membership constraint is then only a backstop."""
    Forum.objects.select_for_update().filter(pk=forum.pk).first()


def _open_membership(forum, organisation):
    return forum.memberships.filter(
        organisation=organisation, status__in=[ForumMembership.Status.ACTIVE, ForumMembership.Status.REQUESTED]
    ).first()


@transaction.atomic
def forum_membership_request(*, actor, forum: Forum, organisation: Organisation) -> ForumMembership:
    """An eligible provider's admin asks to join; the forum's leads are told."""
    require(permissions.can_request_membership(actor, forum, organisation))
    _lock_forum(forum)  # a double submit waits here and then finds the first request (not an IntegrityError)
    if _open_membership(forum, organisation):
        raise ValidationError(_("%(org)s has already asked to join this forum") % {"org": organisation})
    membership = ForumMembership(forum=forum, organisation=organisation, requested_by=actor)
    membership.full_clean(validate_constraints=False)
    membership.save()
    audit.record(actor=actor, action="forum_membership.requested", obj=membership, organisation=organisation)
    send_templated(
        to=[lead.email for lead in permissions.current_leads(forum)],
        template="forums/email/membership_requested",
        context={"membership": membership, "url": absolute_url(reverse("forums:members", args=[forum.slug]))},
    )
    return membership


@transaction.atomic
def forum_membership_decide(*, actor, membership: ForumMembership, approve: bool) -> ForumMembership:
    """A lead approves or declines an organisation's request to join."""
    forum = membership.forum
    require(permissions.can_lead_forum(actor, forum))
    membership = ForumMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != ForumMembership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    membership.status = ForumMembership.Status.ACTIVE if approve else ForumMembership.Status.DECLINED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at", "modified_at"])
    audit.record(
        actor=actor,
        action=f"forum_membership.{'approved' if approve else 'declined'}",
        obj=membership,
        organisation=membership.organisation,
    )
    admins = Membership.objects.admins().filter(organisation=membership.organisation)
    send_templated(
        to=list(admins.values_list("user__email", flat=True)) or [membership.organisation.contact_email],
        template="forums/email/membership_decided",
        context={"membership": membership, "url": absolute_url(reverse("forums:forum-detail", args=[forum.slug]))},
    )
    return membership


@transaction.atomic
def forum_membership_add(*, actor, forum: Forum, organisation: Organisation, check: bool = True) -> ForumMembership:
    """A lead adds an organisation (or invites a partner organisation) directly."""
    if check:
        require(permissions.can_lead_forum(actor, forum))
    if organisation.kind == Organisation.Kind.COUNCIL:
        raise ValidationError({"organisation": _("The council takes part through the forum's leads")})
    _lock_forum(forum)
    membership = _open_membership(forum, organisation)
    if membership and membership.status == ForumMembership.Status.ACTIVE:
        raise ValidationError({"organisation": _("%(org)s is already a member") % {"org": organisation}})
    membership = membership or ForumMembership(forum=forum, organisation=organisation, requested_by=actor)
    membership.status = ForumMembership.Status.ACTIVE
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    audit.record(actor=actor, action="forum_membership.added", obj=membership, organisation=organisation)
    return membership


@transaction.atomic
def forum_membership_end(*, actor, membership: ForumMembership) -> ForumMembership:
    """A lead removes an organisation, or its admin takes it out of the forum."""
    organisation = membership.organisation
    require(
        permissions.can_lead_forum(actor, membership.forum)
        or org_permissions.can_manage_organisation(actor, organisation)
    )
    membership = ForumMembership.objects.select_for_update().select_related("forum").get(pk=membership.pk)
    if membership.status not in (ForumMembership.Status.ACTIVE, ForumMembership.Status.REQUESTED):
        raise ValidationError(_("%(org)s has already left the forum.") % {"org": organisation})
    membership.status = ForumMembership.Status.ENDED
    membership.save(update_fields=["status", "modified_at"])
    audit.record(actor=actor, action="forum_membership.ended", obj=membership, organisation=organisation)
    # Its people's places at coming meetings go to the waiting list.
    live = Booking.objects.filter(
        meeting__forum=membership.forum,
        meeting__starts_at__gt=timezone.now(),
        organisation=organisation,
        status__in=[Booking.Status.CONFIRMED, Booking.Status.WAITING],
    ).select_related("meeting", "person", "organisation")
    for booking in live:
        bookings.booking_cancel(actor=actor, booking=booking)
    return membership


def on_membership_ended(*, membership: Membership, actor) -> None:
    """Registered with organisations' membership hooks: a person who leaves an organisation loses its forum
    places and waiting-list places; a person who is no longer council staff stops leading every forum."""
    person = membership.user
    bookings.bookings_cancel_for_ended_membership(actor=actor, membership=membership)
    org_permissions.forget_memberships(person)
    if membership.organisation.kind == Organisation.Kind.COUNCIL and not org_permissions.is_council_staff(person):
        led = list(Forum.objects.filter(leads=person).order_by("pk"))
        for forum in led:
            forum.leads.remove(person)
            audit.record(actor=actor, action="forum.lead_removed", obj=forum, changes={"leads": [person.email, None]})
    permissions.forget(person)
