"""Our directory in the shapes of the Open Referral UK profile of HSDS 3.0 (`../shared/data/oruk/uk_profile_3.0/`).

An active location of an active organisation is one service (what the location provides, its service type), one
location (where: its address and CQC location ID) and the one service at location joining them; all three ids are
made from the location's key. An organisation is an organization with its CQC provider ID and its sectors. Service
types and sectors are the two taxonomies; a service's type and an organisation's sectors are its attributes.

A list gives the one-to-one fields only (the profile's `*_list` schemas); an item by its id gives the nested whole.
"""

from datetime import UTC, datetime

from carenetwork.api.openreferral.ids import Kind, make

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"

SERVICE_TYPES, SECTORS = 1, 2  # the keys of the two taxonomies
TAXONOMIES = {
    SERVICE_TYPES: {
        "name": "Care Network service types",
        "description": "The kinds of care service a location provides: Skills for Care's ASC-WDS main service list.",
    },
    SECTORS: {
        "name": "Care Network sectors",
        "description": "The parts of the care market an organisation works in, as the council lists them.",
    },
}


def timestamp(*moments: datetime) -> str:
    """The latest of these moments in UTC to the millisecond, as the profile writes it: 2023-03-15T10:30:45.123Z."""
    latest = max(moments).astimezone(UTC)
    return latest.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _given(record: dict) -> dict:
    """The record without the fields we do not have (None or ""), rather than publishing them empty."""
    return {key: value for key, value in record.items() if value not in (None, "")}


# Taxonomies ------------------------------------------------------------------------------------------------------


def taxonomy(pk: int, terms: list[dict] | None = None) -> dict:
    record = {"id": make(Kind.TAXONOMY, pk), **TAXONOMIES[pk]}
    if terms is not None:
        record["taxonomy_terms"] = terms
    return record


def service_type_term(service_type) -> dict:
    code = service_type.ascwds_code
    return {
        "id": make(Kind.SERVICE_TYPE_TERM, service_type.pk),
        "name": service_type.name,
        "description": f"ASC-WDS main service code {code}" if code else "",
        "taxonomy": TAXONOMIES[SERVICE_TYPES]["name"],
        "taxonomy_id": make(Kind.TAXONOMY, SERVICE_TYPES),
        "term": service_type.name,
    }


def sector_term(sector) -> dict:
    return {
        "id": make(Kind.SECTOR_TERM, sector.pk),
        "name": sector.name,
        "description": "",
        "taxonomy": TAXONOMIES[SECTORS]["name"],
        "taxonomy_id": make(Kind.TAXONOMY, SECTORS),
        "term": sector.name,
    }


# Organizations ---------------------------------------------------------------------------------------------------


def organization(organisation) -> dict:
    """The one-to-one fields: name, description, the shared contact mailbox and website its profile shows."""
    return {
        "id": make(Kind.ORGANIZATION, organisation.pk),
        "name": organisation.name,
        "description": organisation.description,  # required, so given even when empty
    } | _given({"email": organisation.contact_email, "website": organisation.website})


def organization_nested(organisation, sector_links: list) -> dict:
    """An organization with its CQC provider ID and its sectors."""
    identifiers = []
    if organisation.cqc_provider_id:
        identifiers.append(
            {
                "id": make(Kind.CQC_IDENTIFIER, organisation.pk),
                "organization_id": make(Kind.ORGANIZATION, organisation.pk),
                "identifier_type": "CQC provider ID",
                "identifier": organisation.cqc_provider_id,
            }
        )
    return organization(organisation) | {
        "organization_identifiers": identifiers,
        "attributes": [
            {
                "id": make(Kind.SECTOR_ATTRIBUTE, link.pk),
                "link_id": make(Kind.ORGANIZATION, organisation.pk),
                "link_type": "sector",
                "taxonomy_term_id": make(Kind.SECTOR_TERM, link.sector_id),
                "taxonomy_term": sector_term(link.sector),
            }
            for link in sector_links
        ],
    }


