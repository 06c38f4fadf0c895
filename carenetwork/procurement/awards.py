"""Recording an opportunity's outcome lot by lot, and the written feedback each bidder is sent (council staff;
audited).

The officer records each lot's bidders with their scores and marks the successful one(s); a successful bid becomes a
contract with its value and dates. A lot is decided once it has a successful bid, and the opportunity is awarded when
every lot is decided. A lot with bids but no successful one yet is simply not decided.

Feedback answers the Market Shaping Toolkit's question 15 ("Are we offering and providing feedback that is as helpful
as possible and designed to promote future improvement?"): for each bid, written feedback against each criterion,
with the bid's score beside the winning score and how to improve. It is emailed to the bidder organisation and kept
for its admins and members to read. Losing a bid changes nothing else: the bidder keeps its place in the forums and
the directory, and nothing here touches either.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.procurement import permissions
from carenetwork.procurement.models import Bid, Contract, Criterion, Lot, Opportunity

Outcome = Bid.Outcome
BID_FIELDS = ["organisation", "outcome", "score"]
CONTRACT_FIELDS = ["supplier", "supplier_name", "value", "awarded_on", "start", "end"]


def award_refusal(opportunity: Opportunity, today: datetime.date) -> str | None:
    """Why an opportunity's outcome cannot be recorded (yet); None when it can."""
    if opportunity.origin != Opportunity.Origin.PORTAL:
        return _("This opportunity was imported from Contracts Finder: its award is the one its source records")
    if opportunity.status == Opportunity.Status.DRAFT:
        return _("This opportunity is a draft: it can be awarded once it has been published and tenders are in")
    if opportunity.status == Opportunity.Status.CANCELLED:
        return _("This opportunity was cancelled: it cannot be awarded")
    if opportunity.status == Opportunity.Status.OPEN and (
        opportunity.tender_deadline is None or opportunity.tender_deadline >= today
    ):
        if opportunity.tender_deadline is None:
            return _("This opportunity is open for tenders and has no tender deadline: close it before the award")
        return _("Tenders are open until %(day)s: record the award after the tender deadline") % {
            "day": date_format(opportunity.tender_deadline, "j F Y")
        }
    return None


