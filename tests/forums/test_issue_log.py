"""The issue log: filters, full-text search (PostgreSQL's, or icontains on SQLite), the CSV export, and query
counts that stay the same however many items a forum has."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.forums import agenda, issue_log
from carenetwork.forums.models import AgendaItem, ForumMembership, ItemEvent, Meeting
from carenetwork.organisations.models import Role
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

State = AgendaItem.State


@pytest.fixture
def oak_lodge(forum):
    org = OrganisationFactory(name="Oak Lodge Nursing", sectors=[sector("nursing-care")])
    ForumMembership.objects.create(forum=forum, organisation=org, status=ForumMembership.Status.ACTIVE)
    return org


@pytest.fixture
def oak_member(oak_lodge):
    return person_in(oak_lodge, Role.MEMBER, full_name="Ruth Ellis")


@pytest.fixture
def published_meeting(meeting):
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


def add_item(forum, meeting, organisation, person=None, **fields):
    defaults = {
        "title": "An item",
        "description": "Something happened.",
        "category": AgendaItem.Category.ISSUE,
        "state": State.ON_AGENDA,
    }
    return AgendaItem.objects.create(
        forum=forum, meeting=meeting, raised_by_organisation=organisation, raised_by=person, **{**defaults, **fields}
    )


def titles(items):
    return sorted(item.title for item in items)


# --- filters ---------------------------------------------------------------------------------------------------


def test_filters_by_state_category_and_meeting(forum, published_meeting, provider, provider_member):
    start = timezone.now() - timedelta(days=30)
    earlier = Meeting.objects.create(
        forum=forum,
        title="Autumn",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=5,
        booking_deadline=start,
        agenda_deadline=start - timedelta(days=7),
        agenda_published_at=start - timedelta(days=5),
    )
    add_item(forum, published_meeting, provider, title="Rates", category="question")
    add_item(forum, earlier, provider, title="Rotas", state=State.FED_BACK)
    add_item(forum, earlier, provider, title="Mileage", state=State.CLOSED, category="proposal")
    log = lambda **f: titles(issue_log.issue_log_for(user=provider_member, forum=forum, **f))  # noqa: E731
    assert log() == ["Mileage", "Rates", "Rotas"]
    assert log(state=State.FED_BACK) == ["Rotas"]
    assert log(category="question") == ["Rates"]
    assert log(meeting=earlier) == ["Mileage", "Rotas"]
    assert log(meeting=earlier.pk, category="proposal") == ["Mileage"]


def test_raiser_filter_never_reveals_anonymous_raisers_to_other_providers(
    forum, published_meeting, provider, provider_member, oak_member, council_officer
):
    add_item(forum, published_meeting, provider, provider_member, title="Named")
    add_item(forum, published_meeting, provider, provider_member, title="Anonymous", anonymous=True)
    assert titles(issue_log.issue_log_for(user=oak_member, forum=forum, raiser_org=provider)) == ["Named"]
    assert titles(issue_log.issue_log_for(user=oak_member, forum=forum)) == ["Anonymous", "Named"]
    assert titles(issue_log.issue_log_for(user=council_officer, forum=forum, raiser_org=provider.pk)) == [
        "Anonymous",
        "Named",
    ]


def test_the_log_holds_only_what_the_person_may_see(
    forum, meeting, provider, provider_member, oak_lodge, oak_member, council_officer
):
    add_item(forum, meeting, oak_lodge, title="Oak's unpublished", state=State.RAISED)
    add_item(forum, meeting, provider, title="Willow's unpublished", state=State.RAISED)
    add_item(forum, meeting, oak_lodge, title="Oak's discussed", state=State.DISCUSSED)
    assert titles(issue_log.issue_log_for(user=provider_member, forum=forum)) == [
        "Oak's discussed",
        "Willow's unpublished",
    ]
    assert len(issue_log.issue_log_for(user=council_officer, forum=forum)) == 3


def test_people_outside_the_forum_have_no_issue_log(forum, other_admin, council_admin):
    from django.http import Http404

    for outsider in (other_admin, council_admin):
        with pytest.raises(Http404):
            issue_log.issue_log_for(user=outsider, forum=forum)


def test_filter_form_on_the_page(client, forum, published_meeting, provider, provider_member):
    add_item(forum, published_meeting, provider, title="Fee uplift", state=State.DISCUSSED)
    add_item(forum, published_meeting, provider, title="Night cover")
    client.force_login(provider_member)
    page = client.get(reverse("forums:issue-log", args=[forum.slug]), {"state": "discussed"}).content.decode()
    assert "Fee uplift" in page and "Night cover" not in page and "Clear filters" in page
    page = client.get(reverse("forums:issue-log", args=[forum.slug]), {"q": "nothing-like-this"}).content.decode()
    assert "No items match your search" in page


def test_issue_log_pages_25_at_a_time(client, forum, published_meeting, provider, provider_member):
    for n in range(30):
        add_item(forum, published_meeting, provider, title=f"Item {n:02}")
    client.force_login(provider_member)
    first = client.get(reverse("forums:issue-log", args=[forum.slug])).context["page"]
    assert len(first.object_list) == 25 and first.paginator.num_pages == 2


# --- search ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("title", "Medication"),
        ("description", "medication"),
        ("notes", "medication"),
        ("council_response", "MEDICATION"),
    ],
)
def test_search_looks_in_title_description_notes_and_response(
    forum, published_meeting, provider, provider_member, field, words
):
    add_item(forum, published_meeting, provider, title="Unrelated")
    match = add_item(forum, published_meeting, provider, **{"title": "Match", field: "Medication audits on Sundays"})
    found = issue_log.issue_log_for(user=provider_member, forum=forum, q=words)
    assert list(found) == [match]


def test_search_uses_the_databases_own_method(forum, provider_member):
    sql = str(issue_log.issue_log_for(user=provider_member, forum=forum, q="rota").query)
    if connection.vendor == "postgresql":
        assert "@@" in sql and "to_tsvector" in sql
    else:
        assert "LIKE" in sql and "to_tsvector" not in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite matches parts of words")
def test_search_on_sqlite_matches_part_of_a_word(forum, published_meeting, provider, provider_member):
    add_item(forum, published_meeting, provider, title="Discharge delays")
    assert titles(issue_log.issue_log_for(user=provider_member, forum=forum, q="ischarg")) == ["Discharge delays"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_search_on_postgresql_matches_other_forms_of_a_word_and_all_words(
    forum, published_meeting, provider, provider_member
):
    add_item(forum, published_meeting, provider, title="Discharges delayed", notes="Friday evenings")
    add_item(forum, published_meeting, provider, title="Discharge letters", notes="Mornings")
    log = lambda q: titles(issue_log.issue_log_for(user=provider_member, forum=forum, q=q))  # noqa: E731
    assert log("discharge") == ["Discharge letters", "Discharges delayed"]
    assert log("discharge delay friday") == ["Discharges delayed"]
    assert log('"discharge letters"') == ["Discharge letters"]
    assert log("discharge -letters") == ["Discharges delayed"]


# --- CSV -------------------------------------------------------------------------------------------------------


def read_csv(client, forum, **params):
    response = client.get(reverse("forums:issue-log-csv", args=[forum.slug]), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{forum.slug}-issue-log.csv"'
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_csv_export_has_a_row_per_item_with_the_anonymity_rule(
    client, forum, published_meeting, provider, provider_member, oak_member, council_officer
):
    add_item(forum, published_meeting, provider, provider_member, title="Named", council_response="Agreed")
    add_item(forum, published_meeting, provider, provider_member, title="Hidden", anonymous=True)
    client.force_login(oak_member)
    header, *rows = read_csv(client, forum)
    assert header[:3] == ["Reference", "Title", "Kind"]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_title["Named"]["Raised by organisation"] == "Willow Care Home"
    assert by_title["Named"]["Council response"] == "Agreed"
    assert by_title["Hidden"]["Raised by organisation"] == "A provider"
    assert by_title["Hidden"]["Raised by person"] == ""
    client.force_login(council_officer)
    header, *rows = read_csv(client, forum)
    hidden = next(dict(zip(header, r, strict=True)) for r in rows if r[1] == "Hidden")
    assert hidden["Raised by organisation"] == "Willow Care Home" and hidden["Raised by person"] == "Daniel Price"


def test_csv_export_follows_the_filters_and_defuses_formulas(
    client, forum, published_meeting, provider, provider_member
):
    add_item(forum, published_meeting, provider, title='=HYPERLINK("http://evil")', category="question")
    add_item(forum, published_meeting, provider, title="Other", category="issue")
    client.force_login(provider_member)
    _header, *rows = read_csv(client, forum, category="question")
    assert [row[1] for row in rows] == ['\'=HYPERLINK("http://evil")']


# --- query counts ----------------------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session stores its timestamps; measure the ones after
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def add_items(forum, meeting, organisations, people, n):
    created = AgendaItem.objects.bulk_create(
        AgendaItem(
            forum=forum,
            meeting=meeting,
            title=f"Item {i}",
            description="Described",
            category="issue",
            state=[State.ON_AGENDA, State.DISCUSSED, State.FED_BACK][i % 3],
            raised_by_organisation=organisations[i % len(organisations)],
            raised_by=people[i % len(people)],
            anonymous=i % 2 == 0,
            position=i,
        )
        for i in range(n)
    )
    ItemEvent.objects.bulk_create(ItemEvent(item=item, action="raised", to_state="raised") for item in created)


PAGES = ["forums:issue-log", "forums:issue-log-csv", "forums:issue-log?state=on_agenda&q=Item"]
LEAD_PAGES = ["forums:agenda-manage", "forums:record-manage"]


@pytest.mark.parametrize(
    ("who", "url"),
    [(who, url) for who in ("provider_member", "council_officer") for url in PAGES]
    + [("council_officer", url) for url in LEAD_PAGES],
)
def test_page_queries_stay_the_same_with_5_or_50_items(
    request, client, forum, published_meeting, provider, provider_member, oak_lodge, oak_member, who, url
):
    person = request.getfixturevalue(who)
    name, _, query = url.partition("?")
    if name in LEAD_PAGES:
        address = reverse(name, args=[forum.slug, published_meeting.pk])
    else:
        address = reverse(name, args=[forum.slug]) + (f"?{query}" if query else "")
    client.force_login(person)
    add_items(forum, published_meeting, [provider, oak_lodge], [provider_member, oak_member], 5)
    few = queries_for(client, address)
    add_items(forum, published_meeting, [provider, oak_lodge], [provider_member, oak_member], 45)
    assert queries_for(client, address) == few


def test_item_page_queries_stay_the_same_with_more_history(
    client, forum, published_meeting, provider, provider_member, oak_member, council_officer
):
    item = add_item(forum, published_meeting, provider, provider_member, anonymous=True)
    url = reverse("forums:item-detail", args=[forum.slug, item.pk])
    client.force_login(oak_member)

    def grow(n):
        for i in range(n):
            agenda.comment_add(actor=oak_member, item=item, body=f"Comment {i}")
            ItemEvent.objects.create(item=item, actor=council_officer, action="recorded", note=str(i))
            item.actions.create(description=f"Action {i}", owner_organisation=provider)

    grow(2)
    few = queries_for(client, url)
    grow(20)
    assert queries_for(client, url) == few
