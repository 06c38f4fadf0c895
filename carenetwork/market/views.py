"""The market pages: an overview, predicted demand, current supply, sustainability (council staff) and settings.

Each table page offers its table as CSV and XLSX (?download=csv or xlsx), made from the rows the page shows; the
returns page offers each of its three tables at returns/completion/<table>.csv or .xlsx.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core import charts
from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.market import demand, permissions, returns, supply, tables
from carenetwork.market.forms import CapacityReturnForm, MarketSettingsForm, SupplyFilterForm
from carenetwork.market.models import MarketSettings, PopulationRelease
from carenetwork.market.services import market_settings_save


def _download(request, table: tables.Table, name: str):
    """The table as a file when the page was asked for one, else None."""
    kind = request.GET.get("download")
    if not kind:
        return None
    return table_response(table.download_rows(), name, kind, sheet=name.replace("-", " ").capitalize())


def _render(request, template: str, context: dict):
    """A market page, with what its navigation needs."""
    context.setdefault("can_view_sustainability", permissions.can_view_sustainability(request.user))
    return render(request, template, context)


@login_required
def overview(request):
    """What the market pages hold, and what the council's area and population release are."""
    require(permissions.can_view_market(request.user))
    settings = MarketSettings.current()
    return _render(
        request,
        "market/overview.html",
        {
            "area": demand.council_area(settings.area_codes),
            "releases": list(PopulationRelease.objects.all()),
            "can_manage": permissions.can_manage_market_settings(request.user),
            "can_make_returns": bool(permissions.return_organisations(request.user)),
        },
    )


@login_required
def demand_page(request):
    """People 65+, 75+ and 85+ and with each condition, per year to 2040, for the council's area."""
    require(permissions.can_view_market(request.user))
    result = demand.demand()
    table = tables.demand_table(result)
    response = _download(request, table, "predicted-demand")
    if response:
        return response
    chart_args = tables.demand_chart(result)
    chart = charts.line_chart(chart_id="demand-chart", **chart_args) if chart_args else None
    return _render(
        request,
        "market/demand.html",
        {
            "result": result,
            "table": table,
            "chart": chart,
            "can_manage": permissions.can_manage_market_settings(request.user),
        },
    )


@login_required
def supply_page(request):
    """Every sub-market's locations, providers, capacity and ratings; to providers, small sub-markets hidden."""
    require(permissions.can_view_market(request.user))
    form = SupplyFilterForm(request.GET or None)
    criteria = form.criteria()
    result = supply.supply(by=criteria["by"], service_type=criteria["service_type"])
    table = tables.supply_table(result.sub_markets, every_figure=permissions.sees_every_figure(request.user))
    response = _download(request, table, "market-supply")
    if response:
        return response
    return _render(
        request,
        "market/supply.html",
        {"form": form, "result": result, "table": table, "rows": list(zip(table.rows, table.hidden, strict=True))},
    )


@login_required
def sustainability_page(request):
    """Each sub-market's concentration, largest provider and whether the rest could absorb its failure."""
    require(permissions.can_view_sustainability(request.user))
    form = SupplyFilterForm(request.GET or None)
    criteria = form.criteria()
    result = supply.supply(by=criteria["by"], service_type=criteria["service_type"])
    supply.name_largest(result.sub_markets)
    thresholds = supply.thresholds()
    table = tables.sustainability_table(result.sub_markets, thresholds)
    response = _download(request, table, "market-sustainability")
    if response:
        return response
    counts = {colour: sum(1 for row in table.rows if row[8] == colour) for colour in ("red", "amber", "green")}
    return _render(
        request,
        "market/sustainability.html",
        {
            "form": form,
            "result": result,
            "table": table,
            "thresholds": thresholds,
            "counts": counts,
            "oversight": supply.market_oversight(),
        },
    )


