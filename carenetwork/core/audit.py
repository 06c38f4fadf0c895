"""Writing the audit trail. Services call `record` for every change to a shared record."""

from django.db import models
from django.forms.models import model_to_dict

from carenetwork.core.models import AuditEvent


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The named fields of an instance as JSON-safe values, for comparing before and after."""
    data = model_to_dict(instance, fields=fields)
    return {
        k: (sorted(str(x.pk if hasattr(x, "pk") else x) for x in v) if isinstance(v, list) else _plain(v))
        for k, v in data.items()
    }


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as {field: [old, new]}."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    *, actor, action: str, obj: models.Model, organisation=None, changes: dict | None = None, label: str = ""
) -> AuditEvent:
    """Add one event to the audit trail; `label` stands for the object where its name is personal data."""
    # A person acting through an API token carries the token's description (set by the API's authentication).
    via = getattr(actor, "acting_via", "")
    return AuditEvent.objects.create(
        via=via[:255],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=(label or str(obj))[:255],
        organisation=organisation,
        changes=changes or {},
    )
