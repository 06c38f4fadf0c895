"""Open Contracting Data Standard 1.1: the board's opportunities as releases and release packages (Contracts
Finder releases are loaded as past opportunities by ocds_import.py).

An opportunity gives a tender release once published (`tenderCancellation` when cancelled), an award release per
award (a lot's contracts awarded on one day) and a contract release once it has contracts. Only what a tender notice
and a contract award notice say is published: never a question's asker, the interested organisations, consortium
posts, bids or their scores, nor who bid without success.

Fields beyond the core schema, and the extension defining each (its extension.json is listed in `EXTENSIONS`):

- Lots (open-contracting-extensions/ocds_lots_extension, release-schema.json): `tender.lots` (id, title,
  description, value, status, contractPeriod) when an opportunity has more than one lot; `awards.relatedLots`.
- United Kingdom (cabinetoffice/ocds_uk_extension, release-schema.json):
  - `Value.amountGross`, "the amount including all taxes": the board's values include VAT. Find a Tender puts the
    amount without VAT in `value.amount`; we do not know it, so we leave `amount` out rather than invent it.
    An imported opportunity keeps `amount`, as its source gave it.
  - `Tender.lotDetails.noLotsDivisionRationale`: why a one-lot opportunity is not divided into lots (s18).
  - `Document.noticeType`, "the notice type published, more specific than the OCDS document type": "UK4" (tender
    notice) on the tender notice of a contract under the Act that needs one (covered, or notifiable below threshold).
  - `Tender.aboveThreshold`, "whether the tender value is above the relevant threshold", for a contract.
  - `Period.durationInMonths`: the contract length in `tender.contractPeriod` and `lots.contractPeriod`.
- Pagination (open-contracting-extensions/ocds_pagination_extension, release-package-schema.json): `links.next` and
  `links.prev` on a page of the paged package.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from carenetwork.procurement import rules, services
from carenetwork.procurement.models import Contract, Criterion, Lot, Opportunity

LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
]
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json"
)
CONTRACTS_FINDER = Opportunity.Origin.CONTRACTS_FINDER
TENDER_STATUS = {
    Opportunity.Status.DRAFT: "planned",
    Opportunity.Status.OPEN: "active",
    Opportunity.Status.CLOSED: "active",  # bids are in and being evaluated: the tender process is still going on
    Opportunity.Status.AWARDED: "complete",
    Opportunity.Status.CANCELLED: "cancelled",
}
# The CPV division of health and social work services: 85000000 to 85323000, all within the light touch services'
# "health, social and related services" (Procurement Regulations 2024, Schedule 1).


# Export ---------------------------------------------------------------------------------------------------------


def published_opportunities():
    """Every published opportunity, oldest first, with all that its releases need in a constant number of queries."""
    return (
        Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
        .prefetch_related(
            Prefetch("lots", queryset=Lot.objects.prefetch_related(_contracts())), "documents", "criteria"
        )
        .order_by("pk")
    )


def _contracts():
    return Prefetch("contracts", queryset=Contract.objects.select_related("supplier"))


def ocid_for(opportunity) -> str:
    """The open contracting id: the one an imported opportunity came with, or ours."""
    return opportunity.ocid or f"{settings.OCDS_OCID_PREFIX}-{opportunity.pk}"


@dataclass
class _Process:
    """One opportunity as a contracting process, with what its releases share."""

    opportunity: Opportunity
    ocid: str
    lots: list
    imported: bool
    source: dict  # an imported opportunity's release, else {}

    @property
    def multi_lot(self) -> bool:
        return len(self.lots) > 1

    def value(self, amount: Decimal | None) -> dict | None:
        """Ours include VAT (amountGross); an imported amount is as its source gave it."""
        if amount is None:
            return None
        number = int(amount) if amount == amount.to_integral_value() else float(amount)
        return {"amount" if self.imported else "amountGross": number, "currency": "GBP"}


def releases_for(opportunity) -> list[dict]:
    """The opportunity's releases: tender (or its cancellation), one per award, and one for its contracts."""
    if opportunity.status == Opportunity.Status.DRAFT:
        return []
    imported = opportunity.origin == CONTRACTS_FINDER
    p = _Process(opportunity, ocid_for(opportunity), list(opportunity.lots.all()), imported, {})
    p.source = (opportunity.source_release or {}) if imported else {}
    buyer = _buyer_party(p)
    common = {
        "language": "en",
        "initiationType": "tender",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": _tender(p, buyer),
    }
    if opportunity.status == Opportunity.Status.CANCELLED:
        tag, when = "tenderCancellation", opportunity.modified_at
    else:
        tag, when = "tender", opportunity.published_at or opportunity.created_at
    releases = [_release(p, common, [tag], when, [buyer], planning=_planning(opportunity))]
    # Awards are published once the opportunity is awarded, not while a decision may still be taken back.
    groups = _award_groups(p.lots) if opportunity.status == Opportunity.Status.AWARDED else []
    for group in groups:
        contracts = group[2]
        parties = [buyer, *_supplier_parties(p, contracts)]
        when = min(c.created_at for c in contracts)
        releases.append(_release(p, common, ["award"], when, parties, awards=[_award(p, *group)]))
    every = [c for _lot, _awarded_on, contracts in groups for c in contracts]
    if every:
        releases.append(
            _release(
                p,
                common,
                ["contract"],
                max(c.created_at for c in every),
                [buyer, *_supplier_parties(p, every)],
                awards=[_award(p, *group) for group in groups],
                contracts=[_contract(p, c) for c in every],
            )
        )
    return releases


