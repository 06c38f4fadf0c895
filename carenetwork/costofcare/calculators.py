"""Fair cost of care: a home care price per contact hour and a care home weekly fee, worked line by line.

Pure functions on plain values, no database (tests: tests/costofcare/test_calculators.py). Two kinds of input:

- `Assumptions`: the dated public figures (National Living Wage, employer National Insurance, workplace pension,
  Statutory Sick Pay, statutory holiday, the Homecare Association's minimum price). `assumptions_on(day)` gives the
  set in force on a day; a set runs from 1 April (statutory payments move on 6 April: five days we ignore).
- `HomeCareInputs` and `CareHomeInputs`: a provider's own figures, with documented defaults.

Each calculator returns breakdowns: lines of (label, amount, working), where the working is the arithmetic in
words so that a finance officer can redo it with a calculator.

On-costs are annualised for a worker paid every week of the year for `hours_per_week` hours:
- holiday pay: 5.6 weeks' pay spread over the 52 − 5.6 = 46.4 weeks worked, i.e. 5.6 ÷ 46.4 on top of pay;
- sick pay: expected sick days a year × SSP a day (weekly rate ÷ working days a week), from the first day when
  the assumptions say so, else after 3 waiting days in each spell, spread over the hours worked in a year;
- employer National Insurance: rate × (annual pay − secondary threshold) ÷ annual pay, never below 0, as a share
  of pay including holiday pay (that is, rate × (annual pay − threshold) ÷ annual hours for each paid hour);
- workplace pension: rate × (annual pay held to the qualifying band − lower limit) ÷ annual pay, likewise.
Annual pay counts every week at full pay, so the days paid as SSP carry no further NI or pension (the annual
figure already over-counts them slightly).

Rounding: money is Decimal throughout, never float. Each line is worked at full precision from the inputs and
from the unrounded figures of the lines before it; only the line's amount is rounded, to the penny, half up
(ROUND_HALF_UP). A total is the sum of its rounded lines, so every breakdown adds up exactly on paper; it can
differ from the same sum rounded once at the end (`unrounded_total`) by at most half a penny a line. Figures
shown inside a working are rounded for reading (pounds to the penny, rates to 4 places).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
PENNY = D("0.01")
WEEKS = D(52)
VISIT_LENGTHS = (15, 30, 45, 60)  # minutes


class CostInputError(ValueError):
    """A figure the calculators cannot work with (a float, a negative cost, no hours, an empty visit mix)."""


class BelowNationalLivingWage(CostInputError):
    """Hourly pay below the National Living Wage in force: a price built on it would be unlawful."""

    def __init__(self, who: str, pay: Decimal, assumptions: Assumptions):
        self.who, self.pay, self.national_living_wage = who, pay, assumptions.national_living_wage
        day = assumptions.effective_from
        super().__init__(
            f"{who} pay of {_money(pay)} an hour is below the National Living Wage of "
            f"{_money(self.national_living_wage)} in force from {day.day} {day:%B %Y}."
        )


# The dated public figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumptions:
    effective_from: date
    national_living_wage: Decimal  # £ an hour, workers aged 21 and over
    ni_rate: Decimal  # employer (secondary) Class 1 rate
    ni_threshold_year: Decimal  # secondary threshold, £ a year
    pension_rate: Decimal  # employer minimum under automatic enrolment
    pension_band_low: Decimal  # qualifying earnings band, £ a year
    pension_band_high: Decimal
    ssp_weekly_rate: Decimal
    ssp_from_day_one: bool  # else nothing for the first `ssp_waiting_days` of each spell
    ssp_lower_earnings_limit: Decimal | None = None  # no SSP for weekly pay below this (removed April 2026)
    ssp_earnings_share: Decimal | None = None  # SSP is at most this share of weekly pay (80% from April 2026)
    ssp_waiting_days: int = 3
    holiday_weeks: Decimal = D("5.6")  # statutory annual leave
    homecare_association_price: Decimal | None = None  # £ a contact hour; None while not yet published


ASSUMPTIONS_2025_26 = Assumptions(
    effective_from=date(2025, 4, 1),
    national_living_wage=D("12.21"),
    ni_rate=D("0.15"),
    ni_threshold_year=D(5000),
    pension_rate=D("0.03"),
    pension_band_low=D(6240),
    pension_band_high=D(50270),
    ssp_weekly_rate=D("118.75"),
    ssp_from_day_one=False,
    ssp_lower_earnings_limit=D(125),
    homecare_association_price=D("32.14"),
)
ASSUMPTIONS_2026_27 = Assumptions(
    effective_from=date(2026, 4, 1),
    national_living_wage=D("12.71"),
    ni_rate=D("0.15"),
    ni_threshold_year=D(5000),
    pension_rate=D("0.03"),
    pension_band_low=D(6240),
    pension_band_high=D(50270),
    ssp_weekly_rate=D("123.25"),  # as announced for 6 April 2026 (Employment Rights Act 2025 changes)
    ssp_from_day_one=True,
    ssp_earnings_share=D("0.80"),
    homecare_association_price=None,
)
DATED_ASSUMPTIONS = (ASSUMPTIONS_2025_26, ASSUMPTIONS_2026_27)


def assumptions_on(day: date, dated: tuple[Assumptions, ...] = DATED_ASSUMPTIONS) -> Assumptions:
    """The set of assumptions in force on `day`: the latest one that took effect on or before it."""
    in_force = [a for a in dated if a.effective_from <= day]
    if not in_force:
        raise CostInputError(f"No assumptions are in force on {day.isoformat()}.")
    return max(in_force, key=lambda a: a.effective_from)


# A provider's own figures ---------------------------------------------------------------------------------


def _check_figures(inputs: object) -> None:
    """Every figure is a Decimal or a whole number (never a float) and none is negative."""
    for f in fields(inputs):  # type: ignore[arg-type]
        value = getattr(inputs, f.name)
        if isinstance(value, Mapping):
            values = list(value.values())
        elif isinstance(value, tuple):
            values = [pair[1] for pair in value]
        else:
            values = [value]
        for v in values:
            if isinstance(v, float) or not isinstance(v, Decimal | int):
                raise CostInputError(f"{f.name} must be a Decimal, not {type(v).__name__}.")
            if v < 0:
                raise CostInputError(f"{f.name} cannot be negative.")


@dataclass(frozen=True)
class HomeCareInputs:
    """A home care provider's figures. Defaults: a careworker at the April 2026 National Living Wage, full time,
    in an agency delivering 1,000 contact hours a week; HMRC's 45p a mile; a typical spread of visit lengths."""

    pay_per_hour: Decimal = D("12.71")  # careworker basic pay, also paid for travel, waiting and training time
    hours_per_week: Decimal = D("37.5")  # a careworker's paid hours a week, for annualising on-costs
    travel_minutes_per_visit: Decimal = D(10)
    waiting_minutes_per_visit: Decimal = D(2)  # gaps between visits that are paid
    miles_per_visit: Decimal = D(3)
    rate_per_mile: Decimal = D("0.45")
    # (visit length in minutes, share or number of visits); shares need not add up to 1
    visit_mix: tuple[tuple[int, Decimal], ...] = ((15, D("0.05")), (30, D("0.50")), (45, D("0.25")), (60, D("0.20")))
    sick_days_per_year: Decimal = D(8)
    sickness_spells_per_year: Decimal = D(2)
    working_days_per_week: Decimal = D(5)  # SSP's qualifying days, to turn the weekly rate into a daily one
    training_hours_per_year: Decimal = D(24)
    supervision_hours_per_year: Decimal = D(8)
    contact_hours_per_year: Decimal = D(52_000)  # the agency's delivered hours, to spread its overheads
    office_staff_per_year: Decimal = D(200_000)  # registered manager, coordinators, administration, with on-costs
    running_costs_per_year: tuple[tuple[str, Decimal], ...] = (
        ("Premises", D(20_000)),
        ("IT and telephony", D(12_000)),
        ("Insurance", D(8_000)),
        ("Regulator fees", D(4_000)),
        ("Recruitment", D(15_000)),
        ("PPE", D(10_000)),
        ("Other running costs", D(10_000)),
    )
    surplus_rate: Decimal = D("0.03")  # on all costs

    def __post_init__(self):
        _check_figures(self)


