"""The shared agenda in a real browser: a provider raises an anonymous item, the lead puts it on the agenda,
publishes it, records the outcome and publishes the record; the raiser sees the feedback, other providers see
"A provider", and people outside the forum get 404. Each page visited is checked with axe-core."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from carenetwork.forums import agenda
from carenetwork.forums.models import AgendaItem, ForumMembership, Meeting
from carenetwork.organisations.models import Role
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import OrganisationFactory, person_in, sector

TITLE = "Hospital discharges arrive without medication"
RESPONSE = "The council has agreed weekend pharmacy cover with the hospital trust."
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def oak_member(forum):
    """A person of another member organisation of the forum."""
    organisation = OrganisationFactory(name="Oak Lodge Nursing", sectors=[sector("nursing-care")])
    ForumMembership.objects.create(forum=forum, organisation=organisation, status=ForumMembership.Status.ACTIVE)
    return person_in(organisation, Role.MEMBER, full_name="Ruth Ellis")


def forum_path(forum, rest=""):
    return f"/forums/{forum.slug}/{rest}"


def start_the_meeting(meeting):
    """The meeting is under way: outcomes can be recorded."""
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        booking_deadline=now - timedelta(days=1),
        agenda_deadline=now - timedelta(days=7),
    )


def test_anonymous_item_goes_from_raised_to_fed_back_and_other_providers_see_a_provider(
    page, new_context, forum, meeting, provider_member, council_officer, oak_member
):
    # The provider member: an empty issue log, then the raise form, empty and with errors.
    sign_in(page, provider_member)
    page.goto(forum_path(forum, "issues/"))
    expect(page.locator("main")).to_contain_text("No items have been raised in this forum yet")
    assert_accessible(page, "Issue log: empty")

    page.goto(forum_path(forum, f"meetings/{meeting.pk}/"))
    assert_accessible(page, "Meeting page before any items")
    page.get_by_role("link", name="Raise an item for this meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Raise an item")
    assert_accessible(page, "Raise an item")
    submit(page, "Raise the item")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Raise an item: errors")

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Describe the issue, question or proposal").fill("People come home on Friday nights.")
    page.get_by_label("An issue").check()
    page.get_by_label("Hide which organisation raised it from other providers").check()
    submit(page, "Raise the item")
    expect(success_banner(page)).to_contain_text("Your item has been raised for Winter pressures")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_test_id("raiser")).to_have_text("Daniel Price, Willow Care Home")
    assert_accessible(page, "Item page: raised")
    item_url = page.url
    item = AgendaItem.objects.get()
    assert item.anonymous and item.state == AgendaItem.State.RAISED

    # The lead: the agenda page, the item onto the agenda, a paper, the agenda published.
    lead = new_context().new_page()
    sign_in(lead, council_officer)
    lead.goto(forum_path(forum, f"meetings/{meeting.pk}/agenda/"))
    expect(lead.locator("main")).to_contain_text("Nothing is on the agenda yet")
    assert_accessible(lead, "Agenda page: an item to decide on")
    expect(lead.locator("#main-content")).to_contain_text("Daniel Price, Willow Care Home")
    lead.get_by_role("button", name="Put on the agenda").click()
    lead.wait_for_load_state()
    expect(success_banner(lead)).to_contain_text("is on the agenda")
    assert_accessible(lead, "Agenda page: one item on the agenda")

    lead.get_by_role("link", name="Add a paper").click()
    assert_accessible(lead, "Add a paper")
    lead.get_by_label("Title").fill("Discharge figures")
    lead.get_by_label("File").set_input_files(
        files=[{"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"MZ"}]
    )
    submit(lead, "Upload the paper")
    assert_error_summary_links_to_fields(lead)
    assert_accessible(lead, "Add a paper: wrong type")
    lead.get_by_label("File").set_input_files(
        files=[{"name": "figures.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    submit(lead, "Upload the paper")
    expect(success_banner(lead)).to_contain_text("has been added to the meeting's papers")

    mail.outbox.clear()
    lead.get_by_role("link", name="Publish the agenda").click()
    expect(lead.locator("h1")).to_contain_text("Check the agenda before you publish it")
    assert_accessible(lead, "Check the agenda before publishing")
    assert mail.outbox == []
    submit(lead, "Publish the agenda and send the email")
    expect(success_banner(lead)).to_contain_text("The agenda has been published")
    assert_accessible(lead, "Agenda page: published")
    assert {m.to[0] for m in mail.outbox} >= {provider_member.email, oak_member.email, council_officer.email}

    # At the meeting: the outcome recorded and the record published.
    start_the_meeting(meeting)
    lead.goto(forum_path(forum, f"meetings/{meeting.pk}/record/"))
    assert_accessible(lead, "Record page: nothing recorded")
    lead.get_by_role("link", name="Record notes and response").click()
    assert_accessible(lead, "Record an item's outcome")
    lead.get_by_label("Discussion notes").fill("Three homes described the same problem.")
    lead.get_by_label("The council's response").fill(RESPONSE)
    submit(lead, "Save the outcome")
    expect(success_banner(lead)).to_contain_text("has been recorded")
    assert_accessible(lead, "Record page: outcome recorded")
    lead.get_by_role("link", name="Publish the record").click()
    expect(lead.locator("h1")).to_contain_text("Check the record before you publish it")
    assert_accessible(lead, "Check the record before publishing")
    submit(lead, "Publish the record and send the email")
    expect(success_banner(lead)).to_contain_text("The record has been published")
    assert_accessible(lead, "Record page: published")

    # The raiser sees the feedback.
    page.goto(item_url)
    expect(page.locator("main .govuk-tag").first).to_have_text("Fed back")
    expect(page.get_by_test_id("response")).to_contain_text(RESPONSE)
    assert_accessible(page, "Item page: fed back, as the raiser")
    summary = [m for m in mail.outbox if m.to == [provider_member.email] and "You said, we did" in m.subject]
    assert summary and RESPONSE in summary[-1].body

    # Another member organisation's person sees "A provider", on the item, in the issue log and its filters.
    other = new_context().new_page()
    sign_in(other, oak_member)
    other.goto(item_url)
    expect(other.get_by_test_id("raiser")).to_have_text("A provider")
    assert "Willow Care Home" not in main_text(other) and "Daniel Price" not in main_text(other)
    assert_accessible(other, "Item page: fed back, as another provider")

    other.goto(forum_path(forum, "issues/"))
    other.get_by_label("State").select_option(label="Fed back")
    submit(other, "Search")
    table = other.locator("main table")
    expect(table).to_contain_text(TITLE)
    expect(table).to_contain_text("A provider")
    expect(table).not_to_contain_text("Willow Care Home")
    assert_accessible(other, "Issue log: filtered")
    other.get_by_label("Search").fill("nothing like this at all")
    submit(other, "Search")
    expect(other.locator("main")).to_contain_text("No items match your search")
    assert_accessible(other, "Issue log: no matches")


def test_people_outside_the_forum_get_404_on_its_agenda_pages(page, forum, meeting, provider_member, other_admin):
    item = agenda.item_raise(
        actor=provider_member,
        forum=forum,
        meeting=meeting,
        data={"title": TITLE, "description": "Details", "category": "issue"},
    )
    paper = meeting.papers.create(title="Figures", content_type="application/pdf", size=len(PDF))
    paper.file.save("figures.pdf", ContentFile(PDF))
    sign_in(page, other_admin)
    for path in (
        forum_path(forum),
        forum_path(forum, f"items/{item.pk}/"),
        forum_path(forum, "items/raise/"),
        forum_path(forum, "issues/"),
        forum_path(forum, "issues.csv"),
        forum_path(forum, f"meetings/{meeting.pk}/papers/{paper.pk}/"),
    ):
        response = page.goto(path)
        assert response.status == 404, path
        assert TITLE not in page.content() and forum.name not in page.content()
    assert_accessible(page, "Page not found")


def test_lead_declines_with_a_reason_and_merges_an_item(
    page, new_context, forum, meeting, provider_member, council_officer
):
    first, second, third = (
        agenda.item_raise(
            actor=provider_member,
            forum=forum,
            meeting=meeting,
            data={"title": title, "description": "Details", "category": "question"},
        )
        for title in ("Night rates", "Night-time pay rates", "Parking at the town hall")
    )
    sign_in(page, council_officer)
    page.goto(forum_path(forum, f"items/{third.pk}/"))
    assert_accessible(page, "Item page, as the lead")
    page.get_by_role("link", name="Decline the item").click()
    assert_accessible(page, "Decline an item")
    submit(page, "Decline the item")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Decline an item: no reason")
    page.get_by_label("Why is the item declined?").fill("Parking is for the facilities team.")
    submit(page, "Decline the item")
    expect(success_banner(page)).to_contain_text("has been declined")
    expect(page.locator("main")).to_contain_text("Parking is for the facilities team.")

    page.goto(forum_path(forum, f"items/{second.pk}/merge/"))
    assert_accessible(page, "Merge an item")
    page.get_by_label("Merge it into").select_option(label="Night rates (Raised)")
    submit(page, "Merge the item")
    expect(page.get_by_role("heading", level=1)).to_have_text("Night rates")
    assert_accessible(page, "The item merged into")
    assert AgendaItem.objects.get(pk=second.pk).merged_into_id == first.pk

    raiser = new_context().new_page()
    sign_in(raiser, provider_member)
    raiser.goto(forum_path(forum, f"items/{third.pk}/"))
    expect(raiser.locator("main")).to_contain_text("Parking is for the facilities team.")
    declined = [m for m in mail.outbox if m.to == [provider_member.email] and "Parking at the town hall" in m.subject]
    assert declined and "Parking is for the facilities team." in declined[-1].body


def test_raising_an_item_works_with_javascript_off(no_js_page, forum, meeting, provider_member):
    sign_in(no_js_page, provider_member)
    no_js_page.goto(forum_path(forum, f"items/raise/?meeting={meeting.pk}"))
    no_js_page.get_by_label("Title").fill(TITLE)
    no_js_page.get_by_label("Describe the issue, question or proposal").fill("Details")
    no_js_page.get_by_label("A question").check()
    submit(no_js_page, "Raise the item")
    expect(success_banner(no_js_page)).to_contain_text("Your item has been raised")
    assert AgendaItem.objects.get().meeting_id == meeting.pk
