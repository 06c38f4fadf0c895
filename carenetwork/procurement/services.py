"""Changing opportunities: the officer's draft and its parts (lots, criteria, documents), publishing, and providers'
interest. Every change is audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.core.audit import diff, record, snapshot
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.procurement import permissions, rules
from carenetwork.procurement.models import Criterion, Document, Interest, Lot, Opportunity

PART_MODELS = {"lots": Lot, "criteria": Criterion, "documents": Document}


def procurement_of(opportunity: Opportunity, *, lots: int | None = None) -> rules.Procurement:
    """What the rules read of an opportunity, saved or as the officer's form has it (an unsaved instance)."""
    if lots is None:
        lots = opportunity.lots.count() if opportunity.pk else 1
    weights = {c.kind: c.weight for c in opportunity.criteria.all()} if opportunity.pk else {}
    return rules.Procurement(
        start=opportunity.procurement_start or timezone.localdate(),
        value=opportunity.value,
        duration_years=Decimal(opportunity.duration_months) / 12 if opportunity.duration_months else None,
        funding_route=opportunity.funding_route,
        light_touch=opportunity.light_touch,
        lots=max(1, lots),
        no_lots_reason=opportunity.no_lots_reason,
        tender_published=opportunity.tender_published,
        questions_deadline=opportunity.questions_deadline,
        tender_deadline=opportunity.tender_deadline,
        award_date=opportunity.award_date,
        contract_start=opportunity.contract_start,
        minimum_turnover=opportunity.minimum_turnover,
        insurance_required=opportunity.insurance_required,
        prequalification=opportunity.prequalification,
        reserved_local=opportunity.reserved_local,
        reserved_uk=opportunity.reserved_uk,
        reserved_sme_vcse=opportunity.reserved_sme_vcse,
        health_led=opportunity.health_led,
        social_value_weight=weights.get(Criterion.Kind.SOCIAL_VALUE),
        price_weight=weights.get(Criterion.Kind.PRICE),
    )


def advice_for(opportunity: Opportunity, *, lots: int | None = None) -> list[rules.Advice]:
    """The rule advice for an opportunity, right for its start date and value."""
    return rules.advise(procurement_of(opportunity, lots=lots))


def _require_editable(opportunity: Opportunity) -> None:
    if not permissions.can_edit(opportunity):
        raise ValidationError(_("This opportunity can no longer be changed"))


@transaction.atomic
def opportunity_save(*, actor, data: dict, opportunity: Opportunity | None = None) -> Opportunity:
    """Create a draft, or change a draft or open opportunity."""
    require(permissions.can_manage(actor))
    if opportunity is None:
        opportunity = Opportunity.objects.create(created_by=actor, **data)
        record(actor=actor, action="opportunity.created", obj=opportunity)
        return opportunity
    _require_editable(opportunity)
    # The form has already put the new values on `opportunity`: the "before" comes from the database.
    before = snapshot(Opportunity.objects.get(pk=opportunity.pk), list(data))
    for name, value in data.items():
        setattr(opportunity, name, value)
    if opportunity.status == Opportunity.Status.OPEN:
        # On the board, it keeps what publishing needed.
        missing = {}
        if opportunity.value is None:
            missing["value"] = _("Enter the estimated total value: the opportunity is on the board")
        if opportunity.tender_deadline is None:
            missing["tender_deadline"] = _("Enter the tender deadline: the opportunity is on the board")
        if missing:
            raise ValidationError(missing)
    opportunity.save()
    record(
        actor=actor,
        action="opportunity.changed",
        obj=opportunity,
        changes=diff(before, snapshot(opportunity, list(data))),
    )
    return opportunity


def problems_before_publishing(opportunity: Opportunity) -> list[str]:
    """What must be put right before an opportunity goes on the board (empty when it may be published)."""
    problems = []
    today = timezone.localdate()
    if opportunity.value is None:
        problems.append(_("Enter the estimated total value"))
    if opportunity.tender_deadline is None:
        problems.append(_("Enter the tender deadline"))
    elif opportunity.tender_deadline < today:
        problems.append(_("The tender deadline has passed"))
    if not opportunity.lots.exists():
        problems.append(_("Add at least one lot (one lot for the whole contract if it is not divided)"))
    weights = opportunity.criteria.aggregate(total=Sum("weight"))["total"]
    if weights != 100:
        problems.append(
            _("The evaluation criteria's weights must add up to 100%% (they add up to %(total)s%%)")
            % {"total": weights or 0}
        )
    return problems


