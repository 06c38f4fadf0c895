"""Simultaneous interests never take a run past its capacity (ENGINEERING.md, "Limited places without races").

Real threads, each with its own database connection, released together at a barrier: on PostgreSQL in CI, and on
SQLite when its test database is a file (as config/settings/test.py makes it), where IMMEDIATE transactions queue.
"""

from functools import partial

import pytest
from django.db.models import Sum

from carenetwork.organisations.models import Organisation, Role
from carenetwork.training import interests
from carenetwork.training.models import CourseRun, Interest
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, person_in
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded_data():
    """A transactional test starts from whatever the last one flushed: seed what migrations seeded."""
    prepare_race("organisations", "records")


def all_at_once(run, requests):
    """Each (admin, organisation, places) asks from its own thread, all released together; the errors raised."""

    def ask(admin, organisation, places):
        return interests.interest_save(
            actor=admin, run=CourseRun.objects.get(pk=run.pk), organisation=organisation, places=places
        )

    _results, errors = at_once([partial(ask, *request) for request in requests])
    return errors


def providers(n):
    result = []
    for i in range(n):
        organisation = OrganisationFactory(name=f"Racing home {i}")
        result.append((person_in(organisation, Role.ADMIN), organisation))
    return result


def test_fifty_simultaneous_interests_for_the_last_places_never_exceed_capacity():
    run = run_for(course_for(OrganisationFactory(kind=Organisation.Kind.TRAINING)), capacity=20, minimum=5)
    first_admin, first = providers(1)[0]
    interests.interest_save(actor=first_admin, run=run, organisation=first, places=17)  # 3 places left
    racers = providers(50)
    errors = all_at_once(run, [(admin, organisation, 1 + i % 2) for i, (admin, organisation) in enumerate(racers)])
    assert errors == []
    run.refresh_from_db()
    live = Interest.objects.filter(run=run, status__in=Interest.LIVE)
    held = live.aggregate(n=Sum("places"))["n"]
    assert run.places_taken == held == 20, "exactly full: never more than capacity, and nothing lost"
    assert live.count() == 51, "every request is kept: the rest wait in order"
    waiting = live.aggregate(n=Sum("waiting_places"))["n"]
    assert held + waiting == 17 + sum(1 + i % 2 for i in range(50))


def test_one_organisation_asking_twice_at_once_keeps_one_interest():
    run = run_for(course_for(OrganisationFactory(kind=Organisation.Kind.TRAINING)), capacity=10)
    admin, organisation = providers(1)[0]
    errors = all_at_once(run, [(admin, organisation, 2)] * 4)
    assert errors == []
    assert Interest.objects.filter(run=run, organisation=organisation, status__in=Interest.LIVE).count() == 1
    run.refresh_from_db()
    assert run.places_taken == 2
