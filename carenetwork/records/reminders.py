"""Reminders before training expires and when it has expired: to each provider's admins and to the staff member.

A cover is reminded once per expiry date: `TrainingCover.reminded_expiring_for` and `reminded_expired_for` hold
the expiry date the reminder was sent for, so a renewal (a new expiry date) is reminded again and an unchanged one
never twice. Covers are read in one query and the marks set in bulk, so a run costs the same few queries for
fifty or fifty thousand staff. Provider admins see their own staff's names; nobody else does.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.records.models import RecordsSettings, TrainingCover

EXPIRING, EXPIRED = "expiring", "expired"
# An email lists at most this many lines of each kind; the training matrix has the rest.
MAX_LINES = 200
CHUNK = 500


@dataclass
class Digest:
    """What one email says: the lines expiring soon and the lines expired."""

    expiring: list[dict] = field(default_factory=list)
    expired: list[dict] = field(default_factory=list)

    def add(self, kind: str, line: dict) -> None:
        getattr(self, kind).append(line)


def _not_reminded(mark: str) -> Q:
    return (
        Q(**{f"{mark}__isnull": True}) | Q(**{f"{mark}__lt": F("expires_on")}) | Q(**{f"{mark}__gt": F("expires_on")})
    )


def due_covers(*, today: datetime.date, window_days: int):
    """Covers of current staff expiring within the window or expired, not yet reminded for this expiry date."""
    horizon = today + datetime.timedelta(days=window_days)
    expiring = Q(expires_on__gte=today, expires_on__lte=horizon) & _not_reminded("reminded_expiring_for")
    expired = Q(expires_on__lt=today) & _not_reminded("reminded_expired_for")
    return TrainingCover.objects.filter(
        expiring | expired,
        staff__leaving_date__isnull=True,
        staff__personal_data_removed_at__isnull=True,
        organisation__kind=Organisation.Kind.PROVIDER,
        organisation__is_active=True,
    )


def matrix_url(organisation_id: int) -> str:
    """The provider's training matrix, for the link in the admins' email."""
    try:
        return absolute_url(reverse("records:matrix", args=[organisation_id]))
    except NoReverseMatch:  # the matrix page arrives with another part of the records work
        return absolute_url(f"/records/{organisation_id}/matrix/")


@transaction.atomic
def training_reminders_send(*, today: datetime.date | None = None) -> dict:
    """Email each provider's admins, and each staff member with an email address, about training due; once."""
    today = today or timezone.localdate()
    window = RecordsSettings.current().reminder_days
    rows = (
        due_covers(today=today, window_days=window)
        .select_for_update(of=("self",))
        .order_by("organisation_id", "staff__name", "staff_id", "category__name")
        .values_list(
            "pk",
            "organisation_id",
            "organisation__name",
            "staff_id",
            "staff__name",
            "staff__email",
            "category__name",
            "expires_on",
        )
    )
    organisations: dict[int, Digest] = defaultdict(Digest)
    names: dict[int, str] = {}
    staff: dict[int, Digest] = defaultdict(Digest)
    people: dict[int, tuple[str, str]] = {}
    marks = {EXPIRING: [], EXPIRED: []}
    for pk, org_id, org_name, staff_id, staff_name, email, category, expires_on in rows.iterator(chunk_size=5000):
        kind = EXPIRED if expires_on < today else EXPIRING
        marks[kind].append(pk)
        line = {"name": staff_name, "category": category, "expires_on": expires_on}
        organisations[org_id].add(kind, line)
        names[org_id] = org_name
        if email:
            staff[staff_id].add(kind, line)
            people[staff_id] = (staff_name, email)

    _mark(marks[EXPIRING], "reminded_expiring_for")
    _mark(marks[EXPIRED], "reminded_expired_for")
    sent_organisations = _email_admins(organisations, names, window)
    for staff_id, digest in staff.items():
        name, email = people[staff_id]
        send_templated(
            to=[email],
            template="records/email/training_reminder_staff",
            context={"name": name, **_context(digest), "window_days": window},
        )
    return {
        "expiring": len(marks[EXPIRING]),
        "expired": len(marks[EXPIRED]),
        "organisation_emails": sent_organisations,
        "staff_emails": len(staff),
    }


def _mark(pks: list[int], mark: str) -> None:
    for start in range(0, len(pks), CHUNK):
        TrainingCover.objects.filter(pk__in=pks[start : start + CHUNK]).update(**{mark: F("expires_on")})


def _email_admins(organisations: dict[int, Digest], names: dict[int, str], window: int) -> int:
    if not organisations:
        return 0
    admins = defaultdict(list)
    # All providers' admins in one query: cheaper than an IN list of thousands of organisations.
    for org_id, email in (
        Membership.objects.active()
        .filter(
            role=Role.ADMIN,
            organisation__kind=Organisation.Kind.PROVIDER,
            organisation__is_active=True,
            user__is_active=True,
        )
        .values_list("organisation_id", "user__email")
    ):
        if org_id in organisations and email:
            admins[org_id].append(email)
    for org_id, recipients in admins.items():
        send_templated(
            to=sorted(recipients),
            template="records/email/training_reminder_organisation",
            context={
                "organisation": names[org_id],
                **_context(organisations[org_id]),
                "window_days": window,
                "url": matrix_url(org_id),
            },
        )
    return len(admins)


def _context(digest: Digest) -> dict:
    return {
        "expiring": digest.expiring[:MAX_LINES],
        "expired": digest.expired[:MAX_LINES],
        "more_expiring": max(len(digest.expiring) - MAX_LINES, 0),
        "more_expired": max(len(digest.expired) - MAX_LINES, 0),
        "expiring_count": len(digest.expiring),
        "expired_count": len(digest.expired),
    }
