"""The benchmark command's options: caches off unless asked for, said in its header; a national volume."""

import pytest

from carenetwork.forums.portal_registration import FORUM_VOLUMES
from carenetwork.portal.management.commands.benchmark import Command, header, report_cache_seconds, server_env
from carenetwork.portal.volume import VOLUMES, volume_ensure
from carenetwork.records.bench import RECORDS_VOLUMES
from carenetwork.records.volume import synthetic_records, synthetic_staff
from carenetwork.training.volume import TRAINING_VOLUMES

OPTIONS = {"workers": 3, "connections": 6, "duration": 10.0}


def parser():
    return Command().create_parser("manage.py", "benchmark")


def test_help_lists_the_national_volume_and_the_caches_option():
    text = parser().format_help()
    assert "{council,national,region}" in text
    assert "--caches {off,on}" in text


def test_caches_are_off_unless_asked_for():
    assert parser().parse_args([]).caches == "off"
    assert parser().parse_args(["--caches", "on"]).caches == "on"


def test_the_server_runs_with_report_caches_off_by_default(settings):
    settings.RECORDS_REPORT_CACHE_SECONDS = 300
    assert server_env("sqlite:///bench.sqlite3", "off")["RECORDS_REPORT_CACHE_SECONDS"] == "0"
    assert server_env("sqlite:///bench.sqlite3", "on")["RECORDS_REPORT_CACHE_SECONDS"] == "300"
    # Settings that turn the caches off (as the test settings do) still give caches with --caches on.
    settings.RECORDS_REPORT_CACHE_SECONDS = 0
    assert report_cache_seconds("on") > 0 and report_cache_seconds("off") == 0


def test_the_header_says_whether_caches_were_on():
    counts = {"organisations": 28000}
    line = header("national", "postgresql", counts, "off", OPTIONS)
    assert line.startswith("Volume national (postgresql): {'organisations': 28000}; caches off; gunicorn sync ×3")
    assert "; caches on;" in header("council", "sqlite", counts, "on", OPTIONS)


def test_every_capability_has_figures_for_every_volume():
    assert set(VOLUMES) == {"council", "region", "national"}
    assert set(RECORDS_VOLUMES) == set(TRAINING_VOLUMES) == set(FORUM_VOLUMES) == set(VOLUMES)
    assert VOLUMES["national"]["organisations"] == 28_000
    assert RECORDS_VOLUMES["national"] == {"staff": 1_600_000, "records": 16_000_000}


@pytest.mark.django_db
def test_volume_ensure_times_the_whole_generation(monkeypatch):
    monkeypatch.setitem(VOLUMES, "council", {"organisations": 8, "locations": 12, "people": 10})
    monkeypatch.setitem(RECORDS_VOLUMES, "council", {"staff": 20, "records": 100})
    monkeypatch.setitem(
        TRAINING_VOLUMES, "council", {"training_providers": 1, "courses": 3, "runs": 6, "interests": 20}
    )
    generation = volume_ensure("council")
    assert generation["organisations"] == 8 and generation["created"]["people"] == 10
    assert set(generation["parts"]) == {"organisations", "records", "training", "statistics"}
    assert generation["seconds"] >= sum(generation["parts"].values())
    assert (synthetic_staff().count(), synthetic_records().count()) == (20, 100)
