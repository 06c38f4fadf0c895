"""Capacity returns for many locations at once: a CSV template with a row per location, pre-filled from the latest
returns, and its upload, checked row by row with the one-location form's own rules (forms.return_field and
returns.check_figures) and saved all or nothing through the same save as one return (returns.capacity_return_write).

The work a file can cause is bounded: 2 MB, 5,000 rows. Only CSV is read: a spreadsheet program saves one in a step,
and a CSV file cannot hide a zip bomb.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carenetwork.core.access import MAX_ID
from carenetwork.core.csv import unneutralise
from carenetwork.core.uploads import looks_like
from carenetwork.market.forms import return_field
from carenetwork.market.permissions import return_organisations
from carenetwork.market.returns import (
    FIGURES,
    capacity_return_write,
    check_figures,
    fields_for,
    locations_for,
    statuses_for,
    this_month,
)
from carenetwork.organisations.models import Location

ID, CQC_ID, NAME = "location_id", "cqc_location_id", "location_name"
COLUMNS = [ID, CQC_ID, NAME, *FIGURES]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
SPREADSHEETS = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


@dataclass
class Problem:
    """Something wrong with the file (row None) or one of its rows, in plain words."""

    row: int | None
    location: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class Row:
    """A row of the file that can be saved: its location and its figures, cleaned."""

    number: int
    location: Location
    data: dict
    no_change: bool


@dataclass
class Checked:
    """What an upload holds: the rows to save, the rows with no figures, and every problem."""

    month: datetime.date
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blank: int = 0
    saved: int = 0

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row is None]

    @property
    def row_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row is not None]


class UploadRefused(Exception):
    """The file cannot be read as a returns file; the argument says why, in plain words."""


# The template ------------------------------------------------------------------------------------------------------


def _cell(name: str, value):
    if value is None:
        return ""
    if name == "taking_new":
        return "yes" if value else "no"
    return value


def template_rows(organisations, month: datetime.date | None = None):
    """The template: the column names, then a row per location asked for a return, with this month's figures or
    else the latest return's (three queries however many locations)."""
    month = month or this_month()
    yield list(COLUMNS)
    locations = locations_for(organisations).order_by("organisation__name", "name", "pk")
    for status in statuses_for(locations, month):
        location = status.location
        source = status.returned or status.last
        wanted = fields_for(location)
        figures = [_cell(n, getattr(source, n)) if source and n in wanted else "" for n in FIGURES]
        yield [location.pk, location.cqc_location_id or "", location.name, *figures]


# Reading the file --------------------------------------------------------------------------------------------------


