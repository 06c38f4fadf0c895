"""The programme report's maintained figures: kept by the services in the same transaction as each change, equal
to a recount after any sequence of the services' writes, and put right by `recount_figures --repair` when not."""

import datetime
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from carenetwork.organisations.models import Role
from carenetwork.training import bookings, courses, decisions, delivery, interests, runs
from carenetwork.training.models import (
    CourseRun,
    Delegate,
    Evaluation,
    Interest,
    ProgrammeProviders,
    ProgrammeQuarter,
    RunFigures,
    RunPurchaser,
)
from carenetwork.training.programme_figures import programme_compact, programme_figures_recount, quarter_of
from carenetwork.training.report import programme_report
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

# Near the end of a financial year, so that runs moved by a few days change quarter (and year).
START = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))


def _data(run: CourseRun, **changes) -> dict:
    return {field: getattr(run, field) for field in runs.RUN_FIELDS} | changes


def _moved(run: CourseRun, days: int) -> dict:
    """The run's fields with every date moved by `days` days."""
    shift = timedelta(days=days)
    fields = [f for f in runs.RUN_FIELDS if isinstance(CourseRun._meta.get_field(f), type(CourseRun.starts_at.field))]
    return _data(run, **{f: getattr(run, f) + shift for f in fields})


@pytest.fixture
def booked_run(training_org, provider, provider_admin, other_provider, other_admin):
    """A confirmed run in April 2026 with two bookings, one of them rated."""
    course = course_for(training_org, usual_price=Decimal("120.00"))
    with time_machine.travel(START, tick=False):
        run = run_for(course, starts_at=START + timedelta(days=40), fee=Decimal("600"), minimum=3, capacity=10)
        interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=3)
        interests.interest_save(actor=other_admin, run=run, organisation=other_provider, places=2)
    with time_machine.travel(run.interest_deadline + timedelta(minutes=5), tick=False):
        decisions.run_decide(run=run)
    interest = Interest.objects.get(run=run, organisation=provider)
    delegate = Delegate.objects.create(interest=interest, name="A delegate", attended=True)
    with time_machine.travel(run.ends_at + timedelta(days=1), tick=False):
        delivery.evaluation_submit(
            actor=provider_admin, delegate=delegate, data={"met_aims": 5, "trainer": 4, "useful": 4, "overall": 5}
        )
    return CourseRun.objects.get(pk=run.pk)


def test_the_services_keep_a_runs_figures(booked_run, provider, other_provider):
    figures = RunFigures.objects.get(run=booked_run)
    assert (figures.quarter, figures.status, figures.places_offered, figures.places_filled) == (
        datetime.date(2026, 4, 1),
        "confirmed",
        10,
        5,
    )
    assert (figures.places_booked, figures.spend, figures.places_priced, figures.price_total) == (
        5,
        Decimal("600.00"),
        5,
        Decimal("600.00"),
    )
    assert (figures.usual_price, figures.evaluations, figures.met_aims, figures.overall) == (Decimal("120.00"), 1, 5, 5)
    bought = set(RunPurchaser.objects.values_list("run_id", "organisation_id", "quarter"))
    april = datetime.date(2026, 4, 1)
    assert bought == {(booked_run.pk, provider.pk, april), (booked_run.pk, other_provider.pk, april)}
    assert programme_figures_recount() == []


def test_recount_figures_reports_a_corrupted_figure_and_repair_puts_it_right(booked_run, provider):
    RunFigures.objects.filter(run=booked_run).update(spend=F("spend") + 1, places_filled=0)
    RunPurchaser.objects.filter(organisation=provider).delete()
    april = datetime.date(2026, 4, 1)
    ProgrammeQuarter.objects.create(quarter=april, spend=Decimal("1.00"))
    sectors = ",".join(str(pk) for pk in sorted(provider.sectors.values_list("pk", flat=True)))
    ProgrammeProviders.objects.create(starts=april, months=3, sectors=sectors, providers=-1)
    out = io.StringIO()
    with pytest.raises(CommandError, match="5 maintained figure"):
        call_command("recount_figures", stdout=out)
    said = out.getvalue()
    assert "training: 5 difference(s) found" in said
    assert f"training_runfigures run {booked_run.pk} spend: kept 601.00, recount 600.00" in said
    assert f"training_runfigures run {booked_run.pk} places_filled: kept 0, recount 5" in said
    purchaser = f"training_runpurchaser run {booked_run.pk} organisation {provider.pk}"
    assert f"{purchaser}: kept None, recount 2026-04-01" in said
    assert "training_programmequarter quarter 2026-04-01 spend: kept 601.00, recount 600.00" in said
    assert f"training_programmeproviders starts 2026-04-01, months 3, sectors {sectors} providers: kept" in said
    q1 = programme_report(year=2026).quarters[0]
    assert (q1.spend, q1.purchasing) == (Decimal("601.00"), 1)

    repaired = io.StringIO()
    call_command("recount_figures", "--repair", stdout=repaired)
    assert "training: 5 difference(s) repaired" in repaired.getvalue()
    again = io.StringIO()
    call_command("recount_figures", stdout=again)
    assert "Every maintained figure equals its recount." in again.getvalue()
    q1 = programme_report(year=2026).quarters[0]
    assert (q1.spend, q1.places_filled, q1.purchasing) == (Decimal("600.00"), 5, 2)


