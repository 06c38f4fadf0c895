"""Reads of a forum's agenda items for a given person: the issue log, its CSV export, a meeting's agenda,
the forum home's open items and an item's timeline. Each applies `agenda_permissions` once, in the query."""

from collections.abc import Iterator

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.accounts.models import User
from carenetwork.forums import agenda_permissions as rules
from carenetwork.forums import permissions
from carenetwork.forums.agenda import EVENT_LABELS
from carenetwork.forums.models import Action, AgendaItem, Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Membership, Organisation

State = AgendaItem.State
SEARCH_FIELDS = ("title", "description", "notes", "council_response")
RELATED = ("meeting", "raised_by", "raised_by_organisation")
# What a row of the issue log shows: the long texts stay in the database until an item is opened.
LIST_FIELDS = (
    "pk",
    "forum_id",
    "title",
    "category",
    "state",
    "created_at",
    "anonymous",
    "raised_by_id",
    "raised_by_organisation_id",
    "meeting_id",
    "meeting__title",
    "meeting__starts_at",
    "raised_by__full_name",
    "raised_by__email",
    "raised_by_organisation__name",
)


def _require_in_forum(user, forum: Forum) -> None:
    if not permissions.can_view_forum(user, forum):
        raise Http404


def _pk(value):
    return getattr(value, "pk", value)


def search_filter(queryset: QuerySet, q: str) -> QuerySet:
    """Full-text search over title, description, notes and response: PostgreSQL's search, else icontains."""
    q = (q or "").strip()
    if not q:
        return queryset
    if connection.vendor == "postgresql":
        vector = SearchVector(*SEARCH_FIELDS, config="english")
        return queryset.annotate(search=vector).filter(search=SearchQuery(q, config="english", search_type="websearch"))
    match = Q()
    for field in SEARCH_FIELDS:
        match |= Q(**{f"{field}__icontains": q})
    return queryset.filter(match)


def issue_log_for(
    *, user, forum: Forum, state: str = "", category: str = "", meeting=None, raiser_org=None, q: str = ""
) -> QuerySet[AgendaItem]:
    """Every item of the forum's history the person may see, newest first, filtered and searched."""
    _require_in_forum(user, forum)
    items = forum.items.filter(rules.visible_items_q(user, forum)).select_related(*RELATED)
    if state:
        items = items.filter(state=state)
    if category:
        items = items.filter(category=category)
    if meeting:
        items = items.filter(meeting_id=_pk(meeting))
    if raiser_org:
        items = items.filter(raised_by_organisation_id=_pk(raiser_org))
        if not permissions.is_lead(user, forum):
            # Filtering by raiser must not reveal who raised an anonymous item.
            items = items.filter(anonymous=False)
    return search_filter(items, q).order_by("-created_at", "-pk")


# The meeting filter offers the latest meetings (two years of monthly meetings) and any chosen one: a list
# of every meeting in a long history is slow to render and no easier to use than the search.
MEETING_CHOICES = 24


def issue_log_filters(*, user, forum: Forum, selected_meeting=None) -> dict:
    """The choices of the issue log's filters: states, categories, recent meetings and member organisations."""
    _require_in_forum(user, forum)
    meetings = forum.meetings.order_by("-starts_at").values_list("pk", "title", "starts_at")
    recent = list(meetings[:MEETING_CHOICES])
    # Only plain ASCII digits: str.isdigit() accepts "²", which int() refuses (a 500 from ?meeting=²).
    selected = str(selected_meeting or "")
    if selected.isascii() and selected.isdecimal() and all(str(m[0]) != selected for m in recent):
        recent += list(meetings.filter(pk=int(selected)))
    return {
        "states": list(State.choices),
        "categories": list(AgendaItem.Category.choices),
        "meetings": [(pk, f"{title} ({timezone.localtime(starts_at):%d %b %Y})") for pk, title, starts_at in recent],
        "organisations": list(
            Organisation.objects.filter(
                forum_memberships__forum=forum, forum_memberships__status=ForumMembership.Status.ACTIVE
            )
            .order_by("name")
            .values_list("pk", "name")
        ),
    }


CSV_HEADER = [
    "Reference",
    "Title",
    "Kind",
    "State",
    "Meeting",
    "Raised on",
    "Raised by organisation",
    "Raised by person",
    "Description",
    "Discussion notes",
    "Council response",
    "Reason declined",
]


def _cell(value) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def issue_log_csv_rows(*, user, forum: Forum, **filters) -> Iterator[list[str]]:
    """The issue log as CSV rows, header first, with raisers hidden as the anonymity rule says."""
    items = issue_log_for(user=user, forum=forum, **filters)
    yield CSV_HEADER
    for item in items.iterator(chunk_size=500):
        visible = rules.can_see_raiser(user, item)
        yield [
            _cell(v)
            for v in (
                item.pk,
                item.title,
                item.get_category_display(),
                item.get_state_display(),
                item.meeting or "",
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
                (item.raised_by_organisation or "") if visible else _("A provider"),
                (item.raised_by or "") if visible else "",
                item.description,
                item.notes,
                item.council_response,
                item.decline_reason,
            )
        ]