def _column(name: str) -> str:
    return unneutralise(name.strip()).strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(file) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The file's column names and its rows with data as (row number as a spreadsheet shows it, cells)."""
    if file is None or file.size == 0:
        raise UploadRefused(_("The file is empty"))
    if file.size > MAX_BYTES:
        raise UploadRefused(_("The file must be smaller than 2 MB"))
    extension = os.path.splitext(file.name or "")[1].lower()
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if extension in SPREADSHEETS or head.startswith(b"PK\x03\x04"):
        raise UploadRefused(
            _(
                "The file must be a CSV file. Save your spreadsheet as CSV (in Excel: File, Save as, "
                "CSV UTF-8) and upload that"
            )
        )
    if not looks_like(".csv", head, file):
        raise UploadRefused(_("The file must be a CSV file: this one's content is not text"))
    data = file.read(MAX_BYTES + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # as older versions of Excel save CSV
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = next(reader, None)
        for number, cells in enumerate(reader, start=2):
            cells = [unneutralise(c.strip()) for c in cells]
            if not any(cells):
                continue
            if len(rows) == MAX_ROWS:
                raise UploadRefused(
                    _("The file has more than %(rows)s rows. Split it into files of up to %(rows)s rows")
                    % {"rows": f"{MAX_ROWS:,}"}
                )
            rows.append((number, cells))
    except csv.Error as error:
        raise UploadRefused(_("The file could not be read as CSV: %(error)s") % {"error": error}) from error
    if header is None or not any(h.strip() for h in header):
        raise UploadRefused(_("The file is empty"))
    return [_column(h) for h in header], rows


def _check_header(header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if not (missing or unknown or twice):
        return
    parts = [_("The first row must be the template's column names.")]
    if missing:
        parts.append(_("Missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(_("Not in the template: %(columns)s.") % {"columns": ", ".join(unknown)})
    if twice:
        parts.append(_("More than once: %(columns)s.") % {"columns": ", ".join(twice)})
    parts.append(_("Download the template and copy your figures into it"))
    raise UploadRefused(" ".join(parts))


# Checking the rows -------------------------------------------------------------------------------------------------


def _our_id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= MAX_ID else None


def _elsewhere(rows: list[tuple[int, dict]], statuses: dict, by_cqc: dict) -> dict[tuple[str, str], dict]:
    """The locations named in rows that are not among ours to return, by (column, value): one query."""
    ids, cqc_ids = set(), set()
    for _number, cells in rows:
        pk = _our_id(cells[ID])
        if pk is not None and pk not in statuses:
            ids.add(pk)
        elif not cells[ID] and cells[CQC_ID] and cells[CQC_ID] not in by_cqc:
            cqc_ids.add(cells[CQC_ID])
    if not (ids or cqc_ids):
        return {}
    found = Location.objects.filter(Q(pk__in=ids) | Q(cqc_location_id__in=cqc_ids)).values(
        "pk", "cqc_location_id", "name", "organisation_id"
    )
    known = {}
    for location in found:
        known[ID, location["pk"]] = location
        if location["cqc_location_id"]:
            known[CQC_ID, location["cqc_location_id"]] = location
    return known


def _match(number: int, cells: dict, known: dict, problems: list[Problem]):
    """The status of the row's location, or None with a problem added. `known` holds our statuses by id and by CQC
    ID, the other locations the file names, and the ids of the organisations the upload is for."""
    if cells[ID]:
        column, key = ID, _our_id(cells[ID])
        if key is None:
            message = _("the location id %(id)s is not a number: copy it from the template") % {"id": cells[ID]}
            problems.append(Problem(number, cells[ID], message))
            return None
        status = known["statuses"].get(key)
        what = _("location id %(id)s") % {"id": key}
    elif cells[CQC_ID]:
        column, key = CQC_ID, cells[CQC_ID]
        status = known["by_cqc"].get(key)
        what = _("CQC location ID %(id)s") % {"id": key}
    else:
        problems.append(Problem(number, "", _("give the location id (or the CQC location ID) of the service")))
        return None
    if status is not None:
        return status
    other = known["elsewhere"].get((column, key))
    if other is not None and other["organisation_id"] in known["organisations"]:
        # One of theirs, closed or without a service type: they may see its name.
        message = _("%(name)s is not asked for a capacity return: it is closed or has no service type") % {
            "name": other["name"]
        }
        problems.append(Problem(number, other["name"], message))
        return None
    # Unknown or another provider's: the same words, so that nobody learns which ids exist, nor any name.
    message = _("%(what)s is not one of your services") % {"what": what}
    problems.append(Problem(number, str(key), message))
    return None


def _figures(number, cells, location, last, fields, problems) -> tuple[dict, bool] | None:
    """The row's cleaned figures and whether they are the last return's, or None with problems added."""
    wanted = fields_for(location)
    data, found = {}, []
    for name in FIGURES:
        raw = cells[name]
        if name not in wanted:
            if raw:
                found.append(
                    _("leave %(column)s blank: %(name)s does not return %(what)s")
                    % {"column": name, "name": location.name, "what": fields[name].label.lower()}
                )
            continue
        try:
            data[name] = fields[name].clean(raw.lower() if name == "taking_new" else raw)
        except ValidationError as error:
            found.extend(error.messages)
    if not found:
        found.extend(check_figures(data).values())
    problems.extend(Problem(number, location.name, message) for message in found)
    if found:
        return None
    no_change = last is not None and all(getattr(last, n) == data.get(n) for n in wanted)
    return data, no_change


def check_upload(*, actor, organisations, file) -> Checked:
    """Read and check every row of an upload against the actor's locations and the return's rules; save nothing
    (a constant number of queries, however many rows)."""
    month = this_month()
    checked = Checked(month=month)
    allowed = {o.pk for o in return_organisations(actor)}
    organisations = [o for o in organisations if o.pk in allowed]
    try:
        if not organisations:
            raise UploadRefused(_("You make capacity returns for no provider"))
        header, rows = read_rows(file)
        _check_header(header)
        if not rows:
            raise UploadRefused(_("The file has no rows of figures under its column names"))
    except UploadRefused as refused:
        checked.problems.append(Problem(None, "", str(refused)))
        return checked
    # A short row's missing cells are blank; cells beyond the column names are not read.
    rows = [(n, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))) for n, cells in rows]
    statuses = {s.location.pk: s for s in statuses_for(locations_for(organisations), month)}
    by_cqc = {s.location.cqc_location_id: s for s in statuses.values() if s.location.cqc_location_id}
    known = {
        "statuses": statuses,
        "by_cqc": by_cqc,
        "elsewhere": _elsewhere(rows, statuses, by_cqc),
        "organisations": {o.pk for o in organisations},
    }
    fields = {name: return_field(name) for name in FIGURES}
    seen = {}
    for number, cells in rows:
        status = _match(number, cells, known, checked.problems)
        if status is None:
            continue
        location = status.location
        if location.pk in seen:
            message = _("%(name)s is also in row %(row)s: give each service once") % {
                "name": location.name,
                "row": seen[location.pk],
            }
            checked.problems.append(Problem(number, location.name, message))
            continue
        seen[location.pk] = number
        figures = _figures(number, cells, location, status.last, fields, checked.problems)
        if figures is None:
            continue
        data, no_change = figures
        if all(value is None for value in data.values()):
            checked.blank += 1  # nothing given: like a form left empty, not a return
            continue
        checked.rows.append(Row(number, location, data, no_change))
    if not checked.problems and not checked.rows:
        checked.problems.append(Problem(None, "", _("The file has no figures: fill in at least one service's row")))
    return checked


def upload_save(*, actor, organisations, file) -> Checked:
    """Check an upload and, if every row is right, save every row's return for this month in one transaction,
    each audited, then refresh each sub-market touched once; if any row is wrong, save nothing."""
    checked = check_upload(actor=actor, organisations=organisations, file=file)
    if checked.problems:
        return checked
    from carenetwork.market.figures import refresh_locations  # figures read supply, which reads returns

    with transaction.atomic():
        locked = (
            Location.objects.select_for_update(of=("self",))
            .select_related("organisation", "service_type")
            .in_bulk([row.location.pk for row in checked.rows])
        )
        for row in checked.rows:
            try:
                capacity_return_write(
                    actor=actor,
                    location=locked[row.location.pk],
                    data=row.data,
                    no_change=row.no_change,
                    month=checked.month,
                )
            except ValidationError as error:  # the checks above make this unexpected: still, nothing is saved
                checked.problems.extend(Problem(row.number, row.location.name, m) for m in error.messages)
        if checked.problems:
            transaction.set_rollback(True)
            return checked
        refresh_locations(locked.values())
    checked.saved = len(checked.rows)
    return checked


def saved_message(checked: Checked) -> str:
    """What the person is told after a successful upload."""
    message = ngettext("%(n)s return saved for %(month)s", "%(n)s returns saved for %(month)s", checked.saved) % {
        "n": f"{checked.saved:,}",
        "month": dateformat.format(checked.month, "F Y"),
    }
    if checked.blank:
        message += ". " + ngettext(
            "%(n)s row had no figures and was left out", "%(n)s rows had no figures and were left out", checked.blank
        ) % {"n": checked.blank}
    return message
