"""The board, an opportunity's page, registering interest, and the officer drafting, advising and publishing."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import ServiceType
from carenetwork.procurement.models import Bid, Interest, Lot, Opportunity, Question
from tests.procurement.factories import contract_for, opportunity_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _draft_post(**overrides) -> dict:
    today = TODAY()
    data = {
        "title": "Home care in three areas",
        "description": "Home care for older people.",
        "funding_route": "contract",
        "light_touch": "on",
        "value": "£400,000",
        "duration_months": "36",
        **_date("procurement_start", today),
        **_date("tender_published", today + timedelta(days=7)),
        **_date("questions_deadline", today + timedelta(days=28)),
        **_date("tender_deadline", today + timedelta(days=42)),
        "reserved_sme_vcse": "on",
    }
    data.update(overrides)
    return data


def _titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


def test_the_board_shows_open_opportunities_to_anyone_and_never_a_draft(client):
    opportunity_for(title="Open one")
    opportunity_for(title="Draft one", status=Opportunity.Status.DRAFT)
    opportunity_for(
        title="Past its deadline", tender_deadline=TODAY() - timedelta(days=1), award_date=None, contract_start=None
    )
    response = client.get(reverse("procurement:board"))
    assert response.status_code == 200
    assert _titles(response) == ["Open one"]
    closed = client.get(reverse("procurement:board"), {"show": "closed"})
    assert _titles(closed) == ["Past its deadline"]
    assert "Draft one" not in response.content.decode() + closed.content.decode()


def test_the_board_filters_by_service_type_area_value_and_reservation(client):
    home_care = ServiceType.objects.get(name="Domiciliary care services")
    opportunity_for(title="Home care", service_type=home_care)
    lots_in_romford = opportunity_for(title="Day services", value=D("25000"))
    Lot.objects.filter(opportunity=lots_in_romford, number=2).update(area="Romford")
    opportunity_for(title="For SMEs", reserved_sme_vcse=True, value=D("2000000"))
    board = reverse("procurement:board")
    assert _titles(client.get(board, {"service_type": home_care.pk})) == ["Home care"]
    assert _titles(client.get(board, {"area": "Romford"})) == ["Day services"]
    assert _titles(client.get(board, {"value": "under-30000"})) == ["Day services"]
    assert _titles(client.get(board, {"value": "over-1000000"})) == ["For SMEs"]
    assert _titles(client.get(board, {"sme": "on"})) == ["For SMEs"]


def test_the_board_costs_the_same_queries_for_many_opportunities(client, django_assert_max_num_queries):
    opportunity_for()
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("procurement:board"))
    for _n in range(25):
        opportunity_for()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("procurement:board"))


def test_an_opportunity_page_costs_the_same_queries_with_many_questions(
    client_for, provider_admin, council_officer, django_assert_max_num_queries
):
    opportunity = opportunity_for()
    client = client_for(provider_admin)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("procurement:detail", args=[opportunity.pk]))
    org = provider_admin.memberships.first().organisation
    Question.objects.bulk_create(
        Question(opportunity=opportunity, organisation=org, text=f"Q{n}", answer="A", answered_at=timezone.now())
        for n in range(40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("procurement:detail", args=[opportunity.pk]))


def test_a_visitor_reads_an_opportunity_but_not_its_questions(client):
    opportunity = opportunity_for()
    page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
    assert opportunity.title in page
    assert "to read the questions and answers" in page
    assert "Register interest" not in page


def test_a_draft_is_missing_for_a_provider(client_for, provider_admin):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    assert client_for(provider_admin).get(reverse("procurement:detail", args=[draft.pk])).status_code == 404


def test_an_officer_drafts_an_opportunity_and_it_is_audited(client_for, council_officer):
    response = client_for(council_officer).post(reverse("procurement:new"), _draft_post())
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("procurement:detail", args=[opportunity.pk])
    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.value == D("400000")
    assert opportunity.reserved_sme_vcse is True
    assert opportunity.created_by == council_officer
    assert AuditEvent.objects.filter(action="opportunity.created", object_id=str(opportunity.pk)).exists()


def test_dates_in_the_wrong_order_are_refused_with_clear_errors(client_for, council_officer):
    today = TODAY()
    response = client_for(council_officer).post(
        reverse("procurement:new"),
        _draft_post(
            **_date("tender_deadline", today + timedelta(days=3)),
            **_date("questions_deadline", today + timedelta(days=5)),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["tender_deadline"]
    assert "The tender deadline must be after the tender notice" in errors
    assert "The questions deadline must be before the tender deadline" in errors
    assert not Opportunity.objects.exists()


def test_checking_the_advice_saves_nothing_and_shows_the_below_threshold_advice(client_for, council_officer):
    response = client_for(council_officer).post(reverse("procurement:new"), {**_draft_post(), "check": "1"})
    assert response.status_code == 200
    assert not Opportunity.objects.exists()
    page = response.content.decode()
    assert "Procurement Act 2023" in page
    assert "s85" in page  # no pre-qualification step below the threshold


def test_the_advice_endpoint_follows_the_value(client_for, council_officer):
    client = client_for(council_officer)
    below = client.post(reverse("procurement:advice"), _draft_post(value="400000")).content.decode()
    above = client.post(reverse("procurement:advice"), _draft_post(value="700000")).content.decode()
    assert "Below the threshold" in below and "At or above the threshold" not in below
    assert "At or above the threshold" in above and "contract award notice (UK6)" in above


def test_lots_are_numbered_in_order_and_publishing_needs_weights_of_100(client_for, council_officer):
    client = client_for(council_officer)
    client.post(reverse("procurement:new"), _draft_post())
    opportunity = Opportunity.objects.get()
    for title in ("North", "South", "Central"):
        client.post(reverse("procurement:part-new", args=[opportunity.pk, "lots"]), {"title": title, "value": "133000"})
    assert list(opportunity.lots.values_list("number", "title")) == [(1, "North"), (2, "South"), (3, "Central")]
    client.post(
        reverse("procurement:part-new", args=[opportunity.pk, "criteria"]),
        {"kind": "quality", "name": "Quality", "weight": "60"},
    )
    response = client.post(reverse("procurement:publish", args=[opportunity.pk]), follow=True)
    assert "must add up to 100% (they add up to 60%)" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT
    client.post(
        reverse("procurement:part-new", args=[opportunity.pk, "criteria"]),
        {"kind": "social-value", "name": "Social value", "weight": "40"},
    )
    client.post(reverse("procurement:publish", args=[opportunity.pk]))
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.OPEN and opportunity.published_at is not None


def test_an_unknown_part_kind_is_missing(client_for, council_officer):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    assert client_for(council_officer).get(reverse("procurement:part-new", args=[draft.pk, "bids"])).status_code == 404


def test_a_published_opportunitys_lot_cannot_be_removed(client_for, council_officer):
    opportunity = opportunity_for()
    lot = opportunity.lots.first()
    client_for(council_officer).post(reverse("procurement:part-remove", args=["lots", lot.pk]))
    assert Lot.objects.filter(pk=lot.pk).exists()


def test_an_awarded_or_imported_opportunity_cannot_be_changed(client_for, council_officer):
    client = client_for(council_officer)
    awarded = opportunity_for(status=Opportunity.Status.AWARDED)
    imported = opportunity_for(status=Opportunity.Status.CLOSED, origin=Opportunity.Origin.CONTRACTS_FINDER)
    assert client.get(reverse("procurement:edit", args=[awarded.pk])).status_code == 404
    response = client.post(reverse("procurement:part-new", args=[imported.pk, "documents"]), {"title": "x"})
    assert response.status_code == 404


def test_a_supplier_registers_interest_once_and_can_withdraw(client_for, provider_admin, provider):
    opportunity = opportunity_for()
    client = client_for(provider_admin)
    url = reverse("procurement:interest", args=[opportunity.pk])
    client.post(url)
    client.post(url)
    assert list(Interest.objects.values_list("organisation", flat=True)) == [provider.pk]
    client.post(url, {"withdraw": "1"})
    assert not Interest.objects.exists()


def test_interest_in_a_closed_opportunity_is_refused(client_for, provider_admin):
    opportunity = opportunity_for(tender_deadline=TODAY() - timedelta(days=1), award_date=None, contract_start=None)
    response = client_for(provider_admin).post(reverse("procurement:interest", args=[opportunity.pk]), follow=True)
    assert "This opportunity is closed" in response.content.decode()
    assert not Interest.objects.exists()


def test_a_change_is_audited_with_what_changed(client_for, council_officer):
    opportunity = opportunity_for(status=Opportunity.Status.DRAFT)
    client = client_for(council_officer)
    client.post(reverse("procurement:edit", args=[opportunity.pk]), _draft_post(title="Home care, renamed"))
    event = AuditEvent.objects.get(action="opportunity.changed", object_id=str(opportunity.pk))
    assert event.changes["title"] == ["Home care in three areas", "Home care, renamed"]
    lot = opportunity.lots.get(number=1)
    client.post(reverse("procurement:part-edit", args=["lots", lot.pk]), {"title": "Northern area"})
    assert AuditEvent.objects.get(action="opportunity.lots.changed").changes["title"] == ["Area 1", "Northern area"]


def test_a_drafts_area_is_not_offered_as_a_filter(client):
    opportunity_for(status=Opportunity.Status.DRAFT, area="Secret Fen")
    opportunity_for(area="Romford")
    areas = [
        value
        for value, _label in client.get(reverse("procurement:board")).context["form"].fields["area"].widget.choices
    ]
    assert "Romford" in areas and "Secret Fen" not in areas


def test_people_of_a_closed_down_organisation_cannot_act_for_it(client_for, provider_admin, provider):
    provider.is_active = False
    provider.save(update_fields=["is_active"])
    response = client_for(provider_admin).post(reverse("procurement:interest", args=[opportunity_for().pk]))
    assert response.status_code == 403
    assert not Interest.objects.exists()


def test_the_advice_endpoint_refuses_an_id_that_is_not_one(client_for, council_officer):
    response = client_for(council_officer).post(reverse("procurement:advice") + "?opportunity=²", _draft_post())
    assert response.status_code == 404


def test_an_officer_cancels_an_opportunity_and_the_interested_are_told_why(
    client_for, council_officer, provider_admin, provider, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity = opportunity_for()
    Interest.objects.create(opportunity=opportunity, organisation=provider)
    client = client_for(council_officer)
    url = reverse("procurement:cancel", args=[opportunity.pk])
    assert "Enter why the opportunity is cancelled" in client.post(url, {"reason": "  "}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The service is being brought in house."})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CANCELLED
    event = AuditEvent.objects.get(action="opportunity.cancelled")
    assert event.changes == {"reason": "The service is being brought in house."}
    [email] = mailoutbox
    assert provider_admin.email in email.to and "brought in house" in email.body
    assert client.get(url).status_code == 404  # a cancelled opportunity is not cancelled twice


def test_a_bidder_finds_its_feedback_and_contract_on_the_opportunity_and_no_one_elses(
    client_for, provider_admin, provider, other_admin, other_provider
):
    opportunity = opportunity_for(status=Opportunity.Status.AWARDED)
    contract = contract_for(provider, opportunity=opportunity)
    lot = opportunity.lots.get(number=1)
    won = Bid.objects.create(
        lot=lot, organisation=provider, outcome="successful", feedback="Good", feedback_sent_at=timezone.now()
    )
    lost = Bid.objects.create(
        lot=lot, organisation=other_provider, outcome="unsuccessful", feedback="Sorry", feedback_sent_at=timezone.now()
    )
    page = client_for(provider_admin).get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
    assert reverse("procurement:feedback", args=[won.pk]) in page
    assert reverse("procurement:contract", args=[contract.pk]) in page
    assert reverse("procurement:feedback", args=[lost.pk]) not in page
    other = client_for(other_admin).get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
    assert reverse("procurement:feedback", args=[lost.pk]) in other
    assert reverse("procurement:contract", args=[contract.pk]) not in other


def test_an_opportunity_with_a_lot_awarded_cannot_be_cancelled(client_for, council_officer, provider):
    opportunity = opportunity_for(status=Opportunity.Status.CLOSED)
    Bid.objects.create(lot=opportunity.lots.get(number=1), organisation=provider, outcome="successful")
    client = client_for(council_officer)
    assert client.get(reverse("procurement:cancel", args=[opportunity.pk])).status_code == 404
    page = client.get(reverse("procurement:detail", args=[opportunity.pk])).content.decode()
    assert "Cancel the opportunity" not in page


def test_an_open_opportunity_keeps_its_value_and_tender_deadline(client_for, council_officer):
    opportunity = opportunity_for()
    post = _draft_post(value="")
    for key in ("tender_deadline_0", "tender_deadline_1", "tender_deadline_2"):
        post.pop(key)
    response = client_for(council_officer).post(reverse("procurement:edit", args=[opportunity.pk]), post)
    errors = response.context["form"].errors
    assert errors["value"] == ["Enter the estimated total value: the opportunity is on the board"]
    assert errors["tender_deadline"] == ["Enter the tender deadline: the opportunity is on the board"]
    opportunity.refresh_from_db()
    assert opportunity.value == D("400000") and opportunity.tender_deadline is not None


def test_council_staff_find_the_opportunities_to_award_and_only_then_the_award_link(client_for, council_officer):
    past = TODAY() - timedelta(days=1)
    due = opportunity_for(title="Due", tender_deadline=past, award_date=None, contract_start=None)
    opportunity_for(title="Still open")
    opportunity_for(title="Imported", tender_deadline=past, origin=Opportunity.Origin.CONTRACTS_FINDER)
    client = client_for(council_officer)
    assert _titles(client.get(reverse("procurement:board"), {"show": "to-award"})) == ["Due"]
    home = client.get("/").content.decode()
    assert "1 closed opportunity to award" in home and "?show=to-award" in home
    award = reverse("procurement:award", args=[due.pk])
    assert award in client.get(reverse("procurement:detail", args=[due.pk])).content.decode()
    still_open = Opportunity.objects.get(title="Still open")
    assert (
        reverse("procurement:award", args=[still_open.pk])
        not in client.get(reverse("procurement:detail", args=[still_open.pk])).content.decode()
    )


def test_a_draft_is_deleted_after_confirming_and_a_published_one_is_not(client_for, council_officer):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    published = opportunity_for()
    client = client_for(council_officer)
    assert "Delete the draft" in client.get(reverse("procurement:draft-delete", args=[draft.pk])).content.decode()
    client.post(reverse("procurement:draft-delete", args=[draft.pk]))
    assert not Opportunity.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="opportunity.draft_deleted", object_id=str(draft.pk)).exists()
    assert client.post(reverse("procurement:draft-delete", args=[published.pk])).status_code == 404


def test_a_part_is_removed_from_its_form_but_a_published_lot_offers_no_removal(client_for, council_officer):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    client = client_for(council_officer)
    criterion = draft.criteria.first()
    form = client.get(reverse("procurement:part-edit", args=["criteria", criterion.pk])).content.decode()
    assert reverse("procurement:part-remove", args=["criteria", criterion.pk]) in form
    client.post(reverse("procurement:part-remove", args=["criteria", criterion.pk]))
    assert not draft.criteria.filter(pk=criterion.pk).exists()
    lot = opportunity_for().lots.first()
    form = client.get(reverse("procurement:part-edit", args=["lots", lot.pk])).content.decode()
    assert reverse("procurement:part-remove", args=["lots", lot.pk]) not in form
