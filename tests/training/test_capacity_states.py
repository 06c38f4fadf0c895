"""No sequence of interests, changes, withdrawals, decisions, late bookings and cancellations reaches a state that
breaks a run's capacity (hypothesis stateful testing through the real, locked services on the real database)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from carenetwork.organisations.models import Organisation, Role
from carenetwork.training import decisions, interests
from carenetwork.training.models import CourseRun, Interest
from tests.factories import OrganisationFactory, person_in
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

ORGANISATIONS = 5


def test_no_reachable_state_breaks_capacity(council_officer):
    training = OrganisationFactory(kind=Organisation.Kind.TRAINING)
    course = course_for(training, max_group_size=50)
    people = []
    for i in range(ORGANISATIONS):
        organisation = OrganisationFactory(name=f"Home {i}")
        people.append((person_in(organisation, Role.ADMIN), organisation))

    class Places(RuleBasedStateMachine):
        @initialize(capacity=st.integers(1, 8), minimum=st.integers(1, 8), fee=st.integers(50, 2000))
        def a_run(self, capacity, minimum, fee):
            self.run = run_for(course, capacity=capacity, minimum=min(minimum, capacity), fee=Decimal(fee))

        def interest(self, who):
            admin, organisation = people[who]
            return Interest.objects.filter(run=self.run, organisation=organisation, status__in=Interest.LIVE).first()

        @rule(
            who=st.integers(0, ORGANISATIONS - 1), places=st.integers(1, 10), ceiling=st.none() | st.integers(20, 900)
        )
        def ask(self, who, places, ceiling):
            admin, organisation = people[who]
            try:
                interests.interest_save(
                    actor=admin,
                    run=self.run,
                    organisation=organisation,
                    places=places,
                    ceiling=None if ceiling is None else Decimal(ceiling),
                )
            except (ValidationError, PermissionDenied):
                pass  # refused: a cancelled run: more places than the run has, a limit below a locked price…

        @rule(who=st.integers(0, ORGANISATIONS - 1))
        def withdraw(self, who):
            interest = self.interest(who)
            if interest and interest.status == Interest.Status.INTERESTED and self.run_now().is_live:
                interests.interest_withdraw(actor=people[who][0], interest=interest)

        @rule(who=st.integers(0, ORGANISATIONS - 1), some=st.booleans())
        def cancel(self, who, some):
            interest = self.interest(who)
            if interest and interest.status == Interest.Status.BOOKED:
                places = 1 if some else None
                interests.booking_cancel(actor=people[who][0], interest=interest, places=places)

        @rule()
        def decide(self):
            if self.run_now().is_live:
                decisions.run_decide(run=self.run, actor=council_officer)

        def run_now(self):
            return CourseRun.objects.get(pk=self.run.pk)

        @invariant()
        def within_capacity(self):
            run = self.run_now()
            live = Interest.objects.filter(run=run, status__in=Interest.LIVE)
            held = live.aggregate(n=Sum("places"))["n"] or 0
            assert run.places_taken == held <= run.capacity
            if live.filter(waiting_places__gt=0).exists() and run.status != CourseRun.Status.CONFIRMED:
                assert held == run.capacity, "nobody waits while places are free"
            if run.status == CourseRun.Status.CONFIRMED:
                prices = set(live.filter(status=Interest.Status.BOOKED).values_list("price", flat=True))
                assert prices <= {run.locked_price}, "everyone on a run pays the same price per place"

    run_state_machine_as_test(
        Places,
        settings=settings(
            max_examples=40, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
