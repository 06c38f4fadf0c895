"""Predicted demand for the council's area: people 65+, 75+ and 85+ per year to 2040 from the ONS projections in
use, and people predicted to have each POPPI condition, their age bands' people times the condition's rates.

How rates meet the projections (said on the page too): the rates are given for men and women, the projections
count persons, so each age band takes the average of the men's and the women's rate; the projections' oldest age
group (90 and over) takes the rate of the band it starts in (90–94), so a condition given for 95+ separately is
undercounted. Rates the file gives as 'NA' (to be set locally) are not used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.market import metrics
from carenetwork.market.models import Area, MarketSettings, PopulationFigure, PopulationRelease, PrevalenceRate

LAST_YEAR = 2040
AGE_GROUPS = (
    (65, _("People aged 65 and over")),
    (75, _("People aged 75 and over")),
    (85, _("People aged 85 and over")),
)
BAND = re.compile(r"^(\d{1,3})\s*(?:-\s*(\d{1,3})|\+)")


@dataclass(frozen=True)
class Condition:
    origin: str
    name: str
    rates: tuple[metrics.Rate, ...]
    source: str


@dataclass
class CouncilArea:
    """The districts whose projections make up the council's area, and any codes we could not place."""

    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


@dataclass
class DemandYear:
    year: int
    ages: list[Decimal]
    conditions: list[Decimal | None]


@dataclass
class Demand:
    release: PopulationRelease | None
    area: CouncilArea
    conditions: list[Condition]
    not_computed: list[str]
    years: list[DemandYear]


def council_area(codes_text: str) -> CouncilArea:
    """The districts of the council's area setting: a county or unitary code brings its districts (from the ONS
    lookup), a district code itself."""
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", codes_text or "") if c.strip()]
    area = CouncilArea()
    if not codes:
        return area
    found = list(Area.objects.filter(authority_code__in=codes) | Area.objects.filter(code__in=codes))
    for code in codes:
        districts = [a for a in found if a.authority_code == code] or [a for a in found if a.code == code]
        if not districts:
            area.unknown.append(code)
        for district in districts:
            if district.code not in area.codes:
                area.codes.append(district.code)
                area.names.append(district.name)
    return area


def band(age_group: str) -> tuple[int, int | None] | None:
    """'65-69 years' → (65, 69); '90+ years' → (90, None); None for anything else."""
    match = BAND.match(age_group.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def conditions() -> tuple[list[Condition], list[str]]:
    """Each indicator with national rates as persons rates by age band, and the names of those it cannot use."""
    rows = defaultdict(lambda: defaultdict(dict))
    sources = {}
    for r in PrevalenceRate.objects.order_by("pk"):
        rows[r.origin, r.indicator][band(r.age_group)][r.sex.strip().lower()] = r.rate
        sources.setdefault((r.origin, r.indicator), f"{r.source} {r.source_year}".strip())
    usable, skipped = [], []
    for (origin, name), bands in rows.items():
        rates = []
        for key, by_sex in bands.items():
            persons = by_sex.get("persons")
            if persons is None and by_sex.get("males") is not None and by_sex.get("females") is not None:
                persons = metrics.persons_rate(by_sex["males"], by_sex["females"])
            if key is None or persons is None:
                rates = None
                break
            rates.append(metrics.Rate(key[0], key[1], persons))
        if rates:
            usable.append(Condition(origin, name, tuple(sorted(rates, key=lambda r: r.low)), sources[origin, name]))
        else:
            skipped.append(name)
    return usable, skipped


def release_in_use() -> PopulationRelease | None:
    """The newest release by single year of age (predicted demand needs ages)."""
    return PopulationRelease.objects.filter(by_age=True).order_by("-base_year").first()


def demand() -> Demand:
    """Predicted demand for the council's area, this year to 2040 (or the release's last year)."""
    settings = MarketSettings.current()
    area = council_area(settings.area_codes)
    release = release_in_use()
    usable, skipped = conditions()
    result = Demand(release, area, usable, skipped, [])
    if release is None or not area.codes:
        return result
    first = max(timezone.localdate().year, release.first_year)
    last = min(LAST_YEAR, release.last_year)
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    figures = (
        PopulationFigure.objects.filter(
            release=release, area_code__in=area.codes, year__range=(first, last), age__isnull=False
        )
        .values_list("year", "age")
        .annotate(persons=Sum("persons"))
        .order_by()
    )
    for year, age, persons in figures:
        by_year[year][age] = persons
    for year in sorted(by_year):
        population = by_year[year]
        result.years.append(
            DemandYear(
                year=year,
                ages=[metrics.age_total(population, low) for low, _label in AGE_GROUPS],
                conditions=[metrics.predicted(population, c.rates) for c in usable],
            )
        )
    return result
