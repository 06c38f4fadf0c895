"""The council's view of training, for council staff: compliance per sector, area and provider; one provider's
compliance before a quality visit; the skills gap with its trend. Counts only: no page or file names anyone.

Every page reads the maintained compliance figures (records/figures.py): a few thousand rows however many staff.
"""

import itertools
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _

from carenetwork.core import charts
from carenetwork.core.access import PAGE_SIZE, query_without_page, require
from carenetwork.core.csv import table_response
from carenetwork.organisations.models import Organisation
from carenetwork.records import compliance as compliance_report
from carenetwork.records import skills, snapshots
from carenetwork.records.forms_council import (
    BY_AREA,
    BY_CHOICES,
    BY_PROVIDER,
    BY_SECTOR,
    ComplianceFilterForm,
    SkillsGapFilterForm,
)
from carenetwork.records.permissions import can_view_compliance
from carenetwork.records.skills import Counts

TREND_CATEGORIES = 3
CHART_BARS = 10


def _table_response(basename: str, fmt: str, header: list[str], lines, *, sheet: str) -> HttpResponseBase:
    return table_response(itertools.chain([header], lines), basename, fmt, sheet=sheet)


def _counts_line(c: Counts) -> list:
    return [c.required, c.in_date, c.expiring, c.expired, c.missing, "" if c.share_in_date is None else c.share_in_date]


def _provider_counts_line(c: Counts) -> list:
    """One provider's counts for a CSV, or only that there are fewer than SMALLEST_GROUP_SHOWN people."""
    if compliance_report.is_small(c):
        return [_("fewer than %(n)s") % {"n": compliance_report.SMALLEST_GROUP_SHOWN}, "", "", "", "", ""]
    return _counts_line(c)


def _counts_header() -> list[str]:
    return [_("Required of"), _("In date"), _("Expiring soon"), _("Expired"), _("Missing"), _("Share in date (%)")]


# Compliance per sector, area or provider.


@dataclass
class ComplianceRow:
    label: str
    total: Counts
    cells: list[Counts | None]
    organisation: Organisation | None = None

    @property
    def hidden(self) -> list[bool]:
        """Whether each cell, the total first, is hidden: a provider's counts of fewer than 3 people, and its total
        when any of its categories is hidden (the total less the others would give it away)."""
        if self.organisation is None:
            return [False] * (len(self.cells) + 1)
        cells = [compliance_report.is_small(c) for c in self.cells]
        return [any(cells) or compliance_report.is_small(self.total), *cells]

    @property
    def first_hidden(self) -> bool:
        return self.hidden[1] if self.cells else False

    @property
    def shares(self) -> list[str]:
        """Each cell as markup, the total first (built here: a template per cell is slow on wide tables)."""
        of, not_required = _("of %(n)s"), _("Not required")
        return [
            _hidden_cell() if hidden else _share_cell(c, of, not_required)
            for c, hidden in zip([self.total, *self.cells], self.hidden, strict=True)
        ]


def _hidden_cell() -> str:
    return format_html(
        '<span aria-hidden="true">*</span><span class="govuk-visually-hidden">{}</span>',
        _("fewer than %(n)s people: not shown") % {"n": compliance_report.SMALLEST_GROUP_SHOWN},
    )


def _share_cell(c: Counts | None, of: str, not_required: str) -> str:
    if not c or not c.required:
        return format_html(
            '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">{}</span>', not_required
        )
    return format_html(
        '{}%<span class="app-matrix__of"><span class="govuk-visually-hidden">, </span>{}</span>',
        c.share_in_date,
        of % {"n": c.required},
    )


def _compliance_form(request, choices):
    data = request.GET.copy()
    data.setdefault("by", BY_SECTOR)
    form = ComplianceFilterForm(data, choices=choices)
    return form, form.criteria()


def _groups(criteria, counts, choices, page) -> list[tuple[object, str, Organisation | None]]:
    """(key, label, organisation) of each row, in order."""
    present = {key[1] for key in counts}
    if criteria["by"] == BY_PROVIDER:
        return [(o.pk, o.name, o) for o in page.object_list]
    if criteria["by"] == BY_AREA:
        return [(a, a or _("No area recorded"), None) for a in sorted(present, key=lambda a: (a == "", a))]
    return [(s.pk, s.name, None) for s in choices.sectors if s.pk in present]


