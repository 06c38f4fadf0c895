"""Site-wide pages and behaviour in a real browser: the footer's pages, the session timeout warning, and
pages that must not scroll sideways on a 320px screen."""

import time

import pytest

from carenetwork.organisations.models import Role
from tests.browser.pages import (
    _axe,
    assert_accessible,
    expect,
    horizontal_overflow,
    link_in_last_email,
    main_text,
    sign_in,
    submit,
)
from tests.factories import person_in
from tests.records.factories import StaffMemberFactory

FOOTER_PAGES = [
    ("Help", "/help/"),
    ("Accessibility statement", "/accessibility-statement/"),
    ("Privacy notice", "/privacy/"),
    ("Cookies", "/cookies/"),
]


@pytest.mark.parametrize(("label", "path"), FOOTER_PAGES)
def test_footer_pages_are_accessible_and_reflow(page, mobile_page, label, path):
    page.goto("/accounts/login/")
    page.locator("footer").get_by_role("link", name=label.split()[0]).click()
    page.wait_for_url(f"**{path}")
    expect(page.locator("h1")).to_have_count(1)  # waits for the page, not only its address
    assert_accessible(page, label)
    mobile_page.goto(path)
    assert horizontal_overflow(mobile_page) == 0, f"{label} scrolls sideways at 320px"
    assert_accessible(mobile_page, f"{label} at 320px")


def test_timeout_warning_lets_the_person_stay_signed_in(page, provider_admin, settings, client):
    settings.SESSION_IDLE_SECONDS = 125  # the warning opens 2 minutes before: after about 5 seconds
    sign_in(page, provider_admin)
    page.goto("/organisations/")
    dialog = page.locator("dialog.app-timeout-dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog.get_by_role("heading", name="You're about to be signed out")).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in 1 minute")
    assert page.locator("#timeout-warning-announcement").inner_text().startswith("For your security")
    assert_accessible(page, "Timeout warning")
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    # The server's idle clock restarted: the next page is still signed in and has the full time again.
    page.goto("/organisations/")
    assert "/accounts/login/" not in page.url
    expires_in = int(page.locator("dialog.app-timeout-dialog").get_attribute("data-expires-in"))
    assert expires_in >= 120


def test_escape_in_the_timeout_warning_also_keeps_the_person_signed_in(page, provider_admin, settings):
    settings.SESSION_IDLE_SECONDS = 122
    sign_in(page, provider_admin)
    page.goto("/organisations/")
    dialog = page.locator("dialog.app-timeout-dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    time.sleep(3)  # past the first deadline: still signed in
    page.goto("/organisations/")
    assert "/accounts/login/" not in page.url


def test_timeout_warning_signs_the_person_out_when_time_runs_out(page, provider_admin, settings):
    settings.SESSION_IDLE_SECONDS = 4
    sign_in(page, provider_admin)
    page.goto("/organisations/")
    expect(page.locator("dialog.app-timeout-dialog")).to_be_visible()
    page.wait_for_url("**/accounts/login/**", timeout=15_000)
    assert "You were signed out to protect your information" in main_text(page)
    assert "next=/organisations/" in page.url


def test_sign_out_from_the_timeout_warning(page, provider_admin, settings):
    settings.SESSION_IDLE_SECONDS = 121
    sign_in(page, provider_admin)
    page.goto("/organisations/")
    dialog = page.locator("dialog.app-timeout-dialog")
    expect(dialog).to_be_visible(timeout=10_000)
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/organisations/")
    assert "/accounts/login/" in page.url


LONG_EMAIL = "christopher.montgomeryfitzwilliam@willowhouseresidentialcarehome.example.org"


def test_long_email_addresses_wrap_at_320px(mobile_page, provider, provider_admin):
    provider_admin.email = LONG_EMAIL
    provider_admin.save()
    provider_admin.emailaddress_set.update(email=LONG_EMAIL)
    person_in(provider, Role.MEMBER, email="alexandra.worthingtonblackwood@willowhouseresidentialcarehome.example.org")
    sign_in(mobile_page, provider_admin)
    for label, path in [("Email addresses", "/accounts/email/"), ("Hand on", f"/organisations/{provider.pk}/hand-on/")]:
        mobile_page.goto(path)
        assert "montgomeryfitzwilliam" in mobile_page.content() or "worthingtonblackwood" in mobile_page.content()
        assert horizontal_overflow(mobile_page) == 0, f"{label} scrolls sideways at 320px"
        assert_accessible(mobile_page, f"{label} at 320px")


def test_the_back_link_is_inside_a_landmark(page, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    sign_in(page, provider_admin)
    page.goto(f"/records/{provider.pk}/staff/{staff.pk}/edit/")
    assert page.locator("nav .govuk-back-link").count() == 1
    result = _axe().run(page, options={"runOnly": {"type": "rule", "values": ["region"]}})
    assert result.response["violations"] == [], result.response["violations"]


def test_password_and_email_pages_are_accessible(page, mobile_page, live_server, provider_member):
    sign_in(page, provider_member)
    for label, path in [
        ("Change your password", "/accounts/password/change/"),
        ("Email addresses", "/accounts/email/"),
    ]:
        page.goto(path)
        assert_accessible(page, label)
        submit(page)  # nothing entered, or nothing chosen: the error state
        assert_accessible(page, f"{label}: error")
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email address").fill(provider_member.email)
    submit(page, "Send the link")
    assert_accessible(page, "Check your email")
    mobile_page.goto(link_in_last_email(provider_member.email, live_server.url))
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Create a new password")
    submit(mobile_page, "Save your new password")
    assert_accessible(mobile_page, "Create a new password: error")
