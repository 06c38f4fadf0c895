"""Current supply from the directory, per sub-market (service type × area), and each sub-market's sustainability.

A provider is the provider organisation (for imported data, the CQC provider), so a group with many homes counts
once. The area is the local authority when the active locations are in several, otherwise the council's locality
(the location's area). Capacity counts the sub-market's main unit (beds for care homes): a location counting in
another unit adds a location but no capacity. The pages read the figures kept per sub-market (market/figures.py);
`compute` works them out from the locations and returns themselves, for keeping and checking them.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from carenetwork.market import metrics
from carenetwork.market.models import CapacityReturn, MarketSettings
from carenetwork.market.returns import reporting_month, returning_locations
from carenetwork.organisations.models import Location, Organisation, ServiceType

GOOD = {"Outstanding", "Good"}
POOR = {"Requires improvement", "Inadequate"}
BY_AUTHORITY, BY_LOCALITY = "local_authority", "area"
# CQC market oversight (The Care and Support (Market Oversight Criteria) Regulations 2014, SI 2015/314): residential
# providers with 2,000 beds or more, or 1,000 to 1,999 beds in 16 or more councils' areas; home care providers
# delivering 30,000 hours a week or more (or to 2,000 people or more, which needs the capacity returns).
OVERSIGHT_BEDS, OVERSIGHT_BEDS_SPREAD, OVERSIGHT_AUTHORITIES, OVERSIGHT_HOURS = 2000, 1000, 16, 30_000


@dataclass
class SubMarket:
    """A sub-market's figures: from the directory (locations, providers, capacity, the sum of the providers'
    squared capacities for the HHI, the largest provider, ratings) and from the reporting month's care home returns
    (the providers that returned, beds, occupied, vacancies, staff, and the largest provider's part of them)."""

    service_type: ServiceType
    area: str
    unit: str
    locations: int = 0
    providers: int = 0
    capacity: int = 0
    squares: int = 0
    largest: int | None = None
    largest_capacity: int = 0
    largest_locations: int = 0
    rated_good: int = 0
    rated_poor: int = 0
    returned_locations: int = 0
    returned_providers: int = 0
    returned_beds: int = 0
    returned_occupied: int = 0
    vacant: int = 0
    staff: int = 0
    agency: int = 0
    largest_returned: int = 0
    largest_occupied: int = 0
    largest_vacant: int = 0
    largest_name: str = ""

    DIRECTORY = ("unit", "locations", "providers", "capacity", "squares", "largest", "largest_capacity")
    DIRECTORY += ("largest_locations", "rated_good", "rated_poor")
    RETURNS = ("returned_locations", "returned_providers", "returned_beds", "returned_occupied", "vacant")
    RETURNS += ("staff", "agency", "largest_returned", "largest_occupied", "largest_vacant")

    @property
    def unit_label(self) -> str:
        return str(Location.CapacityUnit(self.unit).label) if self.unit in Location.CapacityUnit.values else self.unit

    def _of_locations(self, count: int) -> Fraction | None:
        return metrics.percent(count, self.locations)

    @property
    def good(self) -> Fraction | None:
        """The share of locations rated good or outstanding, in per cent."""
        return self._of_locations(self.rated_good)

    @property
    def poor(self) -> Fraction | None:
        """The share of locations rated requires improvement or inadequate, in per cent."""
        return self._of_locations(self.rated_poor)

    @property
    def unrated(self) -> Fraction | None:
        """The share of locations with neither (not inspected, inspected but not rated, no published rating)."""
        return self._of_locations(self.locations - self.rated_good - self.rated_poor)

    @property
    def hhi(self) -> Fraction | None:
        return metrics.hhi_of(self.squares, self.capacity)

    @property
    def largest_share(self) -> Fraction | None:
        return metrics.percent(self.largest_capacity, self.capacity)

    @property
    def occupancy(self) -> Fraction | None:
        """Occupied beds as a share of the beds in the returns, in per cent."""
        return metrics.percent(self.returned_occupied, self.returned_beds)

    @property
    def vacancies(self) -> int | None:
        return self.vacant if self.returned_providers else None

    @property
    def agency_share(self) -> Fraction | None:
        return metrics.percent(self.agency, self.staff)

    @property
    def absorption(self) -> metrics.Absorption:
        """The largest provider's occupied places (when all its locations here returned, else its capacity) against
        the others' vacancies accepting admissions."""
        if self.largest is None:
            return metrics.absorb(None, others=0, vacancies_elsewhere=0, others_without_return=0)
        returned = self.largest_returned
        complete = returned and returned == self.largest_locations
        biggest = metrics.ProviderSupply(
            self.largest,
            capacity=self.largest_capacity,
            occupied=self.largest_occupied if complete else None,
            vacant=self.largest_vacant if returned else None,
        )
        others = self.providers - 1
        return metrics.absorb(
            biggest,
            others=others,
            vacancies_elsewhere=self.vacant - self.largest_vacant,
            others_without_return=others - (self.returned_providers - (returned > 0)),
        )

    def verdict(self, thresholds: metrics.Thresholds) -> metrics.Verdict:
        return metrics.verdict(
            hhi_value=self.hhi,
            largest_share=self.largest_share,
            shortfall=self.absorption.shortfall,
            thresholds=thresholds,
        )


@dataclass
class Supply:
    by: str
    sub_markets: list[SubMarket]


def _plain_rows(queryset) -> list[tuple]:
    """A grouped queryset's rows as the database driver gives them: its own SQL, without Django's per-value
    converters (a sixth of the time on England's 15,000 homes; these columns are integers and text)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def area_key() -> str:
    """Local authorities when the active locations are in several, else the council's localities."""
    authorities = returning_locations().exclude(local_authority="").order_by().values("local_authority").distinct()[:2]
    return BY_AUTHORITY if len(authorities) > 1 else BY_LOCALITY


def supply(*, by: str | None = None, service_type: ServiceType | None = None) -> Supply:
    """Every sub-market (or one service type's), from the maintained figures (market/figures.py),
    ordered by service type then area."""
    from carenetwork.market.figures import read

    by = by or area_key()
    markets = read(by=by, service_type=service_type, month=reporting_month())
    markets.sort(key=lambda m: (m.service_type.name, m.area == "", m.area))
    return Supply(by=by, sub_markets=markets)


def compute(*, by: str, service_type_id: int | None = None, area: str | None = None) -> dict:
    """Sub-markets worked out from the locations and returns themselves: {(service type id, area): SubMarket}, and
    for each month with returns, {(service type id, area, month): SubMarket with only the returns' figures}. What the
    maintained figures must equal."""
    locations = returning_locations()
    if service_type_id is not None:
        locations = locations.filter(service_type_id=service_type_id)
    if area is not None:
        locations = locations.filter(**{by: area})
    rows = (
        locations.values_list("service_type_id", by, "organisation_id", "capacity_unit")
        .annotate(
            n=Count("pk"),
            good=Count("pk", filter=Q(cqc_rating__in=GOOD)),
            poor=Count("pk", filter=Q(cqc_rating__in=POOR)),
            capacity=Sum("capacity"),
        )
        .order_by()
    )
    types = {t.pk: t for t in ServiceType.objects.all()}
    units: dict[tuple, Counter] = defaultdict(Counter)
    grouped: dict[tuple, list] = defaultdict(list)
    for type_id, place, org_id, unit, n, good, poor, capacity in _plain_rows(rows):
        key = (type_id, place or "")
        units[key][unit] += n
        grouped[key].append((org_id, unit, n, good, poor, capacity or 0))
    markets = {}
    for key, items in grouped.items():
        unit = min(units[key].items(), key=lambda item: (-item[1], item[0]))[0]  # most locations; ties by name
        market = SubMarket(service_type=types[key[0]], area=key[1], unit=unit)
        capacities: dict[int, int] = defaultdict(int)
        located: dict[int, int] = defaultdict(int)
        for org_id, item_unit, n, good, poor, capacity in items:
            market.locations += n
            located[org_id] += n
            market.rated_good += good
            market.rated_poor += poor
            capacities[org_id] += capacity if item_unit == unit else 0
        market.providers = len(capacities)
        market.capacity = sum(capacities.values())
        market.squares = sum(c * c for c in capacities.values())  # metrics.hhi_of(squares, capacity) is the HHI
        # The largest: most capacity, the lowest organisation id among equals (the same however rows come).
        market.largest = metrics.largest(dict(sorted(capacities.items())))
        if market.largest is not None:
            market.largest_capacity = capacities[market.largest]
            market.largest_locations = located[market.largest]
        markets[key] = market
    return {"markets": markets, "months": _returns_by_month(markets, locations, by)}


def _returns_by_month(markets: dict[tuple, SubMarket], locations, by: str) -> dict[tuple, SubMarket]:
    """The returns per sub-market and month (one grouped query): staff for every service; beds, vacancies and the
    largest provider's part for care homes."""
    staff = ["nurses_direct", "care_direct", "other_direct", "nurses_agency", "care_agency", "other_agency"]
    returns = CapacityReturn.objects.filter(location__in=locations)
    rows = (
        returns.values_list("location__service_type_id", f"location__{by}", "month", "location__organisation_id")
        .annotate(
            n=Count("pk"),
            beds=Sum("beds"),
            occupied=Sum("occupied"),
            vacant=Sum("vacant_accepting"),
            **{name: Sum(name) for name in staff},
        )
        .order_by()
    )
    found: dict[tuple, SubMarket] = {}
    for type_id, place, month, org_id, n, beds, occupied, vacant, *people in _plain_rows(rows):
        market = markets.get((type_id, place or ""))
        if market is None:
            continue
        month = month if isinstance(month, datetime.date) else datetime.date.fromisoformat(str(month))
        key = (type_id, place or "", month)
        if key not in found:
            found[key] = SubMarket(service_type=market.service_type, area=market.area, unit=market.unit)
        row = found[key]
        row.returned_locations += n
        row.staff += sum(p or 0 for p in people)
        row.agency += sum(p or 0 for p in people[3:])
        if not market.service_type.is_residential:
            continue  # only care homes return beds: for other services vacancies (and the absorb test) are not known
        row.returned_providers += 1
        row.returned_beds += beds or 0
        row.returned_occupied += occupied or 0
        row.vacant += vacant or 0
        if org_id == market.largest:
            row.largest_returned, row.largest_occupied, row.largest_vacant = n, occupied or 0, vacant or 0
    return found


def name_largest(markets: list[SubMarket]) -> None:
    """Put the largest provider's name on each sub-market (for council staff only), in one query."""
    ids = {m.largest for m in markets if m.largest is not None}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    for m in markets:
        m.largest_name = names.get(m.largest, "")


def market_oversight() -> list[dict]:
    """Providers that look to be in the scope of CQC market oversight from the capacity we hold: beds in care homes
    (and in how many local authorities), and home care hours a week."""
    rows = (
        returning_locations()
        .values("organisation_id", "organisation__name")
        .annotate(
            beds=Sum("capacity", filter=Q(service_type__is_residential=True, capacity_unit=Location.CapacityUnit.BEDS)),
            authorities=Count(
                "local_authority", filter=Q(service_type__is_residential=True) & ~Q(local_authority=""), distinct=True
            ),
            hours=Sum("capacity", filter=Q(capacity_unit=Location.CapacityUnit.WEEKLY_HOURS)),
        )
        .filter(
            Q(beds__gte=OVERSIGHT_BEDS)
            | Q(beds__gte=OVERSIGHT_BEDS_SPREAD, authorities__gte=OVERSIGHT_AUTHORITIES)
            | Q(hours__gte=OVERSIGHT_HOURS)
        )
        .order_by("organisation__name")
    )
    flagged = []
    for row in rows:
        reasons = []
        beds, hours = row["beds"] or 0, row["hours"] or 0
        if beds >= OVERSIGHT_BEDS:
            reasons.append(_("%(n)s care home beds (2,000 or more)") % {"n": f"{beds:,}"})
        elif beds >= OVERSIGHT_BEDS_SPREAD and row["authorities"] >= OVERSIGHT_AUTHORITIES:
            reasons.append(
                _("%(n)s care home beds in %(a)s local authorities (1,000 or more in 16 or more)")
                % {"n": f"{beds:,}", "a": row["authorities"]}
            )
        if hours >= OVERSIGHT_HOURS:
            reasons.append(_("%(n)s home care hours a week (30,000 or more)") % {"n": f"{hours:,}"})
        flagged.append({"id": row["organisation_id"], "name": row["organisation__name"], "reasons": reasons})
    return flagged


def thresholds() -> metrics.Thresholds:
    s = MarketSettings.current()
    return metrics.Thresholds(
        hhi_amber=s.hhi_amber, hhi_red=s.hhi_red, share_amber=s.share_amber, share_red=s.share_red
    )
