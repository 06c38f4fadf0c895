"""What the fair cost of care offers the portal (carenetwork.core.registry): its navigation entry, the council
administrators' panel (figures of the set in force not yet published), the demo and the benchmark's pages."""

from django.urls import reverse
from django.utils import timezone
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
    register,
)
from carenetwork.costofcare import permissions


def _href(user) -> str | None:
    """The calculator for a provider's admins and members; the fee gaps for council staff."""
    if permissions.can_calculate(user):
        return reverse("costofcare:home-care")
    if permissions.can_view_cost_returns(user):
        return reverse("costofcare:fee-gaps")
    return None


def blank_figure_items(user) -> list[Attention]:
    """For council administrators: the figures of the assumption set in force today that are blank (one query)."""
    if not permissions.can_manage_assumptions(user):
        return []
    from carenetwork.costofcare.selectors import REQUIRED, assumption_set_on

    assumption_set = assumption_set_on(timezone.localdate())
    if assumption_set is None:
        return [Attention(_t("Cost of care assumptions to add"), 1, reverse("costofcare:assumption-new"))]
    # Blank optional limits mean "does not apply"; only the Homecare Association price is awaited.
    blank = [n for n in REQUIRED + ["homecare_association_price"] if getattr(assumption_set, n) is None]
    if not blank:
        return []
    text = _n(
        "%(n)s %(label)s cost of care figure not yet published",
        "%(n)s %(label)s cost of care figures not yet published",
        len(blank),
    ) % {"n": len(blank), "label": assumption_set.label}
    return [Attention(text, len(blank), reverse("costofcare:assumption-list"))]


def rates_below_items(user) -> list[Attention]:
    """For council staff: the council's rates in force today that are below the cost of care minimum (2 queries)."""
    if not permissions.can_view_cost_returns(user):
        return []
    from carenetwork.costofcare.fee_gaps import rates_below_count

    below = rates_below_count(timezone.localdate())
    if not below:
        return []
    text = _n(
        "%(n)s council rate below the cost of care minimum", "%(n)s council rates below the cost of care minimum", below
    ) % {"n": below}
    return [Attention(text, below, reverse("costofcare:fee-gaps"))]


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The calculator and saved calculations as the member; the returns' quartiles as the council officer."""
    return [
        BenchmarkPage("home care rate calculator", reverse("costofcare:home-care")),
        BenchmarkPage("care home fee calculator", reverse("costofcare:care-home")),
        BenchmarkPage("saved cost calculations", reverse("costofcare:calculation-list")),
        BenchmarkPage("cost of care returns (council)", reverse("costofcare:returns"), as_officer=True),
        BenchmarkPage("fee gaps (council)", reverse("costofcare:fee-gaps"), as_officer=True),
    ]


def _demo(borough) -> None:
    from carenetwork.costofcare.demo import build_costofcare_demo
    from carenetwork.costofcare.demo_rates import council_rates_seed

    build_costofcare_demo(borough)
    council_rates_seed()


register(
    Capability(
        name="costofcare",
        navigation=[NavigationEntry(label=_("Cost of care"), href_for=_href, order=65)],
        panels=[
            Panel(title=_("Fair cost of care"), items_for=blank_figure_items, order=63),
            Panel(title=_("Fee gaps"), items_for=rates_below_items, order=64),
        ],
        demo=_demo,
        benchmark=_benchmark,
    )
)
