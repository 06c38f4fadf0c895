"""Payment on time: days to pay (s68), overdue invoices, the payments compliance figures (s69, reg 38: notice UK17),
payments over £30,000 (s70), recording invoices (council staff, audited) and who sees a contract's invoices."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carenetwork.core.csv import BOM
from carenetwork.core.models import AuditEvent
from carenetwork.procurement import payments
from carenetwork.procurement.models import Invoice, Opportunity
from carenetwork.procurement.payments import Band, Span, State
from tests.procurement.factories import contract_for, opportunity_for

pytestmark = pytest.mark.django_db
day = datetime.date
TODAY = day(2026, 12, 4)
S70_START = day(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def contract_on(supplier, *, procurement_start=S70_START, funding_route=Opportunity.Route.CONTRACT):
    opportunity = opportunity_for(
        status=Opportunity.Status.AWARDED, procurement_start=procurement_start, funding_route=funding_route
    )
    return contract_for(supplier, opportunity=opportunity, awarded_on=day(2026, 1, 2))


def invoice(contract, reference, received, paid=None, undisputed=None, amount="1000.00"):
    return Invoice.objects.create(
        contract=contract,
        reference=reference,
        amount=D(amount),
        received_on=received,
        undisputed_on=undisputed or received,
        paid_on=paid,
    )


# Days to pay and bands (s68(2); reg 38(2)(c)) -------------------------------------------------------------------


def test_days_to_pay_run_from_valid_and_undisputed_to_paid():
    assert payments.days_to_pay(day(2026, 5, 1), day(2026, 5, 31)) == 30
    assert payments.days_to_pay(day(2026, 5, 1), day(2026, 5, 1)) == 0
    assert payments.days_to_pay(day(2026, 5, 1), None) is None


def test_exactly_30_days_is_on_time_and_31_is_late():
    assert payments.is_on_time(30)
    assert not payments.is_on_time(31)
    assert payments.invoice_state(day(2026, 5, 1), day(2026, 5, 31), TODAY) == State.ON_TIME
    assert payments.invoice_state(day(2026, 5, 1), day(2026, 6, 1), TODAY) == State.LATE


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, Band.WITHIN_30),
        (1, Band.WITHIN_30),
        (30, Band.WITHIN_30),
        (31, Band.DAYS_31_60),
        (60, Band.DAYS_31_60),
        (61, Band.DAYS_61_PLUS),
        (400, Band.DAYS_61_PLUS),
    ],
)
def test_bands_are_days_1_to_30_31_to_60_and_61_or_more(days, expected):
    assert payments.band(days) == expected


def test_an_unpaid_invoice_is_overdue_only_after_its_30_days():
    undisputed = day(2026, 11, 4)  # 30 days before TODAY
    assert not payments.is_overdue(undisputed, None, TODAY)
    assert payments.is_overdue(undisputed - datetime.timedelta(days=1), None, TODAY)
    assert not payments.is_overdue(undisputed - datetime.timedelta(days=100), TODAY, TODAY)  # paid, however late
    assert payments.invoice_state(undisputed, None, TODAY) == State.NOT_YET_DUE
    assert payments.invoice_state(day(2026, 11, 3), None, TODAY) == State.OVERDUE


def test_the_clock_starts_when_a_disputed_invoice_became_valid():
    received, settled, paid = day(2026, 5, 1), day(2026, 6, 10), day(2026, 7, 10)
    assert (
        payments.days_to_pay(settled, paid) == 30
    )  # on time: 70 days after it was received, 30 after it was put right
    assert payments.days_to_pay(received, paid) == 70


# Figures -----------------------------------------------------------------------------------------------------------


def test_figures_are_the_mean_and_the_share_of_payments_in_each_band():
    result = payments.figures([10, 30, 31, 60, 61])
    assert result.paid == 5
    assert result.average_days == D("38.4")
    assert (result.within_30, result.days_31_60, result.days_61_plus) == (D("40.0"), D("40.0"), D("20.0"))


def test_figures_round_to_one_place_half_up():
    result = payments.figures([1, 2, 40])
    assert result.average_days == D("14.3")
    assert (result.within_30, result.days_31_60, result.days_61_plus) == (D("66.7"), D("33.3"), D("0.0"))
    assert payments.percent(1, 8) == D("12.5")
    assert payments.figures([0, 1]).average_days == D("0.5")


def test_no_payments_give_no_figures():
    result = payments.figures([])
    assert (result.paid, result.average_days, result.within_30) == (0, None, None)


def test_contract_payments_count_invoices_unpaid_and_overdue():
    result = payments.contract_payments(
        [(day(2026, 10, 1), day(2026, 10, 31)), (day(2026, 10, 1), None), (day(2026, 11, 20), None)], TODAY
    )
    assert (result.invoices, result.unpaid, result.overdue) == (3, 2, 1)
    assert result.figures.within_30 == D("100.0")


# Reporting periods (s69(3)) and quarters (s70(2)) ------------------------------------------------------------------


def test_the_first_reporting_period_runs_from_1_january_to_31_march_2026():
    assert payments.reporting_period(day(2026, 1, 1)) == Span(day(2026, 1, 1), day(2026, 3, 31))


def test_later_reporting_periods_are_six_months_from_april_and_october():
    assert payments.reporting_period(day(2026, 4, 1)) == Span(day(2026, 4, 1), day(2026, 9, 30))
    assert payments.reporting_period(day(2026, 10, 1)) == Span(day(2026, 10, 1), day(2027, 3, 31))
    assert payments.reporting_period(day(2027, 4, 1)) == Span(day(2027, 4, 1), day(2027, 9, 30))


def test_a_period_before_1_january_2026_is_refused_with_the_reason():
    with pytest.raises(payments.SpanRefused, match="began on 1 January 2026"):
        payments.reporting_period(day(2025, 10, 1))


@pytest.mark.parametrize("start", [day(2026, 7, 1), day(2027, 1, 1), day(2026, 4, 2)])
def test_a_day_that_starts_no_reporting_period_is_refused(start):
    with pytest.raises(payments.SpanRefused):
        payments.reporting_period(start)


def test_the_periods_so_far_newest_first_and_the_last_complete_one():
    assert [p.start for p in payments.reporting_periods(TODAY)] == [day(2026, 10, 1), day(2026, 4, 1), day(2026, 1, 1)]
    assert payments.last_complete_period(TODAY).start == day(2026, 4, 1)
    assert payments.last_complete_period(day(2026, 9, 30)).start == day(2026, 1, 1)  # the period ends that day
    assert payments.last_complete_period(day(2026, 10, 1)).start == day(2026, 4, 1)
    assert payments.last_complete_period(day(2026, 3, 31)) is None
    assert payments.reporting_periods(day(2025, 12, 31)) == []


def test_quarters_start_on_1_april_2026():
    assert payments.quarter(day(2026, 4, 1)) == Span(day(2026, 4, 1), day(2026, 6, 30))
    assert payments.quarter(day(2026, 10, 1)) == Span(day(2026, 10, 1), day(2026, 12, 31))
    assert payments.quarter(day(2027, 1, 1)) == Span(day(2027, 1, 1), day(2027, 3, 31))
    with pytest.raises(payments.SpanRefused, match="from 1 April 2026"):
        payments.quarter(day(2026, 1, 1))
    with pytest.raises(payments.SpanRefused):
        payments.quarter(day(2026, 5, 1))
    assert payments.last_complete_quarter(TODAY).start == day(2026, 7, 1)
    assert [q.start for q in payments.quarters(TODAY)] == [day(2026, 10, 1), day(2026, 7, 1), day(2026, 4, 1)]


def test_a_span_reads_as_its_first_and_last_day():
    assert payments.reporting_period(day(2026, 10, 1)).label == "1 October 2026 to 31 March 2027"


# Payments over £30,000 (s70) ---------------------------------------------------------------------------------------


# The compliance figures of a period (reg 38(2)(c) and (d)) ---------------------------------------------------------


def test_compliance_counts_payments_made_in_the_period_from_its_first_to_its_last_day():
    period = payments.reporting_period(day(2026, 4, 1))
    result = payments.compliance(
        period,
        [
            (day(2026, 3, 2), day(2026, 4, 1)),  # paid on the first day: 30 days
            (day(2026, 8, 1), day(2026, 9, 30)),  # paid on the last day: 60 days
            (day(2026, 2, 1), day(2026, 3, 31)),  # paid the day before: not in the period
            (day(2026, 9, 1), day(2026, 10, 1)),  # paid the day after: not in the period
        ],
    )
    assert result.figures.paid == 2
    assert result.figures.average_days == D("45.0")
    assert (result.figures.within_30, result.figures.days_31_60) == (D("50.0"), D("50.0"))


def test_compliance_gives_the_share_of_sums_payable_in_the_period_not_paid_in_it():
    period = payments.reporting_period(day(2026, 4, 1))
    result = payments.compliance(
        period,
        [
            (day(2026, 3, 2), day(2026, 4, 1)),  # due 1 April, paid in the period
            (day(2026, 8, 31), None),  # due 30 September, unpaid at the end
            (day(2026, 8, 31), day(2026, 10, 2)),  # due 30 September, paid after the end
            (day(2026, 9, 1), None),  # due 1 October: payable in the next period
            (day(2026, 3, 1), None),  # due 31 March: payable in the period before
        ],
    )
    assert (result.payable, result.unpaid_at_end) == (3, 2)
    assert result.not_paid_in_period == D("66.7")


def test_compliance_for_reads_only_contracts_under_the_act_and_not_grants(provider, council_officer):
    period = payments.reporting_period(day(2026, 4, 1))
    counted = contract_on(provider, procurement_start=day(2025, 2, 24))
    before_act = contract_on(provider, procurement_start=day(2025, 2, 23))
    grant = contract_on(provider, funding_route=Opportunity.Route.GRANT)
    invoice(counted, "A1", day(2026, 5, 1), day(2026, 5, 11))
    invoice(counted, "A2", day(2026, 5, 1), day(2026, 7, 10))
    invoice(before_act, "B1", day(2026, 5, 1), day(2026, 9, 1))
    invoice(grant, "G1", day(2026, 5, 1), day(2026, 9, 1))
    result = payments.compliance_for(user=council_officer, period=period)
    assert result.figures.paid == 2
    assert result.figures.average_days == D("40.0")
    assert (result.figures.within_30, result.figures.days_61_plus) == (D("50.0"), D("50.0"))


def test_compliance_for_is_for_council_staff(provider_admin):
    with pytest.raises(PermissionDenied):
        payments.compliance_for(user=provider_admin, period=payments.reporting_period(day(2026, 4, 1)))


# The quarter's payments over £30,000 -------------------------------------------------------------------------------


def test_large_payments_for_a_quarter_follow_the_boundaries(provider, council_officer):
    contract = contract_on(provider)
    listed = [
        invoice(contract, "ON-1-APRIL", day(2026, 4, 1), day(2026, 4, 1), amount="30000.01"),
        invoice(contract, "LAST-DAY", day(2026, 6, 1), day(2026, 6, 30), amount="45000.00"),
    ]
    invoice(contract, "EXACTLY", day(2026, 5, 1), day(2026, 5, 20), amount="30000.00")
    invoice(contract, "31-MARCH", day(2026, 3, 31), day(2026, 3, 31), amount="90000.00")
    invoice(contract, "NEXT-QUARTER", day(2026, 6, 30), day(2026, 7, 1), amount="90000.00")
    invoice(contract, "UNPAID", day(2026, 6, 1), amount="90000.00")
    found = payments.large_payments_for(user=council_officer, span=payments.quarter(day(2026, 4, 1)))
    assert list(found) == listed


def test_large_payments_leave_out_contracts_procured_before_1_april_2026_and_grants(provider, council_officer):
    invoice(
        contract_on(provider, procurement_start=day(2026, 3, 31)),
        "OLD",
        day(2026, 5, 1),
        day(2026, 5, 2),
        amount="50000",
    )
    invoice(contract_on(provider, funding_route="grant"), "GRANT", day(2026, 5, 1), day(2026, 5, 2), amount="50000")
    assert not payments.large_payments_for(user=council_officer, span=payments.quarter(day(2026, 4, 1))).exists()


# Recording invoices ------------------------------------------------------------------------------------------------


def save(actor, contract, invoice=None, **data):
    fields = {"reference": "INV-1", "amount": D("1200.00"), "received_on": day(2026, 11, 2)} | data
    return payments.invoice_save(actor=actor, contract=contract, data=fields, today=TODAY, invoice=invoice)


def test_an_invoice_is_valid_and_undisputed_from_the_day_received_unless_told(provider, council_officer):
    contract = contract_on(provider)
    saved = save(council_officer, contract)
    assert saved.undisputed_on == day(2026, 11, 2) and saved.paid_on is None
    later = save(council_officer, contract, reference="INV-2", undisputed_on=day(2026, 11, 9))
    assert later.undisputed_on == day(2026, 11, 9)


def test_recording_and_correcting_an_invoice_is_audited(provider, council_officer):
    contract = contract_on(provider)
    saved = save(council_officer, contract)
    save(council_officer, contract, invoice=saved, paid_on=day(2026, 12, 1))
    events = AuditEvent.objects.filter(object_type="invoice", object_id=str(saved.pk)).order_by("pk")
    assert [e.action for e in events] == ["invoice.created", "invoice.updated"]
    assert events[1].changes == {"paid_on": [None, "2026-12-01"]}
    assert events[1].organisation == provider


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"paid_on": day(2026, 11, 1)}, "paid_on", "on or after the day it was received"),
        ({"undisputed_on": day(2026, 11, 1)}, "undisputed_on", "before it was received"),
        ({"undisputed_on": day(2026, 11, 10), "paid_on": day(2026, 11, 9)}, "paid_on", "valid and undisputed"),
        ({"paid_on": day(2026, 12, 5)}, "paid_on", "cannot be in the future"),
        ({"received_on": day(2026, 12, 5)}, "received_on", "cannot be in the future"),
    ],
)
def test_impossible_dates_are_refused_on_their_field(provider, council_officer, data, field, message):
    with pytest.raises(ValidationError) as refused:
        save(council_officer, contract_on(provider), **data)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Invoice.objects.exists()


def test_an_invoice_number_is_used_once_per_contract(provider, other_provider, council_officer):
    contract = contract_on(provider)
    save(council_officer, contract)
    with pytest.raises(ValidationError) as refused:
        save(council_officer, contract)
    assert "already has an invoice with this number" in refused.value.message_dict["reference"][0]
    assert save(council_officer, contract_on(other_provider)).reference == "INV-1"  # another contract's is fine


def test_a_clash_the_checks_miss_is_caught_from_the_database(provider, council_officer, monkeypatch):
    contract = contract_on(provider)
    save(council_officer, contract)
    monkeypatch.setattr(payments, "_invoice_errors", lambda obj, today: {})
    monkeypatch.setattr(Invoice, "full_clean", lambda self, **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        save(council_officer, contract)
    assert "reference" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # the database's own check on the dates
        save(council_officer, contract, reference="INV-9", paid_on=day(2026, 10, 1))
    assert "check its dates" in refused.value.messages[0]


def test_only_council_staff_record_invoices(provider, provider_admin):
    with pytest.raises(PermissionDenied):
        save(provider_admin, contract_on(provider))


# Pages -------------------------------------------------------------------------------------------------------------


def test_the_invoice_form_shows_each_error_on_its_field(client_for, provider, council_officer):
    contract = contract_on(provider)
    invoice(contract, "INV-1", day(2026, 11, 2))
    response = client_for(council_officer).post(
        reverse("procurement:invoice-new", args=[contract.pk]),
        {
            "reference": "INV-1",
            "amount": "£1,200.00",
            "received_on_0": "2",
            "received_on_1": "11",
            "received_on_2": "2026",
            "paid_on_0": "1",
            "paid_on_1": "11",
            "paid_on_2": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "already has an invoice with this number" in page
    assert "on or after the day it was received" in page


def test_recording_an_invoice_from_the_form(client_for, provider, council_officer):
    contract = contract_on(provider)
    response = client_for(council_officer).post(
        reverse("procurement:invoice-new", args=[contract.pk]),
        {
            "reference": "INV-7",
            "amount": "1,200.50",
            "received_on_0": "2",
            "received_on_1": "11",
            "received_on_2": "2026",
            "paid_on_0": "3",
            "paid_on_1": "12",
            "paid_on_2": "2026",
        },
    )
    assert response.status_code == 302
    saved = Invoice.objects.get(reference="INV-7")
    assert (saved.amount, saved.undisputed_on, saved.paid_on) == (D("1200.50"), day(2026, 11, 2), day(2026, 12, 3))
    page = client_for(council_officer).get(reverse("procurement:contract", args=[contract.pk])).content.decode()
    assert "INV-7" in page and "Paid late" in page  # 31 days


def test_correcting_an_invoice_from_the_form(client_for, provider, council_officer):
    saved = invoice(contract_on(provider), "INV-1", day(2026, 11, 2))
    url = reverse("procurement:invoice-edit", args=[saved.pk])
    client = client_for(council_officer)
    assert 'value="INV-1"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reference": "INV-1",
            "amount": "1000",
            "received_on_0": "2",
            "received_on_1": "11",
            "received_on_2": "2026",
            "paid_on_0": "2",
            "paid_on_1": "12",
            "paid_on_2": "2026",
        },
    )
    assert response.status_code == 302
    assert Invoice.objects.get(pk=saved.pk).paid_on == day(2026, 12, 2)


def test_the_supplier_reads_its_own_contract_without_changing_it(client_for, provider, provider_member, other_admin):
    contract = contract_on(provider)
    invoice(contract, "INV-1", day(2026, 10, 1), day(2026, 10, 31))
    invoice(contract, "INV-2", day(2026, 10, 1))
    page = client_for(provider_member).get(reverse("procurement:contract", args=[contract.pk])).content.decode()
    assert "INV-1" in page and "Paid on time" in page and "Overdue" in page
    assert "Record an invoice" not in page
    assert reverse("procurement:invoice-edit", args=[contract.invoices.first().pk]) not in page
    assert client_for(other_admin).get(reverse("procurement:contract", args=[contract.pk])).status_code == 404


def test_the_payments_page_defaults_to_the_last_complete_period_and_quarter(client_for, provider, council_officer):
    contract = contract_on(provider)
    invoice(contract, "MAY", day(2026, 5, 1), day(2026, 5, 21), amount="31000")
    invoice(contract, "AUG", day(2026, 8, 1), day(2026, 8, 21), amount="32000")
    invoice(contract, "LATE", day(2026, 9, 1))
    response = client_for(council_officer).get(reverse("procurement:payments"))
    page = response.content.decode()
    assert response.context["period"] == payments.reporting_period(day(2026, 4, 1))
    assert response.context["quarter"] == payments.quarter(day(2026, 7, 1))
    assert response.context["compliance"].figures.paid == 2
    assert [i.reference for i in response.context["large_payments"]] == ["AUG"]
    assert [i.reference for i in response.context["overdue"]] == ["LATE"]
    assert "1 April 2026 to 30 September 2026" in page


def test_a_period_before_2026_is_refused_on_the_page_with_the_reason(client_for, council_officer):
    response = client_for(council_officer).get(reverse("procurement:payments"), {"period": "2025-07-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "began on 1 January 2026" in page
    assert response.context["compliance"] is None


def test_a_refused_period_sends_the_download_back_to_the_page(client_for, council_officer):
    response = client_for(council_officer).get(reverse("procurement:payments-compliance-csv"), {"period": "2025-07-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:payments") + "?period=2025-07-01"


def test_the_compliance_csv_has_the_uk17_figures(client_for, provider, council_officer):
    contract = contract_on(provider)
    invoice(contract, "A", day(2026, 5, 1), day(2026, 5, 31))
    invoice(contract, "B", day(2026, 5, 1), day(2026, 7, 1))
    response = client_for(council_officer).get(reverse("procurement:payments-compliance-csv"), {"period": "2026-04-01"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    assert "payments-compliance-2026-04-01-to-2026-09-30.csv" in response["Content-Disposition"]
    lines = text.removeprefix(BOM).splitlines()
    assert "Average number of days taken to pay,45.5" in lines
    assert "% paid within 30 days (day 1 to 30),50.0" in lines
    assert "% paid on or after day 61,50.0" in lines


def test_the_large_payments_csv_lists_each_payment(client_for, provider, council_officer):
    contract = contract_on(provider)
    invoice(contract, "=SUM(A1)", day(2026, 5, 1), day(2026, 5, 20), amount="45000.00")
    response = client_for(council_officer).get(reverse("procurement:payments-large-csv"), {"quarter": "2026-04-01"})
    lines = b"".join(response.streaming_content).decode("utf-8").removeprefix(BOM).splitlines()
    assert lines[0].startswith("Date paid,Supplier,Amount including VAT (£),Contract")
    assert lines[1].startswith(f"2026-05-20,{provider.name},45000.00,Home care in three areas,Lot 1: Area 1")
    assert "'=SUM(A1)" in lines[1]  # neutralised against formula injection


def _many_invoices(supplier, contracts, per_contract):
    for n in range(contracts):
        contract = contract_on(supplier)
        for i in range(per_contract):
            invoice(contract, f"C{n}-{i}", day(2026, 5, 1), day(2026, 5, 1 + i) if i % 2 else None, amount="40000")


def test_the_payments_page_costs_the_same_queries_with_more_contracts_and_invoices(
    client_for, provider, council_officer, django_assert_max_num_queries
):
    client = client_for(council_officer)
    _many_invoices(provider, 1, 1)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("procurement:payments"), {"quarter": "2026-04-01"})
    _many_invoices(provider, 8, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("procurement:payments"), {"quarter": "2026-04-01"})
    assert len(response.context["large_payments"]) > 10


def test_the_contract_page_costs_the_same_queries_with_more_invoices(
    client_for, provider, provider_member, django_assert_max_num_queries
):
    contract = contract_on(provider)
    invoice(contract, "FIRST", day(2026, 5, 1), day(2026, 5, 2))
    client = client_for(provider_member)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("procurement:contract", args=[contract.pk]))
    for i in range(30):
        invoice(contract, f"MORE-{i}", day(2026, 6, 1), day(2026, 6, 1 + i % 28) if i % 3 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("procurement:contract", args=[contract.pk]))
    assert len(response.context["rows"]) == 31


def test_contracts_imported_from_other_buyers_are_not_the_councils_to_pay(client_for, council_officer, provider):
    imported = opportunity_for(
        status=Opportunity.Status.AWARDED, origin=Opportunity.Origin.CONTRACTS_FINDER, title="Another buyer's"
    )
    theirs = contract_for(provider, opportunity=imported)
    ours = contract_for(provider)
    client = client_for(council_officer)
    page = client.get(reverse("procurement:payments")).content.decode()
    assert ours.lot.opportunity.title in page and "Another buyer&#x27;s" not in page
    assert client.get(reverse("procurement:invoice-new", args=[theirs.pk])).status_code == 404
