"""The records part of the benchmark: its volume, its pages, and the skills-gap report against hand-written SQL.

Provider pages are requested as the benchmark person (an admin of the synthetic provider with most staff);
council pages as the benchmark council officer, since names never reach the council and aggregates never
reach providers.
"""

from carenetwork.core.benchmarking import compare
from carenetwork.organisations.models import Sector
from carenetwork.organisations.volume import AREAS
from carenetwork.records.volume import (
    bench_records_admin_ensure,
    generate_records_volume,
    records_bench_targets,
    synthetic_records,
    synthetic_staff,
)

# The volumes: 50,000 staff and 1,000,000 training records for a council, ten times that for a region, and
# England's 1.6 million staff with 16 million training records for the nation.
RECORDS_VOLUMES = {
    "council": {"staff": 50_000, "records": 1_000_000},
    "region": {"staff": 500_000, "records": 10_000_000},
    "national": {"staff": 1_600_000, "records": 16_000_000},
}


def records_volume_ensure(volume: str, stdout=None) -> dict:
    """Top up the synthetic staff and records to the volume's figures."""
    return generate_records_volume(**RECORDS_VOLUMES[volume], stdout=stdout)


def records_counts() -> dict:
    return {"staff": synthetic_staff().count(), "training records": synthetic_records().count()}


def provider_pages() -> list[tuple[str, str, bool]]:
    """The largest provider's records pages, for the benchmark person who is its admin."""
    bench_records_admin_ensure()
    pk = records_bench_targets()
    staff = synthetic_staff().filter(organisation_id=pk, leaving_date__isnull=True).count()
    return [
        (f"training overview ({staff} staff)", f"/records/{pk}/", False),
        ("training matrix", f"/records/{pk}/matrix/", False),
        ("training matrix, expired", f"/records/{pk}/matrix/?status=expired", False),
        ("staff register", f"/records/{pk}/staff/", False),
    ]


def council_pages() -> list[tuple[str, str, bool]]:
    """The council's compliance and skills-gap pages over the whole market."""
    pk = records_bench_targets()
    area = AREAS[0].replace(" ", "+")
    return [
        ("council compliance", "/records/council/compliance/", False),
        ("council compliance by provider", f"/records/council/compliance/?by=provider&area={area}", False),
        ("provider compliance", f"/records/council/compliance/{pk}/", False),
        ("skills gap", "/records/council/skills-gap/", False),
        ("skills gap, home care", "/records/council/skills-gap/?sector=home-care", False),
    ]


def report_comparison(*, repeats: int = 5) -> list[dict]:
    """The skills-gap report as the pages run it, against the same aggregate as one hand-written statement."""
    from carenetwork.records.skills import as_of, skills_gap, skills_gap_by_reference_sql

    today, window = as_of()
    sector = Sector.objects.filter(slug="home-care").values_list("pk", flat=True).first()
    cases = [("skills gap, whole market", {}), ("skills gap, home care", {"sector_id": sector})]
    results = []
    for name, criteria in cases:
        ours = skills_gap(today=today, window_days=window, **criteria)
        reference = skills_gap_by_reference_sql(today=today, window_days=window, **criteria)
        if [(r.category_id, r.counts) for r in ours] != [(r.category_id, r.counts) for r in reference]:
            raise AssertionError(f"{name}: the report and the reference statement disagree")
        results.append(
            compare(
                name,
                lambda c=criteria: skills_gap(today=today, window_days=window, **c),
                lambda c=criteria: skills_gap_by_reference_sql(today=today, window_days=window, **c),
                repeats=repeats,
            )
        )
    return results