def test_a_run_moved_into_another_quarter_takes_its_figures_and_its_buyers_with_it(
    booked_run, council_officer, provider
):
    with time_machine.travel(START, tick=False):
        runs.run_save(actor=council_officer, course=booked_run.course, run=booked_run, data=_moved(booked_run, 90))
    assert RunFigures.objects.get(run=booked_run).quarter == datetime.date(2026, 7, 1)
    assert set(RunPurchaser.objects.filter(organisation=provider).values_list("quarter", flat=True)) == {
        datetime.date(2026, 7, 1)
    }
    q1, q2, _q3, _q4 = programme_report(year=2026).quarters
    assert (q1.runs, q1.purchasing, q2.runs, q2.spend, q2.purchasing) == (0, 0, 1, Decimal("600.00"), 2)
    assert programme_figures_recount() == []


def test_a_new_usual_price_changes_the_saving_at_once(booked_run, training_admin, training_org):
    course = booked_run.course
    data = {"categories": list(course.categories.all()), "usual_price": Decimal("150.00")}
    courses.course_save(actor=training_admin, provider=training_org, course=course, data=data)
    q1 = programme_report(year=2026).quarters[0]
    assert (q1.places_compared, q1.saving_total, q1.average_saving) == (5, Decimal("150.00"), Decimal("30.00"))
    assert programme_figures_recount() == []


def test_a_providers_standing_and_sectors_move_it_in_and_out_of_the_audience(booked_run, provider, council_officer):
    """The run targets no sector until it targets home care; the provider closes, reopens, and changes sector."""

    def q1():
        return programme_report(year=2026).quarters[0]

    assert (q1().audience, q1().purchasing) == (2, 2)
    with time_machine.travel(START, tick=False):
        runs.run_save(
            actor=council_officer,
            course=booked_run.course,
            run=booked_run,
            data=_data(booked_run, sectors=[sector("home-care")]),
        )
    assert (q1().audience, q1().purchasing) == (1, 1)  # the other provider is in home care, this one is not
    provider.sectors.add(sector("home-care"))
    assert (q1().audience, q1().purchasing) == (2, 2)
    provider.is_active = False
    provider.save()
    assert (q1().audience, q1().purchasing) == (1, 1)
    provider.is_active = True
    provider.save(update_fields=["is_active"])
    assert (q1().audience, q1().purchasing) == (2, 2)
    sector("home-care").organisations.remove(provider)
    assert (q1().audience, q1().purchasing) == (1, 1)
    assert programme_figures_recount() == []


def test_a_deleted_run_leaves_the_sums(booked_run):
    booked_run.delete()
    q1 = programme_report(year=2026).quarters[0]
    assert (q1.runs, q1.spend, q1.purchasing) == (0, Decimal("0.00"), 0)
    assert programme_figures_recount() == []


def test_a_deleted_provider_leaves_the_provider_counts(booked_run, provider):
    # (Organisations are closed, not deleted, by the service; a deletion takes its bookings with it, and the runs'
    # figures wait for the recount. The provider counts follow at once.)
    provider.delete()
    q1 = programme_report(year=2026).quarters[0]
    assert (q1.audience, q1.purchasing) == (1, 1)
    assert [d for d in programme_figures_recount() if d.table == "training_programmeproviders"] == []