class Category(enum.StrEnum):
    """The four fair-cost-of-care categories of care home placement."""

    RESIDENTIAL = "residential"
    RESIDENTIAL_ENHANCED = "residential_enhanced"
    NURSING = "nursing"
    NURSING_ENHANCED = "nursing_enhanced"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class CareHomeInputs:
    """A care home's figures, per resident per week at the stated occupancy (capital is per bed). Defaults: a
    home paying the April 2026 National Living Wage to care and support staff, 90% full."""

    care_worker_pay: Decimal = D("12.71")
    nurse_pay: Decimal = D("23.50")
    support_staff_pay: Decimal = D("12.71")  # catering, domestic, laundry, maintenance, activities
    management_pay: Decimal = D("21.00")  # manager, deputy, administration (hourly equivalent)
    hours_per_week: Decimal = D("37.5")  # a full-time worker's hours, for annualising on-costs
    care_hours: Mapping[Category, Decimal] = field(
        default_factory=lambda: {
            Category.RESIDENTIAL: D(16),
            Category.RESIDENTIAL_ENHANCED: D(21),
            Category.NURSING: D(18),
            Category.NURSING_ENHANCED: D(22),
        }
    )
    nursing_hours: Mapping[Category, Decimal] = field(
        default_factory=lambda: {
            Category.RESIDENTIAL: D(0),
            Category.RESIDENTIAL_ENHANCED: D(0),
            Category.NURSING: D("7.5"),
            Category.NURSING_ENHANCED: D(9),
        }
    )
    support_staff_hours: Decimal = D(9)
    management_hours: Decimal = D("2.5")
    sick_days_per_year: Decimal = D(8)
    sickness_spells_per_year: Decimal = D(2)
    working_days_per_week: Decimal = D(5)
    non_staff_costs: tuple[tuple[str, Decimal], ...] = (  # £ per resident per week
        ("Food", D(35)),
        ("Utilities", D(30)),
        ("Maintenance and repairs", D(25)),
        ("Insurance", D(8)),
        ("Registration and other fees", D(5)),
        ("Medical supplies and PPE", D(8)),
        ("Other non-staff costs", D(30)),
    )
    return_on_operations: Decimal = D("0.05")  # on staff and non-staff costs
    property_value_per_bed: Decimal = D(90_000)
    return_on_capital: Decimal = D("0.06")  # a year, on the property value
    occupancy: Decimal = D("0.90")

    def __post_init__(self):
        _check_figures(self)
        if not 0 < self.occupancy <= 1:
            raise CostInputError("Occupancy must be more than 0 and at most 1 (100%).")
        missing = set(Category) - set(self.care_hours) or set(Category) - set(self.nursing_hours)
        if missing:
            raise CostInputError(f"Care and nursing hours are needed for every category (missing {missing}).")


