"""The catalogue of upcoming runs and the course list: who sees what, every filter, and constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.organisations.models import Organisation, Role
from carenetwork.training import permissions
from carenetwork.training.catalogue import course_list_for, run_catalogue_for
from carenetwork.training.models import Course, CourseRun, DeliveryMode, Interest
from tests.factories import OrganisationFactory, UserFactory, person_in, sector
from tests.records.factories import category
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("training:catalogue")
COURSES = reverse("training:course-list")


def _shown(client, url=CATALOGUE, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def _run_links(page: str, runs) -> set[int]:
    return {r.pk for r in runs if reverse("training:run-detail", args=[r.pk]) in page}


@pytest.fixture
def runs(training_org, partner_org):
    """Runs in every state: which the catalogue lists depends on the person."""
    course = course_for(training_org)
    under_review = course_for(training_org, status=Course.Status.SUBMITTED, title="Under review")
    withdrawn = course_for(training_org, status=Course.Status.WITHDRAWN, title="Withdrawn")
    made = {
        "open": run_for(course),
        "partners": run_for(course, days=20, status=CourseRun.Status.PARTNERS),
        "confirmed": run_for(course, days=40, status=CourseRun.Status.CONFIRMED),
        "cancelled": run_for(course, days=50, status=CourseRun.Status.CANCELLED),
        "past": run_for(course, days=-3),
        "under_review": run_for(under_review),
        "withdrawn": run_for(withdrawn),
        "partner_has_places": run_for(course, days=60),
    }
    Interest.objects.create(run=made["partner_has_places"], organisation=partner_org, places=1)
    return made


LISTED_FOR_MEMBERS = {"open", "partners", "confirmed", "partner_has_places"}


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        ("provider_member", LISTED_FOR_MEMBERS),
        ("provider_admin", LISTED_FOR_MEMBERS),
        ("other_admin", LISTED_FOR_MEMBERS),
        ("partner_member", {"partners", "partner_has_places"}),
        ("training_admin", LISTED_FOR_MEMBERS),
        ("council_officer", LISTED_FOR_MEMBERS),
    ],
)
def test_catalogue_lists_upcoming_runs_of_approved_courses_the_person_may_see(request, client, runs, role, listed):
    client.force_login(request.getfixturevalue(role))
    page = _shown(client)
    assert _run_links(page, runs.values()) == {runs[name].pk for name in listed}


def test_catalogue_agrees_with_the_run_permission(request, runs, training_org):
    """The catalogue's queryset mirrors permissions.can_view_run for every role (among upcoming, approved runs)."""
    rival = person_in(OrganisationFactory(kind=Organisation.Kind.TRAINING), Role.ADMIN)
    own_run = runs["open"]
    people = [
        request.getfixturevalue(role)
        for role in ("provider_member", "partner_member", "training_admin", "council_admin")
    ] + [rival]
    for person in people:
        listed = set(run_catalogue_for(user=person).values_list("pk", flat=True))
        for run in CourseRun.objects.filter(pk__in=[r.pk for r in runs.values()]).select_related("course"):
            upcoming = run.course.is_published and run.status != "cancelled" and run.starts_at > timezone.now()
            if upcoming:
                assert (run.pk in listed) == permissions.can_view_run(person, run), (person, run.status)
    assert own_run.pk not in set(run_catalogue_for(user=rival).values_list("pk", flat=True))


def test_catalogue_is_refused_to_people_without_a_membership(client):
    client.force_login(UserFactory())
    assert client.get(CATALOGUE).status_code == 403


def test_a_run_row_shows_what_members_compare(client, training_org, provider_admin):
    course = course_for(training_org, title="Medication awareness")
    run_for(
        course,
        tiers=[(1, "95"), (6, "75")],
        minimum=6,
        area="Northbrook",
        sectors=[sector("home-care"), sector("residential-care")],
    )
    client.force_login(provider_admin)
    page = _shown(client)
    for text in (
        "Medication awareness",
        "SafeHands Training",
        "Northbrook",
        "0 of 12",
        "£75.00 a place at most",
        "Home care",
        "Residential care",
        "govuk-tag",
        "Taking interest",
        "1 upcoming course date",
    ):
        assert text in page, text


def test_an_online_run_says_online(client, training_org, provider_admin):
    run_for(course_for(training_org), venue="", area="", online_link="https://meet.example.org/x")
    client.force_login(provider_admin)
    assert "Online" in _shown(client)


def test_empty_catalogue_says_so(client, provider_admin):
    client.force_login(provider_admin)
    page = _shown(client)
    assert "No courses are coming up at the moment." in page


# Filters


