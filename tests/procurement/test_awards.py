"""Award and feedback: the officer records each lot's bidders, scores and successful bids (which become contracts),
the opportunity is awarded when every lot is decided, and each bidder is sent written feedback (toolkit question 15)
that its own people can read. Unsuccessful bidders keep everything they had."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.forums.models import ForumMembership
from carenetwork.organisations.models import Membership
from carenetwork.procurement import awards
from carenetwork.procurement.awards import BidEntry
from carenetwork.procurement.models import Bid, Contract, Invoice, Opportunity
from tests.procurement.factories import opportunity_for

pytestmark = pytest.mark.django_db
S = Opportunity.Status
O = Bid.Outcome  # noqa: E741


def main(response) -> str:
    """The page's own content, without the header's sign-out form."""
    return response.content.decode().split('id="main-content"')[1].split("</main>")[0]


def closed(**fields):
    today = timezone.localdate()
    return opportunity_for(
        status=S.CLOSED,
        tender_deadline=today - datetime.timedelta(days=1),
        questions_deadline=today - datetime.timedelta(days=10),
        **fields,
    )


def row(n, organisation, outcome=O.PENDING, score=None, **fields):
    return BidEntry(row=f"r{n}", organisation=organisation, outcome=outcome, score=score, **fields)


def save(actor, opportunity, per_lot):
    """per_lot: {lot number: [entries]}."""
    lots = {lot.number: lot for lot in opportunity.lots.all()}
    entries = [(lots[number], rows) for number, rows in per_lot.items()]
    return awards.award_save(actor=actor, opportunity=opportunity, entries=entries, today=timezone.localdate())


def won(organisation, n=1, value="120000", score="81.5", **fields):
    return row(n, organisation, O.SUCCESSFUL, D(score), value=D(value), **fields)


# When an award may be recorded -------------------------------------------------------------------------------------


def test_a_closed_opportunity_or_an_open_one_past_its_deadline_can_be_awarded():
    today = timezone.localdate()
    assert awards.award_refusal(closed(), today) is None
    past = opportunity_for(tender_deadline=today - datetime.timedelta(days=1))
    assert awards.award_refusal(past, today) is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"status": S.DRAFT}, "is a draft"),
        ({"status": S.CANCELLED}, "was cancelled"),
        ({"status": S.OPEN}, "Tenders are open until"),
        ({"status": S.OPEN, "tender_deadline": None}, "has no tender deadline"),
        ({"status": S.CLOSED, "origin": Opportunity.Origin.CONTRACTS_FINDER}, "imported from Contracts Finder"),
    ],
)
def test_an_award_is_refused_with_the_reason(council_officer, provider, fields, words):
    opportunity = opportunity_for(**fields)
    assert words in awards.award_refusal(opportunity, timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        save(council_officer, opportunity, {1: [won(provider)]})
    assert words in refused.value.messages[0]
    assert not Bid.objects.exists()


def test_the_open_deadline_day_itself_is_still_open():
    today = timezone.localdate()
    assert "Tenders are open" in awards.award_refusal(opportunity_for(tender_deadline=today), today)


# Recording bids and contracts --------------------------------------------------------------------------------------


def test_a_successful_bid_becomes_a_contract_with_the_supplier_and_today(council_officer, provider, other_provider):
    opportunity = closed()
    save(
        council_officer,
        opportunity,
        {1: [won(provider, start=datetime.date(2027, 4, 1)), row(2, other_provider, O.UNSUCCESSFUL, D("64"))]},
    )
    contract = Contract.objects.get()
    assert (contract.supplier, contract.supplier_name, contract.value) == (provider, provider.name, D("120000"))
    assert contract.awarded_on == timezone.localdate() and contract.start == datetime.date(2027, 4, 1)
    assert contract.lot.number == 1
    assert {(b.organisation, b.outcome, b.score) for b in Bid.objects.all()} == {
        (provider, O.SUCCESSFUL, D("81.50")),
        (other_provider, O.UNSUCCESSFUL, D("64.00")),
    }


def test_the_award_date_given_is_kept(council_officer, provider):
    save(council_officer, closed(), {1: [won(provider, awarded_on=datetime.date(2026, 11, 30))]})
    assert Contract.objects.get().awarded_on == datetime.date(2026, 11, 30)


def test_a_lot_with_bids_but_no_successful_one_is_not_decided(council_officer, provider, other_provider):
    opportunity = closed(lots=2)
    saved = save(
        council_officer,
        opportunity,
        {1: [won(provider)], 2: [row(1, other_provider, O.UNSUCCESSFUL, D("40")), row(2, provider)]},
    )
    assert saved.status == S.CLOSED
    assert Contract.objects.count() == 1


def test_the_opportunity_is_awarded_when_every_lot_is_decided(council_officer, provider, other_provider):
    opportunity = closed(lots=2)
    save(council_officer, opportunity, {1: [won(provider)]})
    saved = save(council_officer, opportunity, {2: [won(other_provider)]})
    assert saved.status == S.AWARDED
    assert Opportunity.objects.get(pk=opportunity.pk).status == S.AWARDED
    assert AuditEvent.objects.filter(action="opportunity.awarded", object_id=str(opportunity.pk)).exists()


def test_an_open_opportunity_past_its_deadline_is_awarded_too(council_officer, provider):
    opportunity = opportunity_for(lots=1, tender_deadline=timezone.localdate() - datetime.timedelta(days=3))
    assert save(council_officer, opportunity, {1: [won(provider)]}).status == S.AWARDED


def test_several_successful_bids_in_a_lot_make_several_contracts(council_officer, provider, other_provider):
    save(council_officer, closed(lots=1), {1: [won(provider, 1), won(other_provider, 2, value="90000", score="77")]})
    assert sorted(Contract.objects.values_list("supplier_name", flat=True)) == sorted(
        [provider.name, other_provider.name]
    )


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (lambda p: row(1, p, O.SUCCESSFUL, D("80")), "value", "Enter the contract value"),
        (lambda p: row(1, p, O.UNSUCCESSFUL), "score", "Enter the bid's score"),
        (lambda p: row(1, None), "organisation", "Choose the bidder"),
        (
            lambda p: won(p, start=datetime.date(2027, 4, 1), end=datetime.date(2027, 3, 31)),
            "end",
            "must end after it starts",
        ),
    ],
)
def test_a_row_that_cannot_be_saved_says_why_on_its_field(council_officer, provider, entry, field, words):
    with pytest.raises(ValidationError) as refused:
        save(council_officer, closed(), {1: [entry(provider)]})
    assert words in " ".join(refused.value.message_dict[f"r1.{field}"])
    assert not Bid.objects.exists() and not Contract.objects.exists()


def test_the_council_cannot_bid_and_a_bidder_is_recorded_once_per_lot(council_officer, council, provider):
    with pytest.raises(ValidationError) as refused:
        save(council_officer, closed(), {1: [row(1, council), row(2, provider), row(3, provider)]})
    errors = refused.value.message_dict
    assert "cannot bid" in errors["r1.organisation"][0]
    assert "already a bidder" in errors["r3.organisation"][0]


def test_a_new_row_cannot_repeat_a_bidder_already_recorded(council_officer, provider):
    opportunity = closed()
    save(council_officer, opportunity, {1: [row(1, provider)]})
    with pytest.raises(ValidationError) as refused:
        save(council_officer, opportunity, {1: [row(9, provider)]})
    assert "already a bidder" in refused.value.message_dict["r9.organisation"][0]


def test_taking_back_a_successful_bid_removes_its_contract(council_officer, provider):
    opportunity = closed(lots=1)
    save(council_officer, opportunity, {1: [won(provider)]})
    bid = Bid.objects.get()
    saved = save(council_officer, opportunity, {1: [row(1, provider, O.UNSUCCESSFUL, D("81.5"), bid=bid)]})
    assert not Contract.objects.exists()
    assert saved.status == S.CLOSED  # awarded no more
    assert AuditEvent.objects.filter(action="contract.removed").count() == 1


def test_a_contract_with_invoices_cannot_be_taken_back(council_officer, provider):
    opportunity = closed(lots=1)
    save(council_officer, opportunity, {1: [won(provider)]})
    contract = Contract.objects.get()
    today = timezone.localdate()
    Invoice.objects.create(contract=contract, reference="1", amount=D(10), received_on=today, undisputed_on=today)
    bid = Bid.objects.get()
    with pytest.raises(ValidationError) as refused:
        save(council_officer, opportunity, {1: [row(1, provider, O.UNSUCCESSFUL, D("81.5"), bid=bid)]})
    assert "has invoices recorded" in refused.value.message_dict["r1.outcome"][0]
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_changing_a_contract_and_removing_a_bidder_are_audited(council_officer, provider, other_provider):
    opportunity = closed(lots=1)
    save(council_officer, opportunity, {1: [won(provider), row(2, other_provider, O.UNSUCCESSFUL, D("50"))]})
    winner, loser = Bid.objects.get(organisation=provider), Bid.objects.get(organisation=other_provider)
    save(
        council_officer,
        opportunity,
        {1: [won(provider, value="125000", bid=winner), row(2, other_provider, bid=loser, remove=True)]},
    )
    assert Contract.objects.get().value == D("125000")
    assert not Bid.objects.filter(pk=loser.pk).exists()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[:3] == ["bid.recorded", "contract.awarded", "bid.recorded"]
    assert "contract.changed" in actions and "bid.removed" in actions
    changed = AuditEvent.objects.get(action="contract.changed")
    assert changed.changes == {"value": ["120000.00", "125000.00"]}


def test_unsuccessful_bidders_keep_their_memberships_forums_and_directory_entry(
    council_officer, provider, provider_admin, provider_member, forum, other_provider
):
    memberships = list(Membership.objects.filter(organisation=provider).values_list("pk", "role", "ended_at"))
    forums = list(ForumMembership.objects.filter(organisation=provider).values_list("pk", "status"))
    save(council_officer, closed(lots=1), {1: [won(other_provider), row(2, provider, O.UNSUCCESSFUL, D("55"))]})
    provider.refresh_from_db()
    assert provider.is_active
    assert list(Membership.objects.filter(organisation=provider).values_list("pk", "role", "ended_at")) == memberships
    assert list(ForumMembership.objects.filter(organisation=provider).values_list("pk", "status")) == forums


def test_only_council_staff_record_an_award(provider_admin, provider):
    with pytest.raises(PermissionDenied):
        save(provider_admin, closed(), {1: [won(provider)]})


# The award page ----------------------------------------------------------------------------------------------------


def management(opportunity, rows_per_lot=None):
    data = {}
    for lot in opportunity.lots.all():
        initial = lot.bids.count()
        data[f"lot-{lot.pk}-TOTAL_FORMS"] = str((rows_per_lot or {}).get(lot.number, initial + 2))
        data[f"lot-{lot.pk}-INITIAL_FORMS"] = str(initial)
    return data


def test_the_award_page_records_bids_from_its_rows(client_for, council_officer, provider, other_provider):
    opportunity = closed(lots=1)
    lot = opportunity.lots.get()
    p = f"lot-{lot.pk}"
    data = management(opportunity) | {
        f"{p}-0-organisation": provider.pk,
        f"{p}-0-score": "81.5",
        f"{p}-0-outcome": "successful",
        f"{p}-0-value": "£120,000",
        f"{p}-0-start_0": "1",
        f"{p}-0-start_1": "4",
        f"{p}-0-start_2": "2027",
        f"{p}-1-organisation": other_provider.pk,
        f"{p}-1-score": "64",
        f"{p}-1-outcome": "unsuccessful",
    }
    client = client_for(council_officer)
    response = client.post(reverse("procurement:award", args=[opportunity.pk]), data)
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=opportunity.pk).status == S.AWARDED
    assert Contract.objects.get().start == datetime.date(2027, 4, 1)
    page = client.get(reverse("procurement:award", args=[opportunity.pk])).content.decode()
    assert "Write feedback" in page and "£120,000.00" in page
    assert reverse("procurement:feedback", args=[Bid.objects.get(organisation=other_provider).pk]) in page


def test_the_award_page_shows_the_services_errors_on_the_rows(client_for, council_officer, provider):
    opportunity = closed(lots=1)
    lot = opportunity.lots.get()
    data = management(opportunity) | {
        f"lot-{lot.pk}-0-organisation": provider.pk,
        f"lot-{lot.pk}-0-score": "81.5",
        f"lot-{lot.pk}-0-outcome": "successful",
    }
    response = client_for(council_officer).post(reverse("procurement:award", args=[opportunity.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert f'href="#id_lot-{lot.pk}-0-value"' in page
    assert "Enter the contract value for a successful bid" in page
    assert not Bid.objects.exists()


def test_the_award_page_of_a_draft_says_why_and_refuses(client_for, council_officer, provider):
    draft = opportunity_for(status=S.DRAFT)
    client = client_for(council_officer)
    page = client.get(reverse("procurement:award", args=[draft.pk])).content.decode()
    assert "is a draft" in page and "Save the bids" not in page
    response = client.post(reverse("procurement:award", args=[draft.pk]), management(draft))
    assert "There is a problem" in response.content.decode()
    assert not Bid.objects.exists()


def test_the_award_page_offers_every_organisation_but_the_council(client_for, council_officer, council, provider):
    response = client_for(council_officer).get(reverse("procurement:award", args=[closed().pk]))
    page = response.content.decode()
    assert f'<option value="{provider.pk}">{provider.name}</option>' in page
    assert f'<option value="{council.pk}">' not in page


def test_the_award_page_costs_the_same_queries_with_more_bids(
    client_for, council_officer, provider, other_provider, training_org, django_assert_max_num_queries
):
    opportunity = closed(lots=3)
    client = client_for(council_officer)
    save(council_officer, opportunity, {1: [won(provider)]})
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("procurement:award", args=[opportunity.pk]))
    save(
        council_officer,
        opportunity,
        {n: [won(other_provider, 1), row(2, training_org, O.UNSUCCESSFUL, D(40))] for n in (2, 3)},
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("procurement:award", args=[opportunity.pk]))


# Feedback ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def lost_bid(council_officer, provider, other_provider):
    opportunity = closed(lots=1)
    save(
        council_officer,
        opportunity,
        {1: [won(other_provider, score="78"), row(2, provider, O.UNSUCCESSFUL, D("62.5"))]},
    )
    return Bid.objects.get(organisation=provider)


def test_the_outline_has_the_scores_and_a_heading_per_criterion(lost_bid):
    outline = awards.feedback_outline(lost_bid, awards.criteria_of(lost_bid), awards.winning_scores(lost_bid))
    assert "Your score: 62.5%" in outline
    assert "The winning score: 78%" in outline
    for heading in (
        "Quality (60%)",
        "Price (30%)",
        "Social value (10%)",
        "Strengths:",
        "Weaknesses:",
        "How to improve",
    ):
        assert heading in outline


def test_sending_feedback_emails_the_bidder_and_is_audited(
    lost_bid, council_officer, provider, provider_admin, provider_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = awards.feedback_send(actor=council_officer, bid=lost_bid, text="Quality: strong staffing plan.")
    assert sent.feedback == "Quality: strong staffing plan." and sent.feedback_sent_at is not None
    [email] = mail.outbox
    assert set(email.to) == {provider_admin.email, provider.contact_email}  # the admins and the shared mailbox
    assert "Feedback on your bid: Home care in three areas" in email.subject
    assert "Your score: 62.5%" in email.body and "The winning score: 78%" in email.body
    assert "Quality: strong staffing plan." in email.body
    assert reverse("procurement:feedback", args=[lost_bid.pk]) in email.body
    event = AuditEvent.objects.get(action="bid.feedback_sent")
    assert event.organisation == provider


def test_feedback_must_be_written(lost_bid, council_officer):
    with pytest.raises(ValidationError) as refused:
        awards.feedback_send(actor=council_officer, bid=lost_bid, text="  ")
    assert refused.value.message_dict["feedback"] == ["Write the feedback"]
    outline = awards.feedback_outline(lost_bid, awards.criteria_of(lost_bid), awards.winning_scores(lost_bid))
    with pytest.raises(ValidationError) as refused:
        awards.feedback_send(actor=council_officer, bid=lost_bid, text=outline)
    assert "has not been changed" in refused.value.message_dict["feedback"][0]
    with pytest.raises(ValidationError, match="has not been changed"):  # as a browser sends it: CRLF line breaks
        awards.feedback_send(actor=council_officer, bid=lost_bid, text=outline.replace("\n", "\r\n"))
    assert not mail.outbox


def test_feedback_waits_for_the_decision(council_officer, provider):
    opportunity = closed(lots=1)
    save(council_officer, opportunity, {1: [row(1, provider)]})
    with pytest.raises(ValidationError, match="award page"):
        awards.feedback_send(actor=council_officer, bid=Bid.objects.get(), text="Good")


def test_the_feedback_page_sends_and_the_bidder_reads_it(
    client_for, lost_bid, council_officer, provider_member, django_capture_on_commit_callbacks
):
    url = reverse("procurement:feedback", args=[lost_bid.pk])
    officer = client_for(council_officer)
    form_page = officer.get(url).content.decode()
    assert "Strengths:" in form_page and "Quality (Quality, 60%)" in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url, {"feedback": "Price: clear.\nHow to improve: show outcomes."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = main(client_for(provider_member).get(url))
    assert "Price: clear.<br>How to improve: show outcomes." in page
    assert "62.5%" in page and "78%" in page
    assert "<form" not in page


def test_the_bidder_sees_nothing_before_the_feedback_is_sent(client_for, lost_bid, provider_admin):
    page = main(client_for(provider_admin).get(reverse("procurement:feedback", args=[lost_bid.pk])))
    assert "has not sent its feedback" in page
    assert "62.5" not in page and "78" not in page


def test_another_organisation_cannot_find_a_bid_and_the_bidder_cannot_send(
    client_for, lost_bid, other_admin, provider_admin
):
    url = reverse("procurement:feedback", args=[lost_bid.pk])
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(provider_admin).post(url, {"feedback": "Great"}).status_code == 403
