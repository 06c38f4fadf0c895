"""OCDS 1.1: every package we serve validates against the standard's own release package schema (jsonschema, with
its formats checked, the release schema resolved locally); the real Contracts Finder releases import as past
opportunities and export again with the same key fields; nothing about who asked, showed interest or lost is published.
"""

import functools
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from carenetwork.procurement import ocds, ocds_import, views_ocds
from carenetwork.procurement.models import Bid, ConsortiumPost, Contract, Document, Interest, Opportunity, Question
from tests.factories import OrganisationFactory
from tests.procurement.factories import contract_for, opportunity_for

pytestmark = pytest.mark.django_db

OCDS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ocds"
SCHEMA = OCDS / "schema_1.1.5"
EXAMPLES = OCDS / "examples"
SAMPLE = EXAMPLES / "contracts_finder_releases_england_2025_sample.json"
SINGLE = EXAMPLES / "contracts_finder_api_release_package_2022_single.json"
CARE_RELEASES = 19  # tender.classification in CPV division 85 (shared/data/README.md: 19 health and social care)
CARE_OCIDS = 18  # two of them are releases of one process (ocid ...01a3540dc2d6), 10:37 and 12:50 on 11 March 2025


@functools.cache
def validator() -> Draft4Validator:
    """The release package schema, its $ref to the release schema resolved from the local copy (no network)."""
    schemas = [
        json.loads((SCHEMA / name).read_text()) for name in ("release-package-schema.json", "release-schema.json")
    ]
    registry = Registry().with_resources((schema["id"], DRAFT4.create_resource(schema)) for schema in schemas)
    return Draft4Validator(schemas[0], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def errors(package: dict) -> list[str]:
    """What the validator finds wrong, as JSON (what is served) says it."""
    package = json.loads(json.dumps(package))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(package)]


