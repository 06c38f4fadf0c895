"""Browser tests: Playwright drives Debian's Chromium against Django's live server; axe-core checks each page.

The whole folder is skipped, with one reason, where Chromium or the `playwright` package is missing, so the
rest of the suite still runs. Every test here is marked `browser` (`pytest -m "not browser"` leaves them out).
"""

import importlib.util
import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser import pages

HERE = Path(__file__).parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 320, "height": 640}

# Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM calls from a
# thread with a running loop (SynchronousOnlyOperation). The tests only make ordinary synchronous queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _why_browser_tests_cannot_run() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "The playwright package is not installed: browser tests skipped"
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        return f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _browser_available():
    """Skip every test in this folder, with one reason, when there is no browser to drive."""
    reason = _why_browser_tests_cannot_run()
    if reason:
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _seeded_taxonomies(transactional_db):
    """Seed the sectors and service types again: the live server needs a transactional database, which is
    flushed after each test. (pytest-django's serialized rollback cannot restore them here: Django keeps
    connections in context variables, and once Playwright's loop runs, the test sees a fresh connection
    object without the serialized contents.)"""
    from django.apps import apps

    importlib.import_module("carenetwork.organisations.migrations.0002_seed_taxonomies").seed(apps, None)


@pytest.fixture(autouse=True)
def _forget_used_totp_codes():
    """allauth remembers used TOTP codes per user id in the cache; ids repeat after the database is flushed."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def playwright_instance(_browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Opens browser contexts (separate cookie jars) on the live server; all close at the end of the test."""
    contexts = []

    def open_context(*, viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop-sized page (1280 × 900) in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def mobile_page(new_context):
    """A page 320 CSS pixels wide: WCAG 1.4.10 reflow."""
    return new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def no_js_page(new_context):
    """A page with JavaScript switched off: core journeys must still work."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def assert_accessible():
    return pages.assert_accessible


@pytest.fixture
def sign_in():
    return pages.sign_in
