"""The market's tables, as header and rows of plain values: the pages show them and the CSV and XLSX downloads are
made from the very same rows, so a download never says more than the page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from carenetwork.market import metrics
from carenetwork.market.demand import AGE_GROUPS, Demand
from carenetwork.market.supply import SubMarket

VERDICTS = ("red", "amber", "green")


def verdict_tag(colour: str) -> SafeString:
    """A verdict as a GOV.UK tag: red, amber (the orange tag) or green, in words."""
    css = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}[colour]
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        css,
        {"red": _("Red"), "amber": _("Amber"), "green": _("Green")}[colour],
    )


@dataclass
class Table:
    header: list[str]
    rows: list[list]
    hidden: list[list[bool]]
    notes: list[str]

    def html_rows(self) -> list[SafeString]:
        """Each row as table markup, built here (a template tag per cell is slow on wide tables): the first cell
        heads the row, numbers are right-aligned with thousands separators, a hidden cell says why, a verdict is a
        coloured tag."""
        hidden_text = _("not shown: fewer than %(n)s providers") % {"n": metrics.SMALLEST_GROUP_SHOWN}
        hidden = (
            '<td class="govuk-table__cell govuk-table__cell--numeric"><span aria-hidden="true">*</span>'
            f'<span class="govuk-visually-hidden">{escape(hidden_text)}</span></td>'
        )
        tags = {c: f'<td class="govuk-table__cell">{verdict_tag(c)}</td>' for c in VERDICTS}
        numeric, text = '<td class="govuk-table__cell govuk-table__cell--numeric">', '<td class="govuk-table__cell">'
        out = []
        for row, hides in zip(self.rows, self.hidden, strict=True):
            cells = [f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escape(row[0])}</th>']
            for value, hide in zip(row[1:], hides[1:], strict=True):
                if hide:
                    cells.append(hidden)
                elif isinstance(value, str) and value in tags:
                    cells.append(tags[value])
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cells.append(f"{numeric}{value:,}</td>")
                else:
                    cells.append(f"{text}{'–' if value is None else escape(value)}</td>")
            cells.append("</tr>")
            out.append(mark_safe("".join(cells)))  # every value in it is escaped or a number
        return out

    def download_rows(self) -> list[list]:
        """The rows for a file: a hidden cell says why it is empty."""
        hidden_text = _("not shown: fewer than %(n)s providers") % {"n": metrics.SMALLEST_GROUP_SHOWN}
        return [self.header] + [
            [hidden_text if hide else value for value, hide in zip(row, hides, strict=True)]
            for row, hides in zip(self.rows, self.hidden, strict=True)
        ]


def _whole(value: Decimal | None) -> int | None:
    return None if value is None else int(value.quantize(Decimal(1)))


def demand_table(result: Demand) -> Table:
    """A row per year: people 65+, 75+, 85+, then people predicted to have each condition (whole people)."""
    header = [_("Year"), *[str(label) for _low, label in AGE_GROUPS], *[c.name for c in result.conditions]]
    rows = [[y.year, *[_whole(v) for v in y.ages], *[_whole(v) for v in y.conditions]] for y in result.years]
    return Table(header, rows, [[False] * len(header) for _row in rows], [])


def _nice_maximum(value: int) -> int:
    """A round axis maximum at or above the value: 1, 2 or 5 times a power of ten."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def demand_chart(result: Demand) -> dict | None:
    """The keyword arguments of `core.charts.line_chart` for people aged 65, 75 and 85 and over, year by year (plain
    values, so a published statement can keep them); None without figures."""
    if not result.years:
        return None
    series = [(str(label), [int(y.ages[i]) for y in result.years]) for i, (_low, label) in enumerate(AGE_GROUPS)]
    return {
        "title": _("People aged 65, 75 and 85 and over, year by year"),
        "description": _("Line chart of the projected number of older people each year. The table gives the figures."),
        "labels": [str(y.year) for y in result.years],
        "series": series,
        "maximum": _nice_maximum(max(max(values) for _name, values in series)),
        "suffix": "",
    }


def _pct(value) -> Decimal | None:
    return metrics.rounded(value)