# Breakdowns -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal  # to the penny
    working: str


@dataclass(frozen=True)
class Breakdown:
    lines: tuple[Line, ...]
    unrounded_total: Decimal  # the lines' full-precision sum, for checking the rounding

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), D("0.00"))

    def amount(self, label: str) -> Decimal:
        return next(line.amount for line in self.lines if line.label == label)


@dataclass(frozen=True)
class HomeCareBreakdown:
    blended: Breakdown  # at the visit mix's average visit length
    by_visit_length: dict[int, Breakdown]
    average_visit_minutes: Decimal
    homecare_association_price: Decimal | None

    @property
    def price_per_contact_hour(self) -> Decimal:
        return self.blended.total

    @property
    def price_by_visit_length(self) -> dict[int, Decimal]:
        return {minutes: b.total for minutes, b in self.by_visit_length.items()}

    @property
    def below_homecare_association_price(self) -> bool | None:
        """Whether the price is below the Homecare Association's minimum; None while that is unpublished."""
        if self.homecare_association_price is None:
            return None
        return self.price_per_contact_hour < self.homecare_association_price


@dataclass(frozen=True)
class CareHomeBreakdown:
    by_category: dict[Category, Breakdown]

    @property
    def weekly_fee(self) -> dict[Category, Decimal]:
        return {category: b.total for category, b in self.by_category.items()}


class _Lines:
    """Collects lines, keeping each one's exact value for the lines after it."""

    def __init__(self):
        self.lines: list[Line] = []
        self.exact: list[Decimal] = []

    def add(self, label: str, value: Decimal, working: str) -> Decimal:
        value = D(value)
        self.lines.append(Line(label, value.quantize(PENNY, ROUND_HALF_UP), f"{working} = {_money(value)}"))
        self.exact.append(value)
        return value

    def breakdown(self) -> Breakdown:
        return Breakdown(tuple(self.lines), sum(self.exact, D(0)))


