"""After a course: the training provider records attendance and marks invoices, the provider admin sees the
brokered record in the training matrix and rates the course, and the scores roll up. Every page is axe-checked
in its empty, error and populated states."""

from django.urls import reverse

from carenetwork.records.models import TrainingRecord
from carenetwork.training.models import Delegate, Evaluation, Interest
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.records.factories import StaffMemberFactory
from tests.training.delivery_factories import delivered_run
from tests.training.factories import course_for, run_for


def test_attendance_writes_records_the_admin_rates_the_course_and_invoices_are_paid(
    page, new_context, provider, provider_admin, training_org, training_admin, council_officer
):
    course = course_for(training_org)
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovell")
    ben = StaffMemberFactory(organisation=provider, name="Ben Carter")
    run, bookings = delivered_run(course, {provider: [ada, ben]}, officer=council_officer)
    upcoming, _ = delivered_run(
        course, {provider: [StaffMemberFactory(organisation=provider)]}, officer=council_officer, started=False
    )
    nobody = run_for(course)

    # The training provider: empty states first.
    sign_in(page, training_admin)
    page.goto(reverse("training:run-bookings", args=[nobody.pk]))
    assert "No organisation has booked this run yet." in main_text(page)
    assert_accessible(page, "Run bookings: empty")
    page.goto(reverse("training:run-attendance", args=[upcoming.pk]))
    assert "once the run has started" in main_text(page)
    assert_accessible(page, "Attendance: not started yet")
    page.goto(reverse("training:course-evaluations", args=[course.pk]))
    assert "No one has rated this course yet." in main_text(page)
    assert_accessible(page, "Course evaluations: empty")

    # Attendance for the run that has taken place.
    page.goto(reverse("training:run-bookings", args=[run.pk]))
    assert_accessible(page, "Run bookings: populated")
    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page, "Attendance: form")
    page.get_by_label("Ada Lovell (Willow Care Home)").check()
    submit(page, "Save attendance")
    expect(success_banner(page)).to_contain_text("Attendance has been recorded. 1 training record added.")
    assert_accessible(page, "Attendance: recorded")
    assert TrainingRecord.objects.filter(staff=ada, source=TrainingRecord.Source.BROKERED).count() == 1
    assert not TrainingRecord.objects.filter(staff=ben).exists()

    # Invoices: issued, then paid.
    page.goto(reverse("training:run-bookings", args=[run.pk]))
    submit(page, "Mark invoice issued to Willow Care Home")
    expect(success_banner(page)).to_contain_text("marked issued")
    assert_accessible(page, "Run bookings: invoice issued")
    submit(page, "Mark paid by Willow Care Home")
    expect(page.locator("h1")).to_have_text("Are you sure Willow Care Home has paid?")
    assert "This cannot be undone" in main_text(page)
    assert_accessible(page, "Run bookings: confirm the invoice is paid")
    submit(page, "Yes, mark it paid")
    expect(success_banner(page)).to_contain_text("marked paid")
    assert_accessible(page, "Run bookings: invoice paid")
    assert Interest.objects.get(pk=bookings[provider].pk).invoice == Interest.Invoice.PAID

    # The provider admin sees the brokered record in the training matrix and rates the course.
    admin_page = new_context().new_page()
    sign_in(admin_page, provider_admin)
    admin_page.goto(reverse("records:matrix", args=[provider.pk]))
    ada_row = admin_page.locator("tr", has_text="Ada Lovell")
    expect(ada_row).to_contain_text("In date")
    assert_accessible(admin_page, "Training matrix after attendance")

    delegate = Delegate.objects.get(interest__run=run, staff=ada)
    admin_page.goto(reverse("training:evaluate", args=[delegate.pk]))
    assert_accessible(admin_page, "Rate the course: empty")
    submit(admin_page, "Send the rating")
    assert_error_summary_links_to_fields(admin_page)
    assert_accessible(admin_page, "Rate the course: errors")
    for question, score in (("met_aims", 5), ("trainer", 4), ("useful", 4), ("overall", 5)):
        admin_page.check(f"input[name={question}][value='{score}']")
    admin_page.fill("textarea[name=comments]", "Clear and practical.")
    submit(admin_page, "Send the rating")
    expect(success_banner(admin_page)).to_contain_text("the rating has been saved")
    assert_accessible(admin_page, "Rate the course: saved")
    assert Evaluation.objects.get(delegate=delegate).overall == 5

    # The scores roll up for the training provider.
    page.goto(reverse("training:course-evaluations", args=[course.pk]))
    assert "1 response" in main_text(page) and "Clear and practical." in main_text(page)
    assert "Ada Lovell" not in main_text(page)
    assert_accessible(page, "Course evaluations: populated")
    page.goto(reverse("training:provider-evaluations", args=[training_org.pk]))
    assert course.title in main_text(page)
    assert_accessible(page, "Provider evaluations: populated")


def test_attendance_can_be_recorded_with_javascript_off(
    no_js_page, provider, training_org, training_admin, council_officer
):
    course = course_for(training_org)
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovell")
    run, _ = delivered_run(course, {provider: [ada]}, officer=council_officer)
    sign_in(no_js_page, training_admin)
    no_js_page.goto(reverse("training:run-attendance", args=[run.pk]))
    no_js_page.get_by_label("Ada Lovell (Willow Care Home)").check()
    submit(no_js_page, "Save attendance")
    assert "Attendance has been recorded" in main_text(no_js_page)
    assert TrainingRecord.objects.filter(staff=ada).exists()
