"""Synthetic training brokerage for the benchmark: topped up, and as consistent as the services would leave it."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from carenetwork.organisations.models import Organisation
from carenetwork.organisations.volume import generate_volume, synthetic_organisations
from carenetwork.training import pricing
from carenetwork.training.models import (
    Course,
    CourseRun,
    Delegate,
    Evaluation,
    Interest,
    RunDecision,
    RunFigures,
    RunPurchaser,
)
from carenetwork.training.position import figures_refresh, schedule_of
from carenetwork.training.programme_figures import programme_figures_recount
from carenetwork.training.volume import (
    busiest_open_run,
    generate_training_volume,
    synthetic_courses,
    synthetic_interests,
    synthetic_runs,
    synthetic_training_providers,
)

pytestmark = pytest.mark.django_db

SMALL = {"training_providers": 3, "courses": 10, "runs": 50, "interests": 300}


@pytest.fixture
def volume(provider):
    """A small synthetic market (the real provider fixture stays out of it) with 10 courses, 50 runs, 300 interests."""
    generate_volume(organisations=30, locations=40, people=40)
    return generate_training_volume(**SMALL, stdout=io.StringIO())


def test_generates_the_numbers_asked_for(volume, provider):
    assert volume["created"] == {"training providers": 3, "courses": 10, "runs": 50, "interests": 300}
    assert (volume["courses"], volume["runs"], volume["interests"]) == (10, 50, 300)
    assert set(synthetic_training_providers().values_list("kind", flat=True)) == {Organisation.Kind.TRAINING}
    # The training providers do not count among the synthetic care providers, whose volume stays as it was.
    assert synthetic_organisations().count() == 30
    assert not synthetic_runs().exclude(course__status=Course.Status.APPROVED).exists()
    interested = synthetic_interests().values_list("organisation__kind", flat=True).distinct()
    assert set(interested) == {Organisation.Kind.PROVIDER}
    assert not Interest.objects.filter(organisation=provider).exists()


def test_no_run_over_capacity_and_places_taken_is_the_sum_of_live_places(volume):
    runs = synthetic_runs().annotate(
        live=Sum("interests__places", filter=Q(interests__status__in=Interest.LIVE), default=0),
    )
    for run in runs:
        assert run.places_taken <= run.capacity
        assert run.places_taken == run.live, run  # a cancelled run holds none, as `decisions.run_decide` leaves it
    # Places wanted beyond capacity wait only on a full run.
    waiting = synthetic_interests().filter(status__in=Interest.LIVE, waiting_places__gt=0)
    assert not waiting.exclude(run__places_taken=F("run__capacity")).exists()


def test_one_live_interest_per_run_and_organisation(volume):
    doubled = (
        synthetic_interests().filter(status__in=Interest.LIVE).values("run", "organisation").annotate(n=Count("pk"))
    )
    assert not doubled.filter(n__gt=1).exists()
    assert synthetic_interests().filter(status__in=Interest.LIVE).count() > 200


def test_kept_figures_match_the_pricing_rules(volume):
    for run in synthetic_runs().prefetch_related("tiers"):
        schedule = schedule_of(run)
        pricing.schedule_check(schedule, capacity=run.capacity)
        kept = (run.current_price, run.single_place_price)
        figures_refresh(run, schedule=schedule)
        assert kept == (run.current_price, run.single_place_price), run
        assert run.minimum_places <= run.capacity <= run.course.max_group_size
        assert run.interest_deadline < run.partner_deadline < run.starts_at < run.ends_at
        assert (run.pricing == CourseRun.Pricing.TIERS) == run.tiers.exists()


def test_confirmed_runs_have_a_locked_price_and_bookings_owe_places_times_it(volume):
    confirmed = synthetic_runs().filter(status=CourseRun.Status.CONFIRMED)
    assert confirmed.exists()
    assert not confirmed.filter(locked_price__isnull=True).exists()
    assert not synthetic_runs().exclude(status=CourseRun.Status.CONFIRMED).filter(locked_price__isnull=False).exists()
    for run in confirmed:
        decision = RunDecision.objects.get(run=run)  # bookings cancelled since may leave fewer places
        assert decision.places >= run.minimum_places
        assert (
            run.locked_price
            == decision.price
            == pricing.price_at(schedule_of(run), decision.places, minimum=run.minimum_places)
        )
    booked = synthetic_interests().filter(status=Interest.Status.BOOKED).select_related("run")
    assert booked.exists()
    assert not synthetic_interests().filter(status=Interest.Status.BOOKED).exclude(run__in=confirmed).exists()
    for interest in booked:
        assert interest.places > 0
        assert interest.price == interest.run.locked_price
        assert interest.amount_due == interest.run.locked_price * interest.places
        assert interest.ceiling is None or interest.ceiling >= interest.run.locked_price
    for interest in synthetic_interests().filter(status=Interest.Status.DROPPED).select_related("run"):
        assert interest.ceiling < interest.run.locked_price


def test_runs_spread_over_the_year_with_a_mix_of_statuses_and_schedules(volume):
    now = timezone.now()
    runs = synthetic_runs()
    assert runs.filter(starts_at__lt=now).exists() and runs.filter(starts_at__gt=now).exists()
    assert not runs.filter(starts_at__lt=now - timezone.timedelta(days=366)).exists()
    assert not runs.filter(starts_at__gt=now + timezone.timedelta(days=183)).exists()
    assert not synthetic_interests().filter(queued_at__gt=now).exists()
    assert not synthetic_interests().filter(booked_at__gt=now).exists()
    # Nothing a scheduled decision would still have to make, and nothing decided before its time.
    assert not runs.filter(status=CourseRun.Status.OPEN, interest_deadline__lte=now).exists()
    assert not runs.filter(status=CourseRun.Status.PARTNERS, partner_deadline__lte=now).exists()
    assert not runs.filter(starts_at__lt=now, status__in=[CourseRun.Status.OPEN, CourseRun.Status.PARTNERS]).exists()
    statuses = set(runs.values_list("status", flat=True))
    assert {CourseRun.Status.OPEN, CourseRun.Status.CONFIRMED, CourseRun.Status.CANCELLED} <= statuses
    assert {CourseRun.Pricing.SHARED_FEE, CourseRun.Pricing.TIERS} == set(runs.values_list("pricing", flat=True))
    assert runs.filter(sectors__isnull=False).exists()
    for run in runs.exclude(status=CourseRun.Status.OPEN):
        last = run.decisions.last()
        assert (last.to_status, last.at) == (run.status, run.decided_at), run
        assert run.decisions.first().from_status == CourseRun.Status.OPEN
        assert (run.partners_offered_at is not None) == run.decisions.filter(to_status="partners").exists()
    assert busiest_open_run().status == CourseRun.Status.OPEN


def test_delegates_on_bookings_and_evaluations_from_attendees(volume):
    places = defaultdict(int)
    for interest_id, n in synthetic_interests().filter(status=Interest.Status.BOOKED).values_list("pk", "places"):
        places[interest_id] = n
    named = Delegate.objects.filter(interest__in=synthetic_interests()).values("interest").annotate(n=Count("pk"))
    for row in named:
        assert row["n"] <= places[row["interest"]]
    assert not Evaluation.objects.exclude(delegate__attended=True).exists()
    assert not Evaluation.objects.exclude(run=F("delegate__interest__run")).exists()


def test_a_second_call_creates_nothing_and_a_larger_one_tops_up(volume):
    again = generate_training_volume(**SMALL)
    assert again["created"] == {"training providers": 0, "courses": 0, "runs": 0, "interests": 0}
    assert (Course.objects.count(), CourseRun.objects.count(), Interest.objects.count()) == (10, 50, 300)

    more = generate_training_volume(training_providers=3, courses=12, runs=60, interests=400)
    assert more["created"] == {"training providers": 0, "courses": 2, "runs": 10, "interests": 100}
    assert (synthetic_courses().count(), synthetic_runs().count(), synthetic_interests().count()) == (12, 60, 400)
    assert synthetic_courses().filter(runs__isnull=True, status=Course.Status.APPROVED).count() == 0


def test_the_programme_figures_equal_a_recount_after_a_build_and_a_top_up(volume):
    """The generator writes rows past the services, so it builds the figures they keep: a recount finds nothing."""
    assert RunFigures.objects.count() == CourseRun.objects.count() == 50
    assert RunPurchaser.objects.exists()
    assert programme_figures_recount() == []
    generate_training_volume(**{**SMALL, "runs": 60, "interests": 380})
    assert RunFigures.objects.count() == 60
    assert programme_figures_recount() == []


def test_more_interests_alone_go_to_open_runs_within_capacity(volume):
    more = generate_training_volume(**{**SMALL, "interests": 340})
    assert more["created"]["interests"] == 40
    for run in synthetic_runs().filter(status=CourseRun.Status.OPEN):
        live = run.interests.filter(status__in=Interest.LIVE).aggregate(n=Sum("places", default=0))["n"]
        assert run.places_taken == live <= run.capacity
        expected = run.current_price
        figures_refresh(run)
        assert run.current_price == expected
    doubled = synthetic_interests().filter(status__in=Interest.LIVE).values("run", "organisation")
    assert not doubled.annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_without_synthetic_providers_no_runs_are_made(provider):
    result = generate_training_volume(**SMALL)
    assert result["created"]["runs"] == 0 and result["created"]["interests"] == 0
    assert busiest_open_run() is None
    assert Decimal(0) == sum(CourseRun.objects.values_list("current_price", flat=True), Decimal(0))
