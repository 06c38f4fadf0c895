"""Whatever is typed into a brokerage page's address, the page answers: bad values are ignored or explained, never
an error page (a superscript two, letters, negative and very long numbers)."""

import pytest
from django.urls import reverse

from carenetwork.training import interests
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

BAD = ["²", "abc", "-1", "9" * 30, "9" * 5000, "1e5", "", "0x1", "١"]
LISTS = [
    "training:catalogue",
    "training:course-list",
    "training:course-review-queue",
    "training:my-bookings",
    "training:priorities",
    "training:priorities-csv",
    "training:programme-report",
    "training:programme-report-csv",
]
CATALOGUE_FIELDS = ["category", "sector", "date_from_0", "date_from_2", "date_to_1", "area", "delivery_mode"]
OTHER_FIELDS = ["max_price", "page", "q", "year", "organisation"]


@pytest.fixture
def run(training_org, provider, provider_admin):
    run = run_for(course_for(training_org), capacity=10)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=2)
    return run


def _get(client, url, params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.status_code)
    return response


@pytest.mark.parametrize("value", BAD)
def test_list_pages_answer_whatever_their_parameters(client_for, council_officer, provider_admin, value):
    for user, names in ((council_officer, LISTS), (provider_admin, LISTS[:2] + ["training:my-bookings"])):
        client = client_for(user)
        for name in names:
            for field in CATALOGUE_FIELDS + OTHER_FIELDS:
                _get(client, reverse(name), {field: value})


@pytest.mark.parametrize("value", BAD)
def test_run_pages_answer_whatever_organisation_is_asked_for(
    client_for, council_officer, provider_admin, training_admin, run, training_org, value
):
    for user in (provider_admin, council_officer, training_admin):
        client = client_for(user)
        for name in ("run-detail", "interest-edit", "interest-withdraw", "run-bookings", "run-bookings-csv"):
            _get(client, reverse(f"training:{name}", args=[run.pk]), {"organisation": value, "page": value})
        _get(client, reverse("training:course-evaluations", args=[run.course.pk]), {"page": value})
        _get(client, reverse("training:provider-courses", args=[training_org.pk]), {"page": value})
        _get(client, reverse("training:provider-evaluations", args=[training_org.pk]), {"page": value})


def test_a_bad_organisation_on_the_places_page_is_ignored(client_for, provider_admin, run):
    response = client_for(provider_admin).get(reverse("training:interest-edit", args=[run.pk]), {"organisation": "²"})
    assert response.status_code == 200
    assert response.context["existing"] == run.interests.get()


def test_withdrawing_with_a_bad_organisation_withdraws_nothing(client_for, provider_admin, run):
    response = client_for(provider_admin).post(
        reverse("training:interest-withdraw", args=[run.pk]), {"organisation": "9" * 5000}
    )
    assert response.status_code == 404
    assert run.interests.get().is_live
