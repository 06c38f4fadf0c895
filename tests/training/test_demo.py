"""The demo borough has a live training programme with a year of history, its programme figures equal a recount,
and building it again adds nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from carenetwork.accounts.models import User
from carenetwork.organisations.models import Organisation
from carenetwork.records.models import TrainingRecord
from carenetwork.training import demand
from carenetwork.training.models import (
    Course,
    CourseRun,
    Delegate,
    DemandEstimate,
    Evaluation,
    Interest,
    RunDecision,
    RunFigures,
)
from carenetwork.training.position import position_of
from carenetwork.training.programme_figures import programme_figures_recount
from carenetwork.training.report import financial_year_of, programme_report, quarter_starts

pytestmark = pytest.mark.django_db
Status = CourseRun.Status
WILLOW = "Willow Care Home"


def _counts() -> dict:
    models = [Course, CourseRun, Interest, Delegate, Evaluation, DemandEstimate, RunDecision, TrainingRecord]
    return {model.__name__: model.objects.count() for model in models}


def _quarters_touching(start: datetime.date, end: datetime.date):
    """(financial year, quarter number) of every quarter with a day between start and end."""
    found = []
    for year in range(financial_year_of(start), financial_year_of(end) + 1):
        starts = quarter_starts(year)
        for number in range(1, 5):
            first, last = starts[number - 1], starts[number] - datetime.timedelta(days=1)
            if first <= end and last >= start:
                found.append((year, number))
    return found


def _figures(year: int, number: int):
    return programme_report(year=year).quarters[number - 1]


def test_demo_training_programme_is_live_and_building_again_adds_nothing(client):
    call_command("demo_borough")
    now, today = timezone.now(), timezone.localdate()
    runs = CourseRun.objects.select_related("course")

    # Every state a run can be in.
    open_runs = runs.filter(status=Status.OPEN, interest_deadline__gt=now, places_taken__gt=0)
    assert open_runs.count() >= 5
    assert runs.filter(status=Status.OPEN, interest_deadline__lte=now).count() == 0  # none waiting on the task
    offered = runs.get(status=Status.PARTNERS)
    assert offered.partner_deadline > now
    assert 1 <= offered.minimum_places - offered.places_taken <= offered.partner_margin
    assert runs.filter(status=Status.CONFIRMED, starts_at__gt=now).exists()
    delivered = runs.filter(status=Status.CONFIRMED, ends_at__lt=now, evaluations__isnull=False).distinct()
    assert delivered.count() >= 20
    assert runs.filter(status=Status.CANCELLED, starts_at__lt=now).count() >= 3
    rescued = runs.filter(status=Status.CONFIRMED, partners_offered_at__isnull=False, starts_at__lt=now)
    assert rescued.count() >= 2
    for run in rescued:
        assert run.interests.filter(
            status=Interest.Status.BOOKED, organisation__kind=Organisation.Kind.PARTNER
        ).exists()
    # The latest course is waiting for its training provider to record attendance.
    assert runs.filter(
        status=Status.CONFIRMED, ends_at__lt=now, interests__delegates__attendance_recorded_at__isnull=True
    ).exists()

    # The council's review queue has Eastmarsh Care Academy's courses.
    academy = Course.objects.filter(provider__name="Eastmarsh Care Academy")
    assert academy.filter(status=Course.Status.SUBMITTED).exists()
    returned = academy.get(status=Course.Status.RETURNED)
    assert returned.review_comments
    assert Course.objects.filter(status=Course.Status.APPROVED).count() >= 12

    # Willow: interest on a run where one more place lowers the price, a run it has not joined, and a booking.
    willow = Organisation.objects.get(name=WILLOW)
    with_willow = [r for r in open_runs if r.interests.filter(organisation=willow, status__in=Interest.LIVE).exists()]
    assert any(position_of(r).steps and position_of(r).steps[0].more == 1 for r in with_willow)
    assert any(r not in with_willow for r in open_runs)
    assert offered.interests.filter(organisation__kind=Organisation.Kind.PARTNER).count() <= 1
    booking = Interest.objects.get(
        organisation=willow, status=Interest.Status.BOOKED, run__starts_at__gt=now, run__status=Status.CONFIRMED
    )
    named = list(booking.delegates.select_related("staff"))
    assert len(named) == booking.places
    assert all(d.staff.organisation_id == willow.pk for d in named)
    assert any(d.staff.user and d.staff.user.email == "deputy@willowcarehome.example" for d in named)

    # The run page shows the price falling with one more place.
    steps_run = next(r for r in with_willow if position_of(r).steps and position_of(r).steps[0].more == 1)
    client.force_login(User.objects.get(email="manager@willowcarehome.example"))
    page = client.get(reverse("training:run-detail", args=[steps_run.pk]))
    assert page.status_code == 200
    assert "1 more place brings the price to £" in page.content.decode()

    # The programme report has figures in every quarter of the last year; evaluations wherever courses were
    # delivered more than six weeks ago.
    for year, number in _quarters_touching(today - datetime.timedelta(days=330), today):
        figures = _figures(year, number)
        assert figures.runs and figures.places_offered and figures.places_filled, (year, number)
    for year, number in _quarters_touching(today - datetime.timedelta(days=330), today - datetime.timedelta(days=45)):
        figures = _figures(year, number)
        assert figures.runs_confirmed and figures.spend and figures.evaluations, (year, number)
        assert figures.purchasing and figures.average_saving, (year, number)
        # Believable: every demo course has a usual price, and buying together saves a part of it, not more
        # than is paid (the old measure, against the whole fee on one place, said £416 on an average of £68).
        paid = figures.spend / figures.places_booked
        assert figures.places_compared == figures.places_booked, (year, number)
        assert 0 < figures.average_saving < paid, (year, number, figures.average_saving, paid)
    assert Evaluation.objects.filter(overall=3).exists() and Evaluation.objects.exclude(comments="").exists()

    # Attended delegates have brokered records dated the course's last day, one per category it covers.
    attended = Delegate.objects.filter(attended=True, staff__isnull=False).select_related("interest__run__course")
    assert attended.count() >= 100
    for delegate in attended[:40]:
        run = delegate.interest.run
        categories = set(run.course.categories.values_list("pk", flat=True))
        records = TrainingRecord.objects.filter(
            staff=delegate.staff, source=TrainingRecord.Source.BROKERED, completed_on=timezone.localdate(run.ends_at)
        )
        assert categories <= set(records.values_list("category_id", flat=True))
    assert Interest.objects.filter(invoice=Interest.Invoice.PAID).exists()
    assert Interest.objects.filter(invoice=Interest.Invoice.ISSUED).exists()

    # The demand survey counts on the commissioning priorities.
    assert DemandEstimate.objects.values("organisation").distinct().count() >= 15
    priorities = demand.priorities()
    assert priorities.respondents >= 15
    assert any(need.demand for need in priorities.needs)

    # The programme report's figures, kept by the services the demo went through, equal a recount.
    assert RunFigures.objects.count() == CourseRun.objects.count()
    assert programme_figures_recount() == []
    said = io.StringIO()
    call_command("recount_figures", stdout=said)
    assert "training: 0 difference(s) found" in said.getvalue()

    counts = _counts()
    call_command("demo_borough")
    assert _counts() == counts
    assert programme_figures_recount() == []
