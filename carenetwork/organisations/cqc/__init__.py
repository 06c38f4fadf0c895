"""Importing registered providers and locations from CQC data, matched by CQC ID and safe to repeat.

Files we read (`formats`):

* CQC API JSON: one `/locations/{id}` or `/providers/{id}` response, or a JSON list of them.
* CQC API list pages (`{"total": …, "locations": [{locationId, locationName, postalCode}]}`, and the same
  for providers) are skipped as a whole, with one reason: they have no registration status, service type
  or provider, so importing them would add deregistered services, GP surgeries and dentists to a directory
  of care providers. Import the `/locations/{id}` and `/providers/{id}` responses they list instead.
* CSV with CQC's location columns: the care directory ("Location ID, …, Location Postal Code, …") and
  CQC location files with provider columns ("Provider ID", "Provider Name"). Columns a file lacks are left
  alone in the portal, so a file without addresses (the market characteristics file) updates ratings, beds
  and provider links of locations already in the portal but cannot add new ones.

What we import (`importer`):

* Only adult social care: other CQC registrations (dentists, GPs, hospitals) are counted as skipped.
* CQC IDs are "1-" and digits, or for NHS bodies their NHS (ODS) code (locations RQX41, TAHYR; trusts RT2).
* A location is matched by CQC location ID, its provider by CQC provider ID. A location whose provider the
  portal does not have yet gets a provider organisation with that CQC provider ID, named after the provider
  if the file says (or else after the location) until the provider's own record is imported, which sets
  the registered name and address. So importing locations before providers, or only locations, still
  groups them under the right provider. A provider record adds an organisation only together with one of
  its locations (in the file, and in the local authority asked for): never an organisation with none.
* Every import has the date of its data (`dates`): given by the person importing, or read from a file name
  with a full date in it, and never before the newest CQC date inside the records. Organisations and
  locations keep the date of the data they last matched (`cqc_data_date`); a record the portal has from
  newer data is skipped and counted as older, and so is a location that newer data showed deregistered
  (kept in `CqcDeregistration` even when the portal never had it), so older data never brings it back.
* The care directory CSV has no provider columns. A new location in it gets a provider organisation of its
  own, named after the location and without a CQC provider ID (most care homes in England are their
  provider's only home, and a guess at grouping would be worse than none). A later import that does know
  the provider (API JSON, or a CSV with provider columns) records the provider ID on that organisation and,
  while it is still named after its location, gives it the provider's name; another location of the same
  provider then moves to it, and the audit trail records the move ("location.moved"). An organisation left
  with no locations by such a move is left for the council to review, not deactivated.
* A deregistered location already in the portal is made inactive; one not in the portal is skipped. A
  deregistered provider is skipped and an existing one left as it is: whether it stays a member of the
  network is the council's decision, not CQC's.
* CQC's name, address, postcode, rating, service type and beds replace ours; the area (we use the
  parliamentary constituency, else the town: the nearest CQC field to a council's localities), phone and
  website only fill gaps. Sectors implied by service types and specialisms are added, never removed.
* A record with no usable postcode or CQC ID, or with a field of another type than CQC's API gives it, is
  skipped with a reason. The `local_authority` filter applies to locations (as the form says), matched in
  any case with "&" for "and"; records outside it are counted under one reason, not listed one by one. A
  local authority no location in the files is in is refused before anything is written, with the nearest
  names the files have.

Audit and speed: every write goes through `organisation_create`, `organisation_update` and `location_save`,
so each organisation and location created or changed has its own audit event, and one "cqc.imported" event
records who imported which file and what it did. What the portal holds is read once into dictionaries
(no query per record to find a match) and a record identical to the portal writes nothing, so a repeat
import makes no changes and is fast. The whole import is one transaction: if the models reject a record
we did not foresee, nothing is saved and the error names the record. Measured on SQLite (2 cores), the
15,403 homes of the England care directory CSV, unfiltered, into an empty portal take about 40 seconds
(two services and two audit events per home); the same file again, or filtered to one local authority,
takes 1 to 2 seconds; the Oldham folder of 473 API responses about 1 second. A council imports its own
area through the page; a national load is for `manage.py import_cqc`.
"""

import datetime
import difflib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.cqc import dates, formats
from carenetwork.organisations.cqc.importer import Importer, authority_key
from carenetwork.organisations.cqc.report import ImportReport

__all__ = ["ImportReport", "import_file", "import_files"]


def import_file(
    *, actor, name: str, content: bytes, local_authority: str = "", data_date: datetime.date | None = None
) -> ImportReport:
    """Import one CQC file; raises ValidationError, changing nothing, if the file cannot be read."""
    return import_files(actor=actor, files=[(name, content)], local_authority=local_authority, data_date=data_date)


def import_files(
    *,
    actor,
    files: list[tuple[str, bytes]],
    local_authority: str = "",
    data_date: datetime.date | None = None,
) -> ImportReport:
    """Import several CQC files as one, as of `data_date` (else the date their names give): providers from
    every file before locations from any; nothing the portal has from newer CQC data is changed."""
    files = [(_printable(name), content) for name, content in files]
    parsed = [formats.parse(name, content) for name, content in files]
    data_date = dates.data_date_for(parsed, given=data_date)
    if local_authority.strip():
        _check_authority(parsed, local_authority)
    report = ImportReport()
    with transaction.atomic():
        Importer(actor=actor, local_authority=local_authority, data_date=data_date, report=report).run(parsed)
        _record_import(
            actor=actor, names=[name for name, _content in files], local_authority=local_authority, report=report
        )
    return report


def _printable(name: str) -> str:
    """A file's name without control characters (a NUL cannot be stored in PostgreSQL)."""
    return "".join(c for c in str(name) if c.isprintable())[:255] or "file"


def _check_authority(parsed: list, local_authority: str) -> None:
    """Refuse a local authority that no location in the files is in, suggesting the nearest names."""
    wanted = authority_key(local_authority)
    names = {loc.local_authority.strip(): None for p in parsed for loc in p.locations if loc.local_authority.strip()}
    if any(authority_key(name) == wanted for name in names):
        return
    by_key = {authority_key(name): name for name in names}
    near = [by_key[key] for key in difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.6)]
    message = _("No location in the file is in “%(area)s”, so nothing was imported.") % {
        "area": " ".join(local_authority.split())
    }
    if near:
        message += " " + _("Did you mean %(names)s?") % {"names": _(" or ").join(f"“{n}”" for n in near)}
    else:
        message += " " + _("Check the spelling, or leave it blank to import every location in the file.")
    raise ValidationError({"local_authority": message})


def _record_import(*, actor, names: list[str], local_authority: str, report: ImportReport) -> None:
    listed = names if len(names) <= 10 else [*names[:10], f"… and {len(names) - 10} more"]
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="cqc.imported",
        object_type="cqc_import",
        object_id="",
        object_repr=(names[0] if len(names) == 1 else f"{len(names)} CQC files")[:255],
        changes={**report.as_dict(), "files": listed, "local_authority": local_authority},
    )
