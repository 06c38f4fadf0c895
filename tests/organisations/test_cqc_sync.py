"""Keeping the directory in step with CQC's API (issue 15), against responses recorded in shared/data/cqc/oldham.

No network: the sync is given a fetch that serves the recorded responses (a stand-in for HTTP only), and the
command's tests serve the same responses from a server on 127.0.0.1, so that the real HTTP client is used.
"""

import copy
import datetime
import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from carenetwork.core.models import AuditEvent
from carenetwork.organisations import cqc
from carenetwork.organisations.cqc import api, sync
from carenetwork.organisations.models import CqcDeregistration, Location, Organisation
from tests.organisations.test_cqc_import import (
    DEVON,
    OLDHAM,
    OLDHAM_DATE,
    OLDHAM_LOCATIONS,
    OLDHAM_ORGANISATIONS,
    import_oldham,
    oldham_location,
    read,
)

pytestmark = pytest.mark.django_db

# The Oldham responses were fetched on 21 March 2025: the syncs here run that day, at these times (UTC).
MORNING = datetime.datetime(2025, 3, 21, 6, 0, tzinfo=datetime.UTC)
NOON = datetime.datetime(2025, 3, 21, 12, 0, tzinfo=datetime.UTC)
EVENING = datetime.datetime(2025, 3, 21, 18, 0, tzinfo=datetime.UTC)
SINCE = datetime.datetime(2025, 3, 20, 0, 0, tzinfo=datetime.UTC)

LABURNUM, LABURNUM_PROVIDER = "1-119238580", "1-101612188"  # Laburnum House Shaw Limited, a care home
ANBRIDGE, ANBRIDGE_PROVIDER = "1-112467585", "1-101630228"  # Anbridge Care Home
EBENEZER = "1-10024040008"  # Ebenezer Care Services: home care, its provider's record not among Oldham's


@pytest.fixture(autouse=True)
def _needs_cqc_data():
    if not OLDHAM.is_dir():
        pytest.skip(f"The CQC data files are not at {OLDHAM.parent}")


def oldham_ids(kind: str) -> list[str]:
    """The IDs of every Oldham location or provider, from the recorded list envelope."""
    listing = json.loads(read(OLDHAM / f"{kind}s_list_response.json"))
    return [entry[f"{kind}Id"] for entry in listing[f"{kind}s"]]


class RecordedApi:
    """CQC's API as recorded: a `changes` envelope, shaped as the recorded list envelopes, listing the IDs a test
    names, and each record's own recorded response (or one a test changed). Stands in for HTTP only."""

    def __init__(self, *, locations=(), providers=(), base_url=api.DEFAULT_BASE_URL):
        self.base_url = base_url
        self.changes = {"location": list(locations), "provider": list(providers)}
        self.records: dict[tuple[str, str], dict] = {}  # (kind, ID) → a response in place of the recorded one
        self.failures: dict[str, list[tuple[int, str | None]]] = {}  # path → (HTTP status, Retry-After), in turn
        self.requests: list[tuple[str, dict]] = []

    def fail(self, path: str, status: int, *, retry_after: str | None = None, times: int = 1) -> None:
        self.failures.setdefault(path, []).extend([(status, retry_after)] * times)

    def answer(self, path: str, params: dict) -> tuple[int, str | None, dict | None]:
        """(HTTP status, Retry-After, JSON) for a path under the base URL."""
        self.requests.append((path, params))
        if self.failures.get(path):
            status, retry_after = self.failures[path].pop(0)
            return status, retry_after, {"message": "recorded failure"}
        if path.startswith("changes/"):
            return 200, None, self.envelope(path.split("/")[1], params)
        folder, cqc_id = path.split("/")
        kind = folder.removesuffix("s")
        if (kind, cqc_id) in self.records:
            return 200, None, copy.deepcopy(self.records[(kind, cqc_id)])
        path = OLDHAM / folder / f"{kind}_{cqc_id}.json"
        if not path.is_file():
            return 404, None, {"message": "not found"}
        return 200, None, json.loads(read(path))

    def envelope(self, kind: str, params: dict) -> dict:
        listing = json.loads(read(OLDHAM / f"{kind}s_list_response.json"))
        del listing[f"{kind}s"]
        ids, per_page, page = self.changes[kind], int(params["perPage"]), int(params["page"])
        pages = max(1, math.ceil(len(ids) / per_page))
        window = f"startTimestamp={params['startTimestamp']}&endTimestamp={params['endTimestamp']}"

        def uri(number):
            return f"/changes/{kind}?page={number}&perPage={per_page}&{window}" if 1 <= number <= pages else None

        listing.update(
            total=len(ids),
            page=page,
            perPage=per_page,
            totalPages=pages,
            firstPageUri=uri(1),
            previousPageUri=uri(page - 1),
            nextPageUri=uri(page + 1),
            lastPageUri=uri(pages),
            uri=f"/changes/{kind}",
            changes=ids[(page - 1) * per_page : page * per_page],
        )
        return listing

    def __call__(self, url: str, params: dict) -> dict:
        """The fetch the sync is given."""
        assert url.startswith(f"{self.base_url}/")
        status, retry_after, data = self.answer(url.removeprefix(f"{self.base_url}/"), params)
        if status != 200:
            raise api.error_for(status, url, api.retry_after_seconds(retry_after))
        return data

    def fetched(self, prefix: str) -> list[str]:
        return [path for path, _params in self.requests if path.startswith(prefix)]


