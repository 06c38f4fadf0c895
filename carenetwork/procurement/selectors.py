"""Reading the board: open opportunities by the filters a provider chooses, and one opportunity with its parts."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from carenetwork.procurement.models import Bid, Contract, Criterion, Document, Interest, Lot, Opportunity

VALUE_BANDS = {
    "under-30000": (None, Decimal("30000")),
    "30000-250000": (Decimal("30000"), Decimal("250000")),
    "250000-1000000": (Decimal("250000"), Decimal("1000000")),
    "over-1000000": (Decimal("1000000"), None),
}


def open_q(today) -> Q:
    """Published, not yet decided, and its tender deadline (if any) not passed."""
    return Q(status=Opportunity.Status.OPEN) & (Q(tender_deadline__isnull=True) | Q(tender_deadline__gte=today))


def to_award_q(today) -> Q:
    """Published here, its tender deadline passed, not yet decided: the council's to award."""
    return Q(origin=Opportunity.Origin.PORTAL) & (
        Q(status=Opportunity.Status.CLOSED) | Q(status=Opportunity.Status.OPEN, tender_deadline__lt=today)
    )


def board(criteria: dict) -> QuerySet:
    """Published opportunities matching the filters: open ones soonest deadline first, or closed ones newest first."""
    today = timezone.localdate()
    opportunities = Opportunity.objects.exclude(status=Opportunity.Status.DRAFT).select_related("service_type")
    if criteria.get("show") == "to-award":
        opportunities = opportunities.filter(to_award_q(today)).order_by("tender_deadline", "pk")
    elif criteria.get("show") == "closed":
        opportunities = opportunities.exclude(open_q(today)).order_by("-tender_deadline", "-pk")
    else:
        opportunities = opportunities.filter(open_q(today)).order_by("tender_deadline", "pk")
    if criteria.get("service_type"):
        opportunities = opportunities.filter(service_type=criteria["service_type"])
    if criteria.get("area"):
        area = criteria["area"]
        opportunities = opportunities.filter(Q(area=area) | Q(lots__area=area)).distinct()
    low, high = VALUE_BANDS.get(criteria.get("value") or "", (None, None))
    if low is not None:
        opportunities = opportunities.filter(value__gte=low)
    if high is not None:
        opportunities = opportunities.filter(value__lt=high)
    if criteria.get("sme"):
        opportunities = opportunities.filter(reserved_sme_vcse=True)
    return opportunities.annotate(lot_count=Count("lots", distinct=True))


def board_areas() -> list[str]:
    """Every area a published opportunity or its lots name, for the filter (a draft's stays unseen)."""
    published = Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
    named = set(published.exclude(area="").values_list("area", flat=True).distinct())
    named |= set(
        Lot.objects.filter(opportunity__in=published).exclude(area="").values_list("area", flat=True).distinct()
    )
    return sorted(named)


def opportunity_with_parts(pk: int) -> Opportunity:
    """One opportunity with its lots, criteria and documents (3 queries beside its own)."""
    return (
        Opportunity.objects.select_related("service_type")
        .prefetch_related(
            Prefetch("lots", queryset=Lot.objects.order_by("number")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("pk")),
            Prefetch("documents", queryset=Document.objects.order_by("pk")),
        )
        .get(pk=pk)
    )


def is_open(opportunity: Opportunity) -> bool:
    today = timezone.localdate()
    return opportunity.status == Opportunity.Status.OPEN and (
        opportunity.tender_deadline is None or opportunity.tender_deadline >= today
    )


def interested(opportunity: Opportunity, organisation) -> bool:
    return (
        organisation is not None
        and Interest.objects.filter(opportunity=opportunity, organisation=organisation).exists()
    )


def own_bids_and_contracts(opportunity: Opportunity, organisation) -> tuple[list, list]:
    """A supplier's own bids on an opportunity whose feedback has been sent, and its contracts on it (2 queries)."""
    if organisation is None or opportunity.origin != Opportunity.Origin.PORTAL:
        return [], []
    bids = Bid.objects.filter(
        lot__opportunity=opportunity, organisation=organisation, feedback_sent_at__isnull=False
    ).select_related("lot")
    contracts = Contract.objects.filter(lot__opportunity=opportunity, supplier=organisation).select_related("lot")
    return list(bids.order_by("lot__number")), list(contracts.order_by("lot__number"))
