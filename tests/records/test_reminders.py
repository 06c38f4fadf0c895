"""Reminders before training expires and when it has expired: once per expiry date, to the right people only."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenetwork.records.models import RecordsSettings, TrainingCover
from carenetwork.records.reminders import training_reminders_send
from tests.records.factories import StaffMemberFactory, category, record_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
LONDON = ZoneInfo("Europe/London")


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=LONDON), tick=False)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def trained(staff, code: int, expires_on: datetime.date):
    """A record in the category expiring on the given day (completed three years before)."""
    return record_for(staff, code, expires_on - datetime.timedelta(days=3 * 365), expires_on=expires_on)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the reminders at the frozen time, sending the emails; the emails sent by this run."""

    def run(day=TODAY):
        before = len(mail.outbox)
        with at(day), django_capture_on_commit_callbacks(execute=True):
            result = training_reminders_send()
        return result, mail.outbox[before:]

    return run


def to(messages, address):
    return [m for m in messages if address in m.to]


def test_expiring_exactly_at_the_reminder_window_is_reminded_and_a_day_later_is_not(send, provider, provider_admin):
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovelace")
    trained(ada, 20, days(90))
    trained(ada, 6, days(91))
    result, sent = send()
    assert result["expiring"] == 1 and result["expired"] == 0
    (email,) = to(sent, provider_admin.email)
    assert "Ada Lovelace: Safeguarding adults, expires on 30 August 2026" in email.body
    assert "Fire safety" not in email.body
    assert "Training expiring soon at Willow Care Home" == email.subject


def test_the_window_follows_the_council_setting(send, provider, provider_admin):
    RecordsSettings.objects.update_or_create(pk=1, defaults={"reminder_days": 30})
    trained(StaffMemberFactory(organisation=provider), 20, days(31))
    assert send()[0]["expiring"] == 0
    trained(StaffMemberFactory(organisation=provider), 20, days(30))
    assert send()[0]["expiring"] == 1


def test_training_is_expiring_on_its_expiry_day_and_expired_the_day_after(send, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider, name="Bo Chen")
    trained(staff, 20, days(0))
    trained(staff, 6, days(-1))
    result, sent = send()
    assert (result["expiring"], result["expired"]) == (1, 1)
    (email,) = to(sent, provider_admin.email)
    assert "Bo Chen: Fire safety, expired on 31 May 2026" in email.body
    assert "Bo Chen: Safeguarding adults, expires on 1 June 2026" in email.body
    assert email.subject == "Training expired and expiring soon at Willow Care Home"
    assert f"/records/{provider.pk}/matrix/" in email.body


def test_nothing_is_reminded_twice(send, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider, email="bo@example.org")
    trained(staff, 20, days(10))
    trained(staff, 6, days(-10))
    first, sent = send()
    assert (first["expiring"], first["expired"]) == (1, 1) and len(sent) == 2
    again, sent = send()
    assert (again["expiring"], again["expired"], again["organisation_emails"], again["staff_emails"]) == (0, 0, 0, 0)
    assert sent == []
    assert send(days(5))[1] == []  # a later day, nothing new


def test_expiring_training_is_reminded_again_once_it_has_expired(send, provider, provider_admin):
    trained(StaffMemberFactory(organisation=provider), 20, days(10))
    assert send()[0]["expiring"] == 1
    result, sent = send(days(11))
    assert (result["expiring"], result["expired"]) == (0, 1)
    assert "expired on 11 June 2026" in to(sent, provider_admin.email)[0].body
    assert send(days(12))[1] == []


