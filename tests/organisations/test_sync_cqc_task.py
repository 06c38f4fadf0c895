"""The CQC sync as the scheduler runs it daily (organisations.tasks.sync_cqc): from where the last successful sync
ended, for the local authority it covered, through the real HTTP client against the recorded responses."""

import pytest
from django.core.management import call_command

from carenetwork.organisations.cqc.sync import last_sync_area
from carenetwork.organisations.models import Location
from carenetwork.organisations.tasks import NoEarlierSync, sync_cqc
from tests.organisations.test_cqc_sync import (  # noqa: F401  (cqc_server and _needs_cqc_data are fixtures)
    LABURNUM,
    LABURNUM_PROVIDER,
    _needs_cqc_data,
    cqc_server,
)

pytestmark = pytest.mark.django_db


def test_scheduled_sync_continues_from_the_last_sync_for_its_local_authority(cqc_server):  # noqa: F811
    cqc_server.changes = {"location": [LABURNUM], "provider": [LABURNUM_PROVIDER]}
    call_command("sync_cqc", "--since", "2025-03-20", "--local-authority", "Oldham")
    first_end = cqc_server.requests[0][1]["endTimestamp"]

    result = sync_cqc.enqueue()

    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["fetched"] is True
    assert result.return_value["local_authority"] == "Oldham"
    assert result.return_value["changes"] == 0  # the same changes again change nothing
    later = [params for path, params in cqc_server.requests if path.startswith("changes/")][-1]
    assert later["startTimestamp"] == first_end
    assert last_sync_area() == "Oldham"
    assert Location.objects.filter(cqc_location_id=LABURNUM).exists()


def test_scheduled_sync_without_a_key_fetches_nothing_and_succeeds(cqc_server, settings):  # noqa: F811
    settings.CQC_API_KEY = ""

    result = sync_cqc.enqueue()

    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"fetched": False, "reason": "CQC_API_KEY is not set"}
    assert cqc_server.requests == []


def test_scheduled_sync_before_any_sync_fails_asking_for_the_first_by_hand(cqc_server):  # noqa: F811
    result = sync_cqc.enqueue()

    assert result.status == "FAILED"
    assert result.errors[0].exception_class is NoEarlierSync
    assert "run `manage.py sync_cqc --since YYYY-MM-DD" in result.errors[0].traceback
    assert cqc_server.requests == []
