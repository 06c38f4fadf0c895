"""How a capability shows itself to the portal: one small registration, never an import from below.

The portal (carenetwork.portal) is the top floor: it builds the navigation, the home page, the demo borough, the
volume generator and the benchmark from what each capability registers here. Capabilities (forums, records,
training; later market, procurement, api) sit below it and must not be imported by core or organisations, so
each one registers itself from its AppConfig.ready():

    # carenetwork/records/apps.py
    class RecordsConfig(AppConfig):
        def ready(self):
            from carenetwork.records import portal_registration  # noqa: F401  (registers itself)

    # carenetwork/records/portal_registration.py
    from carenetwork.core.registry import Capability, NavigationEntry, Panel, ScheduledJob, register

    register(
        Capability(
            name="records",
            navigation=[NavigationEntry(label=_("Staff and training"), href_for=records_dashboard_href, order=30)],
            panels=[Panel(title=_("Staff training"), items_for=staff_training_attention, order=10)],
            demo=build_records_demo,          # (borough: DemoBorough) -> None
            volume=records_volume_ensure,     # (volume: str, stdout) -> dict | None
            benchmark=records_benchmark,      # (bench: BenchmarkContext) -> list[BenchmarkPage]
            counts=records_counts,            # () -> dict of what the benchmark's volume holds
            scheduled_jobs=[ScheduledJob("send_training_reminders", send_training_reminders, daily_at=time(6, 30))],
        )
    )

What each part must do:

- navigation: `href_for(user)` returns the link for this person, or None when the entry is not theirs. It runs on
  every page, so it answers from memberships already loaded (`organisations.permissions.active_memberships`, which
  is cached on the user) or at most one query.
- panels: shown on the home page, or where `where` says ("my-training": records' My training page, which
  training fills without records importing it). `items_for(user)` returns the things needing the person's
  attention as `Attention(text, count, href)`, or [] when the panel is not theirs. Each panel is answered in a
  few queries, constant in the volume of data (the portal's home page has a query-count test). The portal shows
  only items with a count above zero.
- demo: called once per `manage.py demo_borough`, after the organisations and people exist, in INSTALLED_APPS
  order (records' staff exist before training records attendance). Idempotent.
- volume: tops up the capability's synthetic data for `manage.py demo_borough --volume` and `manage.py benchmark`.
- benchmark: the capability's pages to measure, each as the benchmark member (an admin of the synthetic provider)
  or the benchmark council officer; it may top up data it alone needs (forums' benchmark forum). It appends the
  URL names it cannot build to `bench.missing`. `reports` optionally compares reports with hand-written SQL.
- statement_blocks: tables of live figures the market position statement may show, each under a key an officer
  writes on a line of its own (`[[training-offer]]`). `build()` returns `BlockFigures` from aggregates only: the
  statement is public. Publishing a version freezes what `build()` returned that day.
- organisation_links: links on an organisation's page for the people `href_for(user, organisation)` answers for.
- figures: the capability's maintained figures (what its reports read instead of scanning rows), for
  `manage.py recount_figures`: `recount(repair)` recomputes every figure from scratch and returns a
  `FigureDifference` for each kept figure that differs from the recount, putting the recount in its place when
  `repair` is true. The demo and the volume generators leave them equal to a recount.

- scheduled_jobs: the capability's jobs for `manage.py run_scheduler` (carenetwork.core.scheduler), each a
  `ScheduledJob(name, run, every_minutes=N)` or `ScheduledJob(name, run, daily_at=time(H, M))` (local time,
  settings.TIME_ZONE: Europe/London, so a daily job keeps its clock time across BST and GMT). `run` is a
  django-tasks Task, enqueued for the worker with no arguments, or a plain callable, called in the scheduler's own
  process. The name is the job's key in `ScheduledRun` (one row per job and due time), unique across the portal;
  the existing jobs are named after their management commands, which still run a job by hand. A job must be safe to
  run again: a failed run is tried again, and a run missed while no scheduler ran is made up once.

Capabilities register in INSTALLED_APPS order; `capabilities()` returns them in that order. The organisations app is
no capability (the portal builds the directory's pages itself) but has a scheduled job of its own, the CQC sync: it
gives it to `register_jobs(owner, jobs)`, which layers below the capabilities may call from their AppConfig.ready().
`scheduled_jobs()` lists every job: those layers' first, then the capabilities', in registration order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavigationEntry:
    """A link in the service navigation: shown when `href_for(user)` gives a link, ordered by `order`."""

    label: str
    href_for: Callable[[Any], str | None]
    order: int = 50


@dataclass(frozen=True)
class OrganisationLink:
    """A link on an organisation's page: shown when `href_for(user, organisation)` gives a link (no queries beyond
    the person's memberships, which are already loaded)."""

    label: str
    href_for: Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Attention:
    """One thing on the home page that needs the person's attention: how many, and where to deal with them."""

    text: str
    count: int
    href: str


@dataclass(frozen=True)
class Panel:
    """A home-page panel: a title and the things needing this person's attention (empty when not theirs)."""

    title: str
    items_for: Callable[[Any], list[Attention]]
    order: int = 50
    # Where the panel shows: "home" (the portal's home page) or "my-training" (records' My training page).
    where: str = "home"


@dataclass
class DemoBorough:
    """What the organisations' demo built, handed to each capability's demo builder."""

    council: Any
    officer: Any
    administrator: Any
    providers: list
    featured: Any
    people: dict
    rng: Any


@dataclass(frozen=True)
class BenchmarkPage:
    """A page the benchmark measures: requested as the benchmark member, or as the council officer."""

    name: str
    path: str
    reference: bool = False
    as_officer: bool = False


