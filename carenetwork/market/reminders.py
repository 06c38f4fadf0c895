"""Reminding providers of the month's capacity returns: from the window's last day (the 14th unless changed), each
provider with services not yet returned is emailed once that month."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.email import absolute_url, send_templated
from carenetwork.market.models import MarketSettings, ReturnReminder
from carenetwork.market.returns import returning_locations, this_month
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients


def return_reminders_send(*, today: datetime.date | None = None) -> int:
    """Email each provider with services not returned this month, once; the number reminded."""
    today = today or timezone.localdate()
    if today.day < MarketSettings.current().return_closes:
        return 0
    month = this_month(today)
    due = (
        returning_locations()
        .exclude(capacity_returns__month=month)
        .exclude(organisation__in=ReturnReminder.objects.filter(month=month).values("organisation"))
        .values_list("organisation", flat=True)
        .distinct()
    )
    return sum(_remind(org_id, month) for org_id in sorted(set(due)))


def _remind(org_id: int, month: datetime.date) -> int:
    try:
        with transaction.atomic():
            # The unique reminder row makes two overlapping runs of the job send one email.
            ReturnReminder.objects.create(organisation_id=org_id, month=month)
            organisation = Organisation.objects.get(pk=org_id)
            missing = list(
                returning_locations()
                .filter(organisation=organisation)
                .exclude(capacity_returns__month=month)
                .values_list("name", flat=True)
            )
            send_templated(
                to=organisation_recipients(organisation),
                template="market/email/return_reminder",
                context={
                    "organisation": organisation,
                    "month": f"{month:%B %Y}",
                    "services": missing,
                    "url": absolute_url(reverse("market:returns")),
                },
            )
    except IntegrityError:
        return 0
    return 1
