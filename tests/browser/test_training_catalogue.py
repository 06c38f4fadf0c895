"""A training provider proposes a course, a council officer returns it and then approves it, and a provider admin
finds it in the course list and, once it has a run, in the catalogue. Each page is checked with axe in its empty,
error and populated states."""

from carenetwork.training.models import Course, CourseRun
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.records.factories import category
from tests.training.factories import run_for

TITLE = "Positive behaviour support"


def _propose(page, training_org):
    page.goto("/training/")
    expect(page.locator("h1")).to_have_text("Upcoming training courses")
    assert "No courses are coming up at the moment." in main_text(page)
    assert_accessible(page, "Catalogue: empty")
    page.get_by_role("link", name="Your courses").click()
    expect(page.locator("main")).to_contain_text("You have not proposed any courses yet.")
    assert_accessible(page, "Your courses: empty")
    page.get_by_role("link", name="Propose a course").click()
    assert_accessible(page, "Propose a course")
    submit(page, "Send for review")
    assert_error_summary_links_to_fields(page)
    assert "Choose at least one training category the course covers" in main_text(page)
    assert_accessible(page, "Propose a course: error")
    page.get_by_label("Course title").fill(TITLE)
    page.get_by_label("Outline").fill("Understanding behaviour that challenges, and responding with care.")
    page.get_by_label("Safeguarding adults", exact=True).check()
    page.get_by_label("Duration in hours").fill("6.5")
    page.get_by_label("Face to face", exact=True).check()
    page.get_by_label("Maximum group size").fill("14")
    submit(page, "Send for review")
    expect(success_banner(page)).to_contain_text(f"{TITLE} has been sent to the council for review")
    expect(page.locator("main")).to_contain_text("Waiting for review")
    assert_accessible(page, "Your courses: populated")


def test_a_course_is_proposed_reviewed_and_found(new_context, training_org, training_admin, council_officer):
    trainer = new_context().new_page()
    sign_in(trainer, training_admin)
    _propose(trainer, training_org)
    course = Course.objects.get(title=TITLE)

    officer = new_context().new_page()
    sign_in(officer, council_officer)
    officer.goto("/training/")
    officer.get_by_role("link", name="1 course to review").click()
    assert_accessible(officer, "Courses to review: populated")
    officer.get_by_role("link", name=f"Review {TITLE}").click()
    assert_accessible(officer, "Review a course")
    officer.get_by_label("Return it to the training provider with comments").check()
    submit(officer, "Save the decision")
    assert_error_summary_links_to_fields(officer)
    assert "Say what the training provider needs to change" in main_text(officer)
    assert_accessible(officer, "Review a course: error")
    officer.get_by_label("Return it to the training provider with comments").check()
    officer.get_by_label("Comments for the training provider").fill("Say which level of the framework it meets.")
    submit(officer, "Save the decision")
    expect(success_banner(officer)).to_contain_text(f"{TITLE} has been returned to SafeHands Training")
    assert "No courses are waiting for review." in main_text(officer)
    assert_accessible(officer, "Courses to review: empty")

    trainer.reload()
    expect(trainer.locator("main")).to_contain_text("Returned with comments")
    expect(trainer.locator("main")).to_contain_text("Say which level of the framework it meets.")
    trainer.get_by_role("link", name=f"Change {TITLE}").click()
    assert_accessible(trainer, "Change a returned course")
    trainer.get_by_label("Accreditation").fill("Restraint Reduction Network certified")
    submit(trainer, "Save the changes")
    expect(success_banner(trainer)).to_contain_text("sent to the council for review")
    assert_accessible(trainer, "Course page: waiting for review")

    officer.goto("/training/courses/review/")
    officer.get_by_role("link", name=f"Review {TITLE}").click()
    officer.get_by_label("Approve it: members can see it and officers can add runs").check()
    submit(officer, "Save the decision")
    expect(success_banner(officer)).to_contain_text(f"{TITLE} has been approved and is in the catalogue")
    course.refresh_from_db()
    assert course.status == Course.Status.APPROVED
    officer.goto(f"/training/courses/{course.pk}/")
    expect(officer.get_by_role("link", name="Add a run")).to_be_visible()
    assert "No dates are planned for this course at the moment." in main_text(officer)
    assert_accessible(officer, "Course page: approved, no runs")


