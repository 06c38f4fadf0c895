"""CQC records in one shape, whatever file they came from, and the CQC vocabulary mapped onto ours.

A field that is None was not in the file: the importer leaves it as it is in the portal.
"""

import datetime
import re
from dataclasses import dataclass, field

from carenetwork.organisations.models import CQC_ID_RE as CQC_ID_PATTERN
from carenetwork.organisations.models import POSTCODE_RE, normalise_postcode

# "1-" and digits, or an NHS body's ODS code (RQX41): the model's own rule, so what we read we can save.
CQC_ID_RE = re.compile(CQC_ID_PATTERN)

# CQC "gacServiceTypes" descriptions (and the care directory's service-type columns) → ASC-WDS service code.
SERVICE_CODES = {
    "care home service with nursing": 1,
    "care home service without nursing": 2,
    "domiciliary care service": 8,
    "shared lives": 17,
    "extra care housing services": 54,
    "supported living service": 55,
    "community based services for people with a learning disability": 61,
    "community based services for people with mental health needs": 62,
    "community based services for people who misuse substances": 63,
}
# A location registered for several services gets the most specific one as its service type: nursing over
# residential, and the named kinds of community care over plain domiciliary care.
SERVICE_PRIORITY = [1, 2, 55, 54, 17, 61, 62, 63, 8]
SERVICE_SECTORS = {
    1: "nursing-care",
    2: "residential-care",
    8: "home-care",
    55: "supported-living",
    61: "learning-disability",
}
LEARNING_DISABILITY_SECTOR = "learning-disability"
CARE_HOME_CODES = {1, 2}

ADULT_SOCIAL_CARE_TYPES = {"social care org"}
ADULT_SOCIAL_CARE_DIRECTORATES = {"adult social care"}
ADULT_SOCIAL_CARE_CATEGORIES = {"residential social care", "community based adult social care services"}

RATINGS = {
    r.lower(): r
    for r in [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Inspected but not rated",
        "No published rating",
    ]
}

# More beds than any care home has (the largest have a few hundred): a figure beyond it is a mistake, left out.
MAX_BEDS = 10_000

LIMITS = {"name": 200, "address": 255, "town": 100, "area": 100, "rating": 40, "phone": 32}


def clip(value, limit_key: str) -> str:
    """The value as a trimmed string, cut to the model field's length."""
    return " ".join(str(value or "").split())[: LIMITS[limit_key]]


def cqc_id(value) -> str | None:
    """A well-formed CQC ID, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip().upper()
    return value if CQC_ID_RE.match(value) else None


def service_codes(descriptions) -> list[int]:
    """ASC-WDS codes for CQC service-type descriptions, unknown ones left out."""
    codes = {SERVICE_CODES.get(" ".join(str(d).split()).lower()) for d in descriptions}
    return sorted(codes - {None})


def main_service_code(codes) -> int | None:
    """The code that best describes a location registered for several services."""
    return next((code for code in SERVICE_PRIORITY if code in codes), None)


def sectors_for(codes, *, learning_disability: bool) -> frozenset[str]:
    """Sector slugs implied by a location's services and the people it supports."""
    slugs = {SERVICE_SECTORS[code] for code in codes if code in SERVICE_SECTORS}
    if learning_disability:
        slugs.add(LEARNING_DISABILITY_SECTOR)
    return frozenset(slugs)


def rating(value) -> str:
    """CQC's overall rating spelt consistently ("Requires Improvement" appears in some files)."""
    text = " ".join(str(value or "").split())
    return RATINGS.get(text.lower(), text)[: LIMITS["rating"]]


def postcode_problem(value: str | None) -> str | None:
    """Why a postcode cannot be used (a short key), or None when it is fine."""
    if not value:
        return "missing"
    return None if re.match(POSTCODE_RE, value.strip()) else "invalid"


def clean_postcode(value: str) -> str:
    return normalise_postcode(value.strip())


@dataclass
class ProviderRecord:
    """A registered provider: the legal entity, which becomes a provider Organisation."""

    cqc_id: str | None
    name: str
    address: str = ""
    postcode: str = ""
    area: str = ""
    phone: str = ""
    website: str = ""
    deregistered: bool = False
    social_care: bool = True
    kind_label: str = ""  # CQC's "type", shown when the record is not adult social care
    problem: str = ""  # why the record is not in CQC's format, if it is not
    newest_date: datetime.date | None = None  # the newest CQC date in the record

    @property
    def reference(self) -> str:
        return f"{self.name} ({self.cqc_id})" if self.cqc_id else self.name


@dataclass
class LocationRecord:
    """A registered location: a care home or a service, which becomes a Location of its provider."""

    cqc_id: str | None
    raw_id: str
    name: str
    local_authority: str = ""
    provider_id: str | None = None
    provider_name: str | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    area: str | None = None
    codes: list[int] = field(default_factory=list)
    beds: int | None = None
    rating: str | None = None
    learning_disability: bool = False
    deregistered: bool = False
    social_care: bool = True
    kind_label: str = ""
    problem: str = ""
    newest_date: datetime.date | None = None

    @property
    def reference(self) -> str:
        return f"{self.name} ({self.raw_id})" if self.name else self.raw_id

    @property
    def service_code(self) -> int | None:
        return main_service_code(self.codes)

    @property
    def sectors(self) -> frozenset[str]:
        return sectors_for(self.codes, learning_disability=self.learning_disability)

    @property
    def capacity(self) -> int | None:
        """Beds, for care homes that say how many; other services' capacity is left to the provider."""
        is_care_home = bool(CARE_HOME_CODES & set(self.codes))
        return self.beds if is_care_home and self.beds and self.beds > 0 else None