def run_sync(recorded: RecordedApi, *, since=None, **options) -> sync.SyncResult:
    since = since or sync.last_synced(options.get("local_authority", "")) or SINCE
    return sync.sync_changes(actor=None, fetch=recorded, since=since, sleep=lambda seconds: None, **options)


def events() -> int:
    """Audit events of changes to the directory (each import and sync also records one of its own)."""
    return AuditEvent.objects.exclude(action__in=["cqc.imported", sync.SYNCED]).count()


def directory() -> dict:
    """What the directory holds, field by field."""
    organisations = {
        o.cqc_provider_id: (o.name, o.address, o.postcode, o.area, o.phone, o.website, o.cqc_data_date)
        + tuple(sorted(o.sectors.values_list("slug", flat=True)))
        for o in Organisation.objects.filter(kind="provider")
    }
    locations = {
        loc.cqc_location_id: (
            loc.organisation.cqc_provider_id,
            loc.name,
            loc.address,
            loc.town,
            loc.postcode,
            loc.area,
            loc.service_type.ascwds_code if loc.service_type else None,
            loc.capacity,
            loc.cqc_rating,
            loc.local_authority,
            loc.is_active,
            loc.cqc_data_date,
        )
        for loc in Location.objects.select_related("organisation", "service_type")
    }
    deregistered = set(CqcDeregistration.objects.values_list("kind", "cqc_id", "data_date"))
    return {"organisations": organisations, "locations": locations, "deregistered": deregistered}


@pytest.fixture
def at(time_machine):
    """Move the clock to a moment (it stands still there)."""
    return lambda moment: time_machine.move_to(moment, tick=False)


# Applying CQC's changes as the file import applies the same records ---------------------------------------


def test_first_sync_adds_what_the_file_import_of_the_same_records_adds(at):
    at(NOON)
    recorded = RecordedApi(locations=oldham_ids("location"), providers=oldham_ids("provider"))

    result = run_sync(recorded)

    assert result.changed_locations == 451 and result.changed_providers == 20
    assert result.report.created_organisations == OLDHAM_ORGANISATIONS
    assert result.report.created_locations == OLDHAM_LOCATIONS
    assert result.report.data_date == OLDHAM_DATE
    synced = directory()
    Location.objects.all().delete()
    Organisation.objects.all().delete()
    CqcDeregistration.objects.all().delete()
    report = import_oldham()
    assert report.created_organisations == OLDHAM_ORGANISATIONS
    assert directory() == synced


