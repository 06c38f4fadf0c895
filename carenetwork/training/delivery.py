"""Delivering a run and what follows it: the training provider's bookings list, invoices, attendance (which
writes the delegates' training records) and the delegates' evaluations."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.records.cover import cover_refresh
from carenetwork.records.models import TrainingRecord
from carenetwork.records.rules import expiry_date
from carenetwork.records.services import staff_label
from carenetwork.training import permissions
from carenetwork.training.models import CourseRun, Delegate, DeliveryMode, Evaluation, Interest
from carenetwork.training.programme_figures import programme_figures_refresh

# A booking is charged while it is booked, and after a late cancellation (the amount due is kept then).
CHARGED = Q(status=Interest.Status.BOOKED) | Q(status=Interest.Status.CANCELLED, amount_due__gt=0)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BookingTotals:
    """A run's bookings added up: places booked, and money due, invoiced and paid."""

    places: int
    amount_due: Decimal
    invoiced: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.amount_due - self.paid


def charged_bookings(run: CourseRun) -> QuerySet[Interest]:
    """The run's bookings that are charged, with their organisations and delegates (three queries in all)."""
    delegates = Delegate.objects.select_related("staff").order_by("pk")
    return (
        Interest.objects.filter(CHARGED, run=run)
        .select_related("organisation")
        .prefetch_related(Prefetch("delegates", queryset=delegates))
        .order_by("organisation__name", "pk")
    )


def booking_totals(run: CourseRun) -> BookingTotals:
    """One aggregate query over the run's charged bookings."""
    invoiced = Q(invoice__in=[Interest.Invoice.ISSUED, Interest.Invoice.PAID])
    row = Interest.objects.filter(CHARGED, run=run).aggregate(
        total_places=Sum("places", filter=Q(status=Interest.Status.BOOKED)),
        total_due=Sum("amount_due"),
        total_invoiced=Sum("amount_due", filter=invoiced),
        total_paid=Sum("amount_due", filter=Q(invoice=Interest.Invoice.PAID)),
    )
    return BookingTotals(
        places=row["total_places"] or 0,
        amount_due=row["total_due"] or ZERO,
        invoiced=row["total_invoiced"] or ZERO,
        paid=row["total_paid"] or ZERO,
    )


def run_bookings_for(*, user, run: CourseRun) -> dict:
    """The bookings page's figures, for the training provider and council staff only (delegates are named)."""
    require(permissions.can_view_run_bookings(user, run))
    return {"bookings": list(charged_bookings(run)), "totals": booking_totals(run)}


@transaction.atomic
def invoice_mark(*, actor, interest: Interest, state: str) -> Interest:
    """The training provider marks a booking's invoice issued, and later paid."""
    interest = Interest.objects.select_for_update(of=("self",)).select_related("run", "run__course").get(pk=interest.pk)
    require(permissions.can_deliver_run(actor, interest.run))
    if not Interest.objects.filter(CHARGED, pk=interest.pk).exists():
        raise ValidationError(_("Only a booking with an amount due can be invoiced."))
    if state not in (Interest.Invoice.ISSUED, Interest.Invoice.PAID):
        raise ValidationError({"state": _("Choose whether the invoice was issued or paid")})
    if state == interest.invoice:
        raise ValidationError(_("The invoice is marked %(state)s already.") % {"state": interest.get_invoice_display()})
    if state == Interest.Invoice.PAID and interest.invoice != Interest.Invoice.ISSUED:
        raise ValidationError(_("Mark the invoice issued before you mark it paid."))
    if state == Interest.Invoice.ISSUED and interest.invoice != Interest.Invoice.NOT_ISSUED:
        raise ValidationError(_("This invoice has been paid already."))
    before = interest.invoice
    now = timezone.now()
    interest.invoice = state
    if state == Interest.Invoice.ISSUED:
        interest.invoice_issued_at = now
    else:
        interest.paid_at = now
    interest.full_clean()
    interest.save(update_fields=["invoice", "invoice_issued_at", "paid_at", "modified_at"])
    audit.record(
        actor=actor,
        action=f"booking.invoice_{state}",
        obj=interest,
        organisation=interest.organisation,
        changes={"invoice": [before, state], "amount_due": [None, str(interest.amount_due)]},
    )
    return interest


