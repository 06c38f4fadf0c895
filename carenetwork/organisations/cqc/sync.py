"""Keeping the directory in step with CQC's register through CQC's API, beside the file import.

A sync asks CQC's API which locations and providers changed since the last successful sync (or a moment given),
fetches each one's record and applies them with the file import's own `Importer`: the same matching by CQC ID,
the same rules for what is added, updated, skipped or made inactive, the same local authority filter, the same
audit events, and the same dates rule, the data being of the day it was fetched (so older data never overwrites
newer, whichever way it came). Records are all fetched before anything is written, then applied in one
transaction together with a "cqc.synced" audit event that holds the end of the sync's window. That event is the
mark the next sync starts from: a sync that fails part way (an API error, a record the models refuse) writes
nothing and leaves the mark where it was. A sync over the same changes again changes nothing.

A sync for one local authority marks that authority as synced; a sync of every area marks every authority.
"""

import datetime
import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.cqc import api, formats
from carenetwork.organisations.cqc import records as r
from carenetwork.organisations.cqc.importer import Importer, authority_key
from carenetwork.organisations.cqc.report import ImportReport
from carenetwork.organisations.models import Location

SYNCED = "cqc.synced"
# How many of the latest syncs are read to find the last one that covered the local authority asked for.
MARKS_READ = 200


@dataclass
class SyncResult:
    """What a sync fetched, and what applying it did."""

    report: ImportReport
    since: datetime.datetime
    until: datetime.datetime
    changed_locations: int
    changed_providers: int
    requests: int


def configured_key() -> str:
    """The CQC API's subscription key from the settings (CQC_API_KEY), "" when the sync is not set up."""
    return (settings.CQC_API_KEY or "").strip()


def last_sync_area() -> str | None:
    """The local authority the last successful sync covered ("" for every area), or None before the first."""
    latest = AuditEvent.objects.filter(action=SYNCED).order_by("-at", "-pk").values_list("changes", flat=True)
    changes = latest.first()
    if changes is None:
        return None
    return (changes.get("local_authority") or "") if isinstance(changes, dict) else ""


def last_synced(local_authority: str = "") -> datetime.datetime | None:
    """The end of the last successful sync that covered the local authority (every area covers each one)."""
    wanted = authority_key(local_authority)
    events = AuditEvent.objects.filter(action=SYNCED).order_by("-at", "-pk").values_list("changes", flat=True)
    for changes in events[:MARKS_READ]:
        if isinstance(changes, dict) and authority_key(changes.get("local_authority") or "") in ("", wanted):
            try:
                return datetime.datetime.fromisoformat(changes["until"])
            except (KeyError, TypeError, ValueError):
                continue
    return None


def sync_changes(
    *,
    actor,
    fetch: api.Fetch,
    since: datetime.datetime,
    until: datetime.datetime | None = None,
    local_authority: str = "",
    base_url: str = api.DEFAULT_BASE_URL,
    per_page: int = api.PER_PAGE,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[str], None] | None = None,
) -> SyncResult:
    """Fetch the locations and providers CQC changed between `since` and `until` (now) and apply them as the file
    import does; raises `api.CqcApiError` or ValidationError, changing nothing, if that cannot be done."""
    until = until or timezone.now().replace(microsecond=0)
    if since > until:
        raise ValidationError(
            _("The sync would start at %(since)s, after its end (%(until)s).")
            % {"since": api.timestamp(since), "until": api.timestamp(until)}
        )
    say = progress or (lambda message: None)
    client = api.CqcApi(fetch=fetch, base_url=base_url, per_page=per_page, sleep=sleep)
    parsed = formats.Parsed(name=f"CQC API changes {api.timestamp(since)} to {api.timestamp(until)}")
    location_ids, odd_locations = client.changed_ids("location", since, until)
    provider_ids, odd_providers = client.changed_ids("provider", since, until)
    for raw in odd_locations + odd_providers:
        parsed.unusable.append((raw, _("Listed by CQC as changed, but not a CQC ID, so not fetched"), 1))
    say(f"CQC lists {len(location_ids)} changed locations and {len(provider_ids)} changed providers: fetching them.")
    for cqc_id in provider_ids:
        _add(parsed, client, "provider", cqc_id)
    for cqc_id in location_ids:
        _add(parsed, client, "location", cqc_id)
    # The records are as of now: the day they were fetched is the date of the data.
    data_date = timezone.localdate()
    formats.dated(parsed)
    if local_authority.strip():
        _check_authority(parsed, local_authority)
    report = ImportReport()
    with transaction.atomic():
        Importer(actor=actor, local_authority=local_authority, data_date=data_date, report=report).run([parsed])
        AuditEvent.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=SYNCED,
            object_type="cqc_sync",
            object_id="",
            object_repr=parsed.name[:255],
            changes={
                **report.as_dict(),
                "since": api.timestamp(since),
                "until": api.timestamp(until),
                "local_authority": " ".join(local_authority.split()),
                "changed_locations": len(location_ids),
                "changed_providers": len(provider_ids),
                "requests": client.requests,
            },
        )
    return SyncResult(
        report=report,
        since=since,
        until=until,
        changed_locations=len(location_ids),
        changed_providers=len(provider_ids),
        requests=client.requests,
    )


def _add(parsed: formats.Parsed, client: api.CqcApi, kind: str, cqc_id: str) -> None:
    """Fetch a changed record and read it as the file import reads the same response saved to a file."""
    item = client.record(kind, cqc_id)
    if item is None:
        parsed.unusable.append((cqc_id, _("CQC's API has no record with this ID (HTTP 404)"), 1))
    elif r.cqc_id(item.get(f"{kind}Id")) != cqc_id:
        parsed.unusable.append((cqc_id, _("CQC's API answered with a record of another ID"), 1))
    elif kind == "location":
        parsed.locations.append(formats.location_from_api(item))
    else:
        parsed.providers.append(formats.provider_from_api(item))


def _check_authority(parsed: formats.Parsed, local_authority: str) -> None:
    """Refuse a local authority that neither the portal's locations nor the changes are in (a misspelling would
    otherwise skip every change and move the mark past them), suggesting the nearest names."""
    wanted = authority_key(local_authority)
    names = {loc.local_authority.strip() for loc in parsed.locations if loc.local_authority.strip()}
    names |= set(Location.objects.exclude(local_authority="").values_list("local_authority", flat=True).distinct())
    by_key = {authority_key(name): name for name in sorted(names)}
    if wanted in by_key:
        return
    near = [by_key[key] for key in difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)]
    message = _("No location in the portal or in CQC's changes is in “%(area)s”, so nothing was synced.") % {
        "area": " ".join(local_authority.split())
    }
    if near:
        message += " " + _("Did you mean %(names)s?") % {"names": _(" or ").join(f"“{n}”" for n in near)}
    raise ValidationError({"local_authority": message})
