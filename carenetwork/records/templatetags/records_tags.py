"""Showing a person's standing in a category as a GOV.UK tag: colour and words together, never colour alone."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from carenetwork.records.rules import Status

register = template.Library()

TAG_COLOUR = {
    Status.IN_DATE: "govuk-tag--green",
    Status.EXPIRING: "govuk-tag--yellow",
    Status.EXPIRED: "govuk-tag--red",
    Status.MISSING: "govuk-tag--grey",
}


@register.simple_tag
def status_tag(status, expires_on=None):
    """A tag for the status, with the expiry date when there is one."""
    if status is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">{}</span>', _("Not required")
        )
    status = Status(status)
    date = format_html('<br><span class="govuk-body-s">{}</span>', f"{expires_on:%d/%m/%Y}") if expires_on else ""
    return format_html('<strong class="govuk-tag {}">{}</strong>{}', TAG_COLOUR[status], status.label, date)
