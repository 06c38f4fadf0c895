"""Loading the demand files from shared/data/population, and predicted demand computed from them."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.market import demand
from carenetwork.market.models import Area, MarketSettings, PopulationFigure, PopulationRelease, PrevalenceRate
from carenetwork.market.population import load_file

pytestmark = pytest.mark.django_db

POPULATION = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "population"
LOOKUP = POPULATION / "ons_ltla_to_utla_lookup_dec2022.csv"
SINGLE_YEAR = POPULATION / "ons_snpp2016_persons_age60to90plus_by_lad_2016_2041.csv"
ALL_AGES = POPULATION / "ons_snpp2018_all_ages_persons_by_area_2018_2043.csv"
DERIVED = POPULATION / "ons_snpp2016_older_people_summary_by_lad_DERIVED.csv"
PREVALENCE = POPULATION / "poppi_pansi_prevalence_assumptions_2022.csv"
HAVERING = "E09000016"
DEVON_DISTRICTS = {"E07000040", "E07000041", "E07000042", "E07000043", "E07000044", "E07000045", "E07000046"}
DEVON_DISTRICTS |= {"E07000047"}


@pytest.fixture(autouse=True)
def _needs_population_data():
    if not POPULATION.is_dir():
        pytest.skip(f"The population data files are not at {POPULATION}")


def subset(path: Path, codes: set[str]) -> bytes:
    """The file's header and its rows for these areas: the real figures, fewer of them."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    return "".join([lines[0], *[line for line in lines[1:] if line.split(",", 1)[0] in codes]]).encode()


def load_basics(codes=frozenset({HAVERING}) | DEVON_DISTRICTS):
    load_file(actor=None, name=LOOKUP.name, content=LOOKUP.read_bytes())
    load_file(actor=None, name=PREVALENCE.name, content=PREVALENCE.read_bytes())
    load_file(actor=None, name=SINGLE_YEAR.name, content=subset(SINGLE_YEAR, set(codes)))


def derived_rows() -> dict[tuple[str, int], list[int]]:
    reader = csv.DictReader(io.StringIO(DERIVED.read_text(encoding="utf-8-sig")))
    return {
        (r["AREA_CODE"], int(r["YEAR"])): [int(r["POP_65PLUS"]), int(r["POP_75PLUS"]), int(r["POP_85PLUS"])]
        for r in reader
    }


def test_the_folder_loads_every_release_and_again_changes_nothing():
    call_command("import_population", str(POPULATION))

    single = PopulationRelease.objects.get(by_age=True)
    assert (single.base_year, single.first_year, single.last_year, single.oldest_age) == (2016, 2016, 2041, 90)
    assert single.figures.count() == (10107 - 1) * 26
    everyone = PopulationRelease.objects.get(by_age=False)
    assert (everyone.base_year, everyone.last_year) == (2018, 2043)
    assert everyone.figures.filter(area_code="E92000001", year=2018).get().persons == Decimal("55977178")
    assert Area.objects.get(code=HAVERING).authority_code == HAVERING
    assert Area.objects.filter(authority_code="E10000008").count() == 8  # Devon's districts
    assert PrevalenceRate.objects.count() == 170
    counts = (PopulationFigure.objects.count(), Area.objects.count(), PrevalenceRate.objects.count())

    call_command("import_population", str(LOOKUP), str(PREVALENCE), str(ALL_AGES))
    assert (PopulationFigure.objects.count(), Area.objects.count(), PrevalenceRate.objects.count()) == counts
    assert PopulationRelease.objects.count() == 2
    assert AuditEvent.objects.filter(action="market.demand_file_loaded").count() == 4 + 3


def test_single_years_add_up_to_the_ons_older_people_summary():
    load_basics()
    summary = derived_rows()
    by_age = demand.release_in_use()
    for code in [HAVERING, "E07000040"]:
        for year in (2016, 2026, 2040):
            population = dict(
                PopulationFigure.objects.filter(release=by_age, area_code=code, year=year).values_list("age", "persons")
            )
            ours = [round(demand.metrics.age_total(population, low)) for low in (65, 75, 85)]
            assert all(abs(a - b) <= 1 for a, b in zip(ours, summary[code, year], strict=True)), (code, year)


@time_machine.travel("2026-06-01 12:00 +0000")
def test_demand_for_a_unitary_council_per_year_to_2040():
    load_basics()
    MarketSettings.objects.update_or_create(pk=1, defaults={"area_codes": HAVERING})

    result = demand.demand()
    assert result.area.names == ["Havering"]
    assert [y.year for y in result.years] == list(range(2026, 2041))
    summary = derived_rows()
    for y in result.years:
        assert [round(v) for v in y.ages] == pytest.approx(summary[HAVERING, y.year], abs=1)
    dementia = next(i for i, c in enumerate(result.conditions) if c.name == "Dementia")
    names = [c.name for c in result.conditions]
    assert "Needing support with self-care" in names and result.not_computed == ["Limiting long term illness"]
    # Dementia in 2026 by hand: each band's people times the average of the men's and women's rates.
    population = dict(
        PopulationFigure.objects.filter(release=result.release, area_code=HAVERING, year=2026).values_list(
            "age", "persons"
        )
    )
    bands = [(65, 69, "0.015", "0.018"), (70, 74, "0.031", "0.030"), (75, 79, "0.053", "0.066")]
    bands += [(80, 84, "0.103", "0.117"), (85, 89, "0.151", "0.202")]
    rates = {r.age_group: r.rate for r in PrevalenceRate.objects.filter(indicator="Dementia", sex="Males")}
    by_hand = sum(
        sum(population[a] for a in range(low, high + 1)) * (Decimal(m) + Decimal(f)) / 2 for low, high, m, f in bands
    )
    ninety = {r.sex: r.rate for r in PrevalenceRate.objects.filter(indicator="Dementia", age_group="90-94 years")}
    by_hand += population[90] * (ninety["Males"] + ninety["Females"]) / 2
    assert rates["65-69 years"] == Decimal("0.015")
    assert result.years[0].conditions[dementia] == by_hand


