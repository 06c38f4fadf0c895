"""Synthetic staff registers and training records at benchmark volume, for the synthetic providers.

Like `carenetwork.organisations.volume`, generation *tops up*: it counts the staff and records the synthetic
organisations already have and creates only the shortfall, so a second call creates nothing. Staff are spread over
the providers by size (their locations), with a realistic mix of job roles and about one in ten a leaver. Each new
person gets training in their mandatory categories (some in date, some expiring, some expired, some missing) and a
few others, completed over the last four years. Rows are written with plain batched INSERTs (arrays unnested on
PostgreSQL), and each batch's `TrainingCover` rows are grouped from the rows just written (or, when records are added
to people who already have some, rebuilt with one INSERT … SELECT … GROUP BY), bypassing the services on purpose:
this is benchmark data, not records anyone made.
"""

import datetime
import itertools
import random
import time
from collections import defaultdict

from django.db import connection, reset_queries, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from faker import Faker

from carenetwork.core.bulk import bulk_load
from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.organisations.volume import (
    benchmark_user_ensure,
    largest_synthetic_organisation,
    synthetic_organisations,
)
from carenetwork.records.figures import figures_rebuild
from carenetwork.records.models import (
    ComplianceFiguresState,
    ExternalTrainingProvider,
    JobRole,
    MandatoryTraining,
    StaffMember,
    TrainingCategory,
    TrainingCover,
    TrainingRecord,
)
from carenetwork.records.rules import DEFAULT_REMINDER_DAYS, add_months, expiry_date

SEED = 20260401
REFERENCE = "SYN-{n:07d}"
BATCH = 5000  # rows per INSERT batch
PEOPLE_PER_BATCH = 2000  # people whose records are generated and written together
LEAVER_SHARE = 0.10
EMAIL_SHARE = 0.10
YEARS = 4
# (ASC-WDS MAINJOBROLE code, weight): mostly care and support workers, as in the sector.
ROLE_MIX = [
    (8, 46), (7, 10), (52, 10), (45, 4), (43, 2), (4, 2), (16, 4), (38, 2), (37, 1),
    (34, 2), (40, 2), (5, 1), (25, 5), (26, 7), (3, 1), (44, 1),
]  # fmt: skip
# How a mandatory category stands for a person: in date, expiring soon, expired or missing.
STATUS_MIX = (("in_date", 70), ("expiring", 10), ("expired", 12), ("missing", 8))
# Weights summed once, not at every draw (`choices` draws the same either way): tens of millions of draws.
STATUSES = [status for status, _ in STATUS_MIX]
STATUS_CUM_WEIGHTS = list(itertools.accumulate(weight for _, weight in STATUS_MIX))
SOURCES = [
    (TrainingRecord.Source.IMPORTED, 6),
    (TrainingRecord.Source.EXTERNAL, 3),
    (TrainingRecord.Source.BROKERED, 1),
]


def synthetic_staff():
    """The staff of the synthetic organisations."""
    return StaffMember.objects.filter(organisation__in=synthetic_organisations())


def synthetic_records():
    """The training records of the synthetic organisations' staff."""
    return TrainingRecord.objects.filter(staff__organisation__in=synthetic_organisations())


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _insert(model, rows: list[dict]) -> None:
    """Plain batched INSERTs (COPY on PostgreSQL): far cheaper than building a model instance per row."""
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY, the driver writing each row in C: arrays to unnest were written element by element in Python,
            # which took half the time at region volume.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[n] for n in names])
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, [[row[n] for n in names] for row in rows[start : start + BATCH]])
    # With DEBUG on (local settings) Django keeps the text of its last 9,000 statements, values and all: about a
    # megabyte for each batch of records, gigabytes at region volume. Django's advice for long jobs: forget them.
    reset_queries()


def covers_build(first_staff_id: int, last_staff_id: int) -> None:
    """Compute, in one INSERT … SELECT … GROUP BY, the covers of the synthetic staff in this range of ids who have
    records but no covers.

    As `cover.cover_refresh` does: a record that never expires beats any expiry date, otherwise the latest expiry
    wins; the completion date is the latest. Reminder marks start empty: synthetic people were never reminded.
    """
    q = connection.ops.quote_name
    cover, record, staff = TrainingCover._meta.db_table, TrainingRecord._meta.db_table, StaffMember._meta.db_table
    organisations, params = synthetic_organisations().order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(cover)} (staff_id, category_id, organisation_id, job_role_id, completed_on, expires_on, "
            "reminded_expiring_for, reminded_expired_for) "
            "SELECT r.staff_id, r.category_id, s.organisation_id, s.job_role_id, MAX(r.completed_on), "
            "CASE WHEN SUM(CASE WHEN r.expires_on IS NULL THEN 1 ELSE 0 END) > 0 THEN NULL "
            "ELSE MAX(r.expires_on) END, NULL, NULL "
            f"FROM {q(record)} r JOIN {q(staff)} s ON s.id = r.staff_id "
            f"WHERE s.id BETWEEN %s AND %s AND s.organisation_id IN ({organisations}) "
            f"AND NOT EXISTS (SELECT 1 FROM {q(cover)} c WHERE c.staff_id = s.id) "
            "GROUP BY r.staff_id, r.category_id, s.organisation_id, s.job_role_id",
            [first_staff_id, last_staff_id, *params],
        )


