"""The market's own live blocks for the position statement: predicted demand, current supply, sustainability and the
needed services. The statement is public, so each shows what a provider may see: sub-markets of fewer than three
providers are hidden, and no provider is named."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from carenetwork.core.registry import BlockFigures, StatementBlock
from carenetwork.market import demand, metrics, supply, tables


def _figures(title: str, table: tables.Table, chart: dict | None = None) -> BlockFigures:
    return BlockFigures(
        title=title, header=table.header, rows=table.rows, notes=table.notes, hidden=table.hidden, chart=chart
    )


def demand_block() -> BlockFigures:
    result = demand.demand()
    title = _("Predicted demand")
    if result.release:
        title = _("Predicted demand (%(release)s)") % {"release": result.release}
    return _figures(title, tables.demand_table(result), tables.demand_chart(result))


def supply_block() -> BlockFigures:
    result = supply.supply()
    return _figures(_("Current supply"), tables.supply_table(result.sub_markets, every_figure=False))


# A provider knows its own share: with its HHI, a sub-market of three gives away both competitors' shares (two
# unknowns, two equations); from four providers up it does not.
HHI_FROM = metrics.SMALLEST_GROUP_SHOWN + 1


def sustainability_block() -> BlockFigures:
    """Each sub-market's verdict, and its concentration from four providers up; never the largest provider's name or
    share, nor the verdict's reasons (they state the share and the largest provider's places)."""
    result = supply.supply()
    thresholds = supply.thresholds()
    header = [_("Service type"), _("Area"), _("Providers"), _("Concentration (HHI)"), _("Verdict")]
    rows, hidden = [], []
    for m in result.sub_markets:
        rows.append(
            [
                m.service_type.name,
                m.area or _("Not known"),
                m.providers,
                metrics.rounded(m.hhi, 0),
                m.verdict(thresholds).colour,
            ]
        )
        small = m.providers < metrics.SMALLEST_GROUP_SHOWN
        hidden.append([False, False, False, m.providers < HHI_FROM, small])
    notes = [
        _(
            "Concentration is the Herfindahl–Hirschman index of providers' shares of capacity (0 to 10,000): amber "
            "from %(amber)s, red from %(red)s. It is shown for %(hhi)s or more providers, and the verdict for "
            "%(n)s or more, so that no provider's share can be worked out."
        )
        % {
            "amber": f"{thresholds.hhi_amber:,}",
            "red": f"{thresholds.hhi_red:,}",
            "hhi": HHI_FROM,
            "n": metrics.SMALLEST_GROUP_SHOWN,
        }
    ]
    return BlockFigures(title=_("Market sustainability"), header=header, rows=rows, notes=notes, hidden=hidden)


def needed_services_block() -> BlockFigures:
    from carenetwork.market.models import NeededService
    from carenetwork.market.needed import OPEN_STATUSES

    needs = NeededService.objects.filter(status__in=OPEN_STATUSES).order_by("pk")
    return BlockFigures(
        title=_("Needed and desired services"),
        header=[_("Service needed"), _("Who it is for"), _("Where"), _("Status")],
        rows=[[n.service, n.get_client_group_display(), n.locality, n.get_status_display()] for n in needs],
        notes=[_("Register your interest in any of these on the needed services page.")],
    )


BLOCKS = [
    StatementBlock("demand", _l("Predicted demand (table and chart)"), demand_block),
    StatementBlock("supply", _l("Current supply"), supply_block),
    StatementBlock("sustainability", _l("Market sustainability"), sustainability_block),
    StatementBlock("needed-services", _l("Needed and desired services"), needed_services_block),
]
