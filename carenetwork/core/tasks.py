"""Background tasks shared by every app."""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from carenetwork.core import history

logger = logging.getLogger(__name__)


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


@task()
def delete_files(names: list[str]) -> int:
    """Delete stored files that no row names any more; how many went. Queued with the change that let go of them
    (carenetwork.core.queue), so that a crash after the commit cannot leave them behind; safe to run again."""
    deleted = 0
    for name in names:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
        except OSError:  # a locked file must not stop the rest; it is unreferenced either way
            logger.warning("Could not delete the file %s", name)
    return deleted
