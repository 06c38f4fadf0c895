"""The market position statement: safe text, live blocks, immutable versions, comparing them, comments and
responses, who sees what, the emails and the query counts."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied as AccessDenied
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.market import statement
from carenetwork.market.figures import market_figures_recount
from carenetwork.market.models import (
    MarketSettings,
    NeededService,
    SectionComment,
    StatementEmail,
    StatementSection,
    StatementVersion,
)
from carenetwork.market.statement_mail import statement_published_send
from carenetwork.market.statement_services import (
    comment_add,
    comment_respond,
    draft_sections,
    section_save,
    statement_publish,
)
from carenetwork.organisations.models import Location, ServiceType
from tests.factories import LocationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
RESIDENTIAL, NURSING = 2, 1


@pytest.fixture
def as_role(request, client_for):
    return lambda role: client_for(request.getfixturevalue(role))


def home(org, beds, area="Kingsmere", code=RESIDENTIAL):
    return LocationFactory(
        organisation=org, capacity=beds, area=area, service_type=ServiceType.objects.get(ascwds_code=code)
    )


@pytest.fixture
def published(council_officer):
    """Version 1 of the toolkit's five sections, published by the officer."""
    draft_sections()
    return statement_publish(actor=council_officer, summary="First version")


# Text and blocks ------------------------------------------------------------------------------------------------


def test_markdown_keeps_headings_lists_and_links_and_drops_anything_unsafe():
    html = statement.render_text(
        "## Our plans\n\nWe **will** buy more.\n\n- one\n- two\n\n[Read](https://example.org)\n\n"
        "<script>alert(1)</script><img src=x onerror=alert(1)>[bad](javascript:alert(1))"
    )
    assert '<h3 class="govuk-heading-m">Our plans</h3>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html and "<strong>will</strong>" in html
    assert 'href="https://example.org"' in html and 'class="govuk-link"' in html
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert "javascript:" not in html


def test_a_block_line_splits_the_text_and_only_a_line_of_its_own_counts():
    body = "Intro\n\n[[supply]]\n\nIn a sentence [[demand]] is text.\n  [[ Needed-Services ]]  \n"
    assert statement.split(body) == [
        ("text", "Intro\n\n"),
        ("block", "supply"),
        ("text", "\n\nIn a sentence [[demand]] is text.\n"),
        ("block", "needed-services"),
    ]
    assert statement.unknown_blocks("[[supply]]\n[[nonsense]]") == ["nonsense"]


def test_every_capability_offers_its_block():
    keys = set(statement.statement_blocks())
    assert {"demand", "supply", "sustainability", "needed-services", "training-offer", "skills-gap"} <= keys


def test_an_unknown_block_is_refused_with_the_known_ones_named(council_officer):
    with pytest.raises(ValidationError) as error:
        section_save(actor=council_officer, section=None, data={"heading": "Plans", "body": "[[suply]]"})
    assert "[[suply]] is not a live block" in error.value.message_dict["body"][0]
    assert "[[supply]]" in error.value.message_dict["body"][0]


def test_the_public_supply_and_sustainability_blocks_hide_small_sub_markets_and_name_nobody(provider, other_provider):
    Location.objects.update(is_active=False)
    market_figures_recount(repair=True)
    third = OrganisationFactory(name="Third Care")
    home(provider, 40)
    home(other_provider, 30)
    home(third, 20)
    home(provider, 10, area="Saltcote", code=NURSING)  # one provider alone: hidden
    cache = statement.BlockCache()
    supply, sustainability = cache.get("supply"), cache.get("sustainability")
    rows = {row[1]: (row, hidden) for row, hidden in zip(supply["rows"], supply["hidden"], strict=True)}
    assert rows["Kingsmere"][0][3] == 3 and not any(rows["Kingsmere"][1])
    assert all(rows["Saltcote"][1][2:])
    flat = str(supply) + str(sustainability)
    assert provider.name not in flat and other_provider.name not in flat
    pairs = list(zip(sustainability["rows"], sustainability["hidden"], strict=True))
    saltcote = next((row, hidden) for row, hidden in pairs if row[1] == "Saltcote")
    assert saltcote == (["Care home services with nursing", "Saltcote", 1, None, None], [False] * 3 + [True] * 2)
    # Three providers: the verdict, but not the HHI (with its own share, a provider could solve for the others').
    kingsmere = next((row, hidden) for row, hidden in pairs if row[1] == "Kingsmere")
    assert kingsmere[0][3] is None and kingsmere[0][4] in ("red", "amber", "green") and kingsmere[1][3]
    assert "Why" not in sustainability["header"] and "%" not in str(sustainability["rows"])
    # A hidden cell keeps no value in what a version stores.
    assert all(
        value is None
        for row, hidden in zip(supply["rows"], supply["hidden"], strict=True)
        for value, hide in zip(row, hidden, strict=True)
        if hide
    )


