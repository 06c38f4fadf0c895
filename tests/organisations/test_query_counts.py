"""List pages cost the same number of queries however much data there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.organisations.models import Role
from tests.factories import LocationFactory, MembershipFactory, OrganisationFactory, sector

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session stores its timestamps; measure the ones after
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_providers(n):
    for _ in range(n):
        org = OrganisationFactory(sectors=[sector("home-care"), sector("nursing-care")])
        LocationFactory.create_batch(2, organisation=org)


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/",
        "/organisations/?q=Organisation&sector=home-care",
        "/organisations/?area=Eastmarsh+Central&service_type=2&kind=provider",
    ],
)
def test_directory_queries_do_not_grow_with_organisations(client, other_admin, url):
    client.force_login(other_admin)
    add_providers(3)
    few = queries_for(client, url)
    add_providers(30)
    assert queries_for(client, url) == few


def test_organisation_page_queries_do_not_grow_with_locations(client, provider, other_admin):
    client.force_login(other_admin)
    url = reverse("organisations:detail", args=[provider.pk])
    few = queries_for(client, url)
    LocationFactory.create_batch(25, organisation=provider)
    assert queries_for(client, url) == few


def test_people_page_queries_do_not_grow_with_people(client, provider, provider_admin):
    client.force_login(provider_admin)
    url = reverse("organisations:members", args=[provider.pk])
    few = queries_for(client, url)
    MembershipFactory.create_batch(25, organisation=provider, role=Role.MEMBER)
    assert queries_for(client, url) == few


def test_council_lists_do_not_grow_with_data(client, council_admin):
    client.force_login(council_admin)
    urls = [reverse("organisations:without-admin"), reverse("organisations:audit-log")]

    def add_organisations_without_admin(n):
        for _ in range(n):
            MembershipFactory(organisation=OrganisationFactory(), role=Role.MEMBER)

    add_organisations_without_admin(2)
    few = [queries_for(client, url) for url in urls]
    add_organisations_without_admin(20)
    assert [queries_for(client, url) for url in urls] == few
