"""The decision on a run at its interest deadline (by the scheduled task, or earlier by a council officer), again at
the partner deadline, and a council officer's override with a recorded reason.

The rules are the pure ones in `training.pricing`; this module applies them to the locked run and its interests,
gives places freed by interests that drop out to the waiting list, and records each transition.
"""

import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.organisations.models import Organisation
from carenetwork.training import notify, permissions, pricing
from carenetwork.training.interests import book, end, locked_run
from carenetwork.training.models import CourseRun, Interest, RunDecision
from carenetwork.training.position import figures_refresh, schedule_of
from carenetwork.training.programme_figures import programme_figures_refresh

Trigger = RunDecision.Trigger
Status = CourseRun.Status
STATUS_OF = {
    pricing.Outcome.CONFIRMED: Status.CONFIRMED,
    pricing.Outcome.OFFERED_TO_PARTNERS: Status.PARTNERS,
    pricing.Outcome.CANCELLED: Status.CANCELLED,
}


def _as_pricing(interest: Interest) -> pricing.Interest:
    return pricing.Interest(key=interest.pk, places=interest.places, ceiling=interest.ceiling)


def _accepting_group(run: CourseRun, schedule, live: list[Interest]) -> tuple[list[Interest], list[Interest], object]:
    """Drop interests whose limit is below the price, again and again, giving the places they free to the waiting
    list in order, until everyone holding places accepts the price. Returns (kept, dropped, price)."""
    dropped: list[Interest] = []
    while True:
        held = [i for i in live if i.places]
        _kept, refusing, price = pricing.accepting(schedule, [_as_pricing(i) for i in held], minimum=run.minimum_places)
        if not refusing:
            return live, dropped, price
        out = {r.key for r in refusing}
        dropped += [i for i in live if i.pk in out]
        live = [i for i in live if i.pk not in out]
        free = run.capacity - sum(i.places for i in live)
        for interest in live:  # in queue order
            given = min(free, interest.waiting_places)
            interest.places += given
            interest.waiting_places -= given
            free -= given


def _record(run, *, trigger, from_status, actor, reason, places, price, dropped) -> RunDecision:
    decision = RunDecision.objects.create(
        run=run,
        trigger=trigger,
        from_status=from_status,
        to_status=run.status,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        places=places,
        price=price,
        dropped=len(dropped),
    )
    programme_figures_refresh(run)  # after the decision: a cancelled run counts the places it held then
    audit.record(
        actor=actor,
        action=f"course_run.{run.status}",
        obj=run,
        changes={"status": [from_status, run.status], "trigger": [None, trigger], "reason": [None, reason]},
    )
    return decision


def _apply(run: CourseRun, outcome: str, *, live, dropped, price, shortfall, now) -> None:
    """Write the outcome to the run, then to its interests, and tell everyone."""
    run.status = outcome
    # A cancelled run holds no places; the decision keeps how many there were.
    run.places_taken = 0 if outcome == Status.CANCELLED else sum(i.places for i in live)
    run.decided_at = now
    if outcome == Status.CONFIRMED:
        run.locked_price = price
    elif outcome == Status.PARTNERS:
        run.partners_offered_at = now
    figures_refresh(run)
    run.save()
    for interest in [*dropped, *live]:
        interest.run = run  # the emails read the run as decided
    for interest in dropped:
        end(interest, Interest.Status.DROPPED, now)
        notify.interest_dropped(interest, price=price)
    for interest in live:
        if outcome == Status.CONFIRMED and interest.places:
            book(run, interest, now)
            interest.save()
            notify.run_confirmed(interest)
        elif outcome == Status.CONFIRMED and interest.ceiling is not None and interest.ceiling < price:
            end(interest, Interest.Status.DROPPED, now)  # waiting for places it would not pay for
        elif outcome == Status.CANCELLED:
            was_booked = interest.status == Interest.Status.BOOKED
            interest.amount_due = None  # nobody is charged for a cancelled run
            end(interest, Interest.Status.RUN_CANCELLED, now)
            notify.run_cancelled(interest, was_booked=was_booked)
        else:
            interest.save()
            if outcome == Status.PARTNERS:
                notify.run_offered_to_partners(interest, shortfall=shortfall)
    if outcome == Status.CANCELLED:
        # Nobody is charged for a run that does not go ahead, not even for places cancelled late.
        late = run.interests.filter(status=Interest.Status.CANCELLED, charged_places__gt=0).select_related(
            "organisation"
        )
        for interest in late:
            interest.run = run
            interest.amount_due = Decimal("0.00")
            interest.charged_places = 0
            interest.save(update_fields=["amount_due", "charged_places", "modified_at"])
            notify.run_cancelled(interest, was_booked=False)
    if outcome == Status.PARTNERS:
        for partner in Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True):
            notify.partners_invited(run, partner, shortfall=shortfall)


