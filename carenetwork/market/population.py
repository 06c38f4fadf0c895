"""Loading the demand files: ONS subnational population projections, the ONS district → county/unitary lookup, and
the POPPI/PANSI prevalence assumptions. Each file is recognised by its header; loading a file again replaces what
it loaded before (a release is replaced by a release of the same base year), so loading is idempotent, and a newer
release (the 2022-based projections of June 2025) loads beside an older one.

Projections files the importer reads (one row per area and age, a column per year):
- ONS single year of age: AREA_CODE, [AREA_NAME], [COMPONENT], [SEX], AGE_GROUP, 2016, 2017, … The oldest age
  ("90", "90 and over", "90+") means that age and over; "All ages" rows are left out of a by-age release. Where
  the file has SEX, the persons rows are used, or males and females added when it has no persons rows; where it has
  COMPONENT, only "Population" rows.
- ONS all ages: AREA_CODE, AREA_NAME, 2018, 2019, … (total persons only).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenetwork.core.models import AuditEvent
from carenetwork.market.models import Area, PopulationFigure, PopulationRelease, PrevalenceRate

MAX_BYTES = 100 * 1024 * 1024
MAX_ROWS = 500_000
BATCH = 5000
YEAR = re.compile(r"^(19|20)\d\d$")
AREA_CODE = re.compile(r"^[EWSN]\d{8}$")
OPEN_AGE = re.compile(r"^(\d{1,3})\s*(\+|and over|plus)$", re.IGNORECASE)
PERSONS = {"persons", "all persons", "all"}


@dataclass(frozen=True)
class Loaded:
    """What a file loaded: its kind ('projections', 'lookup', 'prevalence'), rows read and a sentence for people."""

    kind: str
    rows: int
    message: str


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")  # the prevalence file is Windows-1252


def _reader(name: str, content: bytes):
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB: load one ONS file at a time")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    reader = csv.reader(io.StringIO(_text(content), newline=""))
    header = [h.strip() for h in next(reader, [])]
    return header, reader


def _rows(name: str, reader):
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(_("%(name)s has more than %(n)s rows") % {"name": name, "n": f"{MAX_ROWS:,}"})
        if any(cell.strip() for cell in row):
            yield number, row


def load_file(*, actor, name: str, content: bytes, areas: set[str] | None = None) -> Loaded:
    """Load one demand file, recognised by its header; ValidationError, changing nothing, for anything else.
    `areas` keeps only those area codes' projections (a council needs only its own)."""
    header, reader = _reader(name, content)
    upper = [h.upper() for h in header]
    if "LTLA22CD" in upper and "UTLA22CD" in upper:
        loaded = _load_lookup(name, header, reader)
    elif "Indicator" in header and "Assumption" in header and "Age_group" in header:
        loaded = _load_prevalence(name, header, reader)
    elif "POP_65PLUS" in upper:
        raise ValidationError(
            _(
                "%(name)s is a summary derived from the projections (65+, 75+, 85+ only), not an ONS release. "
                "Load the file of persons by single year of age it was made from."
            )
            % {"name": name}
        )
    elif "AREA_CODE" in upper and any(YEAR.match(h) for h in header):
        loaded = _load_projections(name, header, reader, areas)
    else:
        raise ValidationError(
            _(
                "%(name)s is not a file we recognise. Load ONS subnational population projections (a row per area "
                "and age, a column per year), the ONS district to county and unitary authority lookup, or the "
                "POPPI/PANSI prevalence assumptions."
            )
            % {"name": name}
        )
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="market.demand_file_loaded",
        object_type="file",
        object_id="",
        object_repr=name[:255],
        changes={"kind": loaded.kind, "rows": loaded.rows, "message": loaded.message},
    )
    return loaded


