"""Monthly skills snapshots: their rows and totals, taking a month again, the command and task, and the trend."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from carenetwork.records.models import SkillsSnapshot
from carenetwork.records.skills import Counts
from carenetwork.records.snapshots import gap_trend, last_months, month_end, snapshot_take, take_skills_snapshot
from tests.factories import sector
from tests.records.factories import category
from tests.records.test_skills import DAY, FIRE, SAFEGUARDING, TODAY, person, provider_in, rule

pytestmark = pytest.mark.django_db
D = datetime.date
JUNE, MAY = D(2026, 6, 1), D(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _only_our_rules(db):
    from carenetwork.records.models import MandatoryTraining

    MandatoryTraining.objects.all().delete()


def snapshot(month, sector_slug=None, area="", code=SAFEGUARDING) -> SkillsSnapshot:
    return SkillsSnapshot.objects.get(
        month=month, category=category(code), sector=sector(sector_slug) if sector_slug else None, area=area
    )


def _market():
    rule("residential-care", SAFEGUARDING)
    rule("home-care", SAFEGUARDING)
    rule("home-care", FIRE)
    both = provider_in("residential-care", "home-care", area="Northbrook")
    person(both, SAFEGUARDING, TODAY - DAY)
    person(both)
    nowhere = provider_in("residential-care", area="")
    person(nowhere, SAFEGUARDING, D(2027, 1, 1))


def test_a_snapshot_holds_each_sector_and_area_with_their_totals():
    _market()
    assert snapshot_take() == 10
    cell = snapshot(JUNE, "home-care", "Northbrook")
    assert (cell.required, cell.in_date, cell.expiring_soon, cell.expired, cell.missing) == (2, 0, 0, 1, 1)
    assert snapshot(JUNE, "residential-care", "Northbrook").required == 2
    # Providers without an area count only in the totals over every area.
    assert snapshot(JUNE, "residential-care").required == 3
    assert not SkillsSnapshot.objects.filter(category=category(FIRE), sector=sector("residential-care")).exists()
    # Over every sector each person counts once, though their provider works in two.
    assert snapshot(JUNE, area="Northbrook").required == 2
    total = snapshot(JUNE)
    assert (total.required, total.in_date, total.expired, total.missing) == (3, 1, 1, 1)
    assert snapshot(JUNE, code=FIRE).required == 2


def test_taking_a_month_again_replaces_it():
    _market()
    snapshot_take()
    person(provider_in("home-care", area="Northbrook"))
    assert snapshot_take() == 10
    assert SkillsSnapshot.objects.filter(month=JUNE).count() == 10
    assert snapshot(JUNE).required == 4


def test_a_past_month_is_counted_as_on_its_last_day():
    rule("residential-care", SAFEGUARDING)
    home = provider_in("residential-care", area="Northbrook")
    person(home, SAFEGUARDING, D(2026, 5, 20))  # expired by the end of May
    person(home, SAFEGUARDING, D(2026, 6, 10))  # expiring soon at the end of May, expired now
    person(home, leaving_date=D(2026, 6, 1))  # still there at the end of May
    snapshot_take(month=D(2026, 5, 17))
    may = snapshot(MAY)
    assert (may.required, may.expired, may.expiring_soon, may.missing) == (3, 1, 1, 1)
    assert month_end(MAY) == D(2026, 5, 31)


def test_a_month_that_has_not_started_is_refused():
    with pytest.raises(ValueError):
        snapshot_take(month=D(2026, 7, 1))


def test_the_command_queues_the_task_and_takes_a_month_at_once(capsys):
    _market()
    call_command("snapshot_skills")
    assert "Queued the skills snapshot" in capsys.readouterr().out
    assert SkillsSnapshot.objects.filter(month=JUNE).count() == 10
    call_command("snapshot_skills", "--month", "2026-05", "--now")
    assert "10 rows" in capsys.readouterr().out
    assert SkillsSnapshot.objects.filter(month=MAY).count() == 10
    with pytest.raises(CommandError):
        call_command("snapshot_skills", "--month", "May")
    with pytest.raises(CommandError):
        call_command("snapshot_skills", "--month", "2027-01", "--now")


def test_the_task_takes_the_given_month():
    _market()
    take_skills_snapshot.enqueue(month="2026-04")
    assert SkillsSnapshot.objects.filter(month=D(2026, 4, 1)).count() == 10


def test_the_trend_reads_past_months_from_snapshots_and_this_month_live():
    _market()
    snapshot_take(month=MAY)
    SkillsSnapshot.objects.create(month=D(2025, 7, 1), category=category(SAFEGUARDING), required=10, expired=5)
    SkillsSnapshot.objects.create(month=D(2025, 6, 1), category=category(SAFEGUARDING), required=9)  # too old
    safeguarding, fire = category(SAFEGUARDING).pk, category(FIRE).pk
    live = {safeguarding: Counts(required=7, expired=7)}
    points = gap_trend(category_ids=[safeguarding, fire], today=TODAY, current=live)
    assert [p.month for p in points] == last_months(TODAY) and len(points) == 12
    assert points[0].month == D(2025, 7, 1)
    assert points[0].values == {safeguarding: Counts(required=10, expired=5), fire: None}
    assert points[1].values[safeguarding] is None
    assert points[-2].values[safeguarding] == Counts(required=3, in_date=1, expiring=1)
    assert points[-1].live and points[-1].values == {safeguarding: live[safeguarding], fire: Counts()}
    home_care = gap_trend(
        category_ids=[safeguarding], sector_id=sector("home-care").pk, area="Northbrook", today=TODAY, current={}
    )
    assert home_care[-2].values[safeguarding] == Counts(required=2, expiring=1)
    assert gap_trend(category_ids=[], today=TODAY, current={}) == []
