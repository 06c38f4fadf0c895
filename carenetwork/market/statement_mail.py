"""Telling members a version of the market position statement is published: one email each, through one connection."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from carenetwork.core.email import absolute_url
from carenetwork.market.models import StatementVersion
from carenetwork.organisations.models import Membership

BATCH = 200


def statement_published_send(version_id: int) -> int:
    """Email each active member once (by address); the number of emails sent."""
    version = StatementVersion.objects.get(pk=version_id)
    context = {
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "version": version,
        "url": absolute_url(reverse("market:statement-version", args=[version.number])),
        "compare_url": absolute_url(reverse("market:statement-compare"))
        + f"?older={version.number - 1}&newer={version.number}",
    }
    subject = " ".join(render_to_string("market/email/statement_published_subject.txt", context).split())
    body = render_to_string("market/email/statement_published_body.txt", context)
    addresses = sorted(
        set(
            Membership.objects.active()
            .filter(user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    sent = 0
    with get_connection() as connection:
        for start in range(0, len(addresses), BATCH):
            messages = [
                EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
                for address in addresses[start : start + BATCH]
            ]
            sent += connection.send_messages(messages) or 0
    return sent
