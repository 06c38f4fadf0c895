"""The date of a CQC import's data: what the person importing says, else what the file's name says.

CQC's files do not say when they were taken: an API response is as of the moment it was fetched, the care
directory as of the day CQC published it (its name says so: "HSCA Active Locations 1 March 2021"). So the
date is asked for, or read from a name with a full date in it. The dates inside the records (registrations,
deregistrations, reports) show how old the data can at least be: a date before the newest of them is a
mistake, and is refused. `DataDates` keeps older data from changing what the portal has from newer data.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenetwork.organisations.models import CqcDeregistration, Location, Organisation

# Keys of the CQC API whose values are dates of events CQC had recorded when the data was taken.
API_DATE_KEYS = {"registrationDate", "deregistrationDate", "reportDate", "publicationDate"}
# Columns of CQC's CSV files written as ISO dates (other date columns are in US order: not used).
CSV_DATE_COLUMNS = ("Location HSCA start date", "Location HSCA end date", "Provider HSCA start date")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
MONTHS = "january february march april may june july august september october november december".split()
NAMED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[ _.-]+(" + "|".join(MONTHS) + r")[ _.,-]+(\d{4})(?!\d)", re.IGNORECASE
)
NAME_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _iso(value) -> datetime.date | None:
    match = ISO_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def newest(values) -> datetime.date | None:
    """The latest of the dates that are not in the future (a date ahead of today is a typing mistake)."""
    today = timezone.localdate()
    return max((d for d in values if d and d <= today), default=None)


def newest_in_api(item: dict) -> datetime.date | None:
    """The newest event date anywhere in an API record (a walk with a bounded stack, not recursion)."""
    found, stack = [], [item]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in API_DATE_KEYS or (key == "date" and isinstance(inner, str)):
                    found.append(_iso(inner))
                elif isinstance(inner, dict | list):
                    stack.append(inner)
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, dict | list))
    return newest(found)


def newest_in_row(row: dict) -> datetime.date | None:
    """The newest registration date in a CSV row."""
    return newest(_iso(row.get(column)) for column in CSV_DATE_COLUMNS)


def from_name(name: str) -> datetime.date | None:
    """The date a file's name gives, such as "HSCA_Active_Locations_1_March_2021.csv" or "…2021-03-01.json"."""
    base = re.split(r"[\\/]", name)[-1]
    match = NAME_ISO_DATE.search(base)
    try:
        if match:
            return datetime.date(*(int(part) for part in match.groups()))
        match = NAMED_DATE.search(base)
        if match:
            day, month, year = match.groups()
            return datetime.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None
    return None


def long(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def data_date_for(files, *, given: datetime.date | None) -> datetime.date:
    """The date of the files' data: the one given, else the one their names give; never before their records."""
    if given is None:
        named = {parsed.name: from_name(parsed.name) for parsed in files}
        missing = [name for name, day in named.items() if day is None]
        if missing:
            raise ValidationError(
                {
                    "data_date": _(
                        "Enter the date of this data: the day you downloaded it from CQC, or the day CQC published "
                        "it. The file's name (%(name)s) does not say."
                    )
                    % {"name": missing[0]}
                }
            )
        # Files of different dates imported as one are as old as the oldest of them.
        given = min(named.values())
    if given > timezone.localdate():
        raise ValidationError({"data_date": _("The date of the data must be today or in the past")})
    latest = newest(parsed.newest_date for parsed in files)
    if latest and given < latest:
        raise ValidationError(
            {
                "data_date": _(
                    "The data cannot be from %(given)s: it has CQC dates up to %(latest)s. Enter the day you "
                    "downloaded it or CQC published it."
                )
                % {"given": long(given), "latest": long(latest)}
            }
        )
    return given


class DataDates:
    """What the portal knows of the dates of its CQC data: each organisation's and location's `cqc_data_date`, and
    the deregistrations newer data showed (`CqcDeregistration`), so that older data changes nothing newer."""

    def __init__(self, data_date: datetime.date):
        self.data_date = data_date
        # CQC IDs that data of a date showed deregistered, so that older data does not bring them back.
        self.deregistered = {(d.kind, d.cqc_id): d.data_date for d in CqcDeregistration.objects.all()}
        self.deregistered_now: dict[tuple[str, str], datetime.date | None] = {}  # None: registered again
        # Rows that matched the portal, whose CQC data date moves on to this data's date.
        self.confirmed: dict[type, set[int]] = {Organisation: set(), Location: set()}

    def newer(self, kind: str, cqc_id: str, row) -> str | None:
        """Why the portal's data about this record is newer than this import's, or None when it is not."""
        held = row.cqc_data_date if row is not None else None
        if held and held > self.data_date:
            return _("The portal has CQC data of %(date)s") % {"date": long(held)}
        gone = self.deregistered.get((kind, cqc_id))
        if gone and gone > self.data_date:
            return _("Deregistered in CQC data of %(date)s") % {"date": long(gone)}
        return None

    def note_registration(self, kind: str, cqc_id: str, *, deregistered: bool) -> None:
        """Remember a deregistration (or forget one, for a record registered again) as of this data."""
        if deregistered:
            if self.deregistered.get((kind, cqc_id)) != self.data_date:
                self.deregistered_now[(kind, cqc_id)] = self.data_date
        elif (kind, cqc_id) in self.deregistered:
            self.deregistered_now[(kind, cqc_id)] = None

    def confirm(self, row: Organisation | Location) -> None:
        """The row matched this data: its date moves on (in one UPDATE when saved)."""
        if row.cqc_data_date != self.data_date:
            self.confirmed[type(row)].add(row.pk)

    def save(self) -> None:
        """Rows that matched the portal are confirmed as of this data's date; deregistrations are kept."""
        for model, pks in self.confirmed.items():
            pks = sorted(pks)
            for start in range(0, len(pks), 500):
                model.objects.filter(pk__in=pks[start : start + 500]).update(cqc_data_date=self.data_date)
        gone = [key for key, day in self.deregistered_now.items() if day is None and key in self.deregistered]
        for kind, cqc_id in gone:
            CqcDeregistration.objects.filter(kind=kind, cqc_id=cqc_id).delete()
        known = [key for key, day in self.deregistered_now.items() if day and key in self.deregistered]
        for kind in CqcDeregistration.Kind.values:
            ids = sorted(cqc_id for k, cqc_id in known if k == kind)
            for start in range(0, len(ids), 500):
                CqcDeregistration.objects.filter(kind=kind, cqc_id__in=ids[start : start + 500]).update(
                    data_date=self.data_date
                )
        CqcDeregistration.objects.bulk_create(
            [
                CqcDeregistration(kind=kind, cqc_id=cqc_id, data_date=day)
                for (kind, cqc_id), day in sorted(self.deregistered_now.items())
                if day and (kind, cqc_id) not in self.deregistered
            ],
            batch_size=500,
            ignore_conflicts=True,  # another import recorded it meanwhile: a deregistration either way
        )
