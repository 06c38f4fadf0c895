"""Every write of the council's rates (council administrators; audited). A rate changes by adding one from a later
date, so that the fee-gap page can compare what was paid on any day; a mistake is corrected in place, audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.costofcare import permissions
from carenetwork.costofcare.models import CouncilRate

SAME_DAY = _("There is already a rate for this service from this date: change that one")
RATE_FIELDS = ["service_type", "source", "effective_from", "rate", "weekly_volume", "note"]


def council_rate_save(*, actor, data: dict, council_rate: CouncilRate | None = None) -> CouncilRate:
    """Add a rate (no `council_rate`) or correct one."""
    require(actor is None or permissions.can_manage_assumptions(actor))
    with transaction.atomic():
        obj = council_rate or CouncilRate(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        before = audit.snapshot(obj, RATE_FIELDS) if obj.pk else None
        for name in RATE_FIELDS:
            if name in data:
                setattr(obj, name, data[name])
        for name in ("rate", "weekly_volume"):  # as stored, so that the audit shows only real changes
            places = CouncilRate._meta.get_field(name).decimal_places
            if getattr(obj, name) is not None:
                setattr(obj, name, Decimal(getattr(obj, name)).quantize(Decimal(1).scaleb(-places)))
        clash = CouncilRate.objects.filter(
            service_type=obj.service_type, source=obj.source, effective_from=obj.effective_from
        ).exclude(pk=obj.pk)
        if clash.exists():
            raise ValidationError({"effective_from": SAME_DAY})
        obj.full_clean()
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as clashed:  # the same rate added twice at once: the second is told as above
            raise ValidationError({"effective_from": SAME_DAY}) from clashed
        if before is None:
            audit.record(actor=actor, action="council_rate.created", obj=obj, changes=audit.snapshot(obj, RATE_FIELDS))
        else:
            changes = audit.diff(before, audit.snapshot(obj, RATE_FIELDS))
            audit.record(actor=actor, action="council_rate.updated", obj=obj, changes=changes)
    return obj
