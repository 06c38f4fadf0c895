"""Payment on time: how quickly the council pays its suppliers' invoices, the six-monthly payments compliance figures
(notice UK17) and the quarterly list of payments over £30,000.

The rules come first, as pure functions of dates, amounts and numbers (tested case by case in
tests/procurement/test_payments.py); the reads of the database follow in one section, then the one write (an invoice).

Days to pay
    From the day an invoice became valid and undisputed (`Invoice.undisputed_on`: the day it was received, unless it
    was disputed or not valid) to the day it was paid (`paid_on`). Section 68(2) of the Procurement Act 2023 implies
    into every public contract that a sum due is paid within 30 days of the invoice being received, and the term does
    not apply to an invoice the council considers not valid or disputes: for such an invoice the 30 days run from the
    day it became valid and undisputed. Regulation 38 of the Procurement Regulations 2024 counts the same way ("day 1
    is the first day after the invoice day"): paid 30 days after is on time, 31 days after is late. Regulation 38(4)
    counts a payment as made when the supplier receives it, so `paid_on` is that day. We do not keep an invoice's own
    later due date (s68(2) "or, if later, the day on which the payment falls due in accordance with the invoice").

Overdue
    Not paid, and more than 30 days since it became valid and undisputed.

Payments compliance notice (UK17, s69; reg 38)
    Section 69 came into force on 1 January 2026 (Procurement Act 2023 (Commencement No. 4) Regulations 2025,
    SI 2025/1316). Its reporting periods (s69(3)) are the period from that day to the following 31 March or
    30 September, whichever is earlier (1 January to 31 March 2026), then each six months after: 1 April to
    30 September and 1 October to 31 March. Earlier periods are refused. For the payments made in the period: the
    average (arithmetic mean) of the days to pay, and the share paid within days 1–30, 31–60 and on or after day 61
    (reg 38(2)(c)); and for the sums that became payable in the period, the share not paid within it (reg 38(2)(d)),
    which we read as: invoices whose 30 days ended in the period, still unpaid at its end. Percentages are of the
    number of payments, to one decimal place (so the three bands may add up to 99.9 or 100.1).

Payments over £30,000 (s70)
    Section 70(1): "any payment of more than £30,000" under a public contract, so £30,000.00 exactly is not listed;
    amounts include VAT and payments are not added together. In force from 1 April 2026, for contracts whose
    procurement started on or after that day; published before the end of 30 days after each quarter (s70(2)). The
    information to publish is "specified information" (s70(1)) set by the Procurement (Amendment) Regulations 2026
    and uploaded to the Central Digital Platform as a template for the quarter. We give for each payment: the date
    paid, the supplier, the amount including VAT, the contract (its title, the opportunity's reference and open
    contracting id) and the invoice number; check them against the platform's template before uploading.

Which contracts count
    Only contracts procured under the Procurement Act 2023 (procurement started on or after 24 February 2025); earlier
    ones keep the Public Contracts Regulations 2015 (regulation 113 statistics). Grants are not public contracts.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.procurement import permissions, rules
from carenetwork.procurement.models import Contract, Invoice, Opportunity

ON_TIME_DAYS = 30  # s68(2)
SECOND_BAND_LAST_DAY = 60  # reg 38(2)(c)(ii): day 31 to day 60
# The dates are the rules': procurements started from ACT_FROM follow the Procurement Act 2023; s69 (UK17) is in force
# from COMPLIANCE_FROM and s70 (payments over £30,000) from LARGE_PAYMENTS_FROM (SI 2025/1316).
ACT_FROM = rules.ACT_COMMENCEMENT
COMPLIANCE_FROM = rules.PAYMENTS_COMPLIANCE_FROM
LARGE_PAYMENTS_FROM = rules.PAYMENTS_OVER_30K_FROM
LARGE_PAYMENT = Decimal("30000.00")  # s70(1): more than this
ONE_PLACE = Decimal("0.1")


class Band:
    """The three bands of reg 38(2)(c)(ii)."""

    WITHIN_30 = "1-30"
    DAYS_31_60 = "31-60"
    DAYS_61_PLUS = "61+"
    LABELS = {
        WITHIN_30: gettext_lazy("Within 30 days"),
        DAYS_31_60: gettext_lazy("31 to 60 days"),
        DAYS_61_PLUS: gettext_lazy("61 days or more"),
    }


def days_to_pay(undisputed_on: datetime.date, paid_on: datetime.date | None) -> int | None:
    """Days from valid and undisputed to paid (None while unpaid)."""
    return None if paid_on is None else (paid_on - undisputed_on).days


def is_on_time(days: int) -> bool:
    """Paid within 30 days (s68(2)): day 30 is on time, day 31 is late."""
    return days <= ON_TIME_DAYS


def band(days: int) -> str:
    """Which reg 38 band a payment after `days` days falls in (a payment on the day itself counts as within 30)."""
    if days <= ON_TIME_DAYS:
        return Band.WITHIN_30
    if days <= SECOND_BAND_LAST_DAY:
        return Band.DAYS_31_60
    return Band.DAYS_61_PLUS


def due_by(undisputed_on: datetime.date) -> datetime.date:
    """The last day an invoice can be paid on time."""
    return undisputed_on + datetime.timedelta(days=ON_TIME_DAYS)


def is_overdue(undisputed_on: datetime.date, paid_on: datetime.date | None, today: datetime.date) -> bool:
    """Unpaid more than 30 days after it became valid and undisputed."""
    return paid_on is None and today > due_by(undisputed_on)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one place (None of nothing)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """How promptly a set of invoices was paid."""

    paid: int
    average_days: Decimal | None
    within_30: Decimal | None
    days_31_60: Decimal | None
    days_61_plus: Decimal | None


def figures(days: Iterable[int]) -> Figures:
    """The count, the average days to pay (arithmetic mean, one place) and the share in each band of paid invoices."""
    days = list(days)
    counts = {Band.WITHIN_30: 0, Band.DAYS_31_60: 0, Band.DAYS_61_PLUS: 0}
    for d in days:
        counts[band(d)] += 1
    total = len(days)
    average = (Decimal(sum(days)) / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP) if total else None
    return Figures(
        paid=total,
        average_days=average,
        within_30=percent(counts[Band.WITHIN_30], total),
        days_31_60=percent(counts[Band.DAYS_31_60], total),
        days_61_plus=percent(counts[Band.DAYS_61_PLUS], total),
    )


class State:
    """Where an invoice stands on a day."""

    ON_TIME = "on-time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not-yet-due"
    LABELS = {
        ON_TIME: gettext_lazy("Paid on time"),
        LATE: gettext_lazy("Paid late"),
        OVERDUE: gettext_lazy("Overdue"),
        NOT_YET_DUE: gettext_lazy("Not yet due"),
    }


def invoice_state(undisputed_on: datetime.date, paid_on: datetime.date | None, today: datetime.date) -> str:
    """Paid on time, paid late, overdue, or not yet due."""
    if paid_on is not None:
        return State.ON_TIME if is_on_time(days_to_pay(undisputed_on, paid_on)) else State.LATE
    return State.OVERDUE if is_overdue(undisputed_on, paid_on, today) else State.NOT_YET_DUE


@dataclass(frozen=True)
class ContractPayments:
    """A contract's invoices on a day: how many, how many unpaid and overdue, and how promptly the paid ones were."""

    invoices: int
    unpaid: int
    overdue: int
    figures: Figures


