"""The opportunities board (public), one opportunity's page, and a supplier registering interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import query_without_page, require
from carenetwork.procurement import awards, checklist, permissions, questions, selectors, services
from carenetwork.procurement.forms import BoardFilterForm
from carenetwork.procurement.models import Opportunity

PAGE_SIZE = 20


def board(request):
    """Open opportunities (or closed ones, for reference), filtered by service, area, value and reservation."""
    can_manage = permissions.can_manage(request.user)
    # Open opportunities unless asked otherwise, with "Open" chosen in the filter to say so.
    data = request.GET.copy() if request.GET else None
    if data is not None and not data.get("show"):
        data["show"] = "open"
    form = BoardFilterForm(data, areas=selectors.board_areas(), council=can_manage, initial={"show": "open"})
    page = Paginator(selectors.board(form.criteria()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/board.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "showing_closed": form.criteria()["show"] != "open",
            "can_manage": can_manage,
            "drafts": Opportunity.objects.filter(status=Opportunity.Status.DRAFT).order_by("-modified_at")
            if can_manage
            else [],
        },
    )


def _visible(request, pk: int) -> Opportunity:
    try:
        opportunity = selectors.opportunity_with_parts(pk)
    except Opportunity.DoesNotExist as missing:
        raise Http404 from missing
    if not permissions.can_view(request.user, opportunity):
        raise Http404
    return opportunity


def detail(request, pk: int):
    """The opportunity as a provider reads it; for council staff also the rule advice and what is left to do."""
    opportunity = _visible(request, pk)
    user = request.user
    can_manage = permissions.can_manage(user)
    organisation = permissions.acting_organisation(user)
    context = {
        "opportunity": opportunity,
        "is_open": selectors.is_open(opportunity),
        "can_manage": can_manage,
        "organisation": organisation,
        "interested": selectors.interested(opportunity, organisation),
        **questions.clarifications_context(user=user, opportunity=opportunity),
    }
    context["own_bids"], context["own_contracts"] = selectors.own_bids_and_contracts(opportunity, organisation)
    if can_manage:
        context["advice"] = services.advice_for(opportunity)
        context["checklist"] = checklist.by_stage()
        context["problems"] = (
            services.problems_before_publishing(opportunity) if opportunity.status == Opportunity.Status.DRAFT else []
        )
        context["editable"] = permissions.can_edit(opportunity)
        context["can_cancel"] = permissions.can_cancel(opportunity)
        context["can_award"] = awards.award_refusal(opportunity, timezone.localdate()) is None
    return render(request, "procurement/detail.html", context)


@login_required
@require_POST
def interest(request, pk: int):
    """Register (or withdraw) the supplier's interest: it is then sent every answer to a question."""
    opportunity = _visible(request, pk)
    organisation = permissions.acting_organisation(request.user)
    require(organisation is not None)
    if request.POST.get("withdraw"):
        services.withdraw_interest(actor=request.user, opportunity=opportunity, organisation=organisation)
        messages.success(
            request, _("%(organisation)s is no longer registered as interested") % {"organisation": organisation}
        )
    elif selectors.is_open(opportunity):
        services.register_interest(actor=request.user, opportunity=opportunity, organisation=organisation)
        messages.success(
            request,
            _("%(organisation)s is registered as interested: you will be emailed every answer")
            % {"organisation": organisation},
        )
    else:
        messages.error(request, _("This opportunity is closed"))
    return redirect("procurement:detail", pk=opportunity.pk)
