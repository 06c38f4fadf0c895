"""The footer's pages: help, accessibility statement, privacy notice and cookies, open to everyone."""

import pytest
from django.urls import reverse

from carenetwork.organisations.models import Membership, Role
from carenetwork.records.models import RecordsSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOOTER_PAGES = ["core:help", "core:accessibility", "core:privacy", "core:cookies"]


@pytest.mark.parametrize("name", FOOTER_PAGES)
def test_every_page_links_to_the_footer_pages(client, name):
    page = client.get(reverse("account_login")).content.decode()
    footer = page[page.index('<footer class="govuk-footer">') :]
    assert f'href="{reverse(name)}"' in footer


def test_help_gives_the_councils_contact_address(client, settings):
    settings.COUNCIL_CONTACT_EMAIL = "help@council.example"
    page = client.get(reverse("core:help")).content.decode()
    assert "mailto:help@council.example" in page
    assert reverse("account_reset_password") in page


def test_accessibility_statement_follows_the_model_statement(client, settings):
    settings.COUNCIL_CONTACT_EMAIL = "access@council.example"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = "2026-11-30"
    page = client.get(reverse("core:accessibility")).content.decode()
    for heading in (
        "How accessible this service is",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "Equality and Human Rights Commission" in page and "Equality Commission for Northern Ireland" in page
    assert "(No. 2) Accessibility Regulations 2018" in page
    assert "prepared on 30 November 2026" in page
    assert "mailto:access@council.example" in page


def test_privacy_notice_gives_the_retention_periods_set_by_the_council(client, settings):
    settings.COUNCIL_DPO_EMAIL = "dpo@council.example"
    RecordsSettings.objects.update_or_create(pk=1, defaults={"retention_months": 60})
    page = client.get(reverse("core:privacy")).content.decode()
    assert "removed 60 months after their leaving date" in page
    assert "deleted after 30 days" in page
    assert "public task" in page and "Article 6(1)(e)" in page
    assert "Your rights" in page and "Information Commissioner" in page
    assert "mailto:dpo@council.example" in page


def test_privacy_notice_gives_the_default_retention_of_72_months(client):
    assert "removed 72 months after their leaving date" in client.get(reverse("core:privacy")).content.decode()


def test_cookies_page_lists_the_essential_cookies_with_their_expiry(client, settings):
    page = client.get(reverse("core:cookies")).content.decode()
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"):
        assert f"<code>{name}</code>" in page
    assert "after 30 minutes without using the service, or after 12 hours" in page
    assert "364 days" in page  # Django's CSRF cookie age
    assert "do not ask you to accept cookies" in page


@pytest.mark.parametrize("name", FOOTER_PAGES)
def test_council_staff_setting_up_two_factor_can_still_read_the_footer_pages(client, council, name):
    officer = UserFactory()
    Membership.objects.create(user=officer, organisation=council, role=Role.OFFICER)
    client.force_login(officer)
    assert client.get(reverse(name)).status_code == 200
