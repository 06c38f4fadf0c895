"""The demand survey (a provider's admins), the commissioning priorities and the programme report (council staff),
and the brokerage settings (council administrators). Thin: demand.py, report.py and services_settings.py do the
work; core/charts.py draws the charts, always beside a table of the same figures."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import charts
from carenetwork.core.access import require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.organisations.models import Sector
from carenetwork.organisations.selectors import organisation_get_for
from carenetwork.training import demand, permissions, report
from carenetwork.training.forms_council import (
    BrokerageSettingsForm,
    DemandSurveyForm,
    PrioritiesFilterForm,
    ProgrammeFilterForm,
)
from carenetwork.training.models import BrokerageSettings, Evaluation
from carenetwork.training.services_settings import brokerage_settings_save


def _table_response(basename: str, fmt: str, header: list[str], lines, *, sheet: str) -> HttpResponseBase:
    return table_response(itertools.chain([header], lines), basename, fmt, sheet=sheet)


# The demand survey.


@login_required
def demand_survey(request, pk):
    """A provider's admins say how many staff need each kind of training in the next six months."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_answer_demand_survey(request.user, organisation))
    categories = demand.survey_categories(organisation)
    form = DemandSurveyForm(
        request.POST or None,
        categories=categories,
        initial={f"category_{k}": v for k, v in demand.current_answers(organisation).items()},
    )
    saved = submitted(
        request,
        form,
        lambda data: demand.demand_save(actor=request.user, organisation=organisation, answers=form.answers()),
    )
    if saved is not None:
        messages.success(request, _("Your answers have been saved. Thank you."))
        return redirect("training:demand-survey", pk=organisation.pk)
    return render(
        request,
        "training/demand/survey.html",
        {
            "organisation": organisation,
            "form": form,
            "last_answered": demand.last_answered(organisation),
            "months": demand.MONTHS_CURRENT,
        },
    )


# Commissioning priorities.


def _priorities(request):
    form = PrioritiesFilterForm(request.GET or None, sectors=list(Sector.objects.order_by("position", "name")))
    sector = form.chosen_sector()
    return form, sector, demand.priorities(sector=sector)


