"""Shared fixtures: a council, two providers, a training provider and a partner, with people in every role;
a forum the provider belongs to, led by the council officer, with an upcoming meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carenetwork.forums.models import Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Organisation, Role
from tests.factories import LocationFactory, OrganisationFactory, person_in, sector
from tests.portal.factories import add_things


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Eastmarsh Borough Council", kind=Organisation.Kind.COUNCIL)


@pytest.fixture
def provider(db):
    org = OrganisationFactory(name="Willow Care Home", sectors=[sector("residential-care")])
    LocationFactory(organisation=org, name="Willow House", cqc_location_id="1-123456789")
    return org


@pytest.fixture
def other_provider(db):
    org = OrganisationFactory(name="Heron Home Care", sectors=[sector("home-care")], area="Northbrook")
    LocationFactory(organisation=org, name="Heron Office", area="Northbrook", service_type=None)
    return org


@pytest.fixture
def training_org(db):
    return OrganisationFactory(name="SafeHands Training", kind=Organisation.Kind.TRAINING)


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="Westmere District Council", kind=Organisation.Kind.PARTNER)


@pytest.fixture
def council_admin(council):
    return person_in(council, Role.ADMINISTRATOR, full_name="Priya Shah")


@pytest.fixture
def council_officer(council):
    return person_in(council, Role.OFFICER, full_name="Tom Okafor")


@pytest.fixture
def provider_admin(provider):
    return person_in(provider, Role.ADMIN, full_name="Grace Adeyemi")


@pytest.fixture
def provider_member(provider):
    return person_in(provider, Role.MEMBER, full_name="Daniel Price")


@pytest.fixture
def other_admin(other_provider):
    return person_in(other_provider, Role.ADMIN, full_name="Olu Bello")


@pytest.fixture
def training_admin(training_org):
    return person_in(training_org, Role.ADMIN, full_name="Kate Jones")


@pytest.fixture
def partner_member(partner_org):
    return person_in(partner_org, Role.MEMBER, full_name="Luis Patel")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given person (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def forum(provider, council_officer):
    forum = Forum.objects.get(slug="residential-nursing-care")
    forum.leads.add(council_officer)
    ForumMembership.objects.create(forum=forum, organisation=provider, status=ForumMembership.Status.ACTIVE)
    return forum


@pytest.fixture
def meeting(forum):
    start = timezone.now() + timedelta(days=14)
    return Meeting.objects.create(
        forum=forum,
        title="Winter pressures",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Town Hall, Committee Room 2",
        capacity=3,
        per_organisation_limit=2,
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
    )


@pytest.fixture
def things(provider, provider_admin, provider_member, forum, meeting, training_org, training_admin):
    """Something of everything that needs someone's attention on the home page, for every role (the portal's tests
    and the browser's)."""
    add_things(
        provider=provider,
        provider_admin=provider_admin,
        provider_member=provider_member,
        forum=forum,
        meeting=meeting,
        training_org=training_org,
    )