def release_package(opportunity, *, uri: str) -> dict:
    """One opportunity's releases as a release package."""
    return package_of(releases_for(opportunity), uri=uri)


def package_of(releases: list[dict], *, uri: str, links: dict | None = None) -> dict:
    """A release package, dated by its latest release (the last change to what it holds). With `links` (a page of a
    paged list: next and prev, either absent at an end) it declares the pagination extension."""
    dates = [datetime.fromisoformat(r["date"]) for r in releases]
    package = {
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS + ([PAGINATION_EXTENSION] if links is not None else []),
        "publishedDate": _moment(max(dates) if dates else timezone.now()),
        "publisher": {"name": settings.COUNCIL_NAME},
        "license": LICENSE,
        "releases": releases,
    }
    if links:
        package["links"] = links
    return package


def _release(p: _Process, common: dict, tag: list[str], when: datetime, parties: list[dict], **sections) -> dict:
    """A release; its id is stable: the process, what it tells (an award's id) and the day it was first told."""
    what = sections["awards"][0]["id"] if tag == ["award"] else tag[0]
    release = {"ocid": p.ocid, "id": f"{p.ocid}-{what}-{when.date()}", "date": _moment(when), "tag": tag}
    return _pruned({**release, **common, "parties": _unique(parties), **sections})


def _tender(p: _Process, buyer: dict) -> dict:
    o, source = p.opportunity, p.source.get("tender") or {}
    above, notice = _threshold(p)
    criteria = list(o.criteria.all())
    return {
        "id": o.reference or p.ocid,
        "title": o.title,
        "description": o.description,
        "status": source.get("status") or TENDER_STATUS[o.status],
        "value": p.value(o.value),
        "aboveThreshold": above,
        "procuringEntity": None if p.imported else {"id": buyer["id"], "name": buyer["name"]},
        "procurementMethod": source.get("procurementMethod") if p.imported else "open",
        "procurementMethodDetails": source.get("procurementMethodDetails") if p.imported else _method(o),
        "mainProcurementCategory": source.get("mainProcurementCategory") if p.imported else "services",
        "awardCriteria": _award_criteria(criteria),
        "awardCriteriaDetails": "; ".join(f"{c.name}: {c.weight}%" for c in criteria),
        "eligibilityCriteria": _reservations(o),
        "tenderPeriod": {"startDate": _day(o.tender_published), "endDate": _day(o.tender_deadline, end=True)},
        "enquiryPeriod": {"endDate": _day(o.questions_deadline, end=True)},
        "awardPeriod": {"startDate": _day(o.award_date)},
        "contractPeriod": {"startDate": _day(o.contract_start), "durationInMonths": o.duration_months},
        "lots": [_lot(p, lot) for lot in p.lots] if p.multi_lot else None,
        "lotDetails": None if p.multi_lot else {"noLotsDivisionRationale": o.no_lots_reason},
        "documents": _documents(p, notice),
    }


def _threshold(p: _Process) -> tuple[bool | None, bool]:
    """For a contract of ours: whether it is above the threshold, and whether the Act asks for a tender notice (UK4):
    covered, or below the threshold at or above the notifiable value (rules.py holds the dated thresholds)."""
    if p.imported or p.opportunity.funding_route != Opportunity.Route.CONTRACT:
        return None, False
    procurement = services.procurement_of(p.opportunity, lots=len(p.lots))
    above = rules.is_above_threshold(procurement)
    under_act = rules.regime_for(procurement.start) == rules.PA2023
    return above, under_act and bool(above or rules.is_notifiable(procurement))


def _planning(opportunity) -> dict | None:
    if not opportunity.market_engagement:
        return None
    milestone = {"id": "market-engagement", "title": "Market engagement", "type": "engagement"}
    return {"milestones": [{**milestone, "dueDate": _day(opportunity.market_engagement)}]}


def _method(opportunity) -> str:
    grant = opportunity.funding_route == Opportunity.Route.GRANT
    return "Open competition for a grant" if grant else "Open competition"


def _award_criteria(criteria) -> str | None:
    kinds = {c.kind for c in criteria}
    if not kinds:
        return None
    if kinds == {Criterion.Kind.PRICE}:
        return "priceOnly"
    return "ratedCriteria" if Criterion.Kind.PRICE in kinds else "qualityOnly"


def _reservations(opportunity) -> str:
    fields = ["reserved_local", "reserved_uk", "reserved_sme_vcse"]
    reserved = [str(Opportunity._meta.get_field(f).verbose_name) for f in fields if getattr(opportunity, f)]
    return "; ".join(reserved).capitalize()