class _Plan:
    """Everything the generator needs to know about the synthetic providers and the taxonomies, read once."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        orgs = synthetic_organisations().filter(kind=Organisation.Kind.PROVIDER)
        self.org_ids = list(orgs.values_list("pk", flat=True))
        locations = defaultdict(list)
        for org_id, location_id in orgs.filter(locations__is_active=True).values_list("pk", "locations"):
            locations[org_id].append(location_id)
        self.locations = locations
        self.weights = [max(len(locations[pk]), 1) for pk in self.org_ids]
        # The synthetic organisation with most people is the benchmark person's own: it gets the largest register.
        bench = largest_synthetic_organisation(by="people")
        if bench is not None and bench.pk in self.org_ids:
            self.weights[self.org_ids.index(bench.pk)] = max(self.weights) + 1
        # Cumulative once: `choices(weights=…)` would sum every provider's weight again for every person.
        self.cum_weights = list(itertools.accumulate(self.weights))
        roles = dict(JobRole.objects.filter(code__isnull=False).values_list("code", "pk"))
        mix = [(roles[code], weight) for code, weight in ROLE_MIX if code in roles]
        self.roles, self.role_cum_weights = [r for r, _ in mix], list(itertools.accumulate(w for _, w in mix))
        self.categories = dict(
            TrainingCategory.objects.filter(is_active=True).values_list("pk", "refresh_months").order_by("pk")
        )
        self.category_ids = list(self.categories)
        self.names = dict(TrainingCategory.objects.values_list("pk", "name"))
        self.providers = list(ExternalTrainingProvider.objects.values_list("code", "name")[:200]) or [(999, "Other")]
        self.sectors = defaultdict(list)
        for org_id, sector_id in Organisation.sectors.through.objects.filter(
            organisation_id__in=orgs.values("pk")
        ).values_list("organisation_id", "sector_id"):
            self.sectors[org_id].append(sector_id)
        self.rules = defaultdict(set)  # (sector, job role or None) -> categories
        for sector_id, role_id, category_id in MandatoryTraining.objects.filter(organisation__isnull=True).values_list(
            "sector_id", "job_role_id", "category_id"
        ):
            self.rules[(sector_id, role_id)].add(category_id)
        self._mandatory = {}

    def mandatory(self, org_id: int, role_id: int) -> list[int]:
        key = (org_id, role_id)
        if key not in self._mandatory:
            found = set()
            for sector_id in self.sectors[org_id]:
                found |= self.rules[(sector_id, None)] | self.rules[(sector_id, role_id)]
            self._mandatory[key] = sorted(c for c in found if c in self.categories)
        return self._mandatory[key]


def _create_staff(count: int, plan: _Plan, first_number: int, fake: Faker) -> None:
    rng, today = plan.rng, plan.today
    firsts = [fake.first_name() for _ in range(400)]
    lasts = [fake.last_name() for _ in range(400)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for n in range(count):
        org_id = rng.choices(plan.org_ids, cum_weights=plan.cum_weights)[0]
        start = today - datetime.timedelta(days=rng.randint(30, 12 * 365))
        leaving = None
        if rng.random() < LEAVER_SHARE:
            leaving = start + datetime.timedelta(days=rng.randint(0, (today - start).days - 1))
        number = first_number + n
        locations = plan.locations[org_id]
        rows.append(
            {
                "organisation": org_id,
                "location": rng.choice(locations) if locations else None,
                "name": f"{rng.choice(firsts)} {rng.choice(lasts)}",
                "job_role": rng.choices(plan.roles, cum_weights=plan.role_cum_weights)[0],
                "start_date": start,
                "leaving_date": leaving,
                "reference": REFERENCE.format(n=number),
                "email": f"bench.staff{number}@example.org" if rng.random() < EMAIL_SHARE else "",
                "user": None,
                "personal_data_removed_at": None,
                "created_at": now,
                "modified_at": now,
            }
        )
        if len(rows) == BATCH:
            _insert(StaffMember, rows)
            rows = []
    _insert(StaffMember, rows)


def _completion(plan: _Plan, refresh: int | None, status: str, ref: datetime.date) -> datetime.date:
    """A completion date that puts the training in the given status on the reference day."""
    rng, days = plan.rng, datetime.timedelta
    if not refresh or status == "in_date":
        span = YEARS * 365 if not refresh else refresh * 30 - DEFAULT_REMINDER_DAYS - 5
        return ref - days(rng.randint(0, span))
    if status == "expiring":
        expires = ref + days(rng.randint(0, DEFAULT_REMINDER_DAYS))
    else:  # expired, at most two years ago and completed within the last four
        expires = ref - days(rng.randint(1, max(1, min(700, YEARS * 365 - refresh * 31))))
    return add_months(expires + days(1), -refresh)


def _person_records(plan: _Plan, org_id, role_id, leaving, quota: int) -> list[tuple[int, datetime.date]]:
    """(category, completion date) for one person: their mandatory training, renewals and a few others."""
    rng = plan.rng
    ref = leaving or plan.today
    mandatory = plan.mandatory(org_id, role_id)
    out = []
    for category_id in mandatory:
        status = rng.choices(STATUSES, cum_weights=STATUS_CUM_WEIGHTS)[0]
        if status != "missing":
            out.append((category_id, _completion(plan, plan.categories[category_id], status, ref)))
    others = [c for c in plan.category_ids if c not in mandatory]
    rng.shuffle(others)
    earliest = plan.today - datetime.timedelta(days=YEARS * 365)
    # Each record may have one predecessor, one refresh period earlier, if that falls within the four years.
    renewable = [(c, d) for c, d in out if plan.categories[c] and add_months(d, -plan.categories[c]) > earliest]
    rng.shuffle(renewable)
    while len(out) < quota:
        if renewable and rng.random() < 0.5:
            category_id, done = renewable.pop()
            out.append((category_id, add_months(done, -plan.categories[category_id])))
        else:
            category_id = others.pop() if others else rng.choice(plan.category_ids)
            # Not missing: the first three statuses, whose sums are the first three sums.
            status = rng.choices(STATUSES[:3], cum_weights=STATUS_CUM_WEIGHTS[:3])[0]
            out.append((category_id, _completion(plan, plan.categories[category_id], status, ref)))
    if len(out) > quota:
        out = rng.sample(out, quota)
    return out


def _batches(*, without_records: bool):
    """(pk, organisation, job role, leaving date) of the synthetic staff (only those without records, if asked),
    PEOPLE_PER_BATCH at a time in order of id: each batch is read after the one before is written, so no more than
    a batch is ever held (1.6 million people at national volume). Each read is a walk along the primary key and a
    range of the records' staff index, whatever the number of records written so far."""
    last = 0
    while True:
        batch = list(
            synthetic_staff()
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "organisation_id", "job_role_id", "leaving_date")[:PEOPLE_PER_BATCH]
        )
        if not batch:
            return
        last = batch[-1][0]
        if without_records:
            having = set(
                TrainingRecord.objects.filter(staff_id__gte=batch[0][0], staff_id__lte=last)
                .values_list("staff_id", flat=True)
                .distinct()
            )
            batch = [person for person in batch if person[0] not in having]
        if batch:
            yield batch