def test_a_renewal_that_changes_the_expiry_date_is_reminded_again(send, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    trained(staff, 20, days(-5))
    send()
    cover = TrainingCover.objects.get(staff=staff)
    assert (cover.reminded_expired_for, cover.reminded_expiring_for) == (days(-5), None)
    # Renewed, but only for a short course that expires within the window: reminded for the new date.
    record_for(staff, 20, days(-1), expires_on=days(60))
    result, sent = send()
    assert result["expiring"] == 1
    assert "expires on 31 July 2026" in to(sent, provider_admin.email)[0].body
    assert send()[1] == []
    # Renewed properly: nothing until the new expiry date comes within the window.
    record_for(staff, 20, days(1), expires_on=days(1 + 3 * 365))
    assert send(days(2))[1] == []
    assert send(days(1 + 3 * 365 - 90))[0]["expiring"] == 1


def test_leavers_are_not_reminded(send, provider, provider_admin):
    leaver = StaffMemberFactory(organisation=provider, leaving_date=days(-30), email="left@example.org")
    trained(leaver, 20, days(-2))
    result, sent = send()
    assert (result["expired"], sent) == (0, [])


def test_a_provider_the_council_has_deactivated_is_not_reminded(send, provider, provider_admin):
    trained(StaffMemberFactory(organisation=provider, email="carer@example.org"), 20, days(-2))
    provider.is_active = False
    provider.save()
    result, sent = send()
    assert sent == []


def test_each_provider_hears_only_about_its_own_staff(send, provider, provider_admin, other_provider, other_admin):
    trained(StaffMemberFactory(organisation=provider, name="Willow Person"), 20, days(5))
    trained(StaffMemberFactory(organisation=other_provider, name="Heron Person"), 20, days(5))
    result, sent = send()
    assert result["organisation_emails"] == 2
    (willow,) = to(sent, provider_admin.email)
    (heron,) = to(sent, other_admin.email)
    assert willow.to == [provider_admin.email] and heron.to == [other_admin.email]
    assert "Willow Person" in willow.body and "Heron Person" not in willow.body
    assert "Heron Person" in heron.body and "Willow Person" not in heron.body


def test_members_and_council_staff_get_no_names(send, provider, provider_admin, provider_member, council_admin):
    trained(StaffMemberFactory(organisation=provider, name="Ada Lovelace"), 20, days(5))
    _, sent = send()
    for person in (provider_member, council_admin):
        assert to(sent, person.email) == []
    assert all("Ada Lovelace" not in m.body for m in sent if provider_admin.email not in m.to)


def test_staff_with_an_email_address_hear_about_their_own_training_only(send, provider, provider_admin):
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovelace", email="ada@example.org")
    bo = StaffMemberFactory(organisation=provider, name="Bo Chen", email="")
    trained(ada, 20, days(5))
    trained(bo, 6, days(-3))
    result, sent = send()
    assert result["staff_emails"] == 1
    (own,) = to(sent, "ada@example.org")
    assert own.to == ["ada@example.org"]
    assert "Hello Ada Lovelace" in own.body and "Safeguarding adults, expires on 6 June 2026" in own.body
    assert "Fire safety" not in own.body and "Bo Chen" not in own.body
    assert own.subject == "Some of your training expires soon"
    assert len(to(sent, provider_admin.email)) == 1


def test_training_that_never_expires_is_never_reminded(send, provider):
    staff = StaffMemberFactory(organisation=provider)
    record_for(staff, 11, days(-2000))  # leadership and management: once only
    assert category(11).refresh_months is None
    assert send()[0] == {"expiring": 0, "expired": 0, "organisation_emails": 0, "staff_emails": 0}


def test_a_long_list_is_cut_short_with_a_count(send, provider, provider_admin, monkeypatch):
    monkeypatch.setattr("carenetwork.records.reminders.MAX_LINES", 2)
    for n in range(5):
        trained(StaffMemberFactory(organisation=provider, name=f"Person {n}"), 20, days(5))
    (email,) = to(send()[1], provider_admin.email)
    assert "and 3 more" in email.body and "Person 4" not in email.body


def test_a_run_costs_the_same_queries_for_many_staff(provider, provider_admin, other_provider, other_admin):
    def grow(n):
        for organisation in (provider, other_provider):
            for _ in range(n):
                staff = StaffMemberFactory(organisation=organisation, email="x@example.org")
                trained(staff, 20, days(5))
                trained(staff, 6, days(-5))

    def queries():
        with at(TODAY), CaptureQueriesContext(connection) as captured:
            training_reminders_send()
        return len(captured)

    RecordsSettings.current()  # created on first use: not what is measured
    grow(2)
    few = queries()
    grow(20)
    assert queries() == few


def test_commands_say_the_scheduler_runs_them_daily_and_run(
    provider, provider_admin, capsys, django_capture_on_commit_callbacks
):
    from carenetwork.records.management.commands import remove_leavers_data, send_training_reminders

    for module in (send_training_reminders, remove_leavers_data):
        assert "The scheduler runs this daily (run_scheduler, at " in module.Command.help
    trained(StaffMemberFactory(organisation=provider), 20, days(5))
    with at(TODAY), django_capture_on_commit_callbacks(execute=True):
        call_command("send_training_reminders")
        call_command("send_training_reminders", "--now")
    out = capsys.readouterr().out
    assert "Queued the training reminders" in out and "Reminded 0 expiring" in out
    assert len(to(mail.outbox, provider_admin.email)) == 1
