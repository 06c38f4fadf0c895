"""Reading CQC files into records: API JSON (locations, providers, list pages) and the care directory CSV."""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carenetwork.organisations.cqc import dates
from carenetwork.organisations.cqc import records as r
from carenetwork.organisations.cqc.records import LocationRecord, ProviderRecord


@dataclass
class Parsed:
    """The records found in one file, and whole parts of it that cannot be imported."""

    name: str = ""
    providers: list[ProviderRecord] = field(default_factory=list)
    locations: list[LocationRecord] = field(default_factory=list)
    unusable: list[tuple[str, str, int]] = field(default_factory=list)  # (reference, reason, how many)
    newest_date: datetime.date | None = None  # the newest CQC date in the records: the data is no older


# The work one file can cause: more records than any CQC file has (England has about 50,000 locations in all).
MAX_RECORDS = 200_000


def parse(name: str, content: bytes) -> Parsed:
    """The records in a CQC file, or a ValidationError saying why the file cannot be read."""
    text = _decode(content)
    if not text.strip():
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    if "\x00" in text:
        # PostgreSQL cannot store the NUL character, and no CQC file has one: a damaged or binary file.
        raise ValidationError(
            _(
                "%(name)s has a NUL character (a zero byte) in it, so it is not a CQC file as CQC publishes it. "
                "Check it is the right file, saved as CSV or JSON."
            )
            % {"name": name}
        )
    parsed = _parse_json(name, text) if text.lstrip()[:1] in "[{" else _parse_csv(name, text)
    parsed.name = name
    if len(parsed.providers) + len(parsed.locations) > MAX_RECORDS:
        raise ValidationError(
            _("%(name)s has more than %(limit)s records. Split it into smaller files, such as one per region.")
            % {"name": name, "limit": f"{MAX_RECORDS:,}"}
        )
    return dated(parsed)


def dated(parsed: Parsed) -> Parsed:
    """The records with the newest CQC date among them: the data is no older than that."""
    parsed.newest_date = dates.newest(
        [record.newest_date for record in (*parsed.providers, *parsed.locations) if record.newest_date]
    )
    return parsed


def _decode(content: bytes) -> str:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Spreadsheet programs save "Unicode text" as UTF-16.
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs often save CSV files as Windows-1252.
        return content.decode("cp1252", errors="replace")


def _unrecognised(name: str) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is not a CQC file we recognise. Upload a CQC API location or provider JSON response, "
            "or the CQC care directory CSV with its heading row (Location ID, Location Name, …)."
        )
        % {"name": name}
    )


# JSON from the CQC API ----------------------------------------------------------------------------------


def _parse_json(name: str, text: str) -> Parsed:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("%(name)s is not valid JSON (line %(line)s: %(problem)s).")
            % {"name": name, "line": error.lineno, "problem": error.msg}
        ) from error
    except RecursionError as error:
        raise ValidationError(
            _("%(name)s has lists or objects nested too deeply to be a CQC API response.") % {"name": name}
        ) from error
    except ValueError as error:
        # Python refuses numbers of thousands of digits (a guard against slow conversions): no CQC field has one.
        raise ValidationError(_("%(name)s has a number too long to be from CQC's API.") % {"name": name}) from error
    parsed = Parsed()
    items = data if isinstance(data, list) else [data]
    unknown = sum(1 for item in items if not _add_json_item(parsed, name, item))
    if not (parsed.providers or parsed.locations or parsed.unusable):
        raise _unrecognised(name)
    if unknown:
        parsed.unusable.append((name, _("Not a CQC location or provider record"), unknown))
    return parsed


