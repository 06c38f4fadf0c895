"""Reading CQC files into records: API JSON (locations, providers, list pages) and the care directory CSV."""

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carenetwork.organisations.cqc import records as r
from carenetwork.organisations.cqc.records import LocationRecord, ProviderRecord


@dataclass
class Parsed:
    """The records found in one file, and whole parts of it that cannot be imported."""

    providers: list[ProviderRecord] = field(default_factory=list)
    locations: list[LocationRecord] = field(default_factory=list)
    unusable: list[tuple[str, str, int]] = field(default_factory=list)  # (reference, reason, how many)


def parse(name: str, content: bytes) -> Parsed:
    """The records in a CQC file, or a ValidationError saying why the file cannot be read."""
    text = _decode(content)
    if not text.strip():
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    if text.lstrip()[:1] in "[{":
        return _parse_json(name, text)
    return _parse_csv(name, text)


def _decode(content: bytes) -> str:
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


def _is_social_care(item: dict) -> bool:
    kind = str(item.get("type") or "").lower()
    directorate = str(item.get("inspectionDirectorate") or "").lower()
    if not kind and not directorate:
        return True
    return kind in r.ADULT_SOCIAL_CARE_TYPES or directorate in r.ADULT_SOCIAL_CARE_DIRECTORATES


def _join(*parts) -> str:
    return ", ".join(" ".join(str(p).split()) for p in parts if p and str(p).strip())


def location_from_api(item: dict) -> LocationRecord:
    """A `/locations/{id}` response as a record."""
    descriptions = [s.get("description") or s.get("name") or "" for s in item.get("gacServiceTypes") or []]
    specialisms = [s.get("name") or "" for s in item.get("specialisms") or []]
    codes = r.service_codes(descriptions)
    overall = ((item.get("currentRatings") or {}).get("overall") or {}).get("rating")
    return LocationRecord(
        cqc_id=r.cqc_id(item.get("locationId")),
        raw_id=str(item.get("locationId") or "").strip(),
        name=r.clip(item.get("name"), "name"),
        local_authority=str(item.get("localAuthority") or ""),
        provider_id=r.cqc_id(item.get("providerId")),
        address=r.clip(_join(item.get("postalAddressLine1"), item.get("postalAddressLine2")), "address"),
        town=r.clip(item.get("postalAddressTownCity"), "town"),
        postcode=str(item.get("postalCode") or "").strip(),
        area=r.clip(item.get("constituency") or item.get("postalAddressTownCity"), "area"),
        codes=codes,
        beds=_int(item.get("numberOfBeds")),
        rating=r.rating(overall),
        learning_disability=any("learning disabilit" in s.lower() for s in specialisms),
        deregistered=item.get("registrationStatus") == "Deregistered",
        social_care=_is_social_care(item),
        kind_label=str(item.get("type") or ""),
    )


def provider_from_api(item: dict) -> ProviderRecord:
    """A `/providers/{id}` response as a record."""
    return ProviderRecord(
        cqc_id=r.cqc_id(item.get("providerId")),
        name=r.clip(item.get("name"), "name"),
        address=r.clip(
            _join(item.get("postalAddressLine1"), item.get("postalAddressLine2"), item.get("postalAddressTownCity")),
            "address",
        ),
        postcode=str(item.get("postalCode") or "").strip(),
        area=r.clip(item.get("constituency") or item.get("postalAddressTownCity"), "area"),
        phone=r.clip(item.get("mainPhoneNumber"), "phone"),
        website=str(item.get("website") or "").strip(),
        deregistered=item.get("registrationStatus") == "Deregistered",
        social_care=_is_social_care(item),
        kind_label=str(item.get("type") or ""),
    )


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


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
    )


def _csv_area(row: dict) -> str | None:
    if "Location Parliamentary Constituency" not in row and "Location City" not in row:
        return None
    return r.clip(row.get("Location Parliamentary Constituency") or row.get("Location City"), "area")
