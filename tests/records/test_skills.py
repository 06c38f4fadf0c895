"""The council's skills picture: which requirements count, their status on a frozen day, and how groups add up."""

import datetime

import pytest
import time_machine

from carenetwork.organisations.models import Organisation
from carenetwork.records import recount, skills
from carenetwork.records.figures import figures_refresh_sector
from carenetwork.records.models import MandatoryTraining, RecordsSettings
from carenetwork.records.rules import Status, cover_status
from carenetwork.records.skills import Counts
from tests.factories import OrganisationFactory, sector
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 15)
DAY = datetime.timedelta(days=1)
SAFEGUARDING, FIRE, MOVING, MEDICATION = 20, 6, 15, 13


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _only_our_rules(db):
    """The seeded council rules are cleared so that each test says exactly what is mandatory."""
    MandatoryTraining.objects.all().delete()


def rule(sector_slug: str, code: int, role_code: int | None = None, organisation=None) -> MandatoryTraining:
    """A council rule for a sector (and job role), or a provider's own rule when `organisation` is given."""
    made = MandatoryTraining.objects.create(
        sector=None if organisation else sector(sector_slug),
        category=category(code),
        job_role=job_role(role_code) if role_code else None,
        organisation=organisation,
    )
    if made.sector_id:  # as the council's rule services do
        figures_refresh_sector(made.sector_id)
    return made


def provider_in(*slugs: str, area: str = "Eastmarsh Central", **fields) -> Organisation:
    return OrganisationFactory(sectors=[sector(s) for s in slugs], area=area, **fields)


def person(organisation, code: int | None = None, expires_on=None, *, role_code: int = 8, **fields):
    """A current staff member with, when `code` is given, one record in that category expiring as given."""
    staff = StaffMemberFactory(organisation=organisation, job_role=job_role(role_code), **fields)
    if code is not None:
        completed = min(expires_on, TODAY) - DAY * 30 if expires_on else D(2025, 1, 1)
        record_for(staff, code, completed, expires_on=expires_on)
    return staff


def totals(**criteria) -> dict[int, Counts]:
    return {key[0]: c for key, c in skills.requirement_counts(today=TODAY, window_days=90, **criteria).items()}


def test_each_status_counts_at_its_boundaries():
    rule("residential-care", SAFEGUARDING)
    home = provider_in("residential-care")
    expiries = {
        "far ahead": D(2027, 1, 1),
        "last day of the window": TODAY + DAY * 90,
        "day after the window": TODAY + DAY * 91,
        "expires today": TODAY,
        "expired yesterday": TODAY - DAY,
        "never expires": None,
    }
    for expires_on in expiries.values():
        person(home, SAFEGUARDING, expires_on)
    person(home)  # holds nothing
    statuses = [cover_status(e, today=TODAY, window_days=90) for e in expiries.values()] + [Status.MISSING]
    counts = totals()[category(SAFEGUARDING).pk]
    assert counts == Counts(required=7, in_date=3, expiring=2, expired=1)
    assert counts.missing == statuses.count(Status.MISSING) == 1
    assert counts.in_date == statuses.count(Status.IN_DATE)
    assert counts.expiring == statuses.count(Status.EXPIRING)
    assert (counts.held, counts.share_in_date, counts.gap, counts.gap_share) == (5, 71, 2, 28)


def test_the_window_is_the_councils_reminder_setting():
    rule("residential-care", SAFEGUARDING)
    home = provider_in("residential-care")
    person(home, SAFEGUARDING, TODAY + DAY * 40)
    RecordsSettings.objects.update_or_create(pk=1, defaults={"reminder_days": 30})
    (row,) = skills.skills_gap()
    assert (row.counts.in_date, row.counts.expiring) == (1, 0)
    RecordsSettings.objects.filter(pk=1).update(reminder_days=60)
    (row,) = skills.skills_gap()
    assert (row.counts.in_date, row.counts.expiring) == (0, 1)


def test_leavers_are_left_out_but_people_leaving_later_still_count():
    rule("residential-care", SAFEGUARDING)
    home = provider_in("residential-care")
    person(home, leaving_date=TODAY - DAY)
    person(home, SAFEGUARDING, D(2027, 1, 1), leaving_date=TODAY)
    person(home, leaving_date=TODAY + DAY * 10)
    assert totals()[category(SAFEGUARDING).pk] == Counts(required=2, in_date=1)


def test_a_multi_sector_provider_counts_under_each_sector_but_once_in_the_total():
    rule("residential-care", SAFEGUARDING)
    rule("home-care", SAFEGUARDING)
    rule("home-care", FIRE)
    both = provider_in("residential-care", "home-care")
    person(both, SAFEGUARDING, TODAY - DAY)
    safeguarding, fire = category(SAFEGUARDING).pk, category(FIRE).pk
    residential, home_care = sector("residential-care").pk, sector("home-care").pk

    by_sector = skills.requirement_counts(by=("sector",), today=TODAY, window_days=90)
    assert by_sector == {
        (safeguarding, residential): Counts(required=1, expired=1),
        (safeguarding, home_care): Counts(required=1, expired=1),
        (fire, home_care): Counts(required=1),
    }
    assert totals() == {safeguarding: Counts(required=1, expired=1), fire: Counts(required=1)}
    assert totals(sector_id=residential) == {safeguarding: Counts(required=1, expired=1)}


def test_a_rule_for_every_role_and_one_for_the_role_count_once():
    rule("residential-care", SAFEGUARDING)
    rule("residential-care", SAFEGUARDING, role_code=8)
    rule("residential-care", SAFEGUARDING)  # the same rule twice
    person(provider_in("residential-care"))
    assert totals()[category(SAFEGUARDING).pk].required == 1