@pytest.fixture
def spread(training_org):
    """Four runs that differ in one thing each from the first."""
    face = course_for(training_org, codes=(20,), title="Safeguarding")
    online = course_for(training_org, codes=(15,), title="Moving people", delivery_mode=DeliveryMode.ONLINE)
    return {
        "first": run_for(face, days=10, area="Eastmarsh Central", fee="800"),  # £160 a place at the minimum of 5
        "later": run_for(face, days=40, area="Northbrook", fee="400", sectors=[sector("home-care")]),
        "online": run_for(online, days=20, area="", venue="", online_link="https://meet.example.org/a", fee="2000"),
        "residential": run_for(face, days=25, sectors=[sector("residential-care")], fee="500"),
    }


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda: {"category": category(15).pk}, {"online"}),
        (lambda: {"category": category(20).pk}, {"first", "later", "residential"}),
        # Runs for no sector in particular are for every sector.
        (lambda: {"sector": sector("home-care").pk}, {"first", "later", "online"}),
        (lambda: {"sector": sector("residential-care").pk}, {"first", "online", "residential"}),
        (lambda: _date("date_from", _day(20)), {"later", "online", "residential"}),
        (lambda: _date("date_to", _day(20)), {"first", "online"}),
        (lambda: {**_date("date_from", _day(15)), **_date("date_to", _day(30))}, {"online", "residential"}),
        (lambda: {"area": "Northbrook"}, {"later"}),
        (lambda: {"delivery_mode": DeliveryMode.ONLINE}, {"online"}),
        (lambda: {"delivery_mode": DeliveryMode.FACE_TO_FACE}, {"first", "later", "residential"}),
        (lambda: {"max_price": "100"}, {"later", "residential"}),
        (lambda: {"max_price": "80"}, {"later"}),
        (lambda: {"max_price": "160.00"}, {"first", "later", "residential"}),
        (lambda: {}, {"first", "later", "online", "residential"}),
    ],
)
def test_catalogue_filters(client, provider_admin, spread, params, expected):
    client.force_login(provider_admin)
    page = _shown(client, **params())
    assert _run_links(page, spread.values()) == {spread[name].pk for name in expected}


def test_runs_are_sorted_by_date(client, provider_admin, spread):
    client.force_login(provider_admin)
    page = _shown(client)
    positions = [page.index(reverse("training:run-detail", args=[spread[n].pk])) for n in spread]
    order = sorted(spread, key=lambda n: positions[list(spread).index(n)])
    assert order == ["first", "online", "residential", "later"]


def test_area_filter_offers_the_areas_of_upcoming_runs(client, provider_admin, spread):
    client.force_login(provider_admin)
    page = _shown(client)
    assert '<option value="Northbrook">Northbrook</option>' in page


def test_a_mistaken_filter_is_shown_and_the_others_still_apply(client, provider_admin, spread):
    client.force_login(provider_admin)
    page = _shown(client, max_price="cheap", area="Northbrook", **_date("date_from", _day(30)), date_to_0="40")
    assert "There is a problem" in page
    assert "Enter the price as an amount in pounds, like 75 or 75.50" in page
    assert "Enter the day, month and year" in page
    assert _run_links(page, spread.values()) == {spread["later"].pk}


def test_dates_the_wrong_way_round_are_an_error(client, provider_admin, spread):
    client.force_login(provider_admin)
    page = _shown(client, **_date("date_from", _day(30)), **_date("date_to", _day(10)))
    assert "The second date must be the same as or after the first" in page


def test_no_match_says_so(client, provider_admin, spread):
    client.force_login(provider_admin)
    page = _shown(client, max_price="1")
    assert "No upcoming courses match your filters" in page


def test_catalogue_is_paginated_by_25(client, provider_admin, training_org):
    course = course_for(training_org)
    for day in range(1, 28):
        run_for(course, days=day)
    client.force_login(provider_admin)
    first = _shown(client)
    assert first.count(">Safeguarding adults, level 2</a>") == 25 and "27 upcoming course dates" in first
    second = _shown(client, page=2)
    assert second.count(">Safeguarding adults, level 2</a>") == 2


# The course list


@pytest.fixture
def courses(training_org):
    return {
        "safeguarding": course_for(training_org, codes=(20,), title="Safeguarding adults"),
        "moving": course_for(training_org, codes=(15, 20), title="Moving and assisting", delivery_mode="blended"),
        "review": course_for(training_org, status=Course.Status.SUBMITTED, title="Safeguarding under review"),
        "returned": course_for(training_org, status=Course.Status.RETURNED, title="Returned course"),
    }


