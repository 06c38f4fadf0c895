"""Nonsense values typed into the brokerage's forms get plain messages, never an error page: money as people write
it, places within sensible bounds, the partner margin within the minimum, deadlines ahead and in order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.form_fields import MoneyField
from carenetwork.training import runs
from carenetwork.training.forms_runs import parse_tiers
from carenetwork.training.models import CourseRun
from tests.training.factories import course_for, run_for
from tests.training.test_run_pages import run_form

pytestmark = pytest.mark.django_db


class MoneyForm(forms.Form):
    amount = MoneyField(label="Amount")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("£85", Decimal("85")),
        ("85", Decimal("85")),
        ("1,250.50", Decimal("1250.50")),
        (" £ 85.00 ", Decimal("85.00")),
        ("£1,000,000", Decimal("1000000")),
        ("0.50", Decimal("0.50")),
    ],
)
def test_money_is_read_as_people_write_it(typed, amount):
    form = MoneyForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("cheap", "Enter an amount in pounds, like 75 or 75.50"),
        ("££85", "Enter an amount in pounds, like 75 or 75.50"),
        ("1,25", "Enter an amount in pounds, like 75 or 75.50"),
        ("85.505", "Enter an amount in pounds, like 75 or 75.50"),
        ("²", "Enter an amount in pounds, like 75 or 75.50"),
        ("NaN", "Enter an amount in pounds, like 75 or 75.50"),
        ("1e5", "Enter an amount in pounds, like 75 or 75.50"),
        ("-£5", "Enter an amount of £0.01 or more"),
        ("99999999999", "Enter an amount less than £10,000,000"),
    ],
)
def test_money_that_is_not_an_amount_is_refused_plainly(typed, message):
    form = MoneyForm({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == [message]


def test_a_price_ceiling_with_a_pound_sign_is_accepted(client_for, provider, provider_admin, training_org):
    run = run_for(course_for(training_org), capacity=5)
    response = client_for(provider_admin).post(
        reverse("training:interest-edit", args=[run.pk]),
        {"organisation": provider.pk, "places": "2", "ceiling": "£85"},
    )
    assert response.status_code == 302
    assert run.interests.get().ceiling == Decimal("85.00")


def test_a_shared_fee_and_bands_take_pounds_and_commas(client_for, council_officer, training_org):
    course = course_for(training_org)
    client = client_for(council_officer)
    response = client.post(
        reverse("training:run-add", args=[course.pk]), run_form(pricing="shared_fee", fee="£1,250.50", tiers="")
    )
    assert response.status_code == 302
    assert CourseRun.objects.get().fee == Decimal("1250.50")
    assert parse_tiers("1: £1,250\n5: 1,000.50") == [(1, Decimal("1250")), (5, Decimal("1000.50"))]


def _errors(client, course, **overrides):
    response = client.post(reverse("training:run-add", args=[course.pk]), run_form(**overrides))
    assert response.status_code == 200
    return response.context["form"].errors


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"capacity": "2147483648"}, "capacity", "Enter 1,000 or fewer"),
        ({"minimum_places": "99999999999999999999"}, "minimum_places", "Enter 1,000 or fewer"),
        ({"partner_margin": "2147483648"}, "partner_margin", "Enter 1,000 or fewer"),
        ({"capacity": "²"}, "capacity", "Enter a whole number, such as 12"),
        ({"tiers": "2147483648: 5"}, "tiers", "Line 1 starts at more than 1,000 places"),
        ({"tiers": "1: 99999999999"}, "tiers", "Line 1 has a price of £10,000,000 or more"),
        ({"partner_margin": "6"}, "partner_margin", "The partner margin must not be more than the minimum places (5)"),
    ],
)
def test_numbers_out_of_bounds_are_refused_plainly(
    client_for, council_officer, training_org, overrides, field, message
):
    course = course_for(training_org)
    assert _errors(client_for(council_officer), course, **overrides)[field] == [message]
    assert not CourseRun.objects.exists()


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_deadlines_in_the_past_are_refused_on_their_dates(client_for, council_officer, training_org):
    course = course_for(training_org)
    yesterday = timezone.localdate() - timedelta(days=1)
    errors = _errors(client_for(council_officer), course, **_date("interest_deadline_on", yesterday))
    assert errors["interest_deadline_on"] == ["Enter a date in the future for interest to close"]
    errors = _errors(
        client_for(council_officer),
        course,
        **_date("starts_on", yesterday),
        **_date("interest_deadline_on", yesterday - timedelta(days=9)),
    )
    assert errors["starts_on"] == ["Enter a course date in the future"]
    assert not CourseRun.objects.exists()


def test_the_cut_off_must_be_before_the_start(client_for, council_officer, training_org):
    course = course_for(training_org)
    start = timezone.localtime() + timedelta(days=40)
    errors = _errors(client_for(council_officer), course, **_date("booking_cutoff_on", start), booking_cutoff="09:30")
    assert errors["booking_cutoff_on"] == ["The cut-off must be before the run starts"]


def test_a_run_under_way_keeps_its_past_deadlines_through_other_changes(council_officer, training_org):
    course = course_for(training_org)
    run = run_for(course, days=5, minimum=1)  # interest closed 9 days ago; margin 3 is above today's rule
    saved = runs.run_save(
        actor=council_officer,
        course=course,
        run=run,
        data={"venue": "Library, Room 3", "interest_deadline": run.interest_deadline},
    )
    assert saved.venue == "Library, Room 3" and saved.partner_margin == 3
    with pytest.raises(runs.ValidationError) as problem:
        runs.run_save(
            actor=council_officer,
            course=course,
            run=run,
            data={"interest_deadline": timezone.now() - timedelta(days=10)},
        )
    assert problem.value.message_dict == {"interest_deadline": ["Enter a date in the future for interest to close"]}


def test_a_limit_below_the_price_is_said_when_the_interest_is_saved(client_for, provider, provider_admin, training_org):
    run = run_for(course_for(training_org), capacity=5)
    response = client_for(provider_admin).post(
        reverse("training:interest-edit", args=[run.pk]),
        {"organisation": provider.pk, "places": "2", "ceiling": "£1"},
        follow=True,
    )
    page = response.content.decode()
    assert "That is more than your limit of £1.00" in page
    assert "your interest will be withdrawn at the deadline" in page


def test_a_limit_at_or_above_the_price_is_not_warned_of(client_for, provider, provider_admin, training_org):
    run = run_for(course_for(training_org), capacity=5)
    response = client_for(provider_admin).post(
        reverse("training:interest-edit", args=[run.pk]),
        {"organisation": provider.pk, "places": "2", "ceiling": "£10,000"},
        follow=True,
    )
    assert response.status_code == 200
    assert "more than your limit" not in response.content.decode()