@transaction.atomic
def publish(*, actor, opportunity: Opportunity) -> Opportunity:
    """Put a draft on the board, once nothing is missing."""
    require(permissions.can_manage(actor))
    if opportunity.status != Opportunity.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published"))
    problems = problems_before_publishing(opportunity)
    if problems:
        raise ValidationError(problems)
    opportunity.status = Opportunity.Status.OPEN
    opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "modified_at"])
    record(actor=actor, action="opportunity.published", obj=opportunity)
    return opportunity


@transaction.atomic
def part_save(*, actor, kind: str, opportunity: Opportunity, data: dict, part=None):
    """Add or change a lot, a criterion or a document of a draft or open opportunity."""
    require(permissions.can_manage(actor))
    _require_editable(opportunity)
    model = PART_MODELS[kind]
    if part is None:
        extra = {}
        if model is Lot:
            extra["number"] = (opportunity.lots.aggregate(n=Max("number"))["n"] or 0) + 1
        part = model.objects.create(opportunity=opportunity, **extra, **data)
        record(actor=actor, action=f"opportunity.{kind}.added", obj=part, label=str(part))
        return part
    before = snapshot(type(part).objects.get(pk=part.pk), list(data))
    for name, value in data.items():
        setattr(part, name, value)
    part.save()
    record(
        actor=actor, action=f"opportunity.{kind}.changed", obj=part, changes=diff(before, snapshot(part, list(data)))
    )
    return part


@transaction.atomic
def part_remove(*, actor, kind: str, part) -> None:
    """Remove a lot, criterion or document of a draft (a published opportunity's lots stay: bids may name them)."""
    require(permissions.can_manage(actor))
    opportunity = part.opportunity
    _require_editable(opportunity)
    if kind == "lots" and opportunity.status != Opportunity.Status.DRAFT:
        raise ValidationError(_("A published opportunity's lots cannot be removed"))
    record(actor=actor, action=f"opportunity.{kind}.removed", obj=part, label=str(part))
    part.delete()


@transaction.atomic
def cancel(*, actor, opportunity: Opportunity, reason: str) -> Opportunity:
    """Withdraw a published opportunity before award; every interested organisation is told why."""
    require(permissions.can_manage(actor))
    if not permissions.can_cancel(opportunity):
        raise ValidationError(_("Only an open or closed opportunity with no lot awarded can be cancelled"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why the opportunity is cancelled")})
    opportunity.status = Opportunity.Status.CANCELLED
    opportunity.save(update_fields=["status", "modified_at"])
    record(actor=actor, action="opportunity.cancelled", obj=opportunity, changes={"reason": reason})
    context = {
        "opportunity": opportunity,
        "reason": reason,
        "url": absolute_url(reverse("procurement:detail", args=[opportunity.pk])),
    }
    interested = Organisation.objects.filter(
        pk__in=Interest.objects.filter(opportunity=opportunity).values("organisation"), is_active=True
    )
    for organisation in interested:
        send_templated(
            to=organisation_recipients(organisation), template="procurement/email/cancelled", context=context
        )
    return opportunity


@transaction.atomic
def draft_delete(*, actor, opportunity: Opportunity) -> None:
    """Delete a draft that will not be published (nobody outside the council has seen it)."""
    require(permissions.can_manage(actor))
    if opportunity.status != Opportunity.Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted: cancel a published opportunity instead"))
    record(actor=actor, action="opportunity.draft_deleted", obj=opportunity)
    opportunity.delete()


def register_interest(*, actor, opportunity: Opportunity, organisation) -> Interest:
    """An organisation registers interest in an open opportunity, once; it is then sent every answer."""
    require(organisation in permissions.supplier_organisations(actor))
    if opportunity.status != Opportunity.Status.OPEN:
        raise ValidationError(_("You can only register interest in an open opportunity"))
    interest, created = Interest.objects.get_or_create(
        opportunity=opportunity, organisation=organisation, defaults={"registered_by": actor}
    )
    if created:
        record(actor=actor, action="opportunity.interest.registered", obj=opportunity, organisation=organisation)
    return interest


def withdraw_interest(*, actor, opportunity: Opportunity, organisation) -> None:
    require(organisation in permissions.supplier_organisations(actor))
    deleted, _rows = Interest.objects.filter(opportunity=opportunity, organisation=organisation).delete()
    if deleted:
        record(actor=actor, action="opportunity.interest.withdrawn", obj=opportunity, organisation=organisation)
