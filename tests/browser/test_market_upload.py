"""The capacity returns upload in a browser: a provider admin with several homes downloads the template, uploads a
file with a wrong row (nothing saved, a row report), then a corrected one; each page checked with axe, on a desktop
and at 320 px."""

from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import LocationFactory


def choose_file(page, content: bytes) -> None:
    page.set_input_files("#id_upload", files=[{"name": "returns.csv", "mimeType": "text/csv", "buffer": content}])


def test_provider_admin_uploads_a_file_with_a_wrong_row_then_a_corrected_one(
    page, mobile_page, provider, provider_admin
):
    from carenetwork.market.models import CapacityReturn
    from carenetwork.market.returns import month_before, this_month
    from carenetwork.organisations.models import Location, ServiceType

    Location.objects.filter(organisation=provider).delete()
    kind = ServiceType.objects.get(ascwds_code=2)
    homes = [
        LocationFactory(organisation=provider, name=name, capacity=30, service_type=kind)
        for name in ("Ash House", "Birch House")
    ]
    for home in homes:
        CapacityReturn.objects.create(location=home, month=month_before(this_month()), beds=30, occupied=27)

    sign_in(page, provider_admin)
    page.goto("/market/returns/")
    page.get_by_role("link", name="Upload a spreadsheet of this month's returns").click()
    expect(page.locator("h1")).to_have_text("Upload a spreadsheet of this month's returns")
    assert_accessible(page, "Returns upload: empty")
    submit(page, "Upload and save the returns")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Returns upload: no file chosen")

    header = "location_id,cqc_location_id,location_name,beds,occupied,vacant_accepting,vacant_reserved,nurses_direct,"
    header += "nurses_agency,care_direct,care_agency,other_direct,other_agency,people,hours,taking_new\r\n"
    blank = "," * 12
    wrong = f"{homes[0].pk},,Ash House,30,28{blank}\r\n{homes[1].pk},,Birch House,30,31{blank}\r\n"
    choose_file(page, (header + wrong).encode())
    submit(page, "Upload and save the returns")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file has 1 problem: nothing has been saved")
    expect(page.locator("#problems")).to_contain_text(
        "Beds occupied cannot be more than the maximum bed capacity of 30"
    )
    assert_accessible(page, "Returns upload: a row with a problem")
    assert not CapacityReturn.objects.filter(month=this_month()).exists()

    choose_file(page, (header + wrong.replace(",31,", ",29,")).encode())
    submit(page, "Upload and save the returns")
    expect(success_banner(page)).to_contain_text("2 returns saved for")
    expect(page.locator(".govuk-tag--green")).to_have_count(2)

    sign_in(mobile_page, provider_admin)
    mobile_page.goto("/market/returns/upload/")
    choose_file(mobile_page, (header + f"{homes[0].pk},,Ash House,30,x{blank}\r\n").encode())
    submit(mobile_page, "Upload and save the returns")
    expect(mobile_page.locator("#problems")).to_contain_text("Enter beds occupied as a whole number")
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Returns upload at 320 px: a row with a problem")
