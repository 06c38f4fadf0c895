"""A staff or training record form sent twice (a double click, a resend) stores one person or one record, and a
leaving date in the future is refused. The threaded tests send both at the same moment: they run on PostgreSQL
(DATABASE_URL) and on SQLite when its test database is a file (see tests/forums/test_booking_race.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carenetwork.records import services
from carenetwork.records.models import StaffMember, TrainingRecord
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, person_in
from tests.records.factories import StaffMemberFactory, category, job_role

D = datetime.date


def _staff_data(**overrides):
    return {
        "name": "Amara Okoye",
        "job_role": job_role(8),
        "location": None,
        "start_date": D(2024, 4, 1),
        "reference": "",
        "email": "",
        **overrides,
    }


def _record_data(**overrides):
    return {
        "category": category(10),
        "training_name": "",
        "completed_on": D(2025, 1, 10),
        "expires_on": None,
        "accredited": TrainingRecord.Accredited.DONT_KNOW,
        "delivered_by": "",
        "provider_name": "",
        "how_delivered": "",
        "notes": "",
        **overrides,
    }


@pytest.mark.django_db
def test_a_staff_form_sent_twice_adds_the_person_once(provider, provider_admin):
    first = services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data())
    again = services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data())
    assert again.pk == first.pk
    assert StaffMember.objects.filter(organisation=provider).count() == 1


@pytest.mark.django_db
def test_two_people_with_different_details_are_both_added(provider, provider_admin):
    services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data())
    services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data(name="Ben Ode"))
    assert StaffMember.objects.filter(organisation=provider).count() == 2


@pytest.mark.django_db
def test_a_reference_already_used_is_refused_in_plain_words(provider, provider_admin):
    services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data(reference="R1"))
    with pytest.raises(ValidationError) as raised:
        services.staff_save(
            actor=provider_admin, organisation=provider, staff=None, data=_staff_data(name="Ben", reference="R1")
        )
    assert raised.value.message_dict["reference"] == [
        "Someone else on your register has this reference: give each person their own"
    ]


@pytest.mark.django_db
def test_a_record_form_sent_twice_adds_the_record_once(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    first = services.record_save(actor=provider_admin, staff=staff, record=None, data=_record_data())
    again = services.record_save(actor=provider_admin, staff=staff, record=None, data=_record_data())
    assert again.pk == first.pk
    assert staff.training_records.count() == 1
    services.record_save(actor=provider_admin, staff=staff, record=None, data=_record_data(completed_on=D(2025, 2, 1)))
    assert staff.training_records.count() == 2


@pytest.mark.django_db
def test_a_leaving_date_in_the_future_is_refused(client, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    client.force_login(provider_admin)
    response = client.post(
        reverse("records:staff-leave", args=[provider.pk, staff.pk]),
        {"leaving_date_0": tomorrow.day, "leaving_date_1": tomorrow.month, "leaving_date_2": tomorrow.year},
    )
    assert response.status_code == 200
    assert "The leaving date must be today or in the past" in response.content.decode()
    staff.refresh_from_db()
    assert staff.leaving_date is None


@pytest.fixture
def _race_database():
    """A transactional test starts from whatever the last one flushed: seed what migrations seeded."""
    prepare_race("organisations", "records")


@pytest.mark.django_db(transaction=True)
def test_a_staff_form_sent_twice_at_once_adds_the_person_once(_race_database):
    from carenetwork.organisations.models import Role

    provider = OrganisationFactory()
    admin = person_in(provider, Role.ADMIN)
    data = _staff_data(job_role=job_role(8), reference="AO1")
    results, errors = at_once(
        [lambda: services.staff_save(actor=admin, organisation=provider, staff=None, data=dict(data))] * 2
    )
    assert errors == []
    assert StaffMember.objects.filter(organisation=provider).count() == 1
    assert len({r.pk for r in results}) == 1


@pytest.mark.django_db(transaction=True)
def test_a_record_form_sent_twice_at_once_adds_the_record_once(_race_database):
    from carenetwork.organisations.models import Role

    provider = OrganisationFactory()
    admin = person_in(provider, Role.ADMIN)
    staff = StaffMemberFactory(organisation=provider)
    data = _record_data()
    _results, errors = at_once(
        [lambda: services.record_save(actor=admin, staff=staff, record=None, data=dict(data))] * 2
    )
    assert errors == []
    assert TrainingRecord.objects.filter(staff=staff).count() == 1
