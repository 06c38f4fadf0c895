"""The award page (council staff record each lot's bidders, scores and successful bids) and a bid's feedback (council
staff write and send it; the bidder organisation's admins and members read it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.core.forms_errors import apply_errors, submitted
from carenetwork.procurement import awards, permissions
from carenetwork.procurement.forms_award import AwardForm, FeedbackForm, lot_formset
from carenetwork.procurement.models import Opportunity


@login_required
def award(request, pk: int):
    """Each lot's bidders with their scores and outcomes; successful bids become contracts (council staff)."""
    require(permissions.can_manage(request.user))
    opportunity = get_object_or_404(Opportunity, pk=pk)
    today = timezone.localdate()
    refusal = awards.award_refusal(opportunity, today)
    lots = list(opportunity.lots.order_by("number"))
    recorded = awards.bids_by_lot(opportunity)
    bid_orgs = [r.bid.organisation_id for rows in recorded.values() for r in rows]
    organisations = {o.pk: o for o in awards.bidder_list(include=bid_orgs)}
    bidders = [(o.pk, o.name) for o in organisations.values()]
    data = request.POST if request.method == "POST" else None
    form = AwardForm(data)
    sections = [
        (lot, recorded.get(lot.pk, []), lot_formset(lot, recorded.get(lot.pk, []), bidders, data)) for lot in lots
    ]
    if data is not None:
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid() and all(formset.is_valid() for _lot, _rows, formset in sections):
            entries = []
            for lot, rows, formset in sections:
                bids = {r.bid.pk: r.bid for r in rows}
                entries.append(
                    (
                        lot,
                        [
                            row.entry(row=row.prefix, organisations=organisations, bids=bids)
                            for row in formset.forms
                            if row.has_changed() or row.is_recorded
                        ],
                    )
                )
            try:
                saved = awards.award_save(actor=request.user, opportunity=opportunity, entries=entries, today=today)
            except ValidationError as error:
                _errors_onto_rows(error, form, [formset for _lot, _rows, formset in sections])
            else:
                if saved.status == Opportunity.Status.AWARDED:
                    messages.success(request, _("Every lot is decided: the opportunity is now awarded"))
                else:
                    messages.success(request, _("The bids have been saved"))
                return redirect("procurement:award", opportunity.pk)
    has_errors = bool(form.errors) or any(
        formset.total_error_count() for _lot, _rows, formset in sections if formset.is_bound
    )
    return render(
        request,
        "procurement/award.html",
        {
            "opportunity": opportunity,
            "refusal": refusal,
            "form": form,
            "sections": sections,
            "has_errors": has_errors,
        },
    )


def _errors_onto_rows(error: ValidationError, form, formsets) -> None:
    """The service names a row's error "<row prefix>.<field>"; anything else belongs to the whole award."""
    if not hasattr(error, "error_dict"):
        apply_errors(form, error)
        return
    rows = {row.prefix: row for formset in formsets for row in formset.forms}
    for key, messages_ in error.message_dict.items():
        prefix, _dot, field = key.rpartition(".")
        row = rows.get(prefix)
        for message in messages_:
            if row is None or key == NON_FIELD_ERRORS:
                form.add_error(None, message)
            else:
                row.add_error(field if field in row.fields else None, message)


@login_required
def feedback(request, pk: int):
    """Council staff write and send a bid's feedback; the bidder organisation's people read what was sent."""
    bid = awards.bid_get(pk)
    if (
        bid is None
        or not permissions.can_read_feedback(request.user, bid)
        or not permissions.can_view(request.user, bid.lot.opportunity)
    ):
        raise Http404
    manage = permissions.can_manage(request.user)
    if request.method == "POST" and not manage:
        raise PermissionDenied
    winning = awards.winning_scores(bid)
    context = {
        "bid": bid,
        "lot": bid.lot,
        "opportunity": bid.lot.opportunity,
        "score": awards.score_text(bid.score),
        "winning_low": awards.score_text(winning[0]),
        "winning_high": awards.score_text(winning[1]),
    }
    if not manage:
        return render(request, "procurement/feedback_read.html", context)
    criteria = awards.criteria_of(bid)
    initial = {"feedback": bid.feedback or awards.feedback_outline(bid, criteria, winning)}
    form = FeedbackForm(request.POST or None, initial=initial)
    sent = submitted(
        request, form, lambda data: awards.feedback_send(actor=request.user, bid=bid, text=data["feedback"])
    )
    if sent:
        messages.success(
            request,
            _("The feedback has been sent to %(organisation)s") % {"organisation": sent.organisation.name},
        )
        return redirect("procurement:award", bid.lot.opportunity_id)
    return render(request, "procurement/feedback.html", {**context, "form": form, "criteria": criteria})
