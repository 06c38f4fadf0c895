"""The programme report on a small hand-built programme over two quarters of the financial year April 2025 to
March 2026: every figure, the page, its CSV, its query count and one figure against a hand-written statement."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.form_fields import aware
from carenetwork.organisations.models import Role
from carenetwork.training import report
from carenetwork.training.decisions import run_decide
from carenetwork.training.delivery import evaluation_submit
from carenetwork.training.interests import interest_save
from carenetwork.training.models import CourseRun, Delegate, Evaluation, Interest
from tests.factories import OrganisationFactory, person_in, sector
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(year, month, day, hour=9, minute=30):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def past_run(course, starts_at, *, takers, partners=(), **fields):
    """A run starting at `starts_at`, interest taken 40 days before, decided at its deadline (and again at the
    partner deadline when partners take places)."""
    with time_machine.travel(starts_at - timedelta(days=40), tick=False):
        run = run_for(course, starts_at=starts_at, **fields)
        for actor, organisation, places in takers:
            interest_save(actor=actor, run=run, organisation=organisation, places=places)
    with time_machine.travel(run.interest_deadline + timedelta(minutes=5), tick=False):
        run_decide(run=run)
    if partners:
        with time_machine.travel(run.interest_deadline + timedelta(hours=1), tick=False):
            for actor, organisation, places in partners:
                interest_save(
                    actor=actor, run=CourseRun.objects.get(pk=run.pk), organisation=organisation, places=places
                )
        with time_machine.travel(run.partner_deadline + timedelta(minutes=5), tick=False):
            run_decide(run=CourseRun.objects.get(pk=run.pk))
    return CourseRun.objects.get(pk=run.pk)


def evaluate(run, actor, organisation, *scores):
    """A delegate of the organisation's booking rates the run, through the service (which keeps the figures)."""
    interest = Interest.objects.get(run=run, organisation=organisation, status=Interest.Status.BOOKED)
    delegate = Delegate.objects.create(interest=interest, name="A delegate", attended=True)
    data = dict(zip(Evaluation.QUESTIONS, scores, strict=True))
    return evaluation_submit(actor=actor, delegate=delegate, data=data)


@pytest.fixture
def programme(provider, provider_admin, other_provider, other_admin, training_org, partner_org, partner_member):
    """Q1 (April to June 2025): A confirmed, B rescued by partners, C cancelled. Q3 (October to December): D,
    for every sector, confirmed. A run of the next year must not count.

    Providers: Willow (residential, the provider), Heron (home care, other_provider), Kestrel (home care),
    Otter (nursing care: outside Q1's targeted sectors, but it books on A), Closed (home care, inactive).
    """
    kestrel = OrganisationFactory(name="Kestrel Care at Home", sectors=[sector("home-care")])
    otter = OrganisationFactory(name="Otter Nursing", sectors=[sector("nursing-care")])
    OrganisationFactory(name="Closed Care", sectors=[sector("home-care")], is_active=False)
    kestrel_admin, otter_admin = person_in(kestrel, Role.ADMIN), person_in(otter, Role.ADMIN)
    # The training provider's usual price for one place bought alone: savings are measured against it. D's course
    # has none, so its places are left out of the saving.
    course = course_for(training_org, usual_price=Decimal("130.00"))
    unpriced = course_for(training_org, title="Moving and handling people")
    residential, home = [sector("residential-care")], [sector("home-care")]
    a = past_run(
        course,
        at(2025, 6, 10),
        fee=Decimal("800"),
        capacity=12,
        minimum=5,
        sectors=residential,
        takers=[(provider_admin, provider, 4), (other_admin, other_provider, 2), (otter_admin, otter, 1)],
    )
    b = past_run(
        course,
        at(2025, 5, 20),
        fee=Decimal("600"),
        capacity=10,
        minimum=6,
        partner_margin=3,
        sectors=home,
        takers=[(other_admin, other_provider, 4)],
        partners=[(partner_member, partner_org, 2)],
    )
    c = past_run(
        course,
        at(2025, 4, 15),
        fee=Decimal("480"),
        capacity=8,
        minimum=6,
        partner_margin=3,
        sectors=residential,
        takers=[(provider_admin, provider, 2)],
    )
    d = past_run(
        unpriced,
        at(2025, 11, 12),
        fee=Decimal("900"),
        capacity=12,
        minimum=3,
        sectors=[],
        takers=[(kestrel_admin, kestrel, 3)],
    )
    evaluate(a, provider_admin, provider, 5, 4, 5, 4)
    evaluate(a, other_admin, other_provider, 3, 3, 4, 4)
    evaluate(d, kestrel_admin, kestrel, 5, 5, 5, 5)
    run_for(course, capacity=50, starts_at=at(2026, 4, 2))  # next year
    return {"a": a, "b": b, "c": c, "d": d}


