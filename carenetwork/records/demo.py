"""Demo staff registers and training records: most training in date, some expiring, some expired, some missing.

Dates are relative to today so the demo always looks current. Idempotent: providers that already have staff
are left as they are.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from carenetwork.organisations.demo import FIRST_NAMES, LAST_NAMES
from carenetwork.records.cover import cover_refresh
from carenetwork.records.mandatory import mandatory_set
from carenetwork.records.models import JobRole, SkillsSnapshot, StaffMember, TrainingCategory, TrainingRecord
from carenetwork.records.rules import add_months, expiry_date
from carenetwork.records.snapshots import snapshot_take

# MAINJOBROLE codes and how many of each a typical service has, per twelve staff.
TEAM = [(8, 6), (7, 2), (43, 1), (4, 1), (26, 1), (25, 1)]
TEAM_BY_SECTOR = {"learning-disability": [(52, 6), (45, 2), (43, 1), (4, 1), (26, 1), (25, 1)]}
EXTRA_CATEGORIES = [2, 31, 33, 38, 44]  # dementia, mental health, continence, personal care, oral health
CERTIFICATE = b"%PDF-1.4\n% Demo certificate\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _completed_for(rng: random.Random, today: datetime.date, months: int | None) -> datetime.date | None:
    """A completion date giving a realistic spread: mostly in date, some expiring, some expired, some missing."""
    roll = rng.random()
    if roll < 0.08:
        return None  # missing
    if not months:
        return today - datetime.timedelta(days=rng.randint(30, 1500))
    if roll < 0.18:  # expired within the last year
        return add_months(today, -months) - datetime.timedelta(days=rng.randint(1, 300))
    if roll < 0.30:  # expiring within the next 90 days
        return add_months(today, -months) + datetime.timedelta(days=rng.randint(2, 88))
    return add_months(today, -months) + datetime.timedelta(days=rng.randint(95, 28 * months))


def build_records(*, providers, featured, featured_member=None, rng: random.Random | None = None) -> int:
    """Give each provider without staff a register and training records; return the number of people added."""
    rng = rng or random.Random(42)
    today = timezone.localdate()
    roles = {r.code: r for r in JobRole.objects.exclude(code=None)}
    categories = {c.pk: c for c in TrainingCategory.objects.all()}
    by_code = {c.code: c for c in categories.values() if c.code}
    added = []
    for index, org in enumerate(providers):
        if StaffMember.objects.filter(organisation=org).exists():
            continue
        size = 24 if org == featured else rng.randint(8, 30)
        sector_slugs = set(org.sectors.values_list("slug", flat=True))
        team = next((t for slug, t in TEAM_BY_SECTOR.items() if slug in sector_slugs), TEAM)
        codes = [code for code, n in team for _ in range(n)]
        locations = list(org.locations.all())
        # Each location's ASC-WDS workplace reference (LOCALESTID), so that the ASC-WDS export is one ASC-WDS takes.
        for number, location in enumerate(locations, start=1):
            if not location.ascwds_workplace_id:
                location.ascwds_workplace_id = f"WP{index:03d}{number:02d}"
                location.save(update_fields=["ascwds_workplace_id"])
        mandatory = mandatory_set(org)
        people = []
        for n in range(size):
            code = codes[n % len(codes)]
            people.append(
                StaffMember(
                    organisation=org,
                    location=locations[n % len(locations)] if locations else None,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    job_role=roles[code],
                    start_date=today - datetime.timedelta(days=rng.randint(60, 3000)),
                    reference=f"W{index:02d}{n:03d}",
                )
            )
        # Two leavers per provider: one recent, one long gone (the retention task removes their details).
        for years in (0, 7):
            left = today - datetime.timedelta(days=30 + 365 * years)
            people.append(
                StaffMember(
                    organisation=org,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    job_role=roles[8],
                    start_date=left - datetime.timedelta(days=700),
                    leaving_date=left,
                    reference=f"W{index:02d}L{years}",
                )
            )
        people = StaffMember.objects.bulk_create(people)
        records = []
        for person in people:
            wanted = sorted(mandatory.for_role(person.job_role_id)) + [
                by_code[c].pk for c in rng.sample(EXTRA_CATEGORIES, 2)
            ]
            for category_id in dict.fromkeys(wanted):
                category = categories[category_id]
                completed = _completed_for(rng, person.leaving_date or today, category.refresh_months)
                if completed is None:
                    continue
                records.append(
                    TrainingRecord(
                        staff=person,
                        category=category,
                        training_name=category.name,
                        completed_on=completed,
                        expires_on=expiry_date(completed, category.refresh_months),
                        accredited=rng.choice(TrainingRecord.Accredited.values),
                        delivered_by=TrainingRecord.DeliveredBy.EXTERNAL,
                        provider_name="Eastmarsh Care Academy",
                        how_delivered=rng.choice(TrainingRecord.HowDelivered.values),
                        source=TrainingRecord.Source.EXTERNAL,
                    )
                )
        TrainingRecord.objects.bulk_create(records, batch_size=1000)
        added += people
    _feature(featured, featured_member)
    cover_refresh(p.pk for p in added)
    _snapshots(today)
    return len(added)


def _snapshots(today: datetime.date) -> None:
    """A year of monthly snapshots, so the skills gap's trend has a history (estimated from today's records)."""
    if SkillsSnapshot.objects.exists():
        return
    for months_back in range(12, 0, -1):
        snapshot_take(month=add_months(today.replace(day=1), -months_back), today=today)


def _feature(featured, member) -> None:
    """On the featured provider: the demo member is on the register with a certificate they can open."""
    if member is None or StaffMember.objects.filter(organisation=featured, user=member).exists():
        return
    person = StaffMember.objects.filter(organisation=featured, leaving_date=None, job_role__code=43).first()
    if person is None:
        return
    person.name, person.email, person.user = member.full_name or person.name, member.email, member
    person.save()
    record = person.training_records.order_by("-completed_on").first()
    if record:
        record.certificate.save("certificate.pdf", ContentFile(CERTIFICATE), save=False)
        record.certificate_content_type = "application/pdf"
        record.save()
