"""The demo borough: a fictional council, its providers, training providers, partners and people.

Built through the same services as the pages use, so the audit trail and rules hold. Idempotent: it
finds what already exists by name or email and adds only what is missing.
"""

import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from carenetwork.accounts.models import User
from carenetwork.accounts.services import account_create
from carenetwork.organisations import services
from carenetwork.organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Role,
    Sector,
    ServiceType,
)
from carenetwork.organisations.volume import AREAS, LOCAL_AUTHORITY, postcode_for

DEMO_PASSWORD = "carenetwork-demo"
# A published secret so demo council staff can add the account to an authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# (name stem, sectors, service type ASC-WDS code, capacity unit, capacity range)
PROVIDER_KINDS = [
    ("Care Home", ["residential-care"], 2, "beds", (12, 60)),
    ("Nursing Home", ["nursing-care", "residential-care"], 1, "beds", (30, 90)),
    ("Home Care", ["home-care"], 8, "weekly_hours", (300, 4000)),
    ("Supported Living", ["supported-living", "learning-disability"], 55, "places", (4, 30)),
    ("Day Opportunities", ["day-services", "learning-disability"], 6, "places", (10, 40)),
    ("Community Trust", ["voluntary-community"], 15, "places", (10, 100)),
]
NAME_PARTS = [
    "Willow",
    "Oakfield",
    "Riverside",
    "Beech",
    "Heron",
    "Meadow",
    "Lark",
    "Hawthorn",
    "Juniper",
    "Maple",
    "Kestrel",
    "Elm",
    "Rowan",
    "Holly",
    "Cedar",
    "Orchard",
    "Brook",
    "Linden",
    "Fernlea",
    "Primrose",
]
TRAINING_PROVIDERS = [
    "Eastmarsh Care Academy",
    "SafeHands Training",
    "Moving & Handling Experts",
    "Bright Minds Dementia Training",
    "First Response Life Support",
]
PARTNERS = ["Westmere District Council", "Northvale Borough Council"]


def _email(name: str, local: str) -> str:
    domain = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
    return f"{local}@{domain}.example"


FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Gita",
    "Harry",
    "Isla",
    "Jamal",
    "Kate",
    "Luis",
    "Maya",
    "Nathan",
    "Olu",
    "Rosa",
    "Sian",
    "Tariq",
    "Uma",
    "Will",
]
LAST_NAMES = [
    "Adams",
    "Bello",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Gupta",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Morris",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
]
_password_hash = None


def _person(email: str, full_name: str, job_title: str = "") -> User:
    global _password_hash
    user = User.objects.filter(email=email).first()
    if user:
        return user
    # Hashing is slow by design; every demo person shares one password, so hash it once.
    _password_hash = _password_hash or make_password(DEMO_PASSWORD)
    user = account_create(email=email, full_name=full_name, password=None, job_title=job_title)
    User.objects.filter(pk=user.pk).update(password=_password_hash)
    return user


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _org(name: str, **fields) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    return existing or services.organisation_create(actor=None, name=name, **fields)


def _join(org: Organisation, user: User, role: str) -> Membership:
    # Someone who has since left stays gone when the demo is built again.
    existing = Membership.objects.filter(organisation=org, user=user).order_by("ended_at").first()
    return existing or services.membership_create(actor=None, organisation=org, user=user, role=role, check=False)


STREETS = ["High Street", "Church Road", "Station Road", "Park Lane", "Mill Road"]


def _postcode(rng: random.Random, area: str) -> str:
    return postcode_for(AREAS.index(area), rng)


