"""Proposing, changing and reviewing courses: who may, what the status becomes, the audit trail and the emails."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Organisation, Role
from carenetwork.training.courses import Decision, course_review, course_save
from carenetwork.training.models import Course, DeliveryMode
from tests.factories import OrganisationFactory, person_in
from tests.records.factories import category
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db


def _data(**changes) -> dict:
    data = {
        "title": "Moving and assisting people",
        "outline": "Safe moving and handling of people, with hoists and slide sheets.",
        "categories": [category(15)],
        "duration_hours": Decimal("6.0"),
        "delivery_mode": DeliveryMode.FACE_TO_FACE,
        "accreditation": "CPD certified",
        "max_group_size": 12,
    }
    return {**data, **changes}


def _post(**changes) -> dict:
    data = _data(**changes)
    data["categories"] = [c.pk for c in data["categories"]]
    return {k: v for k, v in data.items() if v is not None}


# Services: proposing and changing


def test_training_provider_proposes_a_course_waiting_for_review(training_org, training_admin):
    course = course_save(actor=training_admin, provider=training_org, course=None, data=_data())
    assert course.status == Course.Status.SUBMITTED
    assert course.created_by == training_admin
    assert list(course.categories.values_list("code", flat=True)) == [15]
    event = AuditEvent.objects.get(action="course.proposed")
    assert event.object_id == str(course.pk) and event.organisation == training_org


def test_any_member_of_the_training_provider_may_propose(training_org):
    trainer = person_in(training_org, Role.MEMBER)
    assert course_save(actor=trainer, provider=training_org, course=None, data=_data()).pk


@pytest.mark.parametrize("role", ["provider_admin", "council_officer", "partner_member", "other_admin"])
def test_only_the_training_providers_people_propose_courses(request, training_org, role):
    with pytest.raises(PermissionDenied):
        course_save(actor=request.getfixturevalue(role), provider=training_org, course=None, data=_data())
    assert not Course.objects.exists()


def test_a_care_provider_cannot_propose_courses_for_itself(provider, provider_admin):
    with pytest.raises(PermissionDenied):
        course_save(actor=provider_admin, provider=provider, course=None, data=_data())


def test_another_training_provider_cannot_change_a_course(training_org):
    rival = person_in(
        OrganisationFactory(kind=Organisation.Kind.TRAINING),
        Role.ADMIN,
    )
    course = course_for(training_org)
    with pytest.raises(PermissionDenied):
        course_save(actor=rival, provider=training_org, course=course, data=_data())
    with pytest.raises(PermissionDenied):
        course_save(actor=rival, provider=rival.memberships.get().organisation, course=course, data=_data())


def test_a_course_needs_at_least_one_category(training_org, training_admin):
    with pytest.raises(ValidationError) as error:
        course_save(actor=training_admin, provider=training_org, course=None, data=_data(categories=[]))
    assert "categories" in error.value.message_dict


def test_a_category_no_longer_in_use_is_refused(training_org, training_admin):
    old = category(15)
    old.is_active = False
    old.save()
    with pytest.raises(ValidationError) as error:
        course_save(actor=training_admin, provider=training_org, course=None, data=_data(categories=[old]))
    assert "categories" in error.value.message_dict


def test_changing_an_approved_course_keeps_it_published(training_org, training_admin):
    course = course_for(training_org)
    course_save(
        actor=training_admin,
        provider=training_org,
        course=course,
        data=_data(title="Safeguarding, L2", categories=[category(20)]),
    )
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED and course.title == "Safeguarding, L2"
    event = AuditEvent.objects.get(action="course.updated")
    assert event.changes["title"] == ["Safeguarding adults, level 2", "Safeguarding, L2"]


def test_an_approved_course_keeps_its_categories_and_room_for_its_runs(training_org, training_admin):
    course = course_for(training_org)
    run_for(course, capacity=15)
    with pytest.raises(ValidationError, match="approved these categories"):
        course_save(actor=training_admin, provider=training_org, course=course, data=_data(categories=[category(15)]))
    with pytest.raises(ValidationError, match="offers 15 places"):
        course_save(
            actor=training_admin,
            provider=training_org,
            course=course,
            data=_data(categories=[category(20)], max_group_size=10),
        )


@pytest.mark.parametrize("decision", [Decision.RETURN, Decision.WITHDRAW])
def test_a_course_with_runs_coming_up_is_not_withdrawn_or_returned(training_org, council_officer, decision):
    course = course_for(training_org)
    run_for(course)
    with pytest.raises(ValidationError, match="runs coming up"):
        course_review(actor=council_officer, course=course, decision=decision, comments="Out of date")
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED


@pytest.mark.parametrize("status", [Course.Status.RETURNED, Course.Status.WITHDRAWN])
def test_changing_a_returned_or_withdrawn_course_sends_it_back_for_review(training_org, training_admin, status):
    course = course_for(training_org, status=status, review_comments="Add the learning outcomes")
    course_save(actor=training_admin, provider=training_org, course=course, data=_data())
    course.refresh_from_db()
    assert course.status == Course.Status.SUBMITTED
    assert course.review_comments == "Add the learning outcomes"  # kept for the reviewer to compare


def test_saving_without_changes_writes_no_audit_event(training_org, training_admin):
    course = course_save(actor=training_admin, provider=training_org, course=None, data=_data())
    course_save(actor=training_admin, provider=training_org, course=course, data=_data())
    assert AuditEvent.objects.filter(action="course.updated").count() == 0


# Services: reviewing


def test_council_officer_approves_and_the_provider_is_told(
    training_org, training_admin, council_officer, django_capture_on_commit_callbacks
):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        course_review(actor=council_officer, course=course, decision="approve", comments="")
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED
    assert course.reviewed_by == council_officer and course.reviewed_at
    assert AuditEvent.objects.filter(action="course.approved", object_id=str(course.pk)).exists()
    (message,) = mail.outbox
    assert set(message.to) == {training_admin.email, training_org.contact_email}
    assert message.subject == f"Approved: {course.title}"
    assert reverse("training:course-detail", args=[course.pk]) in message.body


def test_returning_needs_comments(training_org, council_officer):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        course_review(actor=council_officer, course=course, decision="return", comments="   ")
    assert "comments" in error.value.message_dict
    course.refresh_from_db()
    assert course.status == Course.Status.SUBMITTED


def test_returning_sends_the_comments(training_org, council_admin, django_capture_on_commit_callbacks):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        course_review(actor=council_admin, course=course, decision="return", comments="Say who it is for.")
    course.refresh_from_db()
    assert course.status == Course.Status.RETURNED and course.review_comments == "Say who it is for."
    assert "Say who it is for." in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Returned with comments")


def test_withdrawing_an_approved_course(training_org, council_officer, django_capture_on_commit_callbacks):
    course = course_for(training_org)
    with django_capture_on_commit_callbacks(execute=True):
        course_review(actor=council_officer, course=course, decision="withdraw", comments="")
    course.refresh_from_db()
    assert course.status == Course.Status.WITHDRAWN
    assert mail.outbox[0].subject.startswith("Withdrawn")
    assert AuditEvent.objects.filter(action="course.withdrawn").exists()


def test_a_decision_must_change_the_status(training_org, council_officer):
    course = course_for(training_org)
    with pytest.raises(ValidationError) as error:
        course_review(actor=council_officer, course=course, decision="approve")
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError):
        course_review(actor=council_officer, course=course, decision="publish")


@pytest.mark.parametrize("role", ["training_admin", "provider_admin", "partner_member"])
def test_only_council_staff_review_courses(request, training_org, role):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        course_review(actor=request.getfixturevalue(role), course=course, decision="approve")
    course.refresh_from_db()
    assert course.status == Course.Status.SUBMITTED


# Pages


def test_proposing_through_the_page(client, training_org, training_admin):
    client.force_login(training_admin)
    url = reverse("training:course-add", args=[training_org.pk])
    page = client.get(url).content.decode()
    assert "Propose a course" in page and 'type="checkbox"' in page
    response = client.post(url, _post())
    assert response.status_code == 302
    assert response["Location"] == reverse("training:provider-courses", args=[training_org.pk])
    assert Course.objects.get().status == Course.Status.SUBMITTED


def test_the_training_provider_gives_the_usual_price_per_delegate(client, training_org, training_admin):
    client.force_login(training_admin)
    url = reverse("training:course-add", args=[training_org.pk])
    client.post(url, _post(usual_price="£1,095"))
    course = Course.objects.get()
    assert course.usual_price == Decimal("1095.00")
    page = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert "Usual price per delegate" in page and "£1,095.00" in page
    page = client.post(url, _post(title="Another", usual_price="ninety")).content.decode()
    assert "Enter an amount in pounds, like 75 or 75.50" in page
    assert Course.objects.count() == 1


def test_the_proposal_page_shows_errors(client, training_org, training_admin):
    client.force_login(training_admin)
    url = reverse("training:course-add", args=[training_org.pk])
    page = client.post(url, _post(categories=[], duration_hours="0.2", max_group_size="many", title="")).content
    page = page.decode()
    assert "There is a problem" in page
    for message in (
        "Enter the course title",
        "Choose at least one training category the course covers",
        "The course must last at least half an hour",
        "Enter the maximum group size as a whole number, like 12",
    ):
        assert message in page
    assert not Course.objects.exists()


def test_changing_a_returned_course_through_the_page(client, training_org, training_admin):
    course = course_for(training_org, status=Course.Status.RETURNED, review_comments="Shorten the outline")
    client.force_login(training_admin)
    url = reverse("training:course-edit", args=[course.pk])
    page = client.get(url).content.decode()
    assert "Shorten the outline" in page and 'value="Safeguarding adults, level 2"' in page
    response = client.post(url, _post(outline="Short."), follow=True)
    assert "sent to the council for review" in response.content.decode()
    course.refresh_from_db()
    assert course.status == Course.Status.SUBMITTED and course.outline == "Short."


def test_review_page_returns_with_comments(client, training_org, council_officer):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    client.force_login(council_officer)
    url = reverse("training:course-review", args=[course.pk])
    page = client.get(url).content.decode()
    assert 'value="approve"' in page and 'value="return"' in page and 'value="withdraw"' in page
    page = client.post(url, {"decision": "return", "comments": ""}).content.decode()
    assert "Say what the training provider needs to change" in page
    response = client.post(url, {"decision": "return", "comments": "Add outcomes"})
    assert response["Location"] == reverse("training:course-review-queue")
    course.refresh_from_db()
    assert course.status == Course.Status.RETURNED


def test_review_page_offers_only_decisions_that_change_the_status(client, training_org, council_officer):
    course = course_for(training_org)
    client.force_login(council_officer)
    page = client.get(reverse("training:course-review", args=[course.pk])).content.decode()
    assert 'value="approve"' not in page and 'value="withdraw"' in page


def test_review_queue_lists_only_courses_waiting(client, training_org, council_officer):
    waiting = course_for(training_org, status=Course.Status.SUBMITTED, title="Dementia awareness")
    course_for(training_org, title="Already approved")
    course_for(training_org, status=Course.Status.RETURNED, title="Sent back")
    client.force_login(council_officer)
    page = client.get(reverse("training:course-review-queue")).content.decode()
    assert "Review Dementia awareness" in page
    assert reverse("training:course-review", args=[waiting.pk]) in page
    assert "Already approved" not in page and "Sent back" not in page
    assert "1 course waiting for review" in page


def test_your_courses_shows_every_status_with_comments_and_runs(client, training_org, training_admin):
    approved = course_for(training_org, title="First aid at work")
    course_for(training_org, status=Course.Status.RETURNED, title="Dementia", review_comments="Add the outcomes")
    run = run_for(approved)
    client.force_login(training_admin)
    page = client.get(reverse("training:provider-courses", args=[training_org.pk])).content.decode()
    assert "Returned with comments" in page and "Add the outcomes" in page and "Approved" in page
    assert reverse("training:run-detail", args=[run.pk]) in page
    assert "1 upcoming run" in page


def test_course_detail_shows_details_and_runs(client, training_org, provider_admin, council_officer):
    course = course_for(training_org, codes=(20, 15), accreditation="Skills for Care endorsed")
    run = run_for(course, tiers=[(1, "95"), (6, "75")], minimum=6)
    client.force_login(provider_admin)
    page = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    for text in ("Recognising and reporting abuse", "Safeguarding adults", "Skills for Care endorsed", "6 hours"):
        assert text in page
    assert "20 people" in page and "SafeHands Training" in page
    assert reverse("training:run-detail", args=[run.pk]) in page
    assert "£75.00 a place at most" in page and "0 of 12" in page and "Taking interest" in page
    assert "Add a run" not in page and "Change the course" not in page
    client.force_login(council_officer)
    page = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert reverse("training:run-add", args=[course.pk]) in page


def test_no_add_a_run_link_for_a_course_under_review(client, training_org, council_officer):
    course = course_for(training_org, status=Course.Status.SUBMITTED)
    client.force_login(council_officer)
    page = client.get(reverse("training:course-detail", args=[course.pk])).content.decode()
    assert reverse("training:run-add", args=[course.pk]) not in page
    assert "has not reviewed this course yet" in page


@pytest.mark.parametrize("status", [Course.Status.SUBMITTED, Course.Status.RETURNED, Course.Status.WITHDRAWN])
def test_an_unapproved_course_is_missing_for_others(client, training_org, provider_admin, status):
    other_trainer = person_in(
        OrganisationFactory(kind=Organisation.Kind.TRAINING),
        Role.ADMIN,
    )
    course = course_for(training_org, status=status)
    for person in (provider_admin, other_trainer):
        client.force_login(person)
        assert client.get(reverse("training:course-detail", args=[course.pk])).status_code == 404
        assert client.get(reverse("training:course-edit", args=[course.pk])).status_code == 404