@login_required
def priorities(request):
    """What to commission next: categories ranked by survey demand plus the skills gap, with what is commissioned."""
    require(permissions.can_view_programme(request.user))
    form, sector, result = _priorities(request)
    chart = charts.bar_chart(
        chart_id="priorities-chart",
        title=_("The training most needed"),
        description=_(
            "Bar chart of the training categories with the largest combined need, largest first: staff the demand "
            "survey says need the training plus staff lacking it where it is mandatory. The table below gives "
            "every figure."
        ),
        bars=[
            (
                n.name,
                n.combined,
                _("%(combined)s (survey %(demand)s, gap %(gap)s)")
                % {"combined": n.combined, "demand": n.demand, "gap": n.gap},
            )
            for n in result.needs
        ],
        maximum=max((n.combined for n in result.needs), default=0),
    )
    return render(
        request,
        "training/council/priorities.html",
        {
            "form": form,
            "sector": sector,
            "result": result,
            "chart": chart if result.needs else None,
            "months": demand.MONTHS_CURRENT,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def priorities_csv(request, fmt="csv"):
    """The commissioning priorities with the same filter as CSV or XLSX."""
    require(permissions.can_view_programme(request.user))
    _form, sector, result = _priorities(request)
    return _table_response(
        f"training-priorities-{result.today:%Y-%m-%d}",
        fmt,
        [
            _("Rank"),
            _("Training category"),
            _("Combined need"),
            _("Staff needing it (survey)"),
            _("Staff lacking it (skills gap)"),
            _("Upcoming runs"),
            _("Places left on them"),
        ],
        (
            [i, n.name, n.combined, n.demand, n.gap, n.upcoming_runs, n.places_left]
            for i, n in enumerate(result.needs, start=1)
        ),
        sheet=_("Commissioning priorities"),
    )


# The programme report.


def _programme(request):
    today = timezone.localdate()
    years = report.year_choices(today)
    form = ProgrammeFilterForm(request.GET or None, years=years, default=report.financial_year_of(today))
    year = form.chosen_year()
    # Read from the figures the training services keep up to date: no cache, so every change shows at once.
    return form, report.programme_report(year=year)


def _money(value) -> str:
    return "" if value is None else f"£{value:,.2f}"


def _programme_charts(result: report.ProgrammeReport) -> dict:
    quarters = result.quarters
    filled = charts.bar_chart(
        chart_id="places-chart",
        title=_("Places taken or with interest, by quarter"),
        description=_(
            "Bar chart of the places taken or with interest in each quarter. The table below gives the "
            "places offered and the share filled."
        ),
        bars=[
            (
                q.label,
                q.places_filled,
                _("%(filled)s of %(offered)s") % {"filled": q.places_filled, "offered": q.places_offered},
            )
            for q in quarters
        ],
        maximum=max((q.places_offered for q in quarters), default=0),
    )
    runs = charts.bar_chart(
        chart_id="runs-chart",
        title=_("Runs confirmed, by quarter"),
        description=_(
            "Bar chart of the runs confirmed in each quarter. The table below gives those rescued by "
            "partners and those cancelled."
        ),
        bars=[
            (
                q.label,
                q.runs_confirmed,
                _("%(confirmed)s of %(runs)s") % {"confirmed": q.runs_confirmed, "runs": q.runs},
            )
            for q in quarters
        ],
        maximum=max((q.runs for q in quarters), default=0),
    )
    shares = charts.line_chart(
        chart_id="shares-chart",
        title=_("Places filled and providers purchasing, by quarter"),
        description=_(
            "Line chart of the share of places filled and the share of target-audience providers "
            "purchasing in each quarter. The tables below give the figures."
        ),
        labels=[q.short_label for q in quarters],
        series=[
            (_("Places filled"), [q.share_filled for q in quarters]),
            (_("Providers purchasing"), [q.share_purchasing for q in quarters]),
        ],
    )
    spend = charts.bar_chart(
        chart_id="spend-chart",
        title=_("Spend brokered, by quarter"),
        description=_("Bar chart of the spend brokered in each quarter. The table below gives the figures."),
        bars=[(q.label, q.spend, _money(q.spend)) for q in quarters],
        maximum=max((q.spend for q in quarters), default=0),
    )
    saving = charts.bar_chart(
        chart_id="saving-chart",
        title=_("Average saving per place against the usual price, by quarter"),
        description=_(
            "Bar chart of the average saving per booked place in each quarter, measured against the training "
            "provider's usual price per delegate for one place bought alone. The table below gives the figures."
        ),
        bars=[
            (q.label, q.average_saving, _money(q.average_saving) or _("No usual price to compare")) for q in quarters
        ],
        maximum=max((q.average_saving or 0 for q in quarters), default=0),
    )
    scores = charts.bar_chart(
        chart_id="scores-chart",
        title=_("Mean evaluation score, by quarter"),
        description=_(
            "Bar chart of delegates' mean score out of 5 in each quarter. The table below gives the "
            "figures for each question."
        ),
        bars=[
            (
                q.label,
                q.mean_score,
                _("%(score)s out of 5") % {"score": q.mean_score} if q.mean_score is not None else _("No ratings"),
            )
            for q in quarters
        ],
        maximum=5,
    )
    return {
        "places_chart": filled,
        "runs_chart": runs,
        "shares_chart": shares,
        "spend_chart": spend,
        "saving_chart": saving,
        "scores_chart": scores,
    }


@login_required
def programme_report(request):
    """The programme by quarter of a financial year: places, runs, providers purchasing, spend, savings, ratings."""
    require(permissions.can_view_programme(request.user))
    form, result = _programme(request)
    context = {
        "form": form,
        "result": result,
        "columns": [*result.quarters, result.total],
        "question_rows": [
            {
                "label": Evaluation._meta.get_field(name).verbose_name,
                "means": [q.question_mean(name) for q in [*result.quarters, result.total]],
            }
            for name in Evaluation.QUESTIONS
        ],
        "query": request.GET.urlencode(),
    }
    if result.has_runs:
        context.update(_programme_charts(result))
    return render(request, "training/council/programme_report.html", context)


@login_required
def programme_report_csv(request, fmt="csv"):
    """The programme report's figures for the chosen year as CSV or XLSX: a line per quarter and one for the
    year."""
    require(permissions.can_view_programme(request.user))
    _form, result = _programme(request)
    header = [
        _("Financial year"),
        _("Quarter"),
        _("From"),
        _("To"),
        _("Places offered"),
        _("Places taken or with interest"),
        _("Share filled (%)"),
        _("Runs"),
        _("Runs confirmed"),
        _("Of which rescued by partners"),
        _("Runs cancelled"),
        _("Runs not decided yet"),
        _("Target-audience providers"),
        _("Providers purchasing"),
        _("Share purchasing (%)"),
        _("Spend brokered (£)"),
        _("Places booked"),
        _("Places compared with the usual price"),
        _("Average saving per place against the usual price (£)"),
        _("Evaluations"),
        _("Mean score (1 to 5)"),
        *[str(Evaluation._meta.get_field(q).verbose_name) for q in Evaluation.QUESTIONS],
    ]
    lines = (
        [
            report.financial_year_label(result.year),
            q.short_label,
            q.starts.isoformat(),
            q.ends.isoformat(),
            q.places_offered,
            q.places_filled,
            q.share_filled,
            q.runs,
            q.runs_confirmed,
            q.runs_rescued,
            q.runs_cancelled,
            q.runs_undecided,
            q.audience,
            q.purchasing,
            q.share_purchasing,
            q.spend,
            q.places_booked,
            q.places_compared,
            q.average_saving,
            q.evaluations,
            q.mean_score,
            *[mean for _q, mean in q.question_means],
        ]
        for q in [*result.quarters, result.total]
    )
    return _table_response(
        f"training-programme-{result.year}-{result.year + 1}", fmt, header, lines, sheet=_("Programme report")
    )


# Settings.


@login_required
def brokerage_settings(request):
    """The partner margin for new runs, how long partners have and when booked organisations are reminded."""
    require(permissions.can_manage_brokerage_settings(request.user))
    form = BrokerageSettingsForm(request.POST or None, instance=BrokerageSettings.current())
    saved = submitted(request, form, lambda data: brokerage_settings_save(actor=request.user, data=data))
    if saved:
        messages.success(request, _("The brokerage settings have been saved"))
        return redirect("training:settings")
    return render(request, "training/council/settings.html", {"form": form})
