"""The council's compliance and skills gap pages and files: who may see them, that they name nobody, what they
show, their filters, their query counts and their cache."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.organisations.models import Organisation
from carenetwork.records import skills
from carenetwork.records.models import MandatoryTraining, SkillsSnapshot, TrainingCover
from carenetwork.records.snapshots import snapshot_take
from tests.factories import LocationFactory, OrganisationFactory, sector
from tests.records.factories import StaffMemberFactory, category, job_role, record_for
from tests.records.test_skills import DAY, FIRE, MOVING, SAFEGUARDING, TODAY, person, provider_in, rule

pytestmark = pytest.mark.django_db
D = datetime.date
NAME, REFERENCE, EMAIL = "Zebedee Quillfeather", "ZQX-4471", "zebedee.quillfeather@example.org"
OUTSIDERS = ["provider_admin", "provider_member", "other_admin", "training_admin", "partner_member"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def urls(provider) -> list[str]:
    return [
        reverse("records:compliance"),
        reverse("records:compliance") + "?by=area",
        reverse("records:compliance") + "?by=provider",
        reverse("records:compliance") + f"?by=provider&category={category(SAFEGUARDING).pk}",
        reverse("records:compliance-csv"),
        reverse("records:compliance-csv") + "?by=provider",
        reverse("records:compliance-csv") + "?by=area",
        reverse("records:provider-compliance", args=[provider.pk]),
        reverse("records:provider-compliance-csv", args=[provider.pk]),
        reverse("records:skills-gap"),
        reverse("records:skills-gap") + "?sector=residential-care",
        reverse("records:skills-gap-csv"),
    ]


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(text(response))))


@pytest.mark.parametrize("role", OUTSIDERS)
def test_nobody_outside_the_council_reaches_the_pages(request, client_for, provider, other_provider, role):
    client = client_for(request.getfixturevalue(role))
    for url in urls(provider) + urls(other_provider):
        assert client.get(url).status_code == 403, url


def test_another_providers_admin_cannot_open_a_providers_compliance(client_for, provider, other_admin):
    response = client_for(other_admin).get(reverse("records:provider-compliance", args=[provider.pk]))
    assert response.status_code == 403


def test_no_page_or_file_names_any_staff_member(client_for, provider, council_officer, council_admin):
    # The seeded council rules apply here, as in real use.
    staff = StaffMemberFactory(organisation=provider, name=NAME, reference=REFERENCE, email=EMAIL)
    record_for(staff, SAFEGUARDING, D(2026, 1, 10))
    StaffMemberFactory(organisation=provider, name="Ottoline Vexworth", reference="OV-1", email="ov@example.org")
    for user in (council_officer, council_admin):
        client = client_for(user)
        for url in urls(provider):
            response = client.get(url)
            assert response.status_code == 200, url
            body = text(response)
            for secret in (NAME, "Zebedee", "Quillfeather", REFERENCE, EMAIL, "Ottoline", "OV-1", "ov@example.org"):
                assert secret not in body, f"{secret} on {url}"
    assert provider.name in text(client.get(reverse("records:compliance") + "?by=provider"))


@pytest.fixture
def market(db):
    """Home care lacks moving and assisting most, then fire safety; residential care lacks safeguarding."""
    MandatoryTraining.objects.all().delete()
    for code in (SAFEGUARDING, FIRE, MOVING):
        rule("home-care", code)
    rule("residential-care", SAFEGUARDING)
    heron = provider_in("home-care", area="Northbrook", name="Heron Home Care")
    LocationFactory(organisation=heron, name="Heron Office", area="Northbrook")
    LocationFactory(organisation=heron, name="Heron Annexe", area="Northbrook", is_active=False)
    person(heron, SAFEGUARDING, D(2027, 1, 1))
    person(heron, SAFEGUARDING, TODAY + DAY * 10)
    person(heron, FIRE, TODAY - DAY)
    person(heron, FIRE, D(2027, 1, 1))
    willow = provider_in("residential-care", area="Southfield", name="Willow Care Home")
    person(willow)
    person(willow, SAFEGUARDING, None)
    return heron, willow


def test_skills_gap_ranks_categories_by_staff_lacking_them(client_for, council_officer, market):
    response = client_for(council_officer).get(reverse("records:skills-gap") + "?sector=home-care")
    assert response.status_code == 200
    ranked = [(r.category.name, r.counts.gap) for r in response.context["rows"]]
    assert ranked == [("Assisting and moving people", 4), ("Fire safety", 3), ("Safeguarding adults", 2)]
    body = text(response)
    assert 'role="img"' in body and "Largest gaps in Home care" in body
    assert [name for _id, name in response.context["trend_columns"]] == [
        "Assisting and moving people",
        "Fire safety",
        "Safeguarding adults",
    ]
    whole = client_for(council_officer).get(reverse("records:skills-gap"))
    assert [(r.category.name, r.counts.gap, r.counts.required) for r in whole.context["rows"]] == [
        ("Assisting and moving people", 4, 4),
        ("Safeguarding adults", 3, 6),  # as many lack it as fire safety, but more must hold it
        ("Fire safety", 3, 4),
    ]


def test_skills_gap_follows_the_chosen_category_and_reads_snapshots(client_for, council_officer, market):
    snapshot_take(month=D(2026, 5, 1))
    fire = category(FIRE).pk
    response = client_for(council_officer).get(reverse("records:skills-gap") + f"?category={fire}")
    assert [c for c, _name in response.context["trend_columns"]] == [fire]
    trend = response.context["trend"]
    assert len(trend) == 12 and trend[-1][0].live
    assert trend[-2][1][0].required == 4 and trend[0][1][0] is None
    assert "May 2026" in text(response)


def test_skills_gap_csv(client_for, council_officer, market):
    rows = csv_rows(client_for(council_officer).get(reverse("records:skills-gap-csv") + "?area=Southfield"))
    assert rows[0][0] == "Training category" and rows[0][-2:] == ["Lacking (missing or expired)", "Share lacking (%)"]
    assert rows[1:] == [["Safeguarding adults", "2", "1", "0", "0", "1", "50", "1", "50"]]


def test_compliance_by_sector_area_and_provider(client_for, council_officer, market):
    heron, willow = market
    client = client_for(council_officer)
    by_sector = client.get(reverse("records:compliance"))
    assert [row.label for row in by_sector.context["rows"]] == ["Residential care", "Home care"]
    assert [c.name for c in by_sector.context["columns"]] == [
        "Assisting and moving people",
        "Fire safety",
        "Safeguarding adults",
    ]
    home_care = by_sector.context["rows"][1]
    assert [c.share_in_date for c in home_care.cells] == [0, 25, 50]
    assert home_care.total.required == 12 and by_sector.context["rows"][0].cells[:2] == [None, None]
    by_area = client.get(reverse("records:compliance") + "?by=area&sector=home-care")
    assert [row.label for row in by_area.context["rows"]] == ["Northbrook"]
    by_provider = client.get(reverse("records:compliance") + "?by=provider")
    assert [row.organisation for row in by_provider.context["rows"]] == [heron, willow]
    assert f'href="{reverse("records:provider-compliance", args=[heron.pk])}"' in text(by_provider)
    one = client.get(reverse("records:compliance") + f"?by=provider&category={category(FIRE).pk}")
    assert "Not required of anyone here" in text(one)


def test_compliance_csv_lists_every_group_and_category(client_for, council_officer, market):
    rows = csv_rows(client_for(council_officer).get(reverse("records:compliance-csv") + "?by=provider"))
    assert rows[0][:2] == ["Provider", "Training category"]
    assert rows[1:] == [
        ["Heron Home Care", "Assisting and moving people", "4", "0", "0", "0", "4", "0"],
        ["Heron Home Care", "Fire safety", "4", "1", "0", "1", "2", "25"],
        ["Heron Home Care", "Safeguarding adults", "4", "1", "1", "0", "2", "50"],
        # Two people at Willow: too few to show without picking them out.
        ["Willow Care Home", "Safeguarding adults", "fewer than 3", "", "", "", "", ""],
    ]
    by_area = csv_rows(client_for(council_officer).get(reverse("records:compliance-csv") + "?by=area"))
    assert [r[0] for r in by_area[1:]] == ["Northbrook"] * 3 + ["Southfield"]


def test_provider_compliance_for_a_quality_visit(client_for, council_officer, market):
    heron, _willow = market
    response = client_for(council_officer).get(reverse("records:provider-compliance", args=[heron.pk]))
    body = text(response)
    assert response.context["rows"][1][0] == "Fire safety"
    assert response.context["total"].required == 12 and response.context["staff_count"] == 4
    assert "Heron Office" in body and "Heron Annexe" not in body
    rows = csv_rows(client_for(council_officer).get(reverse("records:provider-compliance-csv", args=[heron.pk])))
    assert rows[2] == ["Fire safety", "4", "1", "0", "1", "2", "25"]


def test_only_active_providers_have_a_compliance_page(client_for, council_officer, council, training_org):
    client = client_for(council_officer)
    closed = OrganisationFactory(is_active=False)
    for organisation in (council, training_org, closed):
        assert client.get(reverse("records:provider-compliance", args=[organisation.pk])).status_code == 404


def test_a_filter_that_is_not_on_the_list_is_shown_as_an_error(client_for, council_officer, market):
    client = client_for(council_officer)
    response = client.get(reverse("records:skills-gap") + "?sector=nowhere")
    body = text(response)
    assert "There is a problem" in body and "Select a sector from the list" in body
    assert len(response.context["rows"]) == 3  # the whole market instead
    response = client.get(reverse("records:compliance") + "?by=everything")
    assert "There is a problem" in text(response)
    assert response.context["criteria"]["by"] == "sector"


def test_empty_pages_say_so(client_for, council_officer):
    MandatoryTraining.objects.all().delete()
    client = client_for(council_officer)
    assert "No current staff must hold mandatory training here" in text(client.get(reverse("records:skills-gap")))
    assert "No current staff match these filters" in text(client.get(reverse("records:compliance")))


def _providers(count: int, start: int = 0):
    """Home care providers, each with a care worker holding safeguarding and one holding nothing."""
    for i in range(start, start + count):
        organisation = OrganisationFactory(
            name=f"Provider {i:03d}", sectors=[sector("home-care")], area=f"Area {i % 7}"
        )
        LocationFactory(organisation=organisation)
        holder = StaffMemberFactory(organisation=organisation, job_role=job_role(8))
        StaffMemberFactory(organisation=organisation, job_role=job_role(8))
        TrainingCover.objects.create(
            staff=holder, category=category(SAFEGUARDING), organisation=organisation, completed_on=D(2026, 1, 1)
        )


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session writes the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_each_page_makes_the_same_number_of_queries_for_5_and_50_providers(client_for, council_officer):
    client = client_for(council_officer)
    _providers(5)
    first = Organisation.objects.get(name="Provider 000")
    SkillsSnapshot.objects.create(month=D(2026, 5, 1), category=category(SAFEGUARDING), required=4)
    pages = urls(first) + [reverse("records:skills-gap") + f"?category={category(SAFEGUARDING).pk}&area=Area 1"]
    few = {url: _queries(client, url) for url in pages}
    _providers(45, start=5)
    many = {url: _queries(client, url) for url in pages}
    assert many == few
    assert max(few.values()) <= 12


def test_market_reports_follow_a_change_at_once(client_for, council_officer, market):
    """The figures are maintained in the writer's transaction: no cache to wait out, no stale page."""
    client = client_for(council_officer)
    url = reverse("records:skills-gap")
    before = client.get(url).context["rows"]
    person(market[0])
    after = client.get(url).context["rows"]
    assert sum(r.counts.required for r in after) > sum(r.counts.required for r in before)
    assert [(r.category_id, r.counts) for r in after] == [
        (r.category_id, r.counts) for r in skills.skills_gap_by_reference_sql()
    ]


