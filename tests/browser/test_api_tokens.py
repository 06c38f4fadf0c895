"""API tokens in a browser: a provider's admin finds 'API tokens' on the organisation's page, makes a token for the
records area (the form's errors first), copies the secret shown once, calls the API with it, and revokes it; the
reference page for developers. Each page state is checked with axe and at 320 px."""

import datetime
import urllib.request
from urllib.error import HTTPError

from tests.browser.conftest import MOBILE
from tests.browser.pages import (
    assert_error_summary_links_to_fields,
    assert_reflows_and_accessible,
    expect,
    sign_in,
    submit,
    success_banner,
)


def _call(url: str, secret: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the test's own live server
            return answer.status
    except HTTPError as error:
        return error.code


def test_an_admin_makes_uses_and_revokes_a_token(new_context, live_server, provider, provider_admin):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, provider_admin)
    page.goto(f"/organisations/{provider.pk}/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.locator("main")).to_contain_text("Your organisation has no tokens yet.")
    assert_reflows_and_accessible(page, "API tokens: none yet")

    page.get_by_role("link", name="Make a token").click()
    page.get_by_label("Day").fill("")
    submit(page, "Make the token")
    assert_error_summary_links_to_fields(page)
    assert_reflows_and_accessible(page, "Make an API token: errors")

    page.get_by_label("Name").fill("Rota system")
    page.get_by_role("group", name="What it may read").get_by_label("Staff register and training records").check()
    page.get_by_role("group", name="Expiry date").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Expiry date").get_by_label("Month").fill("3")
    year = page.get_by_role("group", name="Expiry date").get_by_label("Year")
    year.fill(str(datetime.date.today().year + 1))
    submit(page, "Make the token")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new token")
    secret = page.get_by_label("Token ‘Rota system’").input_value()
    assert secret.startswith("cn_")
    assert_reflows_and_accessible(page, "Your new token")
    assert _call(f"{live_server.url}/api/v1/staff/", secret) == 200
    assert _call(f"{live_server.url}/api/v1/course-runs/", secret) in (403, 404)

    page.get_by_role("link", name="I have copied it").click()
    expect(page.locator("main")).to_contain_text("Rota system")
    expect(page.locator("main")).not_to_contain_text(secret)
    assert_reflows_and_accessible(page, "API tokens: one")
    page.get_by_role("link", name="Revoke Rota system").click()
    assert_reflows_and_accessible(page, "Revoke a token")
    submit(page, "Revoke the token")
    expect(success_banner(page)).to_contain_text("has been revoked")
    expect(page.locator("main")).to_contain_text("Revoked")
    assert _call(f"{live_server.url}/api/v1/staff/", secret) == 401


def test_the_reference_for_developers_is_open_and_accessible(new_context):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    page.goto("/")
    page.get_by_role("link", name="API for developers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API for developers")
    expect(page.locator("main")).to_contain_text("GET /api/v1/staff/")
    assert_reflows_and_accessible(page, "API for developers")
