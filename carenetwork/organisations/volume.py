"""Synthetic provider organisations, locations and people at stated volumes, for the benchmark.

Synthetic organisations carry ``SYNTHETIC_MARKER`` at the start of their description and synthetic
people have emails ``bench.person<n>@example.org``. Generation *tops up*: each call creates only the
shortfall between what exists and what was asked for, so running it twice creates nothing the second
time, and asking for the region volume after the council volume adds the difference. Nothing is
deleted. Rows are written with ``bulk_create`` in one transaction and bypass the services on purpose:
they are benchmark data, not records anyone made.
"""

import random
import re
import time
from collections import Counter

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q
from faker import Faker

from carenetwork.accounts.models import User
from carenetwork.core.bulk import bulk_load
from carenetwork.organisations.models import (
    Location,
    Membership,
    Organisation,
    Role,
    Sector,
    ServiceType,
)

SYNTHETIC_MARKER = "[Synthetic benchmark organisation]"
SEED = 20250101
BATCH_SIZE = 2000
PERSON_EMAIL = "bench.person{n}@example.org"
PERSON_EMAIL_RE = re.compile(r"^bench\.person(\d+)@example\.org$")
BENCH_USER_EMAIL = "bench.user@example.org"
BENCH_USER_PASSWORD = "bench-password-not-secret"

# Fictional areas of the borough, each with its own postcode district ("EM1" .. "EM8").
# The local authority of every synthetic and demo location: the borough's localities are its AREAS.
LOCAL_AUTHORITY = "Eastmarsh"
AREAS = [
    "Ashby Fen",
    "Brookholme",
    "Eastmarsh Central",
    "Kingsmere",
    "Marsh End",
    "Oldbridge",
    "Saltcote",
    "Westwater",
]
# One organisation in this many has people but no admin (the "left without an admin" case).
NO_ADMIN_EVERY = 10
# Royal Mail never uses C, I, K, M, O or V in the last two letters of a postcode.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

SECTOR_WEIGHTS = {
    "home-care": 35,
    "residential-care": 25,
    "nursing-care": 15,
    "learning-disability": 10,
    "supported-living": 10,
    "voluntary-community": 8,
    "day-services": 7,
}
NAME_SUFFIXES = {
    "home-care": ["Home Care", "Homecare Services", "Care at Home", "Domiciliary Care"],
    "residential-care": ["Care Homes", "Residential Care", "Care Group"],
    "nursing-care": ["Nursing Homes", "Healthcare", "Nursing and Care"],
    "learning-disability": ["Support Services", "Community Living", "Care and Support"],
    "supported-living": ["Supported Living", "Housing and Support"],
    "voluntary-community": ["Community Trust", "Carers' Association", "Neighbourhood Care"],
    "day-services": ["Day Services", "Day Opportunities"],
}
# ASC-WDS service codes that fit each sector, so a nursing provider runs nursing homes.
SECTOR_SERVICE_CODES = {
    "home-care": [8, 10, 12, 73],
    "residential-care": [2, 5],
    "nursing-care": [1],
    "learning-disability": [61, 55],
    "supported-living": [55, 54, 53],
    "voluntary-community": [13, 15, 20, 21],
    "day-services": [6, 7],
}
HOUSE_NAMES = ["House", "Lodge", "Court", "Grange", "Manor", "View", "Gardens"]
STREET_SUFFIXES = ["Road", "Street", "Lane", "Close", "Avenue", "Way", "Drive", "Grove", "Crescent"]
JOB_TITLES = [
    "Care worker",
    "Care worker",
    "Care worker",
    "Senior care worker",
    "Registered manager",
    "Deputy manager",
    "Nurse",
    "Training coordinator",
    "Office administrator",
    "Support worker",
]
RATINGS = ["Good", "Good", "Good", "Good", "Outstanding", "Requires improvement", "Inadequate", ""]