@dataclass
class BenchmarkContext:
    """What the benchmark gives each capability: the volume, the people it requests pages as, and where to say."""

    volume: str
    member: Any
    member_organisation: Any
    officer: Any
    stdout: Any = None
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FigureDifference:
    """One maintained figure that differs from a recount: which table and key, what was kept, what it should be."""

    table: str
    key: str
    kept: Any
    recounted: Any


@dataclass
class BlockFigures:
    """A live block's table: a title, the column headings and rows of plain values (text, whole numbers, decimals,
    None for none), with notes beneath. `hidden` marks cells not shown (fewer than three providers); `chart`, when
    given, is the keyword arguments of `core.charts.line_chart`."""

    title: str
    header: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)
    hidden: list[list[bool]] | None = None
    chart: dict | None = None


@dataclass(frozen=True)
class StatementBlock:
    """A block of live figures for the market position statement: its key, its name for officers, and how to
    build it."""

    key: str
    label: str
    build: Callable[[], BlockFigures]


@dataclass(frozen=True)
class ScheduledJob:
    """A job `manage.py run_scheduler` starts on time: every `every_minutes` minutes (due at whole multiples of it
    counted from midnight UTC, so 15 gives :00, :15, :30 and :45), or daily at `daily_at`, local time. `run` is a
    django-tasks Task (enqueued) or a plain callable (called in the scheduler's process); either takes no
    arguments."""

    name: str
    run: Any
    every_minutes: int | None = None
    daily_at: datetime.time | None = None

    def __post_init__(self):
        if (self.every_minutes is None) == (self.daily_at is None):
            raise ValueError(f"Scheduled job {self.name!r}: give every_minutes or daily_at, one of them.")
        if self.every_minutes is not None and not 0 < self.every_minutes <= 24 * 60:
            raise ValueError(f"Scheduled job {self.name!r}: every_minutes must be from 1 to 1440.")
        if not callable(getattr(self.run, "enqueue", None)) and not callable(self.run):
            raise ValueError(f"Scheduled job {self.name!r}: run must be a django-tasks Task or a callable.")

    @property
    def when(self) -> str:
        """The schedule in words, for people: "every 15 minutes", "daily at 06:15"."""
        if self.every_minutes is not None:
            return f"every {self.every_minutes} minutes"
        return f"daily at {self.daily_at:%H:%M}"


@dataclass(frozen=True)
class Capability:
    """Everything one capability offers the portal; every part is optional."""

    name: str
    navigation: Sequence[NavigationEntry] = ()
    panels: Sequence[Panel] = ()
    demo: Callable[[DemoBorough], None] | None = None
    volume: Callable[..., Any] | None = None
    benchmark: Callable[[BenchmarkContext], list[BenchmarkPage]] | None = None
    counts: Callable[[], dict] | None = None
    reports: Callable[[], list[dict]] | None = None
    figures: Callable[[bool], list[FigureDifference]] | None = None
    statement_blocks: Sequence[StatementBlock] = ()
    # Links in every page's footer, for everyone, signed in or not (public pages such as the market statement).
    footer_links: Sequence[NavigationEntry] = ()
    # Links on an organisation's page (the API's tokens for its admins).
    organisation_links: Sequence[OrganisationLink] = ()
    # Jobs run on time by `manage.py run_scheduler` (reminders, deadlines, retention, snapshots).
    scheduled_jobs: Sequence[ScheduledJob] = ()


_registry: dict[str, Capability] = {}
# Scheduled jobs of layers below the capabilities (organisations), by owner.
_job_owners: dict[str, Sequence[ScheduledJob]] = {}


def register(capability: Capability) -> Capability:
    """Register (or replace, when the app is loaded again) a capability under its name."""
    _registry[capability.name] = capability
    return capability


def capabilities() -> list[Capability]:
    """Every registered capability, in the order they registered (INSTALLED_APPS order)."""
    return list(_registry.values())


def register_jobs(owner: str, jobs: Sequence[ScheduledJob]) -> None:
    """Register (or replace) the scheduled jobs of a layer below the capabilities, which has no Capability."""
    _job_owners[owner] = tuple(jobs)


def scheduled_jobs() -> list[ScheduledJob]:
    """Every scheduled job: those registered with `register_jobs`, then each capability's; names are unique."""
    jobs = [job for owned in _job_owners.values() for job in owned]
    jobs += [job for capability in capabilities() for job in capability.scheduled_jobs]
    names = [job.name for job in jobs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"Scheduled jobs registered twice: {', '.join(repeated)}")
    return jobs


def organisation_links_for(user, organisation) -> list[tuple[str, str]]:
    """The (label, href) links the capabilities offer this person on this organisation's page."""
    links = [(link.label, link.href_for(user, organisation)) for c in capabilities() for link in c.organisation_links]
    return [(label, href) for label, href in links if href]


def attention_for(user, where: str = "home", also: Sequence[Panel] = ()) -> list[tuple[Panel, list[Attention]]]:
    """The panels for `where` (registered, and `also`) with what needs this person's attention: counts above 0."""
    registered = [panel for capability in capabilities() for panel in capability.panels]
    panels = sorted((panel for panel in [*also, *registered] if panel.where == where), key=lambda panel: panel.order)
    shown = []
    for panel in panels:
        items = [item for item in panel.items_for(user) if item.count > 0]
        if items:
            shown.append((panel, items))
    return shown


def statement_blocks() -> dict[str, StatementBlock]:
    """Every registered live block for the market position statement, by key, in registration order."""
    return {block.key: block for capability in capabilities() for block in capability.statement_blocks}