def test_job_role_rules_apply_to_that_role_only():
    rule("residential-care", SAFEGUARDING)
    rule("residential-care", MOVING, role_code=8)  # care workers
    home = provider_in("residential-care")
    person(home, role_code=8)
    person(home, MOVING, D(2027, 1, 1), role_code=25)  # administrative: holds it, but need not
    assert totals() == {category(SAFEGUARDING).pk: Counts(required=2), category(MOVING).pk: Counts(required=1)}


def test_providers_own_rules_do_not_count_in_the_councils_figures():
    home = provider_in("residential-care")
    rule("", MEDICATION, organisation=home)
    person(home, MEDICATION, D(2027, 1, 1))
    assert totals() == {}
    assert skills.skills_gap() == []


def test_only_active_providers_count():
    rule("residential-care", SAFEGUARDING)
    person(provider_in("residential-care", is_active=False))
    person(provider_in("residential-care", kind=Organisation.Kind.PARTNER))
    person(provider_in("residential-care"))
    assert totals()[category(SAFEGUARDING).pk].required == 1


def test_training_outside_the_mandatory_set_is_not_counted():
    rule("residential-care", SAFEGUARDING)
    person(provider_in("residential-care"), FIRE, D(2027, 1, 1))
    assert totals() == {category(SAFEGUARDING).pk: Counts(required=1)}


def test_area_filter_and_grouping():
    rule("residential-care", SAFEGUARDING)
    north = provider_in("residential-care", area="Northbrook")
    south = provider_in("residential-care", area="Southfield")
    person(north, SAFEGUARDING, D(2027, 1, 1))
    person(south)
    person(south)
    safeguarding = category(SAFEGUARDING).pk
    assert skills.requirement_counts(by=("area",), today=TODAY, window_days=90) == {
        (safeguarding, "Northbrook"): Counts(required=1, in_date=1),
        (safeguarding, "Southfield"): Counts(required=2),
    }
    assert totals(area="Southfield") == {safeguarding: Counts(required=2)}


def test_grouping_by_provider_and_limiting_to_some():
    rule("residential-care", SAFEGUARDING)
    one, two = provider_in("residential-care"), provider_in("residential-care")
    person(one)
    person(two, SAFEGUARDING, TODAY)
    counts = skills.requirement_counts(by=("organisation",), organisation_ids=[two.pk], today=TODAY, window_days=90)
    assert counts == {(category(SAFEGUARDING).pk, two.pk): Counts(required=1, expiring=1)}
    assert skills.requirement_counts(organisation_ids=[], today=TODAY, window_days=90) == {}


def test_category_filter():
    rule("residential-care", SAFEGUARDING)
    rule("residential-care", FIRE)
    person(provider_in("residential-care"))
    assert list(totals(category_id=category(FIRE).pk)) == [category(FIRE).pk]


def test_skills_gap_ranks_by_people_lacking_and_matches_the_reference_statement():
    rule("residential-care", SAFEGUARDING)
    rule("residential-care", FIRE)
    rule("home-care", MOVING)
    rule("home-care", FIRE, role_code=8)
    home, both = provider_in("residential-care"), provider_in("residential-care", "home-care", area="Northbrook")
    person(home, SAFEGUARDING, TODAY - DAY)
    person(home, FIRE, D(2027, 1, 1))
    person(both, MOVING, TODAY + DAY)
    person(both, FIRE, None, role_code=25)
    ranked = skills.skills_gap()
    assert [(r.category_id, r.counts.gap) for r in ranked] == [
        (category(SAFEGUARDING).pk, 4),
        (category(FIRE).pk, 2),
        (category(MOVING).pk, 1),
    ]
    for criteria in ({}, {"sector_id": sector("home-care").pk}, {"area": "Northbrook"}, {"area": "Nowhere"}):
        assert skills.skills_gap(**criteria) == skills.skills_gap_by_reference_sql(**criteria)


def test_largest_gaps_names_the_categories_most_staff_lack():
    rule("home-care", SAFEGUARDING)
    rule("home-care", FIRE)
    rule("home-care", MOVING)
    rule("residential-care", MEDICATION)
    home_care = provider_in("home-care")
    person(home_care, SAFEGUARDING, D(2027, 1, 1))
    person(home_care, FIRE, D(2027, 1, 1))
    person(home_care, SAFEGUARDING, D(2027, 1, 1))
    person(provider_in("residential-care"))
    gaps = skills.largest_gaps(sector=sector("home-care"), limit=2)
    assert [(g.category.name, g.counts.gap) for g in gaps] == [("Assisting and moving people", 3), ("Fire safety", 2)]
    assert [g.category.code for g in skills.largest_gaps()] == [MOVING, FIRE, SAFEGUARDING, MEDICATION]
    assert skills.largest_gaps(area="Nowhere") == []


def test_grouping_by_something_else_is_refused():
    with pytest.raises(ValueError):
        recount.requirements_sql(by=("name",), today=TODAY, window_days=90)


def test_counts_add_up_and_share_is_none_without_requirements():
    assert Counts(2, 1, 0, 0) + Counts(3, 0, 1, 1) == Counts(5, 1, 1, 1)
    assert Counts().share_in_date is None and Counts().gap_share is None


def test_filter_choices_list_active_provider_areas_and_council_categories():
    rule("home-care", FIRE)
    provider_in("home-care", area="Northbrook")
    provider_in("home-care", area="Westgate", is_active=False)
    choices = skills.filter_choices()
    assert choices.areas == ["Northbrook"]
    assert [c.code for c in choices.categories] == [FIRE]
    assert choices.sector_by_slug("home-care").name == "Home care"