def contract_payments(
    invoices: Iterable[tuple[datetime.date, datetime.date | None]], today: datetime.date
) -> ContractPayments:
    """The figures of (undisputed_on, paid_on) pairs."""
    invoices = list(invoices)
    paid = [days_to_pay(u, p) for u, p in invoices if p is not None]
    return ContractPayments(
        invoices=len(invoices),
        unpaid=len(invoices) - len(paid),
        overdue=sum(1 for u, p in invoices if is_overdue(u, p, today)),
        figures=figures(paid),
    )


@dataclass(frozen=True)
class Span:
    """A reporting period (six months) or a quarter: first and last day, both included."""

    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class SpanRefused(ValueError):
    """A period or quarter the rules do not have: its message says why, for the person who asked."""


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _months_later(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def reporting_period(start: datetime.date) -> Span:
    """The payments compliance reporting period starting on `start` (s69(3)); SpanRefused for any other day."""
    if start < COMPLIANCE_FROM:
        raise SpanRefused(
            _(
                "Payments compliance notices began on 1 January 2026 (Procurement Act 2023, section 69): "
                "choose a reporting period from then on"
            )
        )
    if start == COMPLIANCE_FROM:
        return Span(start, datetime.date(2026, 3, 31))
    if start.day != 1 or start.month not in (4, 10):
        raise SpanRefused(_("A reporting period starts on 1 April or 1 October (1 January in 2026 only)"))
    end = _months_later(start, 6) - datetime.timedelta(days=1)
    return Span(start, end)


def reporting_periods(today: datetime.date) -> list[Span]:
    """Every reporting period from the first to the one `today` is in, newest first."""
    if today < COMPLIANCE_FROM:
        return []
    periods = [reporting_period(COMPLIANCE_FROM)]
    while today > periods[-1].end:
        periods.append(reporting_period(periods[-1].end + datetime.timedelta(days=1)))
    return periods[::-1]


def last_complete_period(today: datetime.date) -> Span | None:
    """The latest reporting period that has ended before `today` (None before 1 April 2026)."""
    return next((p for p in reporting_periods(today) if p.end < today), None)


def quarter(start: datetime.date) -> Span:
    """The quarter starting on `start` (1 January, April, July or October) from 1 April 2026; SpanRefused otherwise."""
    if start < LARGE_PAYMENTS_FROM:
        raise SpanRefused(
            _(
                "Payments over £30,000 are published from 1 April 2026 (Procurement Act 2023, section 70): "
                "choose a quarter from then on"
            )
        )
    if start.day != 1 or start.month not in (1, 4, 7, 10):
        raise SpanRefused(_("A quarter starts on 1 January, 1 April, 1 July or 1 October"))
    return Span(start, _month_end(start.year, start.month + 2))


def quarters(today: datetime.date) -> list[Span]:
    """Every quarter from April 2026 to the one `today` is in, newest first."""
    if today < LARGE_PAYMENTS_FROM:
        return []
    spans = [quarter(LARGE_PAYMENTS_FROM)]
    while today > spans[-1].end:
        spans.append(quarter(spans[-1].end + datetime.timedelta(days=1)))
    return spans[::-1]


def last_complete_quarter(today: datetime.date) -> Span | None:
    """The latest quarter that has ended before `today`."""
    return next((q for q in quarters(today) if q.end < today), None)


@dataclass(frozen=True)
class Compliance:
    """The figures of a payments compliance notice for one reporting period."""

    period: Span
    figures: Figures
    payable: int
    unpaid_at_end: int

    @property
    def not_paid_in_period(self) -> Decimal | None:
        """Reg 38(2)(d): of the sums that became payable in the period, the share not paid within it."""
        return percent(self.unpaid_at_end, self.payable)


def compliance(period: Span, invoices: Iterable[tuple[datetime.date, datetime.date | None]]) -> Compliance:
    """The UK17 figures of `period` from (undisputed_on, paid_on) pairs of the contracts that count."""
    paid_days = []
    payable = unpaid = 0
    for undisputed_on, paid_on in invoices:
        if paid_on is not None and paid_on in period:
            paid_days.append(days_to_pay(undisputed_on, paid_on))
        if due_by(undisputed_on) in period:
            payable += 1
            if paid_on is None or paid_on > period.end:
                unpaid += 1
    return Compliance(period=period, figures=figures(paid_days), payable=payable, unpaid_at_end=unpaid)


# Reads ------------------------------------------------------------------------------------------------------------


def contract_get_for(*, user, pk: int) -> Contract:
    """One contract with its lot, opportunity and supplier; 404 for anyone who may not know it exists."""
    contract = Contract.objects.select_related("lot__opportunity", "supplier").filter(pk=pk).first()
    if (
        contract is None
        or not permissions.can_view_contract(user, contract)
        or not permissions.can_view(user, contract.lot.opportunity)
    ):
        raise Http404
    return contract


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    days: int | None
    state: str

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]