def test_sync_records_the_window_and_the_next_sync_starts_where_it_ended(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM], providers=[LABURNUM_PROVIDER])

    run_sync(recorded, since=MORNING)

    event = AuditEvent.objects.get(action=sync.SYNCED)
    assert event.changes["since"] == "2025-03-21T06:00:00Z"
    assert event.changes["until"] == "2025-03-21T12:00:00Z"
    assert event.changes["created_locations"] == 1
    assert sync.last_synced() == NOON
    assert recorded.requests[0] == (
        "changes/location",
        {"startTimestamp": "2025-03-21T06:00:00Z", "endTimestamp": "2025-03-21T12:00:00Z", "perPage": 1000, "page": 1},
    )


def test_second_sync_over_the_same_changes_changes_nothing(at):
    at(NOON)
    recorded = RecordedApi(locations=oldham_ids("location")[:60] + [LABURNUM], providers=[LABURNUM_PROVIDER])
    first = run_sync(recorded)
    before, changes = directory(), events()

    at(EVENING)
    second = run_sync(recorded)

    assert first.report.changed
    assert not second.report.changed
    assert second.report.unchanged == first.report.created_locations + 1  # and Laburnum's provider
    assert directory() == before
    assert events() == changes
    assert second.since == NOON  # it started where the first ended
    windows = [(p["startTimestamp"], p["endTimestamp"]) for path, p in recorded.requests if path.startswith("changes/")]
    assert windows[-1] == ("2025-03-21T12:00:00Z", "2025-03-21T18:00:00Z")


def test_repeat_sync_finds_matches_without_a_query_per_record(at, django_assert_max_num_queries):
    at(NOON)
    recorded = RecordedApi(locations=oldham_ids("location"), providers=oldham_ids("provider"))
    run_sync(recorded)
    at(EVENING)

    with django_assert_max_num_queries(12):
        result = run_sync(recorded)

    assert result.report.unchanged > 100


def test_a_later_response_with_a_new_name_or_a_deregistration_updates_the_directory(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM, ANBRIDGE], providers=[LABURNUM_PROVIDER, ANBRIDGE_PROVIDER])
    run_sync(recorded)
    anbridge = Location.objects.get(cqc_location_id=ANBRIDGE)
    assert anbridge.is_active

    at(EVENING)
    renamed = {**oldham_location(LABURNUM), "name": "Laburnum House"}
    gone = {**oldham_location(ANBRIDGE), "registrationStatus": "Deregistered", "deregistrationDate": "2025-03-21"}
    recorded = RecordedApi(locations=[LABURNUM, ANBRIDGE])
    recorded.records = {("location", LABURNUM): renamed, ("location", ANBRIDGE): gone}
    result = run_sync(recorded)

    assert result.report.updated_locations == 2
    laburnum = Location.objects.get(cqc_location_id=LABURNUM)
    assert laburnum.name == "Laburnum House"
    event = AuditEvent.objects.get(action="location.updated", object_id=str(laburnum.pk))
    assert event.changes == {"name": ["Laburnum House Shaw Limited", "Laburnum House"]}
    anbridge.refresh_from_db()
    assert not anbridge.is_active
    assert CqcDeregistration.objects.get(cqc_id=ANBRIDGE).data_date == OLDHAM_DATE


def test_older_file_data_does_not_overwrite_what_a_sync_brought(at):
    at(NOON)
    run_sync(RecordedApi(locations=[LABURNUM], providers=[LABURNUM_PROVIDER]))

    older = {**oldham_location(LABURNUM), "name": "Laburnum House (old name)"}
    report = cqc.import_file(
        actor=None, name="laburnum.json", content=json.dumps(older).encode(), data_date=OLDHAM_DATE.replace(day=20)
    )

    assert report.skipped_older == 1
    assert Location.objects.get(cqc_location_id=LABURNUM).name == "Laburnum House Shaw Limited"


def test_sync_skips_what_the_portal_has_from_newer_data(at):
    # The dates rule is the importer's, whichever way the records come: here the clock of the sync is behind the
    # date of a file imported before it.
    at(NOON + datetime.timedelta(days=1))
    renamed = {**oldham_location(LABURNUM), "name": "Laburnum House"}
    cqc.import_file(
        actor=None, name="laburnum.json", content=json.dumps(renamed).encode(), data_date=datetime.date(2025, 3, 22)
    )
    at(NOON)

    result = run_sync(RecordedApi(locations=[LABURNUM]))

    assert result.report.skipped_older == 1
    assert not result.report.changed
    assert Location.objects.get(cqc_location_id=LABURNUM).name == "Laburnum House"


