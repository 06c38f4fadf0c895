"""What training offers the portal (carenetwork.core.registry): navigation, panels, demo, volume, benchmark, the
recount of the programme report's maintained figures, and the jobs for the scheduler (deadline decisions, reminders)."""

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
from carenetwork.training.attention import PANELS
from carenetwork.training.permissions import can_browse_catalogue
from carenetwork.training.statement_blocks import BLOCKS
from carenetwork.training.tasks import decide_course_runs, send_course_reminders


def _catalogue_href(user) -> str | None:
    return reverse("training:catalogue") if can_browse_catalogue(user) else None


def _demo(borough: DemoBorough) -> None:
    from carenetwork.training.demo import build_training

    build_training(officer=borough.officer, providers=borough.providers, featured=borough.featured)


def _volume(volume: str, stdout=None):
    from carenetwork.training.volume import training_volume_ensure

    return training_volume_ensure(volume, stdout=stdout)


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The catalogue, course list and busiest run as a member; the run's bookings and the report as the officer."""
    from carenetwork.training import bench as training_bench

    member = [BenchmarkPage(n, p, r) for n, p, r in training_bench.member_pages(bench.missing)]
    council = [BenchmarkPage(n, p, r, as_officer=True) for n, p, r in training_bench.council_pages(bench.missing)]
    return member + council


def _figures(repair: bool):
    from carenetwork.training.programme_figures import programme_figures_recount

    return programme_figures_recount(repair)


def _counts() -> dict:
    from carenetwork.training.volume import training_counts

    return {f"training {k}" if k != "training providers" else k: v for k, v in training_counts().items()}


register(
    Capability(
        name="training",
        navigation=[NavigationEntry(label=_("Training courses"), href_for=_catalogue_href, order=40)],
        panels=PANELS,
        demo=_demo,
        volume=_volume,
        benchmark=_benchmark,
        counts=_counts,
        figures=_figures,
        statement_blocks=BLOCKS,
        scheduled_jobs=[
            # Runs are decided within a quarter hour of their deadline.
            ScheduledJob("decide_course_runs", decide_course_runs, every_minutes=15),
            ScheduledJob("send_course_reminders", send_course_reminders, daily_at=datetime.time(7, 0)),
        ],
    )
)
