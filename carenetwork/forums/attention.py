"""What needs a person's attention in the forums, for the portal's home page: counts with links, a few queries."""

import datetime

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carenetwork.core.registry import Attention, Panel
from carenetwork.forums import permissions, selectors
from carenetwork.forums.models import Action, AgendaItem, Booking

# Actions are "due" from a week before their date.
ACTIONS_DUE_WITHIN = datetime.timedelta(days=7)
OPEN_STATES = [
    AgendaItem.State.RAISED,
    AgendaItem.State.ON_AGENDA,
    AgendaItem.State.DISCUSSED,
    AgendaItem.State.ACTION_IN_PROGRESS,
]


def _per_forum(queryset, forum_field: str):
    """Counts per forum, as rows of the forum's slug, name and count, in the forums' order of name."""
    return (
        queryset.values(slug=F(f"{forum_field}__slug"), name=F(f"{forum_field}__name"))
        .annotate(n=Count("pk"))
        .order_by("name")
    )


def _total_and_href(rows, query: str = "") -> tuple[int, str]:
    """The total of the per-forum counts, and the forum's issue log when they are all in one forum."""
    rows = [r for r in rows if r["n"]]
    total = sum(r["n"] for r in rows)
    if len(rows) == 1:
        href = reverse("forums:issue-log", args=[rows[0]["slug"]])
        return total, f"{href}?{query}" if query else href
    return total, reverse("forums:forum-list")


def own_forum_items(user) -> list[Attention]:
    """Meetings the person booked, and their open agenda items and the actions on them (3 queries)."""
    if not user.is_authenticated:
        return []
    bookings = selectors.booking_list_for(user=user).filter(status=Booking.Status.CONFIRMED).count()
    # Only forums the person still belongs to or leads: someone who has left hears nothing more of a forum.
    forum_ids = set(permissions.member_forum_organisations(user)) | permissions.led_forum_ids(user)
    items, items_href = _total_and_href(
        _per_forum(
            AgendaItem.objects.filter(raised_by_id=user.pk, state__in=OPEN_STATES, forum_id__in=forum_ids),
            "forum",
        )
    )
    actions, actions_href = _total_and_href(
        _per_forum(
            Action.objects.filter(item__raised_by_id=user.pk, item__forum_id__in=forum_ids).exclude(
                status=Action.Status.DONE
            ),
            "item__forum",
        ),
        "state=action_in_progress",
    )
    return [
        Attention(
            ngettext("%(n)s meeting you have booked", "%(n)s meetings you have booked", bookings) % {"n": bookings},
            bookings,
            reverse("forums:calendar"),
        ),
        Attention(
            ngettext("%(n)s agenda item you raised is open", "%(n)s agenda items you raised are open", items)
            % {"n": items},
            items,
            items_href,
        ),
        Attention(
            ngettext(
                "%(n)s action on items you raised is not done",
                "%(n)s actions on items you raised are not done",
                actions,
            )
            % {"n": actions},
            actions,
            actions_href,
        ),
    ]


def led_forum_items(user) -> list[Attention]:
    """For a council lead: agenda items waiting to be triaged and actions due in the forums they lead (3 queries)."""
    forum_ids = permissions.led_forum_ids(user)
    if not forum_ids:
        return []
    # A lead may lead every forum: one line per forum, each going straight to that forum's items.
    to_triage = _per_forum(AgendaItem.objects.filter(forum_id__in=forum_ids, state=AgendaItem.State.RAISED), "forum")
    due_by = timezone.localdate() + ACTIONS_DUE_WITHIN
    due = _per_forum(
        Action.objects.filter(item__forum_id__in=forum_ids, due_date__lte=due_by).exclude(status=Action.Status.DONE),
        "item__forum",
    )
    return [
        Attention(
            ngettext("%(n)s agenda item to triage in %(forum)s", "%(n)s agenda items to triage in %(forum)s", row["n"])
            % {"n": row["n"], "forum": row["name"]},
            row["n"],
            f"{reverse('forums:issue-log', args=[row['slug']])}?state=raised",
        )
        for row in to_triage
    ] + [
        Attention(
            ngettext(
                "%(n)s action due within a week or overdue in %(forum)s",
                "%(n)s actions due within a week or overdue in %(forum)s",
                row["n"],
            )
            % {"n": row["n"], "forum": row["name"]},
            row["n"],
            f"{reverse('forums:issue-log', args=[row['slug']])}?state=action_in_progress",
        )
        for row in due
    ]


PANELS = [
    Panel(title=_("Forums you lead"), items_for=led_forum_items, order=40),
    Panel(title=_("Your forums"), items_for=own_forum_items, order=45),
]