def test_a_county_brings_its_districts_and_unknown_codes_are_named():
    load_basics()
    area = demand.council_area("E10000008, E99999999")
    assert set(area.codes) == DEVON_DISTRICTS and "Exeter" in area.names
    assert area.unknown == ["E99999999"]


def test_a_newer_release_loads_beside_the_old_one_and_is_used(tmp_path):
    load_basics()
    # The 2022-based release's layout: AREA_NAME, COMPONENT and SEX columns, "90 and over", one file for both sexes.
    rows = ["AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2022,2023,2040"]
    for sex in ("males", "females"):
        rows += [f"{HAVERING},Havering,Population,{sex},{age},100,110,200" for age in range(65, 90)]
        rows += [f"{HAVERING},Havering,Population,{sex},90 and over,10,11,20"]
        rows += [
            f"{HAVERING},Havering,Births,{sex},0,999,999,999",
            f"{HAVERING},Havering,Population,{sex},All ages,1,1,1",
        ]
    loaded = load_file(actor=None, name="2022 SNPP Population.csv", content="\n".join(rows).encode())
    assert "2022-based" in loaded.message
    assert PopulationRelease.objects.filter(by_age=True).count() == 2
    newest = demand.release_in_use()
    assert (newest.base_year, newest.oldest_age) == (2022, 90)
    figures = dict(newest.figures.filter(year=2040).values_list("age", "persons"))
    assert figures[65] == 400 and figures[90] == 40 and None not in figures and len(figures) == 26


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,beds\nAsh House,40\n", "is not a file we recognise"),
        (b"AREA_CODE,AGE_GROUP,2016\nE09000016,60,abc\n", "row 2: \u201cabc\u201d is not a number"),
        (b"AREA_CODE,AGE_GROUP,2016\nE09000016,sixty,12\n", "is not an age group"),
        (b"AREA_CODE,AGE_GROUP,2016\nHavering,60,12\n", "is not an ONS area code"),
        (b"AREA_CODE,AGE_GROUP,2016\nE09000016,60,-5\n", "is not a count of people"),
        (b"AREA_CODE,AGE_GROUP,2016\nE09000016,60,1\nE09000016,60,2\n", "appears twice"),
        (b"AREA_CODE,AGE_GROUP,2016,2017\nE09000016,60,1\n", "has 3 columns, the header 4"),
        (b"AREA_CODE,AGE_GROUP,2016\n", "has no population figures"),
    ],
)
def test_a_wrong_file_is_refused_with_a_clear_message_and_changes_nothing(content, message):
    with pytest.raises(ValidationError) as error:
        load_file(actor=None, name="upload.csv", content=content)
    assert message in " ".join(error.value.messages)
    assert not PopulationRelease.objects.exists() and not PopulationFigure.objects.exists()


def test_the_derived_summary_is_refused_with_what_to_load_instead():
    with pytest.raises(CommandError, match="Load the file of persons by single year of age"):
        call_command("import_population", str(DERIVED))


def test_a_prevalence_rate_outside_0_to_1_is_refused():
    content = (
        b"Indicator origin,Indicator,Sex,Age_group,Application,Assumption\nPOPPI,Dementia,Males,65-69 years,x,1.5\n"
    )
    with pytest.raises(ValidationError, match="between 0 and 1"):
        load_file(actor=None, name="rates.csv", content=content)


def test_a_council_may_keep_only_its_own_areas():
    call_command("import_population", str(LOOKUP), str(SINGLE_YEAR), "--areas", "e09000016, E07000040")
    assert set(PopulationFigure.objects.values_list("area_code", flat=True).distinct()) == {HAVERING, "E07000040"}


@time_machine.travel("2026-06-01 12:00 +0000")
def test_the_demand_page_takes_the_same_queries_for_one_district_or_a_county(client_for, council_officer):
    load_basics()
    client = client_for(council_officer)
    MarketSettings.objects.update_or_create(pk=1, defaults={"area_codes": HAVERING})
    client.get(reverse("market:demand"))
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(reverse("market:demand")).context["result"].years) == 15
    MarketSettings.objects.filter(pk=1).update(area_codes="E10000008")  # Devon's eight districts
    with CaptureQueriesContext(connection) as eight:
        assert len(client.get(reverse("market:demand")).context["result"].area.codes) == 8
    assert len(eight) == len(one)