def _money(value: Decimal) -> str:
    q = D(value).quantize(PENNY, ROUND_HALF_UP)
    return f"£{q:,.0f}" if q == q.to_integral_value() and abs(q) >= 100 else f"£{q:,.2f}"


def _n(value: Decimal, places: int = 4) -> str:
    text = f"{D(value).quantize(D(1).scaleb(-places), ROUND_HALF_UP):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(value: Decimal) -> str:
    return f"{_n(value * 100, 2)}%"


# On-costs of employing one worker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Worker:
    """A worker paid `pay` an hour for `hours_per_week` every week of the year (holidays included)."""

    pay: Decimal
    hours_per_week: Decimal
    sick_days: Decimal
    spells: Decimal
    working_days: Decimal
    a: Assumptions

    @property
    def annual_pay(self) -> Decimal:
        return self.pay * self.hours_per_week * WEEKS

    @property
    def worked_hours_year(self) -> Decimal:
        return self.hours_per_week * (WEEKS - self.a.holiday_weeks)

    @property
    def holiday_share(self) -> Decimal:
        return self.a.holiday_weeks / (WEEKS - self.a.holiday_weeks)

    @property
    def ni_share(self) -> Decimal:
        return self.a.ni_rate * max(D(0), self.annual_pay - self.a.ni_threshold_year) / self.annual_pay

    @property
    def pension_share(self) -> Decimal:
        banded = min(max(self.annual_pay, self.a.pension_band_low), self.a.pension_band_high)
        return self.a.pension_rate * (banded - self.a.pension_band_low) / self.annual_pay

    @property
    def ssp_per_week(self) -> Decimal:
        weekly_pay = self.pay * self.hours_per_week
        if self.a.ssp_lower_earnings_limit is not None and weekly_pay < self.a.ssp_lower_earnings_limit:
            return D(0)
        if self.a.ssp_earnings_share is not None:
            return min(self.a.ssp_weekly_rate, self.a.ssp_earnings_share * weekly_pay)
        return self.a.ssp_weekly_rate

    @property
    def paid_sick_days(self) -> Decimal:
        if self.a.ssp_from_day_one:
            return D(self.sick_days)
        return max(D(0), self.sick_days - self.a.ssp_waiting_days * self.spells)

    @property
    def ssp_per_worked_hour(self) -> Decimal:
        return self.paid_sick_days * self.ssp_per_week / self.working_days / self.worked_hours_year

    def ssp_working(self) -> str:
        days = "from day one" if self.a.ssp_from_day_one else f"after {self.a.ssp_waiting_days} waiting days a spell"
        return (
            f"{_n(self.paid_sick_days)} paid sick days ({days}) × {_money(self.ssp_per_week)} a week ÷ "
            f"{_n(self.working_days)} days ÷ {_n(self.worked_hours_year)} hours worked a year"
        )

    def ni_working(self) -> str:
        return (
            f"{_pct(self.a.ni_rate)} × ({_money(self.annual_pay)} − {_money(self.a.ni_threshold_year)}) ÷ "
            f"{_money(self.annual_pay)} = {_pct(self.ni_share)}"
        )

    def pension_working(self) -> str:
        a = self.a
        banded = min(max(self.annual_pay, a.pension_band_low), a.pension_band_high)
        clipped = (
            ""
            if banded == self.annual_pay
            else f" (pay held to the {_money(a.pension_band_low)}–{_money(a.pension_band_high)} band)"
        )
        return (
            f"{_pct(a.pension_rate)} × ({_money(banded)}{clipped} − {_money(a.pension_band_low)}) ÷ "
            f"{_money(self.annual_pay)} = {_pct(self.pension_share)}"
        )


def _check_pay(who: str, pay: Decimal, a: Assumptions) -> None:
    if pay < a.national_living_wage:
        raise BelowNationalLivingWage(who, pay, a)


# Home care --------------------------------------------------------------------------------------------------


