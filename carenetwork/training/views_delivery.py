"""Pages for delivering a run and after it: bookings and invoices, attendance, evaluations and their scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carenetwork.core.access import require
from carenetwork.core.csv import Rows, table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.records.imports.parsing import escape
from carenetwork.training import delivery, evaluations, permissions, selectors
from carenetwork.training.forms_delivery import AttendanceForm, EvaluationForm, InvoiceForm
from carenetwork.training.models import Evaluation, Interest

COMMENTS_PAGE_SIZE = 25


def _run_for_bookings(request, pk):
    run = selectors.run_get_for(user=request.user, pk=pk)
    require(permissions.can_view_run_bookings(request.user, run))
    return run


@login_required
def run_bookings(request, pk):
    """Who booked the run, their delegates, what each owes and where the invoices stand."""
    run = _run_for_bookings(request, pk)
    return render(
        request,
        "training/delivery/run_bookings.html",
        {
            "run": run,
            "course": run.course,
            "can_deliver": permissions.can_deliver_run(request.user, run),
            "invoice": Interest.Invoice,
            **delivery.run_bookings_for(user=request.user, run=run),
        },
    )


def _money(value) -> str:
    return "" if value is None else f"{value:.2f}"


@login_required
def run_bookings_csv(request, pk, fmt="csv"):
    """The bookings page as a spreadsheet: CSV or XLSX."""
    run = _run_for_bookings(request, pk)
    data = delivery.run_bookings_for(user=request.user, run=run)
    basename = f"run-{run.pk}-{timezone.localtime(run.starts_at):%Y-%m-%d}-bookings"
    writer = Rows()
    writer.writerow(
        [
            _("Organisation"),
            _("Status"),
            _("Places"),
            _("Delegates"),
            _("Price per place (£)"),
            _("Amount due (£)"),
            _("Invoice"),
            _("Invoice issued"),
            _("Paid"),
        ]
    )
    when = lambda at: timezone.localtime(at).strftime("%Y-%m-%d") if at else ""  # noqa: E731
    named = permissions.can_deliver_run(request.user, run)
    for booking in data["bookings"]:
        writer.writerow(
            [
                escape(booking.organisation.name),
                booking.get_status_display(),
                booking.places if booking.status == Interest.Status.BOOKED else 0,
                # Delegates' names are for the training provider, who runs the course; the council gets a count.
                escape("; ".join(d.display_name for d in booking.delegates.all()))
                if named
                else len(booking.delegates.all()),
                _money(booking.price),
                _money(booking.amount_due),
                booking.get_invoice_display(),
                when(booking.invoice_issued_at),
                when(booking.paid_at),
            ]
        )
    totals = data["totals"]
    writer.writerow([_("Total"), "", totals.places, "", "", _money(totals.amount_due), "", "", ""])
    writer.writerow([_("Invoiced"), "", "", "", "", _money(totals.invoiced), "", "", ""])
    writer.writerow([_("Paid"), "", "", "", "", _money(totals.paid), "", "", ""])
    return table_response(writer, basename, fmt, sheet=_("Bookings"))


@require_POST
@login_required
def invoice_mark(request, pk, interest_pk):
    """The training provider marks a booking's invoice issued or paid."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    interest = selectors.interest_get_for(user=request.user, pk=interest_pk)
    if interest.run_id != run.pk:
        raise Http404
    require(permissions.can_deliver_run(request.user, run))
    form = InvoiceForm(request.POST)
    paying = form.is_valid() and form.cleaned_data["state"] == Interest.Invoice.PAID
    if paying and interest.invoice == Interest.Invoice.ISSUED and request.POST.get("confirm") != "yes":
        # Marking paid cannot be undone: say what it records first.
        return render(
            request,
            "training/runs/_confirm.html",
            {
                "question": _("Are you sure %(organisation)s has paid?") % {"organisation": interest.organisation},
                "caption": f"{run.course.title}, {date_format(timezone.localtime(run.starts_at), 'j F Y')}",
                "happens": [
                    _("The invoice of £%(amount)s to %(organisation)s is marked paid today.")
                    % {"amount": interest.amount_due, "organisation": interest.organisation},
                    _("This cannot be undone."),
                ],
                "emails": [],
                "hidden": {"state": Interest.Invoice.PAID},
                "action": reverse("training:invoice-mark", args=[run.pk, interest.pk]),
                "button": _("Yes, mark it paid"),
                "warning": False,
                "back_url": reverse("training:run-bookings", args=[run.pk]),
                "back_text": _("No, go back to the bookings"),
            },
        )
    if not form.is_valid():
        messages.error(request, _("Choose whether the invoice was issued or paid"))
    else:
        try:
            delivery.invoice_mark(actor=request.user, interest=interest, state=form.cleaned_data["state"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            message = (
                _("The invoice to %(organisation)s is marked issued")
                if form.cleaned_data["state"] == Interest.Invoice.ISSUED
                else _("The invoice to %(organisation)s is marked paid")
            )
            messages.success(request, message % {"organisation": interest.organisation})
    return redirect("training:run-bookings", pk=run.pk)


@login_required
def run_attendance(request, pk):
    """The training provider ticks who attended; those on a staff register get their training records."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    require(permissions.can_deliver_run(request.user, run))
    delegates = list(delivery.attendance_delegates(run))
    closed = delivery.attendance_closed_reason(run)
    form = None
    if not closed and delegates:
        form = AttendanceForm(request.POST or None, delegates=delegates)
        saved = submitted(
            request,
            form,
            lambda data: delivery.attendance_record(actor=request.user, run=run, attended_ids=data["attended"]),
            error_field="attended",
        )
        if saved is not None:
            added, removed = saved["records_created"], saved["records_removed"]
            parts = [_("Attendance has been recorded.")]
            if added:
                parts.append(
                    ngettext("%(n)s training record added.", "%(n)s training records added.", added) % {"n": added}
                )
            if removed:
                parts.append(
                    ngettext("%(n)s training record removed.", "%(n)s training records removed.", removed)
                    % {"n": removed}
                )
            messages.success(request, " ".join(parts))
            return redirect("training:run-attendance", pk=run.pk)
    return render(
        request,
        "training/delivery/run_attendance.html",
        {"run": run, "course": run.course, "delegates": delegates, "closed": closed, "form": form},
    )


@login_required
def evaluate(request, pk):
    """A delegate, or their organisation's admin, rates the course; rating again changes the answers."""
    delegate = selectors.delegate_get_for(user=request.user, pk=pk)
    require(permissions.can_evaluate(request.user, delegate))
    closed = delivery.evaluation_closed_reason(delegate)
    existing = Evaluation.objects.filter(delegate=delegate).first()
    form = None
    if not closed:
        initial = {f: getattr(existing, f) for f in delivery.EVALUATION_FIELDS} if existing else {}
        form = EvaluationForm(request.POST or None, initial=initial)
        saved = submitted(
            request, form, lambda data: delivery.evaluation_submit(actor=request.user, delegate=delegate, data=data)
        )
        if saved:
            messages.success(request, _("Thank you: the rating has been saved"))
            return redirect("training:evaluate", pk=delegate.pk)
    return render(
        request,
        "training/delivery/evaluate.html",
        {
            "delegate": delegate,
            "run": delegate.interest.run,
            "course": delegate.interest.run.course,
            "existing": existing,
            "closed": closed,
            "form": form,
        },
    )


@login_required
def course_evaluations(request, pk):
    """A course's evaluation scores, per run, and the comments delegates left (without their names)."""
    course = selectors.course_get_for(user=request.user, pk=pk)
    require(permissions.can_view_evaluations(request.user, course))
    data = evaluations.course_evaluations_for(user=request.user, course=course)
    comments = Paginator(data.pop("comments"), COMMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/delivery/course_evaluations.html",
        {"course": course, "page": comments, "questions": evaluations.question_labels(), **data},
    )


@login_required
def provider_evaluations(request, pk):
    """A training provider's courses with their evaluation scores."""
    organisation = selectors.training_provider_get_for(user=request.user, pk=pk)
    return render(
        request,
        "training/delivery/provider_evaluations.html",
        {
            "organisation": organisation,
            "questions": evaluations.question_labels(),
            **evaluations.provider_evaluations_for(user=request.user, organisation=organisation),
        },
    )
