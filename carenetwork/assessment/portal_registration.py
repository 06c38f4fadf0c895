"""What the self-assessments offer the portal (carenetwork.core.registry): the navigation entry (the council's
questionnaires; for providers' people, their own checklist and scoring the council), the providers' home-page item
asking them to score the council's engagement, the demo and the benchmark's pages."""

from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from carenetwork.assessment import permissions
from carenetwork.core.registry import (
    Attention,
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    NavigationEntry,
    Panel,
    register,
)


def _href(user) -> str | None:
    allowed = permissions.can_manage_assessments(user) or permissions.can_complete_checklist(user)
    return reverse("assessment:index") if allowed else None


def scoring_items(user) -> list[Attention]:
    """For providers' members, while the council's engagement round is open and their provider has not scored it
    (two queries; none for anyone else)."""
    organisation = permissions.scoring_organisation(user)
    if organisation is None:
        return []
    from carenetwork.assessment import selectors

    round = selectors.scoring_round()
    if round is None or selectors.has_scored(organisation=organisation, round=round):
        return []
    return [Attention(_t("Score how the council engages with providers"), 1, reverse("assessment:score"))]


def _demo(borough) -> None:
    from carenetwork.assessment.demo import build_assessment_demo

    build_assessment_demo(borough)


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The engagement self-assessment with its gap and trend as the council officer, and the scoring page as the
    member."""
    return [
        BenchmarkPage("self-assessment tool 4 (council)", reverse("assessment:tool", args=["tool-4"]), as_officer=True),
        BenchmarkPage("score the council's engagement (provider)", reverse("assessment:score")),
    ]


register(
    Capability(
        name="assessment",
        navigation=[NavigationEntry(label=_("Self-assessment"), href_for=_href, order=65)],
        panels=[Panel(title=_("Council engagement"), items_for=scoring_items, order=63)],
        demo=_demo,
        benchmark=_benchmark,
    )
)
