"""Composing emails from templates and sending them after the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from carenetwork.core.tasks import send_email


def send_templated(
    *,
    to: list[str],
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and send once the transaction commits.

    `attachments` are (filename, text content, mimetype): task arguments must be JSON, so text only.
    """
    context = {"service_name": settings.COUNCIL_SERVICE_NAME, "council_name": settings.COUNCIL_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    recipients = [address for address in to if address]
    if not recipients:
        return
    extra = {"attachments": [list(a) for a in attachments]} if attachments else {}
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, subject=subject, body=body, reply_to=reply_to, **extra)
    )


def absolute_url(path: str) -> str:
    """The full address of a page, for links in emails."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
