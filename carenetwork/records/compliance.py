"""The council's compliance report's reads, shared by its pages, its downloads and the API: counts by sector, area
or provider from the maintained figures, the providers a report lists, one provider's counts by category, and the
rule that a provider's counts about fewer than three people are not shown."""

from django.db.models import Func, IntegerField, Subquery, Value
from django.shortcuts import get_object_or_404

from carenetwork.organisations.models import Organisation
from carenetwork.records import skills
from carenetwork.records.forms_council import BY_AREA, BY_PROVIDER, BY_SECTOR
from carenetwork.records.models import StaffMember, TrainingCategory
from carenetwork.records.skills import Counts

# One provider's counts of fewer people than this describe identifiable people ("the one carer at Ash House whose
# training has expired"): they are not shown, as a run's evaluation scores are not (training/evaluations.py).
SMALLEST_GROUP_SHOWN = 3


def is_small(c: Counts | None) -> bool:
    """Whether one provider's counts are about so few people that they would identify them."""
    return c is not None and 0 < c.required < SMALLEST_GROUP_SHOWN


def compliance_counts(criteria, today, window, organisation_ids=None) -> dict[tuple, Counts]:
    """Counts by the report's grouping (sector, area or provider), for the chosen providers or all."""
    by = criteria["by"]
    group = {BY_SECTOR: "sector", BY_AREA: "area", BY_PROVIDER: "organisation"}[by]
    params = {
        "sector_id": getattr(criteria["sector"], "pk", None),
        "area": criteria["area"],
        "category_id": criteria["category_id"],
        "today": today,
        "window_days": window,
    }
    if organisation_ids is not None:
        params["organisation_ids"] = organisation_ids
    return skills.requirement_counts(by=(group,), **params)


def compliance_providers(criteria):
    """The active providers the report lists, filtered by name, sector and area, by name."""
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True)
    if criteria.get("q"):
        providers = providers.filter(name__icontains=criteria["q"])
    if criteria["sector"]:
        providers = providers.filter(sectors=criteria["sector"])
    if criteria["area"]:
        providers = providers.filter(area=criteria["area"])
    return providers.only("pk", "name", "area").order_by("name", "pk")


def compliance_provider_get(pk: int, *, with_staff_count: bool = False) -> Organisation:
    """An active provider (404 otherwise), with its current staff count if asked."""
    organisations = Organisation.objects.prefetch_related("sectors")
    if with_staff_count:  # read with the organisation: one query fewer
        # COUNT(1) over this organisation's current staff: an index-only scan (a count per outer row, or of the
        # primary key, read the table's pages: five times slower for a register of 37,000).
        current = StaffMember.objects.filter(organisation_id=pk, leaving_date__isnull=True).order_by()
        count = current.annotate(n=Func(Value(1), function="COUNT")).values("n")
        organisations = organisations.annotate(staff_count=Subquery(count, output_field=IntegerField()))
    return get_object_or_404(organisations, pk=pk, kind=Organisation.Kind.PROVIDER, is_active=True)


def provider_category_counts(organisation, today, window) -> list[tuple[str, Counts]]:
    """One provider's counts in each category it must hold, by category name."""
    counts = skills.requirement_counts(organisation_ids=[organisation.pk], today=today, window_days=window)
    names = dict(TrainingCategory.objects.filter(pk__in=[k[0] for k in counts]).values_list("pk", "name"))
    return sorted(((names[k[0]], c) for k, c in counts.items()), key=lambda row: row[0])
