"""The foundation's main journeys in a real browser, each page checked with axe-core (WCAG 2.x A and AA)."""

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from carenetwork.organisations.models import Membership, Role
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    focus_indicator,
    focused_element,
    horizontal_overflow,
    link_in_last_email,
    main_text,
    sign_in,
    submit,
    success_banner,
    tab_to,
    totp_code,
)
from tests.factories import TEST_PASSWORD, TOTP_SECRET, MembershipFactory, UserFactory, person_in

NEW_PERSON = "sam.rivers@example.org"
NEW_PASSWORD = "kettle-orchard-lantern-42"


def a_wrong_code() -> str:
    """A code the authenticator app showed an hour ago: well formed, but not valid now."""
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time() // 30) - 120))


def invite_by_email(page, organisation, email: str, *, check_accessibility: bool = True) -> None:
    """An admin invites a person from their organisation's People page."""
    page.goto(f"/organisations/{organisation.pk}/people/")
    if check_accessibility:
        assert_accessible(page, "People")
    page.get_by_role("link", name="Invite a person").click()
    if check_accessibility:
        assert_accessible(page, "Invite a person")
        submit(page, "Send the invitation")
        assert_error_summary_links_to_fields(page)
        assert_accessible(page, "Invite a person: error")
    page.get_by_label("Email address").fill(email)
    submit(page, "Send the invitation")
    expect(success_banner(page)).to_contain_text(f"An invitation has been sent to {email}")


def accept_invitation_with_new_account(page, url: str, *, check_accessibility: bool = True) -> None:
    """The invitee opens the emailed link and creates an account."""
    page.goto(url)
    if check_accessibility:
        assert_accessible(page, "Accept an invitation")
        submit(page, "Create your account and join")
        assert_error_summary_links_to_fields(page)
        assert_accessible(page, "Accept an invitation: error")
    page.get_by_label("Full name").fill("Sam Rivers")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    submit(page, "Create your account and join")


# a. Joining by invitation, then meeting the limits of what another provider shows.


def test_invited_person_joins_provider_and_sees_only_public_profile_of_another(
    page, new_context, live_server, provider, provider_admin, other_provider, other_admin
):
    sign_in(page, provider_admin)
    invite_by_email(page, provider, NEW_PERSON)
    assert_accessible(page, "People with an invitation waiting")

    invitee = new_context().new_page()
    accept_invitation_with_new_account(invitee, link_in_last_email(NEW_PERSON, live_server.url))

    assert invitee.url.endswith(f"/organisations/{provider.pk}/")
    expect(success_banner(invitee)).to_contain_text("You have joined Willow Care Home")
    expect(invitee.locator("main")).to_contain_text("You are a member of this organisation")
    assert_accessible(invitee, "Organisation page, as a new member")
    assert Membership.objects.active().get(organisation=provider, user__email=NEW_PERSON).role == Role.MEMBER

    invitee.goto("/organisations/")
    assert_accessible(invitee, "Directory")
    invitee.get_by_label("Name or postcode").fill("Heron")
    submit(invitee, "Search")
    results = invitee.locator("main table")
    expect(results.get_by_role("link", name="Heron Home Care")).to_be_visible()
    expect(results).not_to_contain_text("Willow Care Home")
    assert_accessible(invitee, "Directory: search results")

    results.get_by_role("link", name="Heron Home Care").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Heron Home Care")
    expect(invitee.locator("main table")).to_contain_text("Heron Office")
    assert "Olu Bello" not in main_text(invitee)
    expect(invitee.locator("main").get_by_role("link", name="People", exact=True)).to_have_count(0)
    assert_accessible(invitee, "Another provider's profile")

    response = invitee.goto(f"/organisations/{other_provider.pk}/people/")
    assert response.status == 403
    assert "Olu Bello" not in invitee.content()
    assert_accessible(invitee, "Forbidden (403)")


def test_directory_search_without_matches_says_so(page, provider, provider_member, other_provider):
    sign_in(page, provider_member)
    page.goto("/organisations/?q=Nowhere+Anywhere")
    expect(page.locator("main")).to_contain_text("No organisations match your search")
    assert_accessible(page, "Directory: no results")


# b. Handing the admin role on, then leaving.


def test_admin_hands_role_on_and_leaves(page, provider, provider_admin, provider_member):
    sign_in(page, provider_admin)
    page.goto(f"/organisations/{provider.pk}/people/")
    page.get_by_role("link", name="Hand the admin role on").click()
    assert_accessible(page, "Hand the admin role on")
    page.get_by_label("Daniel Price").check()
    submit(page, "Make them the admin")
    expect(success_banner(page)).to_contain_text("Daniel Price is now the admin of Willow Care Home")
    assert_accessible(page, "People after handing the role on")

    page.get_by_role("link", name="Leave this organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leave Willow Care Home?")
    assert_accessible(page, "Leave the organisation")
    submit(page, "Leave the organisation")
    expect(success_banner(page)).to_contain_text("You have left Willow Care Home")
    assert_accessible(page, "Home after leaving")

    assert Membership.objects.get(user=provider_member, organisation=provider).role == Role.ADMIN
    assert Membership.objects.get(user=provider_admin, organisation=provider).ended_at is not None