def test_the_sustainability_block_shows_concentration_from_four_providers(provider, other_provider):
    Location.objects.update(is_active=False)
    market_figures_recount(repair=True)
    for org, beds in ((provider, 40), (other_provider, 30), (OrganisationFactory(), 20), (OrganisationFactory(), 10)):
        home(org, beds)
    (row,) = statement.BlockCache().get("sustainability")["rows"]
    assert row[2:4] == [4, 3000]  # 40² + 30² + 20² + 10², a whole number kept as one


# Publishing ------------------------------------------------------------------------------------------------------


def test_publishing_freezes_text_and_figures_and_numbers_versions(
    council_officer, provider, django_capture_on_commit_callbacks
):
    draft_sections()
    heading = "What the council is doing and intends to commission"
    section = StatementSection.objects.get(heading=heading)
    NeededService.objects.create(
        service="Dementia nursing beds", client_group="dementia", locality="North", evidence="Waiting lists"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = statement_publish(actor=council_officer, summary="First")
    assert first.number == 1
    frozen = first.sections.get(heading=heading).parts
    block = next(p for p in frozen if p.get("block") == "needed-services")
    assert block["figures"]["rows"][0][0] == "Dementia nursing beds"

    # Later changes to the draft and to the figures leave version 1 as it was.
    NeededService.objects.update(service="Extra care housing")
    section_save(
        actor=council_officer, section=section, data={"heading": "Our plans", "body": "New text\n\n[[needed-services]]"}
    )
    second = statement_publish(actor=council_officer, summary="Second")
    assert second.number == 2
    first.refresh_from_db()
    again = first.sections.get(order=3)
    assert again.heading == heading and again.parts == frozen
    assert AuditEvent.objects.filter(action="statement.published").count() == 2


def test_publishing_needs_a_summary_and_council_staff(council_officer, provider_admin):
    with pytest.raises(ValidationError):
        statement_publish(actor=council_officer, summary="  ")
    with pytest.raises(AccessDenied):
        statement_publish(actor=provider_admin, summary="Mine")
    assert not StatementVersion.objects.exists()


def test_members_are_emailed_once_each_when_a_version_is_published(
    published, council_officer, provider_admin, provider_member, other_admin
):
    sent = statement_published_send(published.pk)
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert sent == len(addresses) == len(set(addresses))
    assert {provider_admin.email, provider_member.email, other_admin.email, council_officer.email} <= set(addresses)
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "version 1" in mail.outbox[0].subject and "/market/statement/versions/1/" in mail.outbox[0].body


def test_a_rerun_emails_only_the_members_not_yet_told(
    published, council_officer, provider_admin, provider_member, other_admin
):
    StatementEmail.objects.create(version=published, user=provider_admin)
    sent = statement_published_send(published.pk)
    addresses = [m.to[0] for m in mail.outbox]
    assert provider_admin.email not in addresses
    assert {provider_member.email, other_admin.email, council_officer.email} <= set(addresses)
    assert StatementEmail.objects.filter(version=published).count() == sent + 1
    assert statement_published_send(published.pk) == 0
    assert len(mail.outbox) == sent


# Comparing ------------------------------------------------------------------------------------------------------


def test_the_comparison_marks_words_added_and_removed_and_changed_figures(published, council_officer):
    section = StatementSection.objects.get(heading="Support for providers")
    section_save(actor=council_officer, section=section, data={"body": "Training, bursaries and <b>support</b>."})
    NeededService.objects.create(service="Respite", client_group="carers", locality="Rainham", evidence="Carers ask")
    newer = statement_publish(actor=council_officer, summary="Second")
    changes = {c.heading: c for c in statement.compare(published, newer)}
    support = changes["Support for providers"]
    assert support.status == "changed"
    assert "<ins>" in support.text and "bursaries" in support.text and "&lt;b&gt;support&lt;/b&gt;" in support.text
    assert "<del>" in support.text
    plans = changes["What the council is doing and intends to commission"]
    ((title, rows),) = plans.blocks
    assert (
        title == "Needed and desired services"
        and rows[0].row == "Respite · Unpaid carers"
        and rows[0].before is None
        and "Rainham" in rows[0].after
    )
    assert changes["How to be involved"].status == "same"


def test_compare_page_is_public_and_refuses_the_same_version_twice(published, council_officer, client):
    statement_publish(actor=council_officer, summary="Second")
    page = client.get(reverse("market:statement-compare"), {"older": 1, "newer": 2})
    assert page.status_code == 200 and "What changed from version 1 to version 2" in page.content.decode()
    same = client.get(reverse("market:statement-compare"), {"older": 2, "newer": 2})
    assert "Choose two different versions" in same.content.decode()
    unknown = client.get(reverse("market:statement-compare"), {"older": 1, "newer": 9})
    assert unknown.status_code == 200 and "govuk-error-summary" in unknown.content.decode()


# Comments -------------------------------------------------------------------------------------------------------


def test_a_provider_comments_the_council_responds_and_the_provider_is_emailed(
    published, provider_admin, council_officer, django_capture_on_commit_callbacks
):
    section = published.sections.get(order=2)
    comment = comment_add(actor=provider_admin, section=section, text="Our beds are missing")
    assert comment.organisation.kind == "provider"
    with django_capture_on_commit_callbacks(execute=True):
        comment_respond(actor=council_officer, comment=comment, response="Thank you, corrected")
    comment.refresh_from_db()
    assert comment.response == "Thank you, corrected" and comment.responded_by == council_officer
    assert mail.outbox[-1].to == [provider_admin.email] and "Thank you, corrected" in mail.outbox[-1].body


def test_comments_are_taken_on_the_current_version_only_and_not_from_council_or_training(
    published, provider_admin, council_officer, training_admin
):
    old_section = published.sections.get(order=1)
    statement_publish(actor=council_officer, summary="Second")
    with pytest.raises(ValidationError):
        comment_add(actor=provider_admin, section=old_section, text="Late")
    current = StatementVersion.objects.first().sections.get(order=1)
    for someone in (council_officer, training_admin):
        with pytest.raises(AccessDenied):
            comment_add(actor=someone, section=current, text="Hello")
    with pytest.raises(AccessDenied):
        comment_respond(
            actor=provider_admin,
            comment=comment_add(actor=provider_admin, section=current, text="Hi"),
            response="Self",
        )


def test_the_public_reads_the_statement_but_not_the_comments(published, provider_admin, client, as_role):
    comment_add(actor=provider_admin, section=published.sections.get(order=1), text="A private remark")
    public = client.get(reverse("market:statement"))
    assert public.status_code == 200
    text = public.content.decode()
    assert "Predicted demand" in text and "A private remark" not in text and "Sign in" in text
    member = as_role("other_admin").get(reverse("market:statement"))
    assert "A private remark" in member.content.decode() and "Comment on this section" in member.content.decode()


def test_a_commenter_without_a_name_is_not_shown_by_email(published, provider_admin, as_role):
    provider_admin.full_name = ""
    provider_admin.save()
    comment_add(actor=provider_admin, section=published.sections.get(order=1), text="Nameless")
    page = as_role("other_admin").get(reverse("market:statement")).content.decode()
    assert "Nameless" in page and provider_admin.email not in page


def test_a_bad_comment_shows_the_error_and_saves_nothing(published, as_role):
    section = published.sections.get(order=1)
    page = as_role("provider_admin").post(reverse("market:statement-comment", args=[section.pk]), {"text": "  "})
    assert page.status_code == 400 and "Enter your comment" in page.content.decode()
    assert not SectionComment.objects.exists()


def test_an_old_version_says_it_is_not_current_and_takes_no_comments(published, council_officer, as_role):
    statement_publish(actor=council_officer, summary="Second")
    page = as_role("provider_admin").get(reverse("market:statement-version", args=[1]))
    text = page.content.decode()
    assert "It is not the current version" in text and "Comment on this section" not in text


def test_no_statement_yet_is_a_clear_not_found(client):
    page = client.get(reverse("market:statement"))
    assert page.status_code == 404 and "has not published" in page.content.decode()


# The officer's pages -------------------------------------------------------------------------------------------


def test_inserting_a_block_adds_its_line_without_saving(council_officer, as_role):
    section = draft_sections()[0]
    page = as_role("council_officer").post(
        reverse("market:statement-section", args=[section.pk]),
        {"heading": section.heading, "body": "Some text", "block": "supply", "insert": "1"},
    )
    assert page.status_code == 200 and "Some text\n\n[[supply]]" in page.content.decode()
    section.refresh_from_db()
    assert section.body != "Some text\n\n[[supply]]"


def test_block_lines_sent_with_windows_line_ends_still_work_and_saving_inserts_a_chosen_block(as_role):
    section = draft_sections()[1]
    page = as_role("council_officer").post(
        reverse("market:statement-section", args=[section.pk]),
        {"heading": "Supply", "body": "Text\r\n\r\n[[supply]]\r\n\r\nMore\r\n[[sustainability]]", "block": "demand"},
    )
    assert page.status_code == 302
    section.refresh_from_db()
    assert [key for kind, key in statement.split(section.body) if kind == "block"] == [
        "supply",
        "sustainability",
        "demand",
    ]
    assert "\r" not in section.body


def test_a_version_is_untouched_when_its_draft_section_is_deleted(published, council_officer):
    from carenetwork.market.statement_services import section_delete

    before = list(published.sections.values_list("section_key", "heading", "body"))
    section_delete(actor=council_officer, section=StatementSection.objects.get(heading="Predicted demand"))
    assert list(published.sections.values_list("section_key", "heading", "body")) == before


def test_publishing_an_empty_draft_is_refused(published, council_officer):
    from carenetwork.market.statement_services import section_delete

    for section in StatementSection.objects.all():
        section_delete(actor=council_officer, section=section)
    assert draft_sections() == []
    with pytest.raises(ValidationError):
        statement_publish(actor=council_officer, summary="Nothing")


def test_compared_figures_pair_each_sub_market_by_service_type_and_area():
    older = {"header": ["Service type", "Area", "Beds"], "rows": [["Homes", "North", 10], ["Homes", "South", 20]]}
    newer = {"header": ["Service type", "Area", "Beds"], "rows": [["Homes", "South", 25]]}
    for block in (older, newer):
        block["hidden"] = [[False] * 3 for _row in block["rows"]]
    changes = {c.row: (c.before, c.after) for c in statement._block_changes(older, newer)}
    assert changes == {"Homes · North": ("Beds: 10", None), "Homes · South": ("Beds: 20", "Beds: 25")}


def test_publishing_from_the_draft_page(as_role, council_officer):
    officer = as_role("council_officer")
    officer.get(reverse("market:statement-draft"))
    page = officer.post(reverse("market:statement-draft"), {"summary": "Our first statement"})
    assert page.status_code == 302 and page.url == reverse("market:statement-version", args=[1])
    empty = officer.post(reverse("market:statement-draft"), {"summary": ""})
    assert "Say in a sentence what has changed" in empty.content.decode()


def test_the_mailbox_setting_is_shown_on_the_version(council_officer):
    settings = MarketSettings.current()
    settings.mailbox = "market@havering.example"
    settings.save()
    draft_sections()
    version = statement_publish(actor=council_officer, summary="With contact")
    assert version.mailbox == "market@havering.example"


# Query counts ---------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_version_page_takes_the_same_queries_however_many_comments(published, as_role, provider_admin):
    member = as_role("other_admin")
    url = reverse("market:statement")
    comment_add(actor=provider_admin, section=published.sections.get(order=1), text="One")
    _queries(member, url)  # the session's first request
    few = _queries(member, url)
    for section in published.sections.all():
        for n in range(3):
            comment_add(actor=provider_admin, section=section, text=f"More {n}")
    assert _queries(member, url) == few


def test_every_page_footer_links_the_public_statement_and_needed_services(client):
    page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("market:statement")}">Market position statement</a>' in page
    assert f'href="{reverse("market:needed")}">Services the council needs</a>' in page


def test_taking_a_section_out_asks_first(as_role):
    section = draft_sections()[-1]
    officer = as_role("council_officer")
    url = reverse("market:statement-section-delete", args=[section.pk])
    assert "Are you sure you want to take" in officer.get(url).content.decode()
    assert StatementSection.objects.filter(pk=section.pk).exists()
    assert officer.post(url).status_code == 302
    assert not StatementSection.objects.filter(pk=section.pk).exists()
