"""Every write of the market: its settings (council administrators; audited)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.market.demand import council_area
from carenetwork.market.models import MarketSettings
from carenetwork.market.permissions import can_manage_market_settings

SETTINGS_FIELDS = [
    "area_codes",
    "hhi_amber",
    "hhi_red",
    "share_amber",
    "share_red",
    "return_opens",
    "return_closes",
    "mailbox",
]


@transaction.atomic
def market_settings_save(*, actor, data: dict) -> MarketSettings:
    """Change the council's area and the sustainability thresholds; each code must be one the ONS lookup knows."""
    require(can_manage_market_settings(actor))
    obj = MarketSettings.objects.select_for_update().get(pk=MarketSettings.current().pk)
    before = audit.snapshot(obj, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    obj.area_codes = ", ".join(c.strip().upper() for c in obj.area_codes.replace(",", " ").split())
    errors = {}
    unknown = council_area(obj.area_codes).unknown
    if unknown:
        errors["area_codes"] = _(
            "%(codes)s is not a code in the ONS area lookup. Enter a council's code such as E09000016, "
            "or load the lookup first (manage.py import_population)"
        ) % {"codes": ", ".join(unknown)}
    if obj.hhi_red < obj.hhi_amber:
        errors["hhi_red"] = _("Red must start at or above amber")
    if obj.share_red < obj.share_amber:
        errors["share_red"] = _("Red must start at or above amber")
    if obj.return_closes < obj.return_opens:
        errors["return_closes"] = _("The day returns are due must be on or after the day they open")
    if errors:
        raise ValidationError(errors)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="market_settings.updated",
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, SETTINGS_FIELDS)),
    )
    return obj
