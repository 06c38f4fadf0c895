"""The fee-gap page (council staff), its table of rates in force as CSV or XLSX, and the council's rates (council
administrators keep them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.costofcare import fee_gaps, permissions, rates, selectors
from carenetwork.costofcare.forms_rates import CompareOnForm, CouncilRateForm
from carenetwork.costofcare.models import CouncilRate


def _compare_on(request):
    """The day asked for (today unless asked), with its form and today."""
    today = timezone.localdate()
    form = CompareOnForm(request.GET if "on_0" in request.GET else None, initial={"on": today})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else today
    return form, on, today


@login_required
def fee_gap_page(request):
    """Each rate in force on a day (today unless asked) beside the minimum, and the uplifts each new wage needs."""
    require(permissions.can_view_cost_returns(request.user))
    form, on, today = _compare_on(request)
    return render(
        request,
        "costofcare/fee_gaps.html",
        {
            "form": form,
            "report": fee_gaps.fee_gaps_for(user=request.user, on=on, today=today),
            "today": today,
            "can_manage": permissions.can_manage_assumptions(request.user),
            "query": request.GET.urlencode(),
        },
    )


def fee_gap_rows(comparison: fee_gaps.Comparison) -> list[list]:
    """The page's table of rates in force, for a file: a header, then a row per rate. Money in pounds as numbers;
    what the page says in words ('Not known', 'Not applicable') stays empty or in words."""
    rows = [
        [
            _("Service"),
            _("Kind of rate"),
            _("In force from"),
            _("Rate (£)"),
            _("Rate per"),
            _("Volume a week"),
            _("Minimum (£)"),
            _("Gap (£)"),
            _("Gap a year (£)"),
            _("Homecare Association price (£)"),
            _("Below the Homecare Association price by (£)"),
            _("Status"),
        ]
    ]
    for g in comparison.gaps:
        rate = g.rate
        known = g.minimum is not None
        if g.below:
            status = _("Below the minimum")
        else:
            status = _("At or above") if known else _("Not known")
        rows.append(
            [
                rate.get_service_type_display(),
                rate.get_source_display(),
                rate.effective_from.isoformat(),
                rate.rate,
                _("an hour") if rate.per_hour else _("a week"),
                rate.weekly_volume,
                g.minimum,
                g.gap if known else None,
                g.gap_per_year if known else None,
                g.homecare_association_price if rate.per_hour else None,
                g.homecare_association_gap if rate.per_hour and g.homecare_association_price is not None else None,
                status,
            ]
        )
    return rows


@login_required
def fee_gaps_download(request, fmt="csv"):
    """The rates in force on the day asked, beside the minimum, as CSV or XLSX: the page's table."""
    require(permissions.can_view_cost_returns(request.user))
    _form, on, today = _compare_on(request)
    report = fee_gaps.fee_gaps_for(user=request.user, on=on, today=today)
    return table_response(fee_gap_rows(report.current), f"fee-gaps-{on.isoformat()}", fmt, sheet=_("Fee gaps"))


@login_required
def rate_list(request):
    """Every rate the council has recorded, by type of service, newest first."""
    recorded = selectors.council_rate_list_for(user=request.user)
    return render(
        request,
        "costofcare/rates.html",
        {"rates": recorded, "can_manage": permissions.can_manage_assumptions(request.user)},
    )


@login_required
def rate_form(request, pk: int | None = None):
    """Add a rate, or correct one (audited)."""
    require(permissions.can_manage_assumptions(request.user))
    council_rate = get_object_or_404(CouncilRate, pk=pk) if pk else None
    form = CouncilRateForm(request.POST or None, instance=council_rate)
    saved = submitted(
        request, form, lambda data: rates.council_rate_save(actor=request.user, data=data, council_rate=council_rate)
    )
    if saved:
        messages.success(request, _("The rate for %(rate)s has been saved") % {"rate": saved})
        return redirect("costofcare:fee-gaps")
    return render(request, "costofcare/rate_form.html", {"form": form, "council_rate": council_rate})
