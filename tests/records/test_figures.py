"""The maintained compliance figures: equal to a recount after every write, through the days, and checked and
repaired by `manage.py recount_figures`."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carenetwork.organisations import services as organisation_services
from carenetwork.organisations.models import Organisation
from carenetwork.records import figures, services, services_settings
from carenetwork.records.models import (
    ComplianceFigure,
    ComplianceFiguresState,
    MandatoryTraining,
    MarketFigure,
    TrainingRecord,
)
from carenetwork.records.recount import requirement_recount
from carenetwork.records.rules import Counts
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
TODAY = D(2026, 6, 15)
SAFEGUARDING, FIRE, MOVING, MEDICATION = 20, 6, 15, 13


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False)


def every_view(day: datetime.date, window: int = 90) -> list[tuple]:
    """Every way the reports read the figures, each with what a recount says for the same day and window."""
    views = [(), ("sector",), ("area",), ("organisation",), ("sector", "area")]
    home_care = sector("home-care").pk
    pairs = [(by, {}) for by in views] + [((), {"sector_id": home_care}), (("organisation",), {"area": "Eastmarsh"})]
    return [
        (
            figures.requirement_counts(by=by, today=day, window_days=window, **criteria),
            requirement_recount(by=by, today=day, window_days=window, **criteria),
        )
        for by, criteria in pairs
    ]


def assert_figures_right(day: datetime.date = TODAY, window: int = 90) -> None:
    assert figures.figures_recount() == []
    for kept, recounted in every_view(day, window):
        assert kept == recounted


@pytest.fixture
def market(db, council_admin):
    """Two providers (one in two sectors) with staff whose training expires around TODAY; the council requires
    safeguarding in both sectors and fire safety of care workers in residential care."""
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    for slug in ("home-care", "residential-care"):
        services_settings.mandatory_add(actor=council_admin, sector=sector(slug), category=category(SAFEGUARDING))
    services_settings.mandatory_add(
        actor=council_admin, sector=sector("residential-care"), category=category(FIRE), job_roles=[job_role(8)]
    )
    heron = OrganisationFactory(sectors=[sector("home-care"), sector("residential-care")], area="Eastmarsh")
    willow = OrganisationFactory(sectors=[sector("residential-care")], area="Westmarsh")
    for organisation in (heron, willow):
        for n, expires in enumerate([TODAY - DAY, TODAY, TODAY + DAY, TODAY + 90 * DAY, TODAY + 91 * DAY, None]):
            staff = StaffMemberFactory(organisation=organisation, job_role=job_role(8 if n % 2 else 7))
            record_for(staff, SAFEGUARDING, D(2025, 1, 1), expires_on=expires)
            if n % 3 == 0:
                record_for(staff, FIRE, D(2025, 1, 1), expires_on=expires)
    figures.figures_rebuild()
    return heron, willow


def test_the_figures_are_a_recount_and_a_report_reads_only_them(market):
    assert ComplianceFiguresState.objects.get().as_of == TODAY
    assert ComplianceFigure.objects.filter(sector__isnull=True).count() >= 2
    assert_figures_right()
    with CaptureQueriesContext(connection) as read:
        figures.requirement_counts(by=("sector",), today=TODAY, window_days=90)
    assert len(read) == 2  # the state, then the figures: no recount on the day they are for


def test_reports_are_right_on_later_days_before_and_after_the_daily_move(market):
    for later in (TODAY + DAY, TODAY + 2 * DAY, TODAY + 95 * DAY):
        with at(later):
            for kept, recounted in every_view(later):
                assert kept == recounted, later
    with at(TODAY + 2 * DAY):
        assert figures.figures_roll() > 0
        assert ComplianceFiguresState.objects.get().as_of == TODAY + 2 * DAY
        assert_figures_right(TODAY + 2 * DAY)
        with CaptureQueriesContext(connection) as read:
            figures.requirement_counts(today=TODAY + 2 * DAY, window_days=90)
        assert len(read) == 2
        assert figures.figures_roll() == 0  # once a day is enough


def test_a_leaving_date_that_passes_takes_the_person_out_of_the_counts(market):
    heron, _willow = market
    leaver = StaffMemberFactory(organisation=heron, leaving_date=TODAY + DAY)  # imported with a future date
    figures.figures_refresh([heron.pk])
    total = figures.requirement_counts(organisation_ids=[heron.pk], today=TODAY, window_days=90)
    later = figures.requirement_counts(organisation_ids=[heron.pk], today=TODAY + 2 * DAY, window_days=90)
    assert later == requirement_recount(organisation_ids=[heron.pk], today=TODAY + 2 * DAY, window_days=90)
    assert sum(c.required for c in later.values()) < sum(c.required for c in total.values())
    with at(TODAY + 2 * DAY):
        figures.figures_roll()
        assert_figures_right(TODAY + 2 * DAY)
    assert leaver.leaving_date == TODAY + DAY


def test_a_new_reminder_window_moves_the_figures_with_it(market, council_admin):
    services_settings.records_settings_save(actor=council_admin, data={"reminder_days": 30, "retention_months": 72})
    assert ComplianceFiguresState.objects.get().window_days == 30
    assert_figures_right(TODAY, 30)


def test_the_councils_rules_and_a_providers_sectors_move_the_figures(market, council_admin):
    heron, willow = market
    services_settings.mandatory_add(actor=council_admin, sector=sector("residential-care"), category=category(MOVING))
    assert_figures_right()
    rule = MandatoryTraining.objects.get(category=category(MOVING), organisation__isnull=True)
    services_settings.mandatory_remove(actor=council_admin, rule=rule)
    assert_figures_right()
    willow.sectors.add(sector("home-care"))
    assert_figures_right()
    heron.sectors.remove(sector("home-care"))
    assert_figures_right()
    sector("residential-care").organisations.clear()  # from the sector's side, as the admin's sector pages might
    assert_figures_right()


def test_inactive_providers_and_other_kinds_are_left_out_as_they_change(market, council_admin):
    heron, willow = market
    willow.is_active = False  # the market's sums follow an organisation's save
    willow.save()
    heron.area = "Northmarsh"
    heron.save()
    counts = figures.requirement_counts(by=("organisation", "area"), today=TODAY, window_days=90)
    assert {(o, area) for _c, o, area in counts} == {(heron.pk, "Northmarsh")}
    assert {area for _c, area in figures.requirement_counts(by=("area",), today=TODAY, window_days=90)} == {
        "Northmarsh"
    }
    assert_figures_right()
    willow.is_active, heron.kind = True, Organisation.Kind.PARTNER
    willow.save()
    heron.save()
    assert_figures_right()
    willow.delete()
    assert not figures.requirement_counts(today=TODAY, window_days=90)
    assert_figures_right()


def test_the_market_sums_are_checked_too_and_kept_compact(market):
    """The market's rows are summed when read; a compaction folds each key's into one without changing a sum."""
    kept = figures.requirement_counts(by=("sector", "area"), today=TODAY, window_days=90)
    for _ in range(3):  # new hires add change rows to the market
        StaffMemberFactory(organisation=market[0], job_role=job_role(8))
    assert MarketFigure.objects.count() > len(kept)
    before = figures.requirement_counts(by=("sector", "area"), today=TODAY, window_days=90)
    assert figures.market_compact() > 0
    assert figures.requirement_counts(by=("sector", "area"), today=TODAY, window_days=90) == before
    assert MarketFigure.objects.count() == len(figures._market_kept())
    assert figures.market_compact() == 0
    row = MarketFigure.objects.order_by("pk").first()
    MarketFigure.objects.filter(pk=row.pk).update(required=row.required + 7)
    (difference,) = figures.figures_recount()
    assert difference.table == "records.MarketFigure" and difference.kept.required == difference.recounted.required + 7
    figures.figures_recount(repair=True)
    assert_figures_right()


def test_the_recount_command_reports_a_wrong_figure_and_repairs_it(market, capsys):
    call_command("recount_figures")
    assert "records: 0 difference(s)" in capsys.readouterr().out
    figure = ComplianceFigure.objects.filter(sector__isnull=True).order_by("pk").first()
    ComplianceFigure.objects.filter(pk=figure.pk).update(in_date=figure.in_date + 5)
    ComplianceFigure.objects.filter(sector__isnull=False).order_by("pk").last().delete()
    with pytest.raises(CommandError, match="2 maintained figure"):
        call_command("recount_figures")
    output = capsys.readouterr().out
    assert f"organisation {figure.organisation_id}, sector all, category {figure.category_id}" in output
    assert "kept None" in output  # the deleted one
    call_command("recount_figures", "--repair")
    assert "records: 2 difference(s) repaired" in capsys.readouterr().out
    call_command("recount_figures")
    assert_figures_right()


def test_a_new_database_counts_from_the_rows_until_the_first_write_builds_the_figures(db):
    organisation = OrganisationFactory(sectors=[sector("home-care")])
    ComplianceFiguresState.objects.all().delete()
    ComplianceFigure.objects.all().delete()
    staff = StaffMemberFactory.build(organisation=organisation, job_role=job_role(8))
    staff.save()  # written round the services: nothing maintained yet
    assert figures.requirement_counts(today=TODAY, window_days=90) == requirement_recount(today=TODAY, window_days=90)
    record_for(staff, SAFEGUARDING, D(2026, 1, 1))  # the first write builds every figure
    assert ComplianceFiguresState.objects.exists()
    assert_figures_right()


# Random sequences of the real services' writes, checked against a recount after each.

ROLES = [7, 8, 25]
CODES = [SAFEGUARDING, FIRE, MOVING, MEDICATION]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("hire"), st.integers(0, 1), st.sampled_from(ROLES)),
        st.tuples(st.just("train"), st.integers(0, 20), st.sampled_from(CODES), st.integers(-120, 400)),
        st.tuples(st.just("forget"), st.integers(0, 40)),
        st.tuples(st.just("change role"), st.integers(0, 20), st.sampled_from(ROLES)),
        st.tuples(st.just("leave"), st.integers(0, 20)),
        st.tuples(st.just("require"), st.sampled_from(["home-care", "residential-care"]), st.sampled_from(CODES)),
        st.tuples(st.just("drop rule"), st.integers(0, 10)),
        st.tuples(st.just("sectors"), st.integers(0, 1), st.sampled_from(["home-care", "residential-care"])),
        st.tuples(st.just("window"), st.sampled_from([30, 90, 180])),
        st.tuples(st.just("area"), st.integers(0, 1), st.sampled_from(["Eastmarsh", "Westmarsh", ""])),
        st.tuples(st.just("active"), st.integers(0, 1), st.booleans()),
        st.tuples(st.just("compact")),
        st.tuples(st.just("days pass"), st.integers(1, 120), st.booleans()),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_of_writes_leaves_the_figures_equal_to_a_recount(steps, council_admin):
    with at(TODAY) as clock:
        MandatoryTraining.objects.filter(organisation__isnull=True).delete()
        ComplianceFiguresState.objects.all().delete()
        ComplianceFigure.objects.all().delete()
        MarketFigure.objects.all().delete()
        providers = [
            OrganisationFactory(sectors=[sector("home-care")], area="Eastmarsh"),
            OrganisationFactory(sectors=[sector("residential-care")], area="Westmarsh"),
        ]
        admins = [person_in(p, "admin") for p in providers]
        figures.figures_rebuild()
        for slug in ("home-care", "residential-care"):  # a starting point where most writes change a figure
            services_settings.mandatory_add(actor=council_admin, sector=sector(slug), category=category(SAFEGUARDING))
        for provider, role in [(0, 8), (0, 7), (1, 8), (1, 25)]:
            _apply(("hire", provider, role), providers, admins, council_admin, TODAY, 90, clock)
        day, window = TODAY, 90
        for step in steps:
            day, window = _apply(step, providers, admins, council_admin, day, window, clock)
            assert_figures_right(day, window)


def _apply(step, providers, admins, council_admin, day, window, clock):
    kind, *args = step
    staff = list(
        services.StaffMember.objects.filter(organisation__in=providers, leaving_date__isnull=True).order_by("pk")
    )
    if kind == "hire":
        which = args[0]
        services.staff_save(
            actor=admins[which],
            organisation=providers[which],
            staff=None,
            data={"name": "A Person", "job_role": job_role(args[1]), "start_date": D(2024, 1, 1)},
        )
    elif kind == "train" and staff:
        person = staff[args[0] % len(staff)]
        completed = day - datetime.timedelta(days=400)
        expires = day + datetime.timedelta(days=args[2])
        services.record_save(
            actor=admins[providers.index(person.organisation)],
            staff=person,
            record=None,
            data={"category": category(args[1]), "completed_on": completed, "expires_on": expires},
        )
    elif kind == "forget":
        records = list(TrainingRecord.objects.filter(staff__organisation__in=providers).order_by("pk"))
        if records:
            record = records[args[0] % len(records)]
            admin = admins[providers.index(record.staff.organisation)]
            services.record_delete(actor=admin, record=record)
    elif kind == "change role" and staff:
        person = staff[args[0] % len(staff)]
        admin = admins[providers.index(person.organisation)]
        services.staff_save(
            actor=admin, organisation=person.organisation, staff=person, data={"job_role": job_role(args[1])}
        )
    elif kind == "leave" and staff:
        person = staff[args[0] % len(staff)]
        services.staff_mark_leaver(actor=admins[providers.index(person.organisation)], staff=person, leaving_date=day)
    elif kind == "require":
        try:
            services_settings.mandatory_add(actor=council_admin, sector=sector(args[0]), category=category(args[1]))
        except services_settings.ValidationError:
            pass  # already required
    elif kind == "drop rule":
        rules = list(MandatoryTraining.objects.filter(organisation__isnull=True).order_by("pk"))
        if rules:
            services_settings.mandatory_remove(actor=council_admin, rule=rules[args[0] % len(rules)])
    elif kind == "sectors":
        organisation = providers[args[0]]
        organisation_services.organisation_update(
            actor=council_admin, organisation=organisation, data={"sectors": [sector(args[1])]}
        )
    elif kind in ("area", "active"):  # where the provider counts in the market: moved, left out, back in
        field = "area" if kind == "area" else "is_active"
        organisation_services.organisation_update(
            actor=council_admin, organisation=providers[args[0]], data={field: args[1]}
        )
    elif kind == "compact":
        figures.market_compact()
    elif kind == "window":
        services_settings.records_settings_save(actor=council_admin, data={"reminder_days": args[0]})
        window = args[0]
    elif kind == "days pass":
        day = day + datetime.timedelta(days=args[0])
        clock.move_to(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC))
        if args[1]:
            figures.figures_roll()
    return day, window


def test_counts_subtract():
    assert Counts(5, 1, 1, 1) - Counts(3, 0, 1, 1) == Counts(2, 1, 0, 0)
    assert not Counts() and Counts(1)


def test_the_daily_command_moves_the_figures_to_today(market, capsys):
    with at(TODAY + DAY):
        call_command("roll_compliance_figures", "--now")
        assert "compliance figures to today" in capsys.readouterr().out
        assert ComplianceFiguresState.objects.get().as_of == TODAY + DAY
        assert_figures_right(TODAY + DAY)


@pytest.mark.django_db(transaction=True)
def test_writers_in_one_area_and_compactions_at_once_lose_nothing(council_admin):
    """Providers in one area hire at the same moment as two compactions run: each writer only adds rows to the
    market, and a compaction folds only the rows it saw, so no change is lost or counted twice."""
    prepare_race("organisations", "records")
    MandatoryTraining.objects.filter(organisation__isnull=True).delete()
    services_settings.mandatory_add(actor=council_admin, sector=sector("home-care"), category=category(SAFEGUARDING))
    providers = [OrganisationFactory(sectors=[sector("home-care")], area="Eastmarsh") for _ in range(3)]
    admins = [person_in(p, "admin") for p in providers]
    figures.figures_rebuild()

    def hire(n, round_):
        data = {"name": f"Person {n} {round_}", "job_role": job_role(8)}
        return lambda: services.staff_save(actor=admins[n], organisation=providers[n], staff=None, data=data)

    for round_ in range(2):
        calls = [hire(0, round_), hire(1, round_), hire(2, round_), figures.market_compact, figures.market_compact]
        _results, errors = at_once(calls)
        assert errors == []
    assert figures.figures_recount() == []
    today = figures.timezone.localdate()
    area = figures.requirement_counts(by=("area",), today=today, window_days=90)
    assert area[(category(SAFEGUARDING).pk, "Eastmarsh")].required == 6
    figures.market_compact()
    assert MarketFigure.objects.count() == len(figures._market_kept())


def test_a_save_of_other_fields_costs_the_market_nothing_and_one_of_its_area_moves_it(market):
    heron, _willow = market
    heron.name = "Heron Care"
    with CaptureQueriesContext(connection) as queries:
        heron.save(update_fields=["name"])
    assert len(queries) == 1  # the UPDATE alone
    heron.area = "Northmarsh"
    heron.save(update_fields=["area"])
    assert "Northmarsh" in {area for _c, area in figures.requirement_counts(by=("area",), today=TODAY, window_days=90)}
    assert_figures_right()