def bidder_list(*, include: list[int] = ()) -> QuerySet[Organisation]:
    """The organisations that may be recorded as bidders: every active one but the council (and any in `include`)."""
    return (
        Organisation.objects.exclude(kind=Organisation.Kind.COUNCIL)
        .filter(Q(is_active=True) | Q(pk__in=list(include)))
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class RecordedBid:
    """A bid as the award page shows it: with its contract (if successful) and how many invoices that has."""

    bid: Bid
    contract: Contract | None

    @property
    def score(self) -> str | None:
        return score_text(self.bid.score)


def bids_by_lot(opportunity: Opportunity) -> dict[int, list[RecordedBid]]:
    """Every bid of the opportunity with its contract, by lot (two queries)."""
    bids = (
        Bid.objects.filter(lot__opportunity=opportunity)
        .select_related("organisation")
        .order_by("lot", "-score", "organisation__name")
    )
    contracts = _contracts(opportunity)
    found = defaultdict(list)
    for bid in bids:
        found[bid.lot_id].append(RecordedBid(bid, contracts.get((bid.lot_id, bid.organisation_id))))
    return found


def _contracts(opportunity: Opportunity) -> dict[tuple[int, int], Contract]:
    contracts = Contract.objects.filter(lot__opportunity=opportunity, supplier__isnull=False).annotate(
        invoice_count=Count("invoices")
    )
    return {(c.lot_id, c.supplier_id): c for c in contracts}


@dataclass
class BidEntry:
    """One bidder of a lot as the officer records it. `row` names it in errors: "<row>.<field>"."""

    row: str
    organisation: Organisation | None
    outcome: str = Outcome.PENDING
    score: Decimal | None = None
    value: Decimal | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    awarded_on: datetime.date | None = None
    bid: Bid | None = None
    remove: bool = False


@transaction.atomic
def award_save(
    *, actor, opportunity: Opportunity, entries: list[tuple[Lot, list[BidEntry]]], today: datetime.date
) -> Opportunity:
    """Record each lot's bidders, scores and successful bids with their contracts; award when every lot is decided."""
    require(permissions.can_manage(actor))
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    refusal = award_refusal(opportunity, today)
    if refusal:
        raise ValidationError(refusal)
    contracts = _contracts(opportunity)
    recorded = defaultdict(dict)  # lot -> {bid: organisation}
    for pk, lot_id, organisation_id in Bid.objects.filter(lot__opportunity=opportunity).values_list(
        "pk", "lot_id", "organisation_id"
    ):
        recorded[lot_id][pk] = organisation_id
    errors = {}
    for lot, rows in entries:
        if lot.opportunity_id != opportunity.pk:
            raise ValidationError(_("A lot of another opportunity was given"))
        named = {entry.bid.pk for entry in rows if entry.bid is not None}
        others = {o for pk, o in recorded[lot.pk].items() if pk not in named}  # bids the rows leave as they are
        errors.update(_entry_errors(lot, rows, contracts, others))
    if errors:
        raise ValidationError(errors)
    for lot, rows in entries:
        for entry in rows:
            _apply(actor, lot, entry, contracts, today)
    return _decide(actor, opportunity)


def _entry_errors(lot: Lot, rows: list[BidEntry], contracts: dict, others: set[int]) -> dict:
    errors = {}
    seen = set(others)

    def add(entry, field, message):
        errors.setdefault(f"{entry.row}.{field}", []).append(message)

    for entry in rows:
        if entry.bid is not None and entry.bid.lot_id != lot.pk:
            add(entry, "organisation", _("This bid is not for %(lot)s") % {"lot": lot})
            continue
        kept = _contract_of(entry.bid, contracts)
        losing_contract = kept is not None and (
            entry.remove
            or entry.outcome != Outcome.SUCCESSFUL
            or (entry.organisation is not None and entry.organisation.pk != entry.bid.organisation_id)
        )
        if losing_contract and kept.invoice_count:
            add(
                entry,
                "outcome",
                _("%(supplier)s's contract has invoices recorded: it cannot be taken back here")
                % {"supplier": kept.supplier_name},
            )
        if entry.remove:
            continue
        organisation = entry.organisation
        if organisation is None:
            add(entry, "organisation", _("Choose the bidder"))
        elif organisation.kind == Organisation.Kind.COUNCIL:
            add(entry, "organisation", _("The council cannot bid for its own contract"))
        elif organisation.pk in seen:
            add(entry, "organisation", _("%(name)s is already a bidder for this lot") % {"name": organisation.name})
        else:
            seen.add(organisation.pk)
        if entry.outcome != Outcome.PENDING and entry.score is None:
            add(entry, "score", _("Enter the bid's score: feedback compares it with the winning score"))
        if entry.outcome == Outcome.SUCCESSFUL:
            if entry.value is None:
                add(entry, "value", _("Enter the contract value for a successful bid"))
            if entry.start and entry.end and entry.end < entry.start:
                add(entry, "end", _("The contract must end after it starts"))
    return errors


def _places(value: Decimal | None) -> Decimal | None:
    """As stored (two places), so that the audit shows only real changes."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _contract_of(bid: Bid | None, contracts: dict) -> Contract | None:
    return None if bid is None else contracts.get((bid.lot_id, bid.organisation_id))


def _label(lot: Lot, organisation: Organisation) -> str:
    return f"{lot.opportunity.title}: {lot}: {organisation.name}"[:255]


def _apply(actor, lot: Lot, entry: BidEntry, contracts: dict, today: datetime.date) -> None:
    bid = entry.bid
    contract = _contract_of(bid, contracts)
    keeps_contract = (
        not entry.remove and entry.outcome == Outcome.SUCCESSFUL and entry.organisation.pk == bid.organisation_id
        if bid is not None
        else False
    )
    if contract is not None and not keeps_contract:
        audit.record(actor=actor, action="contract.removed", obj=contract, organisation=contract.supplier)
        contract.delete()
        contract = None
    if entry.remove:
        if bid is not None:
            audit.record(actor=actor, action="bid.removed", obj=bid, label=_label(lot, bid.organisation))
            bid.delete()
        return
    bid = bid or Bid(lot=lot)
    before = audit.snapshot(bid, BID_FIELDS) if bid.pk else None
    bid.organisation, bid.outcome, bid.score = entry.organisation, entry.outcome, _places(entry.score)
    bid.full_clean(validate_constraints=False)
    bid.save()
    after = audit.snapshot(bid, BID_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action="bid.recorded" if before is None else "bid.changed",
            obj=bid,
            organisation=entry.organisation,
            changes=after if before is None else audit.diff(before, after),
            label=_label(lot, entry.organisation),
        )
    if entry.outcome == Outcome.SUCCESSFUL:
        _contract_save(actor, lot, entry, contract, today)


def _contract_save(actor, lot: Lot, entry: BidEntry, contract: Contract | None, today: datetime.date) -> Contract:
    contract = contract or Contract(lot=lot)
    before = audit.snapshot(contract, CONTRACT_FIELDS) if contract.pk else None
    contract.supplier = entry.organisation
    contract.supplier_name = entry.organisation.name
    contract.value = _places(entry.value)
    contract.awarded_on = entry.awarded_on or contract.awarded_on or today
    contract.start, contract.end = entry.start, entry.end
    contract.full_clean()
    contract.save()
    after = audit.snapshot(contract, CONTRACT_FIELDS)
    if before != after:
        audit.record(
            actor=actor,
            action="contract.awarded" if before is None else "contract.changed",
            obj=contract,
            organisation=entry.organisation,
            changes=after if before is None else audit.diff(before, after),
        )
    return contract


def _decide(actor, opportunity: Opportunity) -> Opportunity:
    """Awarded once every lot has a successful bid; an awarded one whose decision was taken back is closed again."""
    lots = opportunity.lots.annotate(won=Count("bids", filter=Q(bids__outcome=Outcome.SUCCESSFUL)))
    decided = lots.exists() and not lots.filter(won=0).exists()
    status = opportunity.status
    if decided:
        status = Opportunity.Status.AWARDED
    elif status == Opportunity.Status.AWARDED:
        status = Opportunity.Status.CLOSED
    if status != opportunity.status:
        changes = {"status": [opportunity.status, status]}
        opportunity.status = status
        opportunity.save(update_fields=["status", "modified_at"])
        action = "opportunity.awarded" if decided else "opportunity.award_reopened"
        audit.record(actor=actor, action=action, obj=opportunity, changes=changes)
    return opportunity


# Feedback ---------------------------------------------------------------------------------------------------------


def bid_get(pk: int) -> Bid | None:
    """A bid with its lot, opportunity and organisation (None if there is none)."""
    return Bid.objects.select_related("lot__opportunity", "organisation").filter(pk=pk).first()


def winning_scores(bid: Bid) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest score of the lot's successful bids (the same when one bid won)."""
    scores = [
        s
        for s in Bid.objects.filter(lot_id=bid.lot_id, outcome=Outcome.SUCCESSFUL).values_list("score", flat=True)
        if s is not None
    ]
    return (min(scores), max(scores)) if scores else (None, None)


def criteria_of(bid: Bid) -> list[Criterion]:
    return list(bid.lot.opportunity.criteria.order_by("pk"))


def feedback_outline(bid: Bid, criteria: list[Criterion], winning: tuple) -> str:
    """A starting point for the officer: a heading per criterion for strengths and weaknesses, the scores, and how to
    improve (toolkit question 15)."""
    lines = []
    if bid.score is not None:
        lines.append(_("Your score: %(score)s%%") % {"score": score_text(bid.score)})
    low, high = winning
    if high is not None:
        if low == high:
            lines.append(_("The winning score: %(score)s%%") % {"score": score_text(high)})
        else:
            lines.append(
                _("The successful bids scored %(low)s%% to %(high)s%%")
                % {"low": score_text(low), "high": score_text(high)}
            )
    for criterion in criteria:
        lines += ["", f"{criterion.name} ({criterion.weight}%)", _("Strengths:"), _("Weaknesses:")]
    lines += ["", _("How to improve a future bid:"), ""]
    return "\n".join(lines)


def score_text(value: Decimal | None) -> str | None:
    """A score as people write it: 62.5, 78, 81.25."""
    if value is None:
        return None
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")


@transaction.atomic
def feedback_send(*, actor, bid: Bid, text: str) -> Bid:
    """Send a bidder its written feedback (emailed to the organisation; again if changed); audited."""
    require(permissions.can_manage(actor))
    bid = Bid.objects.select_for_update().select_related("lot__opportunity", "organisation").get(pk=bid.pk)
    if bid.outcome == Outcome.PENDING:
        raise ValidationError(_("Record whether this bid was successful on the award page before sending feedback"))
    # Browsers send a textarea's line breaks as CRLF: compare (and keep) the text with the outline's "\n".
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    winning = winning_scores(bid)
    if not text:
        raise ValidationError({"feedback": _("Write the feedback")})
    if text == feedback_outline(bid, criteria_of(bid), winning).strip():
        raise ValidationError(
            {"feedback": _("Write your feedback under each heading of the outline: it has not been changed")}
        )
    resent = bid.feedback_sent_at is not None
    before = audit.snapshot(bid, ["feedback"])
    bid.feedback = text
    bid.feedback_sent_at = timezone.now()
    bid.full_clean(validate_constraints=False)
    bid.save(update_fields=["feedback", "feedback_sent_at", "modified_at"])
    audit.record(
        actor=actor,
        action="bid.feedback_resent" if resent else "bid.feedback_sent",
        obj=bid,
        organisation=bid.organisation,
        changes=audit.diff(before, audit.snapshot(bid, ["feedback"])),
        label=_label(bid.lot, bid.organisation),
    )
    low, high = winning
    send_templated(
        to=organisation_recipients(bid.organisation),
        template="procurement/email/feedback",
        context={
            "bid": bid,
            "opportunity": bid.lot.opportunity,
            "lot": bid.lot,
            "organisation": bid.organisation.name,
            "score": score_text(bid.score),
            "winning_low": score_text(low),
            "winning_high": score_text(high),
            "resent": resent,
            "url": absolute_url(reverse("procurement:feedback", args=[bid.pk])),
        },
    )
    return bid
