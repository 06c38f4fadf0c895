"""Council officers add and change course runs with the price schedule agreed with the training provider."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.training import interests, notify, permissions, pricing
from carenetwork.training.models import Course, CourseRun, Interest, PriceTier
from carenetwork.training.position import figures_refresh, schedule_of
from carenetwork.training.programme_figures import programme_figures_refresh

RUN_FIELDS = [
    "starts_at",
    "ends_at",
    "dates_note",
    "venue",
    "area",
    "online_link",
    "capacity",
    "minimum_places",
    "interest_deadline",
    "partner_margin",
    "partner_deadline",
    "booking_cutoff",
    "cancellation_terms",
    "free_cancellation_until",
    "pricing",
    "fee",
]
# A change to any of these makes booked organisations' calendar entries out of date: they are sent the new one.
CALENDAR_FIELDS = {"starts_at", "ends_at", "venue", "online_link", "dates_note"}
# Once a run is decided, its price and places may no longer change.
SCHEDULE_FIELDS = {"pricing", "fee", "minimum_places", "capacity"}


def _check_dates(run: CourseRun) -> dict:
    errors = {}
    if run.starts_at and run.ends_at and run.ends_at <= run.starts_at:
        errors["ends_at"] = _("The run must end after it starts")
    if run.interest_deadline and run.starts_at and run.interest_deadline >= run.starts_at:
        errors["interest_deadline"] = _("The interest deadline must be before the run starts")
    if run.partner_deadline and run.interest_deadline and run.partner_deadline <= run.interest_deadline:
        errors["partner_deadline"] = _("The partner deadline must be after the interest deadline")
    elif run.partner_deadline and run.starts_at and run.partner_deadline >= run.starts_at:
        errors["partner_deadline"] = _("The partner deadline must be before the run starts")
    if run.booking_cutoff and run.starts_at and run.booking_cutoff >= run.starts_at:
        errors["booking_cutoff"] = _("The cut-off must be before the run starts")
    elif run.booking_cutoff and run.interest_deadline and run.booking_cutoff < run.interest_deadline:
        errors["booking_cutoff"] = _("The cut-off must be on or after the interest deadline")
    if run.free_cancellation_until and run.starts_at and run.free_cancellation_until > run.starts_at:
        errors["free_cancellation_until"] = _("Free cancellation must end on or before the start")
    return errors


# The moments that must be ahead when they are set or changed (a run already under way keeps its past ones).
FUTURE_FIELDS = {
    "starts_at": gettext_lazy("Enter a course date in the future"),
    "interest_deadline": gettext_lazy("Enter a date in the future for interest to close"),
    "partner_deadline": gettext_lazy("Enter a date in the future for the partner offer to close"),
    "booking_cutoff": gettext_lazy("Enter a cut-off in the future"),
}


def _minute(moment):
    # The form gives times to the minute: an unchanged time read back from the page is not a change.
    return moment.replace(second=0, microsecond=0) if moment else None


def _check_future(run: CourseRun, before: dict) -> dict:
    now = timezone.now()
    return {
        field: message
        for field, message in FUTURE_FIELDS.items()
        if getattr(run, field)
        and getattr(run, field) <= now
        and (not before or _minute(getattr(run, field)) != _minute(before.get(field)))
    }


def _check_places(run: CourseRun, course: Course, before: dict) -> dict:
    errors = {}
    if run.capacity and run.capacity > course.max_group_size:
        errors["capacity"] = _("The course takes at most %(n)s people") % {"n": course.max_group_size}
    elif run.capacity is not None and run.capacity < run.places_taken:
        errors["capacity"] = _("%(n)s places are taken already: the run needs at least that many") % {
            "n": run.places_taken
        }
    if run.minimum_places and run.capacity and run.minimum_places > run.capacity:
        errors["minimum_places"] = _("The minimum must not be more than the maximum places")
    elif (
        run.partner_margin
        and run.minimum_places
        and run.partner_margin > run.minimum_places
        # Checked when either is set: a run made before this rule keeps its margin through other changes.
        and (
            not before
            or (before["partner_margin"], before["minimum_places"]) != (run.partner_margin, run.minimum_places)
        )
    ):
        errors["partner_margin"] = _("The partner margin must not be more than the minimum places (%(n)s)") % {
            "n": run.minimum_places
        }
    if not run.venue and not run.online_link:
        errors["venue"] = _("Enter a venue or an online link")
    return errors


def _check_schedule(run: CourseRun, tiers) -> pricing.Schedule:
    if run.pricing == CourseRun.Pricing.SHARED_FEE and run.fee is None:
        raise ValidationError({"fee": _("Enter the shared fee for the run")})
    if run.pricing == CourseRun.Pricing.TIERS and not tiers:
        raise ValidationError({"tiers": _("Enter at least one band of places and its price")})
    schedule = schedule_of(run, tiers)
    try:
        pricing.schedule_check(schedule, capacity=run.capacity or 0)
    except pricing.ScheduleInvalid as problem:
        raise ValidationError(
            {"fee" if run.pricing == CourseRun.Pricing.SHARED_FEE else "tiers": str(problem)}
        ) from None
    return schedule


@transaction.atomic
def run_save(
    *, actor, course: Course, run: CourseRun | None, data: dict, tiers: list[tuple[int, Decimal]] | None = None
) -> CourseRun:
    """Add a run of an approved course, or change one; a decided run keeps its price and places."""
    require(permissions.can_manage_runs(actor))
    if not course.is_published:
        raise ValidationError(_("Only an approved course can have runs"))
    created = run is None
    if created:
        run = CourseRun(course=course, created_by=actor)
    else:
        run = CourseRun.objects.select_for_update().get(pk=run.pk)
        if run.course_id != course.pk:
            raise ValidationError(_("This run belongs to another course"))
    before = {} if created else audit.snapshot(run, RUN_FIELDS)
    moments = {} if created else {field: getattr(run, field) for field in FUTURE_FIELDS}
    stored_tiers = [] if created else sorted((t.from_places, t.price) for t in run.tiers.all())
    if not created and not run.is_live:
        if SCHEDULE_FIELDS & {f for f in data if data[f] != getattr(run, f)} or (
            tiers is not None and sorted(tiers) != stored_tiers
        ):
            raise ValidationError(_("This run has been decided: its price and places can no longer change"))
    sectors = data.pop("sectors", None)
    for field, value in data.items():
        setattr(run, field, value)
    if run.pricing == CourseRun.Pricing.SHARED_FEE:
        tiers = []
    elif tiers is None:
        tiers = stored_tiers
    errors = _check_future(run, moments) | _check_dates(run) | _check_places(run, course, before)
    if errors:
        raise ValidationError(errors)
    schedule = _check_schedule(run, tiers)
    if run.pricing == CourseRun.Pricing.TIERS:
        run.fee = None
    figures_refresh(run, schedule=schedule)
    run.full_clean()
    run.save()
    if sectors is not None:
        run.sectors.set(sectors)
    if run.is_live:
        run.tiers.all().delete()
        PriceTier.objects.bulk_create([PriceTier(run=run, from_places=f, price=p) for f, p in tiers])
    changes = audit.diff(before, audit.snapshot(run, RUN_FIELDS))
    tiers_changed = sorted(tiers) != stored_tiers
    if not created:
        if "capacity" in changes:
            interests.promote(run)  # more places go to the waiting list
        if run.is_live and (SCHEDULE_FIELDS & changes.keys() or tiers_changed):
            # Organisations weighed the price when they said how many places they want: tell them it changed.
            for interest in run.interests.filter(status=Interest.Status.INTERESTED).select_related("organisation"):
                interest.run = run
                notify.price_changed(interest)
        if CALENDAR_FIELDS & changes.keys():
            for interest in run.interests.filter(status=Interest.Status.BOOKED).select_related("organisation"):
                interest.run = run
                notify.run_changed(interest)
    programme_figures_refresh(run)
    if tiers_changed:
        changes["tiers"] = [[f"{f}+: £{p}" for f, p in stored_tiers], [f"{f}+: £{p}" for f, p in sorted(tiers)]]
    audit.record(
        actor=actor, action="course_run.created" if created else "course_run.updated", obj=run, changes=changes
    )
    return run
