"""Settings for the `manage.py run_worker` processes the kill tests start (tests/core/test_worker_kill.py): the test
settings with the database task backend, on the test's own database, media folder and email folder, which the test
passes in the environment."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["NAME"] = os.environ["KILL_TEST_DATABASE"]  # noqa: F405
MEDIA_ROOT = os.environ["KILL_TEST_MEDIA_ROOT"]
# Emails the worker sends itself (not through the queue) are written to files the kill tests read.
if os.environ.get("KILL_TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["KILL_TEST_EMAIL_DIR"]

# The kill tests tell their workers' sessions apart from their own, to wait for a killed worker's to end.
if os.environ.get("KILL_TEST_APPLICATION_NAME") and DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = os.environ["KILL_TEST_APPLICATION_NAME"]  # noqa: F405