def _create_records(shortfall: int, plan: _Plan, stdout) -> int:
    """Give `shortfall` records to the synthetic staff without any (or, failing those, to everyone)."""
    rng = plan.rng
    people = synthetic_staff()
    count = people.filter(~Exists(TrainingRecord.objects.filter(staff=OuterRef("pk")))).count()
    fresh = bool(count)
    if not fresh:
        # Everyone has training: add earlier records to everyone, and rebuild all their covers afterwards.
        count = people.count()
        TrainingCover.objects.filter(organisation__in=synthetic_organisations()).delete()
    if not count:
        return 0
    base, extra = divmod(shortfall, count)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    accredited = [c for c, _ in TrainingRecord.Accredited.choices]
    sources, source_cum_weights = [s for s, _ in SOURCES], list(itertools.accumulate(w for _, w in SOURCES))
    written, start, first, last = 0, 0, None, None
    for number, batch in enumerate(_batches(without_records=fresh)):
        first, last = batch[0][0] if first is None else first, batch[-1][0]
        rows = []
        for i, (staff_id, org_id, role_id, leaving) in enumerate(batch, start=start):
            quota = base + (1 if i < extra else 0)
            for category_id, completed in _person_records(plan, org_id, role_id, leaving, quota):
                external = rng.random() < 0.6
                code, provider = rng.choice(plan.providers) if external else (None, "")
                rows.append(
                    {
                        "staff": staff_id,
                        "category": category_id,
                        "training_name": plan.names[category_id][:120],
                        "completed_on": completed,
                        "expires_on": expiry_date(completed, plan.categories[category_id]),
                        # Written as the demo's records are: a category never renewed gives a record that never
                        # expires (covers_build reads an empty expiry so).
                        "does_not_expire": plan.categories[category_id] is None,
                        "expiry_overridden": False,
                        "accredited": rng.choice(accredited),
                        "delivered_by": "external" if external else "in_house",
                        "provider_name": provider,
                        "provider_code": code,
                        "how_delivered": "e_learning" if rng.random() < 0.45 else "face_to_face",
                        "validity_months": None,
                        "source": rng.choices(sources, cum_weights=source_cum_weights)[0],
                        "notes": "",
                        "certificate": "",
                        "certificate_content_type": "",
                        "import_run": None,
                        "created_by": None,
                        "created_at": now,
                        "modified_at": now,
                    }
                )
        _insert(TrainingRecord, rows)
        if fresh:  # these people had no records: their covers come from this batch alone
            _insert(
                TrainingCover, _covers_of(rows, {staff_id: (org_id, role_id) for staff_id, org_id, role_id, _ in batch})
            )
        written += len(rows)
        start += len(batch)
        if number % 25 == 24:
            _say(stdout, f"  {written} training records written")
    if not fresh:
        covers_build(first, last)
    return written


