"""The portal's own home-page panels: what organisations need of the person (requests to join, admins missing)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carenetwork.core.registry import Attention, Panel
from carenetwork.organisations import permissions, selectors
from carenetwork.organisations.models import ADMIN_ROLES, JoinRequest


def join_request_items(user) -> list[Attention]:
    """Requests to join the organisations the person is an admin of, waiting for a decision (one query)."""
    admin_of = [m.organisation_id for m in permissions.active_memberships(user) if m.role in ADMIN_ROLES]
    if not admin_of:
        return []
    found = JoinRequest.objects.filter(organisation_id__in=admin_of, status=JoinRequest.Status.PENDING).aggregate(
        n=Count("pk"), organisations=Count("organisation", distinct=True), first=Min("organisation")
    )
    n = found["n"]
    organisation = found["first"] if found["organisations"] == 1 else admin_of[0]
    text = ngettext("%(n)s request to join waiting for you", "%(n)s requests to join waiting for you", n) % {"n": n}
    return [Attention(text, n, reverse("organisations:members", args=[organisation]))]


def without_admin_items(user) -> list[Attention]:
    """For council administrators: organisations with no active admin (one query)."""
    if not permissions.can_view_admin_reports(user):
        return []
    n = selectors.organisations_without_admin_for(user=user).count()
    text = ngettext("%(n)s organisation with no active admin", "%(n)s organisations with no active admin", n) % {"n": n}
    return [Attention(text, n, reverse("organisations:without-admin"))]


PANELS = [
    Panel(title=_("Your organisations"), items_for=join_request_items, order=5),
    Panel(title=_("Organisations"), items_for=without_admin_items, order=50),
]