def _course_links(page, courses) -> set[str]:
    return {n for n, c in courses.items() if reverse("training:course-detail", args=[c.pk]) in page}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda: {}, {"safeguarding", "moving"}),
        (lambda: {"q": "safeguard"}, {"safeguarding"}),
        (lambda: {"category": category(15).pk}, {"moving"}),
        (lambda: {"category": category(20).pk}, {"safeguarding", "moving"}),
        (lambda: {"delivery_mode": "blended"}, {"moving"}),
        (lambda: {"q": "nothing like it"}, set()),
    ],
)
@pytest.mark.parametrize("role", ["provider_member", "training_admin", "council_officer", "partner_member"])
def test_course_list_shows_approved_courses_filtered(request, client, courses, params, expected, role):
    client.force_login(request.getfixturevalue(role))
    page = _shown(client, COURSES, **params())
    assert _course_links(page, courses) == expected


def test_course_list_counts_upcoming_dates(provider_member, courses):
    run_for(courses["moving"])
    run_for(courses["moving"], days=5)
    run_for(courses["moving"], days=-5)
    run_for(courses["moving"], days=9, status=CourseRun.Status.CANCELLED)
    found = {c.title: c.upcoming_runs for c in course_list_for(user=provider_member)}
    assert found == {"Moving and assisting": 2, "Safeguarding adults": 0}


def test_course_list_counts_only_dates_a_partner_may_see(partner_member, courses):
    run_for(courses["moving"])
    run_for(courses["moving"], status=CourseRun.Status.PARTNERS)
    found = {c.title: c.upcoming_runs for c in course_list_for(user=partner_member)}
    assert found["Moving and assisting"] == 1


# Constant queries


def _volume(training_org, n: int) -> None:
    """n runs over n // 3 courses of several training providers, each run targeting two sectors."""
    providers = [training_org] + [OrganisationFactory(kind=Organisation.Kind.TRAINING) for _ in range(2)]
    targets = [sector("home-care"), sector("residential-care")]
    made = [course_for(providers[i % 3], codes=(20, 15), title=f"Course {i}") for i in range(max(n // 3, 1))]
    for i in range(n):
        run_for(made[i % len(made)], days=i + 1, sectors=targets, tiers=[(1, "90"), (5, "70")] if i % 2 else None)


def _queries(client, url, **params) -> int:
    client.get(url, params)  # the first request of a session warms caches once per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["provider_admin", "partner_member", "council_officer", "training_admin"])
@pytest.mark.parametrize(
    ("url", "params"),
    [
        (CATALOGUE, {}),
        (CATALOGUE, {"category": "CAT", "sector": "SECTOR", "delivery_mode": "face_to_face", "max_price": "500"}),
        (COURSES, {}),
        (COURSES, {"q": "Course", "category": "CAT", "delivery_mode": "face_to_face"}),
    ],
)
def test_catalogue_pages_make_the_same_queries_for_3_or_30_runs(
    request, client, training_org, partner_org, role, url, params
):
    params = {
        k: (category(20).pk if v == "CAT" else sector("home-care").pk if v == "SECTOR" else v)
        for k, v in params.items()
    }
    client.force_login(request.getfixturevalue(role))
    _volume(training_org, 3)
    CourseRun.objects.update(status=CourseRun.Status.PARTNERS)  # so the partner sees them too
    few = _queries(client, url, **params)
    _volume(training_org, 27)
    CourseRun.objects.update(status=CourseRun.Status.PARTNERS)
    many = _queries(client, url, **params)
    assert few == many
    assert many <= 14


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("training:course-detail", lambda w: [w["course"].pk]),
        ("training:provider-courses", lambda w: [w["training_org"].pk]),
        ("training:course-review-queue", lambda w: []),
    ],
)
def test_course_pages_make_the_same_queries_for_few_or_many_runs(client, training_org, training_admin, name, args):
    council = OrganisationFactory(kind=Organisation.Kind.COUNCIL)
    officer = person_in(council, Role.OFFICER)
    course = course_for(training_org)
    world = {"course": course, "training_org": training_org}
    client.force_login(officer if name == "training:course-review-queue" else training_admin)

    def grow(n):
        for i in range(n):
            run_for(course, days=i + 2, sectors=[sector("home-care")])
            course_for(training_org, status=Course.Status.SUBMITTED, title=f"Waiting {i}")

    grow(2)
    few = _queries(client, reverse(name, args=args(world)))
    grow(20)
    assert _queries(client, reverse(name, args=args(world))) == few


def test_price_filter_uses_the_kept_current_price(provider_admin, training_org):
    course = course_for(training_org)
    run = run_for(course, fee="600", minimum=6)  # £100 a place at the minimum
    assert run.current_price == Decimal("100.00")
    assert list(run_catalogue_for(user=provider_admin, max_price=Decimal("100"))) == [run]
    assert list(run_catalogue_for(user=provider_admin, max_price=Decimal("99.99"))) == []