# Paging, and records outside the local authority ------------------------------------------------------------


def test_changes_are_read_across_pages_and_each_changed_record_fetched_once(at):
    at(NOON)
    ids = oldham_ids("location")[:25]
    recorded = RecordedApi(locations=[*ids[:12], ids[3], *ids[12:]])  # one listed on two pages

    result = run_sync(recorded, per_page=10)

    pages = [params["page"] for path, params in recorded.requests if path == "changes/location"]
    assert pages == [1, 2, 3]
    assert all(params["perPage"] == 10 for path, params in recorded.requests if path.startswith("changes/"))
    assert sorted(recorded.fetched("locations/")) == sorted(f"locations/{cqc_id}" for cqc_id in ids)
    assert result.changed_locations == 25
    assert result.report.total == 25
    assert result.requests == 3 + 1 + 25  # three pages of locations, one of providers, and the records


def test_records_outside_the_local_authority_are_skipped_as_the_file_import_skips_them(at):
    at(NOON)
    torbay = next(r for r in json.loads(read(DEVON)) if r["localAuthority"] == "Torbay" and r.get("numberOfBeds"))
    recorded = RecordedApi(locations=[LABURNUM, torbay["locationId"]])
    recorded.records = {("location", torbay["locationId"]): torbay}

    result = run_sync(recorded, local_authority="Oldham")

    assert result.report.created_locations == 1
    assert result.report.skipped_reasons["Outside Oldham"] == 1
    assert not Location.objects.filter(cqc_location_id=torbay["locationId"]).exists()
    # The mark is Oldham's: a sync of every area has not been done, so it has no mark.
    assert sync.last_synced("oldham") == NOON
    assert sync.last_synced() is None


def test_misspelt_local_authority_is_refused_and_nothing_is_written(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM, EBENEZER])

    with pytest.raises(ValidationError) as error:
        run_sync(recorded, local_authority="Oldam")

    assert "Did you mean “Oldham”?" in " ".join(error.value.messages)
    assert not Location.objects.exists()
    assert sync.last_synced("Oldam") is None


def test_changed_record_cqc_no_longer_has_is_skipped_with_a_reason(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM, "1-999999999"])

    result = run_sync(recorded)

    assert result.report.created_locations == 1
    assert result.report.skipped_reasons["CQC's API has no record with this ID (HTTP 404)"] == 1


# API errors -------------------------------------------------------------------------------------------------


def test_api_error_part_way_changes_nothing_and_leaves_the_mark(at):
    at(MORNING)
    run_sync(RecordedApi(locations=[EBENEZER]))
    before, changes = directory(), events()

    at(NOON)
    ids = oldham_ids("location")[:40]
    recorded = RecordedApi(locations=ids, providers=oldham_ids("provider"))
    recorded.fail(f"locations/{ids[30]}", 503)
    with pytest.raises(api.CqcApiError) as error:
        run_sync(recorded)

    assert str(error.value).startswith("CQC's API failed (HTTP 503) answering")
    assert directory() == before
    assert events() == changes
    assert sync.last_synced() == MORNING
    assert AuditEvent.objects.filter(action=sync.SYNCED).count() == 1


def test_a_short_wait_asked_for_is_waited_and_the_request_repeated(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM])
    recorded.fail(f"locations/{LABURNUM}", 429, retry_after="2", times=2)
    waited = []

    result = sync.sync_changes(actor=None, fetch=recorded, since=MORNING, sleep=waited.append)

    assert waited == [2, 2]
    assert result.report.created_locations == 1


def test_a_long_wait_asked_for_stops_the_sync_saying_how_long(at):
    at(NOON)
    recorded = RecordedApi(locations=[LABURNUM])
    recorded.fail("changes/location", 429, retry_after="3600")

    with pytest.raises(api.CqcApiError) as error:
        run_sync(recorded)

    assert "HTTP 429" in str(error.value) and "wait 3600 seconds" in str(error.value)
    assert sync.last_synced() is None


# The command, through the real HTTP client, against the recorded responses served on 127.0.0.1 ---------------


