"""Capacity returns: a short monthly return per location, asked once, pre-filled from the last one.

Care homes give beds (maximum, occupied, vacant and accepting admissions, vacant and reserved) and staff headcount
(registered nurses, care staff and non-care staff, each directly employed and agency or bank); other services give
the people receiving care, the hours delivered last week and whether they can take new packages. A return is for
the current month and may be changed until the month ends. The return window (8th to 14th by default) is when
providers are asked; those who have not returned by its last day are reminded once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.market.models import CapacityReturn, MarketSettings
from carenetwork.market.permissions import can_make_return
from carenetwork.organisations.models import Location, Organisation

CARE_HOME_FIELDS = ["beds", "occupied", "vacant_accepting", "vacant_reserved"]
STAFF_FIELDS = ["nurses_direct", "nurses_agency", "care_direct", "care_agency", "other_direct", "other_agency"]
COMMUNITY_FIELDS = ["people", "hours", "taking_new"]
FIGURES = CARE_HOME_FIELDS + STAFF_FIELDS + COMMUNITY_FIELDS


def this_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today.replace(day=1)


def month_before(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def reporting_month(today: datetime.date | None = None) -> datetime.date:
    """The month whose returns the market figures use: this month once its window has opened, else the last."""
    today = today or timezone.localdate()
    opens = MarketSettings.current().return_opens
    return this_month(today) if today.day >= opens else month_before(this_month(today))


def is_care_home(location: Location) -> bool:
    return bool(location.service_type_id and location.service_type.is_residential)


def fields_for(location: Location) -> list[str]:
    """The figures a location returns: beds and staff for a care home, people, hours and staff otherwise."""
    return CARE_HOME_FIELDS + STAFF_FIELDS if is_care_home(location) else COMMUNITY_FIELDS + STAFF_FIELDS


def check_figures(data: dict) -> dict[str, str]:
    """The errors of a return's figures, by field: occupied and vacant beds cannot add up to more than the beds."""
    errors = {}
    beds = data.get("beds")
    if beds is not None:
        for name, label in (
            ("occupied", _("Beds occupied")),
            ("vacant_accepting", _("Vacant beds accepting admissions")),
        ):
            if (data.get(name) or 0) > beds:
                errors[name] = _("%(label)s cannot be more than the maximum bed capacity of %(beds)s") % {
                    "label": label,
                    "beds": beds,
                }
        together = sum(data.get(n) or 0 for n in ("occupied", "vacant_accepting", "vacant_reserved"))
        if not errors and together > beds:
            errors["vacant_reserved"] = _(
                "Occupied, vacant and reserved beds add up to %(n)s, more than the maximum bed capacity of %(beds)s"
            ) % {"n": together, "beds": beds}
    return errors


def latest_before(location: Location, month: datetime.date) -> CapacityReturn | None:
    """The location's last return before this month, to pre-fill the next one."""
    return location.capacity_returns.filter(month__lt=month).order_by("-month").first()


@transaction.atomic
def capacity_return_save(
    *, actor, location: Location, data: dict, no_change: bool = False, month: datetime.date | None = None
) -> CapacityReturn:
    """Make or change the location's return for this month (provider admins); audited."""
    require(can_make_return(actor, location))
    location = Location.objects.select_for_update(of=("self",)).select_related("service_type").get(pk=location.pk)
    obj = capacity_return_write(actor=actor, location=location, data=data, no_change=no_change, month=month)
    from carenetwork.market.figures import refresh_locations  # figures read supply, which reads this module

    refresh_locations([location])
    return obj


def capacity_return_write(
    *, actor, location: Location, data: dict, no_change: bool = False, month: datetime.date | None = None
) -> CapacityReturn:
    """Check, save and audit one return of a locked location, leaving its sub-markets' figures to the caller (one
    return: capacity_return_save; a spreadsheet of them: returns_upload.upload_save, which refreshes each sub-market
    once)."""
    require(can_make_return(actor, location))
    month = month or this_month()
    wanted = fields_for(location)
    errors = check_figures(data)
    if errors:
        raise ValidationError(errors)
    obj, created = CapacityReturn.objects.get_or_create(location=location, month=month)
    before = {} if created else audit.snapshot(obj, FIGURES)
    for name in FIGURES:
        setattr(obj, name, data.get(name) if name in wanted else None)
    obj.no_change = no_change
    obj.submitted_by = actor
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="capacity_return.saved",
        obj=obj,
        organisation=location.organisation,
        changes=audit.diff(before, audit.snapshot(obj, FIGURES)),
    )
    return obj


