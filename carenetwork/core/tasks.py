"""Background tasks shared by every app."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from carenetwork.core import history


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send one plain-text email through the configured mail backend, with any (filename, text, mimetype)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to or None
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


@task()
def prune_history() -> dict[str, int]:
    """Delete finished tasks and settled scheduled runs older than TASK_HISTORY_DAYS (carenetwork.core.history)."""
    return history.prune_history()
