"""The training area's API: course runs with their live position, the caller organisation's interest (register,
change, withdraw), its course bookings (cancel) and delegates (name, add, remove), and a run's bookings and
invoices for its training provider. The same services and rules as the run's pages: another organisation's places
do not exist (404), a person or token who may see but not act is refused (403), a broken rule is a 400 problem."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from carenetwork.api.models import ApiToken
from carenetwork.api.services import token_revoke
from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from carenetwork.training import decisions, interests
from carenetwork.training.models import Course, CourseRun, Interest
from tests.api.conftest import ALL
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

RUNS, BOOKINGS = "/api/v1/course-runs/", "/api/v1/course-bookings/"
VIA = "token Rota sync of Willow Care Home"
NO_TRAINING = [a for a in ALL if a != "training"]


def run_url(run, rest=""):
    return f"{RUNS}{run.pk}/{rest}"


def booking_url(interest, rest=""):
    return f"{BOOKINGS}{interest.pk}/{rest}"


def signed_in(user):
    api = APIClient()
    api.force_login(user)
    return api


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def pointers(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return {e["pointer"] for e in response.json()["errors"]}


def others_take(run, n, places=1):
    for i in range(n):
        organisation = OrganisationFactory(name=f"Home {run.pk}-{i}")
        admin = person_in(organisation, Role.ADMIN)
        interests.interest_save(actor=admin, run=run, organisation=organisation, places=places)


def booked(course, organisation, admin, places=2, **fields):
    """A confirmed run (£200 shared, minimum 1) on which the organisation has `places` booked at the locked price."""
    run = run_for(course, fee="200", minimum=1, **fields)
    interest = interests.interest_save(actor=admin, run=run, organisation=organisation, places=places)
    decisions.run_decide(run=run)
    interest.refresh_from_db()
    return run, interest


def audited(action, interest):
    return AuditEvent.objects.filter(action=action, object_type="interest", object_id=str(interest.pk))


@pytest.fixture
def course(training_org):
    return course_for(training_org)


@pytest.fixture
def api(api_as, provider_token):
    return api_as(provider_token)


@pytest.fixture
def read_only(api_as, make_token, provider_admin, provider):
    return api_as(make_token(provider_admin, provider, read=["training"], write=[]))


@pytest.fixture
def training_api(api_as, make_token, training_admin, training_org):
    return api_as(make_token(training_admin, training_org, read=ALL, write=ALL, name="Invoices"))


# Runs and the live position ---------------------------------------------------------------------------------


def test_the_run_shows_the_live_position_its_page_shows(api, course):
    run = run_for(course, fee="600", minimum=6, capacity=12)
    others_take(run, 4)
    body = api.get(run_url(run)).json()
    position = body["position"]
    # The brief's worked example: £600 shared, minimum 6, four places taken.
    assert position["places_taken"] == 4 and position["still_needed"] == 2 and position["places_left"] == 8
    assert position["most_per_place"] == "100.00" and not position["locked"]
    assert position["next_step"] == {"more": 3, "price": "85.72"}  # 600 / 7, rounded up
    assert position["table"][0] == {"first": 4, "last": 6, "price": "100.00"}
    assert body["current_price"] == "100.00" and body["organisations_interested"] == 4
    assert body["places_closed_reason"] is None and body["may_take_places"] is True
    assert body["course"]["provider"]["name"] == "SafeHands Training" and body["your_places"] == []


def test_a_tiered_run_shows_its_tiers_and_a_confirmed_run_its_locked_price(api, course, provider, provider_admin):
    tiered = run_for(course, tiers=[(1, "90"), (5, "70"), (10, "55")], minimum=5)
    body = api.get(run_url(tiered)).json()
    assert body["pricing"] == "tiers" and body["fee"] is None
    assert [t["from_places"] for t in body["tiers"]] == [1, 5, 10]
    assert body["position"]["most_per_place"] == "70.00" and body["position"]["next_step"] == {
        "more": 10,
        "price": "55.00",
    }
    run, interest = booked(course, provider, provider_admin)
    body = api.get(run_url(run)).json()
    assert body["status"] == "confirmed" and body["locked_price"] == "100.00"
    assert body["position"]["locked"] and body["position"]["steps"] == [] and body["position"]["next_step"] is None
    (mine,) = body["your_places"]
    assert mine["booking"] == interest.pk and mine["status"] == "booked" and mine["amount_due"] == "200.00"


def test_the_run_list_holds_the_runs_the_caller_may_see(api, course, training_org):
    shown = run_for(course)
    hidden = run_for(course_for(training_org, title="Under review", status=Course.Status.SUBMITTED))
    listed = ids(api.get(RUNS))
    assert shown.pk in listed and hidden.pk not in listed
    assert api.get(run_url(hidden)).status_code == 404


def test_partners_see_a_run_only_once_it_is_offered_to_them(course, partner_member):
    run = run_for(course, fee="500", minimum=5, partner_margin=3)
    others_take(run, 3)
    partner = signed_in(partner_member)
    assert partner.get(run_url(run)).status_code == 404 and run.pk not in ids(partner.get(RUNS))
    decisions.run_decide(run=run)
    assert partner.get(run_url(run)).json()["may_take_places"] is True and run.pk in ids(partner.get(RUNS))


def test_the_run_list_filters(api, course, training_org):
    other_course = course_for(training_org, title="Moving and handling", codes=(15,))
    soon = run_for(course, days=20)
    later = run_for(other_course, days=60)
    closed = run_for(course, days=10)  # interest closed 14 days before: the decision is being made
    cancelled = run_for(course, days=40, status=CourseRun.Status.CANCELLED)
    assert ids(api.get(RUNS, {"course": other_course.pk})) == [later.pk]
    assert ids(api.get(RUNS, {"status": "cancelled"})) == [cancelled.pk]
    assert ids(api.get(RUNS, {"taking_places": "true"})) == [soon.pk, later.pk]
    assert ids(api.get(RUNS, {"taking_places": "false"})) == [closed.pk, cancelled.pk]
    day = timezone.localdate(soon.starts_at)
    assert ids(api.get(RUNS, {"date_from": day.isoformat(), "date_to": day.isoformat()})) == [soon.pk]
    assert ids(api.get(RUNS, {"date_from": (day + timedelta(days=1)).isoformat()})) == [cancelled.pk, later.pk]


def test_the_list_agrees_with_the_rule_for_taking_places(api, course):
    # `taking_places` is the queryset form of `interests.closed_reason`: the two say the same of every state.
    runs = [
        run_for(course, days=30),
        run_for(course, days=10),
        run_for(course, days=10, status=CourseRun.Status.PARTNERS),
        run_for(course, days=3, status=CourseRun.Status.PARTNERS),
        run_for(course, days=3, status=CourseRun.Status.CONFIRMED),
        run_for(course, days=1, status=CourseRun.Status.CONFIRMED),
        run_for(course, days=30, status=CourseRun.Status.CANCELLED),
    ]
    open_now = set(ids(api.get(RUNS, {"taking_places": "true"})))
    assert open_now == {r.pk for r in runs if interests.closed_reason(r) is None}
    assert len(open_now) == 3


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        ({"course": "abc"}, "/course"),
        ({"course": "99999999999999999999"}, "/course"),
        ({"status": "maybe"}, "/status"),
        ({"taking_places": "perhaps"}, "/taking_places"),
        ({"date_from": "31/02/2026"}, "/date_from"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "/date_to"),
    ],
)
def test_bad_run_filters_are_problems_not_errors(api, course, query, pointer):
    run_for(course)
    assert pointer in pointers(api.get(RUNS, query))


def test_an_unknown_course_or_a_huge_id_is_simply_not_found(api, course):
    assert ids(api.get(RUNS, {"course": 2**31 - 1})) == []
    assert api.get(f"{RUNS}99999999999999999999/").status_code == 404
    assert api.get(f"{RUNS}0/").status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # the first call of a token also notes when it was last used
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_run_list_costs_the_same_queries_for_one_run_or_many(api, course, provider, provider_admin):
    run_for(course, tiers=[(1, "90"), (5, "70")], sectors=[sector("home-care")])
    one = _queries(api, RUNS)
    for _ in range(5):
        run = run_for(course, tiers=[(1, "90"), (5, "70")], sectors=[sector("home-care"), sector("residential-care")])
        others_take(run, 2)
        interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    booked(course, provider, provider_admin)
    assert len(ids(api.get(RUNS))) == 7
    assert _queries(api, RUNS) == one


# Who may call: tokens, scopes, people ---------------------------------------------------------------------------


def test_runs_need_a_valid_token_with_the_training_area(api_as, make_token, provider_admin, provider, course):
    run = run_for(course)
    for url in (RUNS, run_url(run), run_url(run, "interest/"), BOOKINGS):
        assert api_as(None).get(url).status_code == 401
        assert api_as("cn_abc_nonsense").get(url).status_code == 401
    without = api_as(make_token(provider_admin, provider, read=NO_TRAINING, write=NO_TRAINING))
    for url in (RUNS, run_url(run), run_url(run, "interest/"), BOOKINGS):
        response = without.get(url)
        assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    assert without.put(run_url(run, "interest/"), {"places": 1}, format="json").status_code == 403
    assert not Interest.objects.exists()


def test_a_revoked_or_expired_token_stops_working(api_as, make_token, provider_admin, provider, course):
    run = run_for(course)
    secret = make_token(provider_admin, provider, read=ALL, write=ALL)
    assert api_as(secret).get(run_url(run)).status_code == 200
    token_revoke(actor=provider_admin, token=ApiToken.objects.get())
    assert api_as(secret).get(run_url(run)).status_code == 401
    expiring = make_token(provider_admin, provider, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert api_as(expiring).get(RUNS).status_code == 401


def test_a_read_only_token_reads_but_does_not_take_places(read_only, course, provider, provider_admin):
    run = run_for(course)
    assert read_only.get(run_url(run)).status_code == 200
    assert read_only.put(run_url(run, "interest/"), {"places": 2}, format="json").status_code == 403
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    assert read_only.delete(run_url(run, "interest/")).status_code == 403
    assert Interest.objects.get().status == Interest.Status.INTERESTED


# Interest: register, change, withdraw ---------------------------------------------------------------------------


def test_registering_changing_and_withdrawing_interest(api, course, provider):
    run = run_for(course, fee="600", minimum=6, capacity=12)
    others_take(run, 2)
    url = run_url(run, "interest/")
    assert api.get(url).status_code == 404  # no interest yet
    response = api.put(url, {"places": 2, "ceiling": "150.00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "interested" and body["places"] == 2 and body["ceiling"] == "150.00"
    assert body["organisation"]["id"] == provider.pk and body["run"]["id"] == run.pk
    interest = Interest.objects.get(organisation=provider)
    assert audited("interest.created", interest).get().via == VIA
    run.refresh_from_db()
    assert run.places_taken == 4 and run.current_price == Decimal("100.00")

    response = api.put(url, {"places": 3}, format="json")
    assert response.status_code == 200 and response.json()["places"] == 3 and response.json()["ceiling"] is None
    assert audited("interest.updated", interest).get().via == VIA
    assert api.get(url).json()["id"] == interest.pk
    assert api.get(run_url(run)).json()["your_places"][0]["places"] == 3

    assert api.delete(url).status_code == 204
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN
    assert audited("interest.withdrawn", interest).get().via == VIA
    run.refresh_from_db()
    assert run.places_taken == 2
    assert api.get(url).status_code == 404 and api.delete(url).status_code == 404


def test_places_beyond_capacity_wait_and_a_confirmed_run_books_at_its_price(api, course, provider, provider_admin):
    run = run_for(course, capacity=5, minimum=1)
    others_take(run, 1, places=4)
    body = api.put(run_url(run, "interest/"), {"places": 3}, format="json").json()
    assert body["places"] == 1 and body["waiting_places"] == 2
    other = run_for(course, fee="300", minimum=1)
    others_take(other, 1, places=2)
    decisions.run_decide(run=other)
    response = api.put(run_url(other, "interest/"), {"places": 1}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "booked" and response.json()["amount_due"] == "150.00"


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({}, "/places"),
        ({"places": 0}, "/places"),
        ({"places": "many"}, "/places"),
        ({"places": 9}, "/places"),  # more than the run has
        ({"places": 1001}, "/places"),
        ({"places": 1, "ceiling": "-1"}, "/ceiling"),
        ({"places": 1, "ceiling": "NaN"}, "/ceiling"),
        ({"places": 1, "ceiling": "12.345"}, "/ceiling"),
    ],
)
def test_bad_interest_is_a_problem_with_pointers(api, course, payload, pointer):
    run = run_for(course, capacity=5)
    assert pointer in pointers(api.put(run_url(run, "interest/"), payload, format="json"))
    assert not Interest.objects.exists()


def test_a_closed_run_refuses_interest_with_the_reason(api, course, provider, provider_admin):
    run = run_for(course, days=30)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    with time_machine.travel(run.interest_deadline + timedelta(hours=1)):
        for response in (
            api.put(run_url(run, "interest/"), {"places": 2}, format="json"),
            api.delete(run_url(run, "interest/")),
        ):
            assert response.status_code == 400
            assert "Interest closed on" in response.json()["errors"][0]["detail"]
    assert Interest.objects.get().places == 1


def test_booked_places_are_cancelled_not_withdrawn(api, course, provider, provider_admin):
    run, interest = booked(course, provider, provider_admin)
    response = api.delete(run_url(run, "interest/"))
    assert response.status_code == 400 and "not yet booked" in response.json()["errors"][0]["detail"]
    fewer = api.put(run_url(run, "interest/"), {"places": 1}, format="json")
    assert "/places" in pointers(fewer)


def test_a_member_may_see_runs_but_not_take_places(course, provider, provider_admin, provider_member):
    run = run_for(course)
    member = signed_in(provider_member)
    assert member.get(run_url(run)).json()["may_take_places"] is False
    assert member.put(run_url(run, "interest/"), {"places": 1}, format="json").status_code == 403
    assert member.get(run_url(run, "interest/")).status_code == 403
    assert member.get(BOOKINGS).status_code == 403
    admin = signed_in(provider_admin)  # a signed-in admin may, through a session as through a token
    response = admin.put(run_url(run, "interest/"), {"places": 1}, format="json")
    assert response.status_code == 201
    assert audited("interest.created", Interest.objects.get()).get().via == ""


def test_the_council_and_the_training_provider_take_no_places(api_as, council_token, training_api, course):
    run = run_for(course)
    council = api_as(council_token)
    assert council.get(run_url(run)).status_code == 200
    assert council.put(run_url(run, "interest/"), {"places": 1}, format="json").status_code == 403
    assert council.get(run_url(run, "interest/")).status_code == 403
    assert training_api.put(run_url(run, "interest/"), {"places": 1}, format="json").status_code == 403
    assert not Interest.objects.exists()


def test_interest_in_a_run_the_caller_may_not_see_is_not_found(api, training_org):
    hidden = run_for(course_for(training_org, status=Course.Status.SUBMITTED))
    assert api.put(run_url(hidden, "interest/"), {"places": 1}, format="json").status_code == 404
    assert api.get(run_url(hidden, "interest/")).status_code == 404


def test_a_person_of_several_organisations_says_which_to_act_for(course, provider, provider_admin, other_provider):
    from carenetwork.organisations.models import Membership

    Membership.objects.create(user=provider_admin, organisation=other_provider, role=Role.ADMIN)
    run = run_for(course)
    client = signed_in(provider_admin)
    assert "/organisation" in pointers(client.put(run_url(run, "interest/"), {"places": 1}, format="json"))
    url = run_url(run, f"interest/?organisation={other_provider.pk}")
    assert client.put(url, {"places": 1}, format="json").status_code == 201
    assert Interest.objects.get().organisation == other_provider


# Bookings ------------------------------------------------------------------------------------------------------


def test_the_booking_list_holds_only_the_callers_places(
    api, course, provider, provider_admin, other_provider, other_admin
):
    run, mine = booked(course, provider, provider_admin)
    _run, theirs = booked(course, other_provider, other_admin)
    assert ids(api.get(BOOKINGS)) == [mine.pk]
    assert ids(api.get(BOOKINGS, {"run": run.pk, "status": "booked"})) == [mine.pk]
    assert ids(api.get(BOOKINGS, {"status": "withdrawn"})) == []
    assert "/status" in pointers(api.get(BOOKINGS, {"status": "lost"}))
    assert "/run" in pointers(api.get(BOOKINGS, {"run": "-3"}))
    body = api.get(booking_url(mine)).json()
    assert body["amount_due"] == "200.00" and body["price"] == "100.00" and body["delegates"] == []
    for url in (
        booking_url(theirs),
        booking_url(theirs, "delegates/"),
        booking_url(theirs, "staff-choices/"),
    ):
        assert api.get(url).status_code == 404
    assert api.post(booking_url(theirs, "cancel/"), {"places": 1}, format="json").status_code == 404
    assert api.put(booking_url(theirs, "delegates/"), {"staff": []}, format="json").status_code == 404
    assert api.post(booking_url(theirs, "invoice/"), {"invoice": "issued"}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.places == 2 and theirs.invoice == Interest.Invoice.NOT_ISSUED


def test_the_booking_list_costs_the_same_queries_for_one_booking_or_many(api, course, provider, provider_admin):
    booked(course, provider, provider_admin)
    one = _queries(api, BOOKINGS)
    for _ in range(5):
        _run, interest = booked(course, provider, provider_admin)
        for person in StaffMemberFactory.create_batch(2, organisation=provider):
            interest.delegates.create(staff=person)
    assert len(ids(api.get(BOOKINGS))) == 6
    assert _queries(api, BOOKINGS) == one


def test_cancelling_booked_places(api, read_only, course, provider, provider_admin):
    run, interest = booked(course, provider, provider_admin, places=3)
    assert read_only.post(booking_url(interest, "cancel/"), {"places": 1}, format="json").status_code == 403
    assert "/places" in pointers(api.post(booking_url(interest, "cancel/"), {"places": 4}, format="json"))
    assert "/places" in pointers(api.post(booking_url(interest, "cancel/"), {"places": "x"}, format="json"))
    response = api.post(booking_url(interest, "cancel/"), {"places": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["places"] == 2 and response.json()["cancellation_charged_now"] is False
    assert audited("booking.cancelled", interest).get().via == VIA
    response = api.post(booking_url(interest, "cancel/"), {}, format="json")  # the rest
    assert response.json()["status"] == "cancelled" and response.json()["amount_due"] == "0.00"
    assert api.post(booking_url(interest, "cancel/"), {}, format="json").status_code == 400


def test_the_council_sees_a_booking_but_not_who_goes(api_as, council_token, course, provider, provider_admin):
    run, interest = booked(course, provider, provider_admin)
    interest.delegates.create(staff=StaffMemberFactory(organisation=provider, name="Ann Lee"))
    council = api_as(council_token)
    body = council.get(booking_url(interest)).json()
    assert body["delegates"] is None and body["delegates_named"] == 1 and "Ann Lee" not in str(body)
    assert council.get(booking_url(interest, "delegates/")).status_code == 403
    assert council.get(booking_url(interest, "staff-choices/")).status_code == 403
    assert council.post(booking_url(interest, "cancel/"), {"places": 1}, format="json").status_code == 403
    assert council.post(booking_url(interest, "delegates/"), {"staff": 1}, format="json").status_code == 403


# Delegates -----------------------------------------------------------------------------------------------------


def test_naming_adding_and_removing_who_goes(api, course, provider, provider_admin, other_provider):
    run, interest = booked(course, provider, provider_admin, places=2)
    ann, bob, cat = (StaffMemberFactory(organisation=provider, name=n) for n in ("Ann Lee", "Bob Khan", "Cat Oduya"))
    StaffMemberFactory(organisation=provider, name="Dee Left", leaving_date=datetime.date(2024, 1, 1))
    stranger = StaffMemberFactory(organisation=other_provider, name="Eve Elsewhere")
    names = [row["name"] for row in api.get(booking_url(interest, "staff-choices/")).json()["results"]]
    assert names == ["Ann Lee", "Bob Khan", "Cat Oduya"]

    url = booking_url(interest, "delegates/")
    response = api.put(url, {"staff": [ann.pk, bob.pk]}, format="json")
    assert response.status_code == 200
    assert [d["name"] for d in response.json()["delegates"]] == ["Ann Lee", "Bob Khan"]
    assert response.json()["delegates_named"] == 2
    assert audited("delegates.changed", interest).get().via == VIA
    assert "/staff" in pointers(api.post(url, {"staff": cat.pk}, format="json"))  # two places, two people
    assert "/staff" in pointers(api.put(url, {"staff": [ann.pk, stranger.pk]}, format="json"))
    assert "/staff" in pointers(api.put(url, {"staff": [ann.pk, ann.pk]}, format="json"))
    assert "/non_field_errors" in pointers(api.post(url, {}, format="json"))
    assert [d.staff_id for d in interest.delegates.all()] == [ann.pk, bob.pk]

    bob_place = interest.delegates.get(staff=bob)
    assert api.get(booking_url(interest, f"delegates/{bob_place.pk}/")).json()["name"] == "Bob Khan"
    assert api.delete(booking_url(interest, f"delegates/{bob_place.pk}/")).status_code == 204
    assert api.delete(booking_url(interest, f"delegates/{bob_place.pk}/")).status_code == 404
    response = api.post(url, {"staff": cat.pk}, format="json")
    assert response.status_code == 201 and response.json()["staff"] == cat.pk
    assert [d["name"] for d in api.get(url).json()["results"]] == ["Ann Lee", "Cat Oduya"]
    assert audited("delegates.changed", interest).count() == 3
    assert set(audited("delegates.changed", interest).values_list("via", flat=True)) == {VIA}


def test_delegates_are_named_once_booked_and_until_the_cut_off(api, course, provider, provider_admin):
    run = run_for(course)
    interest = interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    ann = StaffMemberFactory(organisation=provider, name="Ann Lee")
    response = api.put(booking_url(interest, "delegates/"), {"staff": [ann.pk]}, format="json")
    assert response.status_code == 400 and "once places are booked" in response.json()["errors"][0]["detail"]
    assert api.get(booking_url(interest)).json()["substitution_closed_reason"]
    run, interest = booked(course, provider, provider_admin, places=1)
    with time_machine.travel(run.booking_cutoff + timedelta(hours=1)):
        response = api.post(booking_url(interest, "delegates/"), {"staff": ann.pk}, format="json")
        assert response.status_code == 400 and "cut-off" in response.json()["errors"][0]["detail"]
    assert not interest.delegates.exists()


def test_a_partner_names_its_delegates(course, partner_member, partner_org):
    run = run_for(course, fee="500", minimum=5, partner_margin=3)
    others_take(run, 3)
    decisions.run_decide(run=run)
    partner = signed_in(partner_member)
    assert partner.put(run_url(run, "interest/"), {"places": 2}, format="json").status_code == 201
    decisions.run_decide(run=run)
    interest = Interest.objects.get(organisation=partner_org)
    assert interest.status == Interest.Status.BOOKED
    url = booking_url(interest, "delegates/")
    assert partner.get(booking_url(interest, "staff-choices/")).json()["results"] == []
    assert "/name" in pointers(partner.post(url, {"staff": 5}, format="json"))
    assert partner.post(url, {"name": "Sam Hill"}, format="json").json()["name"] == "Sam Hill"
    assert partner.post(url, {"name": "Ria Bose"}, format="json").status_code == 201
    gone = interest.delegates.get(name="Sam Hill")
    assert partner.delete(booking_url(interest, f"delegates/{gone.pk}/")).status_code == 204
    assert [d["name"] for d in partner.get(url).json()["results"]] == ["Ria Bose"]


def test_the_delegate_list_costs_the_same_queries_for_one_or_many(api, course, provider, provider_admin):
    run, interest = booked(course, provider, provider_admin, places=8)
    people = StaffMemberFactory.create_batch(8, organisation=provider)
    interest.delegates.create(staff=people[0])
    url = booking_url(interest, "delegates/")
    one, one_choice = _queries(api, url), _queries(api, booking_url(interest, "staff-choices/"))
    for person in people[1:]:
        interest.delegates.create(staff=person)
    StaffMemberFactory.create_batch(5, organisation=provider)
    assert _queries(api, url) == one and _queries(api, booking_url(interest, "staff-choices/")) == one_choice


# The training provider's view of a run ---------------------------------------------------------------------------


def test_the_training_provider_sees_the_runs_bookings_and_marks_invoices(
    api, api_as, council_token, training_api, course, provider, provider_admin
):
    run, interest = booked(course, provider, provider_admin)
    interest.delegates.create(staff=StaffMemberFactory(organisation=provider, name="Ann Lee"))
    body = training_api.get(run_url(run, "bookings/")).json()
    assert body["totals"]["places"] == 2 and body["totals"]["amount_due"] == "200.00"
    (row,) = body["bookings"]
    assert row["organisation"]["name"] == "Willow Care Home" and row["delegates"][0]["name"] == "Ann Lee"
    council = api_as(council_token).get(run_url(run, "bookings/")).json()
    assert council["bookings"][0]["delegates"] is None
    assert api.get(run_url(run, "bookings/")).status_code == 403

    url = booking_url(interest, "invoice/")
    assert api.post(url, {"invoice": "issued"}, format="json").status_code == 403
    assert api_as(council_token).post(url, {"invoice": "issued"}, format="json").status_code == 403
    assert "/invoice" in pointers(training_api.post(url, {"invoice": "lost"}, format="json"))
    assert training_api.post(url, {"invoice": "paid"}, format="json").status_code == 400  # issued first
    response = training_api.post(url, {"invoice": "issued"}, format="json")
    assert response.status_code == 200 and response.json()["invoice"] == "issued"
    event = AuditEvent.objects.get(action="booking.invoice_issued")
    assert event.via == "token Invoices of SafeHands Training"


def test_the_run_bookings_cost_the_same_queries_for_one_booking_or_many(training_api, course, provider, provider_admin):
    run = run_for(course, fee="200", minimum=1)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    decisions.run_decide(run=run)
    one = _queries(training_api, run_url(run, "bookings/"))
    for i in range(4):
        organisation = OrganisationFactory(name=f"Home {i}")
        admin = person_in(organisation, Role.ADMIN)
        interest = interests.interest_save(actor=admin, run=run, organisation=organisation, places=2)
        for person in StaffMemberFactory.create_batch(2, organisation=organisation):
            interest.delegates.create(staff=person)
    assert len(training_api.get(run_url(run, "bookings/")).json()["bookings"]) == 5
    assert _queries(training_api, run_url(run, "bookings/")) == one


# What only the buying organisation may know, and what a training token does not reach


def test_only_the_organisation_sees_the_most_it_will_pay(
    api, api_as, council_token, training_api, course, provider, provider_admin
):
    run, interest = booked(course, provider, provider_admin)
    Interest.objects.filter(pk=interest.pk).update(ceiling=Decimal("142.00"))
    assert api.get(booking_url(interest)).json()["ceiling"] == "142.00"
    for seller_or_council in (training_api, api_as(council_token)):
        answer = seller_or_council.get(booking_url(interest))
        assert answer.status_code == 200 and answer.json()["ceiling"] is None
    rows = training_api.get(run_url(run, "bookings/")).json()["bookings"]
    assert rows and all(row["ceiling"] is None for row in rows)


def test_a_date_past_any_calendar_is_a_problem_not_an_error(api, course):
    for query in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):
        answer = api.get("/api/v1/course-runs/", query)
        assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert api.get("/api/v1/meetings/", {"to": "9999-12-31"}).status_code == 400


def test_the_staff_a_booking_may_name_need_the_records_area(api_as, make_token, course, provider, provider_admin):
    _run, interest = booked(course, provider, provider_admin)
    training_only = api_as(make_token(provider_admin, provider, read=["training"], name="Courses only"))
    assert training_only.get(booking_url(interest)).status_code == 200
    assert training_only.get(booking_url(interest, "staff-choices/")).status_code == 403
    both = api_as(make_token(provider_admin, provider, read=["training", "records"], name="Courses and staff"))
    assert both.get(booking_url(interest, "staff-choices/")).status_code == 200