def agenda_for(*, user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """A meeting's items in agenda order. Leads see all; others see the accepted items once the agenda is
    published, and their own organisation's items."""
    forum = meeting.forum
    _require_in_forum(user, forum)
    items = meeting.items.select_related(*RELATED)
    if not permissions.is_lead(user, forum):
        own = rules.raised_by_person_q(user) | Q(raised_by_organisation_id__in=rules.own_organisation_ids(user))
        published = Q(state__in=rules.ACCEPTED_STATES) if meeting.agenda_published_at else Q(pk__in=[])
        items = items.filter(own | published)
    accepted_first = Case(When(state__in=rules.ACCEPTED_STATES, then=Value(0)), default=Value(1))
    return items.annotate(off_agenda=accepted_first).order_by("off_agenda", "position", "created_at", "pk")


def waiting_items_for(*, user, forum: Forum) -> QuerySet[AgendaItem]:
    """Unresolved items waiting for a meeting to be arranged (leads' view)."""
    _require_in_forum(user, forum)
    return (
        forum.items.filter(rules.visible_items_q(user, forum), meeting__isnull=True, state__in=rules.UNRESOLVED_STATES)
        .select_related(*RELATED)
        .order_by("created_at", "pk")
    )


def forum_home_items(*, user, forum: Forum) -> QuerySet[AgendaItem]:
    """The latest ten open items the person may see, for the forum's home page."""
    _require_in_forum(user, forum)
    return (
        forum.items.filter(rules.visible_items_q(user, forum), state__in=rules.UNRESOLVED_STATES)
        .select_related(*RELATED)
        .order_by("-created_at", "-pk")[:10]
    )


def merge_options_for(*, user, item: AgendaItem) -> QuerySet[AgendaItem]:
    """The items another item may be merged into: the forum's other items still in play."""
    _require_in_forum(user, item.forum)
    return (
        item.forum.items.exclude(pk=item.pk)
        .exclude(state__in=[State.DECLINED, State.MERGED, State.CLOSED])
        .only("pk", "title", "state")
        .order_by("-created_at", "-pk")
    )


def _giveaways(item: AgendaItem, person_ids: set) -> set:
    """Of these people, those whose name would give away an anonymous raiser: the raiser and anyone who is or
    was in the raiser's organisation (a colleague's named comment names the organisation as surely)."""
    hidden = {item.raised_by_id} if item.raised_by_id else set()
    others = person_ids - hidden - {None}
    if item.raised_by_organisation_id and others:
        hidden |= set(
            Membership.objects.filter(organisation_id=item.raised_by_organisation_id, user_id__in=others).values_list(
                "user_id", flat=True
            )
        )
    return hidden


def item_page_for(*, user, item: AgendaItem) -> dict:
    """What an item's page shows: who raised it, its timeline, actions, comments and merged items."""
    visible = rules.can_see_raiser(user, item)
    events = list(item.events.select_related("actor"))
    comments = list(item.comments.select_related("author"))
    # Steps and comments by the raiser's organisation would give it away.
    hidden = set() if visible else _giveaways(item, {e.actor_id for e in events} | {c.author_id for c in comments})
    for comment in comments:
        concealed = comment.author_id is not None and comment.author_id in hidden
        comment.who = _("A provider") if concealed else (comment.author or _("A former member"))
    for event in events:
        concealed = event.actor_id is not None and event.actor_id in hidden
        event.who = _("A provider") if concealed else (event.actor or _("The system"))
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.from_label = State(event.from_state).label if event.from_state in State.values else ""
        event.to_label = State(event.to_state).label if event.to_state in State.values else ""
    merged = item.merged.filter(rules.visible_items_q(user, item.forum)).only("pk", "title", "forum_id")
    return {
        "raiser": rules.raiser_label(item, visible),
        "raiser_visible": visible,
        "events": events,
        "actions": list(item.actions.select_related("owner_organisation", "owner_person")),
        "comments": comments,
        "merged_items": list(merged),
        # The item this one was merged into, only if this person may see it.
        "merged_into": item.merged_into if item.merged_into and rules.can_view_item(user, item.merged_into) else None,
        "can_comment": rules.can_comment(user, item),
    }


def record_items_for(*, user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """A meeting's accepted items with their actions, for the leads' record page."""
    if not permissions.can_lead_forum(user, meeting.forum):
        raise Http404
    return (
        meeting.items.filter(state__in=rules.ACCEPTED_STATES)
        .select_related(*RELATED)
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner_organisation", "owner_person"))
        )
        .order_by("position", "created_at", "pk")
    )


def action_owner_options(*, user, forum: Forum) -> tuple[QuerySet, QuerySet]:
    """Who may own an action: the member organisations and the council, and their people."""
    if not permissions.can_lead_forum(user, forum):
        raise Http404
    member_orgs = forum.memberships.filter(status=ForumMembership.Status.ACTIVE).values("organisation_id")
    organisations = Organisation.objects.filter(Q(pk__in=member_orgs) | Q(kind=Organisation.Kind.COUNCIL)).order_by(
        "name"
    )
    people = User.objects.filter(
        pk__in=Membership.objects.active().filter(organisation__in=organisations).values("user_id"), is_active=True
    ).order_by("full_name", "email")
    return organisations, people
