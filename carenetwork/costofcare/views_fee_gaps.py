"""The fee-gap page (council staff) and the council's rates (council administrators keep them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted
from carenetwork.costofcare import fee_gaps, permissions, rates, selectors
from carenetwork.costofcare.forms_rates import CompareOnForm, CouncilRateForm
from carenetwork.costofcare.models import CouncilRate


@login_required
def fee_gap_page(request):
    """Each rate in force on a day (today unless asked) beside the minimum, and the uplifts each new wage needs."""
    require(permissions.can_view_cost_returns(request.user))
    today = timezone.localdate()
    form = CompareOnForm(request.GET if "on_0" in request.GET else None, initial={"on": today})
    on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else today
    return render(
        request,
        "costofcare/fee_gaps.html",
        {
            "form": form,
            "report": fee_gaps.fee_gaps_for(user=request.user, on=on, today=today),
            "today": today,
            "can_manage": permissions.can_manage_assumptions(request.user),
        },
    )


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
