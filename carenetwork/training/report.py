"""The programme report: what the brokerage did in each quarter of a UK financial year (April to March).

A run belongs to the quarter its course starts in (local time). Every figure is counted in the database, in five
queries for the whole year whatever the number of runs, and kept in a plain `QuarterFigures` per quarter (and one
for the year, whose shares and means are worked out from the year's totals, not averaged over quarters).

- Places offered: the capacity of every run of the quarter, cancelled ones included (they were offered).
- Places taken or with interest: for a confirmed run the places booked; for a cancelled run the places held when
  it was cancelled (its last decision); for a run not decided yet the places held now.
- Runs confirmed (those rescued by partners among them: offered to partners first) and cancelled.
- Providers purchasing: of the active care providers in the sectors the quarter's runs target (every provider when
  a run targets no sector), those with at least one booking on a run of the quarter.
- Spend brokered: what booked organisations owe (partners included). Saving: the single-place price less the price
  paid, averaged over booked places.
- Evaluations: delegates' ratings of the quarter's runs; the mean score is the mean of all four questions.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenetwork.core.form_fields import aware
from carenetwork.organisations.models import Organisation
from carenetwork.records.rules import share
from carenetwork.training.models import CourseRun, Evaluation, Interest, RunDecision

PENNY = Decimal("0.01")
TENTH = Decimal("0.1")
QUESTIONS = Evaluation.QUESTIONS
Status = CourseRun.Status
RunSectors = CourseRun.sectors.through
OrganisationSectors = Organisation.sectors.through


@dataclass
class QuarterFigures:
    """Every figure of one quarter (number 1–4) or of the whole financial year (number 0)."""

    year: int
    number: int
    starts: datetime.date
    ends: datetime.date  # the last day
    places_offered: int = 0
    places_filled: int = 0
    runs: int = 0
    runs_confirmed: int = 0
    runs_rescued: int = 0
    runs_cancelled: int = 0
    audience: int = 0
    purchasing: int = 0
    spend: Decimal = Decimal("0.00")
    places_booked: int = 0
    # Booked places whose course has a usual price per delegate: the saving is measured over these alone.
    places_compared: int = 0
    saving_total: Decimal = Decimal("0.00")
    evaluations: int = 0
    question_totals: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if not self.number:
            return financial_year_label(self.year)
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.starts, "M"),
            "end": date_format(self.ends, "M Y"),
        }

    @property
    def short_label(self) -> str:
        return _("Q%(n)s") % {"n": self.number} if self.number else _("Year")

    @property
    def runs_undecided(self) -> int:
        return self.runs - self.runs_confirmed - self.runs_cancelled

    @property
    def share_filled(self) -> int | None:
        """Places taken or with interest as a whole-number percentage of places offered (rounded down)."""
        return share(self.places_filled, self.places_offered)

    @property
    def share_purchasing(self) -> int | None:
        return share(self.purchasing, self.audience)

    @property
    def average_saving(self) -> Decimal | None:
        """The mean saving per booked place against the course's usual price per delegate (what one place bought
        alone costs), over the places whose course has one, to the penny."""
        if not self.places_compared:
            return None
        return (Decimal(self.saving_total) / self.places_compared).quantize(PENNY, rounding=ROUND_HALF_UP)

    def question_mean(self, question: str) -> Decimal | None:
        if not self.evaluations:
            return None
        return (Decimal(self.question_totals.get(question, 0)) / self.evaluations).quantize(TENTH, ROUND_HALF_UP)

    @property
    def question_means(self) -> list[tuple[str, Decimal | None]]:
        return [(q, self.question_mean(q)) for q in QUESTIONS]

    @property
    def mean_score(self) -> Decimal | None:
        """The mean of all four questions' scores (1 to 5), to one decimal place."""
        if not self.evaluations:
            return None
        total = sum(self.question_totals.get(q, 0) for q in QUESTIONS)
        return (Decimal(total) / (len(QUESTIONS) * self.evaluations)).quantize(TENTH, ROUND_HALF_UP)


