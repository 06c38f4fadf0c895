"""Capacity returns: one screen per location pre-filled from the last return, 'no change' in one button, the rules
on the figures, who may make them, what the council sees, and what the market figures take from them."""

import datetime
from fractions import Fraction

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.market import reminders, returns, supply
from carenetwork.market.figures import refresh_locations
from carenetwork.market.models import CapacityReturn
from carenetwork.market.portal_registration import return_items
from carenetwork.organisations.models import Location, ServiceType
from tests.factories import LocationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_window():
    """10 November 2026: the month's return window (8th to 14th) is open."""
    with time_machine.travel("2026-11-10 12:00 +0000", tick=False):
        yield


NOVEMBER, OCTOBER = datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)
FIGURES = {"beds": 40, "occupied": 35, "vacant_accepting": 3, "vacant_reserved": 1, "care_direct": 30, "care_agency": 6}


@pytest.fixture
def home(provider):
    return provider.locations.get()


@pytest.fixture
def as_role(request, client_for):
    return lambda role: client_for(request.getfixturevalue(role))


def returned(location, month, **figures):
    """A return as it was made (the service keeps the sub-markets' figures)."""
    made = CapacityReturn.objects.create(location=location, month=month, **{**FIGURES, **figures})
    refresh_locations([location])
    return made


def test_no_change_copies_last_months_figures_in_one_button(as_role, home, provider_admin):
    returned(home, OCTOBER)
    response = as_role("provider_admin").post(reverse("market:return-no-change", args=[home.pk]))
    assert response.status_code == 302
    november = CapacityReturn.objects.get(location=home, month=NOVEMBER)
    assert november.no_change and november.submitted_by == provider_admin
    assert {k: getattr(november, k) for k in FIGURES} == FIGURES
    assert AuditEvent.objects.filter(action="capacity_return.saved", organisation=home.organisation).exists()


def test_no_change_without_an_earlier_return_says_to_enter_the_figures(as_role, home):
    response = as_role("provider_admin").post(reverse("market:return-no-change", args=[home.pk]), follow=True)
    assert "There is no earlier return to copy" in response.content.decode()
    assert not CapacityReturn.objects.exists()


def test_the_form_is_pre_filled_from_the_last_return_and_saves_a_changed_figure(as_role, home):
    returned(home, OCTOBER)
    client = as_role("provider_admin")
    form = client.get(reverse("market:return-edit", args=[home.pk])).context["form"]
    assert form.initial["beds"] == 40 and "people" not in form.fields  # a care home gives beds, not hours
    response = client.post(reverse("market:return-edit", args=[home.pk]), {**FIGURES, "occupied": 36})
    assert response.status_code == 302
    assert CapacityReturn.objects.get(location=home, month=NOVEMBER).occupied == 36
    assert CapacityReturn.objects.get(location=home, month=OCTOBER).occupied == 35


def test_home_care_returns_people_hours_and_new_packages(as_role, provider):
    office = LocationFactory(organisation=provider, service_type=ServiceType.objects.get(ascwds_code=8))
    client = as_role("provider_admin")
    form = client.get(reverse("market:return-edit", args=[office.pk])).context["form"]
    assert {"people", "hours", "taking_new"} <= set(form.fields) and "beds" not in form.fields
    client.post(reverse("market:return-edit", args=[office.pk]), {"people": 80, "hours": 1200, "taking_new": "no"})
    saved = CapacityReturn.objects.get(location=office)
    assert (saved.people, saved.hours, saved.taking_new, saved.beds) == (80, 1200, False, None)


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        ({"beds": 10, "occupied": 11}, "occupied", "Beds occupied cannot be more than the maximum bed capacity"),
        ({"beds": 10, "occupied": 8, "vacant_accepting": 2, "vacant_reserved": 1}, "vacant_reserved", "add up to 11"),
        ({"beds": -1}, "beds", "cannot be less than 0"),
        ({"beds": "ten"}, "beds", "as a whole number"),
    ],
)
def test_impossible_figures_are_refused_with_a_clear_message(as_role, home, figures, field, message):
    response = as_role("provider_admin").post(reverse("market:return-edit", args=[home.pk]), figures)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not CapacityReturn.objects.exists()


def test_another_providers_location_is_refused_and_a_closed_one_is_not_found(as_role, home, other_provider):
    client = as_role("other_admin")
    assert client.get(reverse("market:return-edit", args=[home.pk])).status_code == 403
    assert client.post(reverse("market:return-no-change", args=[home.pk])).status_code == 403
    Location.objects.filter(pk=home.pk).update(is_active=False)
    assert as_role("provider_admin").get(reverse("market:return-edit", args=[home.pk])).status_code == 404


