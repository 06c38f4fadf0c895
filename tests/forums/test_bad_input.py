"""Odd query parameters never cause a server error: a forum page answers them with its normal page (the
filter ignored) or a 404, on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# "²" passes str.isdigit() but not int(); the others overflow 32- and 64-bit integers, or are not numbers.
ODD_VALUES = ["²", "٣", "99999999999999999999999", "9223372036854775808", "2147483648", "-1", "0", "1e5", "\x00", "x"]
PARAMETERS = ("meeting", "page", "state", "raiser_org", "category", "q", "next")


def test_odd_query_parameters_never_cause_a_server_error(client, forum, meeting, council_officer, provider_member):
    failures = []
    for user in (council_officer, provider_member):
        client.force_login(user)
        urls = [
            reverse("forums:forum-list"),
            reverse("forums:forum-detail", args=[forum.slug]),
            reverse("forums:issue-log", args=[forum.slug]),
            reverse("forums:issue-log-csv", args=[forum.slug]),
            reverse("forums:item-raise", args=[forum.slug]),
            reverse("forums:meeting-detail", args=[forum.slug, meeting.pk]),
            reverse("forums:agenda-manage", args=[forum.slug, meeting.pk]),
            reverse("forums:record-manage", args=[forum.slug, meeting.pk]),
            reverse("forums:calendar"),
        ]
        for url in urls:
            for key in PARAMETERS:
                for value in ODD_VALUES:
                    response = client.get(url, {key: value})
                    if hasattr(response, "streaming_content"):
                        b"".join(response.streaming_content)
                    if response.status_code >= 500:
                        failures.append((url, key, value))
    assert failures == []


def test_issue_log_ignores_a_meeting_that_is_not_a_plain_number(client, forum, meeting, provider_member):
    client.force_login(provider_member)
    response = client.get(reverse("forums:issue-log", args=[forum.slug]), {"meeting": "²"})
    assert response.status_code == 200
    response = client.get(reverse("forums:issue-log", args=[forum.slug]), {"meeting": str(meeting.pk)})
    assert response.status_code == 200 and str(meeting.title) in response.content.decode()