@pytest.fixture
def cqc_server(settings):
    """The recorded responses served over HTTP on 127.0.0.1, with the settings pointing at them."""
    recorded = RecordedApi()
    seen_headers = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            split = urlsplit(self.path)
            params = {k: int(v[0]) if v[0].isdigit() else v[0] for k, v in parse_qs(split.query).items()}
            seen_headers.append({**self.headers, "path": self.path})
            status, retry_after, data = recorded.answer(split.path.removeprefix("/public/v1/"), params)
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if retry_after:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CQC_API_BASE_URL = f"http://127.0.0.1:{server.server_port}/public/v1"
    settings.CQC_API_KEY = "recorded-responses-key"
    recorded.seen_headers = seen_headers
    yield recorded
    server.shutdown()
    server.server_close()


def test_command_sends_the_key_and_applies_the_changes(cqc_server, capsys):
    cqc_server.changes = {"location": [LABURNUM, EBENEZER], "provider": [LABURNUM_PROVIDER]}

    call_command("sync_cqc", "--since", "2025-03-20")

    output = capsys.readouterr().out
    assert "CQC's API lists 2 locations and 1 providers as changed from 20 March 2025 00:00:00 GMT" in output
    assert "locations added:       2" in output
    assert all(h["Ocp-Apim-Subscription-Key"] == "recorded-responses-key" for h in cqc_server.seen_headers)
    assert not any("recorded-responses-key" in h["path"] for h in cqc_server.seen_headers)
    assert cqc_server.requests[0][1]["startTimestamp"] == "2025-03-20T00:00:00Z"
    assert Organisation.objects.get(cqc_provider_id=LABURNUM_PROVIDER).name == "Laburnum House (Shaw) Limited"
    assert sync.last_synced() is not None

    call_command("sync_cqc")  # from where the first ended, over the same changes

    assert "Nothing changed: the portal already matches" in capsys.readouterr().out


def test_command_without_a_key_says_so_and_fetches_nothing(cqc_server, settings, capsys):
    settings.CQC_API_KEY = ""
    cqc_server.changes = {"location": [LABURNUM], "provider": []}

    call_command("sync_cqc", "--since", "2025-03-20")

    assert "CQC_API_KEY is not set: nothing was fetched" in capsys.readouterr().out
    assert cqc_server.requests == []
    assert not Location.objects.exists()
    assert not AuditEvent.objects.exists()


def test_command_without_an_earlier_sync_asks_for_since(cqc_server):
    with pytest.raises(CommandError, match="give --since YYYY-MM-DD"):
        call_command("sync_cqc")

    assert cqc_server.requests == []


@pytest.mark.parametrize(
    "status, retry_after, message",
    [
        (401, None, "CQC's API refused the subscription key (HTTP 401). Check CQC_API_KEY"),
        (429, "3600", "limiting our requests (HTTP 429 Too Many Requests): it asks us to wait 3600 seconds"),
        (500, None, "CQC's API failed (HTTP 500)"),
        (503, None, "CQC's API failed (HTTP 503)"),
    ],
)
def test_command_reports_api_errors_clearly_and_leaves_the_mark(cqc_server, status, retry_after, message):
    cqc_server.changes = {"location": [LABURNUM, EBENEZER], "provider": []}
    call_command("sync_cqc", "--since", "2025-03-20")
    mark = sync.last_synced()
    cqc_server.records[("location", EBENEZER)] = {**oldham_location(EBENEZER), "name": "Ebenezer Care"}
    cqc_server.fail(f"locations/{EBENEZER}", status, retry_after=retry_after)

    with pytest.raises(CommandError) as error:
        call_command("sync_cqc")

    assert message in str(error.value)
    assert "Nothing was changed; the next sync starts from" in str(error.value)
    assert sync.last_synced() == mark
    assert Location.objects.get(cqc_location_id=EBENEZER).name == "Ebenezer Care Services"


def test_command_refuses_a_since_that_is_not_a_date(cqc_server):
    with pytest.raises(CommandError, match="give a date such as 2025-03-21"):
        call_command("sync_cqc", "--since", "yesterday")
