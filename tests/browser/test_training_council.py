"""A provider's admin answers the training demand survey; a council officer reads the commissioning priorities and
the programme report and downloads their CSV files; a council administrator changes the brokerage settings. Each
page is checked with axe in its empty, error and populated states."""

from decimal import Decimal
from pathlib import Path

from carenetwork.records.models import MandatoryTraining
from carenetwork.training.models import BrokerageSettings, DemandEstimate
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import sector
from tests.records.factories import StaffMemberFactory, category, job_role
from tests.training.factories import course_for
from tests.training.test_report import at, evaluate, past_run

FIRE, MOVING, INFECTION = 6, 15, 10


def test_provider_admin_answers_the_demand_survey(page, provider, provider_admin):
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    MandatoryTraining.objects.create(sector=sector("residential-care"), category=category(MOVING))
    sign_in(page, provider_admin)
    page.goto(f"/training/council/demand/{provider.pk}/")
    expect(page.locator("h1")).to_have_text("Training needs survey")
    expect(page.get_by_role("group", name="Training that is mandatory for your staff")).to_contain_text(
        category(MOVING).name
    )
    assert_accessible(page, "Demand survey: not answered yet")

    page.get_by_label(category(FIRE).name, exact=True).fill("-2")
    page.get_by_label(category(MOVING).name, exact=True).fill("4")
    submit(page, "Save answers")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The number of staff who need Fire safety")
    assert_accessible(page, "Demand survey: a negative number")
    assert not DemandEstimate.objects.exists()

    page.get_by_label(category(FIRE).name, exact=True).fill("3")
    submit(page, "Save answers")
    expect(success_banner(page)).to_contain_text("Your answers have been saved")
    expect(page.get_by_label(category(MOVING).name, exact=True)).to_have_value("4")
    expect(page.locator("#last-answered")).to_be_visible()
    assert_accessible(page, "Demand survey: answered")
    assert {e.category.code: e.staff_needing for e in DemandEstimate.objects.all()} == {FIRE: 3, MOVING: 4}


def test_council_officer_reads_the_priorities_and_the_programme_report(
    page,
    tmp_path,
    council_officer,
    provider,
    provider_admin,
    other_provider,
    other_admin,
    training_org,
    partner_org,
    partner_member,
):
    MandatoryTraining.objects.all().delete()
    sign_in(page, council_officer)

    # Empty: no survey answers and nothing mandatory; no runs this year.
    page.goto("/training/council/priorities/")
    expect(page.locator("h1")).to_have_text("Commissioning priorities")
    expect(page.locator("#no-priorities")).to_be_visible()
    assert_accessible(page, "Commissioning priorities: empty")
    page.goto("/training/council/programme/")
    expect(page.locator("#no-runs")).to_be_visible()
    assert_accessible(page, "Programme report: empty")
    page.goto("/training/council/programme/?year=1990")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a financial year from the list")
    assert_accessible(page, "Programme report: error")
    page.goto("/training/council/priorities/?sector=nowhere")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a sector from the list")
    assert_accessible(page, "Commissioning priorities: error")

    # Populated: home care says it needs fire safety; residential care's staff lack moving and assisting.
    MandatoryTraining.objects.create(sector=sector("residential-care"), category=category(MOVING))
    for _ in range(3):
        StaffMemberFactory(organisation=provider, job_role=job_role(8))
    DemandEstimate.objects.create(organisation=other_provider, category=category(FIRE), staff_needing=5)
    DemandEstimate.objects.create(organisation=provider, category=category(INFECTION), staff_needing=1)
    course = course_for(training_org, codes=(FIRE,))
    a = past_run(
        course,
        at(2025, 6, 10),
        fee=Decimal("800"),
        sectors=[sector("residential-care")],
        takers=[(provider_admin, provider, 4), (other_admin, other_provider, 3)],
    )
    past_run(
        course,
        at(2025, 11, 12),
        fee=Decimal("600"),
        minimum=6,
        partner_margin=3,
        sectors=[sector("home-care")],
        takers=[(other_admin, other_provider, 4)],
        partners=[(partner_member, partner_org, 2)],
    )
    past_run(course, at(2025, 8, 1), minimum=6, partner_margin=1, takers=[(provider_admin, provider, 2)])
    evaluate(a, provider_admin, provider, 5, 4, 5, 4)

    page.goto("/training/council/priorities/")
    rows = page.locator("#priorities-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("th")).to_have_text(category(FIRE).name)
    expect(page.get_by_role("img", name="The training most needed")).to_be_visible()
    page.get_by_text("How the need is worked out").click()
    expect(page.get_by_text("Combined need = staff needing the training")).to_be_visible()
    assert_accessible(page, "Commissioning priorities: the whole market")
    page.get_by_label("Sector").select_option(label="Home care")
    submit(page, "Show")
    expect(page.get_by_role("heading", name="Most needed in Home care")).to_be_visible()
    expect(rows).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    saved = tmp_path / "priorities.csv"
    download.value.save_as(saved)
    assert Path(saved).read_text(encoding="utf-8").splitlines()[1] == f"1,{category(FIRE).name},5,5,0,0,0"

    page.get_by_role("link", name="Programme report").click()
    expect(page.locator("h1")).to_have_text("Programme report")
    page.get_by_label("Financial year").select_option(label="April 2025 to March 2026")
    submit(page, "Show")
    expect(page.locator("#year-heading")).to_have_text("April 2025 to March 2026")
    for chart in (
        "Places taken or with interest, by quarter",
        "Runs confirmed, by quarter",
        "Places filled and providers purchasing, by quarter",
        "Spend brokered, by quarter",
        "Average saving per place against the usual price, by quarter",
        "Mean evaluation score, by quarter",
    ):
        expect(page.get_by_role("img", name=chart)).to_be_visible()
    # The saving says what it is measured against and how many places it covers (here none have a usual price).
    expect(page.locator("#saving-basis")).to_contain_text("usual price per delegate")
    expect(page.locator("#saving-chart-heading")).to_be_visible()
    expect(page.locator("#runs-table")).to_contain_text("Of which rescued by partners")
    assert "£1,400.03" in main_text(page)  # 7 places at £114.29 and 6 at £100
    assert_accessible(page, "Programme report: populated")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    saved = tmp_path / "programme.csv"
    download.value.save_as(saved)
    lines = Path(saved).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    assert lines[1].startswith("April 2025 to March 2026,Q1,2025-04-01,2025-06-30,12,7,58,1,1,0,0,0")

    # 320 CSS pixels wide: the wide tables scroll inside their own region, not the page.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/training/council/programme/?year=2025")
    assert horizontal_overflow(page) == 0
    page.goto("/training/council/priorities/")
    assert horizontal_overflow(page) == 0


def test_council_admin_changes_the_brokerage_settings(page, council_admin):
    sign_in(page, council_admin)
    page.goto("/training/council/settings/")
    expect(page.locator("h1")).to_have_text("Brokerage settings")
    assert_accessible(page, "Brokerage settings")
    page.get_by_label("Days partners have to take places").fill("0")
    submit(page, "Save the settings")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Brokerage settings: error")
    page.get_by_label("Days partners have to take places").fill("10")
    submit(page, "Save the settings")
    expect(success_banner(page)).to_contain_text("The brokerage settings have been saved")
    assert BrokerageSettings.current().partner_days == 10
