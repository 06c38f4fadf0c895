"""The delete_files task (carenetwork.core.tasks): files nothing names any more go; one the storage will not delete
is tried again later, and after DELETE_ATTEMPTS the task fails, saying how many, never which."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carenetwork.core.tasks import DELETE_ATTEMPTS, FilesNotDeleted, delete_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(settings, tmp_path):
    """A file that deletes, and a folder holding a file, which the storage cannot delete as one."""
    settings.MEDIA_ROOT = str(tmp_path)
    gone = default_storage.save("certificates/gone.pdf", ContentFile(b"%PDF"))
    default_storage.save("stuck/inside.pdf", ContentFile(b"%PDF"))
    return gone, "stuck"


def test_files_are_deleted_and_a_missing_one_is_no_error(files):
    gone, _stuck = files
    assert delete_files.call([gone, "certificates/never-there.pdf"]) == 1
    assert not default_storage.exists(gone)


def test_a_file_that_will_not_go_is_tried_again_an_hour_later_without_its_name_in_the_log(settings, files, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gone, stuck = files

    assert delete_files.call([gone, stuck]) == 1

    [again] = DBTaskResult.objects.all()
    assert again.args_kwargs == {"args": [[stuck]], "kwargs": {"attempt": 2}}
    assert again.run_after > timezone.now() + datetime.timedelta(minutes=59)
    assert "Could not delete 1 of 2 files (attempt 1)" in caplog.text and stuck not in caplog.text


def test_after_the_last_attempt_the_task_fails(settings, files):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _gone, stuck = files
    with pytest.raises(FilesNotDeleted, match=f"1 files could not be deleted after {DELETE_ATTEMPTS} attempts"):
        delete_files.call([stuck], attempt=DELETE_ATTEMPTS)
    assert not DBTaskResult.objects.exists()
