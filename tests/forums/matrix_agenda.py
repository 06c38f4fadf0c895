"""Authorisation matrix rows for the agenda, record, issue-log and paper pages (tests/test_authorisation_matrix.py).

Everything of the agenda is the forum's: its member organisations' people and its leads reach it, only the
leads run it (403 to members), and to everyone else (council staff who are not leads included) it does not
exist (404). Rows that need an item, an action or a paper create one in the world's forum and meeting.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from carenetwork.forums.models import Action, AgendaItem, Paper
from tests.forums.matrix import IN_FORUM, forum_only
from tests.matrix_roles import REDIRECT


def item(w, state=AgendaItem.State.RAISED):
    """An item the provider raised for the world's meeting."""
    return AgendaItem.objects.create(
        forum=w.forum,
        meeting=w.meeting,
        title="Fee uplift for night staff",
        description="Night rates have not risen for three years.",
        category=AgendaItem.Category.ISSUE,
        raised_by_organisation=w.provider,
        state=state,
    )


def published_item(w):
    """An item on the meeting's published agenda: members may comment on it."""
    w.meeting.agenda_published_at = timezone.now()
    w.meeting.save(update_fields=["agenda_published_at"])
    return item(w, AgendaItem.State.ON_AGENDA)


def action(w):
    return Action.objects.create(
        item=item(w, AgendaItem.State.DISCUSSED), description="Review", owner_organisation=w.provider
    )


def paper(w):
    paper = Paper(meeting=w.meeting, title="Minutes", content_type="application/pdf", size=9)
    paper.file.save("minutes.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return paper


LEAD = "council_officer"

AGENDA_CASES = [
    ("forums:item-raise", lambda w: [w.forum.slug], "get", forum_only(*IN_FORUM)),
    ("forums:item-detail", lambda w: [w.forum.slug, item(w).pk], "get", forum_only(*IN_FORUM)),
    # An empty comment shows the page again with the error (200); outsiders never learn the item exists.
    ("forums:item-comment", lambda w: [w.forum.slug, published_item(w).pk], "post", forum_only(*IN_FORUM)),
    ("forums:item-accept", lambda w: [w.forum.slug, item(w).pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:item-decline", lambda w: [w.forum.slug, item(w).pk], "get", forum_only(LEAD)),
    ("forums:item-merge", lambda w: [w.forum.slug, item(w).pk], "get", forum_only(LEAD)),
    ("forums:item-defer", lambda w: [w.forum.slug, item(w).pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:item-close", lambda w: [w.forum.slug, item(w).pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:action-add", lambda w: [w.forum.slug, item(w).pk], "get", forum_only(LEAD)),
    (
        "forums:action-edit",
        lambda w: [w.forum.slug, (a := action(w)).item_id, a.pk],
        "get",
        forum_only(LEAD),
    ),
    ("forums:agenda-manage", lambda w: [w.forum.slug, w.meeting.pk], "get", forum_only(LEAD)),
    ("forums:agenda-move", lambda w: [w.forum.slug, w.meeting.pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:agenda-publish", lambda w: [w.forum.slug, w.meeting.pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:agenda-publish", lambda w: [w.forum.slug, w.meeting.pk], "get", forum_only(LEAD)),
    ("forums:record-manage", lambda w: [w.forum.slug, w.meeting.pk], "get", forum_only(LEAD)),
    (
        "forums:record-item",
        lambda w: [w.forum.slug, w.meeting.pk, item(w, AgendaItem.State.ON_AGENDA).pk],
        "get",
        forum_only(LEAD),
    ),
    ("forums:record-publish", lambda w: [w.forum.slug, w.meeting.pk], "post", forum_only(LEAD, status=REDIRECT)),
    ("forums:record-publish", lambda w: [w.forum.slug, w.meeting.pk], "get", forum_only(LEAD)),
    ("forums:paper-add", lambda w: [w.forum.slug, w.meeting.pk], "get", forum_only(LEAD)),
    ("forums:paper-download", lambda w: [w.forum.slug, w.meeting.pk, paper(w).pk], "get", forum_only(*IN_FORUM)),
    ("forums:issue-log", lambda w: [w.forum.slug], "get", forum_only(*IN_FORUM)),
    ("forums:issue-log-csv", lambda w: [w.forum.slug], "get", forum_only(*IN_FORUM)),
    ("forums:issue-log-xlsx", lambda w: [w.forum.slug], "get", forum_only(*IN_FORUM)),
]
