"""Interest in places, the waiting list, decisions at the deadline and overrides, bookings, delegates and money:
through the real services on the real database, with the PRODUCT.md worked examples."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from carenetwork.organisations.models import Role
from carenetwork.training import bookings, decisions, interests, reminders, runs
from carenetwork.training.models import CourseRun, Interest, RunDecision
from carenetwork.training.position import position_of
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

Status = CourseRun.Status


@pytest.fixture
def course(training_org):
    return course_for(training_org)


def provider_with_admin(name="Care home"):
    organisation = OrganisationFactory(name=name, sectors=[sector("residential-care")])
    return organisation, person_in(organisation, Role.ADMIN)


def take(run, places, ceiling=None, name="Care home"):
    organisation, admin = provider_with_admin(name)
    interest = interests.interest_save(
        actor=admin, run=run, organisation=organisation, places=places, ceiling=Decimal(ceiling) if ceiling else None
    )
    return interest, admin


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def after_deadline(run):
    return time_machine.travel(run.interest_deadline + timedelta(minutes=1), tick=False)


# --- The worked examples of PRODUCT.md ---


def test_shared_fee_seven_places_confirmed_at_114_29(course):
    run = run_for(course, fee="800", minimum=5, capacity=12)
    for n in range(7):
        take(run, 1, name=f"Home {n}")
    with after_deadline(run):
        decision = decisions.run_decide(run=run)
    run.refresh_from_db()
    assert decision.to_status == Status.CONFIRMED
    assert run.locked_price == Decimal("114.29")
    booked = Interest.objects.filter(run=run, status=Interest.Status.BOOKED)
    assert booked.count() == 7
    assert {i.amount_due for i in booked} == {Decimal("114.29")}


def test_shared_fee_four_of_six_shows_at_most_100_and_two_more_needed(course):
    run = run_for(course, fee="600", minimum=6, capacity=12)
    take(run, 4)
    position = position_of(refreshed(run))
    assert position.places_taken == 4
    assert position.still_needed == 2
    assert position.most_per_place == Decimal("100.00")
    assert refreshed(run).current_price == Decimal("100.00")


def test_tiers_ceiling_drops_b_and_the_shortfall_is_offered_to_partners(
    course, partner_org, django_capture_on_commit_callbacks
):
    run = run_for(course, tiers=[(1, "90"), (5, "70"), (10, "55")], minimum=5, partner_margin=2)
    a, _ = take(run, 3, ceiling="75", name="A")
    b, _ = take(run, 2, ceiling="65", name="B")
    assert refreshed(run).current_price == Decimal("70.00")
    mail.outbox.clear()
    with after_deadline(run), django_capture_on_commit_callbacks(execute=True):
        decision = decisions.run_decide(run=run)
    run.refresh_from_db()
    assert decision.to_status == Status.PARTNERS
    assert decision.places == 3 and decision.price == Decimal("70.00") and decision.dropped == 1
    assert refreshed(b).status == Interest.Status.DROPPED
    assert refreshed(a).status == Interest.Status.INTERESTED
    assert run.places_taken == 3 and run.partners_offered_at is not None
    assert any(partner_org.contact_email in m.to for m in mail.outbox), "partners are told places are offered"
    assert any("above your limit" in m.subject for m in mail.outbox)


def test_partner_takes_the_shortfall_and_the_run_confirms_at_the_partner_deadline(course, partner_org, partner_member):
    run = run_for(course, tiers=[(1, "90"), (5, "70"), (10, "55")], minimum=5, partner_margin=2)
    a, _ = take(run, 3, ceiling="75", name="A")
    with after_deadline(run):
        decisions.run_decide(run=run)
        partner_places = interests.interest_save(actor=partner_member, run=run, organisation=partner_org, places=2)
    with time_machine.travel(run.partner_deadline + timedelta(minutes=1), tick=False):
        decision = decisions.decide_due()[0]
    run.refresh_from_db()
    assert decision.trigger == RunDecision.Trigger.PARTNER_DEADLINE
    assert run.status == Status.CONFIRMED and run.was_rescued
    assert run.locked_price == Decimal("70.00")
    assert refreshed(partner_places).amount_due == Decimal("140.00")
    assert refreshed(a).amount_due == Decimal("210.00")


def test_still_short_at_the_partner_deadline_cancels_and_charges_nobody(course):
    run = run_for(course, fee="500", minimum=5, partner_margin=2)
    a, _ = take(run, 3)
    with after_deadline(run):
        assert decisions.run_decide(run=run).to_status == Status.PARTNERS
    with time_machine.travel(run.partner_deadline + timedelta(minutes=1), tick=False):
        assert decisions.run_decide(run=run).to_status == Status.CANCELLED
    a.refresh_from_db()
    assert a.status == Interest.Status.RUN_CANCELLED and a.amount_due is None


def test_shortfall_beyond_the_margin_cancels_at_once_and_tells_everyone(course, django_capture_on_commit_callbacks):
    run = run_for(course, fee="500", minimum=8, partner_margin=2)
    a, _ = take(run, 3)
    mail.outbox.clear()
    with after_deadline(run), django_capture_on_commit_callbacks(execute=True):
        decision = decisions.run_decide(run=run)
    assert decision.to_status == Status.CANCELLED
    assert refreshed(a).status == Interest.Status.RUN_CANCELLED
    assert any("Cancelled" in m.subject for m in mail.outbox)


def test_confirmation_emails_the_price_amount_due_and_a_calendar_invitation(course, django_capture_on_commit_callbacks):
    run = run_for(course, fee="500", minimum=2)
    interest, admin = take(run, 2)
    mail.outbox.clear()
    with after_deadline(run), django_capture_on_commit_callbacks(execute=True):
        decisions.run_decide(run=run)
    message = next(m for m in mail.outbox if admin.email in m.to)
    assert "£250.00 a place" in message.body and "£500.00 in all" in message.body
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and f"course-run-{run.pk}@" in content


# --- The live position ---


def test_the_price_falls_as_another_provider_joins(course):
    run = run_for(course, fee="600", minimum=3, capacity=12)
    take(run, 3)
    assert refreshed(run).current_price == Decimal("200.00")
    take(run, 2, name="Second home")
    assert refreshed(run).current_price == Decimal("120.00")
    steps = position_of(refreshed(run)).steps
    assert steps[0].more == 1 and steps[0].price == Decimal("100.00")


def test_everyone_on_a_run_pays_the_same_price_per_place(course):
    run = run_for(course, tiers=[(1, "95"), (6, "75"), (11, "60")], minimum=4, capacity=20)
    for n, places in enumerate([1, 4, 3, 5]):
        take(run, places, name=f"Home {n}")
    with after_deadline(run):
        decisions.run_decide(run=run)
    booked = Interest.objects.filter(run=run, status=Interest.Status.BOOKED)
    assert {i.price for i in booked} == {Decimal("60.00")}
    assert all(i.amount_due == i.price * i.places for i in booked)


# --- Capacity and the waiting list ---


def test_interest_beyond_capacity_waits_and_is_promoted_in_order_when_places_free(course):
    run = run_for(course, capacity=5, minimum=2)
    first, first_admin = take(run, 4, name="First")
    second, _ = take(run, 3, name="Second")
    third, _ = take(run, 2, name="Third")
    run.refresh_from_db()
    assert run.places_taken == 5
    assert (refreshed(second).places, second.waiting_places) == (1, 2)
    assert (refreshed(third).places, third.waiting_places) == (0, 2)
    interests.interest_withdraw(actor=first_admin, interest=first)
    assert (refreshed(second).places, second.waiting_places) == (3, 0)
    assert (refreshed(third).places, third.waiting_places) == (2, 0)
    assert refreshed(run).places_taken == 5


def test_asking_for_fewer_places_frees_them_for_the_waiting_list(course):
    run = run_for(course, capacity=4, minimum=2)
    first, admin = take(run, 4, name="First")
    second, _ = take(run, 1, name="Second")
    interests.interest_save(actor=admin, run=run, organisation=first.organisation, places=2)
    assert refreshed(first).places == 2
    assert refreshed(second).places == 1
    assert refreshed(run).places_taken == 3


def test_a_dropped_interest_gives_its_places_to_the_waiting_list_before_the_decision(course):
    run = run_for(course, fee="600", capacity=4, minimum=4)
    fussy, _ = take(run, 4, ceiling="100", name="Fussy")
    waiting, _ = take(run, 4, name="Waiting")
    assert refreshed(waiting).places == 0
    with after_deadline(run):
        decision = decisions.run_decide(run=run)
    assert decision.to_status == Status.CONFIRMED  # £150 each: Fussy drops, Waiting takes its 4 places
    assert refreshed(fussy).status == Interest.Status.DROPPED
    assert (refreshed(waiting).status, waiting.places, waiting.amount_due) == (
        Interest.Status.BOOKED,
        4,
        Decimal("600.00"),
    )


def test_places_after_confirmation_cost_the_locked_price(course):
    run = run_for(course, fee="500", minimum=2, capacity=6)
    take(run, 2)
    with after_deadline(run):
        decisions.run_decide(run=run)
        late, _ = take(run, 3, name="Late")
    assert late.status == Interest.Status.BOOKED
    assert late.price == Decimal("250.00") and late.amount_due == Decimal("750.00")


def test_a_cancelled_booking_frees_its_place_to_the_waiting_list_at_the_locked_price(course):
    run = run_for(course, fee="300", minimum=3, capacity=3)
    early, admin = take(run, 3, name="Early")
    with after_deadline(run):
        decisions.run_decide(run=run)
        waiting, _ = take(run, 1, name="Waiting")
        assert (waiting.places, waiting.waiting_places) == (0, 1)
        interests.booking_cancel(actor=admin, interest=early, places=1)
    waiting.refresh_from_db()
    assert waiting.status == Interest.Status.BOOKED and waiting.amount_due == Decimal("100.00")
    early.refresh_from_db()
    assert early.places == 2 and early.amount_due == Decimal("200.00")  # free cancellation: not charged


def test_cancelling_after_free_cancellation_ends_is_still_charged(course):
    run = run_for(course, fee="300", minimum=3, capacity=3)
    early, admin = take(run, 3)
    with after_deadline(run):
        decisions.run_decide(run=run)
    with time_machine.travel(run.free_cancellation_until + timedelta(hours=1), tick=False):
        interests.booking_cancel(actor=admin, interest=early)
    early.refresh_from_db()
    assert early.status == Interest.Status.CANCELLED and early.amount_due == Decimal("300.00")
    assert refreshed(run).places_taken == 0


def test_a_ceiling_below_the_locked_price_is_refused(course):
    run = run_for(course, fee="500", minimum=2)
    take(run, 2)
    with after_deadline(run):
        decisions.run_decide(run=run)
        organisation, admin = provider_with_admin("Late")
        with pytest.raises(ValidationError) as error:
            interests.interest_save(actor=admin, run=run, organisation=organisation, places=1, ceiling=Decimal("100"))
    assert "£250.00" in str(error.value)


def test_more_places_than_the_run_has_are_refused(course):
    run = run_for(course, capacity=5)
    organisation, admin = provider_with_admin()
    with pytest.raises(ValidationError):
        interests.interest_save(actor=admin, run=run, organisation=organisation, places=6)
    with pytest.raises(ValidationError):
        interests.interest_save(actor=admin, run=run, organisation=organisation, places=0)


def test_interest_closes_at_the_deadline_until_the_decision(course):
    run = run_for(course)
    organisation, admin = provider_with_admin()
    with after_deadline(run), pytest.raises(ValidationError, match="Interest closed"):
        interests.interest_save(actor=admin, run=run, organisation=organisation, places=1)


# --- Who may ---


def test_provider_members_and_training_providers_cannot_take_places(course, provider, provider_member, training_admin):
    run = run_for(course)
    with pytest.raises(PermissionDenied):
        interests.interest_save(actor=provider_member, run=run, organisation=provider, places=1)
    with pytest.raises(PermissionDenied):
        interests.interest_save(actor=training_admin, run=run, organisation=course.provider, places=1)


def test_nobody_takes_places_for_another_organisation(course, provider, other_admin):
    run = run_for(course)
    with pytest.raises(PermissionDenied):
        interests.interest_save(actor=other_admin, run=run, organisation=provider, places=1)


def test_partners_take_places_only_once_offered(course, partner_org, partner_member):
    run = run_for(course, minimum=5, partner_margin=3)
    with pytest.raises(PermissionDenied):
        interests.interest_save(actor=partner_member, run=run, organisation=partner_org, places=1)


def test_another_organisation_cannot_withdraw_or_cancel_an_interest(course, other_admin):
    run = run_for(course, minimum=2)
    interest, _ = take(run, 2)
    with pytest.raises(PermissionDenied):
        interests.interest_withdraw(actor=other_admin, interest=interest)
    with after_deadline(run):
        decisions.run_decide(run=run)
    with pytest.raises(PermissionDenied):
        interests.booking_cancel(actor=other_admin, interest=refreshed(interest), places=1)
    assert refreshed(interest).places == 2 and interest.status == Interest.Status.BOOKED


@pytest.mark.parametrize("role", ["training_admin", "provider_admin", "partner_member"])
def test_only_council_staff_add_or_change_runs(request, course, role):
    person = request.getfixturevalue(role)
    run = run_for(course, venue="Town Hall")
    with pytest.raises(PermissionDenied):
        runs.run_save(actor=person, course=course, run=None, data=run_data(run))
    with pytest.raises(PermissionDenied):
        runs.run_save(actor=person, course=course, run=run, data=run_data(run, venue="Elsewhere"))
    assert CourseRun.objects.count() == 1 and refreshed(run).venue == "Town Hall"


def test_partners_cannot_take_places_after_the_partner_deadline_until_the_decision(course, partner_org, partner_member):
    run = run_for(course, fee="500", minimum=5, partner_margin=2)
    take(run, 3)
    with after_deadline(run):
        decisions.run_decide(run=run)
    with time_machine.travel(run.partner_deadline + timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError, match="offered to partners closed"):
            interests.interest_save(actor=partner_member, run=run, organisation=partner_org, places=2)


def test_only_council_staff_decide_early_or_override(course, provider_admin, training_admin, council_officer):
    run = run_for(course, minimum=1)
    take(run, 1)
    for person in (provider_admin, training_admin):
        with pytest.raises(PermissionDenied):
            decisions.run_decide(run=run, actor=person)
        with pytest.raises(PermissionDenied):
            decisions.run_override(actor=person, run=run, outcome=Status.CANCELLED, reason="No")
    decision = decisions.run_decide(run=run, actor=council_officer)
    assert decision.trigger == RunDecision.Trigger.EARLY and decision.decided_by == council_officer


def test_an_override_needs_a_reason_and_is_recorded(course, council_officer):
    run = run_for(course, fee="400", minimum=5)
    interest, _ = take(run, 2)
    with pytest.raises(ValidationError):
        decisions.run_override(actor=council_officer, run=run, outcome=Status.CONFIRMED, reason=" ")
    decision = decisions.run_override(
        actor=council_officer, run=run, outcome=Status.CONFIRMED, reason="Priority for winter: run it anyway"
    )
    assert decision.trigger == RunDecision.Trigger.OVERRIDE and decision.reason.startswith("Priority")
    run.refresh_from_db()
    assert run.status == Status.CONFIRMED and run.locked_price == Decimal("80.00")  # the price at the minimum
    assert refreshed(interest).amount_due == Decimal("160.00")


def test_cancelling_a_confirmed_run_by_override_charges_nobody(course, council_officer):
    run = run_for(course, fee="400", minimum=2)
    interest, _ = take(run, 2)
    decisions.run_decide(run=run, actor=council_officer)
    decisions.run_override(actor=council_officer, run=run, outcome=Status.CANCELLED, reason="Trainer ill")
    interest.refresh_from_db()
    assert interest.status == Interest.Status.RUN_CANCELLED and interest.amount_due is None
    assert [d.to_status for d in run.decisions.all()] == [Status.CONFIRMED, Status.CANCELLED]


def test_a_decided_run_is_not_decided_again(course, council_officer):
    run = run_for(course, minimum=1)
    take(run, 1)
    decisions.run_decide(run=run, actor=council_officer)
    with pytest.raises(ValidationError):
        decisions.run_decide(run=run, actor=council_officer)
    assert decisions.decide_due(now=run.starts_at) == []


# --- Delegates ---


def booked(course, places=2):
    run = run_for(course, fee="200", minimum=1)
    interest, admin = take(run, places)
    with after_deadline(run):
        decisions.run_decide(run=run)
    return run, refreshed(interest), admin


def test_admin_names_delegates_from_the_register_and_substitutes_until_the_cut_off(course):
    run, interest, admin = booked(course)
    ann, bob, cat = (StaffMemberFactory(organisation=interest.organisation) for _ in range(3))
    with after_deadline(run):
        bookings.delegates_set(actor=admin, interest=interest, staff=[ann, bob])
        first = {d.staff_id: d.pk for d in interest.delegates.all()}
        bookings.delegates_set(actor=admin, interest=interest, staff=[ann, cat])
    now = {d.staff_id: d.pk for d in interest.delegates.all()}
    assert set(now) == {ann.pk, cat.pk} and now[ann.pk] == first[ann.pk]
    with time_machine.travel(run.booking_cutoff + timedelta(minutes=1), tick=False), pytest.raises(ValidationError):
        bookings.delegates_set(actor=admin, interest=interest, staff=[bob])


def test_no_more_delegates_than_places_and_none_from_another_register(course, other_provider):
    run, interest, admin = booked(course, places=1)
    people = [StaffMemberFactory(organisation=interest.organisation) for _ in range(2)]
    stranger = StaffMemberFactory(organisation=other_provider)
    with after_deadline(run):
        with pytest.raises(ValidationError):
            bookings.delegates_set(actor=admin, interest=interest, staff=people)
        with pytest.raises(ValidationError):
            bookings.delegates_set(actor=admin, interest=interest, staff=[stranger])


def test_another_providers_admin_cannot_name_delegates(course, other_admin):
    run, interest, _admin = booked(course)
    with after_deadline(run), pytest.raises(PermissionDenied):
        bookings.delegates_set(actor=other_admin, interest=interest, staff=[])


# --- Reminders ---


def test_reminder_before_the_course_is_sent_once_with_the_invitation(course, django_capture_on_commit_callbacks):
    run, interest, admin = booked(course)
    with time_machine.travel(run.starts_at - timedelta(days=2), tick=False):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders.course_reminders_send() == 1
        assert reminders.course_reminders_send() == 0
    message = next(m for m in mail.outbox if admin.email in m.to)
    assert message.subject.startswith("Reminder") and message.attachments


def test_emails_go_to_the_admins_and_the_contact_mailbox_not_members(
    course, provider, provider_admin, provider_member, django_capture_on_commit_callbacks
):
    run = run_for(course, minimum=1)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    mail.outbox.clear()
    with after_deadline(run), django_capture_on_commit_callbacks(execute=True):
        decisions.run_decide(run=run)
    recipients = {address for m in mail.outbox for address in m.to}
    assert provider_admin.email in recipients and provider.contact_email in recipients
    assert provider_member.email not in recipients


# --- Changing a run, and the scheduled commands ---


def run_data(run, **changes):
    return {field: getattr(run, field) for field in runs.RUN_FIELDS} | changes


def test_more_places_on_a_run_go_to_the_waiting_list(course, council_officer):
    run = run_for(course, capacity=3, minimum=2)
    take(run, 3, name="First")
    waiting, _ = take(run, 2, name="Second")
    runs.run_save(actor=council_officer, course=course, run=run, data=run_data(run, capacity=5))
    assert (refreshed(waiting).places, waiting.waiting_places) == (2, 0)
    assert refreshed(run).places_taken == 5


def test_moving_a_confirmed_run_sends_booked_organisations_the_new_invitation(
    course, council_officer, django_capture_on_commit_callbacks
):
    run = run_for(course, fee="300", minimum=1)
    interest, admin = take(run, 1)
    decisions.run_decide(run=run, actor=council_officer)
    mail.outbox.clear()
    later = run.starts_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_save(
            actor=council_officer,
            course=course,
            run=refreshed(run),
            data=run_data(refreshed(run), starts_at=later, ends_at=later + timedelta(hours=6)),
        )
    message = next(m for m in mail.outbox if admin.email in m.to)
    assert message.subject.startswith("Changed") and message.attachments[0][2] == "text/calendar"


def test_a_decided_run_keeps_its_price_and_places(course, council_officer):
    run = run_for(course, fee="300", minimum=1)
    take(run, 1)
    decisions.run_decide(run=run, actor=council_officer)
    with pytest.raises(ValidationError, match="price and places"):
        runs.run_save(actor=council_officer, course=course, run=refreshed(run), data=run_data(run, fee=Decimal("200")))


def test_the_commands_decide_due_runs_and_send_reminders(course):
    run = run_for(course, fee="300", minimum=1)
    take(run, 1)
    out = StringIO()
    with after_deadline(run):
        call_command("decide_course_runs", "--now", stdout=out)
    assert "Decided 1 run(s)" in out.getvalue() and refreshed(run).status == Status.CONFIRMED
    with time_machine.travel(run.starts_at - timedelta(days=1), tick=False):
        call_command("send_course_reminders", "--now", stdout=out)
    assert "Reminded 1 organisation(s)" in out.getvalue()


# --- From review: charges and the cut-off ---


def test_no_one_is_given_a_place_from_the_waiting_list_after_the_cut_off(course):
    run = run_for(course, fee="200", minimum=2, capacity=2)
    early, admin = take(run, 2, name="Early")
    with after_deadline(run):
        decisions.run_decide(run=run)
        waiting, _ = take(run, 1, name="Waiting")
    with time_machine.travel(run.booking_cutoff + timedelta(minutes=1), tick=False):
        interests.booking_cancel(actor=admin, interest=early, places=1)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.places, waiting.amount_due) == (Interest.Status.INTERESTED, 0, None)


def test_a_late_cancellation_stays_charged_when_the_organisation_takes_more_places(course):
    run = run_for(course, fee="300", minimum=3, capacity=6)
    interest, admin = take(run, 3)
    with after_deadline(run):
        decisions.run_decide(run=run)
    with time_machine.travel(run.free_cancellation_until + timedelta(hours=1), tick=False):
        interests.booking_cancel(actor=admin, interest=interest, places=1)
        assert refreshed(interest).amount_due == Decimal("300.00")
        interests.interest_save(actor=admin, run=run, organisation=interest.organisation, places=3)
    interest.refresh_from_db()
    assert (interest.places, interest.charged_places, interest.amount_due) == (3, 1, Decimal("400.00"))


def test_cancelling_the_run_charges_nobody_not_even_for_places_cancelled_late(course, council_officer):
    run = run_for(course, fee="200", minimum=2, capacity=4)
    late, admin = take(run, 2, name="Late")
    take(run, 2, name="Stays")
    decisions.run_decide(run=run, actor=council_officer)
    with time_machine.travel(run.free_cancellation_until + timedelta(hours=1), tick=False):
        interests.booking_cancel(actor=admin, interest=late)
        assert refreshed(late).amount_due == Decimal("100.00")
        decisions.run_override(actor=council_officer, run=run, outcome=Status.CANCELLED, reason="Venue flooded")
    assert refreshed(late).amount_due == Decimal("0.00")


def test_the_earliest_named_keep_their_places_when_some_are_cancelled(course, council_officer):
    run = run_for(course, fee="300", minimum=1)
    interest, admin = take(run, 3)
    decisions.run_decide(run=run, actor=council_officer)
    people = [StaffMemberFactory(organisation=interest.organisation) for _ in range(3)]
    bookings.delegates_set(actor=admin, interest=refreshed(interest), staff=people)
    interests.booking_cancel(actor=admin, interest=interest, places=1)
    assert {d.staff_id for d in interest.delegates.all()} == {people[0].pk, people[1].pk}


def test_a_new_price_schedule_is_emailed_to_those_interested(
    course, council_officer, django_capture_on_commit_callbacks
):
    run = run_for(course, fee="300", minimum=3)
    interest, admin = take(run, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        runs.run_save(actor=council_officer, course=course, run=run, data=run_data(refreshed(run), fee=Decimal("450")))
    message = next(m for m in mail.outbox if admin.email in m.to)
    assert message.subject.startswith("Price schedule changed") and "£150.00" in message.body
