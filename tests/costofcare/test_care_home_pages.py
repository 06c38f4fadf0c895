"""The care home weekly fee calculator's pages: the fee of each category line by line with its chart, saving and
submitting a return for a category, the errors, privacy of a provider's calculations, the council's quartiles per
category, and the demo's care home returns."""

import re
from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.html import escape

from carenetwork.costofcare import services
from carenetwork.costofcare.calculators import (
    ASSUMPTIONS_2026_27,
    Breakdown,
    CareHomeInputs,
    Category,
    HomeCareInputs,
    Line,
    care_home_fee,
)
from carenetwork.costofcare.demo import build_costofcare_demo
from carenetwork.costofcare.inputs import care_home_category, care_home_from_json, care_home_to_json
from carenetwork.costofcare.models import CostCalculation
from carenetwork.costofcare.selectors import cost_return_summary_for
from carenetwork.costofcare.templatetags.costofcare_tags import chart_bars
from carenetwork.organisations.models import Organisation
from tests.costofcare.helpers import (
    care_home_form_data,
    seed_sets,
    submitted_care_home_return,
    submitted_return,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("costofcare:care-home")
FEES = care_home_fee(CareHomeInputs(), ASSUMPTIONS_2026_27)


def detail_url(calculation) -> str:
    return reverse("costofcare:calculation-detail", args=[calculation.pk])


def test_the_calculator_shows_each_category_fee_line_by_line_with_a_chart(client, provider_member):
    seed_sets()
    client.force_login(provider_member)
    empty = client.get(URL).content.decode()
    assert "Care home weekly fee" in empty and 'value="12.71"' in empty and 'value="90"' in empty  # the defaults
    page = client.post(URL, care_home_form_data(category=Category.NURSING, action="calculate")).content.decode()
    assert f"£{FEES.weekly_fee[Category.NURSING]:,} a week" in page
    assert "The weekly fee for one resident in nursing care" in page
    for category, fee in FEES.weekly_fee.items():
        assert category.label in page and str(fee) in page
    for category, breakdown in FEES.by_category.items():
        assert f'id="breakdown-{category.value}"' in page and f'id="breakdown-{category.value}-chart"' in page
        for line in breakdown.lines:
            assert escape(line.label) in page and str(line.amount) in page and escape(line.working) in page
    assert "How the nursing fee is made up" in page  # the chosen category's, open
    assert "How the residential fee of £" in page  # the others', behind details
    assert "The table has the same figures" in page and 'aria-hidden="true"' in page
    assert "The 2026/27 assumptions, in force from 1 April 2026" in page
    assert not CostCalculation.objects.exists()  # working it out saves nothing


def test_the_chart_bars_are_each_lines_share_of_the_total():
    breakdown = Breakdown(
        (Line("Pay", D("60.00"), ""), Line("Food", D("39.70"), ""), Line("Fees", D("0.30"), ""), Line("Nil", D(0), "")),
        D(100),
    )
    bars = chart_bars(breakdown)
    assert [(b.label, b.width, b.share) for b in bars] == [
        ("Pay", 60, "60%"),
        ("Food", 40, "40%"),
        ("Fees", 1, "less than 1%"),  # a sliver, so that a line above nothing still shows
        ("Nil", 0, "0%"),
    ]


def test_save_then_submit_a_care_home_return_for_its_category(client, provider, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    response = client.post(URL, care_home_form_data(category=Category.NURSING, nurse_pay="24.00", action="save"))
    calculation = CostCalculation.objects.get()
    assert response["Location"] == detail_url(calculation)
    assert (calculation.kind, calculation.status, calculation.organisation) == ("care_home", "draft", provider)
    assert calculation.inputs["category"] == "nursing" and calculation.inputs["nurse_pay"] == "24.00"
    inputs = care_home_from_json(calculation.inputs)
    assert inputs.nurse_pay == D("24.00") and inputs.care_hours == CareHomeInputs().care_hours
    fee = care_home_fee(inputs, ASSUMPTIONS_2026_27).weekly_fee[Category.NURSING]
    assert calculation.blended_price == fee

    listing = client.get(reverse("costofcare:calculation-list")).content.decode()
    assert "Care home weekly fee as at 1 May 2026" in listing and f"£{fee}</span> a week" in listing
    detail = client.get(detail_url(calculation)).content.decode()
    assert f"£{fee:,} a week" in detail and "Submit as our cost return" in detail
    assert "Your return gives the weekly fee for nursing care" in detail
    assert 'href="/cost-of-care/care-home/?from=' in detail
    client.post(reverse("costofcare:calculation-submit", args=[calculation.pk]))
    calculation.refresh_from_db()
    assert (calculation.status, calculation.blended_price) == ("submitted", fee)
    assert "Submit as our cost return" not in client.get(detail_url(calculation)).content.decode()


def test_a_later_care_home_return_replaces_the_earlier_but_not_the_home_care_one(client, provider, provider_admin):
    seed_sets()
    home_care = submitted_return(provider, D("30.00"), as_at=date(2026, 5, 1))
    first = submitted_care_home_return(provider, D("900.00"), Category.RESIDENTIAL, as_at=date(2026, 5, 1))
    client.force_login(provider_admin)
    client.post(URL, care_home_form_data(category=Category.RESIDENTIAL_ENHANCED, action="save"))
    draft = CostCalculation.objects.get(status="draft")
    client.post(reverse("costofcare:calculation-submit", args=[draft.pk]))
    statuses = {c.pk: c.status for c in CostCalculation.objects.all()}
    assert statuses == {home_care.pk: "submitted", first.pk: "replaced", draft.pk: "submitted"}


def test_a_calculation_prefills_a_new_one_with_its_category(client, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    client.post(URL, care_home_form_data(category=Category.NURSING_ENHANCED, action="save", occupancy_percent="87.5"))
    calculation = CostCalculation.objects.get()
    page = client.get(URL + f"?from={calculation.pk}").content.decode()
    assert 'value="87.5"' in page
    assert re.search(r'value="nursing_enhanced"[^>]*checked', page)
    assert not re.search(r'value="residential"[^>]*checked', page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nurse_pay": "12.00"}, "nurse_pay", "Nurse pay of £12.00 an hour is below the National Living Wage"),
        ({"care_worker_pay": "12.50"}, "care_worker_pay", "below the National Living Wage of £12.71"),
        ({"occupancy_percent": "0"}, "occupancy_percent", "Enter 1 or more"),
        ({"occupancy_percent": "120"}, "occupancy_percent", "Enter 100 or less"),
        ({"care_hours_nursing": ""}, "care_hours_nursing", "Enter the care worker hours for nursing"),
        ({"cost_food": "lots"}, "cost_food", "Enter an amount in pounds, like 75 or 75.50"),
        ({"category": ""}, "category_0", "Select the category your return is for"),
        ({"as_at_2": "2024"}, "as_at_0", "No assumptions are in force"),
    ],
)
def test_bad_figures_are_form_errors_linked_from_the_summary(client, provider_admin, changes, field, message):
    seed_sets()
    client.force_login(provider_admin)
    for action in ("calculate", "save"):
        response = client.post(URL, care_home_form_data(action=action, **changes))
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page and f'href="#id_{field}"' in page and message in page
    assert not CostCalculation.objects.exists()


@pytest.mark.parametrize(
    "role", ["other_admin", "council_officer", "council_admin", "training_admin", "partner_member"]
)
def test_nobody_outside_the_provider_sees_or_submits_its_care_home_calculation(request, client, provider, role):
    seed_sets()
    calculation = submitted_care_home_return(
        provider, D("987.65"), Category.NURSING, status=CostCalculation.Status.DRAFT
    )
    client.force_login(request.getfixturevalue(role))
    assert client.get(detail_url(calculation)).status_code == 404
    assert client.post(reverse("costofcare:calculation-submit", args=[calculation.pk])).status_code == 404
    assert client.get(URL + f"?from={calculation.pk}").status_code in (403, 404)
    listing = client.get(reverse("costofcare:calculation-list"))
    assert "987.65" not in listing.content.decode()
    calculation.refresh_from_db()
    assert calculation.status == "draft"


def test_the_council_sees_care_home_quartiles_per_category_only_from_five_providers(client, council_officer):
    seed_sets()
    for fee in ("800.00", "850.00", "900.00", "950.00", "1000.00"):
        submitted_care_home_return(OrganisationFactory(), D(fee), Category.RESIDENTIAL)
    for fee in ("1100.00", "1200.00", "1300.00", "1400.00"):
        submitted_care_home_return(OrganisationFactory(), D(fee), Category.NURSING)
    for price in ("28.00", "30.00", "32.00", "34.00", "36.00"):
        submitted_return(OrganisationFactory(), D(price))
    client.force_login(council_officer)
    page = client.get(reverse("costofcare:returns")).content.decode()
    assert "Care home weekly fee: residential, 2025/26" in page
    assert "£850.00" in page and "£900.00" in page and "£950.00" in page  # inclusive quartiles of five
    assert "800.00" not in page and "1000.00" not in page
    assert "Care home weekly fee: nursing, 2025/26" in page
    assert "Not shown until 5 providers have submitted (4 so far)" in page
    assert not any(fee in page for fee in ("1100.00", "1200.00", "1300.00", "1400.00"))
    assert "£30.00" in page and "£32.00" in page and "£34.00" in page  # home care's stay on their own row
    rows = cost_return_summary_for(user=council_officer)
    assert [(s.kind, s.category, s.providers) for s in rows] == [
        ("home_care", None, 5),
        ("care_home", Category.RESIDENTIAL, 5),
        ("care_home", Category.NURSING, 4),
    ]


def test_calculation_save_takes_the_kind_and_keeps_home_care_as_it_was(provider, provider_admin):
    seed_sets()
    home_care = services.calculation_save(
        actor=provider_admin, organisation=provider, as_at=date(2026, 5, 1), inputs=HomeCareInputs()
    )
    assert home_care.kind == "home_care" and "category" not in home_care.inputs
    care_home = services.calculation_save(
        actor=provider_admin,
        organisation=provider,
        as_at=date(2026, 5, 1),
        inputs=CareHomeInputs(),
        kind=CostCalculation.Kind.CARE_HOME,
        category=Category.RESIDENTIAL_ENHANCED,
    )
    assert care_home.blended_price == FEES.weekly_fee[Category.RESIDENTIAL_ENHANCED]
    assert care_home_category(care_home.inputs) == Category.RESIDENTIAL_ENHANCED
    with pytest.raises(ValueError):
        services.calculation_save(
            actor=provider_admin,
            organisation=provider,
            as_at=date(2026, 5, 1),
            inputs=HomeCareInputs(),
            kind=CostCalculation.Kind.CARE_HOME,
            category=Category.NURSING,
        )
    with pytest.raises(ValueError):
        services.calculation_save(
            actor=provider_admin,
            organisation=provider,
            as_at=date(2026, 5, 1),
            inputs=CareHomeInputs(),
            kind=CostCalculation.Kind.CARE_HOME,
        )


def test_care_home_figures_round_trip_through_json():
    inputs = CareHomeInputs(nurse_pay=D("24.10"), occupancy=D("0.875"))
    data = care_home_to_json(inputs, Category.NURSING)
    assert all(isinstance(v, str | dict | list) for v in data.values())
    assert care_home_from_json(data) == inputs and care_home_category(data) == Category.NURSING
    assert care_home_from_json({}) == CareHomeInputs() and care_home_category({}) == Category.RESIDENTIAL


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session also fills caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_make_the_same_queries_whatever_the_care_home_data(
    client, provider, provider_admin, council_officer
):
    seed_sets()
    client.force_login(provider_admin)
    submitted_care_home_return(provider, D("900.00"), Category.NURSING, status=CostCalculation.Status.DRAFT)
    few = _queries(client, reverse("costofcare:calculation-list"))
    for _ in range(6):
        submitted_care_home_return(provider, D("900.00"), Category.NURSING, status=CostCalculation.Status.DRAFT)
        submitted_return(provider, D("30.00"), status=CostCalculation.Status.DRAFT)
    assert _queries(client, reverse("costofcare:calculation-list")) == few

    client.force_login(council_officer)
    submitted_care_home_return(OrganisationFactory(), D("900.00"), Category.RESIDENTIAL)
    few = _queries(client, reverse("costofcare:returns"))
    for i in range(6):
        for category in Category:
            submitted_care_home_return(OrganisationFactory(), D(900 + i), category)
    assert _queries(client, reverse("costofcare:returns")) == few


def test_the_calculator_page_makes_the_same_queries_with_more_saved_calculations(client, provider, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    few = _queries(client, URL)
    for _ in range(5):
        submitted_care_home_return(provider, D("900.00"), Category.NURSING, status=CostCalculation.Status.DRAFT)
    assert _queries(client, URL) == few


def test_demo_adds_care_home_returns_with_quartiles_for_residential_and_nursing(council_officer):
    stems = ["Care Home", "Nursing Home", "Home Care"]
    providers = [
        OrganisationFactory(kind=Organisation.Kind.PROVIDER, name=f"Demo {i} {stems[i % 3]}") for i in range(36)
    ]
    borough = SimpleNamespace(providers=providers, featured=providers[0])
    build_costofcare_demo(borough)
    build_costofcare_demo(borough)
    care_homes = CostCalculation.objects.filter(kind="care_home", status="submitted")
    assert care_homes.count() == 12 and not care_homes.filter(organisation=providers[0]).exists()
    assert CostCalculation.objects.filter(kind="home_care", status="submitted").count() == 12
    for calculation in care_homes.select_related("organisation"):
        assert "Care Home" in calculation.organisation.name or "Nursing Home" in calculation.organisation.name
    by_category = {s.category: s for s in cost_return_summary_for(user=council_officer) if s.kind == "care_home"}
    assert by_category[Category.RESIDENTIAL].providers == 6 and by_category[Category.NURSING].providers == 5
    low, median, high = by_category[Category.NURSING].quartiles
    assert low <= median <= high
    assert by_category[Category.RESIDENTIAL_ENHANCED].quartiles is None


def test_demo_adds_care_home_returns_to_a_demo_that_had_only_home_care_ones():
    providers = [OrganisationFactory(kind=Organisation.Kind.PROVIDER, name=f"P{i} Nursing Home") for i in range(7)]
    borough = SimpleNamespace(providers=providers, featured=providers[0])
    seed_sets()
    submitted_return(providers[1], D("30.00"))
    build_costofcare_demo(borough)
    assert CostCalculation.objects.filter(kind="home_care").count() == 1
    assert CostCalculation.objects.filter(kind="care_home").count() == 5
