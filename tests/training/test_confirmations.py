"""Actions that email everyone or cannot be undone ask first: a GOV.UK confirmation page says what happens and shows
the emails that will be sent, and only the confirmed post does it."""

import pytest
from django.urls import reverse

from carenetwork.training.models import CourseRun
from tests.training.factories import course_for, run_for
from tests.training.test_run_pages import others_take

pytestmark = pytest.mark.django_db


def test_deciding_by_the_rules_shows_the_outcome_and_the_emails_before_cancelling(
    client_for, council_officer, training_org
):
    run = run_for(course_for(training_org), fee="500", minimum=5, partner_margin=2)
    others_take(run, 2)
    client = client_for(council_officer)
    url = reverse("training:run-decide", args=[run.pk])
    html = client.post(url, {"outcome": "rules", "reason": ""}).content.decode()
    assert "Are you sure you want to cancel the run?" in html
    assert "By the rules, the run will be: Cancelled." in html
    assert "will not go ahead" in html  # the email each organisation reads
    assert f"Home {run.pk}-0" in html and f"Home {run.pk}-1" in html  # who it goes to
    assert "Yes, cancel the run" in html and "Go back without deciding" in html
    run.refresh_from_db()
    assert run.status == CourseRun.Status.OPEN
    client.post(url, {"outcome": "rules", "reason": "", "confirm": "yes"})
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CANCELLED


def test_offering_to_partners_previews_the_partners_invitation(client_for, council_officer, training_org, partner_org):
    run = run_for(course_for(training_org), fee="500", minimum=5, partner_margin=3)
    others_take(run, 3)
    html = client_for(council_officer).post(
        reverse("training:run-decide", args=[run.pk]), {"outcome": "rules", "reason": ""}
    )
    html = html.content.decode()
    assert "Are you sure you want to offer the places to partners?" in html
    assert "2 place(s) short" in html  # to the organisations with interest
    assert partner_org.name in html  # the partners' invitation and who receives it
    run.refresh_from_db()
    assert run.status == CourseRun.Status.OPEN


def test_an_override_without_a_reason_is_refused_before_the_confirmation(client_for, council_officer, training_org):
    run = run_for(course_for(training_org), fee="500", minimum=5)
    html = client_for(council_officer).post(
        reverse("training:run-decide", args=[run.pk]), {"outcome": "cancelled", "reason": " "}
    )
    html = html.content.decode()
    assert "Say why you are overriding the decision" in html and "Are you sure" not in html


def test_the_decide_page_has_no_bare_cancel_beside_cancel_the_run(client_for, council_officer, training_org):
    run = run_for(course_for(training_org))
    html = client_for(council_officer).get(reverse("training:run-decide", args=[run.pk])).content.decode()
    assert "Cancel the run" in html
    assert ">Cancel</a>" not in html and "Go back to the run without deciding" in html


def test_the_run_pages_back_link_names_where_it_goes(client_for, provider_admin, training_org):
    run = run_for(course_for(training_org))
    html = client_for(provider_admin).get(reverse("training:run-detail", args=[run.pk])).content.decode()
    catalogue = reverse("training:catalogue")
    assert f'<a href="{catalogue}" class="govuk-back-link">Upcoming courses</a>' in html
    # The same words never lead to two places: "All courses" is the course list only.
    assert f'<a href="{catalogue}" class="govuk-back-link">All courses</a>' not in html


@pytest.mark.parametrize("outcome", ["rules", "confirmed", "partners", "cancelled"])
@pytest.mark.parametrize("takers", [0, 2, 6])
def test_every_decision_can_be_previewed_without_changing_the_run(
    client_for, council_officer, training_org, partner_org, outcome, takers
):
    run = run_for(course_for(training_org), fee="500", minimum=5, partner_margin=3)
    others_take(run, takers)
    response = client_for(council_officer).post(
        reverse("training:run-decide", args=[run.pk]), {"outcome": outcome, "reason": "Agreed with the provider"}
    )
    assert response.status_code == 200
    assert "Are you sure you want to" in response.content.decode()
    run.refresh_from_db()
    assert run.status == CourseRun.Status.OPEN and run.decided_at is None


def test_cancelling_a_confirmed_run_previews_the_email_to_booked_organisations(
    client_for, council_officer, training_org
):
    from carenetwork.training import decisions

    run = run_for(course_for(training_org), fee="500", minimum=2)
    others_take(run, 3)
    decisions.run_decide(run=run)
    html = client_for(council_officer).post(
        reverse("training:run-decide", args=[run.pk]), {"outcome": "cancelled", "reason": "Trainer ill"}
    )
    html = html.content.decode()
    assert "Are you sure you want to cancel the run?" in html and "will not go ahead" in html
    assert "3 organisations" in html
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CONFIRMED
