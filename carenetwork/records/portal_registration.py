"""What records offer the portal (carenetwork.core.registry): navigation, home-page panels, demo, volume, benchmark,
and the daily jobs for the scheduler."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carenetwork.core.registry import (
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    DemoBorough,
    NavigationEntry,
    ScheduledJob,
    register,
)
from carenetwork.organisations.permissions import is_council_staff
from carenetwork.records.attention import PANELS, admin_providers
from carenetwork.records.snapshots import take_skills_snapshot
from carenetwork.records.statement_blocks import BLOCKS
from carenetwork.records.tasks import remove_leavers_data, roll_compliance_figures, send_training_reminders


def _staff_and_training_href(user) -> str | None:
    providers = admin_providers(user)
    return reverse("records:dashboard", args=[providers[0].pk]) if providers else None


def _skills_picture_href(user) -> str | None:
    return reverse("records:skills-gap") if is_council_staff(user) else None


def _demo(borough: DemoBorough) -> None:
    from carenetwork.records.demo import build_records

    build_records(
        providers=borough.providers,
        featured=borough.featured,
        featured_member=borough.people["provider_member"],
        rng=borough.rng,
    )


def _volume(volume: str, stdout=None):
    from carenetwork.records.bench import records_volume_ensure

    return records_volume_ensure(volume, stdout=stdout)


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The largest provider's records pages as its admin; the council's reports as the officer."""
    from carenetwork.records import bench as records_bench

    provider = [BenchmarkPage(name, path, reference) for name, path, reference in records_bench.provider_pages()]
    council = [
        BenchmarkPage(name, path, reference, as_officer=True) for name, path, reference in records_bench.council_pages()
    ]
    return provider + council


def _counts() -> dict:
    from carenetwork.records.bench import records_counts

    return records_counts()


def _figures(repair: bool):
    from carenetwork.records.figures import figures_recount

    return figures_recount(repair)


def _reports() -> list[dict]:
    from carenetwork.records.bench import report_comparison

    return report_comparison()


register(
    Capability(
        name="records",
        navigation=[
            NavigationEntry(label=_("Staff and training"), href_for=_staff_and_training_href, order=30),
            NavigationEntry(label=_("Skills picture"), href_for=_skills_picture_href, order=50),
        ],
        panels=PANELS,
        demo=_demo,
        volume=_volume,
        benchmark=_benchmark,
        counts=_counts,
        reports=_reports,
        figures=_figures,
        statement_blocks=BLOCKS,
        scheduled_jobs=[
            ScheduledJob("roll_compliance_figures", roll_compliance_figures, daily_at=datetime.time(0, 5)),
            ScheduledJob("remove_leavers_data", remove_leavers_data, daily_at=datetime.time(2, 15)),
            ScheduledJob("snapshot_skills", take_skills_snapshot, daily_at=datetime.time(2, 30)),
            ScheduledJob("send_training_reminders", send_training_reminders, daily_at=datetime.time(6, 30)),
        ],
    )
)