def test_compaction_folds_the_change_rows_and_changes_no_sum(booked_run):
    before = programme_report(year=2026)
    assert ProgrammeQuarter.objects.count() > 1
    assert programme_compact() > 0
    assert ProgrammeQuarter.objects.count() == 1  # one quarter
    assert programme_compact() == 0
    assert programme_report(year=2026) == before
    assert programme_figures_recount() == []


def test_quarter_of_is_the_local_quarter():
    assert quarter_of(timezone.make_aware(datetime.datetime(2025, 7, 1, 0, 30))) == datetime.date(2025, 7, 1)
    assert quarter_of(timezone.make_aware(datetime.datetime(2025, 6, 30, 23, 30))) == datetime.date(2025, 4, 1)
    assert quarter_of(timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 59))) == datetime.date(2026, 1, 1)


# Any sequence of the services' writes leaves the kept figures equal to a recount ----------------------------

RUNS = 3
OUTCOMES = [CourseRun.Status.CONFIRMED, CourseRun.Status.PARTNERS, CourseRun.Status.CANCELLED]
REFUSED = (ValidationError, PermissionDenied)
# Moments in a run's life the clock moves on to: just after its deadlines, before its cut-off, after it ended.
MOMENTS = {
    "interest_deadline": timedelta(minutes=5),
    "partner_deadline": timedelta(minutes=5),
    "booking_cutoff": -timedelta(hours=1),
    "ends_at": timedelta(hours=2),
}


