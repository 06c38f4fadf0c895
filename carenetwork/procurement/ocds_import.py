"""Contracts Finder releases (OCDS 1.1) loaded as past opportunities, for reference on the board: what the source
says is kept as it says it (`Opportunity.source_release`); what it does not say is left blank. Loading is idempotent by
ocid, and an older release of a procurement never overwrites a newer one."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carenetwork.procurement.models import Contract, Lot, Opportunity
from carenetwork.procurement.ocds import CONTRACTS_FINDER

CARE_CPV_DIVISION = "85"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_RELEASES = 20_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def is_social_care(release: dict) -> bool:
    """Health and social care: the tender's main CPV classification (or an item's) is in division 85."""
    tender = release.get("tender") or {}
    classifications = [tender.get("classification")] + [i.get("classification") for i in tender.get("items") or []]
    return any(
        (c or {}).get("scheme", "CPV") == "CPV" and str((c or {}).get("id", "")).startswith(CARE_CPV_DIVISION)
        for c in classifications
    )


def import_file(path_or_fileobj, *, social_care_only: bool = True) -> ImportResult:
    """Load a release package, a list of releases or a {"releases": [...]} file; see `import_release`."""
    if isinstance(path_or_fileobj, (str, Path)):
        with open(path_or_fileobj, "rb") as file:
            content = file.read(MAX_FILE_BYTES + 1)
    else:
        content = path_or_fileobj.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        data = json.loads(content)
    except ValueError as error:
        raise ValidationError(f"The file is not JSON: {error}") from error
    releases = data.get("releases") if isinstance(data, dict) else data
    if not isinstance(releases, list) or not all(isinstance(r, dict) for r in releases):
        raise ValidationError("The file holds no OCDS releases (a release package or a list of releases).")
    if len(releases) > MAX_RELEASES:
        raise ValidationError(f"The file has {len(releases)} releases; at most {MAX_RELEASES} are read at once.")
    result = ImportResult()
    for release in releases:
        if social_care_only and not is_social_care(release):
            result.skipped += 1
            continue
        try:
            outcome = _import(release)
        except (ValidationError, KeyError, TypeError, ValueError, InvalidOperation) as error:
            result.skipped += 1
            result.problems.append(f"{release.get('ocid', '?')} {release.get('id', '')}: {error}")
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def import_release(release: dict) -> Opportunity:
    """Load one Contracts Finder release as a past opportunity (closed, or awarded with its contracts), by its ocid:
    a newer release of a known ocid updates it, an older or the same one leaves it as it is."""
    _import(release)
    return Opportunity.objects.get(ocid=release["ocid"])


@transaction.atomic
def _import(release: dict) -> str:
    ocid, released = release["ocid"], _parse(release["date"])
    existing = Opportunity.objects.select_for_update().filter(ocid=ocid).first()
    if existing and existing.source_release:
        if existing.source_release.get("id") == release.get("id") or released <= _parse(
            existing.source_release["date"]
        ):
            return "skipped"
    tender = release.get("tender") or {}
    awards = [a for a in release.get("awards") or [] if a.get("status", "active") == "active" and a.get("suppliers")]
    if tender.get("status") in ("cancelled", "withdrawn", "unsuccessful") and not awards:
        status = Opportunity.Status.CANCELLED
    else:
        status = Opportunity.Status.AWARDED if awards else Opportunity.Status.CLOSED
    tender_period, contract_period = tender.get("tenderPeriod") or {}, tender.get("contractPeriod") or {}
    opportunity = existing or Opportunity(ocid=ocid, origin=CONTRACTS_FINDER)
    fields = {
        "title": tender.get("title") or "",
        "reference": tender.get("id") or "",
        "description": tender.get("description") or "",
        "buyer_name": (release.get("buyer") or {}).get("name") or "",
        "value": _amount(tender.get("value")),
        "light_touch": is_social_care(release),  # the source does not say; derived from its CPV code
        "procurement_start": _start(tender, released),
        "tender_published": _date(tender.get("datePublished")),
        "questions_deadline": _date((tender.get("enquiryPeriod") or {}).get("endDate")),
        "tender_deadline": _date(tender_period.get("endDate")),
        "award_date": _date((tender.get("awardPeriod") or {}).get("startDate")),
        "contract_start": _date(contract_period.get("startDate")),
        "status": status,
        "published_at": released,
        "source_release": release,
    }
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.full_clean(exclude=["description"] if not opportunity.description else None)
    opportunity.save()
    lots = _import_lots(opportunity, tender)
    _import_contracts(lots, awards, released)
    return "updated" if existing else "created"


def _import_lots(opportunity, tender) -> dict[str, Lot]:
    """One lot per tender lot, or one "Whole contract"; by the source's lot id (the whole contract as "")."""
    source = tender.get("lots") or [{"title": "Whole contract", "value": tender.get("value")}]
    lots = {}
    for number, item in enumerate(source, start=1):
        lot, _ = Lot.objects.update_or_create(
            opportunity=opportunity,
            number=number,
            defaults={
                "title": (item.get("title") or f"Lot {item.get('id', number)}")[:200],
                "description": item.get("description") or "",
                "value": _amount(item.get("value")),
            },
        )
        lots[str(item.get("id", ""))] = lot
    Lot.objects.filter(opportunity=opportunity, number__gt=len(source)).delete()
    return lots


