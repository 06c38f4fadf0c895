"""The ASC-WDS training file both ways, on files written the way ASC-WDS writes them: its column order, DD/MM/YYYY,
its codes, quoting of commas and newlines, a byte order mark and CRLF line endings. Import, export, compare field by
field: nothing may change that ASC-WDS would store differently, and every row we write is one ASC-WDS accepts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from carenetwork.organisations.models import Organisation
from carenetwork.records.exports import ascwds_training_rows
from carenetwork.records.imports.layouts import ASCWDS_TRAINING_HEADER
from carenetwork.records.models import ImportRun, TrainingCover, TrainingRecord
from tests.factories import LocationFactory, OrganisationFactory
from tests.records.factories import StaffMemberFactory, category, record_for
from tests.records.test_imports_support import ASCWDS_STAFF_HEADER, check, errors, write

pytestmark = pytest.mark.django_db

# Rows as ASC-WDS's own download writes them: every column, codes, DD/MM/YYYY, values as they are.
ASCWDS_ROWS = [
    # External provider on ASC-WDS's list, VALIDITY with the EXPIRYDATE ASC-WDS works out from it.
    [
        "WH-0001",
        "W00001",
        "20",
        "Safeguarding adults, level 2",
        "1",
        "2",
        "88",
        "1",
        "36",
        "15/01/2025",
        "14/01/2028",
        'Notes with a comma, a "quote"\nand a second line',
    ],
    # In-house e-learning, VALIDITY none with an EXPIRYDATE: both kept.
    ["WH-0001", "W00001", "6", "Fire drill", "0", "1", "", "2", "none", "31/03/2025", "30/03/2026", ""],
    # Nothing about expiry: nothing stored, nothing written; the matrix applies the category's period.
    ["WH-0001", "W00001", "15", "", "", "", "", "", "", "02/11/2025", "", "'=an apostrophe is data here"],
    # No completion date: ASC-WDS keeps it, so do we.
    ["WH-0001", "W00002", "13", "Medication awareness", "999", "2", "999", "1", "", "", "", ""],
    # Values a spreadsheet would take for formulas: a machine file carries them exactly.
    ["WH-0001", "W00002", "21", "=Baking", "1", "1", "", "1", "none", "01/05/2024", "", "-3 days; +1 hour; @home"],
    # 120 characters as JavaScript counts them (an emoji is two).
    ["WH-0001", "W00002", "8", "x" * 118 + "\U0001f600", "0", "", "", "", "12", "06/06/2025", "05/06/2026", ""],
]


def ascwds_file(rows: list[list[str]]) -> bytes:
    """A CSV file as ASC-WDS writes one: byte order mark, CRLF, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ASCWDS_TRAINING_HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def team(provider):
    return [
        StaffMemberFactory(organisation=provider, reference="W00001", name="Ann"),
        StaffMemberFactory(organisation=provider, reference="W00002", name="Ben"),
    ]


