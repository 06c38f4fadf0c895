"""Opportunities for tests: an open £400,000 home care contract in three lots, and an awarded contract."""

from datetime import date, timedelta
from decimal import Decimal as D

from django.utils import timezone

from carenetwork.procurement.models import Contract, Criterion, Lot, Opportunity


def opportunity_for(*, status=Opportunity.Status.OPEN, lots=3, value=D("400000"), **fields) -> Opportunity:
    """An opportunity (open unless asked) starting today, with `lots` lots sharing its value and three criteria."""
    today = timezone.localdate()
    opportunity = Opportunity.objects.create(
        title=fields.pop("title", "Home care in three areas"),
        description=fields.pop("description", "Home care for older people, in three lots by area."),
        value=value,
        duration_months=fields.pop("duration_months", 36),
        procurement_start=fields.pop("procurement_start", today),
        tender_published=fields.pop("tender_published", today),
        questions_deadline=fields.pop("questions_deadline", today + timedelta(days=21)),
        tender_deadline=fields.pop("tender_deadline", today + timedelta(days=35)),
        award_date=fields.pop("award_date", today + timedelta(days=70)),
        contract_start=fields.pop("contract_start", today + timedelta(days=120)),
        status=status,
        published_at=None if status == Opportunity.Status.DRAFT else timezone.now(),
        **fields,
    )
    for number in range(1, lots + 1):
        Lot.objects.create(
            opportunity=opportunity,
            number=number,
            title=f"Area {number}",
            value=(value / lots).quantize(D("0.01")) if value else None,
            duration_months=opportunity.duration_months,
        )
    for kind, name, weight in [
        ("quality", "Quality", 60),
        ("price", "Price", 30),
        ("social-value", "Social value", 10),
    ]:
        Criterion.objects.create(opportunity=opportunity, kind=kind, name=name, weight=weight)
    return opportunity


def contract_for(supplier, *, opportunity: Opportunity | None = None, awarded_on: date | None = None) -> Contract:
    """Lot 1 of an awarded opportunity, awarded to `supplier`."""
    opportunity = opportunity or opportunity_for(status=Opportunity.Status.AWARDED)
    lot = opportunity.lots.get(number=1)
    awarded_on = awarded_on or timezone.localdate() - timedelta(days=200)
    return Contract.objects.create(
        lot=lot,
        supplier=supplier,
        supplier_name=supplier.name,
        value=lot.value,
        awarded_on=awarded_on,
        start=awarded_on + timedelta(days=30),
    )
