"""What procurement offers the portal (carenetwork.core.registry): the board in the navigation for everyone, the home
page's "to do" (council staff: questions to answer, drafts, opportunities to award; suppliers: open opportunities),
the demo, the benchmark's volume and pages."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext as _n

from carenetwork.core.registry import (
    Attention,
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    NavigationEntry,
    Panel,
    register,
)
from carenetwork.procurement import permissions


def _href(user) -> str | None:
    """The board is public, like a tender notice."""
    return reverse("procurement:board")


def council_items(user) -> list[Attention]:
    """For council staff: questions waiting for an answer, drafts, and closed opportunities waiting for an award."""
    if not permissions.can_manage(user):
        return []
    from carenetwork.procurement.models import Opportunity
    from carenetwork.procurement.questions import waiting_for_answer
    from carenetwork.procurement.selectors import to_award_q

    today = timezone.localdate()
    items = []
    unanswered = waiting_for_answer().count()
    if unanswered:
        text = _n("%(n)s clarification question to answer", "%(n)s clarification questions to answer", unanswered)
        items.append(Attention(text % {"n": unanswered}, unanswered, reverse("procurement:unanswered")))
    portal = Opportunity.objects.filter(origin=Opportunity.Origin.PORTAL)
    counts = portal.aggregate(
        drafts=Count("pk", filter=Q(status=Opportunity.Status.DRAFT)), to_award=Count("pk", filter=to_award_q(today))
    )
    if counts["drafts"]:
        text = _n("%(n)s draft opportunity to publish", "%(n)s draft opportunities to publish", counts["drafts"])
        items.append(Attention(text % {"n": counts["drafts"]}, counts["drafts"], reverse("procurement:board")))
    if counts["to_award"]:
        text = _n("%(n)s closed opportunity to award", "%(n)s closed opportunities to award", counts["to_award"])
        items.append(
            Attention(
                text % {"n": counts["to_award"]}, counts["to_award"], reverse("procurement:board") + "?show=to-award"
            )
        )
    return items


def supplier_items(user) -> list[Attention]:
    """For suppliers: the open opportunities on the board."""
    if not permissions.can_take_part(user):
        return []
    from carenetwork.procurement.models import Opportunity
    from carenetwork.procurement.selectors import open_q

    count = Opportunity.objects.filter(open_q(timezone.localdate())).count()
    if not count:
        return []
    text = _n("%(n)s open opportunity to bid for", "%(n)s open opportunities to bid for", count) % {"n": count}
    return [Attention(text, count, reverse("procurement:board"))]


def _demo(borough) -> None:
    from carenetwork.procurement.demo import CONTRACTS_FINDER_CARE, build_procurement_demo
    from carenetwork.procurement.ocds_import import import_file

    build_procurement_demo(borough)
    import_file(CONTRACTS_FINDER_CARE)  # real past care procurements, closed, for reference (idempotent by ocid)


def _volume(volume: str, stdout=None):
    from carenetwork.procurement.volume import procurement_volume_ensure

    return procurement_volume_ensure(volume, stdout=stdout)


def _counts() -> dict:
    from carenetwork.procurement.volume import procurement_counts

    return procurement_counts()


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The board and the busiest opportunity as a member; the questions to answer and payments as the officer."""
    from carenetwork.procurement.models import Opportunity

    busiest = (
        Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
        .annotate(n=Count("questions"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    pages = [BenchmarkPage("opportunities board", reverse("procurement:board"))]
    if busiest:
        pages.append(BenchmarkPage("opportunity page", reverse("procurement:detail", args=[busiest])))
    else:
        bench.missing.append("procurement: no opportunity to time")
    pages += [
        BenchmarkPage("questions to answer (council)", reverse("procurement:unanswered"), as_officer=True),
        BenchmarkPage("payment on time (council)", reverse("procurement:payments"), as_officer=True),
    ]
    return pages


register(
    Capability(
        name="procurement",
        navigation=[NavigationEntry(label=_("Opportunities"), href_for=_href, order=68)],
        panels=[
            Panel(title=_("Procurement"), items_for=council_items, order=66),
            Panel(title=_("Opportunities"), items_for=supplier_items, order=67),
        ],
        demo=_demo,
        volume=_volume,
        counts=_counts,
        benchmark=_benchmark,
    )
)
