"""Every URL of the project, as every role: allowed or denied.

Each later capability adds its URLs to CASES. `test_every_url_is_in_the_matrix` fails when a named URL of
one of our apps has no row, so nothing ships without its permissions being tested.
"""

import datetime

import pytest
from django.urls import get_resolver, reverse

from carenetwork.forums.models import Forum, ForumMembership
from carenetwork.organisations import services
from carenetwork.organisations.models import Invitation, JoinRequest, Membership, Role
from carenetwork.training import interests
from tests.api.matrix import API_CASES
from tests.assessment.matrix import ASSESSMENT_CASES
from tests.core.matrix_pages import PAGES_CASES
from tests.costofcare.matrix import COSTOFCARE_CASES
from tests.factories import UserFactory
from tests.forums.matrix import FORUM_CASES
from tests.forums.matrix_agenda import AGENDA_CASES
from tests.forums.matrix_meetings import MEETING_CASES
from tests.market.matrix import MARKET_CASES
from tests.matrix_roles import LOGIN, OK, REDIRECT, ROLES, SIGNED_IN, only
from tests.procurement.matrix_award import AWARD_CASES
from tests.procurement.matrix_board import BOARD_CASES
from tests.procurement.matrix_questions import QUESTIONS_CASES
from tests.records.factories import StaffMemberFactory, record_for
from tests.records.matrix_council import COUNCIL_CASES
from tests.records.matrix_imports import IMPORTS_CASES
from tests.records.matrix_settings import SETTINGS_CASES
from tests.records.matrix_staff import STAFF_CASES
from tests.training.factories import course_for, run_for
from tests.training.matrix_council import COUNCIL_CASES as TRAINING_COUNCIL_CASES
from tests.training.matrix_courses import COURSES_CASES
from tests.training.matrix_delivery import DELIVERY_CASES
from tests.training.matrix_runs import RUNS_CASES

pytestmark = pytest.mark.django_db

# (url name, how to build its arguments from the world, method, expected status by role)
CASES = [
    ("core:home", lambda w: [], "get", only(*SIGNED_IN, anonymous=OK)),
    ("accounts:profile", lambda w: [], "get", only(*SIGNED_IN)),
    ("accounts:mfa-required", lambda w: [], "get", only(*SIGNED_IN)),
    ("organisations:directory", lambda w: [], "get", only(*SIGNED_IN)),
    ("organisations:create", lambda w: [], "get", only("council_admin")),
    ("organisations:detail", lambda w: [w.provider.pk], "get", only(*SIGNED_IN)),
    ("organisations:edit", lambda w: [w.provider.pk], "get", only("provider_admin", "council_admin")),
    ("organisations:location-add", lambda w: [w.provider.pk], "get", only("provider_admin", "council_admin")),
    (
        "organisations:location-edit",
        lambda w: [w.provider.pk, w.location.pk],
        "get",
        only("provider_admin", "council_admin"),
    ),
    (
        "organisations:members",
        lambda w: [w.provider.pk],
        "get",
        only("provider_member", "provider_admin", "council_officer", "council_admin"),
    ),
    ("organisations:invite", lambda w: [w.provider.pk], "get", only("provider_admin")),
    ("organisations:member-role", lambda w: [w.provider.pk, w.member_membership.pk], "get", only("provider_admin")),
    ("organisations:member-remove", lambda w: [w.provider.pk, w.member_membership.pk], "get", only("provider_admin")),
    (
        "organisations:invitation-revoke",
        lambda w: [w.provider.pk, w.invitation.pk],
        "post",
        only("provider_admin", "council_admin", status=REDIRECT),
    ),
    ("organisations:hand-on", lambda w: [w.provider.pk], "get", only("provider_admin")),
    ("organisations:leave", lambda w: [w.provider.pk], "get", only("provider_admin", "provider_member")),
    ("organisations:join", lambda w: [w.provider.pk], "get", only("other_admin", "training_admin", "partner_member")),
    (
        "organisations:join-request-decide",
        lambda w: [w.provider.pk, w.join_request.pk],
        "post",
        only("provider_admin", status=REDIRECT),
    ),
    # Only the person who asked may withdraw (tested below); nobody in these roles asked.
    ("organisations:join-request-withdraw", lambda w: [w.provider.pk, w.join_request.pk], "post", only()),
    ("organisations:appoint-admin", lambda w: [w.provider.pk], "get", only("council_admin")),
    ("organisations:invitation-accept", lambda w: [w.invitation.token], "get", only(anonymous=OK)),
    ("organisations:council-admin", lambda w: [], "get", only("council_admin")),
    ("organisations:without-admin", lambda w: [], "get", only("council_admin")),
    ("organisations:cqc-import", lambda w: [], "get", only("council_admin")),
    ("organisations:audit-log", lambda w: [], "get", only("council_admin")),
    ("organisations:sectors", lambda w: [], "get", only("council_admin")),
    ("organisations:sector-add", lambda w: [], "get", only("council_admin")),
    ("organisations:sector-edit", lambda w: [w.sector.pk], "get", only("council_admin")),
]
CASES += PAGES_CASES
CASES += FORUM_CASES + MEETING_CASES + AGENDA_CASES
CASES += STAFF_CASES + IMPORTS_CASES + COUNCIL_CASES + SETTINGS_CASES
CASES += COURSES_CASES + RUNS_CASES + DELIVERY_CASES + TRAINING_COUNCIL_CASES
CASES += MARKET_CASES + COSTOFCARE_CASES + ASSESSMENT_CASES
CASES += BOARD_CASES + QUESTIONS_CASES + AWARD_CASES
CASES += API_CASES

