"""The capacity returns upload: a provider admin downloads a template pre-filled from the latest returns and uploads
it; every row is checked with the one-location form's rules and saved all or nothing, through the same save (audited,
the sub-markets' kept figures refreshed once)."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.market import figures, returns_upload
from carenetwork.market.figures import market_figures_recount, refresh_locations
from carenetwork.market.models import CapacityReturn
from carenetwork.market.returns import fields_for
from carenetwork.market.returns_upload import COLUMNS, check_upload, template_rows, upload_save
from carenetwork.organisations.models import Location, ServiceType
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

NOVEMBER, OCTOBER = datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)
FIGURES = {"beds": 40, "occupied": 35, "vacant_accepting": 3, "vacant_reserved": 1, "care_direct": 30, "care_agency": 6}


@pytest.fixture(autouse=True)
def _in_the_window():
    with time_machine.travel("2026-11-10 12:00 +0000", tick=False):
        yield


@pytest.fixture
def home(provider):
    return provider.locations.get()


@pytest.fixture
def office(provider):
    """A home care service of the same provider."""
    return LocationFactory(organisation=provider, name="Willow Home Care", service_type=home_care())


def home_care():
    return ServiceType.objects.get(ascwds_code=8)


def returned(location, month, **values):
    made = CapacityReturn.objects.create(location=location, month=month, **{**FIGURES, **values})
    refresh_locations([location])
    return made


def row(location=None, **cells) -> dict:
    base = {"location_id": location.pk, "location_name": location.name} if location else {}
    return {**base, **cells}


def csv_file(rows, *, columns=COLUMNS, bom=False, name="returns.csv", encoding="utf-8") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for cells in rows:
        writer.writerow([cells.get(c, "") for c in columns])
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def messages_of(checked) -> list[str]:
    return [str(p) for p in checked.problems]


def upload(user, provider, *rows, **kwargs):
    return upload_save(actor=user, organisations=[provider], file=csv_file(rows, **kwargs))


# Saving ------------------------------------------------------------------------------------------------------------


def test_a_good_file_saves_every_row_audited_and_the_kept_figures_equal_a_recount(provider_admin, provider, office):
    homes = [provider.locations.get(name="Willow House"), LocationFactory(organisation=provider, name="Ash Lodge")]
    checked = upload(
        provider_admin,
        provider,
        row(homes[0], **FIGURES),
        row(homes[1], beds=20, occupied=18, vacant_accepting=2, nurses_direct=4),
        row(office, people=80, hours=1200, taking_new="Yes", care_direct=25),
    )
    assert checked.problems == [] and checked.saved == 3
    saved = {r.location_id: r for r in CapacityReturn.objects.filter(month=NOVEMBER)}
    assert {k: getattr(saved[homes[0].pk], k) for k in FIGURES} == FIGURES
    assert (saved[homes[1].pk].occupied, saved[homes[1].pk].nurses_direct, saved[homes[1].pk].people) == (18, 4, None)
    assert (saved[office.pk].people, saved[office.pk].hours, saved[office.pk].taking_new) == (80, 1200, True)
    assert all(r.submitted_by == provider_admin and not r.no_change for r in saved.values())
    assert AuditEvent.objects.filter(action="capacity_return.saved", organisation=provider).count() == 3
    assert market_figures_recount() == []
    assert returns_upload.saved_message(checked) == "3 returns saved for November 2026"


def test_the_page_saves_and_says_how_many(client_for, provider_admin, home):
    client = client_for(provider_admin)
    response = client.post(reverse("market:returns-upload"), {"upload": csv_file([row(home, **FIGURES)])})
    assert response.status_code == 302 and response.url == reverse("market:returns")
    page = client.get(response.url).content.decode()
    assert "1 return saved for November 2026" in page
    assert CapacityReturn.objects.get(location=home, month=NOVEMBER).beds == 40


def test_one_bad_row_saves_nothing_and_the_page_lists_it(client_for, provider_admin, provider, home):
    second = LocationFactory(organisation=provider, name="Ash Lodge")
    file = csv_file([row(home, **FIGURES), row(second, beds=25, occupied=30)])
    response = client_for(provider_admin).post(reverse("market:returns-upload"), {"upload": file})
    assert response.status_code == 200
    assert not CapacityReturn.objects.exists() and not AuditEvent.objects.filter(action="capacity_return.saved")
    page = response.content.decode()
    assert "govuk-error-summary" in page and "The file has 1 problem: nothing has been saved" in page
    assert "Beds occupied cannot be more than the maximum bed capacity of 25" in page and "Ash Lodge" in page
    assert [(p.row, p.location) for p in response.context["problems"]] == [(3, "Ash Lodge")]


def test_a_row_with_no_figures_is_left_out_not_saved_as_an_empty_return(provider_admin, provider, home):
    second = LocationFactory(organisation=provider, name="Ash Lodge")
    checked = upload(provider_admin, provider, row(home, **FIGURES), row(second))
    assert checked.saved == 1 and checked.blank == 1
    assert list(CapacityReturn.objects.values_list("location", flat=True)) == [home.pk]
    assert "1 row had no figures and was left out" in returns_upload.saved_message(checked)


def test_a_return_already_made_this_month_is_changed(provider_admin, provider, home):
    returned(home, NOVEMBER)
    assert upload(provider_admin, provider, row(home, **{**FIGURES, "occupied": 36})).problems == []
    assert CapacityReturn.objects.get(location=home, month=NOVEMBER).occupied == 36
    event = AuditEvent.objects.get(action="capacity_return.saved")
    assert event.changes == {"occupied": [35, 36]}
    assert market_figures_recount() == []


def test_a_location_is_found_by_its_cqc_id_when_its_id_is_blank(provider_admin, provider, home):
    checked = upload(provider_admin, provider, {"cqc_location_id": "1-123456789", **FIGURES})
    assert checked.problems == [] and CapacityReturn.objects.get(month=NOVEMBER).location == home


@pytest.mark.parametrize("bom", [True, False])
def test_utf8_with_or_without_a_byte_order_mark(provider_admin, provider, home, bom):
    Location.objects.filter(pk=home.pk).update(name="Willow House – Annexe")
    assert upload(provider_admin, provider, row(home, **FIGURES), bom=bom).problems == []
    assert CapacityReturn.objects.filter(location=home, month=NOVEMBER).exists()


def test_headers_are_read_whatever_their_case_and_spacing(provider_admin, provider, home):
    columns = [c.upper().replace("_", " ") for c in COLUMNS]
    file = csv_file([{columns[0]: home.pk, columns[3]: 12}], columns=columns)
    assert upload_save(actor=provider_admin, organisations=[provider], file=file).problems == []
    assert CapacityReturn.objects.get(location=home).beds == 12


def test_sub_markets_are_refreshed_once_for_the_whole_file(provider_admin, provider, home, monkeypatch):
    others = [LocationFactory(organisation=provider, area=home.area) for _ in range(4)]
    calls = []
    real = figures.refresh_locations
    monkeypatch.setattr(figures, "refresh_locations", lambda locations: calls.append(1) or real(locations))
    checked = upload(provider_admin, provider, *(row(loc, beds=10, occupied=5) for loc in [home, *others]))
    assert checked.saved == 5 and len(calls) == 1
    assert market_figures_recount() == []


# The template ------------------------------------------------------------------------------------------------------


def test_the_template_has_a_row_per_location_pre_filled_from_the_latest_return(provider, home, office):
    returned(home, OCTOBER)
    returned(office, OCTOBER, beds=None, occupied=None, people=50, hours=700, taking_new=False)
    header, *rows = list(template_rows([provider]))
    assert header == COLUMNS
    by_name = {r[2]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_name["Willow House"]["location_id"] == home.pk
    assert by_name["Willow House"]["cqc_location_id"] == "1-123456789"
    assert by_name["Willow House"]["occupied"] == 35 and by_name["Willow House"]["people"] == ""
    assert (by_name["Willow Home Care"]["people"], by_name["Willow Home Care"]["taking_new"]) == (50, "no")
    assert by_name["Willow Home Care"]["beds"] == ""  # a home care service returns no beds


def test_the_template_uploaded_unchanged_saves_a_no_change_return_for_every_location(
    client_for, provider_admin, provider, home, office
):
    more = [LocationFactory(organisation=provider) for _ in range(3)]
    for location in [home, *more]:
        returned(location, OCTOBER)
    returned(office, OCTOBER, beds=None, occupied=None, people=50, hours=700, taking_new=True)
    client = client_for(provider_admin)
    download = client.get(reverse("market:returns-template"))
    assert download["Content-Disposition"] == 'attachment; filename="capacity-returns-2026-11.csv"'
    content = b"".join(download.streaming_content)
    assert content.startswith("\ufeff".encode())
    file = SimpleUploadedFile("capacity-returns-2026-11.csv", content, content_type="text/csv")
    response = client.post(reverse("market:returns-upload"), {"upload": file})
    assert response.status_code == 302
    november = {r.location_id: r for r in CapacityReturn.objects.filter(month=NOVEMBER)}
    october = {r.location_id: r for r in CapacityReturn.objects.filter(month=OCTOBER)}
    assert set(november) == {home.pk, office.pk, *(m.pk for m in more)}
    for pk, made in november.items():
        wanted = fields_for(made.location)
        assert made.no_change
        assert [getattr(made, n) for n in wanted] == [getattr(october[pk], n) for n in wanted]
    assert market_figures_recount() == []


def test_another_providers_template_holds_only_its_own_locations(client_for, other_admin, other_provider, home):
    LocationFactory(organisation=other_provider, name="Heron Court")
    content = b"".join(client_for(other_admin).get(reverse("market:returns-template")).streaming_content).decode()
    assert "Heron Court" in content and "Willow House" not in content


# Problems ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"beds": 25, "occupied": 30}, "Row 2: Beds occupied cannot be more than the maximum bed capacity of 25"),
        ({"beds": 10, "occupied": 8, "vacant_accepting": 2, "vacant_reserved": 1}, "add up to 11, more than"),
        ({"beds": "ten"}, "Row 2: Enter maximum bed capacity as a whole number, like 12"),
        ({"beds": "12.5"}, "Row 2: Enter maximum bed capacity as a whole number, like 12"),
        ({"occupied": "-1"}, "Row 2: Beds occupied cannot be less than 0"),
        ({"care_direct": "200000"}, "Row 2: Care staff, directly employed must be 100,000 or fewer"),
        ({"people": "5"}, "Row 2: leave people blank: Willow House does not return people receiving care"),
    ],
)
def test_each_wrong_figure_is_reported_by_row_in_plain_words(provider_admin, provider, home, cells, message):
    checked = upload(provider_admin, provider, row(home, **cells))
    assert len(checked.problems) == 1 and message in messages_of(checked)[0]
    assert checked.problems[0].location == "Willow House"
    assert not CapacityReturn.objects.exists()


def test_new_packages_must_be_yes_or_no(provider_admin, provider, office):
    checked = upload(provider_admin, provider, row(office, people=3, taking_new="maybe"))
    assert messages_of(checked) == ["Row 2: Answer yes or no to: can take new packages of care"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"location_id": "999999", "beds": 3}, "Row 2: location id 999999 is not one of your services"),
        ({"location_id": "abc", "beds": 3}, "Row 2: the location id abc is not a number: copy it from the template"),
        (
            {"cqc_location_id": "1-000000000", "beds": 3},
            "Row 2: CQC location ID 1-000000000 is not one of your services",
        ),
        ({"location_name": "Willow House", "beds": 3}, "Row 2: give the location id (or the CQC location ID)"),
    ],
)
def test_a_row_that_names_no_known_service_is_reported(provider_admin, provider, home, cells, message):
    checked = upload(provider_admin, provider, cells)
    assert message in messages_of(checked)[0]


def test_another_organisations_location_is_refused_without_its_name(provider_admin, provider, home, other_provider):
    theirs = LocationFactory(organisation=other_provider, name="Heron Court", cqc_location_id="1-987654321")
    checked = upload(
        provider_admin,
        provider,
        row(home, **FIGURES),
        {"location_id": theirs.pk, "beds": 3},
        {"cqc_location_id": "1-987654321", "beds": 3},
    )
    assert messages_of(checked) == [
        f"Row 3: location id {theirs.pk} is not one of your services",
        "Row 4: CQC location ID 1-987654321 is not one of your services",
    ]
    assert all("Heron" not in p.location and "Heron" not in p.message for p in checked.problems)
    assert not CapacityReturn.objects.exists()


def test_one_of_your_closed_locations_is_named_as_not_asked_for_a_return(provider_admin, provider, home):
    closed = LocationFactory(organisation=provider, name="Old Rectory", is_active=False)
    checked = upload(provider_admin, provider, row(closed, beds=3))
    assert messages_of(checked) == [
        "Row 2: Old Rectory is not asked for a capacity return: it is closed or has no service type"
    ]


def test_the_same_location_twice_is_refused(provider_admin, provider, home):
    checked = upload(provider_admin, provider, row(home, **FIGURES), {"cqc_location_id": "1-123456789", **FIGURES})
    assert messages_of(checked) == ["Row 3: Willow House is also in row 2: give each service once"]
    assert not CapacityReturn.objects.exists()


def test_every_problem_of_every_row_is_reported_at_once(provider_admin, provider, home, office):
    checked = upload(provider_admin, provider, row(home, beds="x", occupied="-2"), row(office, hours="many"))
    assert [p.row for p in checked.problems] == [2, 2, 3]


def upload_file(user, provider, content: bytes, name="returns.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return check_upload(actor=user, organisations=[provider], file=file)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\xef\xbb\xbf\r\n", "The file is empty"),
        (",".join(COLUMNS).encode() + b"\r\n", "The file has no rows of figures under its column names"),
        (b"PK\x03\x04rest-of-a-workbook", "The file must be a CSV file. Save your spreadsheet as CSV"),
        (b"%PDF-1.7\x00\x01\x02", "The file must be a CSV file: this one's content is not text"),
        (
            ("location_id,bedz," + ",".join(COLUMNS[2:4])).encode() + b"\r\n1,2,3,4\r\n",
            "The first row must be the template's column names. Missing: cqc_location_id, occupied, vacant_accepting,",
        ),
        (
            ("location_id,bedz," + ",".join(COLUMNS[2:4])).encode() + b"\r\n1,2,3,4\r\n",
            "Not in the template: bedz.",
        ),
        (
            ",".join([*COLUMNS, "beds"]).encode() + b"\r\n1\r\n",
            "More than once: beds.",
        ),
    ],
)
def test_a_file_that_is_not_a_returns_file_gets_one_clear_message(provider_admin, provider, home, content, message):
    checked = upload_file(provider_admin, provider, content)
    assert len(checked.problems) == 1 and checked.problems[0].row is None
    assert message in str(checked.problems[0])


def test_a_spreadsheet_is_refused_by_its_name_with_how_to_save_it_as_csv(provider_admin, provider, home):
    checked = upload_file(provider_admin, provider, b"location_id\r\n", name="returns.xlsx")
    assert "Save your spreadsheet as CSV" in str(checked.problems[0])


def test_a_file_too_large_is_refused_before_it_is_read(provider_admin, provider, home, monkeypatch):
    monkeypatch.setattr(returns_upload, "MAX_BYTES", 100)
    checked = upload(provider_admin, provider, row(home, **FIGURES))
    assert messages_of(checked) == ["The file must be smaller than 2 MB"]


def test_a_file_with_too_many_rows_is_refused(provider_admin, provider, home, monkeypatch):
    monkeypatch.setattr(returns_upload, "MAX_ROWS", 2)
    checked = upload(provider_admin, provider, *[row(home, beds=1)] * 3)
    assert messages_of(checked) == ["The file has more than 2 rows. Split it into files of up to 2 rows"]


def test_a_windows_1252_file_is_read(provider_admin, provider, home):
    file = csv_file([row(home, location_name="Willow House – £", beds=3)], encoding="cp1252")
    assert upload_save(actor=provider_admin, organisations=[provider], file=file).problems == []


def test_the_page_shows_a_file_problem_in_the_error_summary(client_for, provider_admin, home):
    file = SimpleUploadedFile("returns.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = client_for(provider_admin).post(reverse("market:returns-upload"), {"upload": file})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page and 'href="#id_upload"' in page
    assert "Save your spreadsheet as CSV" in page


def test_posting_no_file_asks_for_one(client_for, provider_admin, home):
    response = client_for(provider_admin).post(reverse("market:returns-upload"), {})
    assert "Choose a CSV file" in response.content.decode()


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["provider_member", "council_officer", "council_admin"])
def test_only_a_providers_admins_upload(request, client_for, home, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("market:returns-upload")).status_code == 403
    assert client.get(reverse("market:returns-template")).status_code == 403
    file = csv_file([row(home, **FIGURES)])
    assert client.post(reverse("market:returns-upload"), {"upload": file}).status_code == 403
    assert not CapacityReturn.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client_for, home):
    response = client_for(None).get(reverse("market:returns-upload"))
    assert response.status_code == 302 and "login" in response.url


def test_another_providers_admin_cannot_upload_for_this_provider(client_for, other_admin, provider, home):
    file = csv_file([row(home, **FIGURES)])
    response = client_for(other_admin).post(reverse("market:returns-upload"), {"upload": file})
    page = response.content.decode()
    assert f"ocation id {home.pk} is not one of your services" in page
    assert "Willow House" not in page
    assert not CapacityReturn.objects.exists()


def test_the_service_ignores_organisations_the_person_does_not_administer(provider_admin, other_admin, provider, home):
    checked = upload(other_admin, provider, row(home, **FIGURES))
    assert messages_of(checked) == ["You make capacity returns for no provider"]
    assert not CapacityReturn.objects.exists()


def test_a_provider_member_is_refused_by_the_service(provider_member, provider, home):
    assert messages_of(upload(provider_member, provider, row(home, **FIGURES))) == [
        "You make capacity returns for no provider"
    ]


# Queries -----------------------------------------------------------------------------------------------------------


def test_checking_takes_the_same_queries_however_many_rows(provider_admin, provider, home):
    locations = [home, *(LocationFactory(organisation=provider) for _ in range(6))]
    for location in locations:
        returned(location, OCTOBER)

    def check(n):
        file = csv_file([row(loc, beds=10, occupied=5) for loc in locations[:n]])
        with CaptureQueriesContext(connection) as queries:
            assert check_upload(actor=provider_admin, organisations=[provider], file=file).problems == []
        return len(queries)

    check(1)  # the person's memberships are read once, then kept
    assert check(2) == check(7)


def test_saving_takes_a_few_queries_a_row_and_refreshes_once(provider_admin, provider, home):
    locations = [home, *(LocationFactory(organisation=provider, area=home.area) for _ in range(10))]

    def save(rows, month_value):
        file = csv_file([row(loc, beds=month_value, occupied=1) for loc in rows])
        with CaptureQueriesContext(connection) as queries:
            assert upload_save(actor=provider_admin, organisations=[provider], file=file).problems == []
        return len(queries)

    few, many = save(locations[:1], 10), save(locations[1:], 10)
    # The same save as one return (get or create, checks, save, audit) for each row; the rest once per file.
    assert (many - few) / 9 <= 10