def home_care_rate(inputs: HomeCareInputs, assumptions: Assumptions) -> HomeCareBreakdown:
    """The price of one contact hour of home care, blended over the visit mix and for each visit length."""
    i = inputs
    _check_pay("Careworker", i.pay_per_hour, assumptions)
    if i.hours_per_week <= 0 or i.working_days_per_week <= 0 or i.contact_hours_per_year <= 0:
        raise CostInputError("Hours a week, working days a week and contact hours a year must be more than 0.")
    visits = sum((D(share) for _, share in i.visit_mix), D(0))
    if visits <= 0 or any(minutes <= 0 for minutes, _ in i.visit_mix):
        raise CostInputError("The visit mix needs at least one visit, and every visit length must be over 0.")
    average = sum((D(minutes) * share for minutes, share in i.visit_mix), D(0)) / visits
    blended = _home_care_lines(i, assumptions, 60 / average, f"(average visit {_n(average, 1)} min)")
    lengths = sorted(set(VISIT_LENGTHS) | {minutes for minutes, _ in i.visit_mix})
    return HomeCareBreakdown(
        blended=blended,
        by_visit_length={m: _home_care_lines(i, assumptions, D(60) / m, f"({m}-minute visits)") for m in lengths},
        average_visit_minutes=average,
        homecare_association_price=assumptions.homecare_association_price,
    )


def _home_care_lines(i: HomeCareInputs, a: Assumptions, visits: Decimal, visit_words: str) -> Breakdown:
    """One contact hour's lines when `visits` visits make up the hour."""
    worker = _Worker(
        i.pay_per_hour, i.hours_per_week, i.sick_days_per_year, i.sickness_spells_per_year, i.working_days_per_week, a
    )
    pay, per_visit = _money(i.pay_per_hour), f"× {_n(visits)} visits an hour {visit_words}"
    # Paid careworker hours for each contact hour: the contact itself plus travel and waiting for each visit.
    front_line = 1 + (i.travel_minutes_per_visit + i.waiting_minutes_per_visit) / 60 * visits
    out = _Lines()
    pay_lines = [
        out.add("Careworker pay for contact time", i.pay_per_hour, f"{pay} × 1 hour"),
        out.add(
            "Paid travel time",
            i.pay_per_hour * i.travel_minutes_per_visit / 60 * visits,
            f"{pay} × {_n(i.travel_minutes_per_visit)} min ÷ 60 {per_visit}",
        ),
        out.add(
            "Paid waiting time",
            i.pay_per_hour * i.waiting_minutes_per_visit / 60 * visits,
            f"{pay} × {_n(i.waiting_minutes_per_visit)} min ÷ 60 {per_visit}",
        ),
    ]
    hours_words = f"÷ {_n(worker.worked_hours_year)} hours worked a year × {_n(front_line)} paid hours a contact hour"
    for label, hours in (("Training time", i.training_hours_per_year), ("Supervision", i.supervision_hours_per_year)):
        value = i.pay_per_hour * hours / worker.worked_hours_year * front_line
        pay_lines.append(out.add(label, value, f"{pay} × {_n(hours)} hours a year {hours_words}"))
    basic = sum(pay_lines, D(0))
    holiday = out.add(
        "Holiday pay",
        worker.holiday_share * basic,
        f"{_n(a.holiday_weeks)} weeks ÷ {_n(WEEKS - a.holiday_weeks)} weeks worked × {_money(basic)} pay",
    )
    out.add(
        "Sick pay (SSP)",
        worker.ssp_per_worked_hour * front_line,
        f"{worker.ssp_working()} × {_n(front_line)} paid hours a contact hour",
    )
    all_pay = basic + holiday  # sick pay replaces pay already counted in the annual pay: no further on-costs
    out.add("Employer National Insurance", worker.ni_share * all_pay, f"{worker.ni_working()} of {_money(all_pay)}")
    out.add("Workplace pension", worker.pension_share * all_pay, f"{worker.pension_working()} of {_money(all_pay)}")
    out.add(
        "Mileage",
        i.miles_per_visit * i.rate_per_mile * visits,
        f"{_n(i.miles_per_visit)} miles × {_money(i.rate_per_mile)} {per_visit}",
    )
    hours = f"÷ {_n(i.contact_hours_per_year)} contact hours a year"
    out.add(
        "Office and management staff",
        i.office_staff_per_year / i.contact_hours_per_year,
        f"{_money(i.office_staff_per_year)} a year {hours}",
    )
    for label, per_year in i.running_costs_per_year:
        out.add(label, per_year / i.contact_hours_per_year, f"{_money(per_year)} a year {hours}")
    costs = sum(out.exact, D(0))
    out.add("Surplus", i.surplus_rate * costs, f"{_pct(i.surplus_rate)} × {_money(costs)} costs")
    return out.breakdown()


