"""A provider admin keeps the staff register and training records; every page is axe-checked."""

import datetime
import re

from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.records.factories import StaffMemberFactory, job_role, record_for


def _team(provider):
    today = datetime.date.today()
    expired = StaffMemberFactory(organisation=provider, name="Ada Expired")
    record_for(expired, 20, today - datetime.timedelta(days=1200))
    expiring = StaffMemberFactory(organisation=provider, name="Ben Expiring", job_role=job_role(7))
    record_for(expiring, 20, today.replace(year=today.year - 3) + datetime.timedelta(days=20))
    StaffMemberFactory(organisation=provider, name="Cat Missing")


def test_admin_keeps_the_register_and_reads_the_matrix(page, provider, provider_admin):
    sign_in(page, provider_admin)
    page.goto(f"/records/{provider.pk}/")
    assert_accessible(page, "Training overview: empty")
    page.goto(f"/records/{provider.pk}/staff/")
    assert_accessible(page, "Staff register: empty")
    page.get_by_role("link", name="Add a person").click()
    submit(page)
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a person: error")
    page.fill("#id_name", "Lena Marsh")
    page.select_option("#id_job_role", label="Care worker")
    page.fill("#id_start_date_0", "1")
    page.fill("#id_start_date_1", "4")
    page.fill("#id_start_date_2", "2025")
    submit(page)
    assert "Lena Marsh has been saved" in success_banner(page).inner_text()
    assert_accessible(page, "A person: no records")
    page.get_by_role("link", name="Add a training record").click()
    page.select_option("#id_category", label="Safeguarding adults")
    page.fill("#id_completed_on_0", "31")
    page.fill("#id_completed_on_1", "2")
    page.fill("#id_completed_on_2", "2026")
    submit(page)
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a training record: error")
    page.fill("#id_completed_on_0", "28")
    page.set_input_files(
        "#id_certificate", files=[{"name": "cert.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}]
    )
    submit(page)
    assert "The training record has been saved" in success_banner(page).inner_text()
    assert "27 Feb 2029" in main_text(page)  # every three years, less a day
    assert_accessible(page, "A person with a record")
    page.get_by_role("link", name="Change Safeguarding adults 28 Feb 2026").click()
    assert_accessible(page, "Change a training record")
    page.go_back()
    page.get_by_role("link", name="Change details").click()
    assert_accessible(page, "Change a person's details")
    page.go_back()
    page.get_by_role("link", name="Delete Safeguarding adults 28 Feb 2026").click()
    assert_accessible(page, "Delete a record")
    page.go_back()
    page.get_by_role("link", name="Record as a leaver").click()
    assert_accessible(page, "Record as a leaver")

    _team(provider)
    page.goto(f"/records/{provider.pk}/matrix/")
    assert_accessible(page, "Training matrix")
    text = main_text(page)
    for status in ("In date", "Expiring soon", "Expired", "Missing"):
        assert status in text
    page.select_option("#id_status", "expired")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"status=expired"))
    assert "Ada Expired" in main_text(page) and "Cat Missing" not in main_text(page)
    assert_accessible(page, "Training matrix: filtered")
    page.goto(f"/records/{provider.pk}/")
    assert "Expiring in the next 90 days" in main_text(page) and "Ben Expiring" in main_text(page)
    assert_accessible(page, "Training overview")
    page.goto(f"/records/{provider.pk}/requirements/")
    submit(page, "Add the requirement")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Mandatory training: error")
    page.select_option("#id_category", label="Mental health")
    submit(page, "Add the requirement")
    assert "Mental health is now required" in success_banner(page).inner_text()
    assert_accessible(page, "Mandatory training")


def test_a_member_sees_only_their_own_training(page, provider, provider_member):
    person = StaffMemberFactory(organisation=provider, user=provider_member, email=provider_member.email)
    record_for(person, 15, datetime.date.today() - datetime.timedelta(days=30))
    sign_in(page, provider_member)
    page.goto("/records/mine/")
    assert "Assisting and moving people" in main_text(page)
    assert_accessible(page, "My training")
    response = page.goto(f"/records/{provider.pk}/staff/")
    assert response.status == 403