def synthetic_organisations():
    """The synthetic organisations, oldest first."""
    return Organisation.objects.filter(description__startswith=SYNTHETIC_MARKER).order_by("pk")


def synthetic_people():
    """The synthetic people."""
    return User.objects.filter(email__startswith="bench.person", email__endswith="@example.org")


def postcode_for(area_index: int, rng: random.Random) -> str:
    """A valid, normalised postcode in the area's district, like "EM3 7QF"."""
    letters = rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
    return f"EM{area_index + 1} {rng.randint(1, 9)}{letters}"


def _weights(count: int) -> list[float]:
    # Heavy-tailed sizes: most providers are small, a few run dozens of services.
    rng = random.Random(SEED)
    return [rng.paretovariate(1.5) for _ in range(count)]


def _assign(count: int, org_ids: list[int], already: Counter, rng: random.Random) -> list[int]:
    """Organisation ids for `count` new rows: organisations with none first, then weighted by size."""
    empty = [pk for pk in org_ids if not already[pk]]
    chosen = empty[:count]
    rest = count - len(chosen)
    if rest > 0:
        chosen += rng.choices(org_ids, weights=_weights(len(org_ids)), k=rest)
    return chosen


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _create_organisations(count: int, fake: Faker, rng: random.Random) -> None:
    sectors = {s.slug: s for s in Sector.objects.filter(is_active=True)}
    weighted = [slug for slug in SECTOR_WEIGHTS if slug in sectors] or list(sectors)
    weights = [SECTOR_WEIGHTS.get(slug, 5) for slug in weighted]
    last_id = (
        synthetic_organisations()
        .filter(cqc_provider_id__startswith="1-2")
        .order_by("-cqc_provider_id")
        .values_list("cqc_provider_id", flat=True)
        .first()
    )
    start = int(last_id[3:]) if last_id else 0
    organisations, sector_slugs = [], []
    for i in range(count):
        slugs = (
            list(dict.fromkeys(rng.choices(weighted, weights=weights, k=rng.choice([1, 1, 2, 3])))) if weighted else []
        )
        primary = slugs[0] if slugs else "home-care"
        area_index = rng.randrange(len(AREAS))
        last = fake.last_name()
        stem = AREAS[area_index] if rng.random() < 0.2 else last
        name = f"{stem} {rng.choice(NAME_SUFFIXES.get(primary, ['Care']))}"
        if rng.random() < 0.3:
            name += " Ltd"
        slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:30]
        organisations.append(
            Organisation(
                name=name,
                kind=Organisation.Kind.PROVIDER,
                description=f"{SYNTHETIC_MARKER} {fake.paragraph(nb_sentences=3)}",
                contact_email=f"enquiries@{slug}.example.org",
                phone=f"01632 960{(start + i) % 1000:03d}",
                website=f"https://www.{slug}.example.org",
                address=f"{rng.randint(1, 250)} {fake.last_name()} {rng.choice(STREET_SUFFIXES)}",
                postcode=postcode_for(area_index, rng),
                area=AREAS[area_index],
                # "1-2" then 9 digits: valid CQC provider IDs that real ones (1-1…) do not use.
                cqc_provider_id=f"1-2{start + i + 1:09d}",
            )
        )
        sector_slugs.append(slugs)
    created = Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    if any(o.pk is None for o in created):  # backends that cannot return ids from a bulk insert
        ids = dict(synthetic_organisations().values_list("cqc_provider_id", "pk"))
        for o in created:
            o.pk = ids[o.cqc_provider_id]
    through = Organisation.sectors.through
    Organisation.sectors.through.objects.bulk_create(
        [
            through(organisation_id=o.pk, sector_id=sectors[s].pk)
            for o, slugs in zip(created, sector_slugs, strict=True)
            for s in slugs
        ],
        batch_size=BATCH_SIZE,
    )