@transaction.atomic
def run_decide(*, run: CourseRun, actor=None, trigger: str | None = None, reason: str = "") -> RunDecision:
    """Decide the run: confirm it at the minimum or more; offer a small shortfall to partners once; otherwise cancel.

    With an actor it is a council officer deciding early; without, the scheduled task at a deadline.
    """
    run = locked_run(run)
    if actor is not None:
        require(permissions.can_decide_run(actor, run))
    if not run.is_live:
        raise ValidationError(
            _("This run has already been decided: it is %(status)s.") % {"status": run.get_status_display().lower()}
        )
    if trigger is None and actor:
        trigger = Trigger.EARLY
    elif trigger is None:
        trigger = Trigger.PARTNER_DEADLINE if run.status == Status.PARTNERS else Trigger.DEADLINE
    schedule = schedule_of(run)
    live = list(
        Interest.objects.select_for_update(of=("self",))
        .filter(run=run, status=Interest.Status.INTERESTED)
        .select_related("organisation")
        .order_by("queued_at", "pk")
    )
    live, dropped, price = _accepting_group(run, schedule, live)
    result = pricing.decide(
        schedule,
        [_as_pricing(i) for i in live if i.places],
        minimum=run.minimum_places,
        partner_margin=run.partner_margin,
        partners_tried=run.partners_offered_at is not None,
    )
    from_status, now = run.status, timezone.now()
    _apply(
        run,
        STATUS_OF[result.outcome],
        live=live,
        dropped=dropped,
        price=result.price,
        shortfall=result.shortfall,
        now=now,
    )
    return _record(
        run,
        trigger=trigger,
        from_status=from_status,
        actor=actor,
        reason=reason,
        places=result.places,
        price=result.price,
        dropped=dropped,
    )


OVERRIDES = (Status.CONFIRMED, Status.PARTNERS, Status.CANCELLED)


@transaction.atomic
def run_override(*, actor, run: CourseRun, outcome: str, reason: str) -> RunDecision:
    """A council officer sets the outcome the rules would not have chosen, saying why.

    Confirming still applies the ceiling rule (everyone pays one price, never above their limit) at the price for
    the minimum or more; cancelling a confirmed run charges nobody.
    """
    require(permissions.can_decide_run(actor, run))
    run = locked_run(run)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you are overriding the decision")})
    if outcome not in OVERRIDES:
        raise ValidationError({"outcome": _("Choose what should happen to the run")})
    if run.has_started:
        raise ValidationError(_("This run has already started."))
    if run.status == Status.CANCELLED:
        raise ValidationError(_("This run has been cancelled."))
    if outcome == run.status:
        raise ValidationError(
            {"outcome": _("The run is %(status)s already") % {"status": run.get_status_display().lower()}}
        )
    if run.status == Status.CONFIRMED and outcome != Status.CANCELLED:
        raise ValidationError({"outcome": _("A confirmed run can only be cancelled")})
    if outcome == Status.PARTNERS and run.partner_deadline <= timezone.now():
        raise ValidationError(
            {"outcome": _("The partner deadline has passed: change the run's partner deadline first")}
        )
    schedule = schedule_of(run)
    statuses = [Interest.Status.INTERESTED, Interest.Status.BOOKED]
    live = list(
        Interest.objects.select_for_update(of=("self",))
        .filter(run=run, status__in=statuses)
        .select_related("organisation")
        .order_by("queued_at", "pk")
    )
    dropped, price = [], run.locked_price
    if run.status != Status.CONFIRMED:
        live, dropped, price = _accepting_group(run, schedule, live)
    places = sum(i.places for i in live)
    from_status = run.status
    _apply(
        run,
        outcome,
        live=live,
        dropped=dropped,
        price=price,
        shortfall=max(run.minimum_places - places, 0),
        now=timezone.now(),
    )
    return _record(
        run,
        trigger=Trigger.OVERRIDE,
        from_status=from_status,
        actor=actor,
        reason=reason,
        places=places,
        price=price,
        dropped=dropped,
    )


