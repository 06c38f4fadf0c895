"""Records' live block for the market position statement: the skills gap, the training the borough's care staff most
lack (counts and shares only: the statement is public)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from carenetwork.core.registry import BlockFigures, StatementBlock
from carenetwork.records.skills import largest_gaps

SHOWN = 10


def skills_gap_block() -> BlockFigures:
    rows = [
        [row.category.name, row.counts.required, row.counts.gap, row.counts.share_in_date]
        for row in largest_gaps(limit=SHOWN)
    ]
    return BlockFigures(
        title=_("Skills gap: the training staff most lack"),
        header=[_("Training"), _("Staff who need it"), _("Missing or expired"), _("In date (%)")],
        rows=rows,
        notes=[_("From the training records of member providers' current staff.")],
    )


BLOCKS = [StatementBlock("skills-gap", _l("Skills gap"), skills_gap_block)]