def _compliance_rows(criteria, counts, choices, page):
    category_ids = {key[0] for key in counts}
    if criteria["category_id"]:
        category_ids.add(criteria["category_id"])
    columns = [c for c in choices.categories if c.pk in category_ids]
    rows = []
    for key, label, organisation in _groups(criteria, counts, choices, page):
        cells = [counts.get((c.pk, key)) for c in columns]
        total = sum((c for c in cells if c), Counts())
        rows.append(ComplianceRow(label=label, total=total, cells=cells, organisation=organisation))
    return columns, rows


@login_required
def compliance(request):
    """Share of staff in date for each mandatory category, per sector, area or provider."""
    require(can_view_compliance(request.user))
    choices = skills.filter_choices()
    form, criteria = _compliance_form(request, choices)
    today, window = skills.as_of()
    page = None
    if criteria["by"] == BY_PROVIDER:
        page = Paginator(compliance_report.compliance_providers(criteria), PAGE_SIZE).get_page(request.GET.get("page"))
        counts = compliance_report.compliance_counts(criteria, today, window, [o.pk for o in page.object_list])
    else:
        counts = compliance_report.compliance_counts(criteria, today, window)
    columns, rows = _compliance_rows(criteria, counts, choices, page)
    return render(
        request,
        "records/council/compliance.html",
        {
            "form": form,
            "criteria": criteria,
            "by_label": dict(BY_CHOICES)[criteria["by"]],
            "columns": columns,
            "rows": rows,
            "page": page,
            "smallest_group": compliance_report.SMALLEST_GROUP_SHOWN,
            "query": query_without_page(request),
            "today": today,
            "window": window,
        },
    )


@login_required
def compliance_csv(request, fmt="csv"):
    """The compliance figures with the same filters, one line per group and category (every provider), as CSV or
    XLSX."""
    require(can_view_compliance(request.user))
    choices = skills.filter_choices()
    _form, criteria = _compliance_form(request, choices)
    today, window = skills.as_of()
    searched = criteria["by"] == BY_PROVIDER and criteria.get("q")
    ids = list(compliance_report.compliance_providers(criteria).values_list("pk", flat=True)) if searched else None
    counts = compliance_report.compliance_counts(criteria, today, window, ids)
    names = choices.category_names()
    if criteria["by"] == BY_PROVIDER:
        labels = dict(Organisation.objects.filter(pk__in={k[1] for k in counts}).values_list("pk", "name"))
    elif criteria["by"] == BY_AREA:
        labels = {k[1]: k[1] or _("No area recorded") for k in counts}
    else:
        labels = {s.pk: s.name for s in choices.sectors}
    heading = dict(BY_CHOICES)[criteria["by"]]
    line = _provider_counts_line if criteria["by"] == BY_PROVIDER else _counts_line
    lines = sorted(
        ([labels.get(group, ""), names.get(category_id, ""), *line(c)] for (category_id, group), c in counts.items()),
        key=lambda line: (str(line[0]), str(line[1])),
    )
    return _table_response(
        f"training-compliance-by-{criteria['by']}-{today:%Y-%m-%d}",
        fmt,
        [str(heading), _("Training category"), *_counts_header()],
        lines,
        sheet=_("Training compliance"),
    )


# One provider, before a quality visit.


@login_required
def provider_compliance(request, pk):
    """One provider's mandatory training by category, counts only, with its locations: for a quality visit."""
    require(can_view_compliance(request.user))
    organisation = compliance_report.compliance_provider_get(pk, with_staff_count=True)
    today, window = skills.as_of()
    rows = compliance_report.provider_category_counts(organisation, today, window)
    total = sum((c for _name, c in rows), Counts())
    return render(
        request,
        "records/council/provider_compliance.html",
        {
            "organisation": organisation,
            "rows": rows,
            "total": total,
            # The total less the categories shown would give a hidden one away.
            "total_hidden": compliance_report.is_small(total)
            or any(compliance_report.is_small(c) for _name, c in rows),
            "smallest_group": compliance_report.SMALLEST_GROUP_SHOWN,
            # A page of locations at a time: the largest providers run thousands.
            "locations": Paginator(
                organisation.locations.filter(is_active=True).select_related("service_type").order_by("name", "pk"),
                PAGE_SIZE,
            ).get_page(request.GET.get("page")),
            "staff_count": organisation.staff_count,
            "today": today,
            "window": window,
        },
    )


