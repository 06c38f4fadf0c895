"""The load test's data (scripts/topology): provider people in many organisations racing for the last places of one
forum meeting and one course run, and the checks made on the database once the load has finished.

Each round has its own tag, so its people, meeting and run are its own and two rounds on one database never mix.
Rows are written directly (like the benchmark's synthetic volume): they are the stage for the test, not records
anyone made; everything the virtual people then do goes through the web pages.
"""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carenetwork.accounts.models import User
from carenetwork.core.models import AuditEvent
from carenetwork.forums.models import Booking, Forum, ForumMembership, Meeting
from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.organisations.volume import AREAS
from carenetwork.records.models import TrainingCategory
from carenetwork.training.models import Course, CourseRun, DeliveryMode, Interest
from carenetwork.training.position import figures_refresh, schedule_of
from carenetwork.training.programme_figures import programme_figures_refresh

PEOPLE_PER_ORGANISATION = 4
SEND_EMAIL = "carenetwork.core.tasks.send_email"


@dataclass
class Stage:
    """What the virtual people need: who they are and where the last places are."""

    tag: str
    emails: list[str]
    password: str
    meeting_path: str
    book_path: str
    run_path: str
    interest_path: str
    forum_path: str


def email_for(tag: str, n: int) -> str:
    return f"load.{tag}.{n}@example.org"


@transaction.atomic
def stage_create(*, tag: str, people: int, meeting_places: int, run_places: int) -> Stage:
    """Organisations of provider admins, a forum they all belong to with a meeting of `meeting_places` places (two
    per organisation), and an approved course with a run of `run_places` places, taking interest."""
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Load test {tag} provider {n}",
                kind=Organisation.Kind.PROVIDER,
                contact_email=f"enquiries.{tag}.{n}@example.org",
                postcode="EM3 1AB",
                area=AREAS[n % len(AREAS)],
            )
            for n in range(max(1, -(-people // PEOPLE_PER_ORGANISATION)))
        ]
    )
    password = secrets.token_urlsafe(18)  # this round's, known to this process only
    hashed = make_password(password)  # one hash for all: hashing is deliberately slow
    emails = [email_for(tag, n) for n in range(people)]
    users = User.objects.bulk_create(
        [User(email=e, full_name=f"Load person {n}", password=hashed) for n, e in enumerate(emails)]
    )
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=organisations[n // PEOPLE_PER_ORGANISATION], role=Role.ADMIN)
            for n, u in enumerate(users)
        ]
    )
    forum = Forum.objects.create(name=f"Load test forum {tag}", slug=f"load-test-{tag}")
    ForumMembership.objects.bulk_create(
        [ForumMembership(forum=forum, organisation=o, status=ForumMembership.Status.ACTIVE) for o in organisations]
    )
    start = timezone.now() + timedelta(days=21)
    meeting = Meeting.objects.create(
        forum=forum,
        title="Winter pressures: the last places",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Town Hall",
        capacity=meeting_places,
        per_organisation_limit=min(2, meeting_places),
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
    )
    run = _run_create(tag, run_places, start + timedelta(days=14))
    return Stage(
        tag=tag,
        emails=emails,
        password=password,
        forum_path=reverse("forums:forum-detail", args=[forum.slug]),
        meeting_path=reverse("forums:meeting-detail", args=[forum.slug, meeting.pk]),
        book_path=reverse("forums:booking-create", args=[forum.slug, meeting.pk]),
        run_path=reverse("training:run-detail", args=[run.pk]),
        interest_path=reverse("training:interest-edit", args=[run.pk]),
    )