@dataclass
class ProgrammeReport:
    year: int
    quarters: list[QuarterFigures]
    total: QuarterFigures

    @property
    def has_runs(self) -> bool:
        return self.total.runs > 0


def financial_year_of(day: datetime.date) -> int:
    """The financial year a day falls in, named by the year it starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return _("April %(start)s to March %(end)s") % {"start": year, "end": year + 1}


def quarter_starts(year: int) -> list[datetime.date]:
    """The first days of the four quarters of the financial year, and of the next year."""
    return [
        datetime.date(year, 4, 1),
        datetime.date(year, 7, 1),
        datetime.date(year, 10, 1),
        datetime.date(year + 1, 1, 1),
        datetime.date(year + 1, 4, 1),
    ]


def year_choices(today: datetime.date | None = None) -> list[int]:
    """The financial years with runs, and the current one, newest first (one query)."""
    today = today or timezone.localdate()
    bounds = CourseRun.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    years = {financial_year_of(today)}
    if bounds["first"]:
        first = financial_year_of(timezone.localdate(bounds["first"]))
        last = financial_year_of(timezone.localdate(bounds["last"]))
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def _quarter_of(path: str, moments: list[datetime.datetime]) -> Case:
    """The quarter (1–4) of the datetime at `path`, for rows already limited to the year."""
    return Case(
        When(**{f"{path}__lt": moments[1]}, then=Value(1)),
        When(**{f"{path}__lt": moments[2]}, then=Value(2)),
        When(**{f"{path}__lt": moments[3]}, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _in_year(path: str, moments) -> Q:
    return Q(**{f"{path}__gte": moments[0], f"{path}__lt": moments[4]})


def _run_figures(moments) -> dict[int, dict]:
    booked = (
        Interest.objects.filter(run=OuterRef("pk"), status=Interest.Status.BOOKED)
        .values("run")
        .annotate(total=Sum("places"))
        .values("total")
    )
    at_decision = RunDecision.objects.filter(run=OuterRef("pk")).order_by("-at", "-pk").values("places")[:1]
    filled = Case(
        When(status=Status.CONFIRMED, then=Coalesce(Subquery(booked), 0)),
        When(status=Status.CANCELLED, then=Coalesce(Subquery(at_decision), 0)),
        default=F("places_taken"),
        output_field=IntegerField(),
    )
    untargeted = ~Exists(RunSectors.objects.filter(courserun_id=OuterRef("pk")))
    rows = (
        CourseRun.objects.filter(_in_year("starts_at", moments))
        .annotate(quarter=_quarter_of("starts_at", moments), untargeted=untargeted)
        .values("quarter")
        .annotate(
            places_offered=Sum("capacity"),
            places_filled=Sum(filled),
            runs=Count("pk"),
            runs_confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
            runs_rescued=Count("pk", filter=Q(status=Status.CONFIRMED, partners_offered_at__isnull=False)),
            runs_cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            untargeted_runs=Count("pk", filter=Q(untargeted=True)),
        )
        .order_by("quarter")
    )
    return {r.pop("quarter"): r for r in rows}


def _booking_figures(moments) -> dict[int, dict]:
    saving = ExpressionWrapper(
        (F("run__course__usual_price") - F("price")) * F("places"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    compared = Q(price__isnull=False, run__course__usual_price__isnull=False)
    rows = (
        Interest.objects.filter(_in_year("run__starts_at", moments), status=Interest.Status.BOOKED)
        .annotate(quarter=_quarter_of("run__starts_at", moments))
        .values("quarter")
        .annotate(
            spend=Sum("amount_due"),
            places_booked=Sum("places"),
            places_compared=Sum("places", filter=compared),
            saving_total=Sum(saving, filter=compared),
        )
        .order_by("quarter")
    )
    return {r.pop("quarter"): r for r in rows}


def _evaluation_figures(moments) -> dict[int, dict]:
    rows = (
        Evaluation.objects.filter(_in_year("run__starts_at", moments))
        .annotate(quarter=_quarter_of("run__starts_at", moments))
        .values("quarter")
        .annotate(evaluations=Count("pk"), **{q: Sum(q) for q in QUESTIONS})
        .order_by("quarter")
    )
    return {r.pop("quarter"): r for r in rows}


def _targeted_sectors(moments) -> dict[int, set[int]]:
    rows = (
        RunSectors.objects.filter(_in_year("courserun__starts_at", moments))
        .annotate(quarter=_quarter_of("courserun__starts_at", moments))
        .values_list("quarter", "sector_id")
        .distinct()
    )
    sectors: dict[int, set[int]] = {}
    for quarter, sector_id in rows:
        sectors.setdefault(quarter, set()).add(sector_id)
    return sectors


def _audience_figures(moments, runs: dict[int, dict], sectors: dict[int, set[int]]) -> dict[int, dict]:
    """Per quarter (0: the year), the active providers in the targeted sectors and how many of them booked."""
    spans = {q: (moments[q - 1], moments[q]) for q in runs}
    if runs:
        spans[0] = (moments[0], moments[4])
        sectors = {**sectors, 0: set().union(*sectors.values())}
    aggregates = {}
    for quarter, (start, end) in spans.items():
        everyone = any(r["untargeted_runs"] for q, r in runs.items() if quarter in (0, q))
        in_audience = (
            Q()
            if everyone
            else Q(
                Exists(
                    OrganisationSectors.objects.filter(
                        organisation_id=OuterRef("pk"), sector_id__in=sorted(sectors.get(quarter, ()) or [0])
                    )
                )
            )
        )
        booked = Exists(
            Interest.objects.filter(
                organisation_id=OuterRef("pk"),
                status=Interest.Status.BOOKED,
                run__starts_at__gte=start,
                run__starts_at__lt=end,
            )
        )
        aggregates[f"audience_{quarter}"] = Count("pk", filter=in_audience) if in_audience else Count("pk")
        aggregates[f"purchasing_{quarter}"] = Count("pk", filter=in_audience & Q(booked))
    if not aggregates:
        return {}
    counts = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True).aggregate(**aggregates)
    return {q: {"audience": counts[f"audience_{q}"], "purchasing": counts[f"purchasing_{q}"]} for q in spans}


def _figures(year: int, number: int, starts: datetime.date, ends: datetime.date, *parts: dict) -> QuarterFigures:
    figures = QuarterFigures(year=year, number=number, starts=starts, ends=ends)
    for part in parts:
        for name, value in part.items():
            if name in QUESTIONS:
                figures.question_totals[name] = int(value or 0)
            elif name in ("spend", "saving_total"):
                setattr(figures, name, Decimal(value or 0).quantize(PENNY))
            elif hasattr(figures, name) and name != "untargeted_runs":
                setattr(figures, name, int(value or 0))
    return figures


ADDITIVE = (
    "places_offered",
    "places_filled",
    "runs",
    "runs_confirmed",
    "runs_rescued",
    "runs_cancelled",
    "spend",
    "places_booked",
    "places_compared",
    "saving_total",
    "evaluations",
)


def programme_report(*, year: int) -> ProgrammeReport:
    """The four quarters of the financial year starting in April `year`, and the year's totals (five queries)."""
    starts = quarter_starts(year)
    moments = [aware(day, datetime.time.min) for day in starts]
    runs = _run_figures(moments)
    bookings = _booking_figures(moments)
    evaluations = _evaluation_figures(moments)
    audience = _audience_figures(moments, runs, _targeted_sectors(moments)) if runs else {}
    quarters = [
        _figures(
            year,
            q,
            starts[q - 1],
            starts[q] - datetime.timedelta(days=1),
            runs.get(q, {}),
            bookings.get(q, {}),
            evaluations.get(q, {}),
            audience.get(q, {}),
        )
        for q in range(1, 5)
    ]
    total = _figures(year, 0, starts[0], starts[4] - datetime.timedelta(days=1), audience.get(0, {}))
    for name in ADDITIVE:
        setattr(total, name, sum((getattr(q, name) for q in quarters), type(getattr(total, name))()))
    total.question_totals = {name: sum(q.question_totals.get(name, 0) for q in quarters) for name in QUESTIONS}
    return ProgrammeReport(year=year, quarters=quarters, total=total)
