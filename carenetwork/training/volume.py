"""Synthetic training brokerage at benchmark volume: courses, runs, interests and bookings, for the synthetic providers.

Like `carenetwork.records.volume`, generation *tops up*: it counts the synthetic courses, runs and interests already
there and creates only the shortfall, so a second call creates nothing. The courses belong to synthetic training
providers, which carry ``TRAINING_MARKER`` at the start of their description as the synthetic care providers carry
``SYNTHETIC_MARKER`` (a marker of their own, so that the care providers' volume does not count them or give them
locations and people when it tops up). The interests are the synthetic care providers'.

Each run is played forward as the services would have left it: interests queue in order and hold places within
capacity, the rest waiting; at the interest deadline a run with its minimum is confirmed at the price its places
reach (booked interests owe places × the locked price), a small shortfall is offered to partners, a larger one
cancels the run; a few interests are withdrawn, dropped at the price or cancelled later. The kept figures
(`places_taken`, `current_price`, `single_place_price`, `locked_price`) come from the pure pricing rules, as
`position.figures_refresh` sets them. Rows are written with `bulk_create` in batches, bypassing the services on
purpose: this is benchmark data, not bookings anyone made. The large tables (runs, interests, delegates,
evaluations) are written with plain batched INSERTs carrying their own ids (arrays unnested on PostgreSQL, whose
sequences are moved past them afterwards), since building a model instance per row would take most of the time.
Bypassing the services bypasses the programme report's figures they keep, so the generator builds those at its end
with the recount (`programme_figures.programme_figures_recount`), which leaves them equal to a recount.
"""

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from faker import Faker

from carenetwork.core.bulk import bulk_load
from carenetwork.organisations.models import Organisation, Sector
from carenetwork.organisations.volume import AREAS, STREET_SUFFIXES, postcode_for, synthetic_organisations
from carenetwork.records.models import TrainingCategory
from carenetwork.training import pricing
from carenetwork.training.models import (
    Course,
    CourseRun,
    Delegate,
    DeliveryMode,
    DemandEstimate,
    Evaluation,
    Interest,
    PriceTier,
    ProgrammeProviders,
    RunDecision,
    RunFigures,
)
from carenetwork.training.programme_figures import programme_figures_recount

TRAINING_MARKER = "[Synthetic benchmark training provider]"
SEED = 20260501
BATCH = 2000  # rows per INSERT
# The issue's volumes: 500 courses, 5,000 runs and 50,000 interests for a council, ten times that for a region.
TRAINING_VOLUMES = {
    "council": {"training_providers": 20, "courses": 500, "runs": 5_000, "interests": 50_000},
    "region": {"training_providers": 200, "courses": 5_000, "runs": 50_000, "interests": 500_000},
}
# The brokerage is run per council (or by a region's councils together): no national catalogue exists, so the
# national volume carries a region's brokerage, its interests spread over the nation's providers.
TRAINING_VOLUMES["national"] = TRAINING_VOLUMES["region"]
PAST_DAYS, FUTURE_DAYS = 365, 182  # runs over the past year and the next six months
INTEREST_DAYS, PARTNER_DAYS, CUTOFF_DAYS = 14, 7, 2  # deadlines before the start
COURSE_STATUS_MIX = [
    (Course.Status.APPROVED, 88),
    (Course.Status.SUBMITTED, 6),
    (Course.Status.RETURNED, 3),
    (Course.Status.WITHDRAWN, 3),
]
DELIVERY_MIX = [
    (DeliveryMode.FACE_TO_FACE, 60),
    (DeliveryMode.ONLINE, 20),
    (DeliveryMode.BLENDED, 10),
    (DeliveryMode.E_LEARNING, 10),
]
TITLE_FORMS = ["{}", "{}: refresher", "{} for senior carers", "{} (level 2)", "{} (level 3)", "Introduction to {}"]
ACCREDITATIONS = ["", "", "Skills for Care endorsed", "CPD certified", "RoSPA accredited", "Open College Network"]
PROVIDER_SUFFIXES = ["Training", "Learning", "Academy", "Care Skills", "Training Partnership"]
VENUES = ["Town Hall, Committee Room 2", "Community Centre", "Library meeting room", "Training Suite", "Civic Centre"]
WITHDRAWN_SHARE = 0.08  # of interests, before the decision
DROPPED_SHARE = 0.04  # of interests on a confirmed run, whose limit was below the price
BOOKING_CANCELLED_SHARE = 0.04  # of bookings, cancelled afterwards
CEILING_SHARE = 0.2  # of interests, with a most-per-place limit
EARLY_CONFIRMED_SHARE = 0.12  # of open runs with their minimum, confirmed before the deadline by an officer
NAMED_SHARE = 0.8  # of booked places, with a delegate named
ATTENDED_SHARE = 0.9
EVALUATED_SHARE = 0.4
DEMAND_CATEGORIES = 3  # demand-survey answers per synthetic provider