def _run_create(tag: str, places: int, starts_at) -> CourseRun:
    """An approved course's run taking interest (as tests/training/factories.py makes one, at a shared fee)."""
    provider = Organisation.objects.create(
        name=f"Load test {tag} training",
        kind=Organisation.Kind.TRAINING,
        contact_email=f"training.{tag}@example.org",
        postcode="EM3 1AB",
        area=AREAS[0],
    )
    course = Course.objects.create(
        provider=provider,
        status=Course.Status.APPROVED,
        title="Safeguarding adults, level 2",
        outline="Recognising and reporting abuse and neglect.",
        duration_hours=Decimal("6.0"),
        delivery_mode=DeliveryMode.FACE_TO_FACE,
        max_group_size=max(places, 1),
    )
    course.categories.set(TrainingCategory.objects.filter(code=20))
    run = CourseRun(
        course=course,
        capacity=places,
        minimum_places=1,
        partner_margin=0,
        pricing=CourseRun.Pricing.SHARED_FEE,
        fee=Decimal("800.00"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        interest_deadline=starts_at - timedelta(days=14),
        partner_deadline=starts_at - timedelta(days=7),
        booking_cutoff=starts_at - timedelta(days=2),
        free_cancellation_until=starts_at - timedelta(days=7),
        venue="Town Hall, Committee Room 2",
        area=AREAS[0],
        cancellation_terms="Free until 7 days before the course; the full price after that.",
    )
    figures_refresh(run, schedule=schedule_of(run, None))
    run.save()
    programme_figures_refresh(run)
    return run


def tasks_unfinished() -> int:
    """Tasks a worker has yet to finish (waiting or running)."""
    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()


def stage_check(tag: str) -> tuple[dict, list[str]]:
    """The round's figures and what is wrong: places oversold, tasks lost or failed, emails missing or doubled."""
    problems = []
    meeting = Meeting.objects.get(forum__slug=f"load-test-{tag}")
    bookings = Booking.objects.filter(meeting=meeting)
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED)
    per_org = confirmed.values("organisation").annotate(n=Count("pk")).filter(n__gt=meeting.per_organisation_limit)
    if confirmed.count() > meeting.capacity:
        problems.append(f"meeting oversold: {confirmed.count()} confirmed for {meeting.capacity} places")
    if per_org.exists():
        problems.append(f"an organisation has more than {meeting.per_organisation_limit} places: {list(per_org)}")
    doubled = bookings.exclude(status=Booking.Status.CANCELLED).values("person").annotate(n=Count("pk")).filter(n__gt=1)
    if doubled.exists():
        problems.append(f"people with more than one live booking: {list(doubled)}")

    run = CourseRun.objects.get(course__provider__name=f"Load test {tag} training")
    live = Interest.objects.filter(run=run, status__in=Interest.LIVE)
    held = live.aggregate(places=Sum("places"))["places"] or 0
    if held > run.capacity or run.places_taken > run.capacity:
        problems.append(f"run oversold: {held} places held ({run.places_taken} counted) for {run.capacity}")
    if held != run.places_taken:
        problems.append(f"run's places taken {run.places_taken} differ from the interests' {held}")
    if live.values("organisation").annotate(n=Count("pk")).filter(n__gt=1).exists():
        problems.append("an organisation has more than one live interest in the run")

    # Every email the round should have caused, from the audit trail: one to the person per booking made or
    # promoted, one to the organisation's admins and mailbox per interest given places from the waiting list.
    expected = Counter()
    for booking in bookings.select_related("person"):
        made = AuditEvent.objects.filter(
            object_type="booking", object_id=str(booking.pk), action__in=["booking.created", "booking.promoted"]
        )
        expected[(booking.person.email,)] += made.count()
    for interest in Interest.objects.filter(run=run).select_related("organisation"):
        promoted = AuditEvent.objects.filter(
            object_type="interest", object_id=str(interest.pk), action="interest.promoted"
        )
        expected[tuple(organisation_recipients(interest.organisation))] += promoted.count()
    emails = [
        row["args_kwargs"]["kwargs"]
        for row in DBTaskResult.objects.filter(task_path=SEND_EMAIL).values("args_kwargs")
        if any(f".{tag}." in to for to in row["args_kwargs"]["kwargs"]["to"])
    ]
    queued = Counter(tuple(email["to"]) for email in emails)
    if queued != +expected:
        problems.append(
            f"emails queued do not match the bookings and promotions: missing {dict(expected - queued)}, "
            f"extra or twice {dict(queued - expected)}"
        )
    others = DBTaskResult.objects.exclude(status="SUCCESSFUL").values("status").annotate(n=Count("pk"))
    if others:
        problems.append(f"tasks not successful: { {r['status']: r['n'] for r in others} }")

    figures = {
        "meeting_places": meeting.capacity,
        "meeting_confirmed": confirmed.count(),
        "meeting_waiting": bookings.filter(status=Booking.Status.WAITING).count(),
        "run_places": run.capacity,
        "run_places_held": held,
        "run_places_waiting": live.aggregate(n=Sum("waiting_places"))["n"] or 0,
        "run_interests": live.count(),
        "emails_queued": len(emails),
        "tasks": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk"))),
    }
    return figures, problems