def _export(client, provider) -> bytes:
    response = client.get(
        reverse("records:export", args=[provider.pk]), {"what": "training-ascwds", "file_type": "csv"}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_an_ascwds_file_comes_back_out_field_by_field(client_for, provider, provider_admin, team, commit):
    run = check(provider_admin, provider, ascwds_file(ASCWDS_ROWS), capture=commit)
    assert run.status == ImportRun.Status.READY, errors(run)
    write(provider_admin, run, capture=commit)
    assert TrainingRecord.objects.count() == len(ASCWDS_ROWS)
    # The one workplace reference of a provider with one location is kept from the file.
    provider.refresh_from_db()
    assert provider.ascwds_workplace_id == "WH-0001"

    data = _export(client_for(provider_admin), provider)
    # A machine file: no byte order mark (ASC-WDS recognises the file by its first heading), CRLF, exact values.
    assert data.startswith(b"LOCALESTID,UNIQUEWORKERID,CATEGORY,")
    assert b"\r\n" in data and b"'" not in data.replace(b"'=an apostrophe", b"")
    rows = _rows(data)
    assert rows[0] == ASCWDS_TRAINING_HEADER
    assert sorted(rows[1:]) == sorted(ASCWDS_ROWS)


def test_what_the_file_says_is_stored_and_the_rules_applied_when_reading(provider, provider_admin, team, commit):
    write(provider_admin, check(provider_admin, provider, ascwds_file(ASCWDS_ROWS), capture=commit), capture=commit)
    ann, ben = team
    silent = TrainingRecord.objects.get(staff=ann, category__code=15)
    assert (silent.expires_on, silent.does_not_expire, silent.accredited, silent.validity_months) == (
        None,
        False,
        "",
        None,
    )
    # Assisting and moving people is renewed every year: the cover says so, the record does not.
    assert TrainingCover.objects.get(staff=ann, category__code=15).expires_on == datetime.date(2026, 11, 1)
    fire = TrainingRecord.objects.get(staff=ann, category__code=6)
    assert (fire.does_not_expire, fire.expires_on) == (True, datetime.date(2026, 3, 30))
    undated = TrainingRecord.objects.get(staff=ben, category__code=13)
    assert undated.completed_on is None
    assert not TrainingCover.objects.filter(staff=ben, category__code=13).exists()  # never in date
    assert silent.notes == "'=an apostrophe is data here"
    baking = TrainingRecord.objects.get(staff=ben, category__code=21)
    assert (baking.training_name, baking.notes) == ("=Baking", "-3 days; +1 hour; @home")


def test_people_and_workplaces_ascwds_would_reject_are_left_out_and_named(client_for, provider, provider_admin, team):
    ann, ben = team
    record_for(ann, 20, datetime.date(2026, 1, 15))
    record_for(ben, 20, datetime.date(2026, 1, 15))
    nobody = StaffMemberFactory(organisation=provider, reference="", name="Nora Noref")
    record_for(nobody, 20, datetime.date(2026, 1, 15))
    client = client_for(provider_admin)
    # No workplace reference at all: every row would be refused (ASC-WDS error 997), so none is written.
    assert _rows(_export(client, provider)) == [ASCWDS_TRAINING_HEADER]
    page = client.get(reverse("records:export", args=[provider.pk])).content.decode()
    assert "Your ASC-WDS workplace reference is missing" in page
    assert "Nora Noref" in page  # no UNIQUEWORKERID (errors 1010, 996)
    # One location has a reference; the people not at it are named.
    house = provider.locations.get()
    house.ascwds_workplace_id = "WH-0001"
    house.save()
    ann.location = house
    ann.save()
    rows = _rows(_export(client, provider))
    assert [r[:2] for r in rows[1:]] == [["WH-0001", "W00001"]]
    page = client.get(reverse("records:export", args=[provider.pk])).content.decode()
    assert "1 person is left out: no workplace reference" in page and ">Ben<" in page
    assert "Your ASC-WDS workplace reference is missing" not in page


def test_asking_for_the_ascwds_file_as_xlsx_still_gives_csv(client_for, provider, provider_admin):
    response = client_for(provider_admin).get(
        reverse("records:export", args=[provider.pk]), {"what": "training-ascwds", "file_type": "xlsx"}
    )
    assert response["Content-Disposition"].endswith('.csv"')
    assert b"".join(response.streaming_content).startswith(b"LOCALESTID,")


def test_brokered_training_goes_out_with_the_training_providers_ascwds_code(provider, team):
    provider.ascwds_workplace_id = "WCH"
    provider.save()
    academy = OrganisationFactory(name="Eastmarsh Care Academy", kind=Organisation.Kind.TRAINING)
    ann, ben = team
    brokered = dict(
        source=TrainingRecord.Source.BROKERED,
        delivered_by=TrainingRecord.DeliveredBy.EXTERNAL,
        provider_name="Eastmarsh Care Academy",
    )
    record_for(ann, 20, datetime.date(2026, 1, 15), **brokered)
    record_for(ben, 20, datetime.date(2026, 1, 15), provider_code=40, **brokered)
    rows = {r[1]: r for r in list(ascwds_training_rows(provider))[1:]}
    assert rows["W00001"][5:7] == [2, 999]  # no code known: other
    assert rows["W00002"][5:7] == [2, 40]  # the code written at the time
    academy.ascwds_provider_code = 88  # set later: brokered records follow it
    academy.save()
    rows = {r[1]: r for r in list(ascwds_training_rows(provider))[1:]}
    assert rows["W00001"][5:7] == [2, 88]


def test_an_ascwds_staff_file_teaches_us_the_locations_workplace_references(provider, provider_admin, commit):
    LocationFactory(organisation=provider, name="Willow Lodge", ascwds_workplace_id="WL-9")
    header = list(ASCWDS_STAFF_HEADER)
    base = dict.fromkeys(header, "")
    rows = []
    for local_id, reference in (("Willow House", "W1"), ("WL-9", "W2")):
        rows.append(
            {
                **base,
                "LOCALESTID": local_id,
                "UNIQUEWORKERID": reference,
                "STATUS": "NEW",
                "DISPLAYID": reference,
                "STARTDATE": "01/04/2024",
                "MAINJOBROLE": "8",
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    run = check(
        provider_admin,
        provider,
        buffer.getvalue().encode(),
        kind=ImportRun.Kind.STAFF,
        name="staff.csv",
        capture=commit,
    )
    assert run.status == ImportRun.Status.READY, errors(run)
    write(provider_admin, run, capture=commit)
    house = provider.locations.get(name="Willow House")
    assert house.ascwds_workplace_id == "Willow House"  # the file named it so: that is its LOCALESTID
    people = {p.reference: p.location.name for p in provider.staff.select_related("location")}
    assert people == {"W1": "Willow House", "W2": "Willow Lodge"}  # matched by reference, then by name


def test_a_record_with_no_completion_date_survives_our_template_too(client_for, provider, provider_admin, team, commit):
    ann = team[0]
    TrainingRecord.objects.create(staff=ann, category=category(13), training_name="Medication awareness")
    response = client_for(provider_admin).get(
        reverse("records:export", args=[provider.pk]), {"what": "training-template", "file_type": "csv"}
    )
    data = b"".join(response.streaming_content)
    TrainingRecord.objects.all().delete()
    run = check(provider_admin, provider, data, capture=commit)
    assert run.status == ImportRun.Status.READY, errors(run)
    write(provider_admin, run, capture=commit)
    record = TrainingRecord.objects.get()
    assert (record.completed_on, record.training_name, record.category.code) == (None, "Medication awareness", 13)
