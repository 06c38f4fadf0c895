"""What needs a provider admin's attention in their staff's training, for the portal's home page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carenetwork.core.registry import Attention, Panel
from carenetwork.organisations.models import Organisation, Role
from carenetwork.organisations.permissions import active_memberships
from carenetwork.records import selectors
from carenetwork.records.rules import Status


def admin_providers(user) -> list[Organisation]:
    """The care providers the person is an admin of (from the memberships already read for the request)."""
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == Organisation.Kind.PROVIDER and m.role == Role.ADMIN
    ]


def staff_training_items(user) -> list[Attention]:
    """For each provider the person is an admin of: staff with required training expired, or expiring soon.

    Two queries per provider (its mandatory set, then the counts), none per person or record.
    """
    providers = admin_providers(user)
    if not providers:
        return []
    items = []
    window = selectors.reminder_window()
    for organisation in providers:
        matrix = reverse("records:matrix", args=[organisation.pk])
        counts = selectors.staff_status_counts(
            user=user, organisation=organisation, statuses=[Status.EXPIRED, Status.EXPIRING], window=window
        )
        n_expired, n_expiring = counts[Status.EXPIRED], counts[Status.EXPIRING]
        items += [
            Attention(
                ngettext(
                    "%(n)s person at %(org)s has required training expired",
                    "%(n)s people at %(org)s have required training expired",
                    n_expired,
                )
                % {"n": n_expired, "org": organisation.name},
                n_expired,
                f"{matrix}?status={Status.EXPIRED}",
            ),
            Attention(
                ngettext(
                    "%(n)s person at %(org)s has required training expiring within %(days)s days",
                    "%(n)s people at %(org)s have required training expiring within %(days)s days",
                    n_expiring,
                )
                % {"n": n_expiring, "org": organisation.name, "days": window},
                n_expiring,
                f"{matrix}?status={Status.EXPIRING}",
            ),
        ]
    return items


PANELS = [Panel(title=_("Your staff's training"), items_for=staff_training_items, order=10)]
