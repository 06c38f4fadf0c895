"""The fair cost of care calculators, checked line by line on worked examples and by property.

The worked examples use round figures so that each line can be redone with a calculator: the arithmetic is in the
comment beside each expected amount. Two shorthands: holiday share h = 5.6 ÷ (52 − 5.6) = 5.6 ÷ 46.4 = 0.12069,
and P = paid careworker hours for each contact hour = 1 + (travel + waiting minutes) ÷ 60 × visits an hour.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from carenetwork.costofcare.calculators import (
    ASSUMPTIONS_2025_26,
    ASSUMPTIONS_2026_27,
    BelowNationalLivingWage,
    CareHomeInputs,
    Category,
    CostInputError,
    HomeCareInputs,
    assumptions_on,
    care_home_fee,
    home_care_rate,
)

# Worked example 1: April 2026, a full-time careworker at the National Living Wage, every visit 30 minutes --------

EXAMPLE_1 = HomeCareInputs(
    pay_per_hour=D("12.71"),
    hours_per_week=D("37.5"),  # annual pay 12.71 × 37.5 × 52 = £24,784.50; worked 37.5 × 46.4 = 1,740 hours a year
    travel_minutes_per_visit=D(10),
    waiting_minutes_per_visit=D(5),
    miles_per_visit=D(4),
    rate_per_mile=D("0.45"),
    visit_mix=((30, D(1)),),  # 2 visits an hour, so P = 1 + 15 ÷ 60 × 2 = 1.5
    sick_days_per_year=D(6),
    sickness_spells_per_year=D(2),
    working_days_per_week=D(5),
    training_hours_per_year=D("34.8"),  # 34.8 ÷ 1,740 = 0.02 of worked time
    supervision_hours_per_year=D("17.4"),  # 17.4 ÷ 1,740 = 0.01
    contact_hours_per_year=D(50_000),
    office_staff_per_year=D(150_000),
    running_costs_per_year=(("Premises", D(25_000)), ("Insurance", D(10_000)), ("PPE", D(15_000))),
    surplus_rate=D("0.03"),
)


def test_worked_example_1_line_by_line():
    result = home_care_rate(EXAMPLE_1, ASSUMPTIONS_2026_27)
    line = result.blended.amount
    assert [x.label for x in result.blended.lines] == [
        "Careworker pay for contact time",
        "Paid travel time",
        "Paid waiting time",
        "Training time",
        "Supervision",
        "Holiday pay",
        "Sick pay (SSP)",
        "Employer National Insurance",
        "Workplace pension",
        "Mileage",
        "Office and management staff",
        "Premises",
        "Insurance",
        "PPE",
        "Surplus",
    ]
    assert line("Careworker pay for contact time") == D("12.71")  # 12.71 × 1
    assert line("Paid travel time") == D("4.24")  # 12.71 × 10 ÷ 60 × 2 = 4.23667
    assert line("Paid waiting time") == D("2.12")  # 12.71 × 5 ÷ 60 × 2 = 2.11833
    assert line("Training time") == D("0.38")  # 12.71 × 0.02 × 1.5 = 0.3813
    assert line("Supervision") == D("0.19")  # 12.71 × 0.01 × 1.5 = 0.19065
    # pay so far = 12.71 × (1 + 1/3 + 1/6 + 0.03 + 0.015) = 12.71 × 1.545 = 19.63695
    assert line("Holiday pay") == D("2.37")  # 19.63695 × 5.6 ÷ 46.4 = 2.36998
    # SSP from day one: 6 days × 123.25 ÷ 5 = £147.90 a year ÷ 1,740 hours = 0.085 an hour × P 1.5 = 0.1275
    assert line("Sick pay (SSP)") == D("0.13")
    # pay with holiday = 19.63695 + 2.36998 = 22.00693
    # NI share 0.15 × (24,784.50 − 5,000) ÷ 24,784.50 = 0.119739; 0.119739 × 22.00693 = 2.63509
    assert line("Employer National Insurance") == D("2.64")
    # pension share 0.03 × (24,784.50 − 6,240) ÷ 24,784.50 = 0.022447; 0.022447 × 22.00693 = 0.49399
    assert line("Workplace pension") == D("0.49")
    assert line("Mileage") == D("3.60")  # 4 miles × 0.45 × 2 visits
    assert line("Office and management staff") == D("3.00")  # 150,000 ÷ 50,000
    assert line("Premises") == D("0.50")  # 25,000 ÷ 50,000
    assert line("Insurance") == D("0.20")  # 10,000 ÷ 50,000
    assert line("PPE") == D("0.30")  # 15,000 ÷ 50,000
    # costs unrounded = 19.63695 + 2.36998 + 0.1275 + 2.63509 + 0.49399 + 3.60 + 3 + 0.5 + 0.2 + 0.3 = 32.86350
    assert line("Surplus") == D("0.99")  # 0.03 × 32.86350 = 0.98591
    # 12.71 + 4.24 + 2.12 + 0.38 + 0.19 + 2.37 + 0.13 + 2.64 + 0.49 + 3.60 + 3.00 + 0.50 + 0.20 + 0.30 + 0.99
    assert result.price_per_contact_hour == D("33.86")
    assert result.average_visit_minutes == 30
    # every visit is 30 minutes, so the 30-minute price is the blended one
    assert [x.amount for x in result.by_visit_length[30].lines] == [x.amount for x in result.blended.lines]
    assert result.homecare_association_price is None  # not yet published for 2026/27
    assert result.below_homecare_association_price is None


def test_worked_example_1_shows_its_working():
    lines = {x.label: x.working for x in home_care_rate(EXAMPLE_1, ASSUMPTIONS_2026_27).blended.lines}
    assert lines["Paid travel time"] == "£12.71 × 10 min ÷ 60 × 2 visits an hour (average visit 30 min) = £4.24"
    assert lines["Holiday pay"] == "5.6 weeks ÷ 46.4 weeks worked × £19.64 pay = £2.37"
    assert lines["Employer National Insurance"] == (
        "15% × (£24,784.50 − £5,000) ÷ £24,784.50 = 11.97% of £22.01 = £2.64"
    )
    assert lines["Workplace pension"] == "3% × (£24,784.50 − £6,240) ÷ £24,784.50 = 2.24% of £22.01 = £0.49"
    assert "6 paid sick days (from day one) × £123.25 a week ÷ 5 days ÷ 1,740 hours" in lines["Sick pay (SSP)"]
    assert lines["Office and management staff"] == "£150,000 a year ÷ 50,000 contact hours a year = £3.00"


# Worked example 2: April 2025, a part-time careworker, a mix of visit lengths, SSP after waiting days ----------

EXAMPLE_2 = HomeCareInputs(
    pay_per_hour=D("12.60"),
    hours_per_week=D(20),  # annual pay 12.60 × 20 × 52 = £13,104; worked 20 × 46.4 = 928 hours a year
    travel_minutes_per_visit=D(12),
    waiting_minutes_per_visit=D(0),
    miles_per_visit=D(2),
    rate_per_mile=D("0.30"),
    # one 15-minute, two 30-minute and one 60-minute visit: average (15 + 60 + 60) ÷ 4 = 33.75 minutes,
    # so 60 ÷ 33.75 = 16/9 = 1.7778 visits an hour and P = 1 + 12 ÷ 60 × 16/9 = 61/45 = 1.35556
    visit_mix=((15, D(1)), (30, D(2)), (60, D(1))),
    sick_days_per_year=D(10),
    sickness_spells_per_year=D(2),  # before April 2026: 10 − 3 × 2 = 4 paid days
    working_days_per_week=D(5),
    training_hours_per_year=D("18.56"),  # 18.56 ÷ 928 = 0.02
    supervision_hours_per_year=D("9.28"),  # 9.28 ÷ 928 = 0.01
    contact_hours_per_year=D(26_000),
    office_staff_per_year=D(65_000),
    running_costs_per_year=(("Premises", D(13_000)), ("Regulator fees", D(2_600))),
    surplus_rate=D("0.05"),
)


def test_worked_example_2_line_by_line():
    result = home_care_rate(EXAMPLE_2, ASSUMPTIONS_2025_26)
    line = result.blended.amount
    assert line("Careworker pay for contact time") == D("12.60")
    assert line("Paid travel time") == D("4.48")  # 12.60 × 12 ÷ 60 × 16/9 = 40.32 ÷ 9 = 4.48 exactly
    assert line("Paid waiting time") == D("0.00")
    assert line("Training time") == D("0.34")  # 12.60 × 0.02 × 61/45 = 0.34160
    assert line("Supervision") == D("0.17")  # 12.60 × 0.01 × 61/45 = 0.17080
    # pay so far = 12.60 + 4.48 + 0.34160 + 0.17080 = 17.5924
    assert line("Holiday pay") == D("2.12")  # 17.5924 × 5.6 ÷ 46.4 = 2.12322
    # weekly pay 12.60 × 20 = £252 ≥ £125 lower earnings limit; 4 days × 118.75 ÷ 5 = £95 a year ÷ 928 hours
    # = 0.10237 an hour × 61/45 = 0.13877
    assert line("Sick pay (SSP)") == D("0.14")
    # pay with holiday = 17.5924 + 2.12322 = 19.71562
    # NI share 0.15 × (13,104 − 5,000) ÷ 13,104 = 0.092766; × 19.71562 = 1.82893
    assert line("Employer National Insurance") == D("1.83")
    # pension share 0.03 × (13,104 − 6,240) ÷ 13,104 = 0.015714; × 19.71562 = 0.30982
    assert line("Workplace pension") == D("0.31")
    assert line("Mileage") == D("1.07")  # 2 × 0.30 × 16/9 = 1.06667
    assert line("Office and management staff") == D("2.50")  # 65,000 ÷ 26,000
    assert line("Premises") == D("0.50")  # 13,000 ÷ 26,000
    assert line("Regulator fees") == D("0.10")  # 2,600 ÷ 26,000
    # costs unrounded = 17.5924 + 2.12322 + 0.13877 + 1.82893 + 0.30982 + 1.06667 + 2.5 + 0.5 + 0.1 = 26.15980
    assert line("Surplus") == D("1.31")  # 0.05 × 26.15980 = 1.30799
    # 12.60 + 4.48 + 0.00 + 0.34 + 0.17 + 2.12 + 0.14 + 1.83 + 0.31 + 1.07 + 2.50 + 0.50 + 0.10 + 1.31
    assert result.price_per_contact_hour == D("27.47")
    assert result.below_homecare_association_price is True  # £27.47 < £32.14 for 2025/26


def test_worked_example_2_by_visit_length():
    result = home_care_rate(EXAMPLE_2, ASSUMPTIONS_2025_26)
    fifteen = result.by_visit_length[15].amount
    # 15-minute visits: 4 visits an hour, P = 1 + 12 ÷ 60 × 4 = 1.8
    assert fifteen("Paid travel time") == D("10.08")  # 12.60 × 0.2 × 4
    assert fifteen("Training time") == D("0.45")  # 12.60 × 0.02 × 1.8 = 0.4536
    assert fifteen("Holiday pay") == D("2.82")  # (12.60 + 10.08 + 0.4536 + 0.2268) × 5.6 ÷ 46.4 = 2.81936
    assert fifteen("Sick pay (SSP)") == D("0.18")  # 95 ÷ 928 × 1.8 = 0.18427
    assert fifteen("Employer National Insurance") == D("2.43")  # 0.092766 × (23.3604 + 2.81936) = 2.42858
    assert fifteen("Mileage") == D("2.40")  # 2 × 0.30 × 4
    # 60-minute visits: 1 visit an hour, P = 1.2
    sixty = result.by_visit_length[60].amount
    assert sixty("Paid travel time") == D("2.52")  # 12.60 × 0.2
    assert sixty("Mileage") == D("0.60")
    assert result.price_by_visit_length == {15: D("36.44"), 30: D("28.36"), 45: D("25.67"), 60: D("24.32")}


# Worked example: a care home in April 2026, 80% full ---------------------------------------------------------

CARE_HOME = CareHomeInputs(
    care_worker_pay=D("13.00"),  # annual 13 × 40 × 52 = £27,040
    nurse_pay=D("25.00"),  # annual £52,000: above the pension band's £50,270
    support_staff_pay=D("12.71"),  # annual £26,436.80
    management_pay=D("20.00"),  # annual £41,600
    hours_per_week=D(40),  # worked 40 × 46.4 = 1,856 hours a year
    care_hours={
        Category.RESIDENTIAL: D(20),
        Category.RESIDENTIAL_ENHANCED: D(24),
        Category.NURSING: D(18),
        Category.NURSING_ENHANCED: D(22),
    },
    nursing_hours={
        Category.RESIDENTIAL: D(0),
        Category.RESIDENTIAL_ENHANCED: D(0),
        Category.NURSING: D(8),
        Category.NURSING_ENHANCED: D(10),
    },
    support_staff_hours=D(10),
    management_hours=D(2),
    sick_days_per_year=D(4),  # 4 × 123.25 ÷ 5 = £98.60 a year ÷ 1,856 hours = £0.053125 an hour
    sickness_spells_per_year=D(1),
    working_days_per_week=D(5),
    non_staff_costs=(("Food", D(40)), ("Utilities", D(30)), ("Insurance", D(10))),
    return_on_operations=D("0.05"),
    property_value_per_bed=D(104_000),
    return_on_capital=D("0.06"),
    occupancy=D("0.80"),
)


def test_care_home_nursing_line_by_line():
    fee = care_home_fee(CARE_HOME, ASSUMPTIONS_2026_27)
    line = fee.by_category[Category.NURSING].amount
    assert line("Care workers' pay") == D("234.00")  # 18 × 13.00
    assert line("Nurses' pay") == D("200.00")  # 8 × 25.00
    assert line("Support staff pay") == D("127.10")  # 10 × 12.71
    assert line("Management and administration pay") == D("40.00")  # 2 × 20.00
    assert line("Holiday pay") == D("72.55")  # 601.10 × 5.6 ÷ 46.4 = 72.54655
    assert line("Sick pay (SSP)") == D("2.02")  # 0.053125 × (18 + 8 + 10 + 2) = 2.01875
    # each grade's pay with holiday × its NI share 0.15 × (annual − 5,000) ÷ annual:
    # care 234 × 1.12069 = 262.24138 × 0.15 × 22,040 ÷ 27,040 = 32.06250
    # nurses 224.13793 × 0.15 × 47,000 ÷ 52,000 = 30.38793
    # support 142.43966 × 0.15 × 21,436.80 ÷ 26,436.80 = 17.32500
    # management 44.82759 × 0.15 × 36,600 ÷ 41,600 = 5.91595;  total 85.69138
    assert line("Employer National Insurance") == D("85.69")
    # pension 0.03 × (annual held to 6,240–50,270 − 6,240) ÷ annual:
    # care 262.24138 × 0.03 × 20,800 ÷ 27,040 = 6.05172; nurses 224.13793 × 0.03 × 44,030 ÷ 52,000 = 5.69353
    # support 142.43966 × 0.03 × 20,196.80 ÷ 26,436.80 = 3.26457; management 44.82759 × 0.03 × 35,360 ÷ 41,600
    # = 1.14310;  total 16.15293
    assert line("Workplace pension") == D("16.15")
    assert line("Food") == D("40.00")
    assert line("Utilities") == D("30.00")
    assert line("Insurance") == D("10.00")
    # operating unrounded = 601.10 + 72.54655 + 2.01875 + 85.69138 + 16.15293 + 80 = 857.50961
    assert line("Return on operations") == D("42.88")  # 0.05 × 857.50961 = 42.87548
    assert line("Return on capital") == D("150.00")  # 104,000 × 0.06 ÷ 52 ÷ 0.80 = 120 ÷ 0.8
    # 234 + 200 + 127.10 + 40 + 72.55 + 2.02 + 85.69 + 16.15 + 40 + 30 + 10 + 42.88 + 150
    assert fee.weekly_fee[Category.NURSING] == D("1050.39")


def test_care_home_residential_fee():
    fee = care_home_fee(CARE_HOME, ASSUMPTIONS_2026_27)
    line = fee.by_category[Category.RESIDENTIAL].amount
    assert line("Care workers' pay") == D("260.00")  # 20 × 13
    assert line("Nurses' pay") == D("0.00")
    assert line("Holiday pay") == D("51.55")  # 427.10 × 5.6 ÷ 46.4 = 51.54655
    assert line("Sick pay (SSP)") == D("1.70")  # 0.053125 × 32 hours
    assert line("Employer National Insurance") == D("58.87")  # 35.625 + 17.325 + 5.91595 = 58.86595
    assert line("Workplace pension") == D("11.13")  # 6.72414 + 3.26457 + 1.14310 = 11.13181
    assert line("Return on operations") == D("31.52")  # 0.05 × 630.34431
    assert fee.weekly_fee[Category.RESIDENTIAL] == D("811.87")
    fees = fee.weekly_fee
    assert fees[Category.RESIDENTIAL] < fees[Category.RESIDENTIAL_ENHANCED] < fees[Category.NURSING_ENHANCED]
    assert fees[Category.NURSING] < fees[Category.NURSING_ENHANCED]


# Assumptions and refusals ------------------------------------------------------------------------------------


def test_assumptions_in_force_on_a_date():
    assert assumptions_on(date(2025, 4, 1)) is ASSUMPTIONS_2025_26
    assert assumptions_on(date(2026, 3, 31)).national_living_wage == D("12.21")
    assert assumptions_on(date(2026, 4, 1)).national_living_wage == D("12.71")
    assert assumptions_on(date(2030, 1, 1)) is ASSUMPTIONS_2026_27
    assert ASSUMPTIONS_2025_26.homecare_association_price == D("32.14")
    with pytest.raises(CostInputError):
        assumptions_on(date(2024, 1, 1))


def test_pay_below_the_national_living_wage_is_refused():
    with pytest.raises(BelowNationalLivingWage, match="£12.70 an hour is below the National Living Wage of £12.71"):
        home_care_rate(replace(EXAMPLE_1, pay_per_hour=D("12.70")), ASSUMPTIONS_2026_27)
    home_care_rate(replace(EXAMPLE_1, pay_per_hour=D("12.21")), ASSUMPTIONS_2025_26)  # lawful a year earlier
    with pytest.raises(BelowNationalLivingWage, match="Support staff"):
        care_home_fee(replace(CARE_HOME, support_staff_pay=D("12.21")), ASSUMPTIONS_2026_27)


def test_unusable_figures_are_refused():
    with pytest.raises(CostInputError, match="Decimal"):
        HomeCareInputs(pay_per_hour=12.71)
    with pytest.raises(CostInputError, match="negative"):
        HomeCareInputs(miles_per_visit=D(-1))
    with pytest.raises(CostInputError, match="Occupancy"):
        CareHomeInputs(occupancy=D("1.2"))
    with pytest.raises(CostInputError, match="visit mix"):
        home_care_rate(HomeCareInputs(visit_mix=()), ASSUMPTIONS_2026_27)


def test_ssp_before_april_2026_needs_the_lower_earnings_limit_and_waits_three_days():
    short_hours = replace(EXAMPLE_2, hours_per_week=D(9))  # 12.60 × 9 = £113.40 a week < £125
    assert home_care_rate(short_hours, ASSUMPTIONS_2025_26).blended.amount("Sick pay (SSP)") == D("0.00")
    few_days = replace(EXAMPLE_2, sick_days_per_year=D(5))  # 5 − 3 × 2 < 0: nothing paid
    assert home_care_rate(few_days, ASSUMPTIONS_2025_26).blended.amount("Sick pay (SSP)") == D("0.00")
    # from April 2026 the same 9-hour worker gets SSP from day one, capped at 80% of £114.39 = £91.51 a week
    working = home_care_rate(replace(short_hours, pay_per_hour=D("12.71")), ASSUMPTIONS_2026_27).blended.lines
    assert "10 paid sick days (from day one) × £91.51 a week" in next(x.working for x in working if "SSP" in x.label)


def test_defaults_give_a_price_near_the_homecare_association_minimum():
    result = home_care_rate(HomeCareInputs(), ASSUMPTIONS_2025_26)
    assert D(25) < result.price_per_contact_hour < D(40)
    fees = care_home_fee(CareHomeInputs(), ASSUMPTIONS_2026_27).weekly_fee
    assert set(fees) == set(Category) and all(D(500) < fee < D(2000) for fee in fees.values())


# Properties --------------------------------------------------------------------------------------------------


def money(low, high):
    return st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False)


home_care_inputs = st.builds(
    HomeCareInputs,
    pay_per_hour=money("12.71", "40"),
    hours_per_week=money("1", "60"),
    travel_minutes_per_visit=money("0", "45"),
    waiting_minutes_per_visit=money("0", "20"),
    miles_per_visit=money("0", "30"),
    rate_per_mile=money("0", "1"),
    visit_mix=st.lists(st.tuples(st.sampled_from([15, 20, 30, 45, 60, 90]), money("0.01", "100")), min_size=1).map(
        tuple
    ),
    sick_days_per_year=money("0", "30"),
    sickness_spells_per_year=money("0", "10"),
    training_hours_per_year=money("0", "80"),
    supervision_hours_per_year=money("0", "40"),
    contact_hours_per_year=money("100", "500000"),
    office_staff_per_year=money("0", "1000000"),
    surplus_rate=money("0", "0.3"),
)
assumptions = st.sampled_from([ASSUMPTIONS_2025_26, ASSUMPTIONS_2026_27])
rises = st.sampled_from(
    ["pay_per_hour", "travel_minutes_per_visit", "waiting_minutes_per_visit", "miles_per_visit", "rate_per_mile"]
    + ["training_hours_per_year", "supervision_hours_per_year", "sick_days_per_year", "office_staff_per_year"]
)


@settings(deadline=None)  # each example works several breakdowns; timing varies on shared machines
@given(home_care_inputs, assumptions, rises, money("0.01", "10"))
def test_the_hourly_price_never_falls_when_a_cost_rises(inputs, a, name, rise):
    higher = replace(inputs, **{name: getattr(inputs, name) + rise})
    assert home_care_rate(higher, a).price_per_contact_hour >= home_care_rate(inputs, a).price_per_contact_hour


on_cost_rises = st.sampled_from(["ni_rate", "pension_rate", "ssp_weekly_rate", "holiday_weeks"])


@settings(deadline=None)
@given(home_care_inputs, assumptions, on_cost_rises, st.decimals("0.001", "0.05", places=3))
def test_the_hourly_price_never_falls_when_an_on_cost_rate_rises(inputs, a, name, rise):
    higher = replace(a, **{name: getattr(a, name) + rise})
    assert home_care_rate(inputs, higher).price_per_contact_hour >= home_care_rate(inputs, a).price_per_contact_hour


@settings(deadline=None)
@given(home_care_inputs, assumptions, money("1", "5000"))
def test_the_hourly_price_never_falls_when_the_ni_threshold_falls(inputs, a, fall):
    assume(a.ni_threshold_year >= fall)
    lower = replace(a, ni_threshold_year=a.ni_threshold_year - fall)
    assert home_care_rate(inputs, lower).price_per_contact_hour >= home_care_rate(inputs, a).price_per_contact_hour


@settings(deadline=None)
@given(home_care_inputs, assumptions)
def test_a_shorter_visit_never_costs_less_per_contact_hour(inputs, a):
    result = home_care_rate(inputs, a)
    prices = [result.price_by_visit_length[m] for m in sorted(result.price_by_visit_length)]
    assert prices == sorted(prices, reverse=True)
    # the blended price lies between the longest and the shortest visit's price (to the documented rounding)
    lines = len(result.blended.lines)
    assert prices[-1] - D("0.005") * lines <= result.price_per_contact_hour <= prices[0] + D("0.005") * lines


@settings(deadline=None)
@given(home_care_inputs, assumptions)
def test_every_home_care_breakdown_adds_up(inputs, a):
    result = home_care_rate(inputs, a)
    for breakdown in [result.blended, *result.by_visit_length.values()]:
        assert breakdown.total == sum(line.amount for line in breakdown.lines)
        assert all(line.amount == line.amount.quantize(D("0.01")) for line in breakdown.lines)
        assert abs(breakdown.total - breakdown.unrounded_total) <= D("0.005") * len(breakdown.lines)


care_home_inputs = st.builds(
    CareHomeInputs,
    care_worker_pay=money("12.71", "30"),
    nurse_pay=money("12.71", "60"),
    hours_per_week=money("1", "60"),
    support_staff_hours=money("0", "30"),
    property_value_per_bed=money("0", "300000"),
    occupancy=money("0.01", "1"),
)


@settings(deadline=None)
@given(care_home_inputs, assumptions)
def test_every_care_home_breakdown_adds_up(inputs, a):
    for breakdown in care_home_fee(inputs, a).by_category.values():
        assert breakdown.total == sum(line.amount for line in breakdown.lines)
        assert abs(breakdown.total - breakdown.unrounded_total) <= D("0.005") * len(breakdown.lines)


@settings(deadline=None)
@given(care_home_inputs, assumptions, st.sampled_from(["care_worker_pay", "nurse_pay"]), money("0.01", "5"))
def test_the_weekly_fee_never_falls_when_pay_rises(inputs, a, name, rise):
    higher = replace(inputs, **{name: getattr(inputs, name) + rise})
    before, after = care_home_fee(inputs, a).weekly_fee, care_home_fee(higher, a).weekly_fee
    assert all(after[c] >= before[c] for c in Category)


@settings(deadline=None)
@given(home_care_inputs, money("0.01", "12.70"))
def test_any_pay_below_the_national_living_wage_is_refused(inputs, pay):
    with pytest.raises(BelowNationalLivingWage):
        home_care_rate(replace(inputs, pay_per_hour=pay), ASSUMPTIONS_2026_27)
