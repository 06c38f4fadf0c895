"""Composing emails from templates and queueing them with the transaction (carenetwork.core.queue)."""

from django.conf import settings
from django.template.loader import render_to_string

from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.tasks import send_email


def send_templated(
    *,
    to: list[str],
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` and send them if the transaction commits.

    `attachments` are (filename, text content, mimetype): task arguments must be JSON, so text only.
    """
    context = {"service_name": settings.COUNCIL_SERVICE_NAME, "council_name": settings.COUNCIL_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    recipients = [address for address in to if address]
    if not recipients:
        return
    extra = {"attachments": [list(a) for a in attachments]} if attachments else {}
    enqueue_on_commit(send_email, to=recipients, subject=subject, body=body, reply_to=reply_to, **extra)


def absolute_url(path: str) -> str:
    """The full address of a page, for links in emails."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
