"""Places on a run: expressions of interest before the decision, bookings after it, and the waiting list.

Every change to a run's places locks the run row first (ENGINEERING.md, "Limited places without races"): on
PostgreSQL `select_for_update` serialises the writers; on SQLite the IMMEDIATE transaction does. The run's
`places_taken` never passes its capacity (a database constraint is the backstop); places wanted beyond it
wait in order and are given out as places free up.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.training import notify, permissions, pricing
from carenetwork.training.models import CourseRun, Interest
from carenetwork.training.position import figures_refresh
from carenetwork.training.programme_figures import programme_figures_refresh

MAX_PLACES_PER_REQUEST = 100


def locked_run(run: CourseRun) -> CourseRun:
    """The run, locked for the rest of the transaction."""
    return CourseRun.objects.select_for_update(of=("self",)).select_related("course", "course__provider").get(pk=run.pk)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def closed_reason(run: CourseRun, *, now=None) -> str | None:
    """Why nobody can take places on the run now, or None."""
    now = now or timezone.now()
    if run.status == CourseRun.Status.CANCELLED:
        return _("This run has been cancelled.")
    if run.has_started:
        return _("This run has already started.")
    if run.status == CourseRun.Status.OPEN and run.interest_deadline <= now:
        return _("Interest closed on %(date)s. The decision is being made.") % {"date": _when(run.interest_deadline)}
    if run.status == CourseRun.Status.PARTNERS and run.partner_deadline <= now:
        return _("The places offered to partners closed on %(date)s.") % {"date": _when(run.partner_deadline)}
    if run.status == CourseRun.Status.CONFIRMED and run.booking_cutoff <= now:
        return _("Booking closed on %(date)s.") % {"date": _when(run.booking_cutoff)}
    return None


def live_interest(run: CourseRun, organisation) -> Interest | None:
    """The organisation's interest or booking on the run, if it has one, locked (the caller holds the run's lock)."""
    interests = Interest.objects.filter(run=run, organisation=organisation, status__in=Interest.LIVE)
    return interests.select_for_update(of=("self",)).first()


def _take(run: CourseRun, interest: Interest, wanted: int, now) -> None:
    """Hold up to `wanted` places for the interest within capacity; queue the rest (the caller holds the lock)."""
    held_before, waiting_before = interest.places, interest.waiting_places
    run.places_taken -= held_before
    if wanted <= held_before:
        held = wanted
    else:
        granted, _waiting = pricing.places_granted(
            capacity=run.capacity, taken=run.places_taken + held_before, requested=wanted - held_before
        )
        held = held_before + granted
    interest.places = held
    interest.waiting_places = wanted - held
    if interest.waiting_places > waiting_before:
        interest.queued_at = now  # asking for more places than before joins the back of the waiting list
    run.places_taken += held


def book(run: CourseRun, interest: Interest, now) -> None:
    """On a confirmed run, held places are booked at the locked price."""
    if interest.places and run.locked_price is not None:
        if interest.status != Interest.Status.BOOKED:
            interest.status = Interest.Status.BOOKED
            interest.booked_at = now
        interest.price = run.locked_price
        interest.amount_due = run.locked_price * (interest.places + interest.charged_places)


def _save_run(run: CourseRun) -> None:
    figures_refresh(run)
    run.save(update_fields=["places_taken", "current_price", "single_place_price", "modified_at"])


def _check_request(run: CourseRun, places: int, ceiling: Decimal | None) -> None:
    if places is None or places < 1:
        raise ValidationError({"places": _("Enter at least 1 place")})
    if places > min(run.capacity, MAX_PLACES_PER_REQUEST):
        raise ValidationError({"places": _("The run has %(n)s places in all") % {"n": run.capacity}})
    if ceiling is not None and ceiling <= 0:
        raise ValidationError({"ceiling": _("The most you will pay must be more than £0")})
    if ceiling is not None and run.locked_price is not None and ceiling < run.locked_price:
        message = _("The price is fixed at £%(price)s a place: leave this blank or enter at least that")
        raise ValidationError({"ceiling": message % {"price": run.locked_price}})


@transaction.atomic
def interest_save(*, actor, run: CourseRun, organisation, places: int, ceiling: Decimal | None = None) -> Interest:
    """Register interest in places (or book them, once the run is confirmed), or change how many; places beyond
    capacity join the waiting list."""
    run = locked_run(run)
    require(permissions.can_take_places(actor, run, organisation))
    closed = closed_reason(run)
    if closed:
        raise ValidationError(closed)
    _check_request(run, places, ceiling)
    now = timezone.now()
    interest = live_interest(run, organisation)
    created = interest is None
    if created:
        interest = Interest(run=run, organisation=organisation, created_by=actor, queued_at=now)
    before = {"places": interest.places, "waiting_places": interest.waiting_places, "ceiling": str(interest.ceiling)}
    if interest.status == Interest.Status.BOOKED and places < interest.places:
        raise ValidationError({"places": _("To give up booked places, cancel them from your booking")})
    freed = max(interest.places - places, 0)
    _take(run, interest, places, now)
    interest.ceiling = ceiling
    book(run, interest, now)
    interest.full_clean(validate_constraints=False)
    interest.save()
    _save_run(run)
    after = {"places": interest.places, "waiting_places": interest.waiting_places, "ceiling": str(interest.ceiling)}
    audit.record(
        actor=actor,
        action="interest.created" if created else "interest.updated",
        obj=interest,
        organisation=organisation,
        changes=audit.diff(before, after),
    )
    if freed:
        promote(run)
    programme_figures_refresh(run)
    return interest


@transaction.atomic
def interest_withdraw(*, actor, interest: Interest) -> Interest:
    """Withdraw an expression of interest before the decision; its places go to the waiting list."""
    run = locked_run(interest.run)
    interest = Interest.objects.select_for_update(of=("self",)).get(pk=interest.pk)
    require(permissions.can_manage_interest(actor, interest))
    if interest.status != Interest.Status.INTERESTED:
        raise ValidationError(_("Only an interest that is not yet booked can be withdrawn."))
    closed = closed_reason(run)
    if closed:
        raise ValidationError(closed)
    run.places_taken -= interest.places
    end(interest, Interest.Status.WITHDRAWN, timezone.now())
    _save_run(run)
    audit.record(actor=actor, action="interest.withdrawn", obj=interest, organisation=interest.organisation)
    promote(run)
    programme_figures_refresh(run)
    return interest


def end(interest: Interest, status: str, now) -> None:
    """The interest ends (withdrawn, dropped, cancelled); its places stay on it for the record."""
    interest.status = status
    interest.ended_at = now
    interest.save()


def cancellation_charged(run: CourseRun, *, now=None) -> bool:
    """Under the run's terms, places cancelled now are still charged."""
    return (now or timezone.now()) > run.free_cancellation_until


