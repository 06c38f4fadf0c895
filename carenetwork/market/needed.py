"""Needed and desired services: the gaps the council wants filled, shown to everyone, signed in or not.

Council staff add and change them. Anyone signed in who is not council staff, with or without an organisation (a
prospective micro-provider signs up first and joins or founds one later), registers interest in one once, with a
short note, while it is open or in discussion. Council staff read every interest and reply to each; the reply is
emailed to the person and shown to them on the service's page. Nobody else sees anyone's interest.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.market import permissions
from carenetwork.market.models import MarketSettings
from carenetwork.market.models_statement import NeededService, ServiceInterest
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.permissions import active_memberships

NEED_FIELDS = ["service", "client_group", "locality", "evidence", "caveats", "status"]
OPEN_STATUSES = (NeededService.Status.OPEN, NeededService.Status.DISCUSSING)
CLOSED_STATUSES = (NeededService.Status.FILLED, NeededService.Status.WITHDRAWN)
# What the list's status filter may ask for: "" (the default) is every service still taking interest.
SHOW_CURRENT, SHOW_CLOSED, SHOW_ALL = "", "closed", "all"


def takes_interest(need: NeededService) -> bool:
    """Interest is registered only while the council is looking for someone: open, or in discussion."""
    return need.status in OPEN_STATUSES


# Selectors -------------------------------------------------------------------------------------------------------


def needed_list_for(*, user, show: str = SHOW_CURRENT, client_group: str = "") -> QuerySet[NeededService]:
    """The needed services for anyone (the list is public); for council staff, with their interests counted."""
    if show == SHOW_CLOSED:
        found = NeededService.objects.filter(status__in=CLOSED_STATUSES)
    elif show == SHOW_ALL:
        found = NeededService.objects.all()
    elif show in NeededService.Status.values:
        found = NeededService.objects.filter(status=show)
    else:
        found = NeededService.objects.filter(status__in=OPEN_STATUSES)
    if client_group:
        found = found.filter(client_group=client_group)
    if permissions.can_manage_needed_services(user):
        found = found.annotate(
            interest_count=Count("interests"), awaiting_count=Count("interests", filter=Q(interests__reply=""))
        )
    return found.order_by("status", "-created_at", "pk")


def needed_get_for(*, user, pk: int) -> NeededService:
    """One needed service, whoever asks (404 when there is none)."""
    return get_object_or_404(NeededService, pk=pk)


def interest_list_for(*, user, need: NeededService) -> list[ServiceInterest]:
    """The interest registered in a service that this person may read: all of it for council staff, their own for
    anyone else, nothing for someone signed out."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = need.interests.select_related("person", "organisation", "replied_by")
    if not permissions.can_manage_needed_services(user):
        found = found.filter(person=user)
    return list(found.order_by("created_at", "pk"))


def interests_awaiting_reply() -> int:
    """How many interests the council has not replied to yet (one query)."""
    return ServiceInterest.objects.filter(reply="").count()


def interest_organisations(user) -> list:
    """The organisations a person may register interest for: those they are an active member of (no queries after
    the first, which the memberships' cache answers)."""
    return [m.organisation for m in active_memberships(user) if m.organisation.kind != Organisation.Kind.COUNCIL]


# Services --------------------------------------------------------------------------------------------------------


@transaction.atomic
def needed_save(*, actor, data: dict, need: NeededService | None = None) -> NeededService:
    """Add a needed service, or change one (its status too); council staff only, audited."""
    require(permissions.can_manage_needed_services(actor))
    created = need is None
    if created:
        need = NeededService(created_by=actor)
        before = {}
    else:
        need = NeededService.objects.select_for_update().get(pk=need.pk)
        before = audit.snapshot(need, NEED_FIELDS)
    for name in NEED_FIELDS:
        if name in data:
            value = data[name]
            setattr(need, name, value.strip() if isinstance(value, str) else value)
    need.full_clean()
    need.save()
    audit.record(
        actor=actor,
        action="needed_service.created" if created else "needed_service.updated",
        obj=need,
        changes=audit.diff(before, audit.snapshot(need, NEED_FIELDS)),
    )
    return need


@transaction.atomic
def interest_register(*, actor, need: NeededService, name: str, note: str, organisation=None) -> ServiceInterest:
    """Register the person's interest in a needed service, once, while it takes interest; the organisation, if
    given, must be one they are a member of."""
    require(permissions.can_register_interest(actor))
    # Lock the service so that its status cannot change between the check and the interest being saved.
    need = NeededService.objects.select_for_update().get(pk=need.pk)
    if not takes_interest(need):
        raise ValidationError(
            _("This service is %(status)s: the council is not taking interest in it now")
            % {"status": need.get_status_display().lower()}
        )
    if ServiceInterest.objects.filter(need=need, person=actor).exists():
        raise ValidationError(_("You have already registered your interest in this service"))
    if organisation is not None and organisation.pk not in {o.pk for o in interest_organisations(actor)}:
        raise ValidationError({"organisation": _("Choose one of your organisations, or 'Not part of one yet'")})
    interest = ServiceInterest(
        need=need, person=actor, organisation=organisation, name=(name or "").strip(), note=(note or "").strip()
    )
    interest.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:
        # The unique constraint is the backstop when the same person sends the form twice at once.
        raise ValidationError(_("You have already registered your interest in this service")) from None
    audit.record(
        actor=actor,
        action="service_interest.created",
        obj=interest,
        organisation=organisation,
        label=f"Interest in {need.service}"[:255],
    )
    return interest


@transaction.atomic
def interest_reply(*, actor, interest: ServiceInterest, reply: str) -> ServiceInterest:
    """Reply to someone's interest (or change the reply); council staff only. The reply is emailed to the person."""
    require(permissions.can_manage_needed_services(actor))
    interest = (
        ServiceInterest.objects.select_for_update(of=("self",)).select_related("need", "person").get(pk=interest.pk)
    )
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Enter your reply")})
    before = audit.snapshot(interest, ["reply"])
    interest.reply = reply
    interest.replied_by = actor
    interest.replied_at = timezone.now()
    interest.full_clean(validate_constraints=False)
    interest.save(update_fields=["reply", "replied_by", "replied_at", "modified_at"])
    audit.record(
        actor=actor,
        action="service_interest.replied",
        obj=interest,
        organisation=interest.organisation,
        changes=audit.diff(before, audit.snapshot(interest, ["reply"])),
        label=f"Interest in {interest.need.service}"[:255],
    )
    mailbox = MarketSettings.current().mailbox
    send_templated(
        to=[interest.person.email],
        template="market/email/needed_reply",
        context={
            "interest": interest,
            "need": interest.need,
            "url": absolute_url(reverse("market:needed-detail", args=[interest.need_id])),
        },
        reply_to=[mailbox] if mailbox else None,
    )
    return interest
