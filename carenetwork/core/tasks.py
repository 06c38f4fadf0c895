"""Background tasks shared by every app."""

import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from carenetwork.core import history

logger = logging.getLogger(__name__)
DELETE_ATTEMPTS = 5


class FilesNotDeleted(Exception):
    """Stored files the storage would not delete, after every attempt."""


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
def delete_files(names: list[str], attempt: int = 1) -> int:
    """Delete stored files that no row names any more; how many went. Queued with the change that let go of them
    (carenetwork.core.queue), so that a crash after the commit cannot leave them behind; safe to run again.

    Nothing else remembers these files, so a file the storage would not delete (a locked file, S3 unreachable) is
    tried again an hour later, up to DELETE_ATTEMPTS times, then the task fails and says how many are left. The log
    never names them: a file's name may hold a person's."""
    deleted, left = 0, []
    for name in names:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
                deleted += 1
        except Exception:
            left.append(name)
    if left:
        logger.warning("Could not delete %d of %d files (attempt %d)", len(left), len(names), attempt)
        if attempt >= DELETE_ATTEMPTS or not delete_files.get_backend().supports_defer:
            raise FilesNotDeleted(f"{len(left)} files could not be deleted after {attempt} attempts")
        later = timezone.now() + datetime.timedelta(hours=1)
        delete_files.using(run_after=later).enqueue(left, attempt=attempt + 1)
    return deleted