# Attendance ------------------------------------------------------------------------------------------------


def attendance_delegates(run: CourseRun) -> QuerySet[Delegate]:
    """The people named for the run's booked places, by organisation."""
    return (
        Delegate.objects.filter(interest__run=run, interest__status=Interest.Status.BOOKED)
        .select_related("staff", "interest__organisation")
        .order_by("interest__organisation__name", "pk")
    )


def attendance_closed_reason(run: CourseRun, *, today: datetime.date | None = None) -> str | None:
    """Why attendance cannot be recorded for the run yet, or None when it can."""
    if run.status != CourseRun.Status.CONFIRMED:
        return _("You can record attendance once the run is confirmed and has started.")
    if not run.has_started:
        return _("You can record attendance once the run has started.")
    last_day = timezone.localdate(run.ends_at)
    if last_day > (today or timezone.localdate()):
        # Training records take the course's last day as their completion date, which cannot be in the future.
        return _("This course ends on %(day)s: record attendance on or after its last day.") % {
            "day": formats.date_format(last_day, "j F Y")
        }
    return None


def _how_delivered(mode: str) -> str:
    return (
        TrainingRecord.HowDelivered.E_LEARNING
        if mode == DeliveryMode.E_LEARNING
        else (TrainingRecord.HowDelivered.FACE_TO_FACE)
    )


def _on_register(delegate: Delegate) -> bool:
    return delegate.staff_id is not None and delegate.staff.personal_data_removed_at is None


@transaction.atomic
def attendance_record(*, actor, run: CourseRun, attended_ids) -> dict:
    """Mark every delegate of the run present or absent; give each person who came from a staff register one
    brokered training record per category the course covers, and take it away again if they are unticked."""
    require(permissions.can_deliver_run(actor, run))
    run = CourseRun.objects.select_for_update(of=("self",)).select_related("course", "course__provider").get(pk=run.pk)
    if reason := attendance_closed_reason(run):
        raise ValidationError(reason)
    delegates = list(attendance_delegates(run).prefetch_related("training_records"))
    attended_ids = {int(pk) for pk in attended_ids}
    if attended_ids - {d.pk for d in delegates}:
        raise ValidationError({"attended": _("Choose from the people booked on this run")})
    course = run.course
    categories = list(course.categories.all())
    completed_on = timezone.localdate(run.ends_at)
    now = timezone.now()
    created, removed, touched = [], 0, set()
    for delegate in delegates:
        came = delegate.pk in attended_ids
        if not _on_register(delegate):
            continue
        existing = list(delegate.training_records.all())
        if came:
            have = {record.category_id for record in existing}
            new = [
                TrainingRecord(
                    staff=delegate.staff,
                    category=category,
                    source=TrainingRecord.Source.BROKERED,
                    completed_on=completed_on,
                    expires_on=expiry_date(completed_on, category.refresh_months),
                    training_name=course.title[:120],
                    provider_name=course.provider.name[:200],
                    provider_code=course.provider.ascwds_provider_code,
                    delivered_by=TrainingRecord.DeliveredBy.EXTERNAL,
                    how_delivered=_how_delivered(course.delivery_mode),
                    accredited=(
                        TrainingRecord.Accredited.YES if course.accreditation else TrainingRecord.Accredited.DONT_KNOW
                    ),
                    created_by=actor,
                )
                for category in categories
                if category.pk not in have
            ]
            for record in new:
                record.full_clean()
                record.save()
                created.append((delegate, record))
            if new:
                delegate.training_records.add(*new)
                touched.add(delegate.staff)
        else:
            gone = existing
            for record in gone:
                if record.certificate:  # the provider may have added one since
                    record.certificate.delete(save=False)
                audit.record(
                    actor=actor,
                    action="training_record.deleted",
                    obj=record,
                    organisation=delegate.interest.organisation,
                    label=staff_label(delegate.staff),
                )
            if gone:
                TrainingRecord.objects.filter(pk__in=[record.pk for record in gone]).delete()
                removed += len(gone)
                touched.add(delegate.staff)
    for delegate, record in created:
        audit.record(
            actor=actor,
            action="training_record.created",
            obj=record,
            organisation=delegate.interest.organisation,
            changes={"source": [None, record.source], "course_run": [None, run.pk]},
            label=staff_label(delegate.staff),
        )
    all_ids = [d.pk for d in delegates]
    present = Delegate.objects.filter(pk__in=attended_ids).update(
        attended=True, attendance_recorded_at=now, modified_at=now
    )
    absent = (
        Delegate.objects.filter(pk__in=all_ids)
        .exclude(pk__in=attended_ids)
        .update(attended=False, attendance_recorded_at=now, modified_at=now)
    )
    if touched:
        cover_refresh([s.pk for s in touched])
    summary = {"attended": present, "absent": absent, "records_created": len(created), "records_removed": removed}
    # Counts only: the delegates' names are personal data.
    audit.record(
        actor=actor,
        action="course_run.attendance_recorded",
        obj=run,
        organisation=course.provider,
        changes={k: [None, v] for k, v in summary.items()},
    )
    return summary


