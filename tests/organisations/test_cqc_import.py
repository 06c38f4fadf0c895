"""Importing providers and locations from the real CQC files in shared/data/cqc."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from carenetwork.accounts.models import User
from carenetwork.core.models import AuditEvent
from carenetwork.organisations import cqc
from carenetwork.organisations.models import Location, Membership, Organisation

pytestmark = pytest.mark.django_db

CQC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cqc"
OLDHAM = CQC / "oldham"
DEVON = CQC / "devon_somerset_care_homes_2021.json"
ENGLAND = CQC / "england_care_homes_2021.csv"
MARKET = CQC / "locations_market_characteristics_sample.csv"

# The dates of the data: the Oldham responses were fetched in March 2025 (their newest date is 20 March 2025),
# the Devon and Somerset ones in April 2021, the England care directory is of about 1 April 2021 (its newest
# registration is 31 March 2021), the market characteristics sample of September 2025.
OLDHAM_DATE = datetime.date(2025, 3, 21)
DEVON_DATE = datetime.date(2021, 4, 30)
ENGLAND_DATE = datetime.date(2021, 4, 1)
MARKET_DATE = datetime.date(2025, 9, 1)

# Counted from the files: 10 registered adult social care providers among Oldham's 20 provider files (9 more
# deregistered, 1 a dentist), 2 of which (Botany House Limited, Sheridan Care Limited) have no location among
# Oldham's; 106 registered adult social care locations among 451, run by 95 providers.
OLDHAM_PROVIDERS = 10
OLDHAM_PROVIDERS_WITH_LOCATIONS = 8
OLDHAM_ORGANISATIONS = 95
OLDHAM_LOCATIONS = 106
OLDHAM_DEREGISTERED = 118 + 9


@pytest.fixture(autouse=True)
def _needs_cqc_data():
    if not CQC.is_dir():
        pytest.skip(f"The CQC data files are not at {CQC}")


def read(path: Path) -> bytes:
    return path.read_bytes()


def as_json(data) -> bytes:
    return json.dumps(data).encode()


def oldham_location(location_id: str) -> dict:
    return json.loads(read(OLDHAM / "locations" / f"location_{location_id}.json"))


def registered_care_home() -> dict:
    """A registered Torbay care home from the Devon and Somerset file."""
    records = json.loads(read(DEVON))
    return next(r for r in records if r["localAuthority"] == "Torbay" and r.get("numberOfBeds"))


def import_oldham(actor=None) -> cqc.ImportReport:
    files = sorted(OLDHAM.rglob("*.json"), key=lambda p: ("provider" not in p.name, p.name))
    return cqc.import_files(actor=actor, files=[(p.name, read(p)) for p in files], data_date=OLDHAM_DATE)


def csv_only(rows: list[dict], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def england_rows() -> tuple[list[dict], list[str]]:
    reader = csv.DictReader(io.StringIO(read(ENGLAND).decode("utf-8-sig")))
    return list(reader), reader.fieldnames


# Oldham: provider and location API responses ------------------------------------------------------------


def test_oldham_folder_creates_registered_social_care_providers_and_locations():
    report = import_oldham()

    assert report.created_organisations == OLDHAM_ORGANISATIONS
    assert report.created_locations == OLDHAM_LOCATIONS
    assert report.updated_organisations == report.updated_locations == 0
    assert Organisation.objects.filter(kind="provider").count() == OLDHAM_ORGANISATIONS
    assert Location.objects.count() == OLDHAM_LOCATIONS
    assert report.skipped_reasons["Deregistered with CQC"] == OLDHAM_DEREGISTERED
    assert report.skipped_reasons["Not adult social care (Primary Dental Care)"] > 0


def test_oldham_locations_are_linked_to_their_cqc_provider():
    import_oldham()

    for path in (OLDHAM / "locations").glob("*.json"):
        record = json.loads(read(path))
        location = Location.objects.filter(cqc_location_id=record["locationId"]).first()
        if location is not None:
            assert location.organisation.cqc_provider_id == record["providerId"]
    laburnum = Organisation.objects.get(cqc_provider_id="1-101612188")
    assert laburnum.name == "Laburnum House (Shaw) Limited"
    assert laburnum.postcode == "OL2 8RS"
    assert list(laburnum.locations.values_list("name", flat=True)) == ["Laburnum House Shaw Limited"]
    assert set(laburnum.sectors.values_list("slug", flat=True)) == {"residential-care"}


def test_location_fields_come_from_the_cqc_record():
    import_oldham()

    location = Location.objects.get(cqc_location_id="1-10024040008")  # Ebenezer Care Services
    assert location.organisation.cqc_provider_id == "1-9408305833"
    assert location.postcode == "M35 9BG"
    assert location.town == "Manchester"
    assert location.area == "Ashton-under-Lyne"
    assert location.local_authority == "Oldham"
    assert location.service_type.ascwds_code == 8
    assert location.capacity is None
    sectors = set(location.organisation.sectors.values_list("slug", flat=True))
    assert sectors == {"home-care", "learning-disability"}


def test_provider_unknown_to_the_portal_is_added_under_the_location_name_until_its_record_arrives():
    record = oldham_location("1-10024040008")
    cqc.import_file(actor=None, name="location.json", content=as_json(record), data_date=OLDHAM_DATE)
    organisation = Organisation.objects.get(cqc_provider_id="1-9408305833")
    assert organisation.name == "Ebenezer Care Services"

    provider = {
        "providerId": "1-9408305833",
        "organisationType": "Provider",
        "type": "Social Care Org",
        "name": "Ebenezer Care Ltd",
        "registrationStatus": "Registered",
        "postalCode": "M35 9BG",
        "locationIds": ["1-10024040008"],
    }
    report = cqc.import_file(actor=None, name="provider.json", content=as_json(provider), data_date=OLDHAM_DATE)

    organisation.refresh_from_db()
    assert report.updated_organisations == 1
    assert organisation.name == "Ebenezer Care Ltd"
    assert organisation.locations.count() == 1


def test_importing_the_same_files_again_changes_nothing():
    import_oldham()
    events = AuditEvent.objects.exclude(action="cqc.imported").count()

    report = import_oldham()

    assert report.created_organisations == report.updated_organisations == 0
    assert report.created_locations == report.updated_locations == 0
    assert report.unchanged == OLDHAM_PROVIDERS_WITH_LOCATIONS + OLDHAM_LOCATIONS
    assert not report.changed
    assert AuditEvent.objects.exclude(action="cqc.imported").count() == events


def test_repeat_import_finds_matches_without_a_query_per_record(django_assert_max_num_queries):
    content = read(DEVON)
    cqc.import_file(actor=None, name=DEVON.name, content=content, data_date=DEVON_DATE)

    with django_assert_max_num_queries(12):
        report = cqc.import_file(actor=None, name=DEVON.name, content=content, data_date=DEVON_DATE)

    assert report.unchanged == 728


def test_changed_field_is_updated_and_the_audit_trail_records_it():
    record = registered_care_home()
    cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)
    location = Location.objects.get(cqc_location_id=record["locationId"])
    old_beds = location.capacity

    report = cqc.import_file(
        actor=None, name="home.json", content=as_json({**record, "numberOfBeds": old_beds + 5}), data_date=DEVON_DATE
    )

    location.refresh_from_db()
    assert report.updated_locations == 1
    assert report.created_locations == report.created_organisations == 0
    assert location.capacity == old_beds + 5
    event = AuditEvent.objects.filter(action="location.updated", object_id=str(location.pk)).get()
    assert event.changes == {"capacity": [old_beds, old_beds + 5]}


def test_provider_name_change_is_recorded_against_the_person_who_imported():
    council = Organisation.objects.create(name="Oldham Council", kind="council")
    admin = User.objects.create_user(email="admin@oldham.example", password="x" * 12)
    Membership.objects.create(user=admin, organisation=council, role="administrator")
    path = OLDHAM / "providers" / "provider_1-101612188.json"
    provider = json.loads(read(path))
    location = OLDHAM / "locations" / "location_1-119238580.json"
    cqc.import_files(
        actor=admin, files=[(path.name, read(path)), (location.name, read(location))], data_date=OLDHAM_DATE
    )

    cqc.import_file(
        actor=admin, name=path.name, content=as_json({**provider, "name": "Laburnum House Ltd"}), data_date=OLDHAM_DATE
    )

    event = AuditEvent.objects.filter(action="organisation.updated").get()
    assert event.actor == admin
    assert event.changes == {"name": ["Laburnum House (Shaw) Limited", "Laburnum House Ltd"]}
    summary = AuditEvent.objects.filter(action="cqc.imported").first()
    assert summary.actor == admin
    assert summary.changes["updated_organisations"] == 1


# Devon and Somerset: a JSON list of location responses -----------------------------------------------------


def test_local_authority_filter_imports_only_torbay_locations():
    report = cqc.import_file(
        actor=None, name=DEVON.name, content=read(DEVON), local_authority="torbay", data_date=DEVON_DATE
    )

    assert report.created_locations == 85
    assert report.created_organisations == 69
    assert report.skipped_reasons["Outside torbay"] == 728 - 85
    assert report.skipped == []  # locations outside the area are counted, not listed
    assert Location.objects.count() == 85
    assert set(Location.objects.values_list("area", flat=True)) <= {"Torbay", "Totnes"}


def test_care_home_gets_beds_service_type_rating_and_sectors():
    record = registered_care_home()
    cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)

    location = Location.objects.get(cqc_location_id=record["locationId"])
    assert location.capacity == record["numberOfBeds"]
    assert location.capacity_unit == "beds"
    assert location.cqc_rating == record["currentRatings"]["overall"]["rating"]
    assert location.service_type.ascwds_code in (1, 2)
    assert set(location.organisation.sectors.values_list("slug", flat=True)) & {"nursing-care", "residential-care"}


def test_sectors_are_added_to_a_provider_and_never_removed():
    record = registered_care_home()
    cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)
    organisation = Organisation.objects.get(cqc_provider_id=record["providerId"])
    organisation.sectors.add(*organisation.sectors.model.objects.filter(slug="day-services"))

    cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)

    assert "day-services" in set(organisation.sectors.values_list("slug", flat=True))


# England care directory CSV ---------------------------------------------------------------------------------


def test_england_csv_filtered_to_one_local_authority_gives_each_new_home_its_own_provider():
    report = cqc.import_file(
        actor=None, name=ENGLAND.name, content=read(ENGLAND), local_authority="Oldham", data_date=ENGLAND_DATE
    )

    assert report.created_locations == 44
    assert report.created_organisations == 44
    assert report.skipped_count == 15403 - 44
    assert Organisation.objects.filter(cqc_provider_id__isnull=False).count() == 0
    home = Location.objects.get(cqc_location_id="1-119238580")  # Laburnum House, Shaw
    assert home.organisation.name == home.name
    assert home.postcode == "OL2 8RS"


def test_newer_api_data_updates_a_home_the_england_csv_added_and_names_its_provider():
    # Was: the 2021 CSV imported after the 2025 Oldham data overwrote it; older data now never does (below).
    cqc.import_file(
        actor=None, name=ENGLAND.name, content=read(ENGLAND), local_authority="Oldham", data_date=ENGLAND_DATE
    )
    laburnum = Location.objects.get(cqc_location_id="1-119238580")
    stand_in = laburnum.organisation

    import_oldham()

    laburnum.refresh_from_db()
    assert laburnum.organisation == stand_in  # the organisation the CSV made is adopted, not left empty
    assert laburnum.organisation.cqc_provider_id == "1-101612188"
    assert laburnum.organisation.name == "Laburnum House (Shaw) Limited"
    assert laburnum.cqc_data_date == OLDHAM_DATE
    assert laburnum.organisation.cqc_data_date == OLDHAM_DATE


def test_file_with_provider_columns_links_directory_homes_to_their_provider():
    cqc.import_file(
        actor=None, name=ENGLAND.name, content=read(ENGLAND), local_authority="North Yorkshire", data_date=ENGLAND_DATE
    )

    report = cqc.import_file(
        actor=None, name=MARKET.name, content=read(MARKET), local_authority="North Yorkshire", data_date=MARKET_DATE
    )

    linked = 0
    for row in csv.DictReader(io.StringIO(read(MARKET).decode("utf-8-sig"))):
        location = Location.objects.filter(cqc_location_id=row["Location ID"].strip()).first()
        if location is not None and row["Location Local Authority"] == "North Yorkshire":
            assert location.organisation.cqc_provider_id == row["Provider ID"].strip()
            assert location.organisation.name == row["Provider Name"].strip()
            assert location.cqc_data_date == MARKET_DATE  # moved, updated or confirmed: all as of this data
            linked += 1
    assert linked == 9
    assert report.created_locations == 0
    assert report.skipped_reasons["Not in the portal yet, and this file has no address to add it with"] > 0
    assert AuditEvent.objects.filter(action="location.moved").count() == 9 - 3


# Records that are skipped ----------------------------------------------------------------------------------


def test_deregistered_location_not_in_the_portal_is_skipped_with_a_reason():
    record = oldham_location("1-10415126755")
    assert record["registrationStatus"] == "Deregistered"

    report = cqc.import_file(actor=None, name="old.json", content=as_json(record), data_date=OLDHAM_DATE)

    assert Location.objects.count() == 0
    assert report.skipped == [(f"{record['name']} (1-10415126755)", "Deregistered with CQC")]


def test_deregistered_location_in_the_portal_is_made_inactive():
    record = registered_care_home()
    cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)

    report = cqc.import_file(
        actor=None,
        name="home.json",
        content=as_json({**record, "registrationStatus": "Deregistered"}),
        data_date=DEVON_DATE,
    )

    assert report.updated_locations == 1
    assert Location.objects.get(cqc_location_id=record["locationId"]).is_active is False


@pytest.mark.parametrize(
    "postcode, reason",
    [
        ("NOT A CODE", "“NOT A CODE” is not a valid UK postcode"),
        ("", "No postcode"),
    ],
)
def test_bad_or_missing_postcode_is_skipped_with_a_reason(postcode, reason):
    record = {**registered_care_home(), "postalCode": postcode}

    report = cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=DEVON_DATE)

    assert Location.objects.count() == Organisation.objects.count() == 0
    assert report.skipped == [(f"{record['name']} ({record['locationId']})", reason)]
    assert report.skipped_reasons["No postcode, or not a valid UK postcode"] == 1


def test_csv_row_with_a_bad_postcode_is_skipped_and_the_rest_imported():
    rows, header = england_rows()
    rows = [r for r in rows if r["Location Local Authority"] == "Torbay"][:3]
    rows[0] = {**rows[0], "Location Postal Code": "TQ1"}

    report = cqc.import_file(actor=None, name="homes.csv", content=csv_only(rows, header), data_date=ENGLAND_DATE)

    assert report.created_locations == 2
    assert report.skipped == [
        (f"{rows[0]['Location Name']} ({rows[0]['Location ID']})", "“TQ1” is not a valid UK postcode")
    ]


def test_nhs_run_homes_with_nhs_codes_as_location_ids_are_imported():
    # Was: skipped as "Not a CQC location ID". CQC registers NHS sites under their NHS code (RQX41, TAHYR).
    rows, header = england_rows()
    nhs = [r for r in rows if not r["Location ID"].startswith("1-")]

    report = cqc.import_file(actor=None, name="nhs.csv", content=csv_only(nhs, header), data_date=ENGLAND_DATE)

    assert len(nhs) == 34
    assert report.created_locations == 34
    assert report.skipped_count == 0
    assert set(Location.objects.values_list("cqc_location_id", flat=True)) == {r["Location ID"] for r in nhs}
    assert Location.objects.get(cqc_location_id="RQX41").capacity == int(
        next(r["Care homes beds"] for r in nhs if r["Location ID"] == "RQX41")
    )


def test_list_envelopes_are_skipped_with_a_reason():
    report = cqc.import_file(
        actor=None,
        name="locations_list_response.json",
        content=read(OLDHAM / "locations_list_response.json"),
        data_date=OLDHAM_DATE,
    )

    assert report.changes == 0
    assert report.skipped_count == 1
    reference, reason = report.skipped[0]
    assert reference == "locations_list_response.json (a list of 451)"
    assert "Import each provider's or location's own API response" in reason


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.json", b'{"hello": "world"}'),
        ("broken.json", b'{"locationId": '),
        ("people.csv", b"Name,Email\nA,a@example.org\n"),
        ("empty.csv", b""),
    ],
)
def test_unrecognised_file_raises_a_validation_error_and_changes_nothing(name, content):
    with pytest.raises(ValidationError) as error:
        cqc.import_file(actor=None, name=name, content=content, data_date=OLDHAM_DATE)

    assert name in error.value.messages[0]
    assert Organisation.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_management_command_imports_a_folder_providers_first(capsys):
    call_command("import_cqc", str(OLDHAM), "--data-date", OLDHAM_DATE.isoformat())

    output = capsys.readouterr().out
    assert f"locations added:       {OLDHAM_LOCATIONS}" in output
    assert Organisation.objects.get(cqc_provider_id="1-101612188").name == "Laburnum House (Shaw) Limited"
    assert AuditEvent.objects.get(action="cqc.imported").actor is None


# The page ---------------------------------------------------------------------------------------------------


def member(email: str, kind: str, role: str) -> User:
    user = User.objects.create_user(email=email, password="x" * 12)
    organisation = Organisation.objects.create(name=f"{kind} of {email}", kind=kind)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def date_fields(day: datetime.date, name: str = "data_date") -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def no_council_mfa(settings):
    settings.COUNCIL_MFA_REQUIRED = False


def test_council_administrator_uploads_a_file_and_sees_the_report(client, no_council_mfa):
    client.force_login(member("admin@council.example", "council", "administrator"))
    upload = SimpleUploadedFile("devon.json", read(DEVON), content_type="application/json")

    response = client.post(
        reverse("organisations:cqc-import"),
        {"file": upload, "local_authority": "Torbay", **date_fields(DEVON_DATE)},
    )

    assert response.status_code == 200
    assert response.context["report"].created_locations == 85
    page = response.content.decode()
    assert "What the import did" in page
    assert "Outside Torbay" in page
    assert Location.objects.count() == 85


def test_unrecognised_upload_is_shown_as_an_error_on_the_file_field(client, no_council_mfa):
    client.force_login(member("admin@council.example", "council", "administrator"))
    upload = SimpleUploadedFile("notes.csv", b"Name,Email\n", content_type="text/csv")

    response = client.post(reverse("organisations:cqc-import"), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("kind, role", [("provider", "admin"), ("council", "officer")])
def test_only_council_administrators_may_import(client, no_council_mfa, kind, role):
    client.force_login(member("someone@example.org", kind, role))
    upload = SimpleUploadedFile("devon.json", read(DEVON), content_type="application/json")

    assert client.get(reverse("organisations:cqc-import")).status_code == 403
    assert client.post(reverse("organisations:cqc-import"), {"file": upload}).status_code == 403
    assert Location.objects.count() == 0


def test_locations_keep_their_local_authority_from_the_care_directory_and_the_api_file():
    rows, header = england_rows()
    torbay = [row for row in rows if row["Location Local Authority"] == "Torbay"][:3]
    cqc.import_file(actor=None, name="care.csv", content=csv_only(torbay, header), data_date=ENGLAND_DATE)
    assert sorted(Location.objects.values_list("local_authority", flat=True)) == ["Torbay"] * 3

    cqc.import_file(actor=None, name=DEVON.name, content=read(DEVON), data_date=DEVON_DATE)
    by_authority = {r["locationId"]: r["localAuthority"] for r in json.loads(read(DEVON))}
    locations = list(Location.objects.values_list("cqc_location_id", "local_authority"))
    assert len(locations) > 700 and all(authority == by_authority[cqc_id] for cqc_id, authority in locations)
