"""Self-assessment in a browser: the council completes tool 4 and, once five providers have scored, sees their scores
beside its own (axe on the empty, populated and 320 px pages); a provider is asked on its home page to score the
council, makes a mistake (a comment with no score), then saves its scores."""

from django.apps import apps

from carenetwork.assessment import services, toolkit
from carenetwork.assessment.models import ProviderScore, Round
from carenetwork.organisations.models import Role
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import OrganisationFactory, person_in


def test_the_council_completes_tool_4_and_sees_providers_scores_beside_its_own(page, mobile_page, council_officer):
    toolkit.seed(apps)
    sign_in(page, council_officer)
    page.goto("/")
    page.get_by_role("link", name="Self-assessment").first.click()
    expect(page.locator("h1")).to_have_text("Self-assessment")
    assert_accessible(page, "Self-assessment: the tools")
    page.get_by_role("link", name="Tool 4: engagement self-assessment").click()
    expect(page.locator("main")).to_contain_text("No rounds yet")
    assert_accessible(page, "Tool 4: no rounds")

    submit(page, "Start a new round")
    expect(page.get_by_role("group", name="Provider forum")).to_be_visible()
    assert_accessible(page, "Tool 4: a new round")
    page.get_by_role("group", name="Provider forum").get_by_label("4", exact=True).check()
    page.get_by_label("What needs to be done to improve the score for Provider forum?").fill(
        "Hold the forum after 6pm so managers can come"
    )
    page.get_by_role("group", name="Market position statement").get_by_label("2", exact=True).check()
    submit(page, "Save your answers")
    expect(success_banner(page)).to_contain_text("Your answers have been saved")
    gap = page.get_by_test_id("gap-1")
    expect(gap).to_contain_text("Not shown until 5 providers have answered (0 so far)")
    assert_accessible(page, "Tool 4: own scores, no providers yet")

    round = Round.objects.get()
    forum, statement = round.question_set.questions.order_by("order")[:2]
    for i, score in enumerate([1, 2, 2, 3, 4]):
        person = person_in(OrganisationFactory(name=f"Scoring Provider {i}"), Role.ADMIN, full_name=f"Scorer {i}")
        services.provider_scores_save(
            actor=person,
            round=round,
            scores={
                forum.pk: {"score": score, "comment": "Evening meetings would help" if i == 0 else ""},
                **({statement.pk: {"score": 3, "comment": ""}} if i < 4 else {}),
            },
        )
    page.reload()
    # 1 + 2 + 2 + 3 + 4 = 12 over 5 providers = 2.4, against the council's own 4.
    expect(gap.get_by_test_id("providers-mean")).to_contain_text("2.4 from 5 providers")
    expect(gap).to_contain_text("Providers score you 1.6 lower than you score yourselves")
    expect(gap).to_contain_text("Evening meetings would help")
    expect(page.get_by_test_id("gap-2")).to_contain_text("Not shown until 5 providers have answered (4 so far)")
    expect(page.locator("main")).not_to_contain_text("Scoring Provider")
    expect(page.locator("main")).not_to_contain_text("Scorer")
    assert_accessible(page, "Tool 4: providers' scores beside the council's")

    # The same session (a second sign-in would reuse the authenticator's code, which allauth refuses).
    mobile_page.context.add_cookies(page.context.cookies())
    mobile_page.goto("/assessment/tool-4/")
    assert horizontal_overflow(mobile_page) == 0, "Tool 4 scrolls sideways at 320 px"
    assert_accessible(mobile_page, "Tool 4 at 320 px")
    mobile_page.goto(f"/assessment/rounds/{round.pk}/")
    assert horizontal_overflow(mobile_page) == 0, "The round's form scrolls sideways at 320 px"
    assert_accessible(mobile_page, "The round's form at 320 px")


def test_a_provider_scores_the_council_from_its_home_page(page, council_officer, provider_admin):
    toolkit.seed(apps)
    from carenetwork.assessment.models import QuestionSet

    services.round_start(actor=council_officer, question_set=QuestionSet.objects.get(tool="tool-4"))
    sign_in(page, provider_admin)
    page.goto("/")
    page.get_by_role("link", name="Score how the council engages with providers").click()
    expect(page.locator("h1")).to_have_text("Score how the council engages with providers")
    assert_accessible(page, "Score the council: empty")
    page.get_by_label("Your comment on Briefing sessions").fill("Too short")
    submit(page, "Save your scores")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Score the council: error")
    page.get_by_role("group", name="Briefing sessions").get_by_label("1", exact=True).check()
    submit(page, "Save your scores")
    expect(success_banner(page)).to_contain_text("Your scores have been saved")
    assert ProviderScore.objects.get().score == 1
    page.goto("/")
    expect(page.get_by_role("link", name="Score how the council engages with providers")).to_have_count(0)


