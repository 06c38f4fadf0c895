"""CQC import, issue 10: every CQC ID form, organisations only with a location, the date of the data (older
data never replaces newer), the local authority filter, and files that are not what they claim to be."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from carenetwork.organisations import cqc
from carenetwork.organisations.cqc import formats
from carenetwork.organisations.forms import LocationForm
from carenetwork.organisations.models import CqcDeregistration, Location, Organisation
from tests.organisations.test_cqc_import import (
    DEVON,
    DEVON_DATE,
    ENGLAND,
    ENGLAND_DATE,
    OLDHAM,
    OLDHAM_DATE,
    as_json,
    csv_only,
    date_fields,
    england_rows,
    import_oldham,
    member,
    read,
    registered_care_home,
)

pytestmark = pytest.mark.django_db

# Oldham care homes in the 2021 England CSV that CQC had deregistered by March 2025.
DEREGISTERED_SINCE_2021 = {
    "1-113831768",
    "1-117977107",
    "1-120641405",
    "1-151959980",
    "1-2711314834",
    "1-2951007475",
    "1-6355044561",
    "1-9513445383",
}


@pytest.fixture(autouse=True)
def _needs_cqc_data():
    if not OLDHAM.is_dir():
        pytest.skip(f"The CQC data files are not at {OLDHAM.parent}")


def import_home(record: dict, day: datetime.date) -> cqc.ImportReport:
    return cqc.import_file(actor=None, name="home.json", content=as_json(record), data_date=day)


# Every CQC ID form -----------------------------------------------------------------------------------------


def test_every_home_of_the_england_csv_is_read_with_its_beds():
    # Reading only: importing all 15,403 homes takes about 40 seconds here.
    parsed = formats.parse(ENGLAND.name, read(ENGLAND))

    assert len(parsed.locations) == 15403
    assert all(record.cqc_id for record in parsed.locations)
    assert sum(record.capacity or 0 for record in parsed.locations) == 458947
    assert parsed.newest_date == datetime.date(2021, 3, 31)


@pytest.mark.parametrize(
    "typed, saved",
    [("1-10024040008", "1-10024040008"), ("RQX41", "RQX41"), ("rqx41", "RQX41"), (" TAHYR ", "TAHYR")],
)
def test_location_form_accepts_every_cqc_location_id_form(provider, typed, saved):
    form = LocationForm({"name": "Site", "postcode": "OL1 1AA", "cqc_location_id": typed, "capacity_unit": "beds"})
    form.instance.organisation = provider

    assert form.is_valid(), form.errors
    assert form.cleaned_data["cqc_location_id"] == saved


@pytest.mark.parametrize("typed", ["1-123", "12345", "RQX-41", "ABCDEFGH"])
def test_location_form_refuses_what_is_not_a_cqc_id(provider, typed):
    form = LocationForm({"name": "Site", "postcode": "OL1 1AA", "cqc_location_id": typed, "capacity_unit": "beds"})
    form.instance.organisation = provider

    assert not form.is_valid()
    assert "Enter a CQC ID like 1-123456789" in form.errors["cqc_location_id"][0]


# Organisations only with a location ------------------------------------------------------------------------


def test_provider_files_without_a_location_in_the_data_add_no_organisation():
    report = import_oldham()

    assert not Organisation.objects.filter(name__in=["Botany House Limited", "Sheridan Care Limited"]).exists()
    assert not Organisation.objects.filter(kind="provider", locations__isnull=True).exists()
    skipped = dict(report.skipped)
    assert skipped["Botany House Limited (1-101616344)"] == "Not added: none of its registered locations is in the file"


def test_provider_files_outside_the_local_authority_add_no_organisation():
    providers = sorted((OLDHAM / "providers").glob("*.json"))
    files = [(p.name, read(p)) for p in providers] + [(DEVON.name, read(DEVON))]

    report = cqc.import_files(actor=None, files=files, local_authority="Torbay", data_date=OLDHAM_DATE)

    assert report.created_organisations == 69  # Torbay's providers, as without the Oldham files
    assert not Organisation.objects.filter(kind="provider", locations__isnull=True).exists()
    assert report.skipped_reasons["Not added: none of its locations in the file is in Torbay"] == 10


# The date of the data ---------------------------------------------------------------------------------------


def test_older_csv_after_newer_api_data_brings_back_no_deregistered_home_and_keeps_current_beds():
    import_oldham()
    stoneswood = Location.objects.get(cqc_location_id="1-120713619")
    assert stoneswood.capacity == 45  # 41 in the 2021 CSV

    report = cqc.import_file(
        actor=None, name=ENGLAND.name, content=read(ENGLAND), local_authority="Oldham", data_date=ENGLAND_DATE
    )

    stoneswood.refresh_from_db()
    assert stoneswood.capacity == 45
    assert stoneswood.cqc_data_date == OLDHAM_DATE
    assert not Location.objects.filter(cqc_location_id__in=DEREGISTERED_SINCE_2021).exists()
    assert report.changes == 0
    assert report.skipped_older == 44
    skipped = dict(report.skipped)
    assert skipped["Stoneswood Residential Home (1-120713619)"] == "The portal has CQC data of 21 March 2025"
    assert skipped["Treelands Care Home (1-9513445383)"] == "Deregistered in CQC data of 21 March 2025"


def test_older_data_about_one_home_is_skipped_and_said_so():
    record = registered_care_home()
    import_home(record, DEVON_DATE)

    report = import_home({**record, "numberOfBeds": record["numberOfBeds"] + 5}, datetime.date(2021, 4, 29))

    location = Location.objects.get(cqc_location_id=record["locationId"])
    assert location.capacity == record["numberOfBeds"]
    assert report.skipped_older == 1
    assert report.skipped == [
        (f"{record['name']} ({record['locationId']})", "The portal has CQC data of 30 April 2021")
    ]


def test_home_deregistered_in_the_portal_stays_so_when_older_data_has_it_registered():
    record = registered_care_home()
    import_home(record, datetime.date(2021, 3, 1))
    import_home({**record, "registrationStatus": "Deregistered"}, DEVON_DATE)

    report = import_home(record, datetime.date(2021, 4, 1))

    assert Location.objects.get(cqc_location_id=record["locationId"]).is_active is False
    assert report.skipped_older == 1


def test_data_that_matches_moves_the_records_date_on_so_data_in_between_is_older():
    record = registered_care_home()
    import_home(record, datetime.date(2021, 3, 1))
    import_home(record, DEVON_DATE)  # the same values, later
    location = Location.objects.get(cqc_location_id=record["locationId"])
    assert location.cqc_data_date == DEVON_DATE
    assert location.organisation.cqc_data_date is None  # no provider record yet: named after its home

    report = import_home({**record, "numberOfBeds": 1}, datetime.date(2021, 4, 1))

    location.refresh_from_db()
    assert location.capacity == record["numberOfBeds"]
    assert report.skipped_older == 1


def test_deregistration_of_a_location_the_portal_never_had_is_remembered():
    record = json.loads(read(OLDHAM / "locations" / "location_1-10415126755.json"))
    cqc.import_file(actor=None, name="old.json", content=as_json(record), data_date=OLDHAM_DATE)

    assert CqcDeregistration.objects.filter(kind="location", cqc_id="1-10415126755").get().data_date == OLDHAM_DATE


def test_deregistration_outside_the_local_authority_asked_for_is_remembered_too():
    record = json.loads(read(OLDHAM / "locations" / "location_1-10415126755.json"))
    files = [(DEVON.name, read(DEVON)), ("old.json", as_json(record))]

    cqc.import_files(actor=None, files=files, local_authority="Torbay", data_date=OLDHAM_DATE)

    assert CqcDeregistration.objects.filter(cqc_id="1-10415126755").exists()


def test_the_date_is_read_from_a_file_name_that_has_it():
    rows, header = england_rows()
    content = csv_only([r for r in rows if r["Location Local Authority"] == "Torbay"], header)

    report = cqc.import_file(actor=None, name="HSCA_Active_Locations_1_April_2021.csv", content=content)

    assert report.data_date == datetime.date(2021, 4, 1)
    assert Location.objects.filter(cqc_data_date=datetime.date(2021, 4, 1)).count() == report.created_locations > 0


@pytest.mark.parametrize(
    "day, message",
    [
        (None, "Enter the date of this data"),
        (datetime.date(2021, 1, 1), "The data cannot be from 1 January 2021: it has CQC dates up to 31 March 2021"),
        (datetime.date.today() + datetime.timedelta(days=1), "The date of the data must be today or in the past"),
    ],
)
def test_a_missing_impossible_or_future_date_is_refused(day, message):
    with pytest.raises(ValidationError) as error:
        cqc.import_file(actor=None, name=ENGLAND.name, content=read(ENGLAND), data_date=day)

    assert message in error.value.message_dict["data_date"][0]
    assert not Location.objects.exists()


def test_command_asks_for_the_date_when_the_files_do_not_give_it():
    with pytest.raises(CommandError, match="--data-date"):
        call_command("import_cqc", str(OLDHAM))


# The local authority ----------------------------------------------------------------------------------------


def london_rows() -> bytes:
    rows, header = england_rows()
    return csv_only([r for r in rows if r["Location Region"] == "London"], header)


def test_ampersand_for_and_still_matches_the_local_authority():
    report = cqc.import_file(
        actor=None,
        name="london.csv",
        content=london_rows(),
        local_authority="Barking & Dagenham",
        data_date=ENGLAND_DATE,
    )

    assert report.created_locations == 22


def test_misspelt_local_authority_is_refused_with_the_nearest_names():
    with pytest.raises(ValidationError) as error:
        cqc.import_file(
            actor=None,
            name="london.csv",
            content=london_rows(),
            local_authority="Barking and Dagenam",
            data_date=ENGLAND_DATE,
        )

    message = error.value.message_dict["local_authority"][0]
    assert "No location in the file is in “Barking and Dagenam”" in message
    assert "Did you mean “Barking and Dagenham”?" in message
    assert not Location.objects.exists()


def test_importing_oldham_for_devon_is_refused_and_adds_nothing():
    with pytest.raises(ValidationError, match="No location in the file is in “Devon”"):
        import_files = sorted(OLDHAM.rglob("*.json"))
        cqc.import_files(
            actor=None, files=[(p.name, read(p)) for p in import_files], local_authority="Devon", data_date=OLDHAM_DATE
        )

    assert not Organisation.objects.exists()


# Files that are not what they claim -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"gacServiceTypes": "Care home service with nursing"}, "gacServiceTypes is text, where CQC's API has a list"),
        ({"specialisms": ["Dementia"]}, "specialisms has items that are not objects, as CQC's API has them"),
        ({"currentRatings": []}, "currentRatings is a list, where CQC's API has an object"),
        ({"name": {"en": "Home"}}, "name is an object, where CQC's API has text"),
        ({"postalCode": ["TQ1 1AA"]}, "postalCode is a list, where CQC's API has text"),
        ({"registrationStatus": True}, "registrationStatus is true or false, where CQC's API has text"),
        ({"name": "Home\u0000"}, "name has a NUL character in it"),
    ],
)
def test_api_record_with_a_field_of_the_wrong_type_is_skipped_with_the_field_named(change, reason):
    record = {**registered_care_home(), **change}

    report = import_home(record, DEVON_DATE)

    assert not Location.objects.exists()
    assert report.skipped[0][1] == reason
    assert report.skipped_reasons["Not in the format of CQC's API"] == 1


@pytest.mark.parametrize("beds", [10**30, -3, True, "many"])
def test_beds_no_care_home_could_have_are_left_out(beds):
    record = {**registered_care_home(), "numberOfBeds": beds}

    report = import_home(record, DEVON_DATE)

    assert report.created_locations == 1
    assert Location.objects.get().capacity is None


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("nul.csv", b"Location ID,Location Name\n1-101611810,Home\x00\n", "NUL character"),
        ("number.json", b"42", "is not a CQC file we recognise"),
        ("long.json", b'[{"locationId": "1-101611810", "numberOfBeds": ' + b"9" * 5000 + b"}]", "a number too long"),
    ],
)
def test_unreadable_files_give_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        cqc.import_file(actor=None, name=name, content=content, data_date=DEVON_DATE)


# The page ---------------------------------------------------------------------------------------------------


@pytest.fixture
def council_administrator(client, settings):
    settings.COUNCIL_MFA_REQUIRED = False
    client.force_login(member("admin@council.example", "council", "administrator"))
    return client


def post_import(client, name: str, content: bytes, **fields):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("organisations:cqc-import"), {"file": upload, **fields})


@pytest.mark.parametrize(
    "name, content",
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("nul.json", as_json({**{"locationId": "1-101611810"}, "name": "A\u0000B", "postalCode": "TQ1 1AA"})),
        ("nul.csv", b"Location ID,Location Name\n1-101611810,Home\x00\n"),
        ("types.json", as_json([{"locationId": ["1-101611810"], "name": 3, "gacServiceTypes": {"a": 1}}])),
    ],
)
def test_bad_files_are_shown_as_errors_not_server_errors(council_administrator, name, content):
    response = post_import(council_administrator, name, content, **date_fields(DEVON_DATE))

    assert response.status_code == 200
    assert Location.objects.count() == 0


def test_page_asks_for_the_date_and_names_the_nearest_local_authority(council_administrator):
    response = post_import(council_administrator, "london.csv", london_rows(), local_authority="Barking and Dagenam")

    errors = response.context["form"].errors
    assert "Enter the date of this data" in errors["data_date"][0]

    response = post_import(
        council_administrator,
        "london.csv",
        london_rows(),
        local_authority="Barking and Dagenam",
        **date_fields(ENGLAND_DATE),
    )

    assert "Did you mean “Barking and Dagenham”?" in response.context["form"].errors["local_authority"][0]
    assert "There is a problem" in response.content.decode()


def test_page_report_gives_the_date_and_says_what_was_older(council_administrator):
    import_oldham()

    response = post_import(
        council_administrator, ENGLAND.name, read(ENGLAND), local_authority="Oldham", **date_fields(ENGLAND_DATE)
    )

    page = response.content.decode()
    assert "1 April 2021" in page
    assert "44 records were not applied because the portal already has newer CQC data about them" in page
    assert "Nothing was added or updated" in page


def test_page_report_lists_what_was_added(council_administrator):
    response = post_import(
        council_administrator, "torbay.json", read(DEVON), local_authority="Torbay", **date_fields(DEVON_DATE)
    )
    page = response.content.decode()
    assert "Show what was added (154)" in page  # 69 organisations and 85 locations
    assert response.context["report"].added[0][0] == "Organisation"