def test_a_providers_counts_of_one_or_two_people_are_not_shown(client_for, council_officer, market):
    heron, willow = market
    client = client_for(council_officer)
    by_provider = client.get(reverse("records:compliance") + "?by=provider")
    willow_row = next(row for row in by_provider.context["rows"] if row.organisation == willow)
    # The total first, then moving and assisting, fire safety (not required at Willow) and safeguarding (2 people);
    # the total is hidden too, as it would give the hidden category away.
    assert willow_row.hidden == [True, False, False, True]
    assert "fewer than 3 people: not shown" in text(by_provider)
    heron_row = next(row for row in by_provider.context["rows"] if row.organisation == heron)
    assert not any(heron_row.hidden)
    one = client.get(reverse("records:compliance") + f"?by=provider&category={category(SAFEGUARDING).pk}")
    assert "Fewer than 3 people must hold it here" in text(one)
    page = client.get(reverse("records:provider-compliance", args=[willow.pk]))
    body = text(page)
    assert "Fewer than 3 people must hold it" in body and "Not shown: fewer than 3 people" in body
    assert "50%" not in body
    rows = csv_rows(client.get(reverse("records:provider-compliance-csv", args=[willow.pk])))
    assert rows[1] == ["Safeguarding adults", "fewer than 3", "", "", "", "", ""]
    # By sector and area the counts cover many providers and stay as they are.
    by_sector = client.get(reverse("records:compliance"))
    assert not any(any(row.hidden) for row in by_sector.context["rows"])


