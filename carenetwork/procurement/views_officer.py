"""The council's side: drafting an opportunity with live rule advice, its lots, criteria and documents, and
publishing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import id_param, require
from carenetwork.core.forms_errors import submitted
from carenetwork.procurement import checklist, permissions, services
from carenetwork.procurement.forms import PART_FORMS, CancelForm, OpportunityForm
from carenetwork.procurement.models import Opportunity


def _advice_from_form(form, opportunity) -> list:
    """Advice for what the form says now, valid or not (fields with errors are left as they were)."""
    form.is_valid()
    return services.advice_for(form.instance, lots=opportunity.lots.count() if opportunity else None)


@login_required
def opportunity_form(request, pk: int | None = None):
    """Draft a new opportunity or change one; "Check the advice" shows the advice without saving."""
    require(permissions.can_manage(request.user))
    opportunity = get_object_or_404(Opportunity, pk=pk) if pk else None
    if opportunity and not permissions.can_edit(opportunity):
        raise Http404
    form = OpportunityForm(request.POST or None, instance=opportunity)
    checking = request.method == "POST" and "check" in request.POST
    saved = (
        None
        if checking
        else submitted(
            request,
            form,
            lambda data: services.opportunity_save(actor=request.user, data=data, opportunity=opportunity),
        )
    )
    if saved:
        messages.success(request, _("%(title)s has been saved") % {"title": saved})
        return redirect("procurement:detail", pk=saved.pk)
    advice = _advice_from_form(form, opportunity) if form.is_bound else services.advice_for(form.instance)
    return render(
        request,
        "procurement/opportunity_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "advice": advice,
            "checklist": checklist.by_stage(),
        },
    )


@login_required
@require_POST
def advice(request):
    """The advice panel for the form's current values, for the form's script to put in place as they change."""
    require(permissions.can_manage(request.user))
    opportunity = None
    if "opportunity" in request.GET:
        opportunity = Opportunity.objects.filter(pk=id_param(request.GET["opportunity"])).first()
    form = OpportunityForm(request.POST, instance=opportunity)
    return render(request, "procurement/_advice.html", {"advice": _advice_from_form(form, opportunity)})


@login_required
@require_POST
def publish(request, pk: int):
    require(permissions.can_manage(request.user))
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        services.publish(actor=request.user, opportunity=opportunity)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("procurement:detail", pk=opportunity.pk)
    messages.success(request, _("%(title)s is on the board") % {"title": opportunity})
    return redirect("procurement:detail", pk=opportunity.pk)


@login_required
def cancel(request, pk: int):
    """Withdraw an open or closed opportunity before award, saying why."""
    require(permissions.can_manage(request.user))
    opportunity = get_object_or_404(Opportunity, pk=pk)
    if not permissions.can_cancel(opportunity):
        raise Http404
    form = CancelForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda data: services.cancel(actor=request.user, opportunity=opportunity, reason=data["reason"]),
        error_field="reason",
    )
    if saved:
        messages.success(request, _("%(title)s has been cancelled") % {"title": opportunity})
        return redirect("procurement:detail", pk=opportunity.pk)
    return render(request, "procurement/cancel.html", {"form": form, "opportunity": opportunity})


@login_required
def draft_delete(request, pk: int):
    """Delete a draft, after a confirmation page."""
    require(permissions.can_manage(request.user))
    opportunity = get_object_or_404(Opportunity, pk=pk, status=Opportunity.Status.DRAFT)
    if request.method == "POST":
        services.draft_delete(actor=request.user, opportunity=opportunity)
        messages.success(request, _("The draft %(title)s has been deleted") % {"title": opportunity})
        return redirect("procurement:board")
    return render(request, "procurement/draft_delete.html", {"opportunity": opportunity})


PART_TITLES = {"lots": _("lot"), "criteria": _("evaluation criterion"), "documents": _("document")}


def _part(kind: str, pk: int):
    if kind not in PART_FORMS:
        raise Http404
    return get_object_or_404(services.PART_MODELS[kind].objects.select_related("opportunity"), pk=pk)


@login_required
def part_new(request, pk: int, kind: str):
    """Add a lot, a criterion or a document."""
    require(permissions.can_manage(request.user))
    if kind not in PART_FORMS:
        raise Http404
    opportunity = get_object_or_404(Opportunity, pk=pk)
    return _part_form(request, kind, opportunity, None)


@login_required
def part_edit(request, kind: str, pk: int):
    require(permissions.can_manage(request.user))
    part = _part(kind, pk)
    return _part_form(request, kind, part.opportunity, part)


def _part_form(request, kind, opportunity, part):
    if not permissions.can_edit(opportunity):
        raise Http404
    form = PART_FORMS[kind](request.POST or None, instance=part)
    saved = submitted(
        request,
        form,
        lambda data: services.part_save(actor=request.user, kind=kind, opportunity=opportunity, data=data, part=part),
    )
    if saved:
        messages.success(request, _("%(part)s has been saved") % {"part": saved})
        return redirect("procurement:detail", pk=opportunity.pk)
    return render(
        request,
        "procurement/part_form.html",
        {
            "form": form,
            "opportunity": opportunity,
            "part": part,
            "kind": kind,
            "noun": PART_TITLES[kind],
            # A published opportunity's lots stay (bids may name them); anything else may be removed.
            "removable": part is not None and (kind != "lots" or opportunity.status == Opportunity.Status.DRAFT),
        },
    )


@login_required
@require_POST
def part_remove(request, kind: str, pk: int):
    require(permissions.can_manage(request.user))
    part = _part(kind, pk)
    try:
        services.part_remove(actor=request.user, kind=kind, part=part)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(part)s has been removed") % {"part": part})
    return redirect("procurement:detail", pk=part.opportunity_id)
