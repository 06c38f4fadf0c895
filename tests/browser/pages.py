"""Helpers for browser tests: accessibility checks, signing in, keyboard focus and what the page shows.

Every browser test module imports this first: where Chromium or Playwright is missing, it skips the module,
with one line saying why, before anything imports Playwright.
"""

import re
import time
from functools import cache
from pathlib import Path

import pytest

from tests.browser.availability import why_browser_tests_cannot_run

if reason := why_browser_tests_cannot_run():
    pytest.skip(reason, allow_module_level=True)

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect as expect  # for the tests: imported here, after the check above

from tests.factories import TEST_PASSWORD, TOTP_SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_NPM_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 A and AA rules (ENGINEERING.md: "WCAG 2.x A and AA rules").
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@cache
def _axe():
    """axe-core from the project's npm packages; axe-playwright-python's bundled copy if npm was not run."""
    if AXE_NPM_SCRIPT.exists():
        return Axe(axe_script=AXE_NPM_SCRIPT.read_text(encoding="utf-8"))
    return Axe()


def when_loaded(page, read):
    """read(page) once the page has loaded.

    A click that follows a link returns before the next page has loaded, so this waits for it. If the page is
    still being replaced when the script starts (Chromium then has no document, or destroys the script's
    context), it reads again from the page that has arrived: the read is never skipped, and any other error
    still fails.
    """
    for _ in range(2):
        page.wait_for_load_state()
        try:
            return read(page)
        except PlaywrightError as error:
            if not _NAVIGATING.search(str(error)):
                raise
    page.wait_for_load_state()
    return read(page)


_NAVIGATING = re.compile(r"Cannot read properties of null|Execution context was destroyed|navigat", re.IGNORECASE)


def axe_violations(page) -> list[dict]:
    """The WCAG 2.x A/AA violations axe-core finds on the page as it is now (needs JavaScript on: axe.run never
    settles in a context with JavaScript off)."""
    return when_loaded(page, lambda p: _axe().run(p, options=AXE_OPTIONS).response["violations"])


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page, label: str) -> None:
    """Fail, listing each rule, impact, help and target, unless axe-core finds no WCAG 2.x A/AA violations."""
    violations = axe_violations(page)
    assert not violations, (
        f"{label} ({page.url}) has {len(violations)} accessibility violation(s):\n{describe_violations(violations)}"
    )


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The authenticator app's current code, waiting for a fresh period so it does not expire in transit."""
    period = 30
    if time.time() % period > period - 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time() // period)))


def sign_in(page, user, *, password: str = TEST_PASSWORD, check_accessibility: bool = False) -> None:
    """Sign in through the allauth forms, giving the authenticator code when asked for one."""
    page.goto("/accounts/login/")
    if check_accessibility:
        assert_accessible(page, "Sign in")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit], main form button:not([type])").first.click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        if check_accessibility:
            assert_accessible(page, "Two-factor authentication: enter the code")
        page.fill("input[name=code]", totp_code())
        page.locator("main form button[type=submit], main form button:not([type])").first.click()
        page.wait_for_load_state()
    assert "/accounts/login/" not in page.url and "/accounts/2fa/" not in page.url, (
        f"{user.email} could not sign in; the page says: {main_text(page)[:500]}"
    )


def main_text(page) -> str:
    return page.locator("main").inner_text()


def error_summary_links(page) -> list[tuple[str, str]]:
    """(text, href) of each link in the GOV.UK error summary."""
    links = page.locator(".govuk-error-summary a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def assert_error_summary_links_to_fields(page) -> None:
    """The error summary is shown, and each of its links points at a field on the page."""
    expect(page.locator(".govuk-error-summary").first, f"no error summary on {page.url}").to_be_visible()
    links = error_summary_links(page)
    assert links, f"no error summary on {page.url}"
    for text, href in links:
        assert href and href.startswith("#"), f"error summary link {text!r} has href {href!r}"
        assert page.locator(f"[id='{href[1:]}']").count() == 1, f"error summary link {text!r} points at no field"


def link_in_last_email(to: str, live_server_url: str) -> str:
    """The first link in the last email sent to the address, pointed at the live server."""
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no email was sent to {to}"
    url = re.search(r"https?://\S+", messages[-1].body).group(0)
    return url.replace(settings.SITE_URL.rstrip("/"), live_server_url, 1)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when nothing scrolls sideways)."""
    return when_loaded(
        page, lambda p: p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def assert_reflows_and_accessible(page, label: str) -> None:
    """The page does not scroll sideways (at the page's width: 320 px for mobile_page) and passes axe."""
    assert horizontal_overflow(page) == 0, f"{label} scrolls sideways"
    assert_accessible(page, label)


def submit(page, name: str | None = None) -> None:
    """Press the main form's submit button (or the button with this name) and wait for the page the server sends
    back: every form here posts to the server, and a click can return before the browser has begun to leave."""
    button = page.get_by_role("button", name=name) if name else page.locator("main form button").first
    with page.expect_navigation():
        button.click()


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


def tab_to(page, selector: str, *, limit: int = 40) -> int:
    """Press Tab until the element matching the selector has focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} was not reached after {limit} presses of Tab on {page.url}")


def focused_element(page) -> str:
    """A short description of the element that has focus, for assertion messages."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return e ? `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')}` : 'nothing'; }"""
    )


def focus_indicator(page) -> dict:
    """The focused element's outline, box shadow and colours, focused and not: they must differ visibly."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const look = () => { const s = getComputedStyle(el); return {
                outline: s.outlineStyle === 'none' ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                boxShadow: s.boxShadow, background: s.backgroundColor, color: s.color}; };
            const focused = look();
            el.blur();
            const unfocused = look();
            el.focus();
            return {focused, unfocused};
        }"""
    )
