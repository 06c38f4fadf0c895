"""Wide records tables: each sits in a focusable region named by its heading and by a sentence saying it scrolls
sideways, keeps its first column in view, lets the page itself fit 320 pixels, and the matrix's categories can be
chosen. Each page is checked with axe."""

import datetime
import importlib
import re

import pytest

from carenetwork.records.models import TrainingCategory
from carenetwork.records.selectors import mandatory_for
from tests.browser.conftest import MOBILE
from tests.browser.pages import assert_accessible, expect, focused_element, main_text, sign_in, submit, tab_to
from tests.records.factories import StaffMemberFactory, job_role, record_for

SCROLLS = re.compile(r"Scroll sideways to see all \d+ categories")


@pytest.fixture(autouse=True)
def _records_taxonomies(_seeded_taxonomies):
    """The ASC-WDS categories, job roles and mandatory training, seeded again after the flush (see conftest)."""
    from django.apps import apps

    if not TrainingCategory.objects.exists():
        importlib.import_module("carenetwork.records.migrations.0002_seed_taxonomies").seed(apps, None)


@pytest.fixture
def staffed(provider):
    """A care home with a few people, one of them holding safeguarding."""
    people = [
        StaffMemberFactory(organisation=provider, name=name, job_role=job_role(8))
        for name in ("Ada Lovelace-Marsh", "Ben Okoro", "Cat Delaney")
    ]
    record_for(people[0], 20, datetime.date.today() - datetime.timedelta(days=30))
    return provider


def _page_fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def _scrolls(region) -> bool:
    return region.evaluate("e => e.scrollWidth > e.clientWidth")


def test_the_matrix_scrolls_in_a_named_focusable_region_at_320_pixels(new_context, staffed, provider_admin):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, provider_admin)
    page.goto(f"/records/{staffed.pk}/matrix/")
    count = len(mandatory_for(staffed)[1])
    assert count > 3
    region = page.get_by_role("region", name=SCROLLS)
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_accessible_name(re.compile(rf"^3 people Scroll sideways to see all {count} categories\."))
    expect(page.locator("#matrix-scroll-hint")).to_be_visible()
    assert _page_fits(page), "the page itself scrolls sideways at 320 pixels"
    assert _scrolls(region), "the matrix should scroll inside its region"

    tab_to(page, ".app-table-wrap")
    assert "app-table-wrap" in focused_element(page)
    name_cell = page.get_by_role("rowheader", name=re.compile("Ada Lovelace-Marsh"))
    left_before = name_cell.bounding_box()["x"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    # Polled from here: wait_for_function evaluates a string, which the page's CSP (no unsafe-eval) refuses.
    for _ in range(50):
        if page.evaluate("document.activeElement.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.activeElement.scrollLeft") > 0, "the arrow keys should scroll the table"
    assert abs(name_cell.bounding_box()["x"] - left_before) < 1, "the name column should stay in view"
    assert _page_fits(page)
    assert_accessible(page, "Training matrix at 320 pixels, scrolled")


def test_the_matrix_shows_the_chosen_categories_and_says_so(page, staffed, provider_admin):
    sign_in(page, provider_admin)
    page.goto(f"/records/{staffed.pk}/matrix/")
    count = len(mandatory_for(staffed)[1])
    region = page.get_by_role("region", name=SCROLLS)
    expect(region).to_have_count(1)  # at 1280 pixels the whole set is still wider than the page
    assert _scrolls(region) and _page_fits(page)
    assert_accessible(page, "Training matrix: every category")

    page.get_by_text("Choose which categories to show").click()
    page.get_by_label("Safeguarding adults").check()
    page.get_by_label("Fire safety").check()
    assert_accessible(page, "Training matrix: choosing categories")
    submit(page, "Filter")
    assert f"Showing 2 of {count} categories." in main_text(page)
    headers = page.locator("main table thead th")
    expect(headers).to_have_text(["Name", "Fire safety", "Safeguarding adults"])
    # Two categories fit: the sentence about scrolling goes, and the region is named by its heading alone.
    expect(page.locator("#matrix-scroll-hint")).to_be_hidden()
    expect(page.get_by_role("region", name="3 people", exact=True)).to_have_count(1)
    expect(page.locator("details.app-filters__categories")).to_have_attribute("open", "")
    csv_link = page.get_by_role("link", name="Download as CSV")
    expect(csv_link).to_have_attribute("href", re.compile(r"categories=\d+.*categories=\d+"))
    assert_accessible(page, "Training matrix: two categories")
    page.get_by_role("link", name="Show all categories").click()
    expect(page.get_by_role("region", name=SCROLLS)).to_have_count(1)


def test_without_javascript_the_matrix_still_says_it_scrolls(no_js_page, staffed, provider_admin):
    sign_in(no_js_page, provider_admin)
    no_js_page.goto(f"/records/{staffed.pk}/matrix/")
    expect(no_js_page.locator("#matrix-scroll-hint")).to_be_visible()
    expect(no_js_page.locator("#matrix-scroll-hint")).to_contain_text(SCROLLS)


@pytest.mark.parametrize("path", ["staff/", "", "a person"])
def test_the_register_overview_and_a_person_fit_320_pixels_and_their_tables_scroll(
    new_context, staffed, provider_admin, path
):
    if path == "a person":
        path = f"staff/{staffed.staff.get(name='Ada Lovelace-Marsh').pk}/"
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, provider_admin)
    page.goto(f"/records/{staffed.pk}/{path}")
    region = page.get_by_role("region", name=re.compile("Scroll sideways to see the whole table"))
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("tabindex", "0")
    assert _page_fits(page) and _scrolls(region)
    assert_accessible(page, f"/records/…/{path} at 320 pixels")


def test_at_full_width_a_table_that_fits_does_not_say_it_scrolls(page, staffed, provider_admin):
    sign_in(page, provider_admin)
    page.goto(f"/records/{staffed.pk}/staff/")
    expect(page.locator("#staff-scroll-hint")).to_be_hidden()
    expect(page.get_by_role("region", name="3 people", exact=True)).to_have_count(1)
