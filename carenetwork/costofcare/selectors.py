"""Every read of the fair cost of care: the assumptions in force on a day, a provider's calculations, and the
council's view of submitted returns as quartiles."""

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.costofcare import calculators, permissions
from carenetwork.costofcare.inputs import care_home_category, care_home_from_json, home_care_from_json
from carenetwork.costofcare.models import AssumptionSet, CostCalculation, CouncilRate

# Fields of calculators.Assumptions that must have a figure for any calculation.
REQUIRED = [
    "national_living_wage",
    "ni_rate",
    "ni_threshold_year",
    "pension_rate",
    "pension_band_low",
    "pension_band_high",
    "ssp_weekly_rate",
    "ssp_waiting_days",
    "holiday_weeks",
]
# Blank means "does not apply" (lower earnings limit, earnings share) or "not yet published" (the Homecare
# Association's price, shown as such beside the result): the calculators take None for these.
OPTIONAL = ["ssp_lower_earnings_limit", "ssp_earnings_share", "homecare_association_price"]
CATEGORIES = list(calculators.Category)
MIN_PROVIDERS = 5  # the council sees quartiles only when at least this many providers have submitted


class AssumptionsMissing(Exception):
    """No assumption set is in force on the day, or the one in force lacks a figure the calculators need."""

    def __init__(self, message: str, missing: list[str] | None = None):
        super().__init__(message)
        self.message, self.missing = message, missing or []


def assumption_set_on(day: date) -> AssumptionSet | None:
    """The assumption set in force on `day`: the latest that took effect on or before it."""
    return AssumptionSet.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def assumptions_for(assumption_set: AssumptionSet) -> calculators.Assumptions:
    """The set as the calculators take it; AssumptionsMissing naming every needed figure left blank."""
    missing = [name for name in REQUIRED if getattr(assumption_set, name) is None]
    if missing:
        names = ", ".join(str(AssumptionSet._meta.get_field(name).verbose_name) for name in missing)
        raise AssumptionsMissing(
            _("The %(label)s assumptions have no figure yet for: %(names)s. A council administrator must add it.")
            % {"label": assumption_set.label, "names": names},
            missing,
        )
    values = {name: getattr(assumption_set, name) for name in REQUIRED + OPTIONAL}
    values["ssp_waiting_days"] = int(values["ssp_waiting_days"])
    return calculators.Assumptions(
        effective_from=assumption_set.effective_from, ssp_from_day_one=assumption_set.ssp_from_day_one, **values
    )


def assumptions_on(day: date) -> calculators.Assumptions:
    """The calculators' Assumptions from the set in force on `day`, or AssumptionsMissing saying what is missing."""
    assumption_set = assumption_set_on(day)
    if assumption_set is None:
        raise AssumptionsMissing(
            _("No assumptions are in force on %(day)s: a council administrator must add a set that starts by then.")
            % {"day": f"{day.day} {day:%B %Y}"}
        )
    return assumptions_for(assumption_set)


def assumption_set_list_for(*, user) -> QuerySet[AssumptionSet]:
    """Every assumption set, newest first, with how many saved calculations used it (council administrators)."""
    require(permissions.can_manage_assumptions(user))
    from django.db.models import Count

    return AssumptionSet.objects.annotate(used=Count("calculations")).order_by("-effective_from")


def assumption_set_get_for(*, user, pk: int) -> AssumptionSet:
    require(permissions.can_manage_assumptions(user))
    try:
        return AssumptionSet.objects.get(pk=pk)
    except AssumptionSet.DoesNotExist as error:
        raise Http404 from error


def calculation_list_for(*, user) -> QuerySet[CostCalculation]:
    """The calculations of the providers this person belongs to, newest first."""
    organisations = permissions.calculating_organisations(user)
    return (
        CostCalculation.objects.filter(organisation__in=organisations)
        .select_related("organisation", "assumption_set", "created_by")
        .order_by("-created_at", "-pk")
    )


