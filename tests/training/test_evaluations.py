"""Rating a course after it, and the scores rolled up per course, per run and per training provider."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from carenetwork.training import delivery, evaluations
from carenetwork.training.models import CourseRun, Delegate, Evaluation
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.delivery_factories import delivered_run
from tests.training.factories import course_for

pytestmark = pytest.mark.django_db

GOOD = {"met_aims": 5, "trainer": 4, "useful": 4, "overall": 5, "comments": "Clear and practical."}


@pytest.fixture
def course(training_org):
    return course_for(training_org)


@pytest.fixture
def delegate(course, provider, provider_admin, council_officer):
    staff = StaffMemberFactory(organisation=provider, name="Ada Lovell")
    run, _ = delivered_run(course, {provider: [staff]}, officer=council_officer)
    return Delegate.objects.get(interest__run=run)


def rate(delegate, actor, **scores):
    return delivery.evaluation_submit(actor=actor, delegate=delegate, data={**GOOD, **scores})


def form_data(**scores):
    return {k: str(v) for k, v in {**GOOD, **scores}.items()}


# Rating ----------------------------------------------------------------------------------------------------


def test_the_delegates_admin_rates_the_course_and_rating_again_changes_it(delegate, provider_admin):
    evaluation = rate(delegate, provider_admin)
    assert (evaluation.met_aims, evaluation.overall, evaluation.run_id) == (5, 5, delegate.interest.run_id)
    again = rate(delegate, provider_admin, overall=2, comments="")
    assert again.pk == evaluation.pk and Evaluation.objects.count() == 1
    assert Evaluation.objects.get().overall == 2
    actions = list(AuditEvent.objects.filter(object_type="evaluation").order_by("pk").values_list("action", flat=True))
    assert actions == ["evaluation.submitted", "evaluation.updated"]
    assert "Clear and practical" not in str(
        AuditEvent.objects.filter(object_type="evaluation").order_by("pk").last().changes
    )


def test_the_delegate_themselves_rates_through_their_own_account(delegate, provider):
    me = person_in(provider, Role.MEMBER)
    delegate.staff.user = me
    delegate.staff.save()
    assert rate(delegate, me).submitted_by == me


def test_other_people_cannot_rate_someone_elses_place(
    delegate, provider_member, other_admin, training_admin, council_officer, partner_member
):
    for person in (provider_member, other_admin, training_admin, council_officer, partner_member):
        with pytest.raises(PermissionDenied):
            rate(delegate, person)


def test_scores_must_be_from_1_to_5(delegate, provider_admin):
    with pytest.raises(ValidationError):
        rate(delegate, provider_admin, trainer=6)
    with pytest.raises(ValidationError):
        rate(delegate, provider_admin, useful=0)


def test_a_delegate_recorded_absent_cannot_rate_but_one_not_yet_recorded_can(delegate, provider_admin, training_admin):
    rate(delegate, provider_admin)  # attendance not recorded yet
    delivery.attendance_record(actor=training_admin, run=delegate.interest.run, attended_ids=[])
    delegate.refresh_from_db()
    with pytest.raises(ValidationError, match="did not attend"):
        rate(delegate, provider_admin)


def test_a_course_cannot_be_rated_before_it_takes_place(course, provider, provider_admin, council_officer):
    staff = StaffMemberFactory(organisation=provider)
    run, _ = delivered_run(course, {provider: [staff]}, officer=council_officer, started=False)
    with pytest.raises(ValidationError, match="once it has taken place"):
        rate(Delegate.objects.get(interest__run=run), provider_admin)


def test_rating_page_asks_the_four_questions_as_radios_and_saves(client, delegate, provider_admin):
    client.force_login(provider_admin)
    url = reverse("training:evaluate", args=[delegate.pk])
    page = client.get(url).content.decode()
    for question in evaluations.question_labels():
        assert question in page
    assert page.count('type="radio"') == 20 and "govuk-radios" in page
    response = client.post(url, form_data(), follow=True)
    assert "the rating has been saved" in response.content.decode()
    assert Evaluation.objects.get(delegate=delegate).trainer == 4
    page = client.get(url).content.decode()
    assert "You can change the answers" in page and "Clear and practical." in page


def test_rating_page_shows_errors_for_missing_answers(client, delegate, provider_admin):
    client.force_login(provider_admin)
    response = client.post(reverse("training:evaluate", args=[delegate.pk]), {"comments": "Hmm"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Choose a score from 1 to 5 for: The course met its aims" in page
    assert not Evaluation.objects.exists()


def test_rating_page_explains_when_the_course_cannot_be_rated(client, delegate, provider_admin, training_admin):
    delivery.attendance_record(actor=training_admin, run=delegate.interest.run, attended_ids=[])
    client.force_login(provider_admin)
    response = client.get(reverse("training:evaluate", args=[delegate.pk]))
    assert response.context["form"] is None and "did not attend" in response.content.decode()


def test_rating_page_refuses_others(client, delegate, provider_member, other_admin, training_admin, council_officer):
    url = reverse("training:evaluate", args=[delegate.pk])
    for person, status in ((provider_member, 404), (other_admin, 404), (training_admin, 403), (council_officer, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status, person


# Rollups ---------------------------------------------------------------------------------------------------


@pytest.fixture
def rated(course, training_org, provider, council_officer):
    """Two runs of the course with three ratings, and a second course with one."""
    admin = person_in(provider, Role.ADMIN)
    staff = [StaffMemberFactory(organisation=provider) for _ in range(3)]
    first, _ = delivered_run(course, {provider: staff[:2]}, officer=council_officer)
    second, _ = delivered_run(course, {provider: staff[2:]}, officer=council_officer)
    scores = [(5, 4, 4, 5), (4, 4, 3, 4), (3, 5, 5, 3)]
    delegates = list(Delegate.objects.filter(interest__run=first)) + list(Delegate.objects.filter(interest__run=second))
    for d, (a, b, c, e) in zip(delegates, scores, strict=True):
        rate(d, admin, met_aims=a, trainer=b, useful=c, overall=e, comments=f"Comment {a}{b}{c}{e}")
    other_course = course_for(training_org, title="Moving and handling", codes=(15,))
    other_staff = StaffMemberFactory(organisation=provider)
    other_run, _ = delivered_run(other_course, {provider: [other_staff]}, officer=council_officer)
    rate(Delegate.objects.get(interest__run=other_run), admin, met_aims=2, trainer=2, useful=2, overall=2)
    return {"first": first, "second": second, "other_course": other_course}


def test_course_scores_are_the_means_to_one_decimal_place(course, rated):
    scores = evaluations.course_scores([course.pk])[course.pk]
    assert scores.responses == 3
    assert scores.met_aims == Decimal("4.0")
    assert scores.trainer == Decimal("4.3")  # 13 / 3
    assert scores.useful == Decimal("4.0")
    assert scores.overall == Decimal("4.0")
    assert scores.average == Decimal("4.1")  # 49 / 12 = 4.08
    assert rated["other_course"].pk not in evaluations.course_scores([course.pk])


def test_provider_scores_cover_all_its_courses_in_one_query(course, rated, training_org):
    with CaptureQueriesContext(connection) as queries:
        scores = evaluations.provider_scores()[training_org.pk]
    assert len(queries) == 1
    assert scores.responses == 4 and scores.overall == Decimal("3.5")  # (5 + 4 + 3 + 2) / 4


def test_scores_can_be_limited_to_runs_starting_in_a_period(course, rated):
    earlier = timezone.now() - timedelta(days=100)
    CourseRun.objects.filter(pk=rated["second"].pk).update(starts_at=earlier, ends_at=earlier + timedelta(hours=6))
    recent = evaluations.course_scores([course.pk], starts_from=timezone.now() - timedelta(days=30))
    assert recent[course.pk].responses == 2
    old = evaluations.course_scores([course.pk], starts_before=timezone.now() - timedelta(days=30))
    assert old[course.pk].responses == 1 and old[course.pk].trainer == Decimal("5.0")


def test_run_scores_break_a_course_down(course, rated):
    per_run = evaluations.run_scores(course)
    assert per_run[rated["first"].pk].responses == 2 and per_run[rated["second"].pk].responses == 1
    assert per_run[rated["second"].pk].trainer == Decimal("5.0")


def test_course_evaluations_page_shows_means_runs_and_comments_without_names(
    client, course, rated, council_officer, training_admin
):
    for person in (council_officer, training_admin):
        client.force_login(person)
        response = client.get(reverse("training:course-evaluations", args=[course.pk]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "3 responses" in page and "4.3" in page and "Comment 5445" in page
        assert len(response.context["runs"]) == 2
        for delegate in Delegate.objects.filter(interest__run__course=course).select_related("staff"):
            assert delegate.staff.name not in page


def test_provider_evaluations_page_lists_each_courses_scores(client, course, rated, training_org, council_officer):
    client.force_login(council_officer)
    response = client.get(reverse("training:provider-evaluations", args=[training_org.pk]))
    page = response.content.decode()
    assert "Moving and handling" in page and course.title in page and "4 responses over all courses" in page
    rows = {row.course.title: row.scores for row in response.context["courses"]}
    assert rows["Moving and handling"].overall == Decimal("2.0")


def test_evaluation_pages_are_empty_before_anyone_rates(client, course, training_org, training_admin):
    client.force_login(training_admin)
    page = client.get(reverse("training:course-evaluations", args=[course.pk])).content.decode()
    assert "No one has rated this course yet." in page
    page = client.get(reverse("training:provider-evaluations", args=[training_org.pk])).content.decode()
    assert "0 responses over all courses" in page


def test_evaluation_scores_are_the_council_and_the_training_providers_own(
    client, course, training_org, provider_admin, provider_member, partner_member, provider
):
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    for person in (provider_admin, provider_member, partner_member, rival):
        client.force_login(person)
        assert client.get(reverse("training:course-evaluations", args=[course.pk])).status_code in (403, 404)
        assert client.get(reverse("training:provider-evaluations", args=[training_org.pk])).status_code == 403
    client.force_login(rival)
    assert client.get(reverse("training:course-evaluations", args=[course.pk])).status_code == 403
    # A care provider is not a training provider: there is no such scores page.
    assert client.get(reverse("training:provider-evaluations", args=[provider.pk])).status_code == 404


def _page_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_evaluation_pages_queries_stay_the_same_as_ratings_grow(
    client, course, training_org, council_officer, provider
):
    admin = person_in(provider, Role.ADMIN)
    client.force_login(council_officer)
    course_url = reverse("training:course-evaluations", args=[course.pk])
    provider_url = reverse("training:provider-evaluations", args=[training_org.pk])

    def add_run(n):
        staff = [StaffMemberFactory(organisation=provider) for _ in range(n)]
        run, _ = delivered_run(course, {provider: staff}, officer=council_officer)
        for d in Delegate.objects.filter(interest__run=run):
            rate(d, admin)

    add_run(1)
    before = (_page_queries(client, course_url), _page_queries(client, provider_url))
    add_run(3)
    add_run(2)
    other = course_for(training_org, title="Fire safety", codes=(6,))
    org = OrganisationFactory(name="Care home 9", sectors=[sector("residential-care")])
    person_in(org, Role.ADMIN)
    delivered_run(other, {org: [StaffMemberFactory(organisation=org)]}, officer=council_officer)
    assert (_page_queries(client, course_url), _page_queries(client, provider_url)) == before


def test_a_run_with_fewer_than_three_ratings_shows_no_scores_of_its_own(
    client, course, delegate, provider_admin, training_admin
):
    rate(delegate, provider_admin, met_aims=1, trainer=1, useful=1, overall=1, comments="Too fast")
    client.force_login(training_admin)
    page = client.get(reverse("training:course-evaluations", args=[course.pk])).content.decode()
    assert "Fewer than 3 responses: not shown" in page
    assert "Too fast" in page and "Run of" not in page
