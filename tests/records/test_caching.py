"""A provider's cached figures are never stale: every write to its records, staff or rules forgets them."""

import datetime

import pytest
from django.core.cache import cache

from carenetwork.organisations.models import Organisation
from carenetwork.records import selectors, services, services_settings
from carenetwork.records.models import MandatoryTraining
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.RECORDS_REPORT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _safeguarding(provider, admin):
    rows = selectors.compliance_for(user=admin, organisation=provider, window=90)
    return next((c.counts.required, c.counts.held) for c in rows if c.category.code == 20)


def test_overview_follows_every_kind_of_change(provider, provider_admin, council_admin):
    person = StaffMemberFactory(organisation=provider)
    assert _safeguarding(provider, provider_admin) == (1, 0)
    record = record_for(person, 20, datetime.date.today() - datetime.timedelta(days=10))
    assert _safeguarding(provider, provider_admin) == (1, 1)  # a new record
    services.record_delete(actor=provider_admin, record=record)
    assert _safeguarding(provider, provider_admin) == (1, 0)  # a deleted record
    services.staff_save(
        actor=provider_admin,
        organisation=provider,
        staff=None,
        data={"name": "New Person", "job_role": job_role(8), "start_date": datetime.date(2026, 1, 1)},
    )
    assert _safeguarding(provider, provider_admin) == (2, 0)  # a new person
    services.staff_mark_leaver(actor=provider_admin, staff=person, leaving_date=datetime.date.today())
    assert _safeguarding(provider, provider_admin) == (1, 0)  # a leaver
    for rule in MandatoryTraining.objects.filter(sector__slug="residential-care", category=category(20)):
        services_settings.mandatory_remove(actor=council_admin, rule=rule)
    rows = selectors.compliance_for(user=provider_admin, organisation=provider, window=90)
    assert 20 not in {c.category.code for c in rows}  # the council's rules


def test_another_providers_writes_leave_the_cache_alone(
    provider, provider_admin, other_provider, django_assert_num_queries
):
    StaffMemberFactory(organisation=provider)
    provider = Organisation.objects.prefetch_related("sectors").get(pk=provider.pk)  # as the pages read it
    _safeguarding(provider, provider_admin)
    record_for(StaffMemberFactory(organisation=other_provider), 20, datetime.date(2026, 1, 1))
    with django_assert_num_queries(0):
        _safeguarding(provider, provider_admin)