def invoice_rows(contract: Contract, today: datetime.date) -> list[InvoiceRow]:
    """A contract's invoices in the order they came, each with its days to pay and where it stands: one query."""
    return [
        InvoiceRow(i, days_to_pay(i.undisputed_on, i.paid_on), invoice_state(i.undisputed_on, i.paid_on, today))
        for i in contract.invoices.order_by("received_on", "pk")
    ]


def contract_list_for(*, user) -> QuerySet[Contract]:
    """Every contract awarded by the council, newest first (council staff): not those imported from other buyers."""
    require(permissions.can_manage(user))
    return (
        Contract.objects.filter(lot__opportunity__origin=Opportunity.Origin.PORTAL)
        .select_related("lot__opportunity", "supplier")
        .order_by("-awarded_on", "-pk")
    )


def invoice_dates_by_contract(contract_ids: list[int]) -> dict[int, list[tuple]]:
    """(undisputed_on, paid_on) of every invoice of the given contracts, by contract: one query."""
    dates = defaultdict(list)
    rows = Invoice.objects.filter(contract_id__in=contract_ids).values_list("contract_id", "undisputed_on", "paid_on")
    for contract_id, undisputed_on, paid_on in rows:
        dates[contract_id].append((undisputed_on, paid_on))
    return dates


