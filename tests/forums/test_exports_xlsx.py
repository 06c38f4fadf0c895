"""The forums' tables as CSV and XLSX (issue 15): a forum's issue log and a meeting's attendee list. Each XLSX holds
the CSV's header and rows, neutralises formulas as the CSV does, is refused to whoever may not see its page, and
makes as many queries for few rows as for many."""

import pytest
from django.urls import reverse
from django.utils import timezone

from carenetwork.organisations.models import Role
from tests.core.exports import FORMULA, cells, download_queries, same_table
from tests.factories import OrganisationFactory, person_in, sector
from tests.forums.test_bookings import book, fill, member
from tests.forums.test_issue_log import add_item, add_items

pytestmark = pytest.mark.django_db


def _both(name: str, *args) -> tuple[str, str]:
    return reverse(f"{name}-csv", args=args), reverse(f"{name}-xlsx", args=args)


@pytest.fixture
def published_meeting(meeting):
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    return meeting


def test_issue_log_csv_and_xlsx_are_the_same_table(
    client_for, forum, published_meeting, provider, provider_member, council_officer
):
    add_item(forum, published_meeting, provider, provider_member, title=FORMULA, category="question")
    add_item(forum, published_meeting, provider, provider_member, title="+44 beds", council_response="-Agreed")
    add_item(forum, published_meeting, provider, provider_member, title="Hidden", anonymous=True)
    for user in (provider_member, council_officer):
        rows = same_table(client_for(user), *_both("forums:issue-log", forum.slug))
        assert rows[0][:3] == ["Reference", "Title", "Kind"]
        assert {"'" + FORMULA, "'+44 beds", "'-Agreed"} <= cells(rows)
        assert FORMULA not in cells(rows)
    # The filters apply to both files alike.
    rows = same_table(client_for(provider_member), *_both("forums:issue-log", forum.slug), {"category": "question"})
    assert [r[1] for r in rows[1:]] == ["'" + FORMULA]


def test_issue_log_downloads_are_refused_outside_the_forum(client_for, forum, other_admin, training_admin):
    for user in (other_admin, training_admin):
        for url in _both("forums:issue-log", forum.slug):
            assert client_for(user).get(url).status_code in (403, 404), (user, url)
    for url in _both("forums:issue-log", forum.slug):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_issue_log_downloads_make_as_many_queries_for_5_or_50_items(
    client_for, forum, published_meeting, provider, provider_member
):
    client = client_for(provider_member)
    urls = _both("forums:issue-log", forum.slug)
    add_items(forum, published_meeting, [provider], [provider_member], 5)
    few = [download_queries(client, url) for url in urls]
    add_items(forum, published_meeting, [provider], [provider_member], 45)
    many = [download_queries(client, url) for url in urls]
    assert many == few


def test_attendees_csv_and_xlsx_are_the_same_table(client_for, meeting, council_officer, provider_member):
    places = fill(meeting)
    book(provider_member, meeting)
    organisation = OrganisationFactory(name="@Oak Lodge", sectors=[sector("residential-care")])
    places[0].person = person_in(organisation, Role.MEMBER, full_name=FORMULA)
    places[0].save(update_fields=["person"])
    rows = same_table(client_for(council_officer), *_both("forums:meeting-attendees", meeting.forum.slug, meeting.pk))
    assert rows[0][:4] == ["Name", "Email", "Organisation", "Status"]
    assert len(rows) == 1 + 4
    assert rows[1][0] == "'" + FORMULA


def test_attendees_downloads_are_for_the_forums_leads_only(client_for, meeting, provider_member, council_admin):
    book(provider_member, meeting)
    for user in (provider_member, council_admin, member(meeting.forum, role=Role.ADMIN)):
        for url in _both("forums:meeting-attendees", meeting.forum.slug, meeting.pk):
            assert client_for(user).get(url).status_code in (403, 404), (user, url)


def test_attendees_downloads_make_as_many_queries_for_more_people(client_for, meeting, council_officer):
    meeting.capacity = 40
    meeting.per_organisation_limit = 2
    meeting.save()
    client = client_for(council_officer)
    urls = _both("forums:meeting-attendees", meeting.forum.slug, meeting.pk)
    fill(meeting, 2)
    few = [download_queries(client, url) for url in urls]
    fill(meeting, 20)
    many = [download_queries(client, url) for url in urls]
    assert many == few
