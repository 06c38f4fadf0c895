"""What the market offers the portal (carenetwork.core.registry): navigation, the council administrators' set-up
panel, the demo (the council's area and the demand files), the benchmark's market pages, and the
daily capacity return reminders for the scheduler."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext as _n

from carenetwork.core.registry import (
    Attention,
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    NavigationEntry,
    Panel,
    ScheduledJob,
    register,
)
from carenetwork.market import permissions
from carenetwork.market.statement_blocks import BLOCKS
from carenetwork.market.tasks import send_return_reminders


def _market_href(user) -> str | None:
    return reverse("market:overview") if permissions.can_view_market(user) else None


def setup_items(user) -> list[Attention]:
    """For council administrators: what predicted demand still needs (two queries, none for anyone else)."""
    if not permissions.can_manage_market_settings(user):
        return []
    from carenetwork.market.models import MarketSettings, PopulationRelease

    items = []
    if not PopulationRelease.objects.filter(by_age=True).exists():
        items.append(Attention(_t("Population projections to load for predicted demand"), 1, reverse("market:demand")))
    if not MarketSettings.current().area_codes:
        items.append(Attention(_t("The council's area to set for predicted demand"), 1, reverse("market:settings")))
    return items


def return_items(user) -> list[Attention]:
    """For provider admins, once the month's return window has opened: their services not returned yet (one or two
    queries)."""
    organisations = permissions.return_organisations(user)
    if not organisations:
        return []
    from carenetwork.market import returns
    from carenetwork.market.models import MarketSettings

    today = returns.timezone.localdate()
    if today.day < MarketSettings.current().return_opens:
        return []
    month = returns.this_month(today)
    due = (
        returns.returning_locations()
        .filter(organisation__in=organisations)
        .exclude(capacity_returns__month=month)
        .count()
    )
    if not due:
        return []
    text = _n(
        "%(n)s service's capacity return to make for %(month)s",
        "%(n)s services' capacity returns to make for %(month)s",
        due,
    ) % {"n": due, "month": f"{month:%B}"}
    return [Attention(text, due, reverse("market:returns"))]


def comment_items(user) -> list[Attention]:
    """For council staff: comments on the market position statement not yet responded to (one query)."""
    if not permissions.can_edit_statement(user):
        return []
    from carenetwork.market.statement_services import comments_awaiting_response

    waiting = comments_awaiting_response()
    if not waiting:
        return []
    text = _n(
        "%(n)s comment on the market position statement to respond to",
        "%(n)s comments on the market position statement to respond to",
        waiting,
    ) % {"n": waiting}
    return [Attention(text, waiting, reverse("market:statement-comments"))]


def needed_items(user) -> list[Attention]:
    """For council staff: interests in needed services the council has not replied to (one query)."""
    if not permissions.can_manage_needed_services(user):
        return []
    from carenetwork.market.needed import interests_awaiting_reply

    waiting = interests_awaiting_reply()
    if not waiting:
        return []
    text = _n(
        "%(n)s interest in needed services awaiting a reply",
        "%(n)s interests in needed services awaiting a reply",
        waiting,
    ) % {"n": waiting}
    return [Attention(text, waiting, reverse("market:needed") + "?status=all")]


def _demo(borough) -> None:
    from carenetwork.market.demo import build_market_demo

    build_market_demo(borough)


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """Demand, supply and the month's returns as the member (an admin of the provider with most locations); supply,
    sustainability and the returns' completion as the council officer; the published statement (published here
    first if the volume has none) as a member, who reads its comments."""
    from carenetwork.market.models import StatementVersion

    if not StatementVersion.objects.exists():
        from carenetwork.market.statement_services import draft_sections, statement_publish

        draft_sections()
        statement_publish(actor=bench.officer, summary="Benchmark version", notify=False)
    return [
        BenchmarkPage("market demand", reverse("market:demand")),
        BenchmarkPage("market supply (provider)", reverse("market:supply")),
        BenchmarkPage("market supply by locality (council)", reverse("market:supply") + "?by=area", as_officer=True),
        BenchmarkPage("market sustainability", reverse("market:sustainability"), as_officer=True),
        BenchmarkPage("capacity returns (provider)", reverse("market:returns")),
        BenchmarkPage("capacity returns completion", reverse("market:returns-completion"), as_officer=True),
        BenchmarkPage("market position statement", reverse("market:statement")),
        BenchmarkPage("needed services", reverse("market:needed")),
    ]


def _volume(volume: str, stdout=None):
    from carenetwork.market.volume import market_volume_ensure

    return market_volume_ensure(volume, stdout=stdout)


def _counts() -> dict:
    from carenetwork.market.volume import market_counts

    return market_counts()


def _figures(repair: bool):
    from carenetwork.market.figures import market_figures_recount

    return market_figures_recount(repair)


def _reports() -> list[dict]:
    from carenetwork.market.bench import report_comparison

    return report_comparison()


register(
    Capability(
        name="market",
        navigation=[NavigationEntry(label=_("Market"), href_for=_market_href, order=60)],
        panels=[
            Panel(title=_("Market shaping"), items_for=setup_items, order=60),
            Panel(title=_("Capacity returns"), items_for=return_items, order=55),
            Panel(title=_("Market position statement"), items_for=comment_items, order=61),
            Panel(title=_("Needed services"), items_for=needed_items, order=62),
        ],
        demo=_demo,
        benchmark=_benchmark,
        volume=_volume,
        counts=_counts,
        reports=_reports,
        figures=_figures,
        statement_blocks=BLOCKS,
        footer_links=[
            NavigationEntry(label=_("Market position statement"), href_for=lambda user: reverse("market:statement")),
            NavigationEntry(label=_("Services the council needs"), href_for=lambda user: reverse("market:needed")),
        ],
        scheduled_jobs=[ScheduledJob("send_return_reminders", send_return_reminders, daily_at=datetime.time(7, 30))],
    )
)
