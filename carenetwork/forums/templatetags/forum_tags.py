"""Template helpers for the shared agenda: who raised an item (by the anonymity rule) and state tags."""

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from carenetwork.forums import agenda_permissions
from carenetwork.forums.models import AgendaItem

register = template.Library()

State = AgendaItem.State
STATE_COLOURS = {
    State.RAISED: "grey",
    State.ON_AGENDA: "blue",
    State.DISCUSSED: "light-blue",
    State.ACTION_IN_PROGRESS: "yellow",
    State.FED_BACK: "green",
    State.CLOSED: "grey",
    State.DECLINED: "red",
    State.MERGED: "purple",
}


@register.filter
def raiser(item, user) -> str:
    """Who raised the item, as this person may see it: `{{ item|raiser:user }}`."""
    return agenda_permissions.raiser_label(item, agenda_permissions.can_see_raiser(user, item))


@register.simple_tag
def state_tag(item):
    """The item's state as a GOV.UK tag."""
    colour = STATE_COLOURS.get(item.state, "grey")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, item.get_state_display())


@register.simple_tag
def agenda_sections(items, meeting, is_lead) -> dict:
    """Split a meeting's items (from `issue_log.agenda_for`) into the agenda people may see and the rest."""
    show_agenda = bool(is_lead or meeting.agenda_published_at)
    on_agenda, others = [], []
    for item in items:
        accepted = item.state in agenda_permissions.ACCEPTED_STATES
        (on_agenda if accepted and show_agenda else others).append(item)
    return {"on_agenda": on_agenda, "others": others}


@register.simple_tag
def issue_log_rows(items, user, forum):
    """The issue log's table rows, written in one pass: the issue log is the forum's busiest page, and
    through the template engine a page of rows cost twice as much."""
    item_url = reverse("forums:item-detail", args=[forum.slug, 0])[: -len("0/")]
    states = {value: str(label) for value, label in State.choices}
    categories = {value: str(label) for value, label in AgendaItem.Category.choices}
    meetings = {}  # items of one meeting share its label

    def meeting_label(item):
        if not item.meeting_id:
            return _("Waiting")
        if item.meeting_id not in meetings:
            meetings[item.meeting_id] = str(item.meeting)
        return meetings[item.meeting_id]

    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{}{}/">{}</a><br>'
        '<span class="govuk-body-s">{}, {}</span></td><td class="govuk-table__cell"><strong class="govuk-tag '
        'govuk-tag--{}">{}</strong></td><td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
        "</tr>",
        (
            (
                item_url,
                item.pk,
                item.title,
                categories.get(item.category, item.category),
                dateformat.format(timezone.localtime(item.created_at), "j M Y"),
                STATE_COLOURS.get(item.state, "grey"),
                states.get(item.state, item.state),
                meeting_label(item),
                agenda_permissions.raiser_label(item, agenda_permissions.can_see_raiser(user, item)),
            )
            for item in items
        ),
    )