def _number(name: str, number: int, value: str) -> Decimal:
    try:
        figure = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(
            _("%(name)s, row %(row)s: “%(value)s” is not a number") % {"name": name, "row": number, "value": value}
        ) from None
    if not figure.is_finite() or figure < 0 or figure >= 10**11:
        raise ValidationError(
            _("%(name)s, row %(row)s: “%(value)s” is not a count of people")
            % {"name": name, "row": number, "value": value}
        )
    return figure.quantize(Decimal("0.001"))


def _age(name: str, number: int, value: str) -> tuple[int | None, bool]:
    """(age, open-ended) for an AGE_GROUP value; (None, False) for all ages."""
    text = " ".join(value.split())
    if text.isdigit() and int(text) <= 120:
        return int(text), False
    match = OPEN_AGE.match(text)
    if match and int(match.group(1)) <= 120:
        return int(match.group(1)), True
    if text.lower() in {"all ages", "all"}:
        return None, False
    raise ValidationError(
        _("%(name)s, row %(row)s: “%(value)s” is not an age group") % {"name": name, "row": number, "value": value}
    )


def _load_projections(name: str, header: list[str], reader, areas: set[str] | None) -> Loaded:
    upper = [h.upper() for h in header]
    years = [(i, int(h)) for i, h in enumerate(header) if YEAR.match(h)]
    column = {h: upper.index(h) for h in ("AREA_CODE", "AREA_NAME", "AGE_GROUP", "SEX", "COMPONENT") if h in upper}
    by_age = "AGE_GROUP" in column
    figures: dict[tuple[str, int | None], list[Decimal]] = {}
    by_sex: dict[tuple[str, int | None], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(years))
    names: dict[str, str] = {}
    rows = 0
    for number, row in _rows(name, reader):
        if len(row) < len(header):
            raise ValidationError(
                _("%(name)s, row %(row)s: has %(n)s columns, the header %(h)s")
                % {"name": name, "row": number, "n": len(row), "h": len(header)}
            )
        rows += 1
        code = row[column["AREA_CODE"]].strip()
        if not AREA_CODE.match(code):
            raise ValidationError(
                _("%(name)s, row %(row)s: “%(code)s” is not an ONS area code")
                % {"name": name, "row": number, "code": code}
            )
        if areas is not None and code not in areas:
            continue
        if "AREA_NAME" in column:
            names[code] = row[column["AREA_NAME"]].strip()
        if "COMPONENT" in column and row[column["COMPONENT"]].strip().lower() != "population":
            continue
        age = None
        if by_age:
            age, _open = _age(name, number, row[column["AGE_GROUP"]])
            if age is None:
                continue
        values = [_number(name, number, row[i]) for i, _year in years]
        sex = row[column["SEX"]].strip().lower() if "SEX" in column else "persons"
        if sex in PERSONS:
            if (code, age) in figures:
                raise ValidationError(
                    _("%(name)s, row %(row)s: %(code)s, age %(age)s appears twice")
                    % {"name": name, "row": number, "code": code, "age": age}
                )
            figures[code, age] = values
        else:
            by_sex[code, age] = [a + b for a, b in zip(by_sex[code, age], values, strict=True)]
    for key, values in by_sex.items():
        figures.setdefault(key, values)
    if not figures:
        raise ValidationError(_("%(name)s has no population figures") % {"name": name})
    base_year = years[0][1]
    oldest = max((age for _code, age in figures if age is not None), default=None)
    detail = _("persons by single year of age") if by_age else _("persons, all ages")
    with transaction.atomic():
        PopulationRelease.objects.filter(base_year=base_year, by_age=by_age).delete()
        release = PopulationRelease.objects.create(
            name=_("ONS %(year)s-based subnational population projections, %(detail)s")
            % {"year": base_year, "detail": detail},
            base_year=base_year,
            by_age=by_age,
            oldest_age=oldest,
            first_year=base_year,
            last_year=years[-1][1],
            file_name=name[:255],
        )
        batch = []
        for (code, age), values in figures.items():
            for (_i, year), persons in zip(years, values, strict=True):
                batch.append(PopulationFigure(release=release, area_code=code, year=year, age=age, persons=persons))
                if len(batch) >= BATCH:
                    PopulationFigure.objects.bulk_create(batch)
                    batch = []
        PopulationFigure.objects.bulk_create(batch)
        _name_areas(names)
    return Loaded(
        "projections",
        rows,
        _("Loaded %(release)s: %(areas)s areas, %(first)s to %(last)s.")
        % {
            "release": release.name,
            "areas": len({code for code, _age in figures}),
            "first": release.first_year,
            "last": release.last_year,
        },
    )


