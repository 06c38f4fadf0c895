"""The home page as each role sees it, with something needing their attention, and empty: axe-checked."""

import pytest

from tests.browser.pages import assert_accessible, horizontal_overflow, main_text, sign_in

ROLES = ["provider_admin", "provider_member", "council_officer", "council_admin", "training_admin"]


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_home_page_is_accessible(request, page, things, role):
    sign_in(page, request.getfixturevalue(role))
    page.goto("/")
    text = main_text(page)
    assert "What needs your attention" in text
    if role != "provider_member":
        assert "Nothing needs your attention now." not in text
    assert_accessible(page, f"Home page: {role}")


def test_the_home_page_with_nothing_to_do_is_accessible(page, provider_member):
    sign_in(page, provider_member)
    page.goto("/")
    assert "Nothing needs your attention now." in main_text(page)
    assert_accessible(page, "Home page: nothing to do")


def test_the_home_page_fits_a_phone(mobile_page, things, provider_admin):
    sign_in(mobile_page, provider_admin)
    mobile_page.goto("/")
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Home page at 320 px")