def overdue_list_for(*, user, today: datetime.date) -> QuerySet[Invoice]:
    """Unpaid invoices more than 30 days after they became valid and undisputed, oldest first (council staff)."""
    require(permissions.can_manage(user))
    return (
        Invoice.objects.filter(paid_on__isnull=True, undisputed_on__lt=today - datetime.timedelta(days=ON_TIME_DAYS))
        .select_related("contract__lot__opportunity")
        .order_by("undisputed_on", "pk")
    )


def _counting() -> Q:
    return Q(contract__lot__opportunity__procurement_start__gte=ACT_FROM) & ~Q(
        contract__lot__opportunity__funding_route=Opportunity.Route.GRANT
    )


def compliance_for(*, user, period: Span) -> Compliance:
    """The payments compliance figures of a reporting period (council staff): one query."""
    require(permissions.can_manage(user))
    earliest_payable = period.start - datetime.timedelta(days=ON_TIME_DAYS)
    latest_payable = period.end - datetime.timedelta(days=ON_TIME_DAYS)
    rows = Invoice.objects.filter(_counting()).filter(
        Q(paid_on__range=(period.start, period.end)) | Q(undisputed_on__range=(earliest_payable, latest_payable))
    )
    return compliance(period, rows.values_list("undisputed_on", "paid_on"))


def large_payments_for(*, user, span: Span) -> QuerySet[Invoice]:
    """The payments of a quarter that s70 asks the council to publish, in the order paid (council staff)."""
    require(permissions.can_manage(user))
    return (
        Invoice.objects.filter(
            paid_on__range=(max(span.start, LARGE_PAYMENTS_FROM), span.end),
            amount__gt=LARGE_PAYMENT,
            contract__lot__opportunity__procurement_start__gte=LARGE_PAYMENTS_FROM,
        )
        .exclude(contract__lot__opportunity__funding_route=Opportunity.Route.GRANT)
        .select_related("contract__lot__opportunity")
        .order_by("paid_on", "pk")
    )


# The write --------------------------------------------------------------------------------------------------------

INVOICE_FIELDS = ["reference", "amount", "received_on", "undisputed_on", "paid_on"]
SAME_REFERENCE = gettext_lazy("This contract already has an invoice with this number")


def invoice_save(
    *, actor, contract: Contract, data: dict, today: datetime.date, invoice: Invoice | None = None
) -> Invoice:
    """Record an invoice on a contract (no `invoice`) or correct one; audited."""
    require(permissions.can_manage(actor))
    obj = invoice or Invoice(contract=contract)
    before = audit.snapshot(obj, INVOICE_FIELDS) if obj.pk else None
    for name in INVOICE_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    if obj.received_on and not obj.undisputed_on:
        obj.undisputed_on = obj.received_on
    errors = _invoice_errors(obj, today)
    if errors:
        raise ValidationError(errors)
    obj.full_clean()
    with transaction.atomic():
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as clashed:  # the same number saved twice at once, or a rule the checks above missed
            if Invoice.objects.filter(contract=contract, reference=obj.reference).exclude(pk=obj.pk).exists():
                raise ValidationError({"reference": SAME_REFERENCE}) from clashed
            raise ValidationError(_("The invoice could not be saved: check its dates")) from clashed
        after = audit.snapshot(obj, INVOICE_FIELDS)
        audit.record(
            actor=actor,
            action="invoice.created" if before is None else "invoice.updated",
            obj=obj,
            organisation=contract.supplier,
            changes=after if before is None else audit.diff(before, after),
        )
    return obj


def _invoice_errors(obj: Invoice, today: datetime.date) -> dict:
    errors = {}
    if obj.received_on and obj.received_on > today:
        errors["received_on"] = _("The day it was received cannot be in the future")
    if obj.received_on and obj.undisputed_on and obj.undisputed_on < obj.received_on:
        errors["undisputed_on"] = _("It cannot be valid and undisputed before it was received")
    if obj.paid_on and obj.received_on and obj.paid_on < obj.received_on:
        errors["paid_on"] = _("The day it was paid must be on or after the day it was received")
    elif obj.paid_on and obj.undisputed_on and obj.paid_on < obj.undisputed_on:
        errors["paid_on"] = _("The day it was paid must be on or after the day it was valid and undisputed")
    elif obj.paid_on and obj.paid_on > today:
        errors["paid_on"] = _("The day it was paid cannot be in the future: leave it blank until it is paid")
    if obj.reference:
        clash = Invoice.objects.filter(contract_id=obj.contract_id, reference=obj.reference).exclude(pk=obj.pk)
        if clash.exists():
            errors["reference"] = SAME_REFERENCE
    return errors
