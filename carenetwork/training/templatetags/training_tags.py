"""Tables of course runs written in one pass: the catalogue shows 25 runs a page, too many rows to render through
a template with a translation and a date filter per cell."""

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from carenetwork.training import catalogue, permissions
from carenetwork.training.models import CourseRun

register = template.Library()

STATUS_COLOUR = {
    CourseRun.Status.OPEN: "govuk-tag--blue",
    CourseRun.Status.PARTNERS: "govuk-tag--purple",
    CourseRun.Status.CONFIRMED: "govuk-tag--green",
    CourseRun.Status.CANCELLED: "govuk-tag--red",
}


def _where(run: CourseRun) -> str:
    place = escape(run.area or run.venue)
    if not run.online_link:
        return place
    return f'{place}<br><span class="govuk-body-s">{escape(_("and online"))}</span>' if place else escape(_("Online"))


@register.simple_tag
def run_rows(runs, with_course=False):
    """The rows of a table of runs (see training/courses/_run_head.html for its head)."""
    words = {
        "of": _("%(n)s of %(of)s"),
        "locked": _("£%(price)s a place"),
        "most": _("£%(price)s a place at most"),
        "all": escape(_("All sectors")),
        "for": _("For:"),
        "status": {status: escape(label) for status, label in CourseRun.Status.choices},
    }
    # One reverse() for the page: a run's address is this with its id in place of the 0.
    address = reverse("training:run-detail", args=[0]).rsplit("0/", 1)[0]
    lines = []
    for run in runs:
        href = escape(f"{address}{run.pk}/")
        starts = timezone.localtime(run.starts_at)
        day = escape(formats.date_format(starts, "D j M Y"))
        when = f'<br><span class="govuk-body-s">{starts:%H:%M}</span>'
        sectors = ", ".join(escape(s.name) for s in run.sectors.all()) or words["all"]
        where = f'<br><span class="govuk-body-s">{_where(run)}</span>'
        # Few columns, so that the table fits a desktop screen whole (GOV.UK's advice for large tables): the
        # catalogue gives the sectors under the course, and the area under the date.
        if with_course:
            course = (
                f'<td class="govuk-table__cell"><a class="govuk-link" href="{href}">{escape(run.course.title)}</a>'
                f'<br><span class="govuk-body-s">{escape(run.course.provider.name)}</span>'
                f'<br><span class="govuk-body-s">{escape(words["for"])} {sectors}</span></td>'
            )
            date = f'<td class="govuk-table__cell"><span class="app-nowrap">{day}</span>{when}{where}</td>'
            sectors_cell = ""
        else:
            course = ""
            hidden = f'<span class="govuk-visually-hidden"> {escape(run.course.title)}</span>'
            link = f'<a class="govuk-link app-nowrap" href="{href}">{day}{hidden}</a>'
            date = f'<td class="govuk-table__cell">{link}{when}{where}</td>'
            sectors_cell = f'<td class="govuk-table__cell">{sectors}</td>'
        price = words["locked" if run.status == CourseRun.Status.CONFIRMED else "most"] % {"price": run.current_price}
        lines.append(
            f'<tr class="govuk-table__row">{course}{date}'
            f'<td class="govuk-table__cell govuk-table__cell--numeric app-nowrap">'
            f"{escape(words['of'] % {'n': run.places_taken, 'of': run.capacity})}</td>"
            f'<td class="govuk-table__cell">{escape(price)}</td>{sectors_cell}'
            f'<td class="govuk-table__cell"><strong class="govuk-tag app-nowrap {STATUS_COLOUR[run.status]}">'
            f"{words['status'][run.status]}</strong></td></tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped


@register.inclusion_tag("training/_nav.html", takes_context=True)
def training_nav(context, current: str = ""):
    """The brokerage's own menu: what this person's roles offer, on every training page."""
    user = context["request"].user
    takers = permissions.booking_organisations(user)
    return {
        "current": current,
        "training_organisations": permissions.training_organisations(user),
        "can_review": permissions.can_review_courses(user),
        "waiting": catalogue.waiting_for_review_count(user),
        "takes_places": bool(takers),
        "survey_organisations": [o for o in takers if permissions.can_answer_demand_survey(user, o)],
        "can_view_programme": permissions.can_view_programme(user),
    }
