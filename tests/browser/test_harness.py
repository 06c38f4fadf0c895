"""The browser harness itself: static files are served, and GOV.UK Frontend starts under the CSP."""

from tests.browser.pages import expect


def test_live_server_serves_the_compiled_stylesheet(page):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/")
    stylesheet = next(r for r in responses if r.url.endswith("/static/dist/app.css"))
    assert stylesheet.status == 200
    assert "arial" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").lower()
    assert page.evaluate("getComputedStyle(document.querySelector('.govuk-skip-link')).position") == "absolute"


def test_gov_uk_frontend_starts_without_content_security_policy_errors(page):
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.goto("/accounts/login/")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    expect(page.locator("[data-module=govuk-button]").first).to_have_attribute("data-govuk-button-init", "")
    assert console_errors == []
