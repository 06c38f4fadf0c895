"""The council's brokerage settings: the partner margin for new runs, how long partners have, when delegates are
reminded. Council administrators change them; every change is audited."""

from django.db import transaction

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.training.models import BrokerageSettings
from carenetwork.training.permissions import can_manage_brokerage_settings

SETTINGS_FIELDS = ["partner_margin", "partner_days", "reminder_days"]


@transaction.atomic
def brokerage_settings_save(*, actor, data: dict) -> BrokerageSettings:
    """Change the brokerage settings (council administrators); runs already created keep their own margin."""
    require(can_manage_brokerage_settings(actor))
    current = BrokerageSettings.current()
    # Read the row afresh and locked: a bound ModelForm has already copied the new values onto its instance.
    obj = BrokerageSettings.objects.select_for_update().get(pk=current.pk)
    before = audit.snapshot(obj, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="brokerage_settings.updated",
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, SETTINGS_FIELDS)),
    )
    return obj
