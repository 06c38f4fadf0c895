"""Reading a provider's imports: only its admins see them."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from carenetwork.core.access import require
from carenetwork.records.models import ImportRun
from carenetwork.records.permissions import can_manage_staff


def import_run_list_for(*, user, organisation) -> QuerySet[ImportRun]:
    """The organisation's imports, newest first, without their reports."""
    require(can_manage_staff(user, organisation))
    return (
        ImportRun.objects.filter(organisation=organisation)
        .select_related("created_by")
        .defer("report")
        .order_by("-created_at", "-pk")
    )


def import_run_get_for(*, user, organisation, pk: int) -> ImportRun:
    """One of the organisation's imports (404 for another organisation's)."""
    require(can_manage_staff(user, organisation))
    return get_object_or_404(ImportRun.objects.select_related("created_by"), organisation=organisation, pk=pk)