def _create_locations(count: int, fake: Faker, rng: random.Random) -> None:
    orgs = list(synthetic_organisations().prefetch_related("sectors"))
    org_by_id = {o.pk: o for o in orgs}
    already = Counter(
        dict(
            Location.objects.filter(organisation__in=synthetic_organisations())
            .values_list("organisation")
            .annotate(n=Count("pk"))
        )
    )
    service_types = {st.ascwds_code: st for st in ServiceType.objects.all()}
    all_types = list(service_types.values())
    last_id = (
        Location.objects.filter(organisation__in=synthetic_organisations(), cqc_location_id__startswith="1-1")
        .order_by("-cqc_location_id")
        .values_list("cqc_location_id", flat=True)
        .first()
    )
    next_id = int(last_id[3:]) + 1 if last_id else 1
    locations = []
    for offset, org_id in enumerate(_assign(count, [o.pk for o in orgs], already, rng)):
        org = org_by_id[org_id]
        codes = [c for s in org.sectors.all() for c in SECTOR_SERVICE_CODES.get(s.slug, []) if c in service_types]
        service_type = service_types[rng.choice(codes)] if codes else (rng.choice(all_types) if all_types else None)
        area_index = AREAS.index(org.area) if org.area in AREAS and rng.random() < 0.7 else rng.randrange(len(AREAS))
        if service_type is not None and service_type.is_residential:
            name = f"{fake.last_name()} {rng.choice(HOUSE_NAMES)}"
            capacity, unit = rng.randint(8, 90), Location.CapacityUnit.BEDS
        elif service_type is not None and service_type.ascwds_code in (8, 10, 12, 73):
            name = f"{org.name} – {AREAS[area_index]}"
            capacity, unit = rng.randint(150, 3000), Location.CapacityUnit.WEEKLY_HOURS
        else:
            name = f"{AREAS[area_index]} {service_type.name if service_type else 'Service'}"
            capacity, unit = rng.randint(5, 40), Location.CapacityUnit.PLACES
        locations.append(
            Location(
                organisation_id=org_id,
                name=name[:200],
                address=f"{rng.randint(1, 250)} {fake.last_name()} {rng.choice(STREET_SUFFIXES)}",
                town=AREAS[area_index],
                postcode=postcode_for(area_index, rng),
                area=AREAS[area_index],
                local_authority=LOCAL_AUTHORITY,
                service_type=service_type,
                # "1-1" then 9 digits, e.g. 1-1000000042: the format CQC location IDs take.
                cqc_location_id=f"1-1{next_id + offset:09d}",
                capacity=capacity,
                capacity_unit=unit,
                cqc_rating=rng.choice(RATINGS),
            )
        )
    Location.objects.bulk_create(locations, batch_size=BATCH_SIZE)


