"""A council officer reads the skills gap and a provider's compliance: each page checked with axe in its
populated, empty and error states; the files they download name nobody."""

import datetime
import importlib
import re
from pathlib import Path

import pytest

from carenetwork.records.models import MandatoryTraining, TrainingCategory
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
)
from tests.factories import LocationFactory, OrganisationFactory, sector
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

D = datetime.date
FAR = D(2099, 1, 1)
SAFEGUARDING, FIRE, INFECTION, MEDICATION, MOVING, DEMENTIA = 20, 6, 10, 13, 15, 2
STAFF_NAMES = ["Percival Thornbury", "Marigold Ashcombe", "Evander Lightfoot", "Rosalind Quince"]


@pytest.fixture(autouse=True)
def _records_taxonomies(_seeded_taxonomies):
    """The ASC-WDS categories, job roles and mandatory training, seeded again after the flush (see conftest)."""
    from django.apps import apps

    if not TrainingCategory.objects.exists():
        importlib.import_module("carenetwork.records.migrations.0002_seed_taxonomies").seed(apps, None)


@pytest.fixture
def market(db):
    """In home care most staff lack moving and assisting, then medication, then fire safety; residential care
    lacks dementia care most, which must not show when the officer looks at home care."""
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    for code in (SAFEGUARDING, FIRE, INFECTION, MEDICATION, MOVING):
        MandatoryTraining.objects.create(sector=sector("home-care"), category=category(code))
    MandatoryTraining.objects.create(sector=sector("residential-care"), category=category(DEMENTIA))
    heron = OrganisationFactory(name="Heron Home Care", sectors=[sector("home-care")], area="Northbrook")
    LocationFactory(organisation=heron, name="Heron Office", area="Northbrook")
    kestrel = OrganisationFactory(name="Kestrel Care at Home", sectors=[sector("home-care")], area="Southfield")
    # Six home care workers: who holds what (the rest lack it).
    holdings = [
        {SAFEGUARDING: FAR, INFECTION: FAR, FIRE: FAR, MEDICATION: D(2020, 1, 1)},
        {SAFEGUARDING: FAR, INFECTION: FAR, FIRE: FAR},
        {SAFEGUARDING: FAR, INFECTION: FAR},
        {SAFEGUARDING: FAR, INFECTION: FAR, MEDICATION: FAR},
        {SAFEGUARDING: FAR, INFECTION: FAR},
        {INFECTION: FAR},
    ]
    for i, held in enumerate(holdings):
        name = STAFF_NAMES[i] if i < len(STAFF_NAMES) else f"Home carer {i}"
        staff = StaffMemberFactory(organisation=heron if i < 4 else kestrel, name=name, job_role=job_role(8))
        for code, expires_on in held.items():
            record_for(staff, code, min(expires_on, D(2019, 1, 1)), expires_on=expires_on)
    willow = OrganisationFactory(name="Willow Care Home", sectors=[sector("residential-care")], area="Southfield")
    for _ in range(8):
        StaffMemberFactory(organisation=willow, job_role=job_role(8))
    return heron


def _table_categories(page, table_id: str, count: int) -> list[str]:
    rows = page.locator(f"#{table_id} tbody tr")
    return [rows.nth(i).locator("th").inner_text() for i in range(count)]


