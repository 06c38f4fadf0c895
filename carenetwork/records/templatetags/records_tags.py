"""Showing a person's standing in a category as a GOV.UK tag: colour and words together, never colour alone."""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from carenetwork.records.rules import Status

register = template.Library()
ANY_PK = 987654321  # stands for each person's id in the one URL reversed for a page of the matrix

TAG_COLOUR = {
    Status.IN_DATE: "govuk-tag--green",
    Status.EXPIRING: "govuk-tag--yellow",
    Status.EXPIRED: "govuk-tag--red",
    Status.MISSING: "govuk-tag--grey",
}


def _tag_html(status, expires_on) -> str:
    if status is None:
        hidden = escape(_("Not required"))
        return f'<span aria-hidden="true">–</span><span class="govuk-visually-hidden">{hidden}</span>'
    status = Status(status)
    label = escape(status.label)
    date = f'<br><span class="govuk-body-s">{expires_on:%d/%m/%Y}</span>' if expires_on else ""
    return f'<strong class="govuk-tag {TAG_COLOUR[status]}">{label}</strong>{date}'


@register.simple_tag
def status_tag(status, expires_on=None):
    """A tag for the status, with the expiry date when there is one."""
    return mark_safe(_tag_html(status, expires_on))  # noqa: S308 - built from escaped text and dates only


def _staff_href(organisation_pk):
    """A person's page on the register, from one URL reversed for the whole table: a table has fifty people."""
    before, after = (
        escape(part) for part in reverse("records:staff-detail", args=[organisation_pk, ANY_PK]).rsplit(str(ANY_PK), 1)
    )
    return lambda staff_pk: f"{before}{staff_pk}{after}"


@register.simple_tag
def expiring_body(covers, organisation_pk):
    """The overview's rows of training expiring soon (person, category, expiry date) in one pass, as the matrix's."""
    href = _staff_href(organisation_pk)
    dates = {}
    lines = []
    for cover in covers:
        if cover.expires_on not in dates:
            dates[cover.expires_on] = escape(date_format(cover.expires_on, "j M Y"))
        lines.append(
            f'<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" '
            f'href="{href(cover.staff_id)}">{escape(cover.staff.name)}</a></td>'
            f'<td class="govuk-table__cell">{escape(cover.category.name)}</td>'
            f'<td class="govuk-table__cell">{dates[cover.expires_on]}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped


@register.simple_tag
def matrix_body(rows, organisation_pk):
    """The matrix's rows in one pass: a page holds 50 people × a dozen or more categories, too many cells to render
    through a template tag each (and too many people to reverse a URL for each)."""
    tags = {status: _tag_html(status, None) for status in Status}
    tags[None] = _tag_html(None, None)
    href = _staff_href(organisation_pk)
    dates = {}
    lines = []
    for row in rows:
        person = row.staff
        cells = []
        for cell in row.cells:
            if cell.expires_on:
                if cell.expires_on not in dates:
                    dates[cell.expires_on] = f'<br><span class="govuk-body-s">{cell.expires_on:%d/%m/%Y}</span>'
                cells.append(f'<td class="govuk-table__cell">{tags[cell.status]}{dates[cell.expires_on]}</td>')
            else:
                cells.append(f'<td class="govuk-table__cell">{tags[cell.status]}</td>')
        lines.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{href(person.pk)}">{escape(person.name)}</a><br>'
            f'<span class="govuk-body-s">{escape(person.job_role.name)}</span></th>{"".join(cells)}</tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped
