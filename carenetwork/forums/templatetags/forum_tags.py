"""Template helpers for the shared agenda: who raised an item (by the anonymity rule) and state tags."""

from django import template
from django.utils.html import format_html

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