def test_the_returns_page_takes_the_same_queries_however_many_locations(as_role, provider, home):
    client = as_role("provider_admin")
    returned(home, OCTOBER)
    client.get(reverse("market:returns"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("market:returns"))
    for _i in range(5):
        location = LocationFactory(organisation=provider)
        returned(location, OCTOBER)
        returned(location, NOVEMBER)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("market:returns"))
    assert len(many) == len(few)
    assert response.content.decode().count("No change since last month") == 1  # five have returned already


def test_council_sees_completion_by_provider_and_sector_and_totals_by_month(as_role, provider, home, other_provider):
    second = LocationFactory(organisation=provider)
    returned(home, OCTOBER, occupied=30)
    returned(second, OCTOBER, occupied=40)
    returned(home, NOVEMBER, care_agency=14)
    response = as_role("council_officer").get(reverse("market:returns-completion"))
    by_provider = {c.label: (c.returned, c.asked) for c in response.context["providers"]}
    assert by_provider[provider.name] == (1, 2)
    assert other_provider.name not in by_provider  # its office has no service type: it is not asked
    totals = {t.month: t for t in response.context["totals"]}
    assert (totals[OCTOBER].beds, totals[OCTOBER].occupied, totals[OCTOBER].occupancy) == (80, 70, 88)
    assert totals[NOVEMBER].agency_share == round(100 * 14 / 44)
    assert b"returns-chart" in response.content


def test_supply_takes_occupancy_vacancies_and_agency_staff_from_the_months_returns(provider, home):
    Location.objects.exclude(pk=home.pk).update(is_active=False)
    others = [OrganisationFactory() for _ in range(2)]
    homes = [LocationFactory(organisation=org, capacity=20, area=home.area) for org in others]
    returned(home, NOVEMBER, beds=40, occupied=38, vacant_accepting=2)  # capacity 40 from the directory
    returned(homes[0], NOVEMBER, beds=20, occupied=10, vacant_accepting=10)
    (market,) = supply.supply().sub_markets
    assert market.occupancy == 80 and market.vacancies == 12
    assert market.agency_share == Fraction(100 * 12, 72)
    # The largest (40 beds, 38 occupied) against the others' 10 vacancies: 28 places short; one other has no return.
    absorption = market.absorption
    assert (absorption.displaced, absorption.vacancies_elsewhere, absorption.shortfall) == (38, 10, 28)
    assert absorption.providers_without_return == 1


def test_before_the_window_the_figures_are_last_months():
    with time_machine.travel("2026-11-07 12:00 +0000"):
        assert returns.reporting_month() == OCTOBER
    assert returns.reporting_month() == NOVEMBER


def test_provider_admins_home_page_lists_services_to_return_once_the_window_opens(provider_admin, home):
    texts = [a.text for a in attention_items(provider_admin)]
    assert "1 service's capacity return to make for November" in texts
    returned(home, NOVEMBER)
    assert not [a for a in attention_items(provider_admin) if "capacity return" in a.text]
    with time_machine.travel("2026-12-03 12:00 +0000"):
        assert not [a for a in attention_items(provider_admin) if "capacity return" in a.text]


def attention_items(user):
    return return_items(user)


def test_providers_not_returned_by_the_14th_are_reminded_once(
    provider, provider_admin, home, other_provider, django_capture_on_commit_callbacks, mailoutbox
):
    LocationFactory(organisation=other_provider, name="Heron Court")  # a care home: asked for a return
    returned(LocationFactory(organisation=other_provider), NOVEMBER)
    assert reminders.return_reminders_send() == 0  # the 10th: the window is still open
    with time_machine.travel("2026-11-14 09:00 +0000"), django_capture_on_commit_callbacks(execute=True):
        assert reminders.return_reminders_send() == 2
        assert reminders.return_reminders_send() == 0
        call_command("send_return_reminders")  # queued (the immediate backend runs it): nobody again
    to_willow = next(m for m in mailoutbox if provider_admin.email in m.to)
    assert to_willow.subject == "Your capacity return for November 2026"
    assert home.name in to_willow.body and "/market/returns/" in to_willow.body
    heron = next(m for m in mailoutbox if m is not to_willow)
    assert "Heron Court" in heron.body and "Heron Office" not in heron.body
    assert len(mailoutbox) == 2


def test_the_completion_page_takes_the_same_queries_however_many_providers_and_returns(as_role, home):
    client = as_role("council_officer")
    returned(home, OCTOBER)
    client.get(reverse("market:returns-completion"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("market:returns-completion"))
    for _i in range(4):
        location = LocationFactory(organisation=OrganisationFactory())
        returned(location, OCTOBER)
        returned(location, NOVEMBER)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("market:returns-completion")).status_code == 200
    assert len(many) == len(few)