def test_a_provider_admin_finds_a_course_and_its_run(page, no_js_page, training_org, provider_admin, council_officer):
    course = Course.objects.create(
        provider=training_org,
        title=TITLE,
        outline="Understanding behaviour that challenges.",
        duration_hours=6,
        delivery_mode="face_to_face",
        max_group_size=14,
        status=Course.Status.APPROVED,
    )

    course.categories.set([category(20)])
    run_for(course, area="Northbrook", tiers=[(1, "95"), (6, "75")], minimum=6, days=21)
    run_for(course, area="Eastmarsh Central", days=35, status=CourseRun.Status.CONFIRMED)

    sign_in(page, provider_admin)
    page.goto("/training/courses/")
    assert_accessible(page, "All courses: populated")
    page.get_by_label("Course title").fill("nothing like it")
    submit(page, "Search")
    assert "No courses match your search." in main_text(page)
    assert_accessible(page, "All courses: no match")
    page.get_by_label("Course title").fill("behaviour")
    submit(page, "Search")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    assert "£75.00 a place at most" in main_text(page)
    assert_accessible(page, "Course page: with runs")

    page.goto("/training/")
    assert "2 upcoming course dates" in main_text(page)
    assert_accessible(page, "Catalogue: populated")
    page.get_by_label("Most you will pay per place (£)").fill("cheap")
    submit(page, "Show courses")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Catalogue: error")
    page.get_by_label("Most you will pay per place (£)").fill("")
    page.get_by_label("Area", exact=True).select_option("Northbrook")
    submit(page, "Show courses")
    assert "1 upcoming course date" in main_text(page)
    assert "Northbrook" in page.locator("table").inner_text()
    page.get_by_label("Most you will pay per place (£)").fill("10")
    submit(page, "Show courses")
    assert "No upcoming courses match your filters." in main_text(page)
    assert_accessible(page, "Catalogue: no match")

    # The filters are a plain GET form: they work with JavaScript off.
    sign_in(no_js_page, provider_admin)
    no_js_page.goto("/training/")
    no_js_page.get_by_label("Area", exact=True).select_option("Eastmarsh Central")
    submit(no_js_page, "Show courses")
    assert "1 upcoming course date" in main_text(no_js_page)
    assert "Confirmed" in no_js_page.locator("table").inner_text()


CLIPPED = """(selector) => {
    const region = document.querySelector(selector);
    const box = region.getBoundingClientRect();
    const cut = [...region.querySelectorAll("td .govuk-tag")].filter((tag) => {
        const r = tag.getBoundingClientRect();
        return r.right > box.right + 0.5 || r.left < box.left - 0.5;
    });
    return {cut: cut.length, scrolls: region.scrollWidth > region.clientWidth, focusable: region.tabIndex === 0};
}"""


def _wide_catalogue(training_org):
    from tests.factories import sector

    course = Course.objects.create(
        provider=training_org,
        title="Moving and handling people, including hoists and slings (practical)",
        outline="Safe moving and handling.",
        duration_hours=6,
        delivery_mode="face_to_face",
        max_group_size=20,
        status=Course.Status.APPROVED,
    )
    course.categories.set([category(20)])
    sectors = [sector(slug) for slug in ("residential-care", "nursing-care", "home-care", "supported-living")]
    for days, status in (
        (21, CourseRun.Status.OPEN),
        (28, CourseRun.Status.PARTNERS),
        (35, CourseRun.Status.CONFIRMED),
    ):
        run_for(course, area="Eastmarsh Central and Northbrook", days=days, status=status, sectors=sectors)


def test_the_catalogue_shows_every_status_whole_at_desktop_width_and_scrolls_visibly_on_a_phone(
    page, new_context, training_org, provider_admin
):
    _wide_catalogue(training_org)
    sign_in(page, provider_admin)
    page.goto("/training/")
    wide = page.evaluate(CLIPPED, "#runs-region")
    assert wide["cut"] == 0 and not wide["scrolls"], wide  # 1280 px: nothing cut, nothing hidden to the side
    phone = new_context(viewport={"width": 375, "height": 700}).new_page()
    sign_in(phone, provider_admin)
    phone.goto("/training/")
    narrow = phone.evaluate(CLIPPED, "#runs-region")
    if narrow["scrolls"]:  # it may scroll on a phone, but says so and can be scrolled with the keyboard
        assert narrow["focusable"]
        expect(phone.locator("#runs-scroll-hint")).to_be_visible()
        assert phone.locator("#runs-region").get_attribute("aria-describedby") == "runs-scroll-hint"
    assert_accessible(phone, "Catalogue: on a phone")
