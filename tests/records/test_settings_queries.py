"""The training settings pages cost the same number of queries however many categories, roles and rules exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.organisations.models import Sector
from carenetwork.records.models import JobRole, MandatoryTraining, TrainingCategory
from tests.factories import sector
from tests.records.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.get(url)  # the first request of a session stores its timestamps; measure the ones after
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(n: int, provider) -> None:
    start = TrainingCategory.objects.count()
    categories = TrainingCategory.objects.bulk_create(
        TrainingCategory(name=f"Added category {start + i}", group="conditions", refresh_months=12) for i in range(n)
    )
    roles = JobRole.objects.bulk_create(JobRole(name=f"Added role {start + i}") for i in range(n))
    Sector.objects.bulk_create(Sector(name=f"Added sector {start + i}", slug=f"added-{start + i}") for i in range(n))
    residential = sector("residential-care")
    MandatoryTraining.objects.bulk_create(
        [MandatoryTraining(sector=residential, category=c) for c in categories]
        + [MandatoryTraining(sector=residential, category=categories[0], job_role=r) for r in roles]
    )
    StaffMemberFactory.create_batch(n, organisation=provider)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("records:settings", lambda: []),
        ("records:settings-categories", lambda: []),
        ("records:settings-job-roles", lambda: []),
        ("records:settings-mandatory", lambda: [sector("residential-care").pk]),
        ("records:settings-mandatory-add", lambda: [sector("residential-care").pk]),
    ],
)
def test_settings_pages_do_not_grow_with_data(client_for, council_admin, provider, name, args):
    client = client_for(council_admin)
    url = reverse(name, args=args())
    grow(2, provider)
    few = queries_for(client, url)
    grow(20, provider)
    assert queries_for(client, url) == few
