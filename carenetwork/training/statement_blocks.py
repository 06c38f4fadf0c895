"""Training's live block for the market position statement: the training offer, by category, for the next six
months (counts only: the statement is public)."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from carenetwork.core.registry import BlockFigures, StatementBlock
from carenetwork.records.models import TrainingCategory
from carenetwork.training.catalogue import UPCOMING
from carenetwork.training.models import Course

AHEAD = datetime.timedelta(days=183)


def training_offer_block() -> BlockFigures:
    """Per training category: upcoming runs of approved courses and their places, soonest six months (one query)."""
    now = timezone.now()
    runs = Q(
        courses__status=Course.Status.APPROVED,
        courses__runs__status__in=UPCOMING,
        courses__runs__starts_at__gte=now,
        courses__runs__starts_at__lt=now + AHEAD,
    )
    categories = (
        TrainingCategory.objects.annotate(
            runs=Count("courses__runs", filter=runs, distinct=True),
            places=Sum("courses__runs__capacity", filter=runs),
        )
        .filter(runs__gt=0)
        .order_by("name")
        .values_list("name", "runs", "places")
    )
    return BlockFigures(
        title=_("Training offer for the next six months"),
        header=[_("Training"), _("Courses running"), _("Places")],
        rows=[[name, runs, places] for name, runs, places in categories],
        notes=[_("Prices fall as more providers buy places: see the training courses page when signed in.")],
    )


BLOCKS = [StatementBlock("training-offer", _l("Training offer"), training_offer_block)]
