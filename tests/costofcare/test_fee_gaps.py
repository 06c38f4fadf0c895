"""Fee gaps: the council's rates against the calculated minimum on the same date and the Homecare Association's
price, the gap a year at the council's volume, the uplift each new National Living Wage needs, the council's rates
(kept by council administrators, audited), and who may see and change them."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.costofcare import calculators
from carenetwork.costofcare.calculators import ASSUMPTIONS_2025_26, ASSUMPTIONS_2026_27, CareHomeInputs, Category
from carenetwork.costofcare.demo_rates import council_rates_seed
from carenetwork.costofcare.fee_gaps import (
    compare,
    fee_gaps_for,
    in_force_on,
    minimum_price,
    rates_below_count,
    wage_changes,
)
from carenetwork.costofcare.models import AssumptionSet, CouncilRate
from carenetwork.costofcare.rates import council_rate_save
from carenetwork.costofcare.services import SET_FIELDS, assumption_set_create
from tests.costofcare.helpers import seed_sets

pytestmark = pytest.mark.django_db
T = CouncilRate.ServiceType
PAGE = reverse("costofcare:fee-gaps")


def rate(service_type=T.HOME_CARE, day=date(2026, 4, 1), amount="28.40", volume=18000, source="council"):
    return CouncilRate(
        service_type=service_type, effective_from=day, rate=D(amount), weekly_volume=D(volume), source=source
    )


def on(day: date) -> dict:
    return {"on_0": day.day, "on_1": day.month, "on_2": day.year}


def set_2040(admin=None, wage="15.00", **blank):
    """A set from 1 April 2040 with a higher wage (the 2026/27 figures otherwise): far enough ahead to stay future."""
    latest = AssumptionSet.objects.get(effective_from=date(2026, 4, 1))
    data = {name: getattr(latest, name) for name in SET_FIELDS}
    data.update(effective_from=date(2040, 4, 1), label="2040/41", national_living_wage=D(wage), **blank)
    return assumption_set_create(actor=admin, data=data)


# The rules -------------------------------------------------------------------------------------------------


def test_the_home_care_minimum_is_the_calculator_at_the_national_living_wage():
    expected = calculators.home_care_rate(
        replace(calculators.HomeCareInputs(), pay_per_hour=D("12.21")), ASSUMPTIONS_2025_26
    )
    assert minimum_price(T.HOME_CARE, ASSUMPTIONS_2025_26) == expected.price_per_contact_hour == D("29.11")
    assert minimum_price(T.HOME_CARE, ASSUMPTIONS_2026_27) == D("30.14")


def test_a_care_home_minimum_is_its_category_weekly_fee_with_care_and_support_staff_at_the_wage():
    wage = ASSUMPTIONS_2026_27.national_living_wage
    fee = calculators.care_home_fee(
        replace(CareHomeInputs(), care_worker_pay=wage, support_staff_pay=wage), ASSUMPTIONS_2026_27
    )
    for category in Category:
        assert minimum_price(category.value, ASSUMPTIONS_2026_27) == fee.weekly_fee[category]
    assert minimum_price(T.NURSING, ASSUMPTIONS_2026_27) == D("1041.03")


def test_no_grade_is_paid_below_a_wage_that_overtakes_its_default_pay():
    high = replace(ASSUMPTIONS_2026_27, national_living_wage=D("25.00"))  # above the default nurse pay of £23.50
    assert minimum_price(T.NURSING, high) > minimum_price(T.NURSING, ASSUMPTIONS_2026_27)


def test_the_rate_in_force_is_the_latest_from_on_or_before_the_day_for_each_service_and_kind():
    old, new = rate(day=date(2025, 4, 1)), rate(day=date(2026, 4, 1))
    tendered = rate(day=date(2025, 9, 1), source="tendered")
    care_home = rate(T.RESIDENTIAL, date(2025, 4, 1), "750")
    rates = [new, care_home, old, tendered]
    assert in_force_on(rates, date(2026, 3, 31)) == [old, tendered, care_home]
    assert in_force_on(rates, date(2026, 4, 1)) == [new, tendered, care_home]
    assert in_force_on(rates, date(2025, 3, 31)) == []


def test_a_rate_below_the_minimum_has_a_gap_an_hour_and_a_year_at_the_volume():
    seed_sets()
    sets = list(AssumptionSet.objects.all())
    [gap] = compare([rate()], sets, date(2026, 6, 1)).gaps
    assert gap.minimum == D("30.14") and gap.below
    assert gap.gap == D("1.74")  # 30.14 − 28.40
    assert gap.gap_per_year == D("1628640.00")  # 1.74 × 18,000 hours a week × 52 weeks
    assert gap.uplift_percent == D("6.2")  # 1.74 ÷ 28.40 = 6.13%, rounded up: 28.40 × 1.062 = 30.16 ≥ 30.14
    assert gap.homecare_association_price is None  # 2026/27's is not yet published
    [gap_2025] = compare([rate(day=date(2025, 4, 1), amount="27.20")], sets, date(2025, 6, 1)).gaps
    assert gap_2025.minimum == D("29.11") and gap_2025.gap == D("1.91")
    assert gap_2025.below_homecare_association_price and gap_2025.homecare_association_gap == D("4.94")  # 32.14


def test_a_rate_at_or_above_the_minimum_has_no_gap():
    seed_sets()
    sets = list(AssumptionSet.objects.all())
    for amount in ("30.14", "35.00"):
        [gap] = compare([rate(amount=amount)], sets, date(2026, 6, 1)).gaps
        assert not gap.below and gap.gap == 0 and gap.gap_per_year == 0


def test_a_care_home_rate_has_no_homecare_association_price():
    seed_sets()
    [gap] = compare(
        [rate(T.RESIDENTIAL, date(2025, 4, 1), "700", 500)], list(AssumptionSet.objects.all()), date(2025, 6, 1)
    ).gaps
    assert gap.minimum == D("745.42") and gap.gap == D("45.42") and gap.homecare_association_price is None
    assert gap.gap_per_year == D("1180920.00")  # 45.42 × 500 placements × 52


def test_without_the_figures_in_force_the_minimum_is_not_known():
    seed_sets()
    AssumptionSet.objects.filter(effective_from=date(2026, 4, 1)).update(national_living_wage=None)
    [gap] = compare([rate()], list(AssumptionSet.objects.all()), date(2026, 6, 1)).gaps
    assert gap.minimum is None and not gap.below and "National Living Wage" in gap.problem
    [early] = compare([rate(day=date(2020, 1, 1))], list(AssumptionSet.objects.all()), date(2020, 6, 1)).gaps
    assert early.minimum is None and early.problem


def test_figures_the_calculators_cannot_use_make_the_minimum_not_known_not_an_error(client, council_officer):
    seed_sets()
    council_rates_seed()
    AssumptionSet.objects.filter(effective_from=date(2026, 4, 1)).update(holiday_weeks=D("52"))
    gaps = compare(list(CouncilRate.objects.all()), list(AssumptionSet.objects.all()), date(2026, 6, 1)).gaps
    assert gaps and all(g.minimum is None and not g.below and "cannot give a minimum" in g.problem for g in gaps)
    client.force_login(council_officer)
    assert client.get(PAGE, on(date(2026, 6, 1))).status_code == 200


def test_the_uplifts_are_listed_from_the_wage_in_force_today_and_for_every_later_wage():
    seed_sets()
    sets = list(AssumptionSet.objects.all())
    assert [s.label for s in wage_changes(sets, date(2026, 12, 4))] == ["2026/27"]
    assert [s.label for s in wage_changes(sets, date(2026, 3, 1))] == ["2025/26", "2026/27"]
    set_2040()
    same_wage = replace_wage_set(date(2041, 4, 1), "15.00")  # no new wage: not a change
    sets = list(AssumptionSet.objects.all())
    assert same_wage in sets
    assert [s.label for s in wage_changes(sets, date(2026, 12, 4))] == ["2026/27", "2040/41"]


def replace_wage_set(day, wage):
    latest = AssumptionSet.objects.get(effective_from=date(2040, 4, 1))
    latest.pk, latest.effective_from, latest.label, latest.national_living_wage = None, day, "2041/42", D(wage)
    latest.save()
    return latest


# The pages -------------------------------------------------------------------------------------------------


def test_the_council_sees_the_demo_rates_with_home_care_below_the_minimum(client, council_officer):
    seed_sets()
    council_rates_seed()
    client.force_login(council_officer)
    page = client.get(PAGE, on(date(2026, 6, 1))).content.decode()
    assert "1 rate is below the cost of care minimum: £1,628,640.00 a year at the council's volume." in page
    assert "Rates in force on 1 June 2026" in page
    assert page.count("Below the minimum") == 1 and page.count("At or above") == 4
    assert "£30.14" in page and "Not yet published" in page
    assert "Uplift needed from 1 April 2026" in page
    assert "Add a rate" not in page  # council officers see, administrators change


def test_the_2025_26_comparison_shows_the_homecare_association_price(client, council_officer):
    seed_sets()
    council_rates_seed()
    client.force_login(council_officer)
    page = client.get(PAGE, on(date(2025, 6, 1))).content.decode()
    assert "Rates in force on 1 June 2025" in page
    assert "£32.14" in page and "£4.94 below it" in page


def test_a_new_national_living_wage_lists_the_uplift_each_rate_needs_from_its_date(client, council_admin):
    seed_sets()
    council_rates_seed()
    set_2040(council_admin, wage="13.40")
    client.force_login(council_admin)
    report = fee_gaps_for(user=council_admin, on=date(2026, 6, 1), today=date(2026, 12, 4))
    uplift = report.uplifts[-1]
    assert uplift.assumption_set.label == "2040/41"
    assert [g.rate.service_type for g in uplift.below] == list(T.values)  # 13.40 puts every demo rate below
    residential = next(g for g in uplift.below if g.rate.service_type == T.RESIDENTIAL)
    assert residential.minimum == D("789.22") and residential.gap == D("4.22")  # 789.22 − 785.00
    page = client.get(PAGE).content.decode()
    assert "Uplift needed from 1 April 2040" in page
    assert "The National Living Wage is £13.40 an hour from this date" in page
    assert "5 rates in force on that date need an uplift" in page


def test_a_new_wage_entered_before_its_other_figures_says_the_uplift_is_not_known(client, council_officer):
    seed_sets()
    council_rates_seed()
    set_2040(wage="20.00", ssp_weekly_rate=None)  # the wage is announced; Statutory Sick Pay is not yet
    client.force_login(council_officer)
    page = client.get(PAGE).content.decode()
    uplift = page[page.index("Uplift needed from 1 April 2040") :]
    assert "The minimum cannot be worked out from this date yet, so the uplift is not known." in uplift
    assert "Statutory Sick Pay (£ a week)" in uplift
    assert "at or above the minimum" not in uplift and "need an uplift" not in uplift
    # Compared on a day in that year, nothing is called at or above the minimum either.
    page = client.get(PAGE, on(date(2040, 6, 1))).content.decode()
    assert "The minimum cannot be worked out for this date, so the rates are not compared." in page
    assert "at or above the cost of care minimum" not in page and "Below the minimum" not in page
    assert page.count("Not known") >= 5 * 3  # minimum, gap and gap a year for each of the five rates


def test_before_any_assumptions_the_rates_are_not_compared(client, council_officer):
    seed_sets()
    council_rate_save(
        actor=None,
        data={"service_type": T.HOME_CARE, "effective_from": date(2020, 4, 1), "rate": D(20), "weekly_volume": D(100)},
    )
    client.force_login(council_officer)
    page = client.get(PAGE, on(date(2020, 6, 1))).content.decode()
    assert "No assumptions are in force on this date" in page and "Below the minimum" not in page


def test_the_rate_list_reads_a_fixed_number_of_queries(client, council_admin):
    council_rates_seed()
    client.force_login(council_admin)
    url = reverse("costofcare:rate-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert page.count("Change<span") == 10
    for year in range(2030, 2040):
        council_rate_save(
            actor=None,
            data={
                "service_type": T.NURSING,
                "effective_from": date(year, 1, 1),
                "rate": D(2000),
                "weekly_volume": D(1),
            },
        )
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).content.decode().count("Change<span") == 20
    assert len(more) == len(few)


def test_an_invalid_compare_date_is_an_error_and_today_is_shown(client, council_officer):
    seed_sets()
    client.force_login(council_officer)
    page = client.get(PAGE, {"on_0": "31", "on_1": "2", "on_2": "2026"}).content.decode()
    assert "Enter a real date" in page and "There is a problem" in page


def test_the_fee_gap_page_reads_a_fixed_number_of_queries(client, council_officer):
    seed_sets()
    council_rates_seed()
    client.force_login(council_officer)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    set_2040()
    council_rate_save(
        actor=None,
        data={"service_type": T.NURSING, "effective_from": date(2030, 1, 1), "rate": D(2000), "weekly_volume": D(1)},
    )
    with CaptureQueriesContext(connection) as more:
        client.get(PAGE)
    assert len(more) == len(few) <= 12


def test_a_council_administrator_adds_a_rate_and_it_is_audited(client, council_admin):
    client.force_login(council_admin)
    data = {
        "service_type": T.HOME_CARE,
        "source": "council",
        "effective_from_0": "1",
        "effective_from_1": "10",
        "effective_from_2": "2026",
        "rate": "£29.10",
        "weekly_volume": "18000",
        "note": "Mid-year uplift",
    }
    response = client.post(reverse("costofcare:rate-new"), data)
    assert response.status_code == 302
    saved = CouncilRate.objects.get()
    assert saved.rate == D("29.10") and saved.effective_from == date(2026, 10, 1) and saved.created_by == council_admin
    assert AuditEvent.objects.filter(action="council_rate.created", object_id=str(saved.pk)).exists()
    # The same service and date again: an error on the date, nothing saved.
    page = client.post(reverse("costofcare:rate-new"), data).content.decode()
    assert "There is already a rate for this service from this date" in page
    assert CouncilRate.objects.count() == 1
    # Correcting it is audited with the change.
    data["rate"] = "29.20"
    client.post(reverse("costofcare:rate-edit", args=[saved.pk]), data)
    event = AuditEvent.objects.get(action="council_rate.updated")
    assert event.changes == {"rate": ["29.10", "29.20"]}
    saved.refresh_from_db()
    assert saved.rate == D("29.20")


def test_the_rate_form_explains_each_mistake(client, council_admin):
    client.force_login(council_admin)
    page = client.post(reverse("costofcare:rate-new"), {"rate": "abc", "weekly_volume": "-1"}).content.decode()
    for message in (
        "Select the type of service",
        "Enter the date",
        "Enter an amount in pounds, like 75 or 75.50",
        "The volume cannot be less than 0",
    ):
        assert message in page
    assert not CouncilRate.objects.exists()


@pytest.mark.parametrize("who", ["council_officer", "provider_admin", "provider_member"])
def test_only_council_administrators_add_or_change_rates(client, who, request):
    council_rates_seed()
    client.force_login(request.getfixturevalue(who))
    existing = CouncilRate.objects.first()
    assert client.get(reverse("costofcare:rate-new")).status_code == 403
    assert client.post(reverse("costofcare:rate-edit", args=[existing.pk]), {"rate": "1"}).status_code == 403
    assert CouncilRate.objects.get(pk=existing.pk).rate == existing.rate


@pytest.mark.parametrize("who", ["provider_admin", "provider_member"])
def test_providers_do_not_see_the_council_rates_or_fee_gaps(client, who, request):
    council_rates_seed()
    client.force_login(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("costofcare:rate-list")).status_code == 403


def test_the_council_home_page_says_how_many_rates_are_below(client, council_officer, provider_admin):
    seed_sets()
    council_rates_seed()
    client.force_login(council_officer)
    page = client.get("/").content.decode()
    assert "1 council rate below the cost of care minimum" in page
    client.force_login(provider_admin)
    assert "below the cost of care minimum" not in client.get("/").content.decode()


def test_the_demo_rates_cover_every_service_with_one_below_the_minimum_once():
    seed_sets()
    council_rates_seed()
    council_rates_seed()
    assert CouncilRate.objects.count() == 10  # five services, from April 2025 and April 2026
    assert rates_below_count(date(2026, 12, 4)) == 1
    [below] = compare(list(CouncilRate.objects.all()), list(AssumptionSet.objects.all()), date(2026, 12, 4)).below
    assert below.rate.service_type == T.HOME_CARE