def test_any_sequence_of_the_services_writes_keeps_the_figures_equal_to_a_recount(
    council_officer, training_org, training_admin, partner_org, partner_member
):
    course = course_for(training_org, usual_price=Decimal("110.00"), max_group_size=20)
    buyers = []
    for name, slug in [("Ash House", "residential-care"), ("Birch Home Care", "home-care"), ("Cedar", "nursing-care")]:
        organisation = OrganisationFactory(name=name, sectors=[sector(slug)])
        staff = [StaffMemberFactory(organisation=organisation) for _ in range(3)]
        buyers.append((person_in(organisation, Role.ADMIN), organisation, staff))
    buyers.append((partner_member, partner_org, []))
    who = st.integers(0, len(buyers) - 1)
    places = st.lists(st.integers(0, 4), min_size=len(buyers) - 1, max_size=len(buyers) - 1)  # the providers'
    which = st.integers(0, RUNS - 1)

    class Programme(RuleBasedStateMachine):
        @initialize(wanted=st.lists(places, min_size=RUNS, max_size=RUNS))
        def runs(self, wanted):
            """Three runs with interest taken a month ago, at every stage: the first ran yesterday, the second starts
            in three days (both decided at their deadlines, with delegates named when confirmed), the third starts in
            three weeks and is still taking interest."""
            self.clock = START - timedelta(days=30)
            with self.now():
                self.runs = [
                    run_for(course, starts_at=START + timedelta(days=days), capacity=8, minimum=4, fee=Decimal(fee))
                    for days, fee in [(-1, "640"), (3, "400"), (24, "560")]
                ]
                for run, run_wanted in zip(self.runs, wanted, strict=True):
                    for (actor, organisation, _staff), n in zip(buyers, run_wanted, strict=False):
                        if n:
                            interests.interest_save(actor=actor, run=run, organisation=organisation, places=n)
            for run in (0, 1):
                self.time_passes(run, "interest_deadline")
                self.clock += timedelta(days=1)
                for buyer in range(len(buyers)):
                    self.name_delegates(run, buyer, 4)
            self.clock = START

        def now(self):
            return time_machine.travel(self.clock, tick=False)

        def run(self, index: int) -> CourseRun:
            return CourseRun.objects.get(pk=self.runs[index].pk)

        def interest(self, index: int, buyer: int) -> Interest | None:
            return Interest.objects.filter(
                run=self.runs[index], organisation=buyers[buyer][1], status__in=Interest.LIVE
            ).first()

        def attempt(self, service, /, **kwargs):
            with self.now():
                try:
                    service(**kwargs)
                except REFUSED:
                    event(f"{service.__name__} refused")  # by the rules: the figures must not have moved either
                else:
                    event(f"{service.__name__} done")

        @rule(run=which, buyer=who, places=st.integers(1, 6), ceiling=st.none() | st.integers(40, 200))
        def take_places(self, run, buyer, places, ceiling):
            actor, organisation, _staff = buyers[buyer]
            self.attempt(
                interests.interest_save,
                actor=actor,
                run=self.run(run),
                organisation=organisation,
                places=places,
                ceiling=None if ceiling is None else Decimal(ceiling),
            )

        @rule(run=which, buyer=who)
        def withdraw(self, run, buyer):
            if interest := self.interest(run, buyer):
                self.attempt(interests.interest_withdraw, actor=buyers[buyer][0], interest=interest)

        @rule(run=which, buyer=who, some=st.booleans())
        def cancel_booking(self, run, buyer, some):
            if interest := self.interest(run, buyer):
                self.attempt(
                    interests.booking_cancel, actor=buyers[buyer][0], interest=interest, places=1 if some else None
                )

        @rule(run=which)
        def decide_early(self, run):
            self.attempt(decisions.run_decide, run=self.run(run), actor=council_officer)

        @rule(run=which, outcome=st.sampled_from(OUTCOMES))
        def override(self, run, outcome):
            self.attempt(
                decisions.run_override, actor=council_officer, run=self.run(run), outcome=outcome, reason="Testing"
            )

        @rule(run=which, days=st.sampled_from([-12, -5, 5, 12, 40]))
        def move(self, run, days):
            current = self.run(run)
            self.attempt(runs.run_save, actor=council_officer, course=course, run=current, data=_moved(current, days))

        @rule(run=which, capacity=st.integers(4, 12), slugs=st.lists(st.sampled_from(["home-care", "nursing-care"])))
        def change_places_and_sectors(self, run, capacity, slugs):
            current = self.run(run)
            data = _data(current, capacity=capacity, sectors=[sector(slug) for slug in set(slugs)])
            self.attempt(runs.run_save, actor=council_officer, course=course, run=current, data=data)

        @rule(run=which, buyer=who, people=st.integers(0, 3))
        def name_delegates(self, run, buyer, people):
            interest = self.interest(run, buyer)
            if interest is None:
                return
            actor, _organisation, staff = buyers[buyer]
            names = [] if staff else [f"Partner delegate {n}" for n in range(people)]
            self.attempt(bookings.delegates_set, actor=actor, interest=interest, staff=staff[:people], names=names)

        @rule(run=which, absent=st.integers(0, 3))
        def record_attendance(self, run, absent):
            came = list(delivery.attendance_delegates(self.run(run)).values_list("pk", flat=True))[absent:]
            self.attempt(delivery.attendance_record, actor=training_admin, run=self.run(run), attended_ids=came)

        @rule(run=which, scores=st.lists(st.integers(1, 5), min_size=4, max_size=4))
        def evaluate(self, run, scores):
            delegates = Delegate.objects.filter(interest__run=self.runs[run]).select_related("interest")
            for delegate in delegates.order_by("pk")[:2]:
                actor = next(
                    a for a, organisation, _s in buyers if organisation.pk == delegate.interest.organisation_id
                )
                data = dict(zip(Evaluation.QUESTIONS, scores, strict=True))
                self.attempt(delivery.evaluation_submit, actor=actor, delegate=delegate, data=data)

        @rule(price=st.none() | st.integers(50, 300))
        def change_usual_price(self, price):
            data = {
                "categories": list(course.categories.all()),
                "usual_price": None if price is None else Decimal(price),
            }
            self.attempt(courses.course_save, actor=training_admin, provider=training_org, course=course, data=data)

        @rule(run=which, moment=st.sampled_from(list(MOMENTS)))
        def time_passes(self, run, moment):
            """Time moves on to a moment in a run's life (never back), and the scheduled task decides the runs whose
            deadlines have passed."""
            current = self.run(run)
            self.clock = max(self.clock, getattr(current, moment) + MOMENTS[moment])
            with self.now():
                decisions.decide_due()

        @rule(buyer=st.integers(0, len(buyers) - 2), active=st.booleans())
        def provider_opens_or_closes(self, buyer, active):
            organisation = buyers[buyer][1]
            organisation.refresh_from_db()
            organisation.is_active = active
            organisation.save()

        @rule(buyer=st.integers(0, len(buyers) - 2), slugs=st.sets(st.sampled_from(["home-care", "nursing-care"])))
        def provider_changes_sectors(self, buyer, slugs):
            buyers[buyer][1].sectors.set([sector(slug) for slug in slugs])

        @rule()
        def compact(self):
            programme_compact()

        @invariant()
        def figures_equal_a_recount(self):
            assert programme_figures_recount() == []

    run_state_machine_as_test(
        Programme,
        settings=settings(
            max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
