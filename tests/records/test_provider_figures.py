"""A provider's own figures, read from its covers on every request: the overview follows every kind of change, and
the matrix's status filter and counts agree with the matrix's cells, whatever mix of rules the job roles have."""

import datetime

import pytest
import time_machine

from carenetwork.records import selectors, services, services_settings
from carenetwork.records.models import MandatoryTraining
from carenetwork.records.rules import Status
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db
D = datetime.date
CARE_WORKER, SENIOR_CARE_WORKER, ADMIN = 8, 7, 25  # two care roles and one that is not (residential care's rules)
SAFEGUARDING, MOVING_PEOPLE, DIABETES = 20, 15, 29  # every 3 years, every year, every 3 years


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _safeguarding(provider, admin):
    rows = selectors.compliance_for(user=admin, organisation=provider, window=90)
    return next((c.counts.required, c.counts.held) for c in rows if c.category.code == SAFEGUARDING)


def test_overview_follows_every_kind_of_change(provider, provider_admin, council_admin):
    person = StaffMemberFactory(organisation=provider)
    assert _safeguarding(provider, provider_admin) == (1, 0)
    record = record_for(person, SAFEGUARDING, D(2026, 11, 12))
    assert _safeguarding(provider, provider_admin) == (1, 1)  # a new record
    services.record_delete(actor=provider_admin, record=record)
    assert _safeguarding(provider, provider_admin) == (1, 0)  # a deleted record
    services.staff_save(
        actor=provider_admin,
        organisation=provider,
        staff=None,
        data={"name": "New Person", "job_role": job_role(CARE_WORKER), "start_date": D(2026, 1, 1)},
    )
    assert _safeguarding(provider, provider_admin) == (2, 0)  # a new person
    services.staff_mark_leaver(actor=provider_admin, staff=person, leaving_date=D(2026, 11, 22))
    assert _safeguarding(provider, provider_admin) == (1, 0)  # a leaver
    for rule in MandatoryTraining.objects.filter(sector__slug="residential-care", category=category(SAFEGUARDING)):
        services_settings.mandatory_remove(actor=council_admin, rule=rule)
    rows = selectors.compliance_for(user=provider_admin, organisation=provider, window=90)
    assert SAFEGUARDING not in {c.category.code for c in rows}  # the council's rules


@pytest.fixture
def mixed_team(provider, provider_admin):
    """Care workers, senior care workers and administrators, under the council's rules (every role, and care roles)
    and two of the provider's own (one for administrators only), each short in a different way."""
    services.requirement_add(
        actor=provider_admin, organisation=provider, category=category(DIABETES), job_role=job_role(ADMIN)
    )
    services.requirement_add(actor=provider_admin, organisation=provider, category=category(31))  # every role
    people = []
    for n, (role, safeguarding, moving, diabetes) in enumerate(
        [
            (CARE_WORKER, D(2026, 6, 1), D(2026, 6, 1), None),  # in date in both, missing others
            (CARE_WORKER, D(2023, 1, 10), None, None),  # safeguarding expired, moving people missing
            (SENIOR_CARE_WORKER, D(2024, 1, 10), D(2023, 1, 10), None),  # expiring, expired
            (ADMIN, None, None, D(2023, 12, 10)),  # diabetes (their own rule) expiring
            (ADMIN, D(2026, 6, 1), D(2020, 1, 1), D(2022, 1, 1)),  # diabetes expired; moving people not required
            (ADMIN, D(2024, 1, 10), None, D(2026, 6, 1)),
        ]
    ):
        person = StaffMemberFactory(organisation=provider, name=f"Person {n}", job_role=job_role(role))
        for code, done in ((SAFEGUARDING, safeguarding), (MOVING_PEOPLE, moving), (DIABETES, diabetes)):
            if done:
                record_for(person, code, done)
        people.append(person)
    return people


def _by_cells(provider, provider_admin, status, categories=None):
    staff, columns, mandatory = selectors.matrix_for(user=provider_admin, organisation=provider, categories=categories)
    rows = selectors.matrix_rows(staff, columns, mandatory)
    return {row.staff.name for row in rows if any(c.required and c.status == status for c in row.cells)}


@pytest.mark.parametrize("status", [Status.EXPIRED, Status.EXPIRING, Status.MISSING])
@pytest.mark.parametrize("chosen", [None, [SAFEGUARDING], [MOVING_PEOPLE], [DIABETES], [MOVING_PEOPLE, DIABETES]])
def test_status_filter_finds_whom_the_cells_show_in_that_status(provider, provider_admin, mixed_team, status, chosen):
    categories = [category(code).pk for code in chosen] if chosen else None
    staff, _columns, _mandatory = selectors.matrix_for(
        user=provider_admin, organisation=provider, status=status, categories=categories
    )
    assert {s.name for s in staff} == _by_cells(provider, provider_admin, status, categories)


def test_a_role_that_needs_none_of_the_chosen_categories_misses_none_of_them(provider, provider_admin, mixed_team):
    staff, _columns, _mandatory = selectors.matrix_for(
        user=provider_admin, organisation=provider, status=Status.MISSING, categories=[category(MOVING_PEOPLE).pk]
    )
    assert {s.name for s in staff} == {"Person 1"}  # not the administrators, who need no moving people training


def test_status_counts_agree_with_the_filter(provider, provider_admin, mixed_team):
    counts = selectors.staff_status_counts(
        user=provider_admin,
        organisation=provider,
        statuses=[Status.EXPIRED, Status.EXPIRING, Status.MISSING],
        window=90,
    )
    for status in (Status.EXPIRED, Status.EXPIRING, Status.MISSING):
        assert counts[status] == len(_by_cells(provider, provider_admin, status)) > 0
