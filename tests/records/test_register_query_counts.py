"""The provider's records pages cost the same number of queries however many staff and records there are."""

import datetime

import pytest
from django.urls import reverse

from carenetwork.records import services
from tests.organisations.test_query_counts import queries_for
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db


def add_staff(provider, n):
    for i in range(n):
        person = StaffMemberFactory(organisation=provider, job_role=job_role([8, 7, 25][i % 3]))
        record_for(person, 20, datetime.date(2024, 1, 1 + i % 28))
        record_for(person, 15, datetime.date(2026, 1, 1 + i % 28))


@pytest.mark.parametrize(
    "name",
    ["records:dashboard", "records:staff-list", "records:matrix", "records:requirements"],
)
def test_records_pages_do_not_grow_with_staff(client, provider, provider_admin, name):
    client.force_login(provider_admin)
    url = reverse(name, args=[provider.pk])
    add_staff(provider, 2)
    few = queries_for(client, url)
    add_staff(provider, 25)
    assert queries_for(client, url) == few


@pytest.mark.parametrize("query", ["?status=missing", "?status=expired", "?status=expiring&job_role=1"])
def test_filtered_matrix_does_not_grow_with_staff(client, provider, provider_admin, query):
    client.force_login(provider_admin)
    url = reverse("records:matrix", args=[provider.pk]) + query
    add_staff(provider, 2)
    few = queries_for(client, url)
    add_staff(provider, 25)
    assert queries_for(client, url) == few


def test_matrix_of_chosen_categories_does_not_grow_with_staff(client, provider, provider_admin):
    client.force_login(provider_admin)
    chosen = f"?status=missing&categories={category(20).pk}&categories={category(15).pk}"
    url = reverse("records:matrix", args=[provider.pk]) + chosen
    add_staff(provider, 2)
    few = queries_for(client, url)
    add_staff(provider, 25)
    assert queries_for(client, url) == few


def test_a_persons_page_does_not_grow_with_their_records(client, provider, provider_admin):
    client.force_login(provider_admin)
    person = StaffMemberFactory(organisation=provider)
    record_for(person, 20, datetime.date(2024, 1, 1))
    url = reverse("records:staff-detail", args=[provider.pk, person.pk])
    few = queries_for(client, url)
    for code in (6, 7, 9, 10, 13, 14):
        record_for(person, code, datetime.date(2025, 1, 1))
    assert queries_for(client, url) == few


@pytest.mark.parametrize(
    "query", ["", "?status=missing", "?status=expired", "?status=expiring&categories={safeguarding}"]
)
def test_matrix_and_overview_do_not_grow_with_the_providers_own_rules(client, provider, provider_admin, query):
    """The status filter is one condition per set of roles needing the same categories: never a query per rule."""
    client.force_login(provider_admin)
    add_staff(provider, 6)
    matrix = reverse("records:matrix", args=[provider.pk]) + query.format(safeguarding=category(20).pk)
    pages = [matrix, reverse("records:dashboard", args=[provider.pk])]
    few = [queries_for(client, url) for url in pages]
    for role, code in zip([8, 7, 25, 3, 44], [29, 31, 6, 9, 10], strict=True):  # another category for each role
        services.requirement_add(
            actor=provider_admin, organisation=provider, category=category(code), job_role=job_role(role)
        )
    assert [queries_for(client, url) for url in pages] == few