def _add_json_item(parsed: Parsed, name: str, item) -> bool:
    """Add the item's records to `parsed`; False if it is not something from the CQC API."""
    if not isinstance(item, dict):
        return False
    if isinstance(item.get("locations"), list) or isinstance(item.get("providers"), list):
        entries = len(item.get("locations") or item.get("providers") or [])
        reference = _("%(name)s (a list of %(count)s)") % {"name": name, "count": entries}
        parsed.unusable.append(
            (
                reference,
                _(
                    "A page of a CQC API list has only IDs and names, not enough to add anyone. Import each provider's "
                    "or location's own API response instead."
                ),
                1,
            )
        )
    elif "locationId" in item:
        parsed.locations.append(location_from_api(item))
    elif "providerId" in item and ("locationIds" in item or item.get("organisationType") == "Provider"):
        parsed.providers.append(provider_from_api(item))
    else:
        return False
    return True


class Fields:
    """An API record's fields read by the type CQC's schema gives them; a value of another type is noted as a
    problem (the record is then skipped with it as the reason) instead of failing somewhere deeper."""

    EXPECTED = {str: _("text"), list: _("a list"), dict: _("an object")}

    def __init__(self, item: dict):
        self.item = item
        self.problems: list[str] = []

    def _wrong(self, key: str, expected: type, value) -> None:
        got = "null" if value is None else type(value).__name__
        got = {"str": _("text"), "list": _("a list"), "dict": _("an object"), "bool": _("true or false")}.get(
            got, _("a number") if isinstance(value, int | float) else got
        )
        self.problems.append(
            _("%(field)s is %(got)s, where CQC's API has %(expected)s")
            % {"field": key, "got": got, "expected": self.EXPECTED[expected]}
        )

    def text(self, key: str, source: dict | None = None) -> str:
        value = (self.item if source is None else source).get(key)
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # a postcode or phone number written as a number
        if not isinstance(value, str):
            self._wrong(key, str, value)
            return ""
        if "\x00" in value:
            self.problems.append(_("%(field)s has a NUL character in it") % {"field": key})
            return ""
        return value

    def objects(self, key: str) -> list[dict]:
        """A list of objects (gacServiceTypes, specialisms)."""
        value = self.item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, list, value)
            return []
        if not all(isinstance(v, dict) for v in value):
            self.problems.append(_("%(field)s has items that are not objects, as CQC's API has them") % {"field": key})
            return []
        return value

    def object(self, value, key: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._wrong(key, dict, value)
            return {}
        return value

    @property
    def problem(self) -> str:
        return "; ".join(dict.fromkeys(self.problems))


def _is_social_care(fields: Fields) -> bool:
    kind = fields.text("type").lower()
    directorate = fields.text("inspectionDirectorate").lower()
    if not kind and not directorate:
        return True
    return kind in r.ADULT_SOCIAL_CARE_TYPES or directorate in r.ADULT_SOCIAL_CARE_DIRECTORATES


def _join(*parts) -> str:
    return ", ".join(" ".join(str(p).split()) for p in parts if p and str(p).strip())


def location_from_api(item: dict) -> LocationRecord:
    """A `/locations/{id}` response as a record."""
    f = Fields(item)
    descriptions = [f.text("description", s) or f.text("name", s) for s in f.objects("gacServiceTypes")]
    specialisms = [f.text("name", s) for s in f.objects("specialisms")]
    ratings = f.object(item.get("currentRatings"), "currentRatings")
    overall = f.text("rating", f.object(ratings.get("overall"), "currentRatings.overall"))
    raw_id = f.text("locationId").strip()
    record = LocationRecord(
        cqc_id=r.cqc_id(raw_id),
        raw_id=raw_id,
        name=r.clip(f.text("name"), "name"),
        local_authority=f.text("localAuthority"),
        provider_id=r.cqc_id(f.text("providerId")),
        address=r.clip(_join(f.text("postalAddressLine1"), f.text("postalAddressLine2")), "address"),
        town=r.clip(f.text("postalAddressTownCity"), "town"),
        postcode=f.text("postalCode").strip(),
        area=r.clip(f.text("constituency") or f.text("postalAddressTownCity"), "area"),
        codes=r.service_codes(descriptions),
        beds=_int(item.get("numberOfBeds")),
        rating=r.rating(overall),
        learning_disability=any("learning disabilit" in s.lower() for s in specialisms),
        deregistered=f.text("registrationStatus") == "Deregistered",
        social_care=_is_social_care(f),
        kind_label=f.text("type"),
        newest_date=dates.newest_in_api(item),
    )
    record.problem = f.problem
    return record


def provider_from_api(item: dict) -> ProviderRecord:
    """A `/providers/{id}` response as a record."""
    f = Fields(item)
    address = _join(f.text("postalAddressLine1"), f.text("postalAddressLine2"), f.text("postalAddressTownCity"))
    record = ProviderRecord(
        cqc_id=r.cqc_id(f.text("providerId")),
        name=r.clip(f.text("name"), "name"),
        address=r.clip(address, "address"),
        postcode=f.text("postalCode").strip(),
        area=r.clip(f.text("constituency") or f.text("postalAddressTownCity"), "area"),
        phone=r.clip(f.text("mainPhoneNumber"), "phone"),
        website=f.text("website").strip(),
        deregistered=f.text("registrationStatus") == "Deregistered",
        social_care=_is_social_care(f),
        kind_label=f.text("type"),
        newest_date=dates.newest_in_api(item),
    )
    record.problem = f.problem
    return record


def _int(value) -> int | None:
    """A count of beds; None when it is not a whole number a care home could have."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= r.MAX_BEDS else None


# CSV: the CQC care directory, and CQC location files with provider columns ----------------------------------


def _parse_csv(name: str, text: str) -> Parsed:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = {h.strip() for h in reader.fieldnames or []}
        if not {"Location ID", "Location Name"} <= header:
            raise _unrecognised(name)
        return Parsed(locations=[location_from_csv(_stripped(row)) for row in reader])
    except csv.Error as error:
        raise ValidationError(
            _("%(name)s could not be read as CSV: %(problem)s") % {"name": name, "problem": error}
        ) from error


def _stripped(row: dict) -> dict:
    return {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}


def _yes(row: dict, column: str) -> bool:
    return row.get(column, "").upper() == "Y"


def location_from_csv(row: dict) -> LocationRecord:
    """A row of a CQC location CSV. Columns a file lacks become None: those fields are left as they are."""
    descriptions = row.get("Service Types", "").split(",")
    if _yes(row, "Service type - Care home service with nursing"):
        descriptions.append("Care home service with nursing")
    if _yes(row, "Service type - Care home service without nursing"):
        descriptions.append("Care home service without nursing")
    category = row.get("Primary inspection category")
    town = row.get("Location City")
    return LocationRecord(
        cqc_id=r.cqc_id(row["Location ID"]),
        raw_id=row["Location ID"],
        name=r.clip(row["Location Name"], "name"),
        local_authority=row.get("Location Local Authority", ""),
        provider_id=r.cqc_id(row.get("Provider ID")),
        provider_name=r.clip(row["Provider Name"], "name") if row.get("Provider Name") else None,
        address=r.clip(row["Location Street Address"], "address") if "Location Street Address" in row else None,
        town=r.clip(town, "town") if town is not None else None,
        postcode=row.get("Location Postal Code"),
        area=_csv_area(row),
        codes=r.service_codes(descriptions),
        beds=_int(row.get("Care homes beds")),
        rating=r.rating(row["Location Latest Overall Rating"]) if row.get("Location Latest Overall Rating") else None,
        learning_disability=(
            _yes(row, "Service user band - Learning disabilities or autistic spectrum disorder")
            or "learning disabilit" in row.get("Service users supported", "").lower()
        ),
        deregistered=bool(row.get("Location HSCA end date")),
        social_care=category is None or category.lower() in r.ADULT_SOCIAL_CARE_CATEGORIES,
        kind_label=category or "",
        newest_date=dates.newest_in_row(row),
    )


def _csv_area(row: dict) -> str | None:
    if "Location Parliamentary Constituency" not in row and "Location City" not in row:
        return None
    return r.clip(row.get("Location Parliamentary Constituency") or row.get("Location City"), "area")