def _covers_of(rows: list[dict], people: dict[int, tuple[int, int]]) -> list[dict]:
    """The covers of people whose every record is in `rows`, by the rule of `covers_build`."""
    best = {}
    for row in rows:
        key = (row["staff"], row["category"])
        completed, expires = row["completed_on"], row["expires_on"]
        if key not in best:
            best[key] = [completed, expires]
            continue
        cover = best[key]
        cover[0] = max(cover[0], completed)
        cover[1] = None if cover[1] is None or expires is None else max(cover[1], expires)
    return [
        {
            "staff": staff_id,
            "category": category_id,
            "organisation": people[staff_id][0],
            "job_role": people[staff_id][1],
            "completed_on": completed,
            "expires_on": expires,
            "reminded_expiring_for": None,
            "reminded_expired_for": None,
        }
        for (staff_id, category_id), (completed, expires) in best.items()
    ]


def generate_records_volume(*, staff: int, records: int, stdout=None) -> dict:
    """Top up the synthetic providers' staff and training records (with their covers) to the numbers given."""
    started = time.perf_counter()
    created = {"staff": 0, "records": 0}
    with bulk_load():
        have_staff = synthetic_staff().count()
        have_records = synthetic_records().count()
        rng = random.Random(SEED + have_staff + have_records)
        plan = _Plan(rng, timezone.localdate())
        if plan.org_ids and staff > have_staff:
            fake = Faker("en_GB")
            fake.seed_instance(SEED + have_staff)
            last = (
                StaffMember.objects.filter(reference__startswith="SYN-")
                .order_by("-reference")
                .values_list("reference", flat=True)
                .first()
            )
            _create_staff(staff - have_staff, plan, int(last[4:]) + 1 if last else 1, fake)
            created["staff"] = staff - have_staff
            _say(stdout, f"Created {created['staff']} synthetic staff members")
        if plan.org_ids and records > have_records:
            created["records"] = _create_records(records - have_records, plan, stdout)
            _say(stdout, f"Created {created['records']} synthetic training records and their covers")
        if any(created.values()) or not ComplianceFiguresState.objects.exists():
            figures_started = time.perf_counter()
            rows = figures_rebuild()
            _say(stdout, f"Counted {rows} compliance figures in {time.perf_counter() - figures_started:.1f} s")
    return {
        "staff": synthetic_staff().count(),
        "records": synthetic_records().count(),
        "created": created,
        "seconds": round(time.perf_counter() - started, 2),
    }


def records_bench_targets() -> int | None:
    """The pk of the synthetic provider with most staff (its training matrix is the one benchmarked)."""
    return (
        synthetic_organisations()
        .filter(kind=Organisation.Kind.PROVIDER)
        .annotate(n=Count("staff"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@transaction.atomic
def bench_records_admin_ensure():
    """The benchmark person, made an admin of the provider with most staff so that it may open its records."""
    user, _own = benchmark_user_ensure()
    pk = records_bench_targets()
    if pk is None:
        raise ValueError("Generate the synthetic records volume before the benchmark's records admin")
    membership = Membership.objects.active().filter(user=user, organisation_id=pk).first()
    if membership is None:
        Membership.objects.create(user=user, organisation_id=pk, role=Role.ADMIN)
    elif membership.role != Role.ADMIN:
        membership.role = Role.ADMIN
        membership.save(update_fields=["role", "modified_at"])
    return user, Organisation.objects.get(pk=pk)
