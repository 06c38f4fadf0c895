"""Current supply from the directory, per sub-market (service type × area), and each sub-market's sustainability.

A provider is the provider organisation (for imported data, the CQC provider), so a group with many homes counts
once. The area is the local authority when the active locations are in several, otherwise the council's locality
(the location's area). Capacity counts the sub-market's main unit (beds for care homes): a location counting in
another unit adds a location but no capacity. Everything comes from one grouped query over active locations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from carenetwork.market import metrics
from carenetwork.market.models import CapacityReturn, MarketSettings
from carenetwork.market.returns import reporting_month
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
    service_type: ServiceType
    area: str
    unit: str
    locations: int = 0
    capacity_by_provider: dict[int, int] = field(default_factory=dict)
    rated_good: int = 0
    rated_poor: int = 0
    # From the capacity returns of the reporting month: per provider, its locations here, those that returned, and
    # their occupied places and vacancies accepting admissions; and the returned beds and staff.
    locations_by_provider: dict[int, int] = field(default_factory=dict)
    returned_by_provider: dict[int, int] = field(default_factory=dict)
    occupied_by_provider: dict[int, int] = field(default_factory=dict)
    vacant_by_provider: dict[int, int] = field(default_factory=dict)
    returned_beds: int = 0
    returned_occupied: int = 0
    staff: int = 0
    agency: int = 0
    largest_name: str = ""

    @property
    def unit_label(self) -> str:
        return str(Location.CapacityUnit(self.unit).label) if self.unit in Location.CapacityUnit.values else self.unit

    @property
    def providers(self) -> int:
        return len(self.capacity_by_provider)

    @property
    def capacity(self) -> int:
        return sum(self.capacity_by_provider.values())

    def _of_locations(self, count: int) -> Fraction | None:
        return Fraction(100 * count, self.locations) if self.locations else None

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

    @cached_property
    def hhi(self) -> Fraction | None:
        return metrics.hhi(self.capacity_by_provider)

    @cached_property
    def largest(self) -> int | None:
        return metrics.largest(self.capacity_by_provider)

    @cached_property
    def largest_share(self) -> Fraction | None:
        key = self.largest
        return None if key is None else metrics.share(self.capacity_by_provider, key)

    @property
    def returned(self) -> int:
        return sum(self.returned_by_provider.values())

    @property
    def occupancy(self) -> Fraction | None:
        """Occupied beds as a share of the beds in the returns, in per cent."""
        return Fraction(100 * self.returned_occupied, self.returned_beds) if self.returned_beds else None

    @property
    def vacancies(self) -> int | None:
        return sum(self.vacant_by_provider.values()) if self.returned else None

    @property
    def agency_share(self) -> Fraction | None:
        return Fraction(100 * self.agency, self.staff) if self.staff else None

    def provider_supply(self, key: int) -> metrics.ProviderSupply:
        """A provider's capacity, with its occupied places when all its locations here returned, and the vacancies
        of those that did (none known when none did)."""
        returned = self.returned_by_provider.get(key, 0)
        complete = returned and returned == self.locations_by_provider.get(key)
        return metrics.ProviderSupply(
            key,
            capacity=self.capacity_by_provider[key],
            occupied=self.occupied_by_provider.get(key, 0) if complete else None,
            vacant=self.vacant_by_provider.get(key, 0) if returned else None,
        )

    @cached_property
    def absorption(self) -> metrics.Absorption:
        key = self.largest
        biggest = None if key is None else self.provider_supply(key)
        others = self.providers - (key is not None)
        returned_others = len(self.returned_by_provider) - (key in self.returned_by_provider)
        return metrics.absorb(
            biggest,
            others=others,
            vacancies_elsewhere=sum(self.vacant_by_provider.values()) - self.vacant_by_provider.get(key, 0),
            others_without_return=others - returned_others,
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
    oversight: list[dict]


def _locations():
    return Location.objects.filter(
        is_active=True,
        organisation__is_active=True,
        organisation__kind=Organisation.Kind.PROVIDER,
        service_type__isnull=False,
    )


def _plain_rows(queryset) -> list[tuple]:
    """A grouped queryset's rows as the database driver gives them: its own SQL, without Django's per-value
    converters (a sixth of the page's time on England's 15,000 homes; these columns are integers and text)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def area_key() -> str:
    """Local authorities when the active locations are in several, else the council's localities."""
    authorities = _locations().exclude(local_authority="").order_by().values("local_authority").distinct()[:2]
    return BY_AUTHORITY if len(authorities) > 1 else BY_LOCALITY


def supply(*, by: str | None = None, service_type: ServiceType | None = None, area: str = "") -> Supply:
    """Every sub-market (or one service type's, or one area's), ordered by service type then area."""
    by = by or area_key()
    locations = _locations()
    if service_type is not None:
        locations = locations.filter(service_type=service_type)
    if area:
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
    markets = []
    for key, items in grouped.items():
        type_id, place = key
        unit = min(units[key].items(), key=lambda item: (-item[1], item[0]))[0]  # most locations; ties by name
        market = SubMarket(service_type=types[type_id], area=place, unit=unit)
        for org_id, item_unit, n, good, poor, capacity in items:
            market.locations += n
            market.locations_by_provider[org_id] = market.locations_by_provider.get(org_id, 0) + n
            market.rated_good += good
            market.rated_poor += poor
            have = market.capacity_by_provider.get(org_id, 0)
            market.capacity_by_provider[org_id] = have + (capacity if item_unit == unit else 0)
        markets.append(market)
    _add_returns({(m.service_type.pk, m.area): m for m in markets}, locations, by)
    markets.sort(key=lambda m: (m.service_type.name, m.area == "", m.area))
    return Supply(by=by, sub_markets=markets, oversight=[])


def _add_returns(markets: dict[tuple, SubMarket], locations, by: str) -> None:
    """The reporting month's capacity returns, summed per sub-market and provider (one query)."""
    month = reporting_month()
    staff = ["nurses_direct", "care_direct", "other_direct", "nurses_agency", "care_agency", "other_agency"]
    rows = (
        CapacityReturn.objects.filter(month=month, location__in=locations)
        .values_list("location__service_type_id", f"location__{by}", "location__organisation_id")
        .annotate(
            n=Count("pk"),
            beds=Sum("beds"),
            occupied=Sum("occupied"),
            vacant=Sum("vacant_accepting"),
            **{name: Sum(name) for name in staff},
        )
        .order_by()
    )
    for type_id, place, org_id, n, beds, occupied, vacant, *people in _plain_rows(rows):
        market = markets.get((type_id, place or ""))
        if market is None:
            continue
        if market.service_type.is_residential:
            # Only care homes return beds: for other services vacancies (and so the absorb test) are not known.
            market.returned_by_provider[org_id] = n
            market.occupied_by_provider[org_id] = occupied or 0
            market.vacant_by_provider[org_id] = vacant or 0
            market.returned_beds += beds or 0
            market.returned_occupied += occupied or 0
        market.staff += sum(p or 0 for p in people)
        market.agency += sum(p or 0 for p in people[3:])


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
        _locations()
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
