"""Background work for staff and training imports: checking a file, and writing it once the person confirms.

Both run through django-tasks (`import_check.enqueue(run.pk)`): inline with the immediate backend in development
and tests, in the database worker in production.
"""

from django_tasks import task

from carenetwork.records.imports.runs import import_run_process


@task()
def import_check(run_pk: int) -> str:
    """Check every row of an uploaded file and report errors and warnings; write nothing."""
    return import_run_process(run_pk, write=False)


@task()
def import_write(run_pk: int) -> str:
    """Check the file again and write it: in full, or its valid rows only when the person chose that."""
    return import_run_process(run_pk, write=True)