@transaction.atomic
def booking_cancel(*, actor, interest: Interest, places: int | None = None) -> Interest:
    """Give up booked places (all, or some) under the run's cancellation terms; they go to the waiting list."""
    run = locked_run(interest.run)
    interest = Interest.objects.select_for_update(of=("self",)).get(pk=interest.pk)
    require(permissions.can_manage_interest(actor, interest))
    if interest.status != Interest.Status.BOOKED:
        raise ValidationError(_("Only a booking can be cancelled."))
    if run.has_started:
        raise ValidationError(_("This run has already started."))
    places = interest.places if places is None else places
    if places < 1 or places > interest.places:
        raise ValidationError({"places": _("Enter between 1 and %(n)s places") % {"n": interest.places}})
    charged = cancellation_charged(run)
    before = {"places": interest.places, "amount_due": str(interest.amount_due)}
    if charged:
        interest.charged_places += places  # under the run's terms, cancelled late is still paid for
    run.places_taken -= places
    if places == interest.places:
        interest.waiting_places = 0
        interest.status = Interest.Status.CANCELLED
        interest.ended_at = timezone.now()
    else:
        interest.places -= places
        # Those named last give up the places; the rest keep theirs.
        dropped = interest.delegates.order_by("pk")[interest.places :]
        interest.delegates.filter(pk__in=[d.pk for d in dropped]).delete()
    interest.amount_due = run.locked_price * (
        interest.charged_places + (interest.places if interest.status == Interest.Status.BOOKED else 0)
    )
    interest.save()
    _save_run(run)
    audit.record(
        actor=actor,
        action="booking.cancelled",
        obj=interest,
        organisation=interest.organisation,
        changes=audit.diff(before, {"places": interest.places, "amount_due": str(interest.amount_due)})
        | {"cancelled_places": [None, places], "charged": [None, charged]},
    )
    notify.booking_cancelled(
        interest, places=places, charged=charged, whole=interest.status == Interest.Status.CANCELLED
    )
    promote(run)
    programme_figures_refresh(run)
    return interest


def promote(run: CourseRun) -> list[Interest]:
    """Give free places to the waiting list in the order it queued (the caller holds the run's lock).

    Before the decision a place is held as interest; after confirmation it is booked at the locked price, unless
    that price is above the organisation's limit, until the booking cut-off.
    """
    if (not run.is_live and run.status != CourseRun.Status.CONFIRMED) or run.has_started:
        return []
    if run.status == CourseRun.Status.CONFIRMED and run.booking_cutoff <= timezone.now():
        return []  # too late to name anyone: nobody is booked (and charged) for a place they cannot use
    free = run.capacity - run.places_taken
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        Interest.objects.select_for_update(of=("self",))
        .filter(run=run, status__in=Interest.LIVE, waiting_places__gt=0)
        .select_related("organisation")
        .order_by("queued_at", "pk")
    )
    now = timezone.now()
    for interest in waiting:
        if free == 0:
            break
        if run.locked_price is not None and interest.ceiling is not None and interest.ceiling < run.locked_price:
            continue
        given = min(free, interest.waiting_places)
        interest.places += given
        interest.waiting_places -= given
        run.places_taken += given
        free -= given
        book(run, interest, now)
        interest.save()
        promoted.append(interest)
        audit.record(
            actor=None,
            action="interest.promoted",
            obj=interest,
            organisation=interest.organisation,
            changes={"places": [interest.places - given, interest.places]},
        )
        notify.places_promoted(interest, given=given)
    if promoted:
        _save_run(run)
    return promoted