def test_last_admin_is_warned_before_leaving(page, provider, provider_admin):
    sign_in(page, provider_admin)
    page.goto(f"/organisations/{provider.pk}/leave/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("You are the only admin")
    assert_accessible(page, "Leave the organisation: last admin warning")
    page.goto(f"/organisations/{provider.pk}/hand-on/")
    expect(page.locator("main")).to_contain_text("There is nobody else in the organisation yet")
    assert_accessible(page, "Hand the admin role on: nobody to hand it to")


# c. The council appoints an admin for an organisation left without one.


def test_council_admin_appoints_admin_for_organisation_left_without_one(page, council_admin, other_provider):
    member = person_in(other_provider, Role.MEMBER, full_name="Rhys Morgan")
    MembershipFactory(organisation=other_provider, role=Role.ADMIN, ended_at=timezone.now() - timedelta(days=30))

    sign_in(page, council_admin, check_accessibility=True)
    page.get_by_role("link", name="Administration").click()
    assert_accessible(page, "Administration")
    page.get_by_role("link", name="Organisations with no active admin").click()
    row = page.locator("main tr", has_text="Heron Home Care")
    expect(row).to_contain_text("Admin left")
    assert_accessible(page, "Organisations with no active admin")

    row.get_by_role("link", name="Appoint an admin").click()
    expect(page.locator("main")).to_contain_text("Rhys Morgan")
    assert_accessible(page, "Appoint an admin")
    submit(page, "Appoint the admin")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Appoint an admin: error")
    page.get_by_label("Email address of the new admin").fill(member.email)
    submit(page, "Appoint the admin")
    expect(success_banner(page)).to_contain_text("Rhys Morgan is now the admin of Heron Home Care")
    assert_accessible(page, "People after appointing an admin")
    assert Membership.objects.active().get(user=member, organisation=other_provider).role == Role.ADMIN

    page.goto("/organisations/council/without-admin/")
    expect(page.locator("main")).not_to_contain_text("Heron Home Care")
    expect(page.locator("main")).to_contain_text("Every organisation has an active admin")
    assert_accessible(page, "Organisations with no active admin: none left")

    page.goto(f"/organisations/council/audit/?organisation={other_provider.pk}")
    expect(page.locator("main")).to_contain_text("Rhys Morgan")
    assert_accessible(page, "History of changes for one organisation")


def test_wrong_authenticator_code_is_refused_with_an_accessible_error(page, council_admin):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(council_admin.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    submit(page)
    assert "/accounts/2fa/authenticate/" in page.url
    page.get_by_label("Code").fill(a_wrong_code())
    submit(page)
    assert "/accounts/2fa/authenticate/" in page.url
    expect(page.locator(".govuk-error-message, .govuk-error-summary").first).to_be_visible()
    assert_accessible(page, "Two-factor authentication: wrong code")


# d. Council staff must set up two-factor authentication first.


def test_council_staff_without_authenticator_must_set_one_up(page, council):
    officer = UserFactory(full_name="Tom Okafor")
    MembershipFactory(user=officer, organisation=council, role=Role.OFFICER)

    sign_in(page, officer)
    page.goto("/")
    assert page.url.endswith("/accounts/two-factor-required/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    assert_accessible(page, "Set up two-factor authentication")

    page.get_by_role("button", name="Set up an authenticator app").click()
    # allauth asks for the password again before any change to two-factor authentication.
    assert "/accounts/reauthenticate/" in page.url
    assert_accessible(page, "Confirm your password")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    submit(page)

    assert "/accounts/2fa/totp/activate/" in page.url
    assert_accessible(page, "Activate an authenticator app")
    submit(page)
    assert_accessible(page, "Activate an authenticator app: error")

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    submit(page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Tom")


# e. Keyboard only.


def test_directory_works_with_keyboard_alone(page, provider, provider_member, other_provider):
    sign_in(page, provider_member)
    page.goto("/organisations/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('govuk-skip-link')"), focused_element(page)
    assert page.locator(".govuk-skip-link").bounding_box()["height"] > 10, "the focused skip link is not shown"
    page.keyboard.press("Enter")
    # The skip link moves to #main-content as the browser follows it: wait for that, not a race with it.
    page.wait_for_url("**/organisations/#main-content")
    assert page.url.endswith("#main-content")
    assert page.evaluate("document.activeElement.id") == "main-content", focused_element(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        f"after the skip link, Tab went to {focused_element(page)}, outside main"
    )

    tab_to(page, "#id_q")
    look = focus_indicator(page)
    assert look["focused"] != look["unfocused"], f"the search box shows no focus: {look}"
    page.keyboard.type("Heron")
    tab_to(page, "main form button")
    look = focus_indicator(page)
    assert look["focused"] != look["unfocused"], f"the Search button shows no focus: {look}"
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/?q=Heron*")

    tab_to(page, "main table a")
    assert page.evaluate("document.activeElement.textContent") == "Heron Home Care"
    look = focus_indicator(page)
    assert look["focused"] != look["unfocused"], f"the result link shows no focus: {look}"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Heron Home Care")


# f. 320 CSS pixels wide (WCAG 1.4.10 reflow).


@pytest.mark.parametrize(
    ("label", "person", "path"),
    [
        pytest.param("Directory", "member", "/organisations/", id="directory"),
        pytest.param(
            "Own organisation page, as its admin",
            "admin",
            "/organisations/{provider}/",
            id="own-organisation-as-admin",
        ),
        pytest.param(
            "Own organisation page, as a member",
            "member",
            "/organisations/{provider}/",
            id="own-organisation-as-member",
        ),
        pytest.param(
            "Another organisation's page",
            "member",
            "/organisations/{other_provider}/",
            id="another-organisation",
        ),
        pytest.param("People, as the admin", "admin", "/organisations/{provider}/people/", id="people-as-admin"),
        pytest.param(
            "People, as a member",
            "member",
            "/organisations/{provider}/people/",
            id="people-as-member",
        ),
    ],
)
def test_page_fits_a_320_pixel_screen(
    mobile_page, provider, provider_admin, provider_member, other_provider, label, person, path
):
    sign_in(mobile_page, {"admin": provider_admin, "member": provider_member}[person])
    mobile_page.goto(path.format(provider=provider.pk, other_provider=other_provider.pk))
    assert mobile_page.evaluate("document.documentElement.clientWidth") == 320
    overflow = horizontal_overflow(mobile_page)
    assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at 320px"
    assert_accessible(mobile_page, f"{label} at 320px")


# g. Without JavaScript.


def test_sign_in_and_invitation_work_without_javascript(no_js_page, new_context, live_server, provider, provider_admin):
    sign_in(no_js_page, provider_admin)
    invite_by_email(no_js_page, provider, NEW_PERSON, check_accessibility=False)

    invitee = new_context(java_script_enabled=False).new_page()
    accept_invitation_with_new_account(
        invitee, link_in_last_email(NEW_PERSON, live_server.url), check_accessibility=False
    )
    assert invitee.url.endswith(f"/organisations/{provider.pk}/")
    expect(success_banner(invitee)).to_contain_text("You have joined Willow Care Home")
    assert Membership.objects.active().filter(organisation=provider, user__email=NEW_PERSON).exists()


# h. Pages anyone can see.


def wrong_password(page):
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-the-password")
    submit(page)


PUBLIC_PAGES = [
    ("Landing page", "/", None),
    ("Sign in", "/accounts/login/", None),
    ("Sign in: wrong password", "/accounts/login/", wrong_password),
    ("Create an account", "/accounts/signup/", None),
    ("Create an account: error", "/accounts/signup/", submit),
    ("Reset your password", "/accounts/password/reset/", None),
    ("Reset your password: error", "/accounts/password/reset/", submit),
]


@pytest.mark.parametrize(("label", "path", "then"), [pytest.param(*p, id=p[0]) for p in PUBLIC_PAGES])
def test_public_page_is_accessible(page, label, path, then):
    page.goto(path)
    if then:
        then(page)
        expect(page.locator(".govuk-error-summary, .govuk-error-message").first).to_be_visible()
    assert_accessible(page, label)


def test_wrong_password_shows_error_summary(page):
    page.goto("/accounts/login/")
    wrong_password(page)
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))


# Council administration pages.


def clear_name(page):
    page.get_by_label("Name", exact=True).fill("")
    submit(page)


COUNCIL_ADMIN_PAGES = [
    ("Administration", "/organisations/council/", None),
    ("Organisations with no active admin", "/organisations/council/without-admin/", None),
    ("History of changes", "/organisations/council/audit/", None),
    ("Add an organisation", "/organisations/add/", None),
    ("Add an organisation: error", "/organisations/add/", submit),
    ("Edit the profile", "/organisations/{provider}/edit/", None),
    ("Edit the profile: error", "/organisations/{provider}/edit/", clear_name),
    ("Add a location", "/organisations/{provider}/locations/add/", None),
    ("Add a location: error", "/organisations/{provider}/locations/add/", submit),
    ("Organisation page, as the council", "/organisations/{provider}/", None),
    ("People, as the council", "/organisations/{provider}/people/", None),
    ("Your account", "/accounts/profile/", None),
    ("Two-factor authentication settings", "/accounts/2fa/", None),
]


@pytest.mark.parametrize(("label", "path", "then"), [pytest.param(*p, id=p[0]) for p in COUNCIL_ADMIN_PAGES])
def test_council_admin_page_is_accessible(page, council_admin, provider, provider_admin, label, path, then):
    sign_in(page, council_admin)
    page.goto(path.format(provider=provider.pk))
    if then:
        then(page)
        assert_error_summary_links_to_fields(page)
    assert_accessible(page, label)