# Care homes -------------------------------------------------------------------------------------------------


def care_home_fee(inputs: CareHomeInputs, assumptions: Assumptions) -> CareHomeBreakdown:
    """The weekly fee for one resident in each of the four categories."""
    i = inputs
    for who, pay in (
        ("Care worker", i.care_worker_pay),
        ("Nurse", i.nurse_pay),
        ("Support staff", i.support_staff_pay),
        ("Management", i.management_pay),
    ):
        _check_pay(who, pay, assumptions)
    if i.hours_per_week <= 0 or i.working_days_per_week <= 0:
        raise CostInputError("Hours a week and working days a week must be more than 0.")
    return CareHomeBreakdown({c: _care_home_lines(i, assumptions, c) for c in Category})


def _care_home_lines(i: CareHomeInputs, a: Assumptions, category: Category) -> Breakdown:
    grades = [  # (label, who, pay, hours per resident week)
        ("Care workers' pay", "care workers", i.care_worker_pay, i.care_hours[category]),
        ("Nurses' pay", "nurses", i.nurse_pay, i.nursing_hours[category]),
        ("Support staff pay", "support staff", i.support_staff_pay, i.support_staff_hours),
        ("Management and administration pay", "management", i.management_pay, i.management_hours),
    ]
    out = _Lines()
    workers, basic, sick = [], [], []
    for label, _, pay, hours in grades:
        worker = _Worker(
            pay, i.hours_per_week, i.sick_days_per_year, i.sickness_spells_per_year, i.working_days_per_week, a
        )
        workers.append(worker)
        basic.append(out.add(label, pay * hours, f"{_n(hours)} hours × {_money(pay)}"))
    holiday_share = workers[0].holiday_share
    weeks = f"{_n(a.holiday_weeks)} weeks ÷ {_n(WEEKS - a.holiday_weeks)} weeks worked"
    out.add("Holiday pay", holiday_share * sum(basic, D(0)), f"{weeks} × {_money(sum(basic, D(0)))} pay")
    for (_, _, _, hours), worker in zip(grades, workers, strict=True):
        sick.append(worker.ssp_per_worked_hour * hours)
    if len({w.ssp_per_worked_hour for w in workers}) == 1:  # the usual case: one SSP rate for every grade
        sick_words = f"{workers[0].ssp_working()} × {_n(sum(g[3] for g in grades))} hours"
    else:
        sick_words = "; ".join(
            f"{w.ssp_working()} × {_n(g[3])} hours ({g[1]})" for w, g in zip(workers, grades, strict=True)
        )
    out.add("Sick pay (SSP)", sum(sick, D(0)), sick_words)
    all_pay = [b * (1 + holiday_share) for b in basic]  # with holiday pay; SSP replaces pay already counted
    paid = list(zip(workers, all_pay, grades, strict=True))
    ni = [(w.ni_share * p, f"{w.ni_working()} of {_money(p)} ({g[1]})") for w, p, g in paid if p]
    out.add("Employer National Insurance", sum((v for v, _ in ni), D(0)), "; ".join(t for _, t in ni) or "no pay")
    pension = [(w.pension_share * p, f"{w.pension_working()} of {_money(p)} ({g[1]})") for w, p, g in paid if p]
    out.add("Workplace pension", sum((v for v, _ in pension), D(0)), "; ".join(t for _, t in pension) or "no pay")
    for label, per_week in i.non_staff_costs:
        out.add(label, D(per_week), f"{_money(per_week)} a resident a week")
    operating = sum(out.exact, D(0))
    out.add(
        "Return on operations",
        i.return_on_operations * operating,
        f"{_pct(i.return_on_operations)} × {_money(operating)} staff and non-staff costs",
    )
    out.add(
        "Return on capital",
        i.property_value_per_bed * i.return_on_capital / WEEKS / i.occupancy,
        f"{_money(i.property_value_per_bed)} a bed × {_pct(i.return_on_capital)} ÷ 52 weeks ÷ "
        f"{_pct(i.occupancy)} occupancy",
    )
    return out.breakdown()
