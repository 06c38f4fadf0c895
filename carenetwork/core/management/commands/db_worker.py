"""manage.py db_worker is run_worker here: every worker holds its liveness lock, however it is started.

A plain django-tasks-db worker holds none, so run_worker's recovery would take the tasks it is running for a dead
worker's and run them again. `carenetwork.core` comes before `django_tasks_db` in INSTALLED_APPS, so this command
is the one Django finds under that name (older units, and the package's own documentation, say db_worker)."""

from carenetwork.core.management.commands.run_worker import Command as Command