@login_required
def provider_compliance_csv(request, pk, fmt="csv"):
    """One provider's compliance by category as CSV or XLSX."""
    require(can_view_compliance(request.user))
    organisation = compliance_report.compliance_provider_get(pk)
    today, window = skills.as_of()
    rows = compliance_report.provider_category_counts(organisation, today, window)
    return _table_response(
        f"training-compliance-provider-{organisation.pk}-{today:%Y-%m-%d}",
        fmt,
        [_("Training category"), *_counts_header()],
        ([name, *_provider_counts_line(c)] for name, c in rows),
        sheet=_("Training compliance"),
    )


# The skills gap.


def _gap(request):
    choices = skills.filter_choices()
    form = SkillsGapFilterForm(request.GET or None, choices=choices)
    criteria = form.criteria()
    today, window = skills.as_of()
    sector_id = getattr(criteria["sector"], "pk", None)
    params = {"sector_id": sector_id, "area": criteria["area"], "today": today, "window_days": window}
    rows = skills.skills_gap(**params)
    categories = {c.pk: c for c in choices.categories}
    for row in rows:
        row.category = categories.get(row.category_id)
    return form, criteria, rows, today, window


def _trend(criteria, rows, today):
    if criteria["category_id"]:
        chosen = [criteria["category_id"]]
    else:
        chosen = [r.category_id for r in rows if r.counts.gap][:TREND_CATEGORIES]
    points = snapshots.gap_trend(
        category_ids=chosen,
        sector_id=getattr(criteria["sector"], "pk", None),
        area=criteria["area"],
        today=today,
        current={r.category_id: r.counts for r in rows},
    )
    return chosen, points


@login_required
def skills_gap(request):
    """Where the market is short: mandatory categories ranked by how many staff lack them, and the trend."""
    require(can_view_compliance(request.user))
    form, criteria, rows, today, window = _gap(request)
    chosen, points = _trend(criteria, rows, today)
    names = {c.pk: c.name for c in form.choices.categories}
    charted = [r for r in rows if r.counts.gap][:CHART_BARS]
    bar = charts.bar_chart(
        chart_id="gap-chart",
        title=_("The largest skills gaps"),
        description=_(
            "Bar chart of the categories most staff lack, largest first: the number of staff whose training is "
            "missing or expired, with their share of the staff who need it. The table below gives every figure."
        ),
        bars=[(names.get(r.category_id, ""), r.counts.gap, f"{r.counts.gap} ({r.counts.gap_share}%)") for r in charted],
        maximum=max((r.counts.gap for r in charted), default=0),
    )
    series = [(names.get(c, ""), [p.values[c].gap_share if p.values[c] else None for p in points]) for c in chosen]
    line = charts.line_chart(
        chart_id="trend-chart",
        title=_("The skills gap month by month"),
        description=_(
            "Line chart of the share of staff lacking each category at the end of each of the last 12 months, "
            "this month so far. The table below gives the figures."
        ),
        labels=[f"{p.month:%b %y}" for p in points],
        series=series,
    )
    return render(
        request,
        "records/council/skills_gap.html",
        {
            "form": form,
            "criteria": criteria,
            "rows": rows,
            "bar_chart": bar if charted else None,
            "line_chart": line if chosen else None,
            "trend_columns": [(c, names.get(c, "")) for c in chosen],
            "trend": [(p, [p.values[c] for c in chosen]) for p in points],
            "query": request.GET.urlencode(),
            "today": today,
            "window": window,
        },
    )


@login_required
def skills_gap_csv(request, fmt="csv"):
    """The skills gap with the same filters as CSV or XLSX, largest first."""
    require(can_view_compliance(request.user))
    _form, _criteria, rows, today, _window = _gap(request)
    return _table_response(
        f"skills-gap-{today:%Y-%m-%d}",
        fmt,
        [_("Training category"), *_counts_header(), _("Lacking (missing or expired)"), _("Share lacking (%)")],
        (
            [
                r.category.name if r.category else "",
                *_counts_line(r.counts),
                r.counts.gap,
                "" if r.counts.gap_share is None else r.counts.gap_share,
            ]
            for r in rows
        ),
        sheet=_("Skills gap"),
    )