def _create_people(count: int, fake: Faker, rng: random.Random) -> None:
    org_ids = list(synthetic_organisations().values_list("pk", flat=True))
    position = {pk: i for i, pk in enumerate(org_ids)}
    already = Counter(
        dict(
            Membership.objects.active()
            .filter(organisation_id__in=org_ids)
            .values_list("organisation")
            .annotate(n=Count("pk"))
        )
    )
    numbers = [
        int(m.group(1)) for e in synthetic_people().values_list("email", flat=True) if (m := PERSON_EMAIL_RE.match(e))
    ]
    first = max(numbers, default=0) + 1
    assigned = _assign(count, org_ids, already, rng)
    # A batch of people and their memberships at a time: 140,000 of each at national volume.
    for start in range(0, count, BATCH_SIZE):
        users = [
            User(
                email=PERSON_EMAIL.format(n=first + offset),
                full_name=f"{fake.first_name()} {fake.last_name()}",
                job_title=rng.choice(JOB_TITLES),
                # Synthetic people never sign in; an unusable password costs no hashing.
                password=make_password(None),
            )
            for offset in range(start, min(start + BATCH_SIZE, count))
        ]
        users = User.objects.bulk_create(users)
        if any(u.pk is None for u in users):
            ids = dict(User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk"))
            for u in users:
                u.pk = ids[u.email]
        memberships = []
        for user, org_id in zip(users, assigned[start : start + BATCH_SIZE], strict=True):
            no_admin = position[org_id] % NO_ADMIN_EVERY == NO_ADMIN_EVERY - 1
            role = Role.ADMIN if not already[org_id] and not no_admin else Role.MEMBER
            already[org_id] += 1
            memberships.append(Membership(user_id=user.pk, organisation_id=org_id, role=role))
        Membership.objects.bulk_create(memberships)


def generate_volume(*, organisations: int = 1000, locations: int = 3000, people: int = 5000, stdout=None) -> dict:
    """Top up synthetic provider organisations, locations and people to at least the numbers given."""
    started = time.perf_counter()
    fake = Faker("en_GB")
    created = {}
    with bulk_load():
        have = synthetic_organisations().count()
        created["organisations"] = max(organisations - have, 0)
        if created["organisations"]:
            # Seeded by what exists, so a top-up does not repeat the names of the first run.
            fake.seed_instance(SEED + have)
            _create_organisations(created["organisations"], fake, random.Random(SEED + have))
            _say(stdout, f"Created {created['organisations']} synthetic organisations")
        if not synthetic_organisations().exists():
            created.update(locations=0, people=0)
        else:
            have = Location.objects.filter(organisation__in=synthetic_organisations()).count()
            created["locations"] = max(locations - have, 0)
            if created["locations"]:
                fake.seed_instance(SEED + 1 + have)
                _create_locations(created["locations"], fake, random.Random(SEED + 1 + have))
                _say(stdout, f"Created {created['locations']} synthetic locations")
            have = synthetic_people().count()
            created["people"] = max(people - have, 0)
            if created["people"]:
                fake.seed_instance(SEED + 2 + have)
                _create_people(created["people"], fake, random.Random(SEED + 2 + have))
                _say(stdout, f"Created {created['people']} synthetic people")
    return {
        "organisations": synthetic_organisations().count(),
        "locations": Location.objects.filter(organisation__in=synthetic_organisations()).count(),
        "people": synthetic_people().count(),
        "created": created,
        "seconds": round(time.perf_counter() - started, 2),
    }


def largest_synthetic_organisation(*, by: str = "locations") -> Organisation | None:
    """The synthetic organisation with the most active locations (or active members)."""
    if by == "locations":
        count = Count("locations", filter=Q(locations__is_active=True))
    else:
        count = Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    return synthetic_organisations().annotate(n=count).order_by("-n", "pk").first()


def benchmark_officer_ensure() -> User:
    """The benchmark's council officer: requests the council pages and leads the benchmark forum."""
    council, _ = Organisation.objects.get_or_create(
        name="Benchmark council", defaults={"kind": Organisation.Kind.COUNCIL}
    )
    officer, _ = User.objects.get_or_create(email="bench.lead@example.org", defaults={"full_name": "Bench Lead"})
    if not Membership.objects.active().filter(user=officer, organisation=council).exists():
        Membership.objects.create(user=officer, organisation=council, role=Role.OFFICER)
    return officer


def benchmark_user_ensure(*, password: str = BENCH_USER_PASSWORD) -> tuple[User, Organisation]:
    """The benchmark's signed-in person: an admin of the synthetic organisation with most people."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = User.objects.filter(email=BENCH_USER_EMAIL).first()
        if user is None:
            user = User.objects.create_user(BENCH_USER_EMAIL, password, full_name="Benchmark User")
        EmailAddress.objects.update_or_create(
            user=user, email=BENCH_USER_EMAIL, defaults={"verified": True, "primary": True}
        )
        membership = (
            Membership.objects.active()
            .filter(user=user, organisation__in=synthetic_organisations())
            .select_related("organisation")
            .first()
        )
        if membership is None:
            organisation = largest_synthetic_organisation(by="people")
            if organisation is None:
                raise ValueError("Generate the synthetic volume before the benchmark user")
            membership = Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    return user, membership.organisation