def synthetic_training_providers():
    """The synthetic training providers, oldest first."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.TRAINING, description__startswith=TRAINING_MARKER
    ).order_by("pk")


def synthetic_courses():
    """The synthetic training providers' courses."""
    return Course.objects.filter(provider__in=synthetic_training_providers())


def synthetic_runs():
    """The runs of the synthetic courses."""
    return CourseRun.objects.filter(course__provider__in=synthetic_training_providers())


def synthetic_interests():
    """Interests and bookings on the synthetic runs."""
    return Interest.objects.filter(run__course__provider__in=synthetic_training_providers())


def training_counts() -> dict:
    """How many synthetic training providers, courses, runs and interests there are."""
    return {
        "training providers": synthetic_training_providers().count(),
        "courses": synthetic_courses().count(),
        "runs": synthetic_runs().count(),
        "interests": synthetic_interests().count(),
    }


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _weighted(rng: random.Random, mix):
    values, weights = zip(*mix, strict=True)
    return rng.choices(values, weights=weights)[0]


def _create_training_providers(count: int, rng: random.Random, fake: Faker) -> None:
    have = synthetic_training_providers().count()
    orgs = []
    for n in range(have, have + count):
        area = rng.randrange(len(AREAS))
        name = f"{fake.last_name()} {rng.choice(PROVIDER_SUFFIXES)}"
        orgs.append(
            Organisation(
                name=f"{name} {n + 1}" if rng.random() < 0.1 else name,
                kind=Organisation.Kind.TRAINING,
                description=f"{TRAINING_MARKER} Accredited training for adult social care.",
                contact_email=f"courses{n + 1}@training{n + 1}.example.org",
                phone=f"01632 961{n % 1000:03d}",
                website=f"https://www.training{n + 1}.example.org",
                address=f"{rng.randint(1, 250)} {fake.last_name()} {rng.choice(STREET_SUFFIXES)}",
                postcode=postcode_for(area, rng),
                area=AREAS[area],
            )
        )
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)


def _create_courses(count: int, rng: random.Random) -> None:
    providers = list(synthetic_training_providers().values_list("pk", flat=True))
    categories = dict(TrainingCategory.objects.filter(is_active=True).values_list("pk", "name"))
    category_ids = list(categories) or [None]
    now = timezone.now()
    courses, covered = [], []
    for _ in range(count):
        picked = rng.sample(category_ids, k=min(len(category_ids), rng.choice([1, 1, 1, 2])))
        picked = [c for c in picked if c is not None]
        topic = categories[picked[0]] if picked else "Care practice"
        mode = _weighted(rng, DELIVERY_MIX)
        status = _weighted(rng, COURSE_STATUS_MIX)
        courses.append(
            Course(
                provider_id=rng.choice(providers),
                title=rng.choice(TITLE_FORMS).format(topic)[:150],
                outline=f"What {topic.lower()} means in day-to-day care: the law, good practice and case studies.",
                duration_hours=Decimal(rng.choice(["1.5", "3.0", "3.0", "6.0", "6.0", "6.0", "12.0"])),
                delivery_mode=mode,
                accreditation=rng.choice(ACCREDITATIONS),
                max_group_size=rng.choice([60, 100]) if mode == DeliveryMode.E_LEARNING else rng.randint(10, 30),
                status=status,
                reviewed_at=None if status == Course.Status.SUBMITTED else now,
                review_comments="Please add the learning outcomes." if status == Course.Status.RETURNED else "",
            )
        )
        covered.append(picked)
    created = Course.objects.bulk_create(courses, batch_size=BATCH)
    through = Course.categories.through
    through.objects.bulk_create(
        [
            through(course_id=c.pk, trainingcategory_id=category_id)
            for c, picked in zip(created, covered, strict=True)
            for category_id in picked
        ],
        batch_size=BATCH,
    )


