"""A council administrator keeps the training settings: each page checked with axe in its empty, error and
populated states."""

from carenetwork.organisations.models import Sector
from carenetwork.records.models import MandatoryTraining, RecordsSettings, TrainingCategory
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    sign_in,
    submit,
    success_banner,
)


def test_council_admin_keeps_categories_roles_and_settings(page, council_admin):
    sign_in(page, council_admin)
    page.goto("/organisations/council/")
    page.get_by_role("link", name="Training settings").click()
    expect(page.locator("h1")).to_have_text("Training settings")
    assert_accessible(page, "Training settings")

    page.get_by_role("link", name="Training categories").click()
    expect(page.locator("main")).to_contain_text("Care skills and knowledge")
    assert_accessible(page, "Training categories")
    page.get_by_role("link", name="Add a training category").click()
    assert_accessible(page, "Add a training category")
    submit(page, "Save the category")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a training category: error")
    page.get_by_label("Name").fill("Hospital discharge awareness")
    page.get_by_label("Specific conditions and disabilities").check()
    page.get_by_label("Every two years").check()
    submit(page, "Save the category")
    expect(success_banner(page)).to_contain_text("Hospital discharge awareness has been saved")
    assert TrainingCategory.objects.get(name="Hospital discharge awareness").refresh_months == 24
    page.get_by_role("link", name="Change Hospital discharge awareness").click()
    assert_accessible(page, "Change a training category")

    page.goto("/records/council/settings/job-roles/")
    assert_accessible(page, "Job roles")
    page.get_by_role("link", name="Add a job role").click()
    submit(page, "Save the job role")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a job role: error")
    page.get_by_label("Name").fill("Wellbeing coordinator")
    submit(page, "Save the job role")
    expect(success_banner(page)).to_contain_text("Wellbeing coordinator has been saved")
    page.get_by_role("link", name="Change Care worker").click()
    assert_accessible(page, "Change a job role")

    page.goto("/records/council/settings/retention/")
    assert_accessible(page, "Leavers and reminders")
    page.get_by_label("Keep leavers' personal data for this many months").fill("0")
    submit(page, "Save the settings")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Leavers and reminders: error")
    page.get_by_label("Keep leavers' personal data for this many months").fill("48")
    submit(page, "Save the settings")
    expect(success_banner(page)).to_contain_text("The records settings have been saved")
    assert RecordsSettings.current().retention_months == 48


def test_council_admin_changes_the_mandatory_training_of_a_sector(page, council_admin):
    residential = Sector.objects.get(slug="residential-care")
    empty = Sector.objects.create(name="Shared lives", slug="shared-lives", position=90)
    sign_in(page, council_admin)
    page.goto(f"/records/council/settings/mandatory/{empty.pk}/")
    expect(page.locator("main")).to_contain_text("Nothing is required of every role in this sector.")
    assert_accessible(page, "Mandatory training: empty")

    page.goto("/records/council/settings/")
    page.get_by_role("link", name="View and change mandatory training in Residential care").click()
    expect(page.locator("main")).to_contain_text("Required of particular job roles")
    assert_accessible(page, "Mandatory training: populated")

    page.get_by_role("link", name="Add mandatory training").click()
    assert_accessible(page, "Add mandatory training")
    submit(page, "Add the requirement")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add mandatory training: error")
    page.get_by_label("Training category").select_option(label="COSHH")
    page.get_by_label("Only people in the job roles ticked below").check()
    page.get_by_label("Registered manager").check()
    submit(page, "Add the requirement")
    expect(success_banner(page)).to_contain_text("COSHH is now mandatory in Residential care")

    page.get_by_role("link", name="Remove Safeguarding adults").click()
    assert_accessible(page, "Stop requiring a category")
    submit(page, "Stop requiring it")
    expect(success_banner(page)).to_contain_text("Safeguarding adults is no longer mandatory for every role")
    assert not MandatoryTraining.objects.filter(
        sector=residential, category__name="Safeguarding adults", job_role__isnull=True
    ).exists()
    assert MandatoryTraining.objects.filter(sector=residential, category__name="COSHH").count() == 1


def test_settings_are_refused_to_a_council_officer(page, council_officer):
    sign_in(page, council_officer)
    response = page.goto("/records/council/settings/")
    assert response.status == 403
