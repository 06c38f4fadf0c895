"""Telling members a version of the market position statement is published: one email each, through one
connection, each marked sent in the transaction that sends it (a worker killed part way through leaves the rest to
the rerun, and at most the one email in flight is sent twice)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from carenetwork.core.email import absolute_url
from carenetwork.market.models import StatementEmail, StatementVersion
from carenetwork.organisations.models import Membership


def statement_published_send(version_id: int) -> int:
    """Email each active member not yet told, once (by address); the number of emails sent."""
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
    told = set(StatementEmail.objects.filter(version=version).values_list("user__email", flat=True))
    recipients = {}  # address: the member (the first by id) whose mark stands for it
    for user_id, address in (
        Membership.objects.active()
        .filter(user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", "user__email")
    ):
        if address not in told:
            recipients.setdefault(address, user_id)
    sent = 0
    with get_connection() as connection:
        for address, user_id in sorted(recipients.items()):
            try:
                with transaction.atomic():
                    # The unique mark makes a rerun, or two overlapping runs, send one email to each member.
                    StatementEmail.objects.create(version=version, user_id=user_id)
                    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
                    sent += connection.send_messages([message]) or 0
            except IntegrityError:
                continue
    return sent