def _lot(p: _Process, lot) -> dict:
    if lot.contracts.all():
        status = "complete"
    elif p.opportunity.status == Opportunity.Status.AWARDED:
        status = "unsuccessful"
    else:
        status = TENDER_STATUS[p.opportunity.status]
    return {
        "id": f"lot-{lot.number}",
        "title": lot.title,
        "description": lot.description,
        "value": p.value(lot.value),
        "status": status,
        "contractPeriod": {"durationInMonths": lot.duration_months},
    }


def _documents(p: _Process, notice: bool) -> list[dict]:
    """Our page of the opportunity as its tender notice, then its documents (an imported one has neither)."""
    o, documents = p.opportunity, []
    if not p.imported:
        documents.append(
            {
                "id": "tender-notice",
                "documentType": "tenderNotice",
                "noticeType": "UK4" if notice else None,
                "title": o.title,
                "url": settings.SITE_URL.rstrip("/") + reverse("procurement:detail", args=[o.pk]),
                "datePublished": _moment(o.published_at),
                "format": "text/html",
                "language": "en",
            }
        )
    for document in o.documents.all():
        documents.append(
            {
                "id": f"document-{document.pk}",
                "documentType": "biddingDocuments",
                "title": document.title,
                "url": document.url,
                "datePublished": _moment(document.created_at),
            }
        )
    return documents


def _award_groups(lots) -> list[tuple]:
    """Each award: a lot's contracts awarded on the same day, in lot order then date order."""
    groups = []
    for lot in lots:
        by_day: dict[date, list] = {}
        for contract in lot.contracts.all():
            by_day.setdefault(contract.awarded_on, []).append(contract)
        groups += [(lot, day, by_day[day]) for day in sorted(by_day)]
    return groups


def _award_id(lot, awarded_on: date) -> str:
    return f"award-{lot.number}-{awarded_on.isoformat()}"


def _award(p: _Process, lot, awarded_on: date, contracts: list) -> dict:
    values = [c.value for c in contracts]
    starts = [c.start for c in contracts if c.start]
    ends = [c.end for c in contracts if c.end]
    return {
        "id": _award_id(lot, awarded_on),
        "title": lot.title if p.multi_lot else None,
        "status": "active",
        "date": _day(awarded_on),
        "value": None if None in values else p.value(sum(values)),
        "suppliers": _unique([_supplier_reference(p, c) for c in contracts]),
        "contractPeriod": {
            "startDate": _day(min(starts, default=None)),
            "endDate": _day(max(ends, default=None), end=True),
        },
        "relatedLots": [f"lot-{lot.number}"] if p.multi_lot else None,
    }


def _contract(p: _Process, contract) -> dict:
    today = timezone.localdate()
    if not contract.start or contract.start > today:
        status = "pending"
    elif contract.end and contract.end < today:
        status = "terminated"  # the codelist's word for a contract that has come to its end
    else:
        status = "active"
    return {
        "id": f"contract-{contract.pk}",
        "awardID": _award_id(contract.lot, contract.awarded_on),
        "title": f"{p.opportunity.title}: {contract.lot.title}",
        "status": status,
        "value": p.value(contract.value),
        "period": {"startDate": _day(contract.start), "endDate": _day(contract.end, end=True)},
    }


def _buyer_party(p: _Process) -> dict:
    if p.imported:
        source = p.source.get("buyer") or {}
        party_id, roles = source.get("id") or "buyer", ["buyer"]
        name = p.opportunity.buyer_name or source.get("name")
    else:
        party_id, roles = "council", ["buyer", "procuringEntity"]
        name = p.opportunity.buyer_name or settings.COUNCIL_NAME
    return {"id": party_id, "name": name, "identifier": {"legalName": name}, "roles": roles}


def _supplier_reference(p: _Process, contract) -> dict:
    """An organisation here is "org-<pk>"; a supplier only named keeps its source's party id (the first so named)."""
    if contract.supplier_id:
        return {"id": f"org-{contract.supplier_id}", "name": contract.supplier_name}
    parties = p.source.get("parties") or []
    named = (
        q.get("id") for q in parties if q.get("name") == contract.supplier_name and "supplier" in (q.get("roles") or [])
    )
    return {"id": next(named, None) or f"supplier-{slugify(contract.supplier_name)}", "name": contract.supplier_name}


def _supplier_parties(p: _Process, contracts) -> list[dict]:
    return [
        {
            **_supplier_reference(p, contract),
            "identifier": {"legalName": contract.supplier_name},
            "address": {"postalCode": contract.supplier.postcode if contract.supplier else ""},
            "roles": ["supplier"],
        }
        for contract in contracts
    ]


def _unique(objects: list[dict]) -> list[dict]:
    """The first object with each id (a party or supplier named twice appears once)."""
    seen = {}
    for obj in objects:
        seen.setdefault(obj["id"], obj)
    return list(seen.values())


def _moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day(value: date | None, *, end: bool = False) -> str | None:
    """A day as a moment in the council's time zone: its start, or its last second for the end of a period."""
    if value is None:
        return None
    moment = datetime.combine(value, time(23, 59, 59) if end else time(0), tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _pruned(value):
    """The value without empty fields (None, "", [] and {}); False and 0 are kept."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
