"""Every read the Open Referral API makes: what anyone may see, whoever asks.

Only public facts go out: active organisations and their active locations (street addresses only of locations on
CQC's public register), the service types and the sectors in use. Never people, memberships, invitations, the
council's own figures, or the fields only council staff and an organisation's admins use (area, ASC-WDS
references, dates of CQC data).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenetwork.organisations.models import Location, Organisation, Sector, ServiceType

ORGANISATION_FIELDS = (
    "id",
    "name",
    "description",
    "contact_email",
    "website",
    "cqc_provider_id",
    "modified_at",
)
LOCATION_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "address",
    "town",
    "postcode",
    "local_authority",
    "service_type_id",
    "cqc_location_id",
    "capacity",
    "capacity_unit",
    "modified_at",
)


def organisations() -> QuerySet[Organisation]:
    """Active organisations, by name."""
    return Organisation.objects.filter(is_active=True).only(*ORGANISATION_FIELDS).order_by("name", "pk")


def organisation_search(found: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Organisations whose name or description has the words."""
    for word in text.split():
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return found


def services() -> QuerySet[Location]:
    """The services: every active location of an active organisation, with its organisation and service type (one
    query for a page)."""
    return (
        Location.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation", "service_type")
        .only(
            *LOCATION_FIELDS,
            *(f"organisation__{name}" for name in ORGANISATION_FIELDS),
            "service_type__id",
            "service_type__name",
            "service_type__ascwds_code",
        )
        .order_by("name", "pk")
    )


def service_search(found: QuerySet[Location], text: str) -> QuerySet[Location]:
    """Services with every word somewhere in their name, their organisation's name, their service type, town or
    postcode."""
    for word in text.split():
        found = found.filter(
            Q(name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(service_type__name__icontains=word)
            | Q(town__icontains=word)
            | Q(postcode__icontains=word)
        )
    return found


def with_service_type(found: QuerySet[Location], service_type_pk: int | None) -> QuerySet[Location]:
    """Services of this type (of any type, when None)."""
    if service_type_pk is None:
        return found.filter(service_type__isnull=False)
    return found.filter(service_type_id=service_type_pk)


def with_sector(found: QuerySet[Location], sector_pk: int | None) -> QuerySet[Location]:
    """Services of organisations in this sector (in any sector in use, when None)."""
    links = Organisation.sectors.through.objects.filter(organisation_id=OuterRef("organisation_id"))
    links = links.filter(sector__is_active=True) if sector_pk is None else links.filter(sector_id=sector_pk)
    return found.filter(Exists(links))


def at_postcode(found: QuerySet[Location], postcode: str) -> QuerySet[Location]:
    """Services at this postcode ("RM1 3BB") or in this postcode district ("RM1")."""
    compact = "".join(postcode.split()).upper()
    if len(compact) >= 5 and compact[-3].isdigit():
        return found.filter(postcode=f"{compact[:-3]} {compact[-3:]}")
    return found.filter(postcode__startswith=f"{compact} ")


def sector_links(organisation_ids) -> dict[int, list]:
    """The sectors in use of each of these organisations, as their link rows with the sector (one query)."""
    rows = (
        Organisation.sectors.through.objects.filter(organisation_id__in=list(organisation_ids), sector__is_active=True)
        .select_related("sector")
        .order_by("sector__position", "sector__name", "pk")
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.organisation_id, []).append(row)
    return found


def service_types() -> QuerySet[ServiceType]:
    return ServiceType.objects.order_by("name", "pk")


def sectors() -> QuerySet[Sector]:
    """The sectors in use (an organisation's sectors no longer in use are not published with it either)."""
    return Sector.objects.filter(is_active=True).order_by("position", "name", "pk")