def _schedule(rng: random.Random, capacity: int) -> tuple[str, Decimal | None, list[tuple[int, Decimal]]]:
    """(pricing, fee, tiers): a shared fee, or two to four bands whose price per place falls."""
    if rng.random() < 0.5:
        return CourseRun.Pricing.SHARED_FEE, Decimal(rng.randrange(300, 2450, 50)), []
    price = Decimal(rng.randrange(60, 205, 5))
    tiers = [(1, price)]
    starts = sorted(rng.sample(range(2, capacity + 1), k=min(rng.randint(1, 3), capacity - 1)))
    for start in starts:
        price = max(price - Decimal(rng.randrange(5, 30, 5)), Decimal(15))
        tiers.append((start, price))
    return CourseRun.Pricing.TIERS, None, tiers


def _schedule_of(run: CourseRun, tiers) -> pricing.Schedule:
    if run.pricing == CourseRun.Pricing.SHARED_FEE:
        return pricing.SharedFee(fee=run.fee)
    return pricing.Tiers(tuple(pricing.Tier(from_places=f, price=p) for f, p in tiers))


class _Interest:
    """An interest being played forward: the `Interest` columns the generator sets, without a model instance."""

    __slots__ = (
        "id", "organisation_id", "status", "places", "waiting_places", "queued_at", "ceiling", "price",
        "amount_due", "charged_places", "invoice", "invoice_issued_at", "paid_at", "booked_at", "ended_at",
    )  # fmt: skip

    def __init__(self, organisation_id: int, wanted: int, queued_at):
        self.id = None
        self.organisation_id, self.queued_at = organisation_id, queued_at
        self.status, self.places, self.waiting_places = Interest.Status.INTERESTED, 0, wanted
        self.ceiling = self.price = self.amount_due = None
        self.charged_places = 0
        self.invoice = Interest.Invoice.NOT_ISSUED
        self.invoice_issued_at = self.paid_at = self.booked_at = self.ended_at = None


