"""Payment on time: the council's payments page (per contract, the payments compliance figures and payments over
£30,000, each as CSV or XLSX), one contract's invoices (council staff, and the supplier's own people read-only) and the
invoice form (council staff)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.access import query_without_page, require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.procurement import payments, permissions
from carenetwork.procurement.forms_payments import InvoiceForm, PaymentsFilterForm
from carenetwork.procurement.models import Contract, Invoice, Opportunity

PAGE_SIZE = 25
OVERDUE_SHOWN = 50


def _chosen(request):
    form = PaymentsFilterForm(request.GET or None, today=timezone.localdate())
    period, quarter = form.chosen()
    return form, period, quarter


@login_required
def summary(request):
    """Every contract's days to pay, the overdue invoices, a period's compliance figures and a quarter's payments
    over £30,000 (council staff)."""
    require(permissions.can_manage(request.user))
    user, today = request.user, timezone.localdate()
    form, period, quarter = _chosen(request)
    page = Paginator(payments.contract_list_for(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    dates = payments.invoice_dates_by_contract([c.pk for c in page])
    overdue = payments.overdue_list_for(user=user, today=today)
    overdue_shown = list(overdue[:OVERDUE_SHOWN])
    return render(
        request,
        "procurement/payments.html",
        {
            "form": form,
            "period": period,
            "quarter": quarter,
            "compliance": payments.compliance_for(user=user, period=period) if period else None,
            "large_payments": list(payments.large_payments_for(user=user, span=quarter)) if quarter else [],
            "page": page,
            "query": query_without_page(request),
            "contracts": [(c, payments.contract_payments(dates.get(c.pk, []), today)) for c in page],
            "overdue": overdue_shown,
            "overdue_count": overdue.count() if len(overdue_shown) == OVERDUE_SHOWN else len(overdue_shown),
        },
    )


def _back_to_summary(request):
    """A chosen period or quarter the rules refuse: the payments page says why."""
    return redirect(f"{reverse('procurement:payments')}?{request.GET.urlencode()}")


@login_required
def compliance_csv(request, fmt="csv"):
    """The payments compliance figures of the chosen reporting period, as the notice (UK17) asks for them: CSV or
    XLSX."""
    require(permissions.can_manage(request.user))
    _form, period, _quarter = _chosen(request)
    if period is None:
        return _back_to_summary(request)
    report = payments.compliance_for(user=request.user, period=period)
    figures = report.figures
    rows = [
        [_("Figure"), _("Value")],
        [_("Contracting authority"), settings.COUNCIL_NAME],
        [_("First day of the reporting period"), period.start.isoformat()],
        [_("Last day of the reporting period"), period.end.isoformat()],
        [_("Payments made in the period"), figures.paid],
        [_("Average number of days taken to pay"), figures.average_days],
        [_("% paid within 30 days (day 1 to 30)"), figures.within_30],
        [_("% paid in 31 to 60 days"), figures.days_31_60],
        [_("% paid on or after day 61"), figures.days_61_plus],
        [_("Sums that became payable in the period"), report.payable],
        [_("% of those not paid within the period"), report.not_paid_in_period],
    ]
    basename = f"payments-compliance-{period.start.isoformat()}-to-{period.end.isoformat()}"
    return table_response(rows, basename, fmt, sheet=_("Payments compliance"))


@login_required
def large_payments_csv(request, fmt="csv"):
    """The chosen quarter's payments over £30,000 (Procurement Act 2023, s70), one row each: CSV or XLSX."""
    require(permissions.can_manage(request.user))
    _form, _period, quarter = _chosen(request)
    if quarter is None:
        return _back_to_summary(request)
    header = [
        _("Date paid"),
        _("Supplier"),
        _("Amount including VAT (£)"),
        _("Contract"),
        _("Lot"),
        _("Opportunity reference"),
        _("Open contracting id"),
        _("Invoice number"),
        _("Contract id"),
    ]

    def rows():
        yield header
        for invoice in payments.large_payments_for(user=request.user, span=quarter).iterator(chunk_size=500):
            contract = invoice.contract
            opportunity = contract.lot.opportunity
            yield [
                invoice.paid_on.isoformat(),
                contract.supplier_name,
                invoice.amount,
                opportunity.title,
                str(contract.lot),
                opportunity.reference,
                opportunity.ocid,
                invoice.reference,
                contract.pk,
            ]

    basename = f"payments-over-30000-{quarter.start.isoformat()}-to-{quarter.end.isoformat()}"
    return table_response(rows(), basename, fmt, sheet=_("Payments over £30,000"))


@login_required
def contract(request, pk: int):
    """A contract's invoices with their days to pay; council staff record them, the supplier's people read them."""
    found = payments.contract_get_for(user=request.user, pk=pk)
    today = timezone.localdate()
    rows = payments.invoice_rows(found, today)
    return render(
        request,
        "procurement/contract.html",
        {
            "contract": found,
            "opportunity": found.lot.opportunity,
            "rows": rows,
            "summary": payments.contract_payments([(r.invoice.undisputed_on, r.invoice.paid_on) for r in rows], today),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
def invoice_form(request, pk: int):
    """Record an invoice on a contract (pk: the contract), or correct one (pk: the invoice); council staff."""
    require(permissions.can_manage(request.user))
    if request.resolver_match.url_name == "invoice-new":
        invoice = None
        found = get_object_or_404(
            Contract.objects.filter(lot__opportunity__origin=Opportunity.Origin.PORTAL).select_related(
                "lot__opportunity", "supplier"
            ),
            pk=pk,
        )
    else:
        invoice = get_object_or_404(Invoice.objects.select_related("contract__lot__opportunity"), pk=pk)
        found = invoice.contract
    form = InvoiceForm(request.POST or None, instance=invoice)
    saved = submitted(
        request,
        form,
        lambda data: payments.invoice_save(
            actor=request.user, contract=found, data=data, today=timezone.localdate(), invoice=invoice
        ),
    )
    if saved:
        messages.success(request, _("Invoice %(reference)s has been saved") % {"reference": saved.reference})
        return redirect("procurement:contract", found.pk)
    return render(request, "procurement/invoice_form.html", {"form": form, "contract": found, "invoice": invoice})