def test_council_officer_finds_the_largest_gaps_in_home_care_and_a_providers_compliance(
    page, council_officer, market, tmp_path
):
    sign_in(page, council_officer)
    page.goto("/records/council/skills-gap/")
    expect(page.locator("h1")).to_have_text("Skills gap")
    assert _table_categories(page, "gap-table", 1) == ["Dementia care"]
    assert_accessible(page, "Skills gap: the whole market")

    page.get_by_label("Sector").select_option(label="Home care")
    submit(page, "Show")
    expect(page.get_by_role("heading", name="Largest gaps in Home care")).to_be_visible()
    assert _table_categories(page, "gap-table", 3) == [
        "Assisting and moving people",
        "Medication management",
        "Fire safety",
    ]
    expect(page.locator("#gap-table")).not_to_contain_text("Dementia care")
    expect(page.get_by_role("img", name="The largest skills gaps")).to_be_visible()
    expect(page.get_by_role("img", name="The skills gap month by month")).to_be_visible()
    months = page.locator("#trend-table tbody tr")
    expect(months).to_have_count(12)
    expect(months.last).to_contain_text("so far")
    assert_accessible(page, "Skills gap: home care")

    page.get_by_role("link", name="Compliance by sector, area and provider").click()
    expect(page.locator("h1")).to_have_text("Training compliance")
    assert_accessible(page, "Compliance by sector")
    page.get_by_label("Provider", exact=True).check()
    submit(page, "Show")
    assert_accessible(page, "Compliance by provider")
    page.get_by_role("link", name="Heron Home Care").click()
    expect(page.locator("h1")).to_have_text("Heron Home Care")
    expect(page.locator("main")).to_contain_text("Heron Office")
    assert_accessible(page, "A provider's compliance")
    for name in STAFF_NAMES:
        assert name not in page.content()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    saved = tmp_path / "heron.csv"
    download.value.save_as(saved)
    content = Path(saved).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0].startswith("Training category,Required of,In date")
    assert "Assisting and moving people,4,0,0,0,4,0" in content
    for name in STAFF_NAMES:
        assert name not in content


def test_skills_gap_error_and_empty_states_are_accessible(page, council_officer, market):
    sign_in(page, council_officer)
    page.goto("/records/council/skills-gap/?sector=nowhere")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Skills gap: a sector not on the list")
    page.get_by_label("Sector").select_option(label="Day services")
    submit(page, "Show")
    expect(page.locator("main")).to_contain_text("No current staff must hold mandatory training here")
    assert_accessible(page, "Skills gap: nothing to show")
    page.goto("/records/council/compliance/?by=everything")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Compliance: an error")
    page.goto("/records/council/compliance/?sector=day-services")
    expect(page.locator("main")).to_contain_text("No current staff match these filters")
    assert_accessible(page, "Compliance: nothing to show")
    page.goto(f"/records/council/compliance/?category={category(FIRE).pk}&by=area")
    expect(page.locator("main table caption")).to_have_text("Fire safety")
    assert_accessible(page, "Compliance of one category by area")


def test_council_pages_fit_320_pixels(mobile_page, council_officer, market):
    sign_in(mobile_page, council_officer)
    for url in ("/records/council/skills-gap/?sector=home-care", "/records/council/compliance/?by=provider"):
        mobile_page.goto(url)
        assert horizontal_overflow(mobile_page) == 0, url
    for n in range(30):  # enough locations for a second page of them
        LocationFactory(organisation=market, name=f"Site {n:02d}")
    mobile_page.goto(f"/records/council/compliance/{market.pk}/")
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "A provider's compliance at 320 pixels")
    mobile_page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    expect(mobile_page.get_by_text("Showing 26 to")).to_be_visible()
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "A provider's second page of locations at 320 pixels")


def test_council_tables_scroll_in_named_regions_at_320_pixels(mobile_page, council_officer, market):
    sign_in(mobile_page, council_officer)
    whole_table = re.compile("Scroll sideways to see the whole table")
    every_category = re.compile(r"Scroll sideways to see all 6 categories")
    for url, heading, hint in (
        # By provider the same wide table shows, under the same wrapper.
        ("/records/council/compliance/", "Share of staff in date, by sector", every_category),
        (
            f"/records/council/compliance/?category={category(FIRE).pk}&by=area",
            "Share of staff in date, by area",
            whole_table,
        ),
        ("/records/council/skills-gap/?sector=home-care", "Largest gaps in Home care", whole_table),
        (f"/records/council/compliance/{market.pk}/", "Mandatory training by category", whole_table),
    ):
        mobile_page.goto(url)
        region = mobile_page.get_by_role("region", name=heading).first
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_accessible_name(hint)
        assert mobile_page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), url
        assert region.evaluate("e => e.scrollWidth > e.clientWidth"), url
        assert_accessible(mobile_page, f"{url} at 320 pixels")


def test_skills_gap_filters_without_javascript(no_js_page, council_officer, market):
    sign_in(no_js_page, council_officer)
    no_js_page.goto("/records/council/skills-gap/")
    no_js_page.get_by_label("Sector").select_option(label="Home care")
    submit(no_js_page, "Show")
    assert _table_categories(no_js_page, "gap-table", 1) == ["Assisting and moving people"]
