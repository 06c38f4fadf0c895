"""Template helpers for the fair cost of care: the bars of a breakdown's chart (each line's share of the total)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Bar:
    label: str
    amount: Decimal
    share: str  # for reading: "38%", "less than 1%"
    width: int  # whole percent of the chart's width: the app-bar-chart__bar--<width> class (no style attributes)


@register.filter
def chart_bars(breakdown) -> list[Bar]:
    """One bar a line of the breakdown, as a share of its total; a line above nothing shows at least a sliver."""
    total = breakdown.total
    bars = []
    for line in breakdown.lines:
        percent = line.amount * 100 / total if total > 0 else Decimal(0)
        whole = int(percent.quantize(Decimal(1), ROUND_HALF_UP))
        if 0 < percent < Decimal("0.5"):
            share = _("less than 1%")
        else:
            share = f"{whole}%"
        bars.append(Bar(line.label, line.amount, share, max(whole, 1) if line.amount > 0 else 0))
    return bars
