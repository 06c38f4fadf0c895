"""Removing the names partners typed for delegates once the run is past the council's retention period.

Delegates from a staff register are removed with the register (records.retention); a partner types a name instead,
which is kept on the delegate. The records app's daily removal runs this step with the same rule: a run that ended
on or before the last day whose retention period has ended loses those names (the places and ratings stay, for the
counts).
"""

import datetime

from carenetwork.training.models import Delegate


def delegate_names_remove(last_day: datetime.date) -> int:
    """Clear the typed names of delegates on runs that ended on or before `last_day`; how many it cleared."""
    return Delegate.objects.filter(interest__run__ends_at__date__lte=last_day).exclude(name="").update(name="")
