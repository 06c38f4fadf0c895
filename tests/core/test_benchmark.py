import math
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carenetwork.accounts.models import User
from carenetwork.core.loadclient import percentile, summarise
from carenetwork.forums.volume import bench_lead_ensure
from carenetwork.organisations.models import Location, Membership, Organisation, Role
from carenetwork.organisations.volume import (
    AREAS,
    NO_ADMIN_EVERY,
    benchmark_user_ensure,
    generate_volume,
    synthetic_organisations,
    synthetic_people,
)
from carenetwork.training import bench as training_bench
from carenetwork.training.volume import generate_training_volume

pytestmark = pytest.mark.django_db

POSTCODE = re.compile(r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$")
CQC_ID = re.compile(r"^1-\d{9,11}$")


def test_generate_volume_creates_the_counts_asked_for():
    result = generate_volume(organisations=20, locations=50, people=40)

    assert (result["organisations"], result["locations"], result["people"]) == (20, 50, 40)
    assert Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).count() == 20
    assert Location.objects.count() == 50
    assert User.objects.count() == 40
    assert Membership.objects.count() == 40


def test_every_synthetic_organisation_has_locations_sectors_and_an_area():
    generate_volume(organisations=20, locations=50, people=40)

    for organisation in synthetic_organisations().prefetch_related("sectors", "locations"):
        assert organisation.locations.all(), organisation
        assert organisation.sectors.all(), organisation
        assert organisation.area in AREAS


def test_synthetic_rows_pass_model_validation():
    generate_volume(organisations=20, locations=50, people=40)

    for organisation in synthetic_organisations()[:10]:
        organisation.full_clean()
        assert POSTCODE.match(organisation.postcode)
        assert CQC_ID.match(organisation.cqc_provider_id)
    for location in Location.objects.all()[:25]:
        location.full_clean()
        assert POSTCODE.match(location.postcode)
        assert CQC_ID.match(location.cqc_location_id)
    for user in synthetic_people()[:10]:
        user.full_clean()
        assert not user.has_usable_password()


def test_each_person_has_one_membership_and_some_organisations_have_no_admin():
    generate_volume(organisations=20, locations=50, people=40)

    assert not Membership.objects.values("user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    organisations = list(synthetic_organisations())
    for position, organisation in enumerate(organisations):
        admins = Membership.objects.admins().filter(organisation=organisation).count()
        if position % NO_ADMIN_EVERY == NO_ADMIN_EVERY - 1:
            assert admins == 0
        else:
            assert admins == 1
    assert Membership.objects.filter(role=Role.MEMBER).exists()


def test_generate_volume_twice_creates_nothing_more_and_tops_up_to_a_larger_volume():
    generate_volume(organisations=20, locations=50, people=40)

    again = generate_volume(organisations=20, locations=50, people=40)
    assert again["created"] == {"organisations": 0, "locations": 0, "people": 0}

    more = generate_volume(organisations=25, locations=60, people=45)
    assert more["created"] == {"organisations": 5, "locations": 10, "people": 5}
    assert Location.objects.values("cqc_location_id").distinct().count() == 60
    for organisation in synthetic_organisations().filter(pk__in=synthetic_organisations().order_by("-pk")[:5]):
        assert organisation.locations.exists()


def test_benchmark_user_is_an_admin_of_one_synthetic_organisation_and_can_sign_in():
    generate_volume(organisations=5, locations=10, people=15)

    user, organisation = benchmark_user_ensure(password="a-known-password")
    again, same = benchmark_user_ensure(password="a-known-password")

    assert (again, same) == (user, organisation)
    assert user.check_password("a-known-password")
    assert Membership.objects.active().get(user=user).role == Role.ADMIN
    assert organisation in synthetic_organisations()


def test_percentile_interpolates_between_ranks():
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([1, 2, 3, 4, 5], 0) == 1
    assert percentile([1, 2, 3, 4, 5], 100) == 5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([1, 2], 50) == 1.5
    assert percentile([7], 95) == 7
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summarise_counts_non_200_responses_as_errors():
    samples = [(0.010, 200)] * 18 + [(0.100, 500), (0.200, 0)]

    result = summarise("page", "/page/", samples, seconds=2.0, reference=False)

    assert result.requests == 20
    assert result.errors == 2
    assert result.throughput == 10
    assert result.p50_ms == pytest.approx(10)
    assert result.statuses == {"0": 1, "200": 18, "500": 1}


def _training_pages_answer(settings) -> dict:
    """Each training benchmark page's status and query count, requested as the benchmark requests it."""
    settings.COUNCIL_MFA_REQUIRED = False
    user, _own = benchmark_user_ensure()
    missing = []
    found = {}
    for person, pages in (
        (user, training_bench.member_pages(missing)),
        (bench_lead_ensure(), training_bench.council_pages(missing)),
    ):
        browser = Client()
        browser.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for name, path, _reference in pages:
            with CaptureQueriesContext(connection) as queries:
                response = browser.get(path)
            found[name.split(" (")[0].split(" £")[0]] = (response.status_code, len(queries))
    assert not missing
    return found


def test_training_benchmark_pages_answer_with_query_counts_constant_in_the_volume(settings):
    generate_volume(organisations=30, locations=40, people=40)
    generate_training_volume(training_providers=3, courses=10, runs=60, interests=400)
    small = _training_pages_answer(settings)
    assert set(small) == {
        "training catalogue",
        "catalogue by category",
        "catalogue, at most",
        "course list",
        "course run",
        "run bookings",
        "programme report",
    }
    assert {status for status, _queries in small.values()} == {200}

    generate_training_volume(training_providers=3, courses=30, runs=180, interests=1400)
    large = _training_pages_answer(settings)
    assert large == small
