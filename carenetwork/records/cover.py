"""Keeping each person's best training per category (`TrainingCover`) in step with their records."""

from collections.abc import Iterable

from django.db.models import Count, Max, OuterRef, Q, Subquery

from carenetwork.records.figures import figures_follow
from carenetwork.records.models import StaffMember, TrainingCover, TrainingRecord
from carenetwork.records.rules import expiry_date

CHUNK = 500


def cover_refresh(staff_ids: Iterable[int]) -> None:
    """Recompute the cover of these people in every category from their records.

    A record that never expires beats any expiry date; otherwise the latest expiry wins. The reminder
    marks survive when the expiry date they were sent for is unchanged.
    """
    ids = sorted(set(staff_ids))
    with figures_follow(ids):  # the council's compliance figures follow their covers
        for start in range(0, len(ids), CHUNK):
            _refresh_chunk(ids[start : start + CHUNK])


def _refresh_chunk(ids: list[int]) -> None:
    # A record with no completion date is kept but is never in date: it gives no cover.
    dated = TrainingRecord.objects.filter(staff_id__in=ids, completed_on__isnull=False)
    # A record that says nothing about expiry expires when its category's refresh period says (derived here, never
    # written into the record); one whose category is never renewed does not expire.
    says_nothing = Q(expires_on__isnull=True, does_not_expire=False)
    best = (
        dated.values("staff_id", "category_id", "staff__organisation_id", "staff__job_role_id")
        .annotate(
            latest_expiry=Max("expires_on"),
            never=Count(
                "pk",
                filter=Q(expires_on__isnull=True)
                & (Q(does_not_expire=True) | Q(category__refresh_months__isnull=True)),
            ),
            latest_completion=Max("completed_on"),
        )
        .order_by()
    )
    derived = {}
    for staff_id, category_id, completed, months in (
        dated.filter(says_nothing, category__refresh_months__isnull=False)
        .values_list("staff_id", "category_id", "completed_on", "category__refresh_months")
        .order_by()
    ):
        expiry = expiry_date(completed, months)
        key = (staff_id, category_id)
        derived[key] = max(expiry, derived.get(key, expiry))
    old = {
        (c.staff_id, c.category_id): c
        for c in TrainingCover.objects.filter(staff_id__in=ids).only(
            "staff_id", "category_id", "expires_on", "reminded_expiring_for", "reminded_expired_for"
        )
    }
    covers = []
    for row in best:
        latest = row["latest_expiry"]
        if (own := derived.get((row["staff_id"], row["category_id"]))) is not None:
            latest = own if latest is None else max(latest, own)
        expires_on = None if row["never"] else latest
        previous = old.get((row["staff_id"], row["category_id"]))
        kept = previous is not None and previous.expires_on == expires_on
        covers.append(
            TrainingCover(
                staff_id=row["staff_id"],
                category_id=row["category_id"],
                organisation_id=row["staff__organisation_id"],
                job_role_id=row["staff__job_role_id"],
                completed_on=row["latest_completion"],
                expires_on=expires_on,
                reminded_expiring_for=previous.reminded_expiring_for if kept else None,
                reminded_expired_for=previous.reminded_expired_for if kept else None,
            )
        )
    TrainingCover.objects.filter(staff_id__in=ids).delete()
    TrainingCover.objects.bulk_create(covers, batch_size=1000)


def cover_follow_staff(staff_ids: Iterable[int]) -> None:
    """Copy these people's job role and organisation onto their covers after they changed (one UPDATE a chunk).

    The caller refreshes the compliance figures of the organisations concerned, as it saves the people."""
    ids = sorted(set(staff_ids))
    person = StaffMember.objects.filter(pk=OuterRef("staff_id"))
    for start in range(0, len(ids), CHUNK):
        TrainingCover.objects.filter(staff_id__in=ids[start : start + CHUNK]).update(
            job_role_id=Subquery(person.values("job_role_id")[:1]),
            organisation_id=Subquery(person.values("organisation_id")[:1]),
        )