def capacity_return_no_change(*, actor, location: Location) -> CapacityReturn:
    """This month's return as a copy of the last one ('no change since last month')."""
    month = this_month()
    last = latest_before(location, month)
    if last is None:
        raise ValidationError(_("There is no earlier return to copy: enter this month's figures"))
    return capacity_return_save(
        actor=actor, location=location, data={n: getattr(last, n) for n in FIGURES}, no_change=True, month=month
    )


# Reading ---------------------------------------------------------------------------------------------------------


def returning_locations():
    """Active locations of active providers with a service type: the ones asked for a return."""
    return Location.objects.filter(
        is_active=True,
        organisation__is_active=True,
        organisation__kind=Organisation.Kind.PROVIDER,
        service_type__isnull=False,
    )


@dataclass
class LocationStatus:
    location: Location
    returned: CapacityReturn | None
    last: CapacityReturn | None


def locations_for(organisations):
    """These organisations' locations that are asked for a return, in name order."""
    return returning_locations().filter(organisation__in=organisations).select_related("organisation", "service_type")


def statuses_for(locations, month: datetime.date) -> list[LocationStatus]:
    """Each location with its return this month and its latest one in the year before, to pre-fill from (three
    queries: the locations with the latest earlier return's id, this month's returns, those earlier returns)."""
    earlier = CapacityReturn.objects.filter(
        location=OuterRef("pk"), month__lt=month, month__gte=month.replace(year=month.year - 1)
    ).order_by("-month")
    locations = list(locations.annotate(last_id=Subquery(earlier.values("pk")[:1])))
    this = {
        r.location_id: r for r in CapacityReturn.objects.filter(location__in=[loc.pk for loc in locations], month=month)
    }
    last = CapacityReturn.objects.in_bulk([loc.last_id for loc in locations if loc.last_id])
    return [LocationStatus(loc, this.get(loc.pk), last.get(loc.last_id)) for loc in locations]


@dataclass
class Completion:
    label: str
    returned: int
    asked: int

    @property
    def share(self) -> int:
        return round(100 * self.returned / self.asked) if self.asked else 0


def completion(month: datetime.date, *, by: str) -> list[Completion]:
    """Locations returned of those asked, by provider ('organisation') or sector ('sector'): two grouped queries,
    the locations asked and the month's returns, put together here."""
    field = {"organisation": "organisation__name", "sector": "organisation__sectors__name"}[by]
    asked = returning_locations().values_list(field).annotate(n=Count("pk")).order_by()
    returned = dict(
        CapacityReturn.objects.filter(month=month, location__in=returning_locations())
        .values_list(f"location__{field}")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = sorted(asked, key=lambda row: (row[0] is None, row[0] or ""))
    return [Completion(label or _("No sector"), returned.get(label, 0), n) for label, n in rows]


@dataclass
class MonthTotals:
    month: datetime.date
    returns: int
    beds: int
    occupied: int
    vacant: int
    staff: int
    agency: int

    @property
    def occupancy(self) -> int | None:
        return round(100 * self.occupied / self.beds) if self.beds else None

    @property
    def agency_share(self) -> int | None:
        return round(100 * self.agency / self.staff) if self.staff else None


def totals_by_month(last: datetime.date, months: int = 12) -> list[MonthTotals]:
    """The market's totals from the returns, month by month up to `last`: the sub-markets' kept monthly figures
    added up (one query over a row per sub-market and month)."""
    from carenetwork.market.models import SubMarketMonth
    from carenetwork.market.supply import BY_LOCALITY

    first = last
    for _i in range(months - 1):
        first = month_before(first)
    rows = (
        SubMarketMonth.objects.filter(by=BY_LOCALITY, month__range=(first, last))
        .values("month")
        .annotate(
            n=Sum("returned_locations"),
            beds=Sum("returned_beds"),
            occupied=Sum("returned_occupied"),
            vacant=Sum("vacant"),
            staff=Sum("staff"),
            agency=Sum("agency"),
        )
        .order_by("month")
    )
    return [
        MonthTotals(
            month=r["month"],
            returns=r["n"] or 0,
            beds=r["beds"] or 0,
            occupied=r["occupied"] or 0,
            vacant=r["vacant"] or 0,
            staff=r["staff"] or 0,
            agency=r["agency"] or 0,
        )
        for r in rows
    ]