@dataclass
class _Run:
    """A run being played forward in memory, with its interests."""

    run: CourseRun
    tiers: list
    sectors: list
    interests: list = field(default_factory=list)
    delegates: list = field(default_factory=list)  # (interest index, name, attended)
    decisions: list = field(default_factory=list)  # RunDecision fields


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _new_run(course: dict, rng: random.Random, today: datetime.date, sector_ids: list[int]) -> _Run:
    day = today + datetime.timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
    starts = _at(day, rng.choice([9, 9, 10, 13]), rng.choice([0, 30]))
    hours = float(course["duration_hours"])
    days = 2 if hours > 7 else 1
    ends = starts + datetime.timedelta(hours=min(hours, 7)) + datetime.timedelta(days=days - 1)
    online = course["delivery_mode"] in (DeliveryMode.ONLINE, DeliveryMode.E_LEARNING)
    area = rng.randrange(len(AREAS))
    capacity = rng.randint(max(course["max_group_size"] // 2, 4), course["max_group_size"])
    minimum = max(2, min(capacity, round(capacity * rng.uniform(0.3, 0.6))))
    kind, fee, tiers = _schedule(rng, capacity)
    run = CourseRun(
        course_id=course["pk"],
        starts_at=starts,
        ends_at=ends,
        dates_note=f"Two days: {day:%-d} and {day + datetime.timedelta(days=1):%-d %B}, 9:30 to 16:30"
        if days == 2
        else "",
        venue="" if online else f"{rng.choice(VENUES)}, {AREAS[area]}",
        area="" if online else AREAS[area],
        online_link=f"https://meet.example.org/run-{rng.randrange(10**8):08d}" if online else "",
        capacity=capacity,
        minimum_places=minimum,
        interest_deadline=starts - datetime.timedelta(days=INTEREST_DAYS),
        partner_margin=rng.choice([2, 3, 3, 4]),
        partner_deadline=starts - datetime.timedelta(days=PARTNER_DAYS),
        booking_cutoff=starts - datetime.timedelta(days=CUTOFF_DAYS),
        cancellation_terms="Free until 7 days before the course; the full price after that.",
        free_cancellation_until=starts - datetime.timedelta(days=PARTNER_DAYS),
        pricing=kind,
        fee=fee,
        status=CourseRun.Status.OPEN,
    )
    targeted = rng.sample(sector_ids, k=min(len(sector_ids), rng.choice([0, 1, 1, 2, 3])))
    return _Run(run=run, tiers=tiers, sectors=targeted)


def _hold(run: CourseRun, interests: list) -> None:
    """Give the waiting places out in queue order within capacity."""
    free = run.capacity - run.places_taken
    for interest in interests:
        if free <= 0:
            break
        given = min(free, interest.waiting_places)
        interest.places += given
        interest.waiting_places -= given
        free -= given
        run.places_taken += given


def _play(plan: _Run, org_ids: list[int], rng: random.Random, now, names: list[str]) -> None:
    """Give the run its interests and play it forward to today: deadline decision, bookings, cancellations."""
    run, count = plan.run, len(org_ids)
    schedule = _schedule_of(run, plan.tiers)
    # Interest comes in over the two months before the deadline, or since publication for runs further ahead.
    opened = min(run.interest_deadline - datetime.timedelta(days=60), now - datetime.timedelta(days=30))
    closes = min(run.interest_deadline, now)
    span = (closes - opened).total_seconds()
    times = sorted(opened + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    live = []
    for org_id, queued_at in zip(org_ids, times, strict=True):
        wanted = rng.choices([1, 2, 3, 4, 6], weights=[40, 30, 15, 10, 5])[0]
        interest = _Interest(org_id, wanted, queued_at)
        if rng.random() < WITHDRAWN_SHARE:
            interest.status, interest.places, interest.waiting_places = Interest.Status.WITHDRAWN, wanted, 0
            interest.ended_at = min(queued_at + datetime.timedelta(days=rng.randint(1, 10)), closes)
        else:
            live.append(interest)
        plan.interests.append(interest)
    _hold(run, live)

    decided = run.interest_deadline <= now
    early = not decided and run.places_taken >= run.minimum_places and rng.random() < EARLY_CONFIRMED_SHARE
    if not decided and not early:
        _ceilings(live, pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places), rng)
    elif run.places_taken >= run.minimum_places:
        _confirm(plan, live, schedule, rng, now if early else run.interest_deadline, now, names, early)
    else:
        price = pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
        decision = {"places": run.places_taken, "price": price}
        run.status = CourseRun.Status.OPEN
        if run.minimum_places - run.places_taken <= run.partner_margin:  # a small shortfall: offered to partners
            run.partners_offered_at = run.decided_at = run.interest_deadline
            run.status = CourseRun.Status.PARTNERS
            plan.decisions.append({**decision, "at": run.decided_at, "from_status": CourseRun.Status.OPEN,
                                   "to_status": run.status, "trigger": RunDecision.Trigger.DEADLINE})  # fmt: skip
            _ceilings(live, price, rng)
        if not run.partners_offered_at or run.partner_deadline <= now:
            # The shortfall was too large to offer to partners, or no partner took the places by their deadline.
            trigger = RunDecision.Trigger.PARTNER_DEADLINE if run.partners_offered_at else RunDecision.Trigger.DEADLINE
            run.decided_at = run.partner_deadline if run.partners_offered_at else run.interest_deadline
            plan.decisions.append({**decision, "at": run.decided_at, "from_status": run.status,
                                   "to_status": CourseRun.Status.CANCELLED, "trigger": trigger})  # fmt: skip
            run.status = CourseRun.Status.CANCELLED
            run.places_taken = 0  # a cancelled run holds no places, as `decisions.run_decide` leaves it
            for interest in live:
                interest.status, interest.ended_at = Interest.Status.RUN_CANCELLED, run.decided_at
    run.single_place_price = schedule.price(1)
    run.current_price = (
        run.locked_price
        if run.locked_price is not None
        else pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
    )


def _ceilings(live: list, price: Decimal, rng: random.Random) -> None:
    """A few interests set the most they will pay: never below today's price, or they would have been dropped."""
    for interest in live:
        if rng.random() < CEILING_SHARE:
            interest.ceiling = price + Decimal(rng.randrange(0, 40, 5))


def _confirm(plan: _Run, live, schedule, rng, at, now, names, early) -> None:
    """Confirm the run at `at`: drop a few whose limit is below the price, book the places, then a few cancel."""
    run = plan.run
    price = pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
    droppers = [i for i in live if i.places and rng.random() < DROPPED_SHARE]
    if droppers and run.places_taken - sum(i.places for i in droppers) >= run.minimum_places:
        for interest in droppers:
            interest.ceiling = max(price - Decimal(rng.randrange(5, 30, 5)), Decimal("1.00"))
            interest.status, interest.ended_at = Interest.Status.DROPPED, at
            run.places_taken -= interest.places
        live = [i for i in live if i.status == Interest.Status.INTERESTED]
        _hold(run, live)  # the places they held go to the waiting list in order
    else:
        droppers = []
    price = pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
    run.status, run.locked_price, run.decided_at = CourseRun.Status.CONFIRMED, price, at
    plan.decisions.append(
        {
            "at": at,
            "from_status": CourseRun.Status.OPEN,
            "to_status": CourseRun.Status.CONFIRMED,
            "trigger": RunDecision.Trigger.EARLY if early else RunDecision.Trigger.DEADLINE,
            "places": run.places_taken,
            "price": price,
            "dropped": len(droppers),
        }
    )
    for interest in live:
        if interest.ceiling is None and rng.random() < CEILING_SHARE:
            interest.ceiling = price + Decimal(rng.randrange(0, 40, 5))
        if interest.places:
            _book(interest, price, at)
    # Later, a few bookings are cancelled; their places go to the waiting list, booked at the locked price.
    cancel_by = min(run.starts_at, now)
    for interest in live:
        if interest.status == Interest.Status.BOOKED and cancel_by > at and rng.random() < BOOKING_CANCELLED_SHARE:
            when = at + (cancel_by - at) * rng.random()
            interest.status, interest.ended_at, interest.waiting_places = Interest.Status.CANCELLED, when, 0
            if when <= run.free_cancellation_until:
                interest.amount_due = Decimal("0.00")
            else:
                interest.charged_places = interest.places  # still charged under the cancellation terms
            run.places_taken -= interest.places
            waiting = [i for i in live if i.status in Interest.LIVE and i.waiting_places]
            before = [i.places for i in waiting]
            _hold(run, waiting)
            for i, held in zip(waiting, before, strict=True):
                if i.places != held:
                    _book(i, price, when)
    # Delegates for the booked places, with attendance once the run is over.
    over = run.ends_at <= now
    for index, interest in enumerate(plan.interests):
        if interest.status != Interest.Status.BOOKED:
            continue
        if over and interest.invoice == Interest.Invoice.NOT_ISSUED and rng.random() < 0.9:
            interest.invoice = Interest.Invoice.PAID if rng.random() < 0.7 else Interest.Invoice.ISSUED
            interest.invoice_issued_at = run.ends_at + datetime.timedelta(days=3)
            if interest.invoice == Interest.Invoice.PAID:
                interest.paid_at = min(interest.invoice_issued_at + datetime.timedelta(days=rng.randint(5, 40)), now)
        for _place in range(interest.places):
            if over or rng.random() < NAMED_SHARE:
                attended = (rng.random() < ATTENDED_SHARE) if over else None
                plan.delegates.append((index, rng.choice(names), attended))


def _book(interest: _Interest, price: Decimal, at) -> None:
    interest.status = Interest.Status.BOOKED
    interest.booked_at = interest.booked_at or at
    interest.price = price
    interest.amount_due = price * interest.places


def _counts(total: int, weights: list[float], rng: random.Random, most: int) -> list[int]:
    """`total` interests spread over the runs by weight, at most `most` on a run."""
    counts = [0] * len(weights)
    if not weights or most <= 0:
        return counts
    total = min(total, most * len(weights))
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    spill = sum(max(c - most, 0) for c in counts)
    counts = [min(c, most) for c in counts]
    room = [i for i, c in enumerate(counts) if c < most]
    while spill and room:
        i = rng.choice(room)
        counts[i] += 1
        spill -= 1
        if counts[i] == most:
            room.remove(i)
    return counts


def _utc(value):
    """A datetime as the SQLite backend stores it: naive, in UTC."""
    return None if value is None else value.astimezone(datetime.UTC).replace(tzinfo=None)


def _insert(model, rows: list[dict]) -> None:
    """Plain batched INSERTs of column values by attribute name (`run_id`), datetimes adapted as the backend wants."""
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(n) for n in names]
    postgresql = connection.vendor == "postgresql"
    # Choices are str enums: written as their plain values, which every driver takes as text.
    adapt = [
        _utc if isinstance(f, models.DateTimeField) and not postgresql else (str if f.choices else None) for f in fields
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            values = [
                [row[n] if a is None or row[n] is None else a(row[n]) for n, a in zip(names, adapt, strict=True)]
                for row in rows[start : start + BATCH]
            ]
            if postgresql:
                # One array per column, unnested into rows: one short statement per batch.
                arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in fields)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",
                    [list(column) for column in zip(*values, strict=True)],
                )
            else:
                placeholders = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)