def test_a_council_administrator_changes_a_question_and_sees_version_2(page, mobile_page, council_admin):
    toolkit.seed(apps)
    from carenetwork.assessment.models import QuestionSet

    services.round_start(actor=council_admin, question_set=QuestionSet.objects.get(tool="tool-1"))
    sign_in(page, council_admin)
    page.goto("/assessment/tool-1/")
    expect(page.get_by_test_id("version-1")).to_contain_text("Used by 1 round")
    page.get_by_role("link", name="Change questions").click()
    expect(page.get_by_test_id("version-status")).to_contain_text("Your first change makes version 2")
    assert_accessible(page, "Change questions: version 1 in use")

    page.get_by_role("link", name="Change question 1", exact=True).click()
    page.get_by_label("Question", exact=True).fill("")
    submit(page, "Save")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Change a question: error")
    page.get_by_label("Question", exact=True).fill("Have we agreed with providers how to judge a fair price for care?")
    page.get_by_label("Position").select_option("2")
    submit(page, "Save")
    expect(success_banner(page)).to_contain_text("Saved as version 2")
    expect(page.get_by_test_id("question-2")).to_contain_text("Have we agreed with providers")
    expect(page.get_by_test_id("version-status")).to_contain_text("Version 2 has not been used yet")

    page.get_by_role("link", name="Remove question 3", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Remove question 3?")
    assert_accessible(page, "Remove a question: confirm")
    submit(page, "Remove the question")
    expect(success_banner(page)).to_contain_text("Version 2 has been changed")
    assert_accessible(page, "Change questions: version 2, a draft")

    page.get_by_role("link", name="Done: back to the self-assessment").click()
    expect(page.get_by_test_id("version-2")).to_contain_text("Not used yet. New rounds use this version.")
    expect(page.get_by_test_id("version-1")).to_contain_text("Used by 1 round")
    # The open round keeps version 1's questions; the trend shows the reworded question in its new words.
    expect(page.locator("main")).to_contain_text("It uses version 1 of the questions")
    expect(page.locator("main table")).to_contain_text("Have we agreed with providers how to judge a fair price")
    page.get_by_text("Version 2's 11 questions").click()
    assert_accessible(page, "Tool 1 with two versions")
    assert QuestionSet.objects.filter(tool="tool-1").count() == 2

    mobile_page.context.add_cookies(page.context.cookies())
    for url in ("/assessment/tool-1/questions/", "/assessment/tool-1/questions/1/", "/assessment/tool-1/"):
        mobile_page.goto(url)
        assert horizontal_overflow(mobile_page) == 0, f"{url} scrolls sideways at 320 px"
        assert_accessible(mobile_page, f"{url} at 320 px")


def test_a_provider_completes_its_checklist_on_the_market_position_statement(page, mobile_page, provider_admin):
    toolkit.seed(apps)
    sign_in(page, provider_admin)
    page.goto("/")
    page.get_by_role("link", name="Self-assessment").first.click()
    assert_accessible(page, "Self-assessment for a provider")
    page.get_by_role("link", name="Your checklist on the market position statement").click()
    expect(page.locator("main")).to_contain_text("You have not completed the checklist yet")
    assert_accessible(page, "Checklist: no checks yet")
    page.get_by_role("link", name="Complete the checklist").click()
    assert_accessible(page, "Checklist: the form")
    first = page.get_by_role("group", name="1. Does your local authority have a market position statement")
    first.get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="3. Have you contributed").get_by_label("No", exact=True).check()
    page.get_by_label("Note or evidence for question 3").fill("Ask the provider forum how to take part")
    submit(page, "Save your checklist")
    expect(success_banner(page)).to_contain_text("Your checklist has been saved")
    table = page.locator("main table")
    expect(table).to_contain_text("Does your local authority have a market position statement")
    expect(table).to_contain_text("Yes")
    assert_accessible(page, "Checklist: one check")
    page.locator("main table thead a").first.click()
    expect(page.locator("main")).to_contain_text("Ask the provider forum how to take part")
    assert_accessible(page, "Checklist: one check's answers")

    mobile_page.context.add_cookies(page.context.cookies())
    for url in ("/assessment/checklist/", "/assessment/checklist/new/"):
        mobile_page.goto(url)
        assert horizontal_overflow(mobile_page) == 0, f"{url} scrolls sideways at 320 px"
        assert_accessible(mobile_page, f"{url} at 320 px")
