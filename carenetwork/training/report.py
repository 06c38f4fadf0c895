"""The programme report: what the brokerage did in each quarter of a UK financial year (April to March).

A run belongs to the quarter its course starts in (local time). The figures are read from the sums the training
services keep per quarter (`ProgrammeQuarter`) and from the counts of active providers by sector set, now and per
quarter and year in which they bought (`ProgrammeProviders`), in the same transaction as every change
(`training.programme_figures`), so the report adds up a few rows a quarter and never reads a run, an interest or an
organisation: three queries whatever the volume. A quarter's audience is the providers whose sectors meet the ones
its runs target.
The figures go in a plain `QuarterFigures` per quarter (and one for the year, whose shares and means are worked out
from the year's totals, not averaged over quarters).

- Places offered: the capacity of every run of the quarter, cancelled ones included (they were offered).
- Places taken or with interest: for a confirmed run the places booked; for a cancelled run the places held when
  it was cancelled (its last decision); for a run not decided yet the places held now.
- Runs confirmed (those rescued by partners among them: offered to partners first) and cancelled.
- Providers purchasing: of the active care providers in the sectors the quarter's runs target (every provider when
  a run targets no sector), those with at least one booking on a run of the quarter.
- Spend brokered: what booked organisations owe (partners included). Saving: the course's usual price per delegate
  less the price paid, averaged over the booked places whose course has a usual price.
- Evaluations: delegates' ratings of the quarter's runs; the mean score is the mean of all four questions.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, Max, Min, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenetwork.organisations.models import Sector
from carenetwork.records.rules import share
from carenetwork.training.models import CourseRun, Evaluation, ProgrammeProviders, ProgrammeQuarter

PENNY = Decimal("0.01")
TENTH = Decimal("0.1")
QUESTIONS = Evaluation.QUESTIONS
RunSectors = CourseRun.sectors.through


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


def _run_figures(quarters: list[datetime.date]) -> dict[int, dict]:
    """Per quarter with runs, the runs' kept figures added up (one query over a few rows a quarter)."""
    rows = (
        ProgrammeQuarter.objects.filter(quarter__in=quarters)
        .values("quarter")
        .annotate(**{name: Sum(name) for name in ProgrammeQuarter.SUMS})
        .order_by("quarter")
    )
    return {quarters.index(r.pop("quarter")) + 1: r for r in rows if r["runs"]}


def _targeted_sectors(quarters: list[datetime.date]) -> dict[int, set[int]]:
    """Per quarter, the sectors its runs target (one query: a look-up per sector and quarter, not a scan)."""
    targeted = {
        f"q{n}": Exists(RunSectors.objects.filter(sector_id=OuterRef("pk"), courserun__programme_figures__quarter=day))
        for n, day in enumerate(quarters, start=1)
    }
    sectors: dict[int, set[int]] = {}
    for row in Sector.objects.annotate(**targeted).values("pk", *targeted):
        for n in range(1, len(quarters) + 1):
            if row[f"q{n}"]:
                sectors.setdefault(n, set()).add(row["pk"])
    return sectors


def _audience_figures(quarters, runs: dict[int, dict], sectors: dict[int, set[int]]) -> dict[int, dict]:
    """Per quarter (0: the year), the active providers in the targeted sectors and how many of them booked: one
    query over the providers' kept counts by sector set."""
    year = quarters[0]
    periods = Q(starts__isnull=True) | Q(starts__in=quarters, months=3) | Q(starts=year, months=12)
    counts = (
        ProgrammeProviders.objects.filter(periods)
        .values_list("starts", "months", "sectors")
        .annotate(n=Sum("providers"))
        .order_by()
    )
    spans = {q: (quarters[q - 1], 3) for q in runs}
    sectors = {**sectors, 0: set().union(*sectors.values())}
    spans[0] = (year, 12)
    everyone = {quarter: any(r["untargeted_runs"] for q, r in runs.items() if quarter in (0, q)) for quarter in spans}
    figures = {q: {"audience": 0, "purchasing": 0} for q in spans}
    for starts, months, key, n in counts:
        in_sectors = {int(pk) for pk in key.split(",") if pk}
        for quarter, span in spans.items():
            if not (everyone[quarter] or in_sectors & sectors.get(quarter, set())):
                continue
            if starts is None:
                figures[quarter]["audience"] += n
            elif (starts, months) == span:
                figures[quarter]["purchasing"] += n
    return figures


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
    """The four quarters of the financial year starting in April `year`, and the year's totals, from the runs' kept
    figures (three queries whatever the number of runs)."""
    starts = quarter_starts(year)
    runs = _run_figures(starts[:4])
    audience = _audience_figures(starts[:4], runs, _targeted_sectors(starts[:4])) if runs else {}
    quarters = [
        _figures(year, q, starts[q - 1], starts[q] - datetime.timedelta(days=1), runs.get(q, {}), audience.get(q, {}))
        for q in range(1, 5)
    ]
    total = _figures(year, 0, starts[0], starts[4] - datetime.timedelta(days=1), audience.get(0, {}))
    for name in ADDITIVE:
        setattr(total, name, sum((getattr(q, name) for q in quarters), type(getattr(total, name))()))
    total.question_totals = {name: sum(q.question_totals.get(name, 0) for q in quarters) for name in QUESTIONS}
    return ProgrammeReport(year=year, quarters=quarters, total=total)
