"""Removing leavers' personal data once the council's retention period has passed.

A leaver's name, reference, email address and account link are cleared, and their training records lose notes,
certificate files and the free text that may name people (training names, and provider names that are not from
ASC-WDS's list). The rows stay, with their categories and dates, so the counts in reports and the skills snapshots
are unchanged. Running it again removes nothing more.

Other apps keep personal data under the same rule (training: the names partners type for delegates) and register a
step here, so that one daily job removes everything due (`retention_step_register`).
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from carenetwork.core import audit
from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.tasks import delete_files
from carenetwork.records.models import ImportRun, RecordsSettings, StaffMember, TrainingRecord
from carenetwork.records.rules import add_months

CHUNK = 500
REMOVED = "records.leavers_data_removed"
IMPORT_FILE_DAYS = 30
# name -> step(last_day) -> how many it removed; the step removes what ended on or before last_day.
STEPS: dict[str, Callable[[datetime.date], int]] = {}


def retention_step_register(name: str, step: Callable[[datetime.date], int]) -> None:
    """Have the daily removal also run `step` with the last day whose retention period has ended."""
    STEPS[name] = step


def last_leaving_date_due(today: datetime.date, months: int) -> datetime.date:
    """The latest leaving date whose retention period ended before today: leaving date + months < today.

    Adding months is monotonic (31 January + 1 month is 28/29 February), so the leavers due are exactly those who
    left on or before this date, and one indexed query finds them.
    """
    day = add_months(today, -months)
    while add_months(day, months) >= today:
        day -= datetime.timedelta(days=1)
    while add_months(day + datetime.timedelta(days=1), months) < today:
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def leavers_data_remove(*, today: datetime.date | None = None) -> int:
    """Remove the personal data of every leaver past the retention period; how many people it removed."""
    today = today or timezone.localdate()
    settings_row = RecordsSettings.current()
    cutoff = last_leaving_date_due(today, settings_row.retention_months)
    due = StaffMember.objects.filter(leaving_date__lte=cutoff, personal_data_removed_at__isnull=True)
    ids = list(due.values_list("pk", flat=True))
    files = []
    now = timezone.now()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        StaffMember.objects.filter(pk__in=chunk).update(
            name="", reference="", email="", user=None, personal_data_removed_at=now
        )
        records = TrainingRecord.objects.filter(staff_id__in=chunk)
        files += [name for name in records.exclude(certificate="").values_list("certificate", flat=True) if name]
        records.exclude(notes="", certificate="", training_name="").update(
            notes="", certificate="", certificate_content_type="", training_name=""
        )
        # A provider name with an ASC-WDS code is that list's name; any other was typed and may name a person.
        records.filter(provider_code__isnull=True).exclude(provider_name="").update(provider_name="")
    others = {name: [None, step(cutoff)] for name, step in STEPS.items()}
    audit.record(
        actor=None,
        action=REMOVED,
        obj=settings_row,
        changes={
            "people": [None, len(ids)],
            "left_on_or_before": [None, cutoff.isoformat()],
            "certificates": [None, len(files)],
            **others,
        },
    )
    files += _import_files_expire(today)
    # Files go only once the database no longer points at them: the deletion is queued with this transaction.
    if files:
        enqueue_on_commit(delete_files, files)
    return len(ids)


def _import_files_expire(today: datetime.date) -> list[str]:
    """Uploaded import files and their reports hold names: after IMPORT_FILE_DAYS they and the report's messages go.

    The run stays with its counts, so the provider still sees what was imported when; a file checked but never
    imported can no longer be, and is marked cancelled.
    """
    # Every run, stalled ones too: a run still "in progress" after 30 days lost its worker long ago.
    old = ImportRun.objects.filter(created_at__date__lt=today - datetime.timedelta(days=IMPORT_FILE_DAYS)).exclude(
        file=""
    )
    names = []
    for run in old:
        names += [run.file.name, f"{run.file.name}.report.csv"]
        if isinstance(run.report, dict):
            run.report.pop("messages", None)
        if run.status == ImportRun.Status.READY:
            run.status = ImportRun.Status.CANCELLED
        elif run.status in (ImportRun.Status.VALIDATING, ImportRun.Status.IMPORTING):
            run.status = ImportRun.Status.FAILED
        run.file = ""
        run.save(update_fields=["file", "report", "status"])
    return names