def _name_areas(names: dict[str, str]) -> None:
    """Areas the lookup does not know as districts (England, regions, counties) keep the name the projections give
    them, with no upper tier: a county's districts come from the lookup."""
    known = set(Area.objects.filter(code__in=names).values_list("code", flat=True))
    Area.objects.bulk_create([Area(code=c, name=n[:100]) for c, n in names.items() if c not in known])


def _load_lookup(name: str, header: list[str], reader) -> Loaded:
    upper = [h.upper() for h in header]
    at = {h: upper.index(h) for h in ("LTLA22CD", "LTLA22NM", "UTLA22CD", "UTLA22NM")}
    areas = {}
    for number, row in _rows(name, reader):
        code, authority = row[at["LTLA22CD"]].strip(), row[at["UTLA22CD"]].strip()
        if not (AREA_CODE.match(code) and AREA_CODE.match(authority)):
            raise ValidationError(_("%(name)s, row %(row)s: not an ONS area code") % {"name": name, "row": number})
        areas[code] = Area(
            code=code,
            name=row[at["LTLA22NM"]].strip()[:100],
            authority_code=authority,
            authority_name=row[at["UTLA22NM"]].strip()[:100],
        )
    with transaction.atomic():
        Area.objects.filter(code__in=areas).delete()
        Area.objects.bulk_create(areas.values())
    authorities = {a.authority_code for a in areas.values()}
    return Loaded(
        "lookup",
        len(areas),
        _("Loaded the area lookup: %(d)s districts in %(a)s upper-tier authorities.")
        % {"d": len(areas), "a": len(authorities)},
    )


def _load_prevalence(name: str, header: list[str], reader) -> Loaded:
    at = {h: header.index(h) for h in header}
    rates = []
    for number, row in _rows(name, reader):
        value = row[at["Assumption"]].strip()
        rate = None
        if value.upper() not in {"", "NA", "N/A"}:
            try:
                rate = Decimal(value)
            except InvalidOperation:
                raise ValidationError(
                    _("%(name)s, row %(row)s: “%(value)s” is not a rate")
                    % {"name": name, "row": number, "value": value}
                ) from None
            if not (rate.is_finite() and 0 <= rate <= 1):
                raise ValidationError(
                    _("%(name)s, row %(row)s: a rate is between 0 and 1, not %(value)s")
                    % {"name": name, "row": number, "value": value}
                )

        def cell(column, limit, row=row):
            return row[at[column]].strip()[:limit] if column in at else ""

        rates.append(
            PrevalenceRate(
                origin=cell("Indicator origin", 100),
                indicator=cell("Indicator", 200),
                sex=cell("Sex", 20),
                age_group=cell("Age_group", 40),
                application=cell("Application", 100),
                rate=rate,
                source=cell("Source", 255),
                source_year=cell("Source_year", 20),
            )
        )
    with transaction.atomic():
        PrevalenceRate.objects.all().delete()
        PrevalenceRate.objects.bulk_create(rates)
    indicators = {(r.origin, r.indicator) for r in rates}
    return Loaded(
        "prevalence",
        len(rates),
        _("Loaded %(n)s prevalence rates for %(i)s indicators.") % {"n": len(rates), "i": len(indicators)},
    )