def test_the_programme_was_built_as_described(programme):
    a, b, c, d = (programme[k] for k in "abcd")
    assert (a.status, a.locked_price, a.partners_offered_at) == ("confirmed", Decimal("114.29"), None)
    assert (b.status, b.locked_price) == ("confirmed", Decimal("100.00")) and b.partners_offered_at is not None
    assert c.status == "cancelled"
    assert (d.status, d.locked_price) == ("confirmed", Decimal("300.00"))


def test_places_offered_and_filled(programme):
    q1, q2, q3, q4 = report.programme_report(year=YEAR).quarters
    assert (q1.places_offered, q1.places_filled, q1.share_filled) == (30, 15, 50)  # 7 + 6 booked + 2 when cancelled
    assert (q2.places_offered, q2.places_filled, q2.share_filled) == (0, 0, None)
    assert (q3.places_offered, q3.places_filled, q3.share_filled) == (12, 3, 25)
    assert q4.places_offered == 0


def test_runs_confirmed_rescued_and_cancelled(programme):
    q1, _q2, q3, _q4 = report.programme_report(year=YEAR).quarters
    assert (q1.runs, q1.runs_confirmed, q1.runs_rescued, q1.runs_cancelled, q1.runs_undecided) == (3, 2, 1, 1, 0)
    assert (q3.runs, q3.runs_confirmed, q3.runs_rescued, q3.runs_cancelled) == (1, 1, 0, 0)


def test_share_of_target_audience_providers_purchasing(programme):
    result = report.programme_report(year=YEAR)
    q1, _q2, q3, _q4 = result.quarters
    # Q1 targets residential and home care: Willow, Heron and Kestrel (Closed Care is inactive). Willow and Heron
    # booked; Otter booked too but is not in the audience; Willow's places on the cancelled run were no booking.
    assert (q1.audience, q1.purchasing, q1.share_purchasing) == (3, 2, 66)
    # Q3's run is for every sector: the four active providers; Kestrel booked.
    assert (q3.audience, q3.purchasing, q3.share_purchasing) == (4, 1, 25)
    # Over the year a run was for everyone, so all four are the audience, and each booked something.
    assert (result.total.audience, result.total.purchasing, result.total.share_purchasing) == (4, 4, 100)


def test_spend_brokered_and_average_saving(programme):
    result = report.programme_report(year=YEAR)
    q1, _q2, q3, _q4 = result.quarters
    # A: 7 places at £114.29 (800.03); B: 6 at £100, the partner's 2 included.
    assert (q1.spend, q1.places_booked) == (Decimal("1400.03"), 13)
    # Savings against the usual price of one place bought alone (£130), not against the whole fee on one place:
    # A 7 × (130 − 114.29) = 109.97; B 6 × (130 − 100) = 180; over 13 places, 289.97 ÷ 13 = 22.305…
    assert (q1.saving_total, q1.places_compared) == (Decimal("289.97"), 13)
    assert q1.average_saving == Decimal("22.31")
    # D's course has no usual price: its places are booked but not compared, and there is no saving to show.
    assert (q3.spend, q3.places_booked, q3.places_compared, q3.average_saving) == (Decimal("900.00"), 3, 0, None)
    assert (result.total.spend, result.total.places_booked, result.total.places_compared) == (
        Decimal("2300.03"),
        16,
        13,
    )
    assert result.total.average_saving == Decimal("22.31")


def test_the_saving_says_what_it_is_measured_against(client_for, council_officer, programme):
    page = client_for(council_officer).get(reverse("training:programme-report"), {"year": YEAR}).content.decode()
    assert "Measured against the training provider's usual price per delegate" in page
    assert "13 of the 16 booked places" in page
    assert '<h3 class="govuk-heading-s" id="saving-chart-heading">' in page


def test_evaluation_scores(programme):
    result = report.programme_report(year=YEAR)
    q1, q2, q3, _q4 = result.quarters
    assert (q1.evaluations, q1.mean_score) == (2, Decimal("4.0"))
    assert q1.question_mean("met_aims") == Decimal("4.0")
    assert q1.question_mean("useful") == Decimal("4.5")
    assert (q3.evaluations, q3.mean_score) == (1, Decimal("5.0"))
    assert (q2.evaluations, q2.mean_score) == (0, None)
    assert (result.total.evaluations, result.total.mean_score) == (3, Decimal("4.3"))  # 52 ÷ 12