def served(client, opportunity) -> dict:
    response = client.get(reverse("procurement:ocds-package", args=[opportunity.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("inline;")
    package = response.json()
    assert errors(package) == []
    return package


def import_sample(**kwargs) -> ocds_import.ImportResult:
    return ocds_import.import_file(SAMPLE, **kwargs)


# The validator itself -------------------------------------------------------------------------------------------


def test_validator_checks_dates_and_addresses():
    assert {"date-time", "uri"} <= set(Draft4Validator.FORMAT_CHECKER.checkers)


@pytest.mark.parametrize(
    "name",
    [
        "ocds_standard_example_tender_release_package_barnet.json",
        "ocds_standard_example_award_release_package_barnet.json",
        "ocds_standard_example_contract_release_package_barnet.json",
        "contracts_finder_api_release_package_2022_single.json",
    ],
)
def test_the_standards_and_contracts_finders_packages_validate(name):
    assert errors(json.loads((EXAMPLES / name).read_text())) == []


def test_the_real_sample_has_only_its_two_broken_addresses():
    package = {
        "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        "version": "1.1",
        "publishedDate": "2025-03-11T14:07:12Z",
        "publisher": {"name": "Cabinet Office"},
        "releases": json.loads(SAMPLE.read_text()),
    }
    found = errors(package)
    assert len(found) == 2
    assert all("'http://Contract Finder' is not a 'uri'" in error for error in found)


@pytest.mark.parametrize(
    ("break_it", "complaint"),
    [
        (lambda p: p.pop("publisher"), "'publisher' is a required property"),
        (lambda p: p["releases"][0].pop("ocid"), "'ocid' is a required property"),
        (lambda p: p["releases"][0].update(date="4 December 2026"), "is not a 'date-time'"),
        (lambda p: p["releases"][0]["tender"].update(status="open"), "is not one of"),
    ],
)
def test_the_validator_catches_a_broken_package(break_it, complaint):
    package = json.loads((EXAMPLES / "ocds_standard_example_tender_release_package_barnet.json").read_text())
    break_it(package)
    assert any(complaint in error for error in errors(package))


# Export ---------------------------------------------------------------------------------------------------------


def test_open_opportunity_in_three_lots_is_one_tender_release(client, settings):
    opportunity = opportunity_for(reference="EBC-2026-014")
    Document.objects.create(opportunity=opportunity, title="Specification", url="https://example.org/spec.pdf")
    package = served(client, opportunity)
    assert package["uri"] == f"http://testserver/procurement/{opportunity.pk}/ocds.json"
    assert package["publisher"] == {"name": settings.COUNCIL_NAME}
    (release,) = package["releases"]
    assert release["ocid"] == f"ocds-cnet01-{opportunity.pk}"
    assert release["tag"] == ["tender"]
    assert release["parties"] == [
        {
            "id": "council",
            "name": settings.COUNCIL_NAME,
            "identifier": {"legalName": settings.COUNCIL_NAME},
            "roles": ["buyer", "procuringEntity"],
        }
    ]
    tender = release["tender"]
    assert tender["id"] == "EBC-2026-014"
    assert tender["status"] == "active"
    assert tender["value"] == {"amountGross": 400000, "currency": "GBP"}
    assert tender["aboveThreshold"] is False  # light touch threshold £663,540
    assert [(lot["id"], lot["title"], lot["value"]["amountGross"]) for lot in tender["lots"]] == [
        ("lot-1", "Area 1", 133333.33),
        ("lot-2", "Area 2", 133333.33),
        ("lot-3", "Area 3", 133333.33),
    ]
    assert "lotDetails" not in tender
    assert tender["awardCriteria"] == "ratedCriteria"
    assert tender["awardCriteriaDetails"] == "Quality: 60%; Price: 30%; Social value: 10%"
    assert tender["tenderPeriod"]["endDate"].endswith(("T23:59:59+00:00", "T23:59:59+01:00"))
    assert tender["contractPeriod"]["durationInMonths"] == 36
    notice, specification = tender["documents"]
    assert notice["documentType"] == "tenderNotice"
    assert notice["noticeType"] == "UK4"  # a notifiable below-threshold contract under the Act
    assert notice["url"].endswith(reverse("procurement:detail", args=[opportunity.pk]))
    assert specification["documentType"] == "biddingDocuments"
    assert specification["url"] == "https://example.org/spec.pdf"


def test_one_lot_gives_the_reason_for_no_lots_and_a_grant_no_notice_type(client):
    reason = "One service across the borough keeps each person with one provider."
    opportunity = opportunity_for(lots=1, no_lots_reason=reason, funding_route=Opportunity.Route.GRANT)
    tender = served(client, opportunity)["releases"][0]["tender"]
    assert tender["lotDetails"] == {"noLotsDivisionRationale": reason}
    assert "lots" not in tender
    assert "noticeType" not in tender["documents"][0]
    assert "aboveThreshold" not in tender


def test_awarded_opportunity_has_award_and_contract_releases_naming_only_the_winners(client, provider, other_provider):
    opportunity = opportunity_for(status=Opportunity.Status.AWARDED)
    first = contract_for(provider, opportunity=opportunity)
    second = Contract.objects.create(
        lot=opportunity.lots.get(number=2),
        supplier=other_provider,
        supplier_name=other_provider.name,
        value=D("120000.50"),
        awarded_on=first.awarded_on,
    )
    loser = OrganisationFactory(name="Kestrel Unsuccessful Care Ltd")
    Bid.objects.create(lot=first.lot, organisation=loser, outcome=Bid.Outcome.UNSUCCESSFUL, score=D("41"))
    Bid.objects.create(lot=first.lot, organisation=provider, outcome=Bid.Outcome.SUCCESSFUL, score=D("80"))
    package = served(client, opportunity)
    assert [r["tag"] for r in package["releases"]] == [["tender"], ["award"], ["award"], ["contract"]]
    assert len({r["id"] for r in package["releases"]}) == 4
    tender, award_1, award_2, contracts = package["releases"]
    assert tender["tender"]["status"] == "complete"
    assert [lot["status"] for lot in tender["tender"]["lots"]] == ["complete", "complete", "unsuccessful"]
    (award,) = award_1["awards"]
    assert award["relatedLots"] == ["lot-1"]
    assert award["suppliers"] == [{"id": f"org-{provider.pk}", "name": provider.name}]
    assert award["value"] == {"amountGross": 133333.33, "currency": "GBP"}
    assert award_2["awards"][0]["value"] == {"amountGross": 120000.5, "currency": "GBP"}
    supplier = next(p for p in award_1["parties"] if p["id"] == f"org-{provider.pk}")
    assert supplier == {
        "id": f"org-{provider.pk}",
        "name": provider.name,
        "identifier": {"legalName": provider.name},
        "address": {"postalCode": "RM1 3BB"},
        "roles": ["supplier"],
    }
    assert [c["id"] for c in contracts["contracts"]] == [f"contract-{first.pk}", f"contract-{second.pk}"]
    assert {c["awardID"] for c in contracts["contracts"]} == {a["id"] for a in contracts["awards"]}
    assert contracts["contracts"][0]["status"] == "active"  # started 170 days ago, no end
    assert contracts["contracts"][1]["status"] == "pending"  # no start date yet
    assert package["publishedDate"] == max(r["date"] for r in package["releases"])
    assert "Kestrel" not in json.dumps(package)


def test_cancelled_opportunity_is_a_tender_cancellation(client):
    opportunity = opportunity_for(status=Opportunity.Status.CANCELLED)
    (release,) = served(client, opportunity)["releases"]
    assert release["tag"] == ["tenderCancellation"]
    assert release["tender"]["status"] == "cancelled"


def test_a_draft_is_not_published(client):
    opportunity = opportunity_for(status=Opportunity.Status.DRAFT)
    assert ocds.releases_for(opportunity) == []
    assert client.get(reverse("procurement:ocds-package", args=[opportunity.pk])).status_code == 404
    assert client.get(reverse("procurement:ocds-package", args=[opportunity.pk + 1])).status_code == 404
    list_page = client.get(reverse("procurement:ocds-list")).json()
    assert list_page["releases"] == []


def test_only_get_is_served(client):
    opportunity = opportunity_for()
    assert client.post(reverse("procurement:ocds-package", args=[opportunity.pk])).status_code == 405
    assert client.post(reverse("procurement:ocds-list")).status_code == 405


def test_who_asked_showed_interest_or_sought_partners_is_never_exported(client, provider):
    opportunity = opportunity_for(status=Opportunity.Status.AWARDED)
    contract_for(provider, opportunity=opportunity)
    asker = OrganisationFactory(name="Zanzibar Questioning Care Ltd", postcode="ZE1 0AA")
    watcher = OrganisationFactory(name="Quokka Interested Homecare")
    seeker = OrganisationFactory(name="Narwhal Partner Seekers CIC")
    Question.objects.create(opportunity=opportunity, organisation=asker, text="Is TUPE likely?", answer="Yes.")
    Interest.objects.create(opportunity=opportunity, organisation=watcher)
    ConsortiumPost.objects.create(opportunity=opportunity, organisation=seeker, offers="Night care", seeks="Day care")
    exported = [
        client.get(reverse("procurement:ocds-package", args=[opportunity.pk])).content.decode(),
        client.get(reverse("procurement:ocds-list")).content.decode(),
    ]
    for text in exported:
        assert provider.name in text
        for secret in ("Zanzibar", "ZE1 0AA", "Is TUPE likely", "Quokka", "Narwhal", "Night care"):
            assert secret not in text


# The paged list -------------------------------------------------------------------------------------------------


def test_the_list_is_pages_of_release_packages_linked_by_next_and_prev(client, provider, monkeypatch):
    monkeypatch.setattr(views_ocds, "PAGE_SIZE", 2)
    opportunities = [opportunity_for(title=f"Opportunity {n}") for n in range(3)]
    Opportunity.objects.filter(pk=opportunities[1].pk).update(status=Opportunity.Status.AWARDED)
    contract_for(provider, opportunity=opportunities[1])
    opportunity_for(status=Opportunity.Status.DRAFT, title="Not yet")
    url = reverse("procurement:ocds-list")
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    first = first.json()
    assert errors(first) == []
    assert first["links"] == {"next": f"http://testserver{url}?page=2"}
    assert ocds.EXTENSIONS[0] in first["extensions"]
    assert ocds.PAGINATION_EXTENSION in first["extensions"]
    assert [r["tender"]["title"] for r in first["releases"]] == ["Opportunity 0"] + ["Opportunity 1"] * 3
    second = client.get(first["links"]["next"]).json()
    assert errors(second) == []
    assert second["links"] == {"prev": f"http://testserver{url}?page=1"}
    assert [r["tender"]["title"] for r in second["releases"]] == ["Opportunity 2"]
    assert client.get(url, {"page": 3}).status_code == 404
    assert client.get(url, {"page": "last"}).status_code == 404


def test_an_award_is_not_published_until_the_opportunity_is_awarded(provider):
    opportunity = opportunity_for(status=Opportunity.Status.CLOSED)
    contract_for(provider, opportunity=opportunity)
    assert [r["tag"] for r in ocds.releases_for(opportunity)] == [["tender"]]
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.AWARDED)
    opportunity.refresh_from_db()
    assert [r["tag"] for r in ocds.releases_for(opportunity)] == [["tender"], ["award"], ["contract"]]


def add_opportunities(n: int, supplier) -> None:
    for i in range(n):
        opportunity = opportunity_for(status=Opportunity.Status.AWARDED, title=f"Opportunity {i}")
        Document.objects.create(opportunity=opportunity, title="Specification", url="https://example.org/spec.pdf")
        contract_for(supplier, opportunity=opportunity)


def test_the_list_costs_the_same_queries_for_2_or_30_opportunities(client, provider, django_assert_max_num_queries):
    add_opportunities(2, provider)
    url = reverse("procurement:ocds-list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_opportunities(28, provider)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    package = response.json()
    assert len(package["releases"]) == 30 * 3  # tender, award, contract
    assert errors(package) == []


def test_one_package_costs_a_constant_number_of_queries(client, provider, django_assert_max_num_queries):
    opportunity = opportunity_for(status=Opportunity.Status.AWARDED)
    contract_for(provider, opportunity=opportunity)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("procurement:ocds-package", args=[opportunity.pk])).status_code == 200


# Contracts Finder -----------------------------------------------------------------------------------------------


def test_the_social_care_rule_finds_the_19_care_releases_of_the_sample():
    releases = json.loads(SAMPLE.read_text())
    care = [r for r in releases if ocds_import.is_social_care(r)]
    assert len(care) == CARE_RELEASES
    assert len({r["ocid"] for r in care}) == CARE_OCIDS
    # Only additional classifications in division 85 (domestic abuse advocacy, main CPV 98000000) is not counted.
    assert not ocds_import.is_social_care(next(r for r in releases if r["ocid"].endswith("4b435f3ccae4")))


def test_the_sample_imports_its_care_releases_once():
    result = import_sample()
    # The older of the two releases of one process (10:37) does not overwrite the newer (12:50), read first.
    assert (result.created, result.updated, result.skipped) == (CARE_OCIDS, 0, 201 - CARE_OCIDS)
    assert result.problems == []
    imported = Opportunity.objects.filter(origin=Opportunity.Origin.CONTRACTS_FINDER)
    assert imported.count() == CARE_OCIDS
    assert set(imported.values_list("status", flat=True)) == {Opportunity.Status.CLOSED, Opportunity.Status.AWARDED}
    again = import_sample()
    assert (again.created, again.updated, again.skipped) == (0, 0, 201)
    assert imported.count() == CARE_OCIDS
    assert Contract.objects.filter(lot__opportunity__in=imported).count() == sum(
        len(a["suppliers"]) for o in imported for a in o.source_release.get("awards", [])
    )


def test_an_imported_release_keeps_what_the_source_says():
    release = json.loads(SINGLE.read_text())["releases"][0]
    opportunity = ocds_import.import_release(release)
    assert opportunity.ocid == "ocds-b5fd17-18de5078-9cf3-479b-9e38-8b9d3f7a0e39"
    assert opportunity.origin == Opportunity.Origin.CONTRACTS_FINDER
    assert opportunity.status == Opportunity.Status.AWARDED
    assert opportunity.reference == "CON-22-237"
    assert opportunity.buyer_name == "THE FINANCIAL CONDUCT AUTHORITY"
    assert opportunity.value is None  # the tender gives no value
    assert str(opportunity.procurement_start) == "2022-05-19"  # no start given: the release's date, before the deadline
    assert str(opportunity.tender_deadline) == "2022-10-03"
    assert str(opportunity.contract_start) == "2022-11-17"
    assert opportunity.source_release == release
    (lot,) = opportunity.lots.all()
    assert lot.title == "Whole contract"
    (contract,) = lot.contracts.all()
    assert (contract.supplier, contract.supplier_name) == (None, "BYTES SOFTWARE SERVICES LIMITED")
    assert contract.value == D("44341.25")
    assert str(contract.awarded_on) == "2022-10-06"
    assert (str(contract.start), str(contract.end)) == ("2022-11-17", "2024-03-31")


def test_an_imported_procurement_starts_no_later_than_the_file_shows():
    releases = {r["ocid"][-12:]: r for r in json.loads(SAMPLE.read_text())}
    # The tender notice's date, although the award release came after the Act began (24 February 2025).
    assert str(ocds_import.import_release(releases["01a3540dc2d6"]).procurement_start) == "2024-11-29"
    # No start and no notice date: the tender deadline, 21 December 2024, not the release's day in January.
    assert str(ocds_import.import_release(releases["01c247fc9c30"]).procurement_start) == "2024-12-21"


def test_an_older_release_does_not_overwrite_a_newer_one():
    releases = [r for r in json.loads(SAMPLE.read_text()) if r["ocid"].endswith("01a3540dc2d6")]
    newer, older = sorted(releases, key=lambda r: r["date"], reverse=True)
    opportunity = ocds_import.import_release(older)
    assert opportunity.lots.get().contracts.count() == 12
    opportunity = ocds_import.import_release(newer)
    assert opportunity.lots.get().contracts.count() == 13
    assert ocds_import.import_file(io.BytesIO(json.dumps([older]).encode())).skipped == 1
    opportunity.refresh_from_db()
    assert opportunity.source_release["id"] == newer["id"]
    assert Opportunity.objects.filter(ocid=newer["ocid"]).count() == 1


def key_fields(release: dict) -> dict:
    tender = release["tender"]
    awards = release.get("awards", [])
    return {
        "ocid": release["ocid"],
        "buyer": release["buyer"]["name"],
        "tender": (tender["id"], tender["title"], tender["description"], tender.get("value", {}).get("amount")),
        "status": tender["status"],
        "suppliers": sorted({s["name"] for a in awards for s in a["suppliers"]}),
        "award values": sorted(a["value"]["amount"] for a in awards if len(a["suppliers"]) == 1),
    }


def test_imported_releases_export_again_with_the_same_key_fields(client):
    import_sample()
    ocds_import.import_release(json.loads(SINGLE.read_text())["releases"][0])
    imported = Opportunity.objects.filter(origin=Opportunity.Origin.CONTRACTS_FINDER)
    assert imported.count() == CARE_OCIDS + 1
    for opportunity in imported:
        package = served(client, opportunity)
        last = package["releases"][-1]  # the last release holds every award (and the contracts)
        assert key_fields(last) == key_fields(opportunity.source_release)
        assert all(r["ocid"] == opportunity.source_release["ocid"] for r in package["releases"])
        assert "amountGross" not in json.dumps(package)  # the source does not say whether its amounts include VAT


def test_the_command_loads_files_and_says_what_it_did():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_contracts_finder", str(SAMPLE), str(SINGLE), stdout=out, stderr=err)
    assert f"{SAMPLE}: {CARE_OCIDS} created, 0 updated, {201 - CARE_OCIDS} skipped" in out.getvalue()
    assert f"{SINGLE}: 0 created, 0 updated, 1 skipped" in out.getvalue()  # software, not care
    call_command("import_contracts_finder", str(SINGLE), "--all", stdout=out, stderr=err)
    assert f"{SINGLE}: 1 created, 0 updated, 0 skipped" in out.getvalue()
    assert err.getvalue() == ""
