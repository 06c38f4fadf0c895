"""The demo borough's board: open, closed and awarded opportunities and a draft, questions answered to all, the
consortium finder, award feedback and a year of invoices for the payments figures; building it again adds nothing.
And the benchmark's synthetic board: the numbers asked for, topped up rather than doubled."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Count
from django.utils import timezone

from carenetwork.core.registry import DemoBorough
from carenetwork.organisations.demo import build_borough
from carenetwork.organisations.volume import generate_volume, synthetic_organisations
from carenetwork.procurement import demo
from carenetwork.procurement.demo import build_procurement_demo
from carenetwork.procurement.models import (
    Bid,
    ConsortiumMessage,
    ConsortiumPost,
    Contract,
    Criterion,
    Document,
    Interest,
    Invoice,
    Lot,
    Opportunity,
    Question,
)
from carenetwork.procurement.volume import generate_procurement_volume, procurement_counts, synthetic_opportunities

pytestmark = pytest.mark.django_db

MODELS = [Opportunity, Lot, Criterion, Document, Interest, Question, ConsortiumPost, ConsortiumMessage, Bid, Contract]
MODELS += [Invoice]
APRIL_2026 = datetime.date(2026, 4, 1)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def borough():
    result = build_borough()
    people = result["people"]
    return DemoBorough(
        council=result["council"],
        officer=people["council_officer"],
        administrator=people["council_admin"],
        providers=result["providers"],
        featured=result["provider"],
        people=people,
        rng=result["rng"],
    )


def test_demo_board_and_building_again_adds_nothing(borough):
    build_procurement_demo(borough)
    built = _counts()
    build_procurement_demo(borough)
    assert _counts() == built
    assert set(Opportunity.objects.values_list("reference", flat=True)) == set(demo.REFERENCES)
    by_status = dict(Opportunity.objects.values_list("status").annotate(n=Count("pk")))
    assert by_status == {"open": 3, "draft": 1, "closed": 1, "awarded": 2}
    assert built["Contract"] == 3 and built["Invoice"] >= 24
    # Every row names the people a real flow would.
    assert not Opportunity.objects.filter(created_by__isnull=True).exists()
    assert not Opportunity.objects.exclude(status="draft").filter(published_at__isnull=True).exists()
    assert not Interest.objects.filter(registered_by__isnull=True).exists()
    assert not Question.objects.filter(asked_by__isnull=True).exists()
    assert not ConsortiumPost.objects.filter(posted_by__isnull=True).exists()


def test_the_open_home_care_contract(borough):
    build_procurement_demo(borough)
    today = timezone.localdate()
    home_care = Opportunity.objects.get(reference=demo.HOME_CARE)
    assert home_care.status == Opportunity.Status.OPEN and home_care.value == Decimal("400000")
    assert home_care.reserved_sme_vcse and home_care.light_touch
    assert home_care.procurement_start < today < home_care.questions_deadline < home_care.tender_deadline
    lots = list(home_care.lots.order_by("number"))
    assert len(lots) == 3 and sum(lot.value for lot in lots) == home_care.value
    assert [lot.title.split(":")[0] for lot in lots] == ["North", "Central", "South"]
    assert {c.kind: c.weight for c in home_care.criteria.all()} == {"quality": 60, "price": 30, "social-value": 10}
    assert home_care.documents.count() == 2
    assert Interest.objects.filter(opportunity=home_care).count() == 4
    # Three answered questions from three providers, one waiting; no question's text names its asker.
    answered = Question.objects.filter(answered_at__isnull=False)
    assert answered.count() == 3 and answered.values("organisation").distinct().count() == 3
    assert not answered.filter(answered_by__isnull=True).exists()
    assert Question.objects.filter(answered_at__isnull=True, opportunity=home_care).count() == 1
    for question in Question.objects.select_related("organisation"):
        assert question.organisation.name.split()[0] not in question.text + question.answer
        assert question.created_at < (question.answered_at or timezone.now())
    # Two providers looking for each other, and one message between them.
    offering, seeking = ConsortiumPost.objects.filter(opportunity=home_care).order_by("created_at")
    assert "night" in offering.offers and "south" in offering.seeks
    assert "night" in seeking.seeks
    [message] = ConsortiumMessage.objects.all()
    assert message.post == offering and message.organisation == seeking.organisation


def test_the_other_opportunities(borough):
    build_procurement_demo(borough)
    today = timezone.localdate()
    framework = Opportunity.objects.get(reference=demo.SUPPORTED_LIVING)
    assert framework.value > Decimal("663540") and framework.lots.count() == 1 and framework.no_lots_reason
    grant = Opportunity.objects.get(reference=demo.CARERS_GRANT)
    assert grant.funding_route == Opportunity.Route.GRANT and grant.value == Decimal("45000")
    draft = Opportunity.objects.get(reference=demo.DAY_OPPORTUNITIES)
    assert draft.status == Opportunity.Status.DRAFT and draft.published_at is None and draft.tender_deadline is None
    closed = Opportunity.objects.get(reference=demo.MENTAL_HEALTH)
    assert closed.status == Opportunity.Status.CLOSED and closed.tender_deadline < today
    assert set(Bid.objects.filter(lot__opportunity=closed).values_list("outcome", flat=True)) == {"pending"}
    awarded = Opportunity.objects.get(reference=demo.SHORT_STAY_BEDS)
    assert awarded.status == Opportunity.Status.AWARDED
    assert 13 * 30 < (today - awarded.award_date).days < 15 * 31
    bids = Bid.objects.filter(lot__opportunity__status=Opportunity.Status.AWARDED)
    assert set(bids.values_list("outcome", flat=True)) == {"successful", "unsuccessful"}
    assert not bids.filter(feedback="").exists() and not bids.filter(feedback_sent_at__isnull=True).exists()
    # A contract for each awarded lot, to the lot's successful bidder; the featured provider has one.
    for contract in Contract.objects.select_related("lot"):
        assert contract.lot.bids.get(outcome="successful").organisation_id == contract.supplier_id
    assert Contract.objects.filter(supplier=borough.featured).exists()


def test_a_year_of_invoices_for_the_payments_figures(borough):
    build_procurement_demo(borough)
    today = timezone.localdate()
    invoices = list(Invoice.objects.select_related("contract__lot__opportunity"))
    received = [invoice.received_on for invoice in invoices]
    assert min(received) < today - datetime.timedelta(days=330) and max(received) < today.replace(day=1)
    paid = [invoice for invoice in invoices if invoice.paid_on]
    days = [(invoice.paid_on - invoice.undisputed_on).days for invoice in paid]
    assert sum(d <= 30 for d in days) > len(days) / 2 and any(31 <= d <= 60 for d in days) and max(days) == 70
    assert len(invoices) - len(paid) in range(2, 6) and all(invoice.paid_on <= today for invoice in paid)
    [disputed] = [invoice for invoice in invoices if invoice.undisputed_on != invoice.received_on]
    assert (disputed.undisputed_on - disputed.received_on).days == 10
    # Overdue: one unpaid more than 30 days after it became valid and undisputed.
    assert any(i.paid_on is None and (today - i.undisputed_on).days > 30 for i in invoices)
    # Payments in each payments compliance period of 2026, and over £30,000 from 1 April 2026 under a contract
    # procured from then (s70), so the quarterly list has rows.
    assert any(datetime.date(2026, 1, 1) <= i.paid_on <= datetime.date(2026, 3, 31) for i in paid)
    assert any(datetime.date(2026, 4, 1) <= i.paid_on <= datetime.date(2026, 9, 30) for i in paid)
    assert any(i.paid_on >= datetime.date(2026, 10, 1) for i in paid)
    listed = [
        i
        for i in paid
        if i.amount > Decimal("30000")
        and i.paid_on >= APRIL_2026
        and i.contract.lot.opportunity.procurement_start >= APRIL_2026
    ]
    assert len(listed) >= 2
    assert sum(i.amount > Decimal("30000") for i in invoices) >= 10


# The benchmark's volume ---------------------------------------------------------------------------------------------

SMALL = {"opportunities": 40, "open": 6, "questions": 300, "contracts": 15}


def test_volume_gives_the_numbers_asked_for_and_tops_up(provider):
    generate_volume(organisations=30, locations=40, people=40)
    result = generate_procurement_volume(**SMALL, stdout=io.StringIO())
    opportunities = synthetic_opportunities()
    assert opportunities.count() == 40
    today = timezone.localdate()
    open_now = opportunities.filter(status=Opportunity.Status.OPEN, tender_deadline__gte=today)
    assert open_now.count() == 6
    assert Question.objects.filter(opportunity__in=opportunities).count() == 300
    assert Question.objects.filter(answered_at__isnull=False).count() > 200
    contracts = Contract.objects.filter(lot__opportunity__in=opportunities)
    assert 15 <= contracts.count() <= 18
    assert Invoice.objects.count() >= contracts.count() * 6
    assert result["created"]["opportunities"] == 40
    # Only the synthetic organisations take part, never the real provider.
    organisations = set(synthetic_organisations().values_list("pk", flat=True))
    for model in (Interest, Question, ConsortiumPost):
        assert set(model.objects.values_list("organisation", flat=True)) <= organisations
    assert not Interest.objects.filter(organisation=provider).exists()
    # Consistent: one interest per organisation, questions asked before they were answered, invoices paid after.
    assert not Interest.objects.values("opportunity", "organisation").annotate(n=Count("pk")).filter(n__gt=1)
    for question in Question.objects.filter(answered_at__isnull=False):
        assert question.created_at < question.answered_at
    assert not Invoice.objects.filter(paid_on__gt=today).exists()
    # Idempotent: again creates nothing; a larger volume adds only the difference.
    counts = procurement_counts()
    again = generate_procurement_volume(**SMALL)
    assert procurement_counts() == counts and not any(again["created"].values())
    generate_procurement_volume(opportunities=50, open=8, questions=350, contracts=15)
    assert synthetic_opportunities().count() == 50
    assert Question.objects.filter(opportunity__in=synthetic_opportunities()).count() == 350