OUR_NAMESPACES = {
    "api",
    "openreferral",
    "core",
    "accounts",
    "organisations",
    "forums",
    "records",
    "training",
    "market",
    "costofcare",
    "assessment",
    "procurement",
}


class World:
    """The objects the URLs point at, all belonging to the provider."""

    def __init__(self, provider, provider_admin, provider_member, forum, meeting, other_provider, training_org):
        self.provider = provider
        self.provider_admin = provider_admin
        self.forum = forum
        self.meeting = meeting
        # A forum the other provider (home care) may ask to join, and a request to join the provider's forum.
        self.other_forum = Forum.objects.get(slug="home-care")
        self.forum_request = ForumMembership.objects.create(forum=forum, organisation=other_provider)
        self.location = provider.locations.get()
        self.sector = provider.sectors.first()
        self.member_membership = Membership.objects.get(user=provider_member, organisation=provider)
        self.invitation = services.invitation_create(
            actor=provider_admin, organisation=provider, email="invitee@example.org", role=Role.MEMBER
        )
        self.join_request = services.join_request_create(user=UserFactory(), organisation=provider)
        # A person on the provider's staff register with one training record.
        self.staff = StaffMemberFactory(organisation=provider, location=self.location)
        self.record = record_for(self.staff, 20, datetime.date(2026, 1, 15))
        # An approved course of the training provider with a run taking interest; the provider wants 2 places.
        self.training_org = training_org
        self.course = course_for(training_org)
        self.run = run_for(self.course)
        self.interest = interests.interest_save(actor=provider_admin, run=self.run, organisation=provider, places=2)


@pytest.fixture
def world(
    provider,
    provider_admin,
    provider_member,
    other_admin,
    training_admin,
    partner_member,
    council_officer,
    council_admin,
    forum,
    meeting,
    other_provider,
    training_org,
):
    return World(provider, provider_admin, provider_member, forum, meeting, other_provider, training_org)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), CASES, ids=[c[0] for c in CASES])
def test_url_as_role(request, client, world, name, args, method, expected, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(name, args=args(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
    if expected[role] == LOGIN and role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_every_url_is_in_the_matrix():
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name and namespace in OUR_NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns)
    names -= {"core:bench-trivial", "core:bench-baseline"}
    assert names - {c[0] for c in CASES} == set()


def test_requester_can_withdraw_their_own_join_request(client, provider):
    requester = UserFactory()
    join_request = services.join_request_create(user=requester, organisation=provider)
    client.force_login(requester)
    response = client.post(reverse("organisations:join-request-withdraw", args=[provider.pk, join_request.pk]))
    assert response.status_code == REDIRECT
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequest.Status.WITHDRAWN


def test_invited_person_signed_in_with_the_invited_address_sees_the_invitation(client, provider, provider_admin):
    invitation = services.invitation_create(
        actor=provider_admin, organisation=provider, email="me@example.org", role=Role.MEMBER
    )
    client.force_login(UserFactory(email="me@example.org"))
    assert client.get(reverse("organisations:invitation-accept", args=[invitation.token])).status_code == OK
    response = client.post(reverse("organisations:invitation-accept", args=[invitation.token]))
    assert response.status_code == REDIRECT
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None


def test_another_providers_profile_shows_no_peoples_names(
    client, provider, provider_admin, provider_member, other_admin
):
    client.force_login(other_admin)
    page = client.get(reverse("organisations:detail", args=[provider.pk])).content.decode()
    assert provider.name in page
    for person in (provider_admin, provider_member):
        assert person.full_name not in page and person.email not in page
