"""The fair cost of care pages: the calculator with its breakdown and errors, saving and submitting, privacy of a
provider's calculations, the council's quartiles, and the council administrators' assumption sets."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.costofcare.calculators import ASSUMPTIONS_2026_27, HomeCareInputs, home_care_rate
from carenetwork.costofcare.models import AssumptionSet, CostCalculation
from tests.costofcare.helpers import form_data, seed_sets, submitted_return
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("costofcare:home-care")


def test_the_calculator_shows_every_line_and_the_price_by_visit_length(client, provider_member):
    seed_sets()
    client.force_login(provider_member)
    assert client.get(URL).status_code == 200
    page = client.post(URL, form_data(action="calculate")).content.decode()
    result = home_care_rate(HomeCareInputs(), ASSUMPTIONS_2026_27)
    assert f"£{result.price_per_contact_hour} an hour" in page
    for line in result.blended.lines:
        assert line.label in page and str(line.amount) in page
    for minutes, price in result.price_by_visit_length.items():
        assert f"{minutes} minutes" in page and str(price) in page
    assert "Not yet published" in page  # the Homecare Association's 2026/27 price
    assert "The 2026/27 assumptions, in force from 1 April 2026" in page
    assert not CostCalculation.objects.exists()  # working it out saves nothing


def test_the_2025_26_result_stands_beside_the_homecare_association_price(client, provider_member):
    seed_sets()
    client.force_login(provider_member)
    page = client.post(URL, form_data(as_at=date(2025, 6, 1), pay_per_hour="12.21")).content.decode()
    assert "£32.14" in page and "The 2025/26 assumptions" in page


def test_pay_below_the_national_living_wage_is_a_form_error(client, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    response = client.post(URL, form_data(pay_per_hour="12.50", action="save"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_pay_per_hour"' in page
    assert "below the National Living Wage of £12.71 in force from 1 April 2026" in page
    assert not CostCalculation.objects.exists()


def test_a_visit_mix_not_adding_up_to_100_is_a_form_error(client, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    page = client.post(URL, form_data(visit_15="10")).content.decode()
    assert "The visit lengths must add up to 100% (they add up to 105" in page


def test_a_date_with_no_assumptions_is_a_form_error_on_the_date(client, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    page = client.post(URL, form_data(as_at=date(2024, 6, 1))).content.decode()
    assert 'href="#id_as_at_0"' in page and "No assumptions are in force" in page


def test_save_then_submit_as_the_cost_return(client, provider, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    response = client.post(URL, form_data(action="save"))
    calculation = CostCalculation.objects.get()
    assert response["Location"] == reverse("costofcare:calculation-detail", args=[calculation.pk])
    assert (calculation.organisation, calculation.status, calculation.created_by) == (provider, "draft", provider_admin)
    assert calculation.inputs["pay_per_hour"] == "12.71"
    listing = client.get(reverse("costofcare:calculation-list")).content.decode()
    assert "Draft" in listing
    detail = client.get(reverse("costofcare:calculation-detail", args=[calculation.pk])).content.decode()
    assert "Submit as our cost return" in detail
    client.post(reverse("costofcare:calculation-submit", args=[calculation.pk]))
    calculation.refresh_from_db()
    assert calculation.status == "submitted"
    assert calculation.blended_price == home_care_rate(HomeCareInputs(), ASSUMPTIONS_2026_27).price_per_contact_hour
    detail = client.get(reverse("costofcare:calculation-detail", args=[calculation.pk])).content.decode()
    assert "Submit as our cost return" not in detail and "Submitted" in detail
    # The audit trail (which council administrators read) says a return came in, never whose.
    [event] = AuditEvent.objects.filter(action="cost_return.submitted")
    assert (event.actor, event.organisation, event.object_repr) == (None, None, "A provider's cost return")
    assert provider.name not in str(event.changes)


def test_a_calculation_prefills_a_new_one(client, provider, provider_admin):
    seed_sets()
    client.force_login(provider_admin)
    client.post(URL, form_data(action="save", pay_per_hour="14.25"))
    calculation = CostCalculation.objects.get()
    page = client.get(URL + f"?from={calculation.pk}").content.decode()
    assert 'value="14.25"' in page


@pytest.mark.parametrize(
    "role", ["other_admin", "council_officer", "council_admin", "training_admin", "partner_member"]
)
def test_nobody_outside_the_provider_sees_its_calculations(request, client, provider, role):
    seed_sets()
    calculation = submitted_return(provider, D("31.23"))
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("costofcare:calculation-detail", args=[calculation.pk])).status_code == 404
    listing = client.get(reverse("costofcare:calculation-list"))
    assert listing.status_code in (200, 403)
    assert "31.23" not in listing.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, provider):
    seed_sets()
    calculation = submitted_return(provider, D("31.23"))
    response = client.get(reverse("costofcare:calculation-detail", args=[calculation.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_council_sees_quartiles_only_from_five_providers_and_never_one_figure(client, council_officer):
    seed_sets()
    for price in ("28.11", "30.22", "32.33", "34.44"):
        submitted_return(OrganisationFactory(), D(price))
    client.force_login(council_officer)
    page = client.get(reverse("costofcare:returns")).content.decode()
    assert "Not shown until 5 providers have submitted (4 so far)" in page
    assert "28.11" not in page and "34.44" not in page
    submitted_return(OrganisationFactory(), D("36.55"))
    page = client.get(reverse("costofcare:returns")).content.decode()
    assert "£30.22" in page and "£32.33" in page and "£34.44" in page  # inclusive quartiles of five: 2nd, 3rd, 4th
    assert "28.11" not in page and "36.55" not in page
    assert 'method "inclusive"' in page


def test_council_admin_adds_a_dated_set_prefilled_from_the_latest(client, council_admin):
    seed_sets()
    client.force_login(council_admin)
    listing = client.get(reverse("costofcare:assumption-list")).content.decode()
    assert "2026/27: in force from 1 April 2026" in listing and "Not yet published" in listing
    form = client.get(reverse("costofcare:assumption-new")).context["form"]
    assert form.initial["national_living_wage"] == D("12.71")
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data.update(effective_from_0="1", effective_from_1="4", effective_from_2="2027", label="2027/28")
    data["national_living_wage"] = "13.10"
    data["ssp_from_day_one"] = "on"
    response = client.post(reverse("costofcare:assumption-new"), data)
    assert response.status_code == 302, response.context["form"].errors
    made = AssumptionSet.objects.get(effective_from=date(2027, 4, 1))
    assert made.national_living_wage == D("13.10") and made.created_by == council_admin
    assert made.homecare_association_price is None


def test_adding_a_set_with_errors_says_what_is_wrong(client, council_admin):
    seed_sets()
    client.force_login(council_admin)
    data = {"effective_from_0": "1", "effective_from_1": "4", "effective_from_2": "2026", "ni_rate": "15"}
    page = client.post(reverse("costofcare:assumption-new"), data).content.decode()
    assert "There is a problem" in page
    assert "Enter a label, such as 2027/28" in page
    assert "Enter where the figures come from" in page


def test_figures_the_calculators_cannot_use_are_refused(client, council_admin):
    seed_sets()
    client.force_login(council_admin)
    form = client.get(reverse("costofcare:assumption-new")).context["form"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data.update(effective_from_0="1", effective_from_1="4", effective_from_2="2027", label="2027/28")
    data.update(holiday_weeks="52", ni_rate="15")
    errors = client.post(reverse("costofcare:assumption-new"), data).context["form"].errors
    assert errors["holiday_weeks"] == ["Enter a number of weeks from 0 to less than 52"]
    assert errors["ni_rate"] == ["Enter a share from 0 to 1: 0.15 is 15%"]
    assert not AssumptionSet.objects.filter(effective_from=date(2027, 4, 1)).exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session also fills caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_make_the_same_queries_whatever_the_data(client, provider, provider_admin, council_officer):
    seed_sets()
    client.force_login(provider_admin)
    submitted_return(provider, D("30.00"), status=CostCalculation.Status.DRAFT)
    few = _queries(client, reverse("costofcare:calculation-list"))
    for _ in range(6):
        submitted_return(provider, D("30.00"), status=CostCalculation.Status.DRAFT)
    assert _queries(client, reverse("costofcare:calculation-list")) == few

    client.force_login(council_officer)
    submitted_return(OrganisationFactory(), D("30.00"))
    few = _queries(client, reverse("costofcare:returns"))
    for _ in range(6):
        submitted_return(OrganisationFactory(), D("31.00"))
    assert _queries(client, reverse("costofcare:returns")) == few


def test_correcting_a_used_set_fills_a_blank_figure_but_refuses_a_change(client, council_admin, provider):
    seed_sets()
    submitted_return(provider, D("30.00"), as_at=date(2026, 5, 1))
    used = AssumptionSet.objects.get(effective_from=date(2026, 4, 1))
    client.force_login(council_admin)
    url = reverse("costofcare:assumption-edit", args=[used.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "effective_from"}
    data = {k: ("" if v is None else ("on" if v is True else v)) for k, v in data.items() if v is not False}
    data.update(effective_from_0="1", effective_from_1="4", effective_from_2="2026")
    page = client.post(url, {**data, "national_living_wage": "13.00"}).content.decode()
    assert "Saved calculations have used this figure, so it cannot change" in page
    response = client.post(url, {**data, "homecare_association_price": "33.50"})
    assert response.status_code == 302
    used.refresh_from_db()
    assert (used.homecare_association_price, used.national_living_wage) == (D("33.50"), D("12.71"))
