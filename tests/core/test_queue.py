"""`enqueue_on_commit`: with the database queue the task row is part of the caller's transaction (it commits or
rolls back with the data); with the immediate backend the task waits for the commit, and a rollback sends nothing."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.tasks import send_email

pytestmark = pytest.mark.django_db

EMAIL = {"to": ["someone@example.org"], "subject": "Hello", "body": "Hello"}


class RolledBack(Exception):
    pass


def test_with_the_database_queue_the_task_is_written_in_the_callers_transaction(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RolledBack), transaction.atomic():
        enqueue_on_commit(send_email, **EMAIL)
        assert DBTaskResult.objects.count() == 1  # already there, before any commit
        raise RolledBack
    assert not DBTaskResult.objects.exists()  # gone with the work that asked for it

    with transaction.atomic():
        enqueue_on_commit(send_email, **EMAIL)
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["kwargs"] == EMAIL


def test_with_the_immediate_backend_the_task_runs_after_the_commit_and_never_after_a_rollback(
    mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(RolledBack), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(send_email, **EMAIL)
        raise RolledBack
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(send_email, **EMAIL)
        assert mailoutbox == []  # not before the commit
    assert [message.to for message in mailoutbox] == [EMAIL["to"]]