def build_borough() -> dict:
    """Create (or complete) the demo borough's organisations and people without sending their emails; return the
    demo sign-ins and what the capabilities' demos build on (carenetwork.portal.demo runs those)."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _build_borough()


@transaction.atomic
def _build_borough() -> dict:
    """Create (or complete) the demo borough and return the demo sign-ins by role."""
    rng = random.Random(2014)
    sectors = {s.slug: s for s in Sector.objects.all()}
    service_types = {s.ascwds_code: s for s in ServiceType.objects.all()}

    council = _org(
        settings.COUNCIL_NAME,
        kind=Organisation.Kind.COUNCIL,
        area=AREAS[2],
        contact_email="carenetwork@eastmarsh.example",
        phone="01632 960000",
        address="Town Hall, Market Place, Eastmarsh",
        postcode="EM3 1AA",
        description="Adult social care commissioning, market development and quality assurance.",
    )
    admin = _person("admin@eastmarsh.example", "Priya Shah", "Care Network administrator")
    officer = _person("officer@eastmarsh.example", "Tom Okafor", "Commissioning officer")
    _join(council, admin, Role.ADMINISTRATOR)
    _join(council, officer, Role.OFFICER)
    for user in (admin, officer):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)

    providers = []
    for i, stem_name in enumerate(NAME_PARTS * 3):
        kind_name, sector_slugs, code, unit, (low, high) = PROVIDER_KINDS[i % len(PROVIDER_KINDS)]
        area = AREAS[i % len(AREAS)]
        name = f"{stem_name} {kind_name}"
        if i >= len(NAME_PARTS):
            name = f"{name} {i // len(NAME_PARTS) + 1}"
        org = _org(
            name,
            kind=Organisation.Kind.PROVIDER,
            area=area,
            postcode=_postcode(rng, area),
            contact_email=_email(name, "enquiries"),
            phone=f"01632 96{i:04d}",
            address=f"{rng.randint(1, 200)} {rng.choice(STREETS)}, {area}",
            description=f"{kind_name} services for adults in {area}.",
            sectors=[sectors[s] for s in sector_slugs],
        )
        if not org.locations.exists():
            for n in range(1 + (i % 3 == 0)):
                loc_area = area if n == 0 else AREAS[(i + 3) % len(AREAS)]
                services.location_save(
                    actor=None,
                    organisation=org,
                    location=None,
                    check=False,
                    data={
                        "name": org.name if n == 0 else f"{org.name} – {loc_area}",
                        "address": org.address,
                        "town": "Eastmarsh",
                        "postcode": _postcode(rng, loc_area),
                        "area": loc_area,
                        "local_authority": LOCAL_AUTHORITY,
                        "service_type": service_types.get(code),
                        "capacity_unit": unit,
                        "capacity": rng.randint(low, high),
                        "cqc_location_id": f"1-9{i:04d}{n:05d}" if code != 15 else None,
                        "cqc_rating": rng.choice(["Good", "Good", "Outstanding", "Requires improvement"])
                        if code != 15
                        else "",
                    },
                )
        providers.append(org)

    # People in every provider role. The first provider has an admin and a member; its admin's email is
    # printed. One provider's admin has left (the council sees it as "no active admin").
    people = {}
    for i, org in enumerate(providers[:40]):
        manager = _person(_email(org.name, "manager"), _name(rng), "Registered manager")
        _join(org, manager, Role.ADMIN)
        if i % 2 == 0:
            deputy = _person(_email(org.name, "deputy"), _name(rng), "Deputy manager")
            _join(org, deputy, Role.MEMBER)
    people["provider_admin"] = User.objects.get(email=_email(providers[0].name, "manager"))
    people["provider_member"] = User.objects.get(email=_email(providers[0].name, "deputy"))

    left = providers[5]
    leaver = Membership.objects.active().filter(organisation=left, role=Role.ADMIN).first()
    if leaver:
        services.membership_end(actor=leaver.user, membership=leaver)

    for i, name in enumerate(TRAINING_PROVIDERS):
        org = _org(
            name,
            kind=Organisation.Kind.TRAINING,
            area=AREAS[i],
            postcode=_postcode(rng, AREAS[i]),
            contact_email=_email(name, "bookings"),
            description="Accredited training for adult social care.",
        )
        _join(org, _person(_email(name, "trainer"), _name(rng), "Training manager"), Role.ADMIN)
    people["training_admin"] = User.objects.get(email=_email(TRAINING_PROVIDERS[0], "trainer"))

    for name in PARTNERS:
        org = _org(
            name,
            kind=Organisation.Kind.PARTNER,
            contact_email=_email(name, "asc"),
            description="A neighbouring council that takes spare training places and joins forums.",
        )
        _join(org, _person(_email(name, "lead"), _name(rng), "Commissioning manager"), Role.ADMIN)
        _join(org, _person(_email(name, "officer"), _name(rng), "Officer"), Role.MEMBER)
    people["partner_member"] = User.objects.get(email=_email(PARTNERS[0], "officer"))

    # A newcomer waiting on a join request, and an invitation waiting to be accepted.
    newcomer = _person("newcomer@example.org", "Alex Newman", "Care assistant")
    if not JoinRequest.objects.filter(user=newcomer).exists():
        services.join_request_create(
            user=newcomer, organisation=providers[0], message="I started as a carer this month."
        )
    if not Invitation.objects.filter(email="invited@example.org").exists():
        services.invitation_create(
            actor=people["provider_admin"],
            organisation=providers[0],
            email="invited@example.org",
            role=Role.MEMBER,
            check=False,
        )
    people.update(council_admin=admin, council_officer=officer, newcomer=newcomer)
    # The capabilities' demos (forums, records, training…) are built by the portal from what they register.
    return {
        "organisations": Organisation.objects.count(),
        "people": people,
        "provider": providers[0],
        "council": council,
        "providers": providers,
        "rng": rng,
    }
