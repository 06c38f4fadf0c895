"""The home page shows what needs the person's attention, from each capability's panels: counts with links,
each answered in a few queries whatever the volume."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.forums.models import AgendaItem, Forum
from carenetwork.organisations import services
from carenetwork.organisations.models import Organisation, Role
from carenetwork.training.models import CourseRun
from tests.factories import OrganisationFactory, UserFactory, person_in
from tests.portal.factories import add_things

pytestmark = pytest.mark.django_db


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


def test_someone_who_has_left_hears_nothing_more_of_the_forums_items_they_raised(
    client_for, things, provider, provider_admin
):
    assert "2 agenda items you raised are open" in home(client_for, provider_admin)
    membership = provider_admin.memberships.get(organisation=provider)
    services.membership_end(actor=provider_admin, membership=membership)
    html = home(client_for, provider_admin)
    assert "you raised" not in html
    assert "on items you raised" not in html


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


def test_a_lead_of_several_forums_is_taken_straight_to_each_forums_items(client_for, things, forum, council_officer):
    other = Forum.objects.get(slug="home-care")
    other.leads.add(council_officer)
    AgendaItem.objects.create(forum=other, title="Travel time", description="Unpaid.", raised_by=council_officer)
    html = home(client_for, council_officer)
    assert f"1 agenda item to triage in {forum.name}" in html
    assert f"1 agenda item to triage in {other.name}" in html
    for each in (forum, other):
        assert reverse("forums:issue-log", args=[each.slug]) + "?state=raised" in html
    assert reverse("forums:forum-list") + '"' not in html.split("<main", 1)[1]


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