def organization_full(organisation, sector_links: list, locations: list) -> dict:
    """An organization by its id: with its services, each with its location."""
    nested = organization_nested(organisation, sector_links)
    return nested | {"services": [service_full(location, nested) for location in locations]}


# Services and locations ------------------------------------------------------------------------------------------


def _description(location) -> str:
    """What the service is and who runs it: "Care home services with nursing, 40 beds, run by Willow Care"."""
    parts = [location.service_type.name] if location.service_type_id else []
    if location.capacity is not None:
        parts.append(f"{location.capacity} {location.get_capacity_unit_display()}")
    parts.append(f"run by {location.organisation.name}")
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def service(location) -> dict:
    """The one-to-one fields of the service a location provides, with its organization's."""
    organisation = location.organisation
    return _given(
        {
            "id": make(Kind.SERVICE, location.pk),
            "organization_id": make(Kind.ORGANIZATION, organisation.pk),
            "name": location.name,
            "description": _description(location),
            "email": organisation.contact_email,
            "status": "active",
            "last_modified": timestamp(location.modified_at, organisation.modified_at),
        }
    ) | {"organization": organization(organisation)}


def location_brief(location) -> dict:
    """Where: the one-to-one fields, with the location's CQC location ID."""
    record = {
        "id": make(Kind.LOCATION, location.pk),
        "location_type": "physical",
        "name": location.name,
    }
    if location.cqc_location_id:
        record |= {"external_identifier": location.cqc_location_id, "external_identifier_type": "CQC location ID"}
    return record


def location_full(location) -> dict:
    """Where, with its address (the local authority as its county) when the location is on CQC's public register:
    a place not registered with CQC may be someone's home, so its street address is not published."""
    if not location.cqc_location_id:
        return location_brief(location)
    return location_brief(location) | {
        "addresses": [
            {
                "id": make(Kind.ADDRESS, location.pk),
                "location_id": make(Kind.LOCATION, location.pk),
                "address_1": location.address,
                "city": location.town,
                "state_province": location.local_authority,
                "postal_code": location.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    }


def _service_attributes(location) -> list[dict]:
    if not location.service_type_id:
        return []
    return [
        {
            "id": make(Kind.SERVICE_TYPE_ATTRIBUTE, location.pk),
            "link_id": make(Kind.SERVICE, location.pk),
            "link_type": "service_type",
            "taxonomy_term_id": make(Kind.SERVICE_TYPE_TERM, location.service_type_id),
            "taxonomy_term": service_type_term(location.service_type),
        }
    ]


def _service_nested(location, organization_record: dict) -> dict:
    """The service with its type and its organization nested, without its locations."""
    return service(location) | {
        "organization": {key: value for key, value in organization_record.items() if key != "services"},
        "attributes": _service_attributes(location),
    }


def service_full(location, organization_record: dict) -> dict:
    """A service by its id: nested, with its one service at location."""
    return _service_nested(location, organization_record) | {
        "service_at_locations": [
            {
                "id": make(Kind.SERVICE_AT_LOCATION, location.pk),
                "service_id": make(Kind.SERVICE, location.pk),
                "location_id": make(Kind.LOCATION, location.pk),
                "location": location_full(location),
            }
        ]
    }


def service_at_location(location) -> dict:
    """The one-to-one fields of the service at a location, with its service's and its location's."""
    return {
        "id": make(Kind.SERVICE_AT_LOCATION, location.pk),
        "service_id": make(Kind.SERVICE, location.pk),
        "location_id": make(Kind.LOCATION, location.pk),
        "location": location_brief(location),
        "service": service(location),
    }


def service_at_location_full(location, organization_record: dict) -> dict:
    """A service at location by its id: its location with the address, its service nested."""
    return service_at_location(location) | {
        "location": location_full(location),
        "service": _service_nested(location, organization_record),
    }