def decision_preview(*, run: CourseRun, outcome: str) -> dict:
    """What deciding the run now would do, without doing it: its status and price, and each kind of email with the
    organisations it goes to and one of them written out (`outcome` is "rules" or an override)."""
    rules = outcome == "rules"
    statuses = [Interest.Status.INTERESTED] if rules else [Interest.Status.INTERESTED, Interest.Status.BOOKED]
    live = list(
        Interest.objects.filter(run=run, status__in=statuses).select_related("organisation").order_by("queued_at", "pk")
    )
    schedule = schedule_of(run)
    dropped, price = [], run.locked_price
    if rules or run.status != Status.CONFIRMED:
        live, dropped, price = _accepting_group(run, schedule, live)
    shortfall = max(run.minimum_places - sum(i.places for i in live), 0)
    if rules:
        result = pricing.decide(
            schedule,
            [_as_pricing(i) for i in live if i.places],
            minimum=run.minimum_places,
            partner_margin=run.partner_margin,
            partners_tried=run.partners_offered_at is not None,
        )
        outcome, price, shortfall = STATUS_OF[result.outcome], result.price, result.shortfall
    future = copy.copy(run)  # the run as the emails would read it
    future.status = outcome
    if outcome == Status.CONFIRMED:
        future.locked_price = price
    sends: dict[str, list] = {}
    for interest in dropped:
        sends.setdefault("interest_dropped", []).append((interest, {"price": price}))
    for interest in live:
        if outcome == Status.CONFIRMED and interest.places:
            interest.amount_due = price * interest.places
            sends.setdefault("run_confirmed", []).append((interest, {}))
        elif outcome == Status.CANCELLED:
            sends.setdefault("run_cancelled", []).append((interest, {}))
        elif outcome == Status.PARTNERS:
            sends.setdefault("run_partners", []).append((interest, {"shortfall": shortfall}))
    if outcome == Status.CANCELLED:
        late = run.interests.filter(status=Interest.Status.CANCELLED, charged_places__gt=0).select_related(
            "organisation"
        )
        sends.setdefault("run_cancelled", []).extend((interest, {}) for interest in late)
    emails = []
    for template, items in sends.items():
        if items:
            interest, extra = items[0]
            example = notify.preview(
                template, run=future, organisation=interest.organisation, interest=interest, **extra
            )
            emails.append({**example, "organisations": [i.organisation for i, _e in items]})
    if outcome == Status.PARTNERS:
        partners = list(Organisation.objects.filter(kind=Organisation.Kind.PARTNER, is_active=True).order_by("name"))
        if partners:
            example = notify.preview("partners_invited", run=future, organisation=partners[0], shortfall=shortfall)
            emails.append({**example, "organisations": partners})
    return {"status": outcome, "label": Status(outcome).label, "price": price, "emails": emails}


def runs_due(*, now=None):
    """Runs whose interest deadline or partner deadline has passed without a decision."""
    now = now or timezone.now()
    return CourseRun.objects.filter(
        Q(status=Status.OPEN, interest_deadline__lte=now) | Q(status=Status.PARTNERS, partner_deadline__lte=now)
    ).order_by("interest_deadline", "pk")


def decide_due(*, now=None) -> list[RunDecision]:
    """The scheduled task's work: decide every run whose deadline has passed, each in its own transaction."""
    decisions = []
    for run in runs_due(now=now):
        try:
            decisions.append(run_decide(run=run))
        except ValidationError:
            continue  # decided meanwhile by an officer or another worker
    return decisions
