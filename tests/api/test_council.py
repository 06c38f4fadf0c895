"""The council's reports through the API: the skills gap, compliance (per sector, area and provider, and one
provider's), the programme report and the priorities. Council staff and council tokens only; the same figures as the
pages' files; nobody named; small groups hidden; bad filters are 400 problems; query counts constant."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenetwork.records import skills
from carenetwork.records.models import MandatoryTraining
from carenetwork.training import report
from tests.factories import LocationFactory
from tests.records.factories import category
from tests.records.test_skills import DAY, FIRE, MOVING, SAFEGUARDING, TODAY, person, provider_in, rule

pytestmark = pytest.mark.django_db
D = datetime.date
BASE = "/api/v1/council/"
REPORTS = ["skills-gap/", "compliance/", "compliance/?by=area", "compliance/?by=provider", "programme-report/"]
REPORTS += ["priorities/"]
NAME, EMAIL = "Zebedee Quillfeather", "zebedee.quillfeather@example.org"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def market(db):
    """Home care lacks moving and assisting most, then fire safety; residential care lacks safeguarding."""
    MandatoryTraining.objects.all().delete()
    for code in (SAFEGUARDING, FIRE, MOVING):
        rule("home-care", code)
    rule("residential-care", SAFEGUARDING)
    heron = provider_in("home-care", area="Northbrook", name="Heron Homes")
    LocationFactory(organisation=heron, name="Heron Base", area="Northbrook")
    person(heron, SAFEGUARDING, D(2027, 1, 1), name=NAME, email=EMAIL)
    person(heron, SAFEGUARDING, TODAY + DAY * 10)
    person(heron, FIRE, TODAY - DAY)
    person(heron, FIRE, D(2027, 1, 1))
    willow = provider_in("residential-care", area="Southfield", name="Willow Lodge")
    person(willow)
    person(willow, SAFEGUARDING, None)
    return heron, willow


def urls(provider) -> list[str]:
    return [BASE + r for r in REPORTS] + [f"{BASE}compliance/{provider.pk}/"]


# Who may call.


def test_council_tokens_and_council_staff_read_every_report(
    api_as, council_token, client_for, council_officer, council_admin, provider
):
    for url in urls(provider):
        assert api_as(council_token).get(url).status_code == 200, url
        for person_ in (council_officer, council_admin):
            assert client_for(person_).get(url).status_code == 200, url


def test_a_providers_token_is_refused_every_report(api_as, provider_token, provider):
    for url in urls(provider):
        response = api_as(provider_token).get(url)
        assert response.status_code == 403, url
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["provider_admin", "provider_member", "other_admin", "partner_member"])
def test_nobody_outside_the_council_reads_a_report_through_their_session(request, client_for, provider, role):
    client = client_for(request.getfixturevalue(role))
    for url in urls(provider):
        assert client.get(url).status_code == 403, url


def test_the_reports_refuse_no_token_a_token_without_the_market_area_and_writes(
    api_as, make_token, council_admin, council, council_token, provider
):
    no_market = make_token(council_admin, council, read=["directory", "records", "training"], name="No market")
    for url in urls(provider):
        assert api_as(None).get(url).status_code == 401, url
        assert api_as(no_market).get(url).status_code == 403, url
        assert api_as(council_token).post(url, {}, format="json").status_code == 405, url


# What they give.


def test_the_skills_gap_gives_the_files_figures_largest_first_naming_nobody(api_as, council_token, market):
    response = api_as(council_token).get(BASE + "skills-gap/", {"sector": "home-care"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["category_name"], r["lacking"]) for r in rows] == [
        ("Assisting and moving people", 4),
        ("Fire safety", 3),
        ("Safeguarding adults", 2),
    ]
    expected = skills.skills_gap(sector_id=market[0].sectors.get().pk, today=TODAY, window_days=skills.as_of()[1])
    first = expected[0].counts
    assert rows[0] == {
        "category": expected[0].category_id,
        "category_name": "Assisting and moving people",
        "required": first.required,
        "in_date": first.in_date,
        "expiring": first.expiring,
        "expired": first.expired,
        "missing": first.missing,
        "share_in_date": first.share_in_date,
        "lacking": first.gap,
        "share_lacking": first.gap_share,
    }
    assert NAME not in response.content.decode() and EMAIL not in response.content.decode()


def test_compliance_by_sector_area_and_provider_has_a_line_per_group_and_category(api_as, council_token, market):
    api = api_as(council_token)
    by_sector = api.get(BASE + "compliance/").json()["results"]
    assert {(r["group"], r["category_name"]) for r in by_sector} == {
        ("Home care", "Assisting and moving people"),
        ("Home care", "Fire safety"),
        ("Home care", "Safeguarding adults"),
        ("Residential care", "Safeguarding adults"),
    }
    assert all(r["organisation"] is None and r["hidden"] is False for r in by_sector)
    by_area = api.get(BASE + "compliance/", {"by": "area"}).json()["results"]
    assert {r["group"] for r in by_area} == {"Northbrook", "Southfield"}
    heron_fire = next(r for r in by_area if r["group"] == "Northbrook" and r["category_name"] == "Fire safety")
    assert (heron_fire["required"], heron_fire["in_date"], heron_fire["expired"]) == (4, 1, 1)


def test_compliance_by_provider_hides_the_counts_of_fewer_than_three_people(api_as, council_token, market):
    heron, willow = market
    rows = api_as(council_token).get(BASE + "compliance/", {"by": "provider"}).json()["results"]
    willow_row = next(r for r in rows if r["organisation"] == willow.pk)
    assert willow_row["group"] == "Willow Lodge" and willow_row["hidden"] is True
    assert willow_row["required"] is None and willow_row["share_in_date"] is None
    heron_rows = [r for r in rows if r["organisation"] == heron.pk]
    assert {r["hidden"] for r in heron_rows} == {False} and {r["required"] for r in heron_rows} == {4}
    searched = api_as(council_token).get(BASE + "compliance/", {"by": "provider", "q": "heron"}).json()["results"]
    assert {r["organisation"] for r in searched} == {heron.pk}


def test_compliance_filters_by_sector_area_and_category(api_as, council_token, market):
    api = api_as(council_token)
    rows = api.get(BASE + "compliance/", {"by": "area", "category": category(FIRE).pk}).json()["results"]
    assert [(r["group"], r["category_name"]) for r in rows] == [("Northbrook", "Fire safety")]
    rows = api.get(BASE + "compliance/", {"by": "provider", "sector": "residential-care"}).json()["results"]
    assert {r["group"] for r in rows} == {"Willow Lodge"}
    rows = api.get(BASE + "compliance/", {"area": "Southfield"}).json()["results"]
    assert {r["group"] for r in rows} == {"Residential care"}


def test_one_providers_compliance_is_by_category_with_small_groups_hidden(api_as, council_token, market):
    heron, willow = market
    rows = api_as(council_token).get(f"{BASE}compliance/{heron.pk}/").json()["results"]
    assert [(r["category_name"], r["required"]) for r in rows] == [
        ("Assisting and moving people", 4),
        ("Fire safety", 4),
        ("Safeguarding adults", 4),
    ]
    rows = api_as(council_token).get(f"{BASE}compliance/{willow.pk}/").json()["results"]
    assert [(r["category_name"], r["hidden"], r["required"]) for r in rows] == [("Safeguarding adults", True, None)]


@pytest.mark.parametrize("pk", ["council", "training_org", "missing", "huge"])
def test_compliance_of_anything_but_an_active_provider_is_not_found(request, api_as, council_token, pk):
    ids = {"missing": 987654, "huge": 2**63}
    pk = ids.get(pk) or request.getfixturevalue(pk).pk
    assert api_as(council_token).get(f"{BASE}compliance/{pk}/").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "pointer"),
    [
        ("compliance/", {"by": "postcode"}, "/by"),
        ("compliance/", {"sector": "nowhere"}, "/sector"),
        ("compliance/", {"area": "Atlantis"}, "/area"),
        ("compliance/", {"category": "abc"}, "/category"),
        ("compliance/", {"category": "999999"}, "/category"),
        ("compliance/", {"q": "x" * 101}, "/q"),
        ("skills-gap/", {"sector": "nowhere"}, "/sector"),
        ("programme-report/", {"year": "1900"}, "/year"),
        ("programme-report/", {"year": "next"}, "/year"),
        ("priorities/", {"sector": "nowhere"}, "/sector"),
    ],
)
def test_a_filter_the_page_does_not_offer_is_a_400_problem(api_as, council_token, market, path, params, pointer):
    response = api_as(council_token).get(BASE + path, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_the_programme_report_has_a_line_per_quarter_and_one_for_the_year(api_as, council_token):
    response = api_as(council_token).get(BASE + "programme-report/")
    rows = response.json()["results"]
    year = report.financial_year_of(TODAY)
    assert [r["quarter"] for r in rows] == [1, 2, 3, 4, 0]
    assert rows[0]["starts"] == f"{year}-04-01" and rows[-1]["ends"] == f"{year + 1}-03-31"
    assert rows[-1]["quarter_label"] == "Year" and rows[0]["financial_year"] == f"April {year} to March {year + 1}"
    assert rows[0]["share_filled"] is None and rows[0]["spend"] == "0.00"
    assert rows[0]["question_means"] == {"met_aims": None, "trainer": None, "useful": None, "overall": None}
    chosen = api_as(council_token).get(BASE + "programme-report/", {"year": year}).json()["results"]
    assert chosen == rows


def test_the_priorities_rank_the_categories_with_a_gap(api_as, council_token, market):
    rows = api_as(council_token).get(BASE + "priorities/", {"sector": "home-care"}).json()["results"]
    assert [(r["rank"], r["category_name"], r["gap"]) for r in rows][:2] == [
        (1, "Assisting and moving people", 4),
        (2, "Fire safety", 3),
    ]


def test_the_reports_read_a_constant_number_of_queries(api_as, council_token, market):
    api = api_as(council_token)
    api.get(BASE + "skills-gap/")
    wanted = [BASE + r for r in REPORTS] + [f"{BASE}compliance/{market[0].pk}/"]

    def queries() -> list[int]:
        counts = []
        for url in wanted:
            with CaptureQueriesContext(connection) as captured:
                assert api.get(url).status_code == 200, url
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(6):
        org = provider_in("home-care", area=f"Area {n}", name=f"Provider {n}")
        for code in (SAFEGUARDING, FIRE, MOVING):
            person(org, code, D(2027, 1, 1))
    assert queries() == before