# Evaluations ----------------------------------------------------------------------------------------------


def evaluation_closed_reason(delegate: Delegate) -> str | None:
    """Why the delegate's course cannot be rated (yet), or None when it can."""
    interest, run = delegate.interest, delegate.interest.run
    if interest.status != Interest.Status.BOOKED or run.status != CourseRun.Status.CONFIRMED:
        return _("This place is not booked on a confirmed course, so there is nothing to rate.")
    if run.ends_at > timezone.now():
        return _("You can rate the course once it has taken place.")
    if delegate.attended is False:
        return _("The training provider recorded that this person did not attend, so they cannot rate the course.")
    return None


EVALUATION_FIELDS = [*Evaluation.QUESTIONS, "comments"]


@transaction.atomic
def evaluation_submit(*, actor, delegate: Delegate, data: dict) -> Evaluation:
    """A delegate (or their organisation's admin) rates the course; rating again changes the answers."""
    delegate = Delegate.objects.select_related(
        "staff", "interest", "interest__organisation", "interest__run", "interest__run__course"
    ).get(pk=delegate.pk)
    require(permissions.can_evaluate(actor, delegate))
    if reason := evaluation_closed_reason(delegate):
        raise ValidationError(reason)
    evaluation = Evaluation.objects.filter(delegate=delegate).first()
    created = evaluation is None
    evaluation = evaluation or Evaluation(delegate=delegate, run=delegate.interest.run)
    before = {} if created else audit.snapshot(evaluation, EVALUATION_FIELDS)
    for field in EVALUATION_FIELDS:
        if field in data:
            setattr(evaluation, field, data[field])
    evaluation.comments = (evaluation.comments or "").strip()
    evaluation.submitted_by = actor
    evaluation.full_clean()
    evaluation.save()
    programme_figures_refresh(evaluation.run)
    changes = audit.diff(before, audit.snapshot(evaluation, EVALUATION_FIELDS))
    if "comments" in changes:  # free text may name people: the trail says only that it changed
        changes["comments"] = ["…", "…"]
    audit.record(
        actor=actor,
        action="evaluation.submitted" if created else "evaluation.updated",
        obj=evaluation,
        organisation=delegate.interest.organisation,
        changes=changes,
    )
    return evaluation
