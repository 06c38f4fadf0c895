"""The benchmark command: caches off, said in its header; a national volume."""

import pytest

from carenetwork.forums.portal_registration import FORUM_VOLUMES
from carenetwork.portal.management.commands.benchmark import Command, header
from carenetwork.portal.volume import VOLUMES, volume_ensure
from carenetwork.procurement.volume import PROCUREMENT_VOLUMES
from carenetwork.records.bench import RECORDS_VOLUMES
from carenetwork.records.volume import synthetic_records, synthetic_staff
from carenetwork.training.volume import TRAINING_VOLUMES

OPTIONS = {"workers": 3, "connections": 6, "duration": 10.0}


def parser():
    return Command().create_parser("manage.py", "benchmark")


def test_help_lists_the_national_volume():
    assert "{council,national,region}" in parser().format_help()


def test_the_header_says_caches_were_off():
    line = header("national", "postgresql", {"organisations": 28000}, OPTIONS)
    assert line.startswith("Volume national (postgresql): {'organisations': 28000}; caches off")


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
    monkeypatch.setitem(
        PROCUREMENT_VOLUMES, "council", {"opportunities": 6, "open": 2, "questions": 12, "contracts": 2}
    )
    generation = volume_ensure("council")
    assert generation["organisations"] == 8 and generation["created"]["people"] == 10
    assert set(generation["parts"]) == {"organisations", "records", "training", "market", "procurement", "statistics"}
    # The whole counts every part, not the organisations alone; each figure is rounded to 1/100 s on its own.
    rounding = 0.005 * (len(generation["parts"]) + 1)
    assert generation["seconds"] >= sum(generation["parts"].values()) - rounding
    assert (synthetic_staff().count(), synthetic_records().count()) == (20, 100)