def _import_contracts(lots: dict[str, Lot], awards: list[dict], released: datetime) -> None:
    """A contract per supplier of each award, on its related lot (or the only, else the first, lot). An award's value
    goes to its contract when it has one supplier; shared by several, it is not split (the source does not say how)."""
    wanted: dict[int, list[dict]] = {lot.pk: [] for lot in lots.values()}
    first = next(iter(lots.values()))
    for award in awards:
        related = [lots[str(i)] for i in award.get("relatedLots") or [] if str(i) in lots] or [first]
        period = award.get("contractPeriod") or {}
        awarded_on = _date(award.get("date")) or _date(award.get("datePublished")) or released.date()
        for lot in related:
            for supplier in award["suppliers"]:
                value = _amount(award.get("value")) if len(award["suppliers"]) == 1 and len(related) == 1 else None
                wanted[lot.pk].append(
                    {
                        "supplier_name": (supplier.get("name") or supplier.get("id") or "")[:200],
                        "value": value,
                        "awarded_on": awarded_on,
                        "start": _date(period.get("startDate")),
                        "end": _date(period.get("endDate")),
                    }
                )
    for lot in lots.values():
        existing = list(lot.contracts.order_by("pk"))
        for contract, values in zip(existing, wanted[lot.pk], strict=False):
            Contract.objects.filter(pk=contract.pk).update(**values)
        for values in wanted[lot.pk][len(existing) :]:
            Contract(lot=lot, supplier=None, **values).full_clean()
            Contract.objects.create(lot=lot, supplier=None, **values)
        Contract.objects.filter(pk__in=[c.pk for c in existing[len(wanted[lot.pk]) :]]).delete()


def _start(tender: dict, released: datetime) -> date:
    """When the tender began: its period's start or its notice's date; else the latest day it can have begun by what
    the release says (the earlier of its deadline and the release's date), so that the rules of that day apply."""
    begun = _date((tender.get("tenderPeriod") or {}).get("startDate")) or _date(tender.get("datePublished"))
    deadline = _date((tender.get("tenderPeriod") or {}).get("endDate"))
    return begun or min(filter(None, [deadline, released.date()]))


def _amount(value: dict | None) -> Decimal | None:
    """A GBP amount as the source gave it (to the penny); None when absent or in another currency."""
    if not value or value.get("amount") is None or value.get("currency", "GBP") != "GBP":
        return None
    return Decimal(str(value["amount"])).quantize(Decimal("0.01"))


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _date(text: str | None) -> date | None:
    """The day a moment falls on in the council's time zone."""
    return timezone.localtime(_parse(text)).date() if text else None
