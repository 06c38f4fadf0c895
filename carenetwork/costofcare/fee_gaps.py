"""Fee gaps: the council's rates beside the calculated minimum on the same date and the Homecare Association's price.

The calculated minimum is the calculators' reference price (their documented default figures) with care and
support staff paid the National Living Wage in force on the day, and no grade paid below it. A rate below it has a
gap: the minimum less the rate, an hour or a week, and a year at the council's volume (× the volume a week × 52).

When a National Living Wage takes effect (a dated assumption set whose wage differs from the set before), the
uplift list shows, for each rate in force on that date, what it needs from then to reach the minimum.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core.access import require
from carenetwork.costofcare import calculators, permissions
from carenetwork.costofcare.models import AssumptionSet, CouncilRate
from carenetwork.costofcare.selectors import AssumptionsMissing, assumptions_for

WEEKS = Decimal(52)
PENNY = Decimal("0.01")


def minimum_price(service_type: str, assumptions: calculators.Assumptions) -> Decimal:
    """The calculated minimum for a type of service: an hour of home care, or a week in a care home category."""
    wage = assumptions.national_living_wage
    if service_type == CouncilRate.ServiceType.HOME_CARE:
        inputs = replace(calculators.HomeCareInputs(), pay_per_hour=wage)
        return calculators.home_care_rate(inputs, assumptions).price_per_contact_hour
    defaults = calculators.CareHomeInputs()
    inputs = replace(
        defaults,
        care_worker_pay=wage,
        support_staff_pay=wage,
        nurse_pay=max(defaults.nurse_pay, wage),
        management_pay=max(defaults.management_pay, wage),
    )
    return calculators.care_home_fee(inputs, assumptions).weekly_fee[calculators.Category(service_type)]


@dataclass(frozen=True)
class Gap:
    """One rate compared on a day: `gap` is how far it is below the minimum (0 when it is not below)."""

    rate: CouncilRate
    on: date
    minimum: Decimal | None  # None when the assumptions in force lack a figure (`problem` says which)
    homecare_association_price: Decimal | None
    problem: str = ""

    @property
    def below(self) -> bool:
        return self.minimum is not None and self.rate.rate < self.minimum

    @property
    def gap(self) -> Decimal:
        return max(self.minimum - self.rate.rate, Decimal(0)) if self.minimum is not None else Decimal(0)

    @property
    def gap_per_year(self) -> Decimal:
        return (self.gap * self.rate.weekly_volume * WEEKS).quantize(PENNY)

    @property
    def uplift_percent(self) -> Decimal:
        """The uplift as a percentage of the rate, to one place rounded up: applied, it reaches the minimum."""
        return (self.gap * 100 / self.rate.rate).quantize(Decimal("0.1"), rounding=ROUND_CEILING)

    @property
    def below_homecare_association_price(self) -> bool:
        return self.homecare_association_price is not None and self.rate.rate < self.homecare_association_price

    @property
    def homecare_association_gap(self) -> Decimal:
        if self.homecare_association_price is None:
            return Decimal(0)
        return max(self.homecare_association_price - self.rate.rate, Decimal(0))


def in_force_on(rates: list[CouncilRate], day: date) -> list[CouncilRate]:
    """Of every rate, those in force on `day`: the latest from on or before it for each type of service and kind."""
    latest: dict[tuple[str, str], CouncilRate] = {}
    for rate in sorted(rates, key=lambda r: r.effective_from):
        if rate.effective_from <= day:
            latest[(rate.service_type, rate.source)] = rate
    order = {value: i for i, value in enumerate(CouncilRate.ServiceType.values)}
    return sorted(latest.values(), key=lambda r: (order[r.service_type], r.source))


def set_on(sets: list[AssumptionSet], day: date) -> AssumptionSet | None:
    in_force = [s for s in sets if s.effective_from <= day]
    return max(in_force, key=lambda s: s.effective_from) if in_force else None


@dataclass(frozen=True)
class Comparison:
    """The rates in force on a day against the minimum then; for an uplift, the set bringing in the new wage."""

    on: date
    gaps: list[Gap]
    assumption_set: AssumptionSet | None = None

    @property
    def below(self) -> list[Gap]:
        return [g for g in self.gaps if g.below]

    @property
    def problem(self) -> str:
        """Why the minimum cannot be worked out on the day (the same for every rate), or ""."""
        return self.gaps[0].problem if self.gaps else ""

    @property
    def gap_per_year(self) -> Decimal:
        return sum((g.gap_per_year for g in self.gaps), Decimal("0.00"))


UNUSABLE = gettext_lazy(
    "The assumptions in force on this date cannot give a minimum: a council administrator should check their figures."
)


def compare(rates: list[CouncilRate], sets: list[AssumptionSet], day: date) -> Comparison:
    """Each rate in force on `day` beside the minimum from the assumptions in force that day."""
    assumption_set = set_on(sets, day)
    assumptions, problem = None, ""
    if assumption_set is None:
        problem = _(
            "No assumptions are in force on this date: a council administrator must add a set that starts by then."
        )
    else:
        try:
            assumptions = assumptions_for(assumption_set)
        except AssumptionsMissing as missing:
            problem = missing.message
    minimums: dict[str, Decimal] = {}
    gaps = []
    for rate in in_force_on(rates, day):
        minimum = None
        if assumptions is not None:
            if rate.service_type not in minimums:
                try:
                    minimums[rate.service_type] = minimum_price(rate.service_type, assumptions)
                except (calculators.CostInputError, ArithmeticError):
                    # Figures the calculators cannot use (say 52 weeks' holiday): "not known", not a server error.
                    minimums[rate.service_type] = None
            minimum = minimums[rate.service_type]
        price = assumptions.homecare_association_price if assumptions and rate.per_hour else None
        gaps.append(Gap(rate, day, minimum, price, problem or (UNUSABLE if assumptions and minimum is None else "")))
    return Comparison(day, gaps)


def wage_changes(sets: list[AssumptionSet], today: date) -> list[AssumptionSet]:
    """The sets that bring in a new National Living Wage, from the latest in force today onwards (future ones too)."""
    changes, wage = [], None
    for s in sorted(sets, key=lambda s: s.effective_from):
        if s.national_living_wage is not None and s.national_living_wage != wage:
            changes.append(s)
            wage = s.national_living_wage
    started = [s for s in changes if s.effective_from <= today]
    return [s for s in changes if s.effective_from > today or (started and s == started[-1])]


@dataclass(frozen=True)
class FeeGaps:
    current: Comparison
    uplifts: list[Comparison]  # one for each new National Living Wage, from the one in force today


def fee_gaps_for(*, user, on: date, today: date) -> FeeGaps:
    """Council staff: the rates in force on `on` against the minimum, and the uplift each new wage needs (2 queries)."""
    require(permissions.can_view_cost_returns(user))
    rates = list(CouncilRate.objects.all())
    sets = list(AssumptionSet.objects.all())
    uplifts = [replace(compare(rates, sets, s.effective_from), assumption_set=s) for s in wage_changes(sets, today)]
    return FeeGaps(compare(rates, sets, on), uplifts)


def rates_below_count(today: date) -> int:
    """How many rates in force today are below the minimum (the council's home page; 2 queries)."""
    return len(compare(list(CouncilRate.objects.all()), list(AssumptionSet.objects.all()), today).below)