def test_compliance_by_provider_searches_by_name(client_for, council_officer, market):
    heron, _willow = market
    client = client_for(council_officer)
    response = client.get(reverse("records:compliance"), {"by": "provider", "q": "heron"})
    assert [row.organisation for row in response.context["rows"]] == [heron]
    assert 'name="q"' in text(response)
    rows = csv_rows(client.get(reverse("records:compliance-csv"), {"by": "provider", "q": "heron"}))
    assert {r[0] for r in rows[1:]} == {"Heron Home Care"}


def test_a_providers_profile_links_council_staff_to_its_compliance(client_for, council_officer, market, provider_admin):
    heron, _willow = market
    url = reverse("records:provider-compliance", args=[heron.pk])
    assert url in text(client_for(council_officer).get(reverse("organisations:detail", args=[heron.pk])))
    assert url not in text(client_for(provider_admin).get(reverse("organisations:detail", args=[heron.pk])))


def test_a_provider_with_many_locations_lists_them_a_page_at_a_time(client_for, council_officer, market):
    heron, _willow = market
    for n in range(30):
        LocationFactory(organisation=heron, name=f"Heron Site {n:02d}")
    client = client_for(council_officer)
    url = reverse("records:provider-compliance", args=[heron.pk])
    first = client.get(url)
    assert "Showing 1 to 25 of 31 locations" in text(first)
    assert "Heron Office" in text(first) and "Heron Site 23" in text(first) and "Heron Site 24" not in text(first)
    second = client.get(url, {"page": 2})
    assert "Showing 26 to 31 of 31 locations" in text(second)
    assert "Heron Site 24" in text(second) and "Heron Office" not in text(second)
    assert second.context["rows"] == first.context["rows"]  # the compliance figures stay on every page
    assert client.get(url, {"page": "x" * 40}).status_code == 200  # nonsense shows the first page
