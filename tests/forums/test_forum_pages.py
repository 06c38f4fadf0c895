"""The forum pages: what they show and that their queries do not grow with the forum's history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.forums.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session stores its timestamps
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_history(forum, n):
    now = timezone.now()
    for k in range(n):
        start = now - timedelta(days=30 * (k + 1))
        meeting = Meeting.objects.create(
            forum=forum,
            title=f"Past {k}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            venue="Hall",
            capacity=10,
            booking_deadline=start,
            agenda_deadline=start,
            agenda_published_at=start,
        )
        AgendaItem.objects.create(
            forum=forum,
            meeting=meeting,
            title=f"Item {k}",
            description="d",
            category="issue",
            state=AgendaItem.State.ACTION_IN_PROGRESS,
        )


@pytest.mark.parametrize("role", ["provider_member", "council_officer"])
def test_forum_home_and_list_queries_do_not_grow_with_history(request, client, forum, meeting, role):
    client.force_login(request.getfixturevalue(role))
    urls = [reverse("forums:forum-detail", args=[forum.slug]), reverse("forums:forum-list")]
    add_history(forum, 2)
    few = [queries_for(client, url) for url in urls]
    add_history(forum, 20)
    assert [queries_for(client, url) for url in urls] == few


def test_forum_home_shows_meetings_open_items_and_members(client, forum, meeting, provider, provider_member):
    add_history(forum, 1)
    client.force_login(provider_member)
    page = client.get(reverse("forums:forum-detail", args=[forum.slug])).content.decode()
    assert meeting.title in page and "Item 0" in page and provider.name in page


def test_outsiders_see_neither_the_forum_nor_its_member_count(client, forum, other_admin, council_admin):
    client.force_login(council_admin)
    listing = client.get(reverse("forums:forum-list")).content.decode()
    assert forum.name in listing and "member organisation" not in listing
    assert client.get(reverse("forums:forum-detail", args=[forum.slug])).status_code == 404
    client.force_login(other_admin)
    assert forum.name not in client.get(reverse("forums:forum-list")).content.decode()


def test_ask_to_join_is_offered_only_where_the_person_can_ask(
    client, forum, council_admin, other_admin, other_provider
):
    """Council staff cannot ask to join (every such link was a 404); an eligible admin can, once."""
    from carenetwork.forums import services
    from carenetwork.forums.models import Forum

    client.force_login(council_admin)
    page = client.get(reverse("forums:forum-list")).content.decode()
    assert forum.name in page and "Ask to join" not in page

    home_care = Forum.objects.get(slug="home-care")
    client.force_login(other_admin)
    page = client.get(reverse("forums:forum-list")).content.decode()
    assert reverse("forums:membership-request", args=[home_care.slug]) in page
    for href in {reverse("forums:membership-request", args=[f.slug]) for f in Forum.objects.all()}:
        if href in page:
            assert client.get(href).status_code == 200
    services.forum_membership_request(actor=other_admin, forum=home_care, organisation=other_provider)
    page = client.get(reverse("forums:forum-list")).content.decode()
    assert reverse("forums:membership-request", args=[home_care.slug]) not in page and "Asked to join" in page
