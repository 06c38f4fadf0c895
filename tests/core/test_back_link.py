"""The back link sits in a landmark of its own (axe best practice `region`); pages without one get none."""

import re

import pytest
from django.urls import reverse

from tests.records.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

BACK_NAV = re.compile(r'<nav class="app-back-link-nav" aria-label="Back">\s*<a [^>]*class="govuk-back-link"')


def test_the_back_link_is_inside_its_own_navigation_landmark(client, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    client.force_login(provider_admin)
    page = client.get(reverse("records:staff-edit", args=[provider.pk, staff.pk])).content.decode()
    assert BACK_NAV.search(page)
    assert page.count("govuk-back-link") == 1


def test_a_page_without_a_back_link_has_no_empty_landmark(client, provider_admin):
    client.force_login(provider_admin)
    page = client.get(reverse("organisations:directory")).content.decode()
    assert "app-back-link-nav" not in page
