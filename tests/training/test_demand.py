"""The demand survey (a provider's admins answer it; others may not) and the commissioning priorities: the pure
ranking rule, the figures behind it and the council's page and CSV."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.records.models import MandatoryTraining
from carenetwork.training import demand
from carenetwork.training.demand import Need, rank
from carenetwork.training.models import CourseRun, DemandEstimate
from tests.factories import OrganisationFactory, sector
from tests.records.factories import StaffMemberFactory, category, job_role, record_for
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

SAFEGUARDING, FIRE, INFECTION, MEDICATION, MOVING, DEMENTIA = 20, 6, 10, 13, 15, 2


def survey_url(organisation):
    return reverse("training:demand-survey", args=[organisation.pk])


def field(code):
    return f"category_{category(code).pk}"


# The ranking rule (pure).


def need(pk, name, demand=0, gap=0):
    return Need(category_id=pk, name=name, demand=demand, gap=gap)


def test_rank_orders_by_survey_demand_plus_skills_gap():
    needs = [need(1, "Fire", demand=5, gap=1), need(2, "Dementia", demand=0, gap=9), need(3, "Moving", demand=2)]
    assert [n.name for n in rank(needs)] == ["Dementia", "Fire", "Moving"]
    assert [n.combined for n in rank(needs)] == [9, 6, 2]


def test_rank_breaks_ties_by_the_larger_gap_then_by_name():
    needs = [
        need(1, "b survey only", demand=6),
        need(2, "Zeta", demand=2, gap=4),
        need(3, "alpha", demand=2, gap=4),
        need(4, "Gap only", gap=6),
    ]
    assert [n.name for n in rank(needs)] == ["Gap only", "alpha", "Zeta", "b survey only"]


def test_rank_leaves_out_categories_nobody_needs_and_keeps_the_top_ten():
    needs = [need(i, f"Category {i:02d}", demand=i) for i in range(0, 15)]
    ranked = rank(needs)
    assert len(ranked) == 10
    assert ranked[0].name == "Category 14" and ranked[-1].name == "Category 05"
    assert rank([need(1, "Nobody", demand=0, gap=0)]) == []
    assert len(rank(needs, limit=3)) == 3


# The survey: who may answer it.


def test_provider_admin_answers_the_survey(client_for, provider, provider_admin):
    client = client_for(provider_admin)
    response = client.get(survey_url(provider))
    assert response.status_code == 200
    response = client.post(survey_url(provider), {field(SAFEGUARDING): "4", field(FIRE): "", field(MOVING): "0"})
    assert response.status_code == 302
    estimates = {e.category.code: e.staff_needing for e in DemandEstimate.objects.filter(organisation=provider)}
    assert estimates == {SAFEGUARDING: 4}
    page = client.get(survey_url(provider)).content.decode()
    assert 'value="4"' in page


@pytest.mark.parametrize("role", ["provider_member", "other_admin", "training_admin", "partner_member"])
def test_only_the_providers_admins_may_answer_its_survey(request, client_for, provider, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(survey_url(provider)).status_code == 403
    assert client.post(survey_url(provider), {field(SAFEGUARDING): "4"}).status_code == 403
    assert not DemandEstimate.objects.exists()


def test_council_staff_do_not_answer_for_a_provider(client_for, provider, council_officer, council_admin):
    for person in (council_officer, council_admin):
        assert client_for(person).get(survey_url(provider)).status_code == 403


def test_survey_of_an_organisation_that_is_not_a_provider_is_refused(client_for, training_org, training_admin):
    assert client_for(training_admin).get(survey_url(training_org)).status_code == 403


def test_survey_of_an_unknown_organisation_is_not_found(client_for, provider_admin):
    assert client_for(provider_admin).get(reverse("training:demand-survey", args=[999999])).status_code == 404


def test_service_refuses_someone_who_is_not_the_providers_admin(provider, other_admin, provider_member):
    for person in (other_admin, provider_member):
        with pytest.raises(PermissionDenied):
            demand.demand_save(actor=person, organisation=provider, answers={category(SAFEGUARDING).pk: 3})


def test_negative_number_is_an_error_that_names_the_training(client_for, provider, provider_admin):
    response = client_for(provider_admin).post(survey_url(provider), {field(FIRE): "-2", field(SAFEGUARDING): "3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The number of staff who need Fire safety must be 0 or more" in page
    assert f'href="#id_{field(FIRE)}"' in page
    assert not DemandEstimate.objects.exists()  # nothing is saved while any answer is wrong


def test_words_are_an_error(client_for, provider, provider_admin):
    response = client_for(provider_admin).post(survey_url(provider), {field(FIRE): "some"})
    assert "as a whole number" in response.content.decode()


def test_survey_asks_the_providers_mandatory_training_first(client_for, provider, provider_admin):
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    MandatoryTraining.objects.create(sector=sector("residential-care"), category=category(MOVING))
    MandatoryTraining.objects.create(organisation=provider, category=category(DEMENTIA))
    form = client_for(provider_admin).get(survey_url(provider)).context["form"]
    groups = form.groups()
    assert [g[0] for g in groups] == ["mandatory", "other"]
    assert [f.label for f in groups[0][2]] == sorted([category(MOVING).name, category(DEMENTIA).name])
    assert category(FIRE).name in [f.label for f in groups[1][2]]


def test_inactive_categories_are_not_asked(client_for, provider, provider_admin):
    fire = category(FIRE)
    fire.is_active = False
    fire.save()
    form = client_for(provider_admin).get(survey_url(provider)).context["form"]
    assert field(FIRE) not in form.fields
    with pytest.raises(ValidationError):
        demand.demand_save(actor=provider_admin, organisation=provider, answers={fire.pk: 2})


# The survey service.


def test_blank_leaves_an_answer_zero_clears_it_and_a_number_replaces_it(provider, provider_admin):
    safeguarding, fire, moving = category(SAFEGUARDING), category(FIRE), category(MOVING)
    demand.demand_save(actor=provider_admin, organisation=provider, answers={safeguarding.pk: 4, fire.pk: 2})
    result = demand.demand_save(
        actor=provider_admin, organisation=provider, answers={safeguarding.pk: None, fire.pk: 0, moving.pk: 7}
    )
    assert result == {safeguarding.pk: 4, moving.pk: 7}
    assert DemandEstimate.objects.filter(organisation=provider).count() == 2


def test_each_save_is_audited_with_what_changed(provider, provider_admin):
    fire = category(FIRE)
    demand.demand_save(actor=provider_admin, organisation=provider, answers={fire.pk: 2})
    demand.demand_save(actor=provider_admin, organisation=provider, answers={fire.pk: 5})
    events = AuditEvent.objects.filter(action="training_demand.updated").order_by("pk")
    assert [e.changes for e in events] == [{fire.name: [None, 2]}, {fire.name: [2, 5]}]
    assert all(e.actor == provider_admin and e.organisation == provider for e in events)


def test_answers_older_than_six_months_no_longer_count(provider, provider_admin):
    fire, moving = category(FIRE), category(MOVING)
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        demand.demand_save(actor=provider_admin, organisation=provider, answers={fire.pk: 3, moving.pk: 2})
    demand.demand_save(actor=provider_admin, organisation=provider, answers={moving.pk: 2})  # confirmed again
    assert demand.current_answers(provider) == {moving.pk: 2}
    since = demand.current_since()
    assert demand.demand_by_category(since=since) == {moving.pk: 2}


def test_six_months_are_calendar_months():
    moment = timezone.make_aware(datetime.datetime(2026, 8, 31, 10, 0))
    assert timezone.localtime(demand.current_since(moment)).date() == datetime.date(2026, 2, 28)


# Commissioning priorities.


@pytest.fixture
def market(provider, provider_admin, other_provider, other_admin, training_org):
    """Residential care (the provider) lacks moving and assisting; home care says it needs fire safety."""
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    MandatoryTraining.objects.create(sector=sector("residential-care"), category=category(MOVING))
    MandatoryTraining.objects.create(sector=sector("home-care"), category=category(MEDICATION))
    for i in range(3):
        staff = StaffMemberFactory(organisation=provider, job_role=job_role(8))
        if i == 0:
            record_for(staff, MOVING, datetime.date(2018, 1, 1), expires_on=datetime.date(2019, 1, 1))  # expired
    held = StaffMemberFactory(organisation=other_provider, job_role=job_role(8))
    record_for(held, MEDICATION, datetime.date(2025, 1, 1), expires_on=datetime.date(2099, 1, 1))
    demand.demand_save(
        actor=other_admin, organisation=other_provider, answers={category(FIRE).pk: 5, category(MOVING).pk: 1}
    )
    demand.demand_save(actor=provider_admin, organisation=provider, answers={category(INFECTION).pk: 2})
    # Two runs covering fire safety are commissioned: one for home care with 10 places left, one for everyone.
    course = course_for(training_org, codes=(FIRE,))
    run_for(course, capacity=10, sectors=[sector("home-care")])
    run_for(course, capacity=6, sectors=[])
    run_for(course, capacity=8, sectors=[sector("residential-care")])
    cancelled = run_for(course, capacity=20)
    CourseRun.objects.filter(pk=cancelled.pk).update(status=CourseRun.Status.CANCELLED)
    return course


def test_priorities_combine_survey_demand_and_the_skills_gap(market):
    result = demand.priorities()
    rows = {n.name: (n.combined, n.demand, n.gap) for n in result.needs}
    assert rows == {
        category(FIRE).name: (5, 5, 0),
        category(MOVING).name: (4, 1, 3),
        category(INFECTION).name: (2, 2, 0),
    }
    assert [n.name for n in result.needs] == [category(FIRE).name, category(MOVING).name, category(INFECTION).name]
    assert result.respondents == 2


def test_priorities_show_what_is_already_commissioned(market):
    fire = next(n for n in demand.priorities().needs if n.name == category(FIRE).name)
    assert (fire.upcoming_runs, fire.places_left) == (3, 24)  # the cancelled run does not count


def test_priorities_for_one_sector(market):
    result = demand.priorities(sector=sector("home-care"))
    assert [(n.name, n.demand, n.gap) for n in result.needs] == [
        (category(FIRE).name, 5, 0),
        (category(MOVING).name, 1, 0),
    ]
    fire = result.needs[0]
    assert (fire.upcoming_runs, fire.places_left) == (2, 16)  # home care's run and the run for everyone
    assert result.respondents == 1


def test_inactive_providers_answers_do_not_count(market, other_provider):
    other_provider.is_active = False
    other_provider.save()
    names = [n.name for n in demand.priorities().needs]
    assert category(FIRE).name not in names


def test_priorities_page_shows_the_table_chart_and_method(client_for, council_officer, market):
    response = client_for(council_officer).get(reverse("training:priorities"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="priorities-table"' in page and 'id="priorities-chart-title"' in page
    assert "How the need is worked out" in page
    assert category(FIRE).name in page


def test_priorities_page_with_an_unknown_sector_shows_an_error(client_for, council_officer, market):
    response = client_for(council_officer).get(reverse("training:priorities"), {"sector": "nowhere"})
    assert response.status_code == 200
    assert "Select a sector from the list" in response.content.decode()
    assert len(response.context["result"].needs) == 3  # the whole market meanwhile


def test_priorities_page_empty(client_for, council_officer):
    MandatoryTraining.objects.all().delete()
    page = client_for(council_officer).get(reverse("training:priorities")).content.decode()
    assert 'id="no-priorities"' in page and 'id="priorities-table"' not in page


def test_priorities_csv(client_for, council_officer, market):
    response = client_for(council_officer).get(reverse("training:priorities-csv"), {"sector": "home-care"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Rank,Training category,Combined need,Staff needing it (survey),Staff lacking it (skills gap),"
        "Upcoming runs,Places left on them"
    )
    assert lines[1] == f"1,{category(FIRE).name},5,5,0,2,16"


def test_priorities_page_queries_stay_the_same_as_data_grows(client_for, council_officer, market, training_org):
    client = client_for(council_officer)
    url = reverse("training:priorities")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(5):
        org = OrganisationFactory(sectors=[sector("home-care")])
        demand.demand_save(
            actor=_admin_of(org), organisation=org, answers={category(MEDICATION).pk: i + 1, category(FIRE).pk: 1}
        )
        StaffMemberFactory(organisation=org, job_role=job_role(8))
        run_for(course_for(training_org, codes=(MEDICATION, INFECTION)), sectors=[sector("home-care")])
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
    assert len(before) <= 13  # 12 before the compliance figures, whose day is one more query


def _admin_of(org):
    from carenetwork.organisations.models import Role
    from tests.factories import person_in

    return person_in(org, Role.ADMIN)


def test_survey_page_costs_the_same_queries_however_many_answers(client_for, provider, provider_admin):
    client = client_for(provider_admin)
    client.get(survey_url(provider))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(survey_url(provider)).status_code == 200
        return len(queries)

    none = count()
    codes = [SAFEGUARDING, FIRE, MOVING]
    demand.demand_save(actor=provider_admin, organisation=provider, answers={category(c).pk: 3 for c in codes})
    assert count() == none
