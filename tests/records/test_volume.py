"""Synthetic staff and training records for the benchmark: topped up, realistic, with covers computed in bulk."""

import datetime
import io

import pytest
from django.db.models import Count, F
from django.utils import timezone

from carenetwork.organisations.models import Membership, Role
from carenetwork.organisations.volume import BENCH_USER_EMAIL, generate_volume, synthetic_organisations
from carenetwork.records.cover import cover_refresh
from carenetwork.records.mandatory import mandatory_set
from carenetwork.records.models import StaffMember, TrainingCover, TrainingRecord
from carenetwork.records.permissions import can_manage_staff
from carenetwork.records.rules import Status, cover_status, expiry_date
from carenetwork.records.volume import (
    bench_records_admin_ensure,
    generate_records_volume,
    records_bench_targets,
    synthetic_records,
    synthetic_staff,
)

pytestmark = pytest.mark.django_db

COVER_FIELDS = ("staff_id", "category_id", "organisation_id", "completed_on", "expires_on")


@pytest.fixture
def volume(provider):
    """A small synthetic market (the real provider fixture stays out of it), with 200 staff and 4,000 records."""
    generate_volume(organisations=20, locations=40, people=60)
    result = generate_records_volume(staff=200, records=4000, stdout=io.StringIO())
    return result


def covers_of(staff_ids) -> set[tuple]:
    return set(TrainingCover.objects.filter(staff_id__in=staff_ids).values_list(*COVER_FIELDS))


def test_generates_the_numbers_asked_for_on_synthetic_providers_only(volume, provider):
    assert (volume["staff"], volume["records"]) == (200, 4000)
    assert volume["created"] == {"staff": 200, "records": 4000}
    assert StaffMember.objects.filter(organisation=provider).count() == 0
    assert set(synthetic_staff().values_list("organisation__kind", flat=True)) == {"provider"}
    per_person = set(synthetic_records().values("staff").annotate(n=Count("pk")).values_list("n", flat=True))
    assert per_person == {20}


def test_a_second_call_creates_nothing(volume):
    again = generate_records_volume(staff=200, records=4000)
    assert again["created"] == {"staff": 0, "records": 0}
    assert (StaffMember.objects.count(), TrainingRecord.objects.count()) == (200, 4000)


def test_a_larger_volume_tops_up_the_difference(volume):
    before = set(synthetic_staff().values_list("pk", flat=True))
    more = generate_records_volume(staff=250, records=5000)
    assert more["created"] == {"staff": 50, "records": 1000}
    new = synthetic_staff().exclude(pk__in=before)
    assert TrainingRecord.objects.filter(staff__in=new).count() == 1000
    assert len(set(synthetic_staff().values_list("reference", flat=True))) == 250
    # More records and no more staff: earlier training is added to the people already there.
    assert generate_records_volume(staff=250, records=5200)["created"] == {"staff": 0, "records": 200}
    assert synthetic_records().count() == 5200
    everyone = list(synthetic_staff().values_list("pk", flat=True))
    rebuilt = covers_of(everyone)
    cover_refresh(everyone)
    assert covers_of(everyone) == rebuilt


def test_covers_match_cover_refresh(volume):
    sample = list(synthetic_staff().order_by("?").values_list("pk", flat=True)[:40])
    bulk = covers_of(sample)
    assert bulk
    cover_refresh(sample)
    assert covers_of(sample) == bulk
    assert TrainingCover.objects.count() == TrainingRecord.objects.values("staff", "category").distinct().count()


def test_the_data_looks_like_a_real_market(volume):
    staff = synthetic_staff()
    leavers = staff.filter(leaving_date__isnull=False).count()
    assert 5 <= leavers <= 45  # about one in ten
    assert staff.values("job_role").distinct().count() >= 5
    assert staff.values("organisation").distinct().count() >= 10
    assert staff.exclude(reference="").count() == 200
    assert not staff.filter(leaving_date__lt=F("start_date")).exists()
    today = timezone.localdate()
    records = synthetic_records()
    assert records.filter(completed_on__gt=today).count() == 0
    current = records.filter(staff__leaving_date__isnull=True)
    assert current.filter(completed_on__lt=today - datetime.timedelta(days=4 * 365 + 1)).count() == 0
    for record in records.select_related("category").order_by("?")[:100]:
        assert record.expires_on == expiry_date(record.completed_on, record.category.refresh_months)

    statuses = {status: 0 for status in Status}
    for organisation in synthetic_organisations().filter(staff__isnull=False).distinct():
        required = mandatory_set(organisation)
        covers = {
            (c.staff_id, c.category_id): c.expires_on for c in TrainingCover.objects.filter(organisation=organisation)
        }
        for person in staff.filter(organisation=organisation, leaving_date__isnull=True):
            for category_id in required.for_role(person.job_role_id):
                key = (person.pk, category_id)
                statuses[cover_status(covers.get(key), today=today, has_cover=key in covers)] += 1
    total = sum(statuses.values())
    assert total > 500
    assert statuses[Status.IN_DATE] > total * 0.5
    for status in (Status.EXPIRING, Status.EXPIRED, Status.MISSING):
        assert total * 0.02 < statuses[status] < total * 0.25, statuses


def test_benchmark_person_is_an_admin_of_the_provider_with_most_staff(volume):
    pk = records_bench_targets()
    largest = synthetic_staff().values("organisation").annotate(n=Count("pk")).order_by("-n").first()
    assert StaffMember.objects.filter(organisation_id=pk).count() == largest["n"]
    user, organisation = bench_records_admin_ensure()
    assert user.email == BENCH_USER_EMAIL and organisation.pk == pk
    assert can_manage_staff(user, organisation)
    bench_records_admin_ensure()
    assert Membership.objects.active().filter(user=user, organisation=organisation, role=Role.ADMIN).count() == 1


def test_without_synthetic_providers_nothing_is_made(provider):
    result = generate_records_volume(staff=10, records=100)
    assert result["created"] == {"staff": 0, "records": 0}
    assert records_bench_targets() is None
