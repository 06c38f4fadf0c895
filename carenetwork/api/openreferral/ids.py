"""HSDS ids: UUIDs made from our primary keys, so that nothing needs storing and an id always reads back.

Every id is a version 8 ("custom") UUID: a fixed 48-bit prefix, the version, a 12-bit code for the kind of object, the
variant bits, and the primary key in the low 62 bits. `63617265-6e65-8002-8000-00000000002a` is the service made
from location 42. A different kind of object made from the same key has a different id, and an id of one kind never
reads as another: `pk_from(Kind.SERVICE, ...)` of a location's id is None.
"""

import enum
import uuid

from carenetwork.core.access import MAX_ID

PREFIX = 0x63617265_6E65  # "carene" in ASCII: every id this API makes starts 63617265-6e65-8
VERSION = 8
VARIANT = 0b10


class Kind(enum.IntEnum):
    """The kind of object an id names (the 12 bits after the version)."""

    ORGANIZATION = 0x001
    SERVICE = 0x002  # from a location: a place that gives care is one service there
    LOCATION = 0x003
    SERVICE_AT_LOCATION = 0x004
    ADDRESS = 0x005
    TAXONOMY = 0x006
    SERVICE_TYPE_TERM = 0x007
    SECTOR_TERM = 0x008
    SERVICE_TYPE_ATTRIBUTE = 0x009  # from a location: its service type
    SECTOR_ATTRIBUTE = 0x00A  # from a row of the organisation-sector link table
    CQC_IDENTIFIER = 0x00B  # from an organisation: its CQC provider ID


def make(kind: Kind, pk: int) -> str:
    """The id of the object of this kind with this primary key."""
    if not 0 < pk < 2**62:
        raise ValueError(f"no HSDS id for key {pk!r}")
    high = (PREFIX << 16) | (VERSION << 12) | int(kind)
    low = (VARIANT << 62) | pk
    return str(uuid.UUID(int=(high << 64) | low))


def pk_from(kind: Kind, value: str) -> int | None:
    """The primary key an id of this kind names; None for anything else (not a UUID, another kind, out of range)."""
    if not isinstance(value, str) or len(value) != 36:
        return None
    try:
        number = uuid.UUID(value).int
    except ValueError:
        return None
    high, low = number >> 64, number & (2**64 - 1)
    if high != (PREFIX << 16) | (VERSION << 12) | int(kind) or low >> 62 != VARIANT:
        return None
    pk = low & (2**62 - 1)
    return pk if 0 < pk <= MAX_ID else None