@login_required
def settings_page(request):
    """The council's area (ONS codes) and the sustainability thresholds."""
    require(permissions.can_manage_market_settings(request.user))
    form = MarketSettingsForm(request.POST or None, instance=MarketSettings.current())
    saved = submitted(request, form, lambda data: market_settings_save(actor=request.user, data=data))
    if saved:
        messages.success(request, _("The market settings have been saved"))
        return redirect("market:settings")
    return render(request, "market/settings.html", {"form": form})


# Capacity returns ------------------------------------------------------------------------------------------------


@login_required
def returns_list(request):
    """A provider admin's locations with this month's return: 'no change' in one button, or the figures."""
    organisations = permissions.return_organisations(request.user)
    require(bool(organisations))
    month = returns.this_month()
    settings = MarketSettings.current()
    page = Paginator(returns.locations_for(organisations), PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "market/returns.html",
        {
            "page": page,
            "statuses": returns.statuses_for(page.object_list, month),
            "several": len(organisations) > 1,
            "month": month,
            "settings": settings,
        },
    )


def _returning_location(request, pk: int):
    location = get_object_or_404(returns.returning_locations().select_related("organisation", "service_type"), pk=pk)
    require(permissions.can_make_return(request.user, location))
    return location


@login_required
def return_edit(request, pk: int):
    """This month's figures for one location, pre-filled from its latest return."""
    location = _returning_location(request, pk)
    month = returns.this_month()
    current = location.capacity_returns.filter(month=month).first()
    form = CapacityReturnForm(
        request.POST or None, location=location, initial_return=current or returns.latest_before(location, month)
    )
    saved = submitted(
        request, form, lambda data: returns.capacity_return_save(actor=request.user, location=location, data=data)
    )
    if saved:
        messages.success(request, _("The return for %(name)s has been saved") % {"name": location.name})
        return redirect("market:returns")
    return render(request, "market/return_edit.html", {"form": form, "location": location, "month": month})


@require_POST
@login_required
def return_no_change(request, pk: int):
    """This month's return as last month's."""
    location = _returning_location(request, pk)
    try:
        returns.capacity_return_no_change(actor=request.user, location=location)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s: no change since last month, saved") % {"name": location.name})
    return redirect("market:returns")


@login_required
def returns_completion(request):
    """Which providers and sectors have returned this month, and the market's totals month by month."""
    require(permissions.can_view_returns_completion(request.user))
    month = returns.this_month()
    totals = returns.totals_by_month(month)
    chart = None
    if totals:
        chart = charts.line_chart(
            chart_id="returns-chart",
            title=_("Occupancy and agency staff, month by month"),
            description=_(
                "Line chart of the share of beds occupied and the share of staff from agencies, from the capacity "
                "returns. The table gives the figures."
            ),
            labels=[f"{t.month:%b %y}" for t in totals],
            series=[
                (_("Beds occupied"), [t.occupancy for t in totals]),
                (_("Agency staff"), [t.agency_share for t in totals]),
            ],
        )
    return _render(
        request,
        "market/returns_completion.html",
        {
            "month": month,
            "providers": Paginator(returns.completion(month, by="organisation"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "by_sector": returns.completion(month, by="sector"),
            "totals": totals,
            "chart": chart,
        },
    )


# The returns page's tables as files: the month-by-month totals, and this month's returns by sector and by provider
# (every provider, not a page of them).
COMPLETION_DOWNLOADS = ("months", "sectors", "providers")


@login_required
def returns_completion_download(request, table: str, fmt: str = "csv"):
    """One of the returns page's tables as CSV or XLSX."""
    require(permissions.can_view_returns_completion(request.user))
    if table not in COMPLETION_DOWNLOADS:
        raise Http404
    month = returns.this_month()
    if table == "months":
        rows = tables.returns_totals_table(returns.totals_by_month(month))
    elif table == "sectors":
        rows = tables.completion_table(returns.completion(month, by="sector"), _("Sector"))
    else:
        rows = tables.completion_table(returns.completion(month, by="organisation"), _("Provider"))
    return table_response(
        rows.download_rows(), f"capacity-returns-{table}-{month:%Y-%m}", fmt, sheet=_("Capacity returns")
    )