def _next_id(model) -> int:
    return (model.objects.aggregate(n=Max("pk"))["n"] or 0) + 1


def _sequences_reset(*models_) -> None:
    """On PostgreSQL, move the id sequences past the ids written here (as `loaddata` does)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


RUN_COLUMNS = [f.attname for f in CourseRun._meta.concrete_fields]


def _write(plans: list[_Run], now, rng: random.Random, stdout) -> int:
    """Write the runs with their tiers, sectors, decisions, interests, delegates and evaluations."""
    run_id, interest_id, delegate_id = _next_id(CourseRun), _next_id(Interest), _next_id(Delegate)
    written = 0
    for start in range(0, len(plans), BATCH):
        part = plans[start : start + BATCH]
        for p in part:
            p.run.pk, p.run.created_at, p.run.modified_at = run_id, now, now
            run_id += 1
        _insert(CourseRun, [{c: getattr(p.run, c) for c in RUN_COLUMNS} for p in part])
        _insert(
            PriceTier, [{"run_id": p.run.pk, "from_places": f, "price": price} for p in part for f, price in p.tiers]
        )
        _insert(
            CourseRun.sectors.through, [{"courserun_id": p.run.pk, "sector_id": s} for p in part for s in p.sectors]
        )
        _insert(
            RunDecision,
            [
                {"run_id": p.run.pk, "dropped": 0, "decided_by_id": None, "reason": "", **d}
                for p in part
                for d in p.decisions
            ],
        )
        interests, delegates, evaluations = [], [], []
        for p in part:
            for interest in p.interests:
                interest.id = interest_id
                interest_id += 1
                row = {c: getattr(interest, c) for c in _Interest.__slots__}
                interests.append({**row, "run_id": p.run.pk, "reminded_at": None, "created_by_id": None,
                                  "created_at": now, "modified_at": now})  # fmt: skip
            for index, name, attended in p.delegates:
                recorded = p.run.ends_at if attended is not None else None
                delegates.append({"id": delegate_id, "interest_id": p.interests[index].id, "staff_id": None,
                                  "name": name, "attended": attended, "attendance_recorded_at": recorded,
                                  "created_at": now, "modified_at": now})  # fmt: skip
                if attended and rng.random() < EVALUATED_SHARE:
                    evaluations.append(_evaluation(rng, delegate_id, p.run.pk, now))
                delegate_id += 1
        _insert(Interest, interests)
        _insert(Delegate, delegates)
        _insert(Evaluation, evaluations)
        written += len(interests)
        if (start // BATCH) % 5 == 4:
            _say(stdout, f"  {start + len(part)} runs written")
    _sequences_reset(CourseRun, Interest, Delegate, Evaluation)
    return written


def _evaluation(rng: random.Random, delegate_id: int, run_id: int, now) -> dict:
    return {
        "delegate_id": delegate_id,
        "run_id": run_id,
        "met_aims": rng.choices([2, 3, 4, 5], weights=[1, 3, 8, 8])[0],
        "trainer": rng.choices([2, 3, 4, 5], weights=[1, 2, 7, 10])[0],
        "useful": rng.choices([2, 3, 4, 5], weights=[1, 3, 8, 8])[0],
        "overall": rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 8, 8])[0],
        "comments": "" if rng.random() < 0.7 else "Clear and practical; more time for questions, please.",
        "submitted_by_id": None,
        "created_at": now,
        "modified_at": now,
    }


def _create_runs(count: int, interests: int, rng: random.Random, fake: Faker, now, stdout) -> int:
    """`count` new runs of the approved synthetic courses (courses without runs first), with `interests` interests."""
    courses = list(
        synthetic_courses()
        .filter(status=Course.Status.APPROVED)
        .annotate(n=Count("runs"))
        .order_by("n", "pk")
        .values("pk", "duration_hours", "delivery_mode", "max_group_size", "n")
    )
    if not courses:
        return 0
    # Every course without runs gets one; the rest go to courses by a heavy-tailed popularity.
    chosen = [c for c in courses if not c["n"]][:count]
    popularity = [min(rng.paretovariate(1.2), 20) for _ in courses]
    chosen += rng.choices(courses, weights=popularity, k=count - len(chosen))
    today = timezone.localdate()
    sector_ids = list(Sector.objects.filter(is_active=True).values_list("pk", flat=True))
    plans = [_new_run(course, rng, today, sector_ids) for course in chosen]
    orgs = _provider_ids()
    weights = [p.run.capacity * min(rng.paretovariate(2.5), 4) for p in plans]
    names = _names(fake)
    for plan, n in zip(plans, _counts(interests, weights, rng, len(orgs)), strict=True):
        _play(plan, rng.sample(orgs, n), rng, now, names)
    _say(stdout, f"Writing {len(plans)} synthetic course runs")
    return _write(plans, now, rng, stdout)


def _provider_ids() -> list[int]:
    return list(
        synthetic_organisations().filter(kind=Organisation.Kind.PROVIDER, is_active=True).values_list("pk", flat=True)
    )


def _names(fake: Faker) -> list[str]:
    return [f"{fake.first_name()} {fake.last_name()}" for _ in range(300)]


def _top_up_interests(shortfall: int, rng: random.Random, now) -> int:
    """More interests on the open runs still taking interest, within capacity; their figures are refreshed."""
    runs = list(
        synthetic_runs().filter(status=CourseRun.Status.OPEN, interest_deadline__gt=now).prefetch_related("tiers")
    )
    orgs = _provider_ids()
    if not runs or not orgs:
        return 0
    taken = defaultdict(set)
    for run_id, org_id in Interest.objects.filter(run__in=runs, status__in=Interest.LIVE).values_list(
        "run_id", "organisation_id"
    ):
        taken[run_id].add(org_id)
    most = min(len(orgs) - len(taken[r.pk]) for r in runs)
    counts = _counts(shortfall, [r.capacity for r in runs], rng, most)
    created = []
    for run, n in zip(runs, counts, strict=True):
        if not n:
            continue
        free_orgs = [o for o in orgs if o not in taken[run.pk]]
        added = []
        for org_id in rng.sample(free_orgs, min(n, len(free_orgs))):
            wanted = rng.choices([1, 2, 3, 4], weights=[40, 30, 15, 10])[0]
            added.append(Interest(run=run, organisation_id=org_id, places=0, waiting_places=wanted, queued_at=now))
        _hold(run, added)  # behind everyone already queued
        schedule = _schedule_of(run, [(t.from_places, t.price) for t in run.tiers.all()])
        run.current_price = pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
        created += added
    Interest.objects.bulk_create(created, batch_size=BATCH)
    CourseRun.objects.bulk_update(runs, ["places_taken", "current_price"], batch_size=500)
    return len(created)


def _create_demand(rng: random.Random) -> int:
    """Demand-survey answers for the synthetic providers that have none."""
    categories = list(TrainingCategory.objects.filter(is_active=True).values_list("pk", flat=True))
    answered = DemandEstimate.objects.values("organisation")
    orgs = synthetic_organisations().filter(kind=Organisation.Kind.PROVIDER).exclude(pk__in=answered)
    rows = [
        DemandEstimate(organisation_id=org_id, category_id=category_id, staff_needing=rng.randint(1, 30))
        for org_id in orgs.values_list("pk", flat=True)
        for category_id in rng.sample(categories, k=min(DEMAND_CATEGORIES, len(categories)))
    ]
    DemandEstimate.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def generate_training_volume(
    *, training_providers: int, courses: int, runs: int, interests: int, stdout=None, now=None
) -> dict:
    """Top up the synthetic training providers, courses, runs and interests to the numbers given."""
    started = time.perf_counter()
    now = now or timezone.now()
    created = {"training providers": 0, "courses": 0, "runs": 0, "interests": 0}
    with bulk_load():
        have = training_counts()
        rng = random.Random(SEED + sum(have.values()))
        fake = Faker("en_GB")
        fake.seed_instance(SEED + have["training providers"])
        if training_providers > have["training providers"]:
            created["training providers"] = training_providers - have["training providers"]
            _create_training_providers(created["training providers"], rng, fake)
        if courses > have["courses"] and synthetic_training_providers().exists():
            created["courses"] = courses - have["courses"]
            _create_courses(created["courses"], rng)
            _say(stdout, f"Created {created['courses']} synthetic courses")
        if _provider_ids():
            short = max(interests - have["interests"], 0)
            if runs > have["runs"]:
                created["runs"] = runs - have["runs"]
                # New runs take the interests in proportion to their number; the rest go to the open runs.
                share = short if have["runs"] == 0 else round(short * created["runs"] / runs)
                created["interests"] = _create_runs(created["runs"], share, rng, fake, now, stdout)
            if interests > have["interests"] + created["interests"]:
                created["interests"] += _top_up_interests(
                    interests - have["interests"] - created["interests"], rng, now
                )
            if created["interests"]:
                _create_demand(rng)
            if created["runs"] or created["interests"]:
                _say(stdout, f"Created {created['runs']} synthetic course runs and {created['interests']} interests")
        if any(created.values()) or not RunFigures.objects.exists() or _providers_behind():
            # The rows above, and the synthetic organisations, bypass the services that keep the programme report's
            # figures: build them here.
            repaired = programme_figures_recount(repair=True)
            _say(stdout, f"Programme figures built ({len(repaired)} repaired)")
    return {**training_counts(), "created": created, "seconds": round(time.perf_counter() - started, 2)}


def _providers_behind() -> bool:
    """Whether the programme report's count of active providers misses some (organisations were generated since)."""
    counted = ProgrammeProviders.objects.filter(starts__isnull=True).aggregate(n=Sum("providers"))["n"] or 0
    return counted != Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True).count()


def training_volume_ensure(volume: str, stdout=None) -> dict:
    """Top up the synthetic training brokerage to the volume's figures."""
    result = generate_training_volume(**TRAINING_VOLUMES[volume], stdout=stdout)
    _say(stdout, f"Training volume ready in {result['seconds']:.1f} s: {training_counts()}")
    return result


def busiest_open_run() -> CourseRun | None:
    """The open run still taking interest with the most live interests (the run page the benchmark measures)."""
    return (
        synthetic_runs()
        .filter(status=CourseRun.Status.OPEN, interest_deadline__gt=timezone.now())
        .annotate(n=Count("interests", filter=Q(interests__status__in=Interest.LIVE)))
        .order_by("-n", "pk")
        .select_related("course")
        .first()
    )
