"""Simultaneous writes leave the programme figures equal to a recount: ratings (whose service does not lock the run)
submitted at once are all counted, and interests racing for a run's last places leave its figures right.

Real threads, each with its own database connection, released together at a barrier: on PostgreSQL in CI, and on
SQLite when its test database is a file, where IMMEDIATE transactions queue.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from carenetwork.organisations.models import Organisation
from carenetwork.training import decisions, delivery, interests
from carenetwork.training.models import CourseRun, Delegate, Interest, RunFigures
from carenetwork.training.programme_figures import programme_compact, programme_figures_recount, quarter_of
from carenetwork.training.report import programme_report
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory
from tests.training.factories import course_for, run_for
from tests.training.test_interest_race import _seeded_data, all_at_once, providers  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_ratings_submitted_at_once_are_all_counted():
    training = OrganisationFactory(kind=Organisation.Kind.TRAINING)
    admin, home = providers(1)[0]
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=40), tick=False):
        run = run_for(course_for(training), starts_at=now - timedelta(days=20), capacity=10, minimum=2)
        interests.interest_save(actor=admin, run=run, organisation=home, places=8)
    with time_machine.travel(run.interest_deadline + timedelta(minutes=5), tick=False):
        decisions.run_decide(run=run)
    interest = Interest.objects.get(run=run, status=Interest.Status.BOOKED)
    delegates = [Delegate.objects.create(interest=interest, name=f"Delegate {n}", attended=True) for n in range(8)]
    barrier = threading.Barrier(len(delegates))
    errors = []

    def rate(delegate):
        try:
            barrier.wait(timeout=60)
            scores = {"met_aims": 5, "trainer": 4, "useful": 3, "overall": 2}
            delivery.evaluation_submit(actor=admin, delegate=delegate, data=scores)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(delegates)) as pool:
        list(pool.map(rate, delegates))
    assert errors == []
    figures = RunFigures.objects.get(run=run)
    assert (figures.evaluations, figures.met_aims, figures.overall) == (8, 40, 16), "no rating lost"
    assert programme_figures_recount() == []


def test_interests_racing_for_the_last_places_leave_the_figures_equal_to_a_recount():
    run = run_for(course_for(OrganisationFactory(kind=Organisation.Kind.TRAINING)), capacity=12, minimum=4)
    racers = providers(12)
    assert all_at_once(run, [(admin, organisation, 2) for admin, organisation in racers]) == []
    assert RunFigures.objects.get(run=run).places_filled == CourseRun.objects.get(pk=run.pk).places_taken == 12
    assert programme_figures_recount() == []


def test_runs_decided_at_once_count_each_buyer_once_and_compactions_at_once_lose_nothing():
    """Four runs of one quarter, each with the same three providers, decided at once while two compactions run: the
    quarter counts three providers purchasing, not twelve, and every sum equals a recount."""
    prepare_race("organisations")
    training = OrganisationFactory(kind=Organisation.Kind.TRAINING)
    buyers = providers(3)
    now = timezone.now()
    starts = now + timedelta(days=30)
    with time_machine.travel(now - timedelta(days=10), tick=False):
        racing = [run_for(course_for(training), starts_at=starts, capacity=10, minimum=3) for _ in range(4)]
        for run in racing:
            for admin, organisation in buyers:
                interests.interest_save(actor=admin, run=run, organisation=organisation, places=1)
    with time_machine.travel(max(r.interest_deadline for r in racing) + timedelta(minutes=5), tick=False):
        calls = [lambda run=run: decisions.run_decide(run=CourseRun.objects.get(pk=run.pk)) for run in racing]
        _results, errors = at_once([*calls, programme_compact, programme_compact])
    assert errors == []
    quarter = quarter_of(starts)
    year = quarter.year if quarter.month >= 4 else quarter.year - 1
    figures = next(q for q in programme_report(year=year).quarters if q.starts == quarter)
    assert (figures.runs_confirmed, figures.places_booked, figures.purchasing) == (4, 12, 3)
    assert programme_figures_recount() == []
    programme_compact()
    assert programme_figures_recount() == []
