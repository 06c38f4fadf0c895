"""The run's pages through the test client: the live position, taking places, the council's run form (with its
price schedule), deciding, naming delegates, cancelling and the calendar file; query counts stay constant."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from carenetwork.organisations.models import Role
from carenetwork.training import decisions, interests
from carenetwork.training.models import CourseRun, Interest
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(training_org):
    return course_for(training_org)


def others_take(run, n, places=1):
    for i in range(n):
        organisation = OrganisationFactory(name=f"Home {run.pk}-{i}")
        admin = person_in(organisation, Role.ADMIN)
        interests.interest_save(actor=admin, run=run, organisation=organisation, places=places)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_run_page_shows_the_live_position_and_how_the_price_falls(client_for, provider_admin, course):
    run = run_for(course, fee="600", minimum=6, capacity=12)
    others_take(run, 4)
    html = page(client_for(provider_admin), reverse("training:run-detail", args=[run.pk]))
    assert "4 of 12" in html
    assert "2 more places" in html and "£100.00" in html
    assert "3 more places bring the price to £85.72" in html  # the price at the minimum (6) until 7: 600 / 7, up
    assert "Register interest" in html
    assert "Free cancellation until" in html


def test_registering_interest_on_the_page_lowers_the_price_for_everyone(client_for, provider, provider_admin, course):
    run = run_for(course, fee="600", minimum=2, capacity=12)
    others_take(run, 1)
    client = client_for(provider_admin)
    response = client.post(
        reverse("training:interest-edit", args=[run.pk]), {"organisation": provider.pk, "places": "2", "ceiling": ""}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.places_taken == 3 and run.current_price == Decimal("200.00")
    html = page(client, reverse("training:run-detail", args=[run.pk]))
    assert "interest in 2 places is registered" in html and "£200.00" in html


def test_interest_errors_are_shown_on_the_form(client_for, provider, provider_admin, course):
    run = run_for(course, capacity=5)
    response = client_for(provider_admin).post(
        reverse("training:interest-edit", args=[run.pk]), {"organisation": provider.pk, "places": "9", "ceiling": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The run has 5 places in all" in html
    response = client_for(provider_admin).post(
        reverse("training:interest-edit", args=[run.pk]), {"organisation": provider.pk, "places": "2", "ceiling": "-1"}
    )
    assert "Enter an amount more than £0" in response.content.decode()
    assert not Interest.objects.filter(run=run).exists()


def test_withdrawing_on_the_page(client_for, provider, provider_admin, course):
    run = run_for(course)
    interest = interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=2)
    client = client_for(provider_admin)
    assert "Withdraw the interest" in page(client, reverse("training:interest-withdraw", args=[run.pk]))
    client.post(reverse("training:interest-withdraw", args=[run.pk]), {"organisation": provider.pk})
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN


def run_form(**overrides):
    start = timezone.localtime() + timedelta(days=40)
    data = {
        "starts_on_0": start.day,
        "starts_on_1": start.month,
        "starts_on_2": start.year,
        "starts_at": "09:30",
        "ends_at": "16:30",
        "venue": "Town Hall",
        "area": "Eastmarsh Central",
        "capacity": "12",
        "minimum_places": "5",
        "pricing": "tiers",
        "tiers": "1: 90\n5: 70\n10: 55",
        "partner_margin": "2",
        "cancellation_terms": "Free until 7 days before.",
    }
    for name, days in (
        ("interest_deadline", 14),
        ("partner_deadline", 7),
        ("booking_cutoff", 2),
        ("free_cancellation_until", 7),
    ):
        day = start - timedelta(days=days)
        data |= {f"{name}_on_0": day.day, f"{name}_on_1": day.month, f"{name}_on_2": day.year}
        if name != "free_cancellation_until":
            data[name] = "17:00"
    return data | overrides


def test_an_officer_adds_a_run_with_price_bands(client_for, council_officer, course):
    response = client_for(council_officer).post(reverse("training:run-add", args=[course.pk]), run_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    run = CourseRun.objects.get(course=course)
    assert [(t.from_places, t.price) for t in run.tiers.all()] == [
        (1, Decimal("90")),
        (5, Decimal("70")),
        (10, Decimal("55")),
    ]
    assert run.current_price == Decimal("70.00") and run.single_place_price == Decimal("90.00")


def test_a_price_schedule_that_rises_is_refused_with_a_clear_message(client_for, council_officer, course):
    response = client_for(council_officer).post(
        reverse("training:run-add", args=[course.pk]), run_form(tiers="1: 70\n5: 90")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "must not rise with more places" in html and "govuk-error-summary" in html
    assert not CourseRun.objects.exists()


def test_unreadable_bands_and_crossed_deadlines_are_refused(client_for, council_officer, course):
    client = client_for(council_officer)
    html = client.post(reverse("training:run-add", args=[course.pk]), run_form(tiers="five: seventy")).content.decode()
    assert "Line 1 is not a band" in html
    late = timezone.localtime() + timedelta(days=60)
    crossed = run_form(
        interest_deadline_on_0=late.day, interest_deadline_on_1=late.month, interest_deadline_on_2=late.year
    )
    html = client.post(reverse("training:run-add", args=[course.pk]), crossed).content.decode()
    assert "must be before the run starts" in html
    assert not CourseRun.objects.exists()


def test_an_officer_decides_early_and_overrides_with_a_reason(client_for, council_officer, course, provider_admin):
    run = run_for(course, fee="300", minimum=5)
    others_take(run, 2)
    client = client_for(council_officer)
    html = client.post(reverse("training:run-decide", args=[run.pk]), {"outcome": "confirmed", "reason": ""})
    assert "Say why you are overriding" in html.content.decode()
    # The override is confirmed on a second page, which says what happens and shows the emails (no change yet).
    answers = {"outcome": "confirmed", "reason": "Winter priority"}
    html = client.post(reverse("training:run-decide", args=[run.pk]), answers).content.decode()
    assert "Are you sure you want to confirm the run?" in html and "£60.00 a place" in html
    assert "is going ahead" in html and 'name="confirm" value="yes"' in html
    run.refresh_from_db()
    assert run.status == CourseRun.Status.OPEN and not mail.outbox
    client.post(reverse("training:run-decide", args=[run.pk]), answers | {"confirm": "yes"})
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CONFIRMED and run.locked_price == Decimal("60.00")
    html = page(client, reverse("training:run-detail", args=[run.pk]))
    assert "Winter priority" in html and "Tom Okafor" in html
    assert "Winter priority" not in page(client_for(provider_admin), reverse("training:run-detail", args=[run.pk]))


def booked_run(course, provider, provider_admin, places=2):
    run = run_for(course, fee="200", minimum=1)
    interest = interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=places)
    decisions.run_decide(run=run)
    interest.refresh_from_db()
    return run, interest


def test_the_admin_names_who_goes_from_the_staff_register(client_for, provider, provider_admin, course):
    run, interest = booked_run(course, provider, provider_admin)
    ann, bob = (StaffMemberFactory(organisation=provider, name=name) for name in ("Ann Lee", "Bob Khan"))
    client = client_for(provider_admin)
    html = page(client, reverse("training:booking-detail", args=[interest.pk]))
    assert "£200.00" in html and "Place 2" in html and "Ann Lee" in html
    response = client.post(
        reverse("training:booking-detail", args=[interest.pk]), {"place_1": ann.pk, "place_2": bob.pk}
    )
    assert response.status_code == 302
    assert {d.staff_id for d in interest.delegates.all()} == {ann.pk, bob.pk}
    same_twice = client.post(
        reverse("training:booking-detail", args=[interest.pk]), {"place_1": ann.pk, "place_2": ann.pk}
    )
    assert "Choose a different person for each place" in same_twice.content.decode()


def test_delegate_names_are_not_shown_to_the_council(client_for, provider, provider_admin, council_officer, course):
    run, interest = booked_run(course, provider, provider_admin, places=1)
    ann = StaffMemberFactory(organisation=provider, name="Ann Lee")
    client_for(provider_admin).post(reverse("training:booking-detail", args=[interest.pk]), {"place_1": ann.pk})
    assert "Ann Lee" not in page(client_for(council_officer), reverse("training:booking-detail", args=[interest.pk]))


def test_cancelling_places_on_the_page_says_whether_they_are_charged(client_for, provider, provider_admin, course):
    run, interest = booked_run(course, provider, provider_admin)
    client = client_for(provider_admin)
    assert "Cancelled places are not charged" in page(client, reverse("training:booking-cancel", args=[interest.pk]))
    with time_machine.travel(run.free_cancellation_until + timedelta(hours=1), tick=False):
        client = client_for(provider_admin)  # a new session: the old one has timed out by then
        assert "still charged" in page(client, reverse("training:booking-cancel", args=[interest.pk]))
    client = client_for(provider_admin)
    # First the check: what it costs and the email that will be sent; nothing is cancelled yet.
    html = client.post(reverse("training:booking-cancel", args=[interest.pk]), {"places": "1"}).content.decode()
    assert "Are you sure you want to cancel 1 place?" in html
    assert "The places are not charged. Now due: £100.00." in html and "have been cancelled" in html
    interest.refresh_from_db()
    assert interest.places == 2
    client.post(reverse("training:booking-cancel", args=[interest.pk]), {"places": "1", "confirm": "yes"})
    interest.refresh_from_db()
    assert interest.places == 1 and interest.amount_due == Decimal("100.00")


def test_the_calendar_file_describes_the_run(client_for, provider_admin, course):
    run = run_for(course)
    response = client_for(provider_admin).get(reverse("training:run-ics", args=[run.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]).startswith(course.title) and str(event["uid"]).startswith(f"course-run-{run.pk}@")
    assert event.decoded("dtstart") == run.starts_at.replace(microsecond=0)


def test_my_bookings_lists_the_organisations_places(client_for, provider, provider_admin, course):
    booked_run(course, provider, provider_admin)
    html = page(client_for(provider_admin), reverse("training:my-bookings"))
    assert course.title in html and "£200.00" in html


def test_partners_see_a_run_only_once_it_is_offered_to_them(client_for, partner_member, course, provider_admin):
    run = run_for(course, fee="500", minimum=5, partner_margin=3)
    others_take(run, 3)
    client = client_for(partner_member)
    assert client.get(reverse("training:run-detail", args=[run.pk])).status_code == 404
    decisions.run_decide(run=run)
    html = page(client, reverse("training:run-detail", args=[run.pk]))
    assert "Offered to partners" in html and "Register interest" in html


def count_queries(client, url) -> int:
    client.get(url)  # the first request of a session reads more (its session, the person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["provider_admin", "council_officer", "training_admin"])
def test_the_run_page_costs_the_same_queries_however_many_organisations_take_places(request, client_for, course, role):
    client = client_for(request.getfixturevalue(role))
    small, large = run_for(course, capacity=40), run_for(course, capacity=40)
    others_take(small, 2)
    others_take(large, 30)
    url = lambda run: reverse("training:run-detail", args=[run.pk])  # noqa: E731
    assert count_queries(client, url(small)) == count_queries(client, url(large))


def test_my_bookings_costs_the_same_queries_however_many_bookings(client_for, provider, provider_admin, training_org):
    client = client_for(provider_admin)
    course = course_for(training_org)
    interests.interest_save(actor=provider_admin, run=run_for(course), organisation=provider, places=1)
    few = count_queries(client, reverse("training:my-bookings"))
    for _ in range(10):
        interests.interest_save(actor=provider_admin, run=run_for(course), organisation=provider, places=1)
    assert count_queries(client, reverse("training:my-bookings")) == few


def test_the_run_page_is_sector_aware_but_open_to_all(client_for, other_admin, course):
    run = run_for(course, sectors=[sector("residential-care")])
    html = page(client_for(other_admin), reverse("training:run-detail", args=[run.pk]))
    assert "Residential care" in html and "Register interest" in html


def test_a_delegate_finds_the_courses_they_attended_to_rate_under_my_training(
    client_for, provider, provider_member, course
):
    from tests.training.delivery_factories import delivered_run

    me = StaffMemberFactory(organisation=provider, user=provider_member)
    run, _bookings = delivered_run(course, {provider: [me]})
    html = page(client_for(provider_member), reverse("records:my-training"))
    delegate = run.interests.get().delegates.get()
    assert "Courses to rate" in html and reverse("training:evaluate", args=[delegate.pk]) in html
    assert "Rate the course" in page(client_for(provider_member), reverse("training:run-detail", args=[run.pk]))


def test_nobody_else_is_asked_to_rate_a_course(client_for, provider, provider_member, other_admin, course):
    from tests.training.delivery_factories import delivered_run

    delivered_run(course, {provider: [StaffMemberFactory(organisation=provider)]})
    assert "Courses to rate" not in page(client_for(provider_member), reverse("records:my-training"))
    assert "Courses to rate" not in page(client_for(other_admin), reverse("records:my-training"))


def test_an_officer_moves_a_confirmed_run_with_the_form_and_its_price_stays(
    client_for, council_officer, provider, provider_admin, course
):
    run, interest = booked_run(course, provider, provider_admin)
    client = client_for(council_officer)
    form = client.get(reverse("training:run-edit", args=[run.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if hasattr(field, "fields") and value:  # the GOV.UK date input: day, month, year
            data |= {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
        elif name == "sectors":
            data[name] = [s.pk for s in value or []]
        elif name in ("starts_at", "ends_at", "interest_deadline", "partner_deadline", "booking_cutoff"):
            data[name] = value.strftime("%H:%M")
        elif value is not None:
            data[name] = value
    response = client.post(reverse("training:run-edit", args=[run.pk]), data | {"venue": "Library, Room 3"})
    assert response.status_code == 302, response.context["form"].errors
    run.refresh_from_db()
    assert run.venue == "Library, Room 3" and run.locked_price == Decimal("100.00")
    changed = client.post(reverse("training:run-edit", args=[run.pk]), data | {"fee": "100"})
    assert "can no longer change" in changed.content.decode()


def test_an_organisation_keeps_its_run_when_the_course_is_withdrawn(
    client_for, provider, provider_admin, other_admin, course
):
    from carenetwork.training.models import Course

    run, _interest = booked_run(course, provider, provider_admin)
    Course.objects.filter(pk=course.pk).update(status=Course.Status.WITHDRAWN)
    assert client_for(provider_admin).get(reverse("training:run-detail", args=[run.pk])).status_code == 200
    assert client_for(other_admin).get(reverse("training:run-detail", args=[run.pk])).status_code == 404


def test_the_booking_page_costs_the_same_queries_however_many_staff(client_for, provider, provider_admin, course):
    run, interest = booked_run(course, provider, provider_admin, places=2)
    client = client_for(provider_admin)
    url = reverse("training:booking-detail", args=[interest.pk])
    StaffMemberFactory(organisation=provider)
    few = count_queries(client, url)
    people = [StaffMemberFactory(organisation=provider) for _ in range(30)]
    client.post(url, {"place_1": people[0].pk, "place_2": people[1].pk})
    assert count_queries(client, url) == few