def calculation_get_for(*, user, pk: int) -> CostCalculation:
    """One of the person's providers' calculations; 404 for anyone else's (they may not know it exists)."""
    calculation = calculation_list_for(user=user).filter(pk=pk).first()
    if calculation is None:
        raise Http404
    return calculation


def work_out(kind: str, data: dict, assumptions: calculators.Assumptions):
    """A calculation's figures (as stored) worked with the assumptions: (breakdown, price). The price is the price
    per contact hour for home care, and the weekly fee of the chosen category for a care home. Raises the
    calculators' CostInputError for figures they cannot work with."""
    if kind == CostCalculation.Kind.CARE_HOME:
        result = calculators.care_home_fee(care_home_from_json(data), assumptions)
        return result, result.weekly_fee[care_home_category(data)]
    result = calculators.home_care_rate(home_care_from_json(data), assumptions)
    return result, result.price_per_contact_hour


def calculation_result(calculation: CostCalculation):
    """A saved calculation worked again with the assumption set it used: (breakdown, price); AssumptionsMissing or
    CostInputError when it cannot be."""
    return work_out(calculation.kind, calculation.inputs, assumptions_for(calculation.assumption_set))


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Lower quartile, median and upper quartile, by statistics.quantiles' "inclusive" method, to the penny."""
    q1, q2, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return tuple(Decimal(q).quantize(Decimal("0.01"), ROUND_HALF_UP) for q in (q1, q2, q3))


@dataclass(frozen=True)
class ReturnSummary:
    kind_label: str
    assumption_set: AssumptionSet
    providers: int
    quartiles: tuple[Decimal, Decimal, Decimal] | None  # None until MIN_PROVIDERS have submitted
    kind: str = CostCalculation.Kind.HOME_CARE
    category: calculators.Category | None = None  # care homes: the quartiles are of this category's weekly fee

    @property
    def category_label(self) -> str:
        return self.category.label if self.category else ""


def cost_return_summary_for(*, user) -> list[ReturnSummary]:
    """For each kind and year (assumption set), and each category of care home: how many providers submitted, and
    the quartiles of their price (home care's blended price an hour; a care home's weekly fee of the category its
    return is for) once at least MIN_PROVIDERS have. One query; no provider's own figure leaves this function."""
    require(permissions.can_view_cost_returns(user))
    rows = (
        CostCalculation.objects.filter(status=CostCalculation.Status.SUBMITTED, blended_price__isnull=False)
        .select_related("assumption_set")
        .annotate(category=KT("inputs__category"))
        .order_by("-assumption_set__effective_from", "kind")
        .only("kind", "blended_price", "organisation_id", "assumption_set")
    )
    groups: dict[tuple, dict] = {}
    for row in rows:
        category = None
        if row.kind == CostCalculation.Kind.CARE_HOME:  # as care_home_category reads it: residential when unknown
            category = calculators.Category(row.category) if row.category in CATEGORIES else CATEGORIES[0]
        key = (row.kind, row.assumption_set_id, category)
        group = groups.setdefault(key, {"set": row.assumption_set, "prices": {}})
        group["prices"][row.organisation_id] = row.blended_price  # one return a provider (a database constraint)
    summaries = []
    for (kind, _set_id, category), group in groups.items():
        prices = list(group["prices"].values())
        summaries.append(
            ReturnSummary(
                kind_label=CostCalculation.Kind(kind).label,
                assumption_set=group["set"],
                providers=len(prices),
                quartiles=quartiles(prices) if len(prices) >= MIN_PROVIDERS else None,
                kind=kind,
                category=category,
            )
        )
    # Newest year first; then home care, then care homes by category, each in its usual order.
    kinds = list(CostCalculation.Kind)
    summaries.sort(
        key=lambda s: (
            -s.assumption_set.effective_from.toordinal(),
            kinds.index(s.kind),
            CATEGORIES.index(s.category) if s.category else -1,
        )
    )
    return summaries


def council_rate_list_for(*, user) -> QuerySet[CouncilRate]:
    """Every rate the council has recorded, by type of service, newest first (council staff)."""
    require(permissions.can_view_cost_returns(user))
    return CouncilRate.objects.all()
