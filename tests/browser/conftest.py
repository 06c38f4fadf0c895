"""Browser tests: Playwright drives Debian's Chromium against Django's live server; axe-core checks each page.

Where Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) or the `playwright` or `axe-playwright-python` package
is missing, every module here is skipped at collection with one line saying why (pages.py, which each module
imports first, raises the skip), so the rest of the suite still runs. This conftest imports no Playwright at
module level. Every test here is marked `browser`: `pytest -m "not browser"` leaves them out.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser.availability import CHROMIUM_PATH

HERE = Path(__file__).parent
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


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests `browser`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _seeded_taxonomies(transactional_db):
    """Seed the sectors, service types, forums and training taxonomies again: the live server needs a
    transactional database, which is flushed after each test. (pytest-django's serialized rollback cannot
    restore them here: Django keeps connections in context variables, and once Playwright's loop runs, the
    test sees a fresh connection object without the serialized contents.)"""
    from django.apps import apps

    importlib.import_module("carenetwork.organisations.migrations.0002_seed_taxonomies").seed(apps, None)
    importlib.import_module("carenetwork.forums.migrations.0002_seed_forums").seed(apps, None)
    importlib.import_module("carenetwork.records.migrations.0002_seed_taxonomies").seed(apps, None)


@pytest.fixture(autouse=True)
def _forget_used_totp_codes():
    """allauth remembers used TOTP codes per user id in the cache; ids repeat after the database is flushed."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread, and Django refuses ORM calls from
    # a thread with a running loop (SynchronousOnlyOperation). The tests make ordinary synchronous queries, so
    # allow them while (and only while) Playwright runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


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
