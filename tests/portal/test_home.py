"""The home page shows what needs the person's attention, from each capability's panels: counts with links,
each answered in a few queries whatever the volume."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.forums.models import Action, AgendaItem, Booking
from carenetwork.organisations import services
from carenetwork.organisations.models import Organisation, Role
from carenetwork.training import interests
from carenetwork.training.models import Course, CourseRun
from tests.factories import OrganisationFactory, UserFactory, person_in
from tests.records.factories import StaffMemberFactory, record_for
from tests.training.delivery_factories import delivered_run
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2015, 1, 15)  # safeguarding renews every few years: long expired


def add_things(*, provider, provider_admin, provider_member, forum, meeting, training_org, n=1):
    """`n` of everything that needs someone's attention, for every role."""
    location = provider.locations.get()
    course = course_for(training_org)
    for i in range(n):
        # Provider admin: staff with training expired and expiring, a run they want, a meeting, items and actions.
        record_for(StaffMemberFactory(organisation=provider, location=location), 20, LONG_AGO)
        soon = timezone.localdate() + timedelta(days=30)
        record_for(StaffMemberFactory(organisation=provider, location=location), 20, LONG_AGO, expires_on=soon)
        interests.interest_save(actor=provider_admin, run=run_for(course), organisation=provider, places=2)
        item = AgendaItem.objects.create(
            forum=forum,
            meeting=meeting,
            title=f"Fee uplift {i}",
            description="Night rates have not risen for three years.",
            category=AgendaItem.Category.ISSUE,
            raised_by=provider_admin,
            raised_by_organisation=provider,
        )
        discussed = AgendaItem.objects.create(
            forum=forum,
            title=f"Agency staff {i}",
            description="Rates.",
            category=AgendaItem.Category.ISSUE,
            raised_by=provider_admin,
            raised_by_organisation=provider,
            state=AgendaItem.State.DISCUSSED,
        )
        Action.objects.create(
            item=discussed, description="Review", owner_organisation=provider, due_date=timezone.localdate()
        )
        assert item.state == AgendaItem.State.RAISED
        services.join_request_create(user=UserFactory(), organisation=provider)
        # Council officer: a course to review and a run past its interest deadline.
        course_for(training_org, title=f"Moving and handling {i}", status=Course.Status.SUBMITTED)
        past = timezone.now() - timedelta(days=1)
        run_for(course, interest_deadline=past)
        # Training provider: a delivered run with attendance to record and an invoice to mark.
        delivered_run(course, {provider: [StaffMemberFactory(organisation=provider, location=location)]})
    Booking.objects.get_or_create(
        meeting=meeting, person=provider_admin, organisation=provider, defaults={"status": Booking.Status.CONFIRMED}
    )


@pytest.fixture
def things(provider, provider_admin, provider_member, forum, meeting, training_org, training_admin):
    add_things(
        provider=provider,
        provider_admin=provider_admin,
        provider_member=provider_member,
        forum=forum,
        meeting=meeting,
        training_org=training_org,
    )


def home(client_for, user) -> str:
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_provider_admin_sees_their_staffs_training_runs_meetings_items_and_requests(
    client_for, things, provider, provider_admin
):
    html = home(client_for, provider_admin)
    matrix = reverse("records:matrix", args=[provider.pk])
    assert "1 person at Willow Care Home has required training expired" in html
    assert f"{matrix}?status=expired" in html
    assert "1 person at Willow Care Home has required training expiring within" in html
    assert f"{matrix}?status=expiring" in html
    assert "1 course run you are interested in, price now £" in html and reverse("training:my-bookings") in html
    assert "1 meeting you have booked" in html and reverse("forums:calendar") in html
    assert "2 agenda items you raised are open" in html
    assert "1 action on items you raised is not done" in html
    assert "1 request to join waiting for you" in html
    assert reverse("organisations:members", args=[provider.pk]) in html
    # Not theirs: the council's and the training provider's panels.
    assert "to review" not in html and "to triage" not in html and "attendance to record" not in html
    assert "no active admin" not in html


def test_a_provider_member_sees_none_of_the_admins_panels(client_for, things, provider_member):
    html = home(client_for, provider_member)
    assert "required training" not in html
    assert "interested in" not in html
    assert "request to join" not in html
    assert "to review" not in html and "to triage" not in html and "attendance to record" not in html
    assert "Nothing needs your attention now." in html


def test_a_council_officer_sees_courses_to_review_runs_to_decide_items_to_triage_and_actions_due(
    client_for, things, forum, council_officer
):
    html = home(client_for, council_officer)
    assert "1 course to review" in html and reverse("training:course-review-queue") in html
    assert "1 course run at or past its deadline to decide" in html
    assert "1 agenda item to triage" in html
    assert reverse("forums:issue-log", args=[forum.slug]) + "?state=raised" in html
    assert "1 action due within a week or overdue" in html
    # Only council administrators deal with organisations without an admin; nothing of a provider's staff.
    assert "no active admin" not in html
    assert "required training" not in html and "request to join" not in html


def test_a_council_administrator_sees_organisations_without_an_admin(client_for, things, council_admin):
    OrganisationFactory(name="Lark Home Care")
    html = home(client_for, council_admin)
    assert "organisation with no active admin" in html or "organisations with no active admin" in html
    assert reverse("organisations:without-admin") in html


def test_a_training_provider_sees_attendance_to_record_and_invoices_to_mark(client_for, things, training_admin):
    html = home(client_for, training_admin)
    assert "1 course run with attendance to record" in html
    run = CourseRun.objects.get(status=CourseRun.Status.CONFIRMED)
    assert reverse("training:run-attendance", args=[run.pk]) in html
    assert "1 booking with an invoice to mark" in html
    assert reverse("training:run-bookings", args=[run.pk]) in html
    assert "required training" not in html and "to review" not in html and "to triage" not in html


def test_the_join_requests_a_person_made_stay_on_their_home_page(client_for, provider):
    newcomer = UserFactory()
    services.join_request_create(user=newcomer, organisation=provider)
    html = home(client_for, newcomer)
    assert "Requests waiting for a decision" in html and "You asked to join Willow Care Home" in html


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("core:home"))  # once first: the settings row and the session are written on first use
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured)


def test_the_home_page_takes_the_same_queries_however_much_needs_attention(
    client, provider, provider_admin, provider_member, forum, meeting, training_org, training_admin, council_officer
):
    council_admin = person_in(Organisation.objects.get(kind=Organisation.Kind.COUNCIL), Role.ADMINISTRATOR)
    people = {
        "provider admin": provider_admin,
        "provider member": provider_member,
        "council officer": council_officer,
        "council administrator": council_admin,
        "training provider": training_admin,
    }
    world = {
        "provider": provider,
        "provider_admin": provider_admin,
        "provider_member": provider_member,
        "forum": forum,
        "meeting": meeting,
        "training_org": training_org,
    }
    add_things(**world, n=1)
    few = {role: _queries(client, user) for role, user in people.items()}
    add_things(**world, n=4)
    assert {role: _queries(client, user) for role, user in people.items()} == few