def supply_table(markets: list[SubMarket], *, every_figure: bool) -> Table:
    """A row per sub-market: locations, providers, capacity and ratings spread. Without `every_figure` (providers),
    a sub-market about fewer than three providers is hidden, and another of its service type with it where the
    service type's total would give it away."""
    header = [
        _("Service type"),
        _("Area"),
        _("Locations"),
        _("Providers"),
        _("Capacity"),
        _("Unit"),
        _("Good or outstanding (%)"),
        _("Requires improvement or inadequate (%)"),
        _("Not rated (%)"),
        _("Occupancy (%)"),
        _("Vacancies accepting admissions"),
        _("Agency staff (%)"),
    ]
    rows, hidden = [], []
    by_type: dict[int, list[int]] = {}
    for m in markets:
        by_type.setdefault(m.service_type.pk, []).append(len(rows))
        rows.append(
            [
                m.service_type.name,
                m.area or _("Not known"),
                m.locations,
                m.providers,
                m.capacity,
                m.unit_label,
                _pct(m.good),
                _pct(m.poor),
                _pct(m.unrated),
                _pct(m.occupancy),
                m.vacancies,
                _pct(m.agency_share),
            ]
        )
        hidden.append([False] * len(header))
    if not every_figure:
        for indexes in by_type.values():
            # The kept figures count providers without naming them: take each cell's providers as the same ones
            # as far as they can be (the union of cells is then the largest count), which hides at least as much as
            # knowing them would.
            cells = [metrics.Cell(frozenset(range(markets[i].providers))) for i in indexes]
            hide, _total = metrics.suppressed(cells)
            for i, h in zip(indexes, hide, strict=True):
                if h:
                    hidden[i] = [False, False] + [True] * (len(header) - 2)
    notes = []
    if any(any(h) for h in hidden):
        notes.append(
            _(
                "Figures for a sub-market of fewer than %(n)s providers are not shown, so that no provider's own "
                "figures can be read from them; where one would follow from the others, another is not shown either."
            )
            % {"n": metrics.SMALLEST_GROUP_SHOWN}
        )
    return Table(header, rows, hidden, notes)


def sustainability_table(markets: list[SubMarket], thresholds: metrics.Thresholds) -> Table:
    """A row per sub-market: providers, capacity, the largest provider and its share, HHI, the absorb-failure test
    and the verdict with its reasons (council staff only)."""
    header = [
        _("Service type"),
        _("Area"),
        _("Providers"),
        _("Capacity"),
        _("Largest provider"),
        _("Largest share (%)"),
        _("Concentration (HHI)"),
        _("Places the others could not take"),
        _("Verdict"),
        _("Why"),
    ]
    rows = []
    for m in markets:
        verdict = m.verdict(thresholds)
        shortfall = m.absorption.shortfall
        rows.append(
            [
                m.service_type.name,
                m.area or _("Not known"),
                m.providers,
                m.capacity,
                m.largest_name,
                _pct(m.largest_share),
                metrics.rounded(m.hhi, 0),
                _("not known") if shortfall is None else shortfall,
                verdict.colour,
                "; ".join(verdict.reasons),
            ]
        )
    return Table(header, rows, [[False] * len(header) for _row in rows], [])


def _plain(header: list[str], rows: list[list]) -> Table:
    return Table(header, rows, [[False] * len(header) for _row in rows], [])


def returns_totals_table(totals) -> Table:
    """The capacity returns' totals month by month (returns.totals_by_month): what the returns page shows."""
    header = [
        _("Month"),
        _("Returns"),
        _("Beds"),
        _("Occupied"),
        _("Occupied (%)"),
        _("Vacant, accepting"),
        _("Agency staff (%)"),
    ]
    rows = [[f"{t.month:%Y-%m}", t.returns, t.beds, t.occupied, t.occupancy, t.vacant, t.agency_share] for t in totals]
    return _plain(header, rows)


def completion_table(completions, first: str) -> Table:
    """This month's returns made of those asked, a row per sector or provider (returns.completion)."""
    header = [first, _("Services returned"), _("Services asked"), _("Complete (%)")]
    return _plain(header, [[c.label, c.returned, c.asked, c.share] for c in completions])