def test_quarters_are_those_of_the_financial_year():
    result = report.programme_report(year=YEAR)
    assert [(q.starts, q.ends) for q in result.quarters] == [
        (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ]
    assert result.quarters[0].label == "Apr to Jun 2025"
    assert result.total.label == "April 2025 to March 2026"
    assert not result.has_runs
    assert report.financial_year_of(datetime.date(2026, 3, 31)) == 2025
    assert report.financial_year_of(datetime.date(2026, 4, 1)) == 2026


def test_a_run_starting_just_after_midnight_on_1_july_is_in_the_second_quarter(training_org):
    course = course_for(training_org)
    run_for(course, starts_at=at(2025, 7, 1, 0, 30))  # 23:30 UTC on 30 June
    run_for(course, starts_at=at(2025, 6, 30, 23, 30))
    q1, q2, _q3, _q4 = report.programme_report(year=YEAR).quarters
    assert (q1.runs, q2.runs) == (1, 1)


def test_spend_matches_a_hand_written_statement(programme):
    moments = [aware(day, datetime.time.min) for day in report.quarter_starts(YEAR)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT SUM(i.amount_due), SUM(i.places)
            FROM training_interest i JOIN training_courserun r ON r.id = i.run_id
            WHERE i.status = 'booked' AND r.starts_at >= %s AND r.starts_at < %s
            """,
            [moments[0], moments[1]],
        )
        spend, places = cursor.fetchone()
    q1 = report.programme_report(year=YEAR).quarters[0]
    assert Decimal(str(spend)).quantize(Decimal("0.01")) == q1.spend
    assert places == q1.places_booked


def test_places_offered_match_a_hand_written_statement(programme):
    moments = [aware(day, datetime.time.min) for day in report.quarter_starts(YEAR)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(capacity), COUNT(*) FROM training_courserun WHERE starts_at >= %s AND starts_at < %s",
            [moments[0], moments[4]],
        )
        offered, runs = cursor.fetchone()
    total = report.programme_report(year=YEAR).total
    assert (offered, runs) == (total.places_offered, total.runs) == (42, 4)


def test_report_reads_its_kept_figures_in_three_queries_whatever_the_volume(
    programme, training_org, other_provider, other_admin
):
    with CaptureQueriesContext(connection) as before:
        report.programme_report(year=YEAR)
    course = course_for(training_org)
    for month in (5, 8, 9, 12):
        past_run(course, at(2025, month, 3), sectors=[sector("home-care")], takers=[(other_admin, other_provider, 5)])
    with CaptureQueriesContext(connection) as after:
        report.programme_report(year=YEAR)
    assert len(before) == len(after) == 3  # the runs' figures, the targeted sectors, the audience


def test_report_page_shows_every_section(client_for, council_officer, programme):
    response = client_for(council_officer).get(reverse("training:programme-report"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    for table in ("places", "runs", "providers", "money", "evaluations"):
        assert f'id="{table}-table"' in page
    for chart in ("places", "runs", "shares", "spend", "saving", "scores"):
        assert f'id="{chart}-chart-title"' in page
    assert "£1,400.03" in page


def test_report_page_defaults_to_this_financial_year_and_says_when_it_has_no_runs(client_for, council_officer):
    with time_machine.travel(at(2026, 12, 1, 12), tick=False):
        response = client_for(council_officer).get(reverse("training:programme-report"))
    assert response.context["result"].year == 2026
    page = response.content.decode()
    assert 'id="no-runs"' in page and 'id="places-table"' not in page


def test_report_page_with_an_unknown_year_shows_an_error(client_for, council_officer, programme):
    response = client_for(council_officer).get(reverse("training:programme-report"), {"year": "1990"})
    assert "Select a financial year from the list" in response.content.decode()


def test_report_page_queries_stay_the_same_as_data_grows(client_for, council_officer, programme, training_org):
    client = client_for(council_officer)
    url = reverse("training:programme-report")
    client.get(url, {"year": YEAR})
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"year": YEAR})
    course = course_for(training_org)
    for month in (5, 8, 10):
        run_for(course, starts_at=at(2025, month, 3), sectors=[sector("day-services")])
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"year": YEAR})
    assert len(after) == len(before)


def test_report_csv(client_for, council_officer, programme):
    response = client_for(council_officer).get(reverse("training:programme-report-csv"), {"year": YEAR})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="training-programme-2025-2026.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6  # header, four quarters, the year
    assert lines[0].startswith("Financial year,Quarter,From,To,Places offered,Places taken or with interest")
    q1 = lines[1].split(",")
    assert q1[:12] == [
        "April 2025 to March 2026",
        "Q1",
        "2025-04-01",
        "2025-06-30",
        "30",
        "15",
        "50",
        "3",
        "2",
        "1",
        "1",
        "0",
    ]
    assert q1[12:19] == ["3", "2", "66", "1400.03", "13", "13", "22.31"]
    assert lines[2].split(",")[6] == ""  # no share filled without places offered


def test_the_report_page_shows_a_change_at_once(client_for, council_officer, other_admin, other_provider, programme):
    """Read from kept figures, not from a cache: a new rating shows on the next request."""
    client = client_for(council_officer)
    url = reverse("training:programme-report")
    assert client.get(url, {"year": YEAR}).context["result"].quarters[0].evaluations == 2
    evaluate(programme["b"], other_admin, other_provider, 4, 4, 4, 4)
    q1 = client.get(url, {"year": YEAR}).context["result"].quarters[0]
    assert (q1.evaluations, q1.question_totals["met_aims"]) == (3, 12)
