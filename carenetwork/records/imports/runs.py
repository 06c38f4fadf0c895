"""The services that drive an import: upload, check every row, and (when the person confirms) write.

An upload is checked in the background: nothing is written then. The person reads the report and confirms; the
file is then checked again (the register may have changed in between) and written in one transaction: in full, or
only its valid rows when the person chose that. Progress is saved every PROGRESS_EVERY rows for the run's page.
"""

import datetime
import logging
import os
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.forms import has_control_characters
from carenetwork.core.queue import enqueue_on_commit
from carenetwork.records.imports.layouts import ASCWDS, LAYOUTS, STAFF, TRAINING, recognise
from carenetwork.records.imports.parsing import FileTooLarge, UnreadableFile, check_upload, open_table
from carenetwork.records.imports.report import Report
from carenetwork.records.imports.staff import StaffImporter
from carenetwork.records.imports.training import TrainingImporter
from carenetwork.records.models import ImportRun
from carenetwork.records.permissions import can_manage_staff

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
IMPORTERS = {TRAINING: TrainingImporter, STAFF: StaffImporter}
IN_PROGRESS = (ImportRun.Status.VALIDATING, ImportRun.Status.IMPORTING)
# A run in progress that has not moved for this long has lost its worker: its page stops refreshing and says so.
STALLED_AFTER = datetime.timedelta(minutes=15)


def is_stalled(run: ImportRun) -> bool:
    """Whether a run in progress has stopped making progress."""
    return run.status in IN_PROGRESS and timezone.now() - run.modified_at > STALLED_AFTER


def import_run_create(*, actor, organisation, kind: str, upload) -> ImportRun:
    """Keep an uploaded staff or training file and check it in the background."""
    require(can_manage_staff(actor, organisation))
    if kind not in ImportRun.Kind.values:
        raise ValidationError({"kind": _("Choose what the file holds")})
    extension = check_upload(upload)
    run = ImportRun(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        original_name=os.path.basename(upload.name or "")[:255],
        status=ImportRun.Status.VALIDATING,
    )
    run.file.save(f"{secrets.token_hex(12)}{extension}", upload, save=False)
    run.save()
    from carenetwork.records.tasks_imports import import_check

    enqueue_on_commit(import_check, run.pk)
    return run


def import_run_confirm(*, actor, run: ImportRun, valid_only: bool) -> ImportRun:
    """Write a checked file: all of it when it has no errors, or only its valid rows when the person says so."""
    require(can_manage_staff(actor, run.organisation))
    allowed = [ImportRun.Status.READY, ImportRun.Status.INVALID] if valid_only else [ImportRun.Status.READY]
    if valid_only and not run.valid_rows:
        raise ValidationError(_("No row of this file is valid: correct the file and upload it again"))
    # The conditional update lets one confirmation through when the button is pressed twice.
    started = ImportRun.objects.filter(pk=run.pk, status__in=allowed).update(
        status=ImportRun.Status.IMPORTING, valid_only=valid_only, processed_rows=0, modified_at=timezone.now()
    )
    if not started:
        raise ValidationError(_("This file cannot be imported now: it has errors, or it is already being imported"))
    from carenetwork.records.tasks_imports import import_write

    enqueue_on_commit(import_write, run.pk)
    run.refresh_from_db()
    return run


def import_run_process(run_pk: int, *, write: bool) -> str:
    """Check (and, when `write`, import) a run's file; never raises, so a broken file cannot break the worker."""
    run = ImportRun.objects.select_related("organisation", "created_by").get(pk=run_pk)
    # A check acts only on a run being checked, a write only on one being imported: a check run again after its
    # worker died (`manage.py run_worker`) leaves alone a run the person has confirmed since.
    expected = ImportRun.Status.IMPORTING if write else ImportRun.Status.VALIDATING
    if run.status != expected:
        return run.status
    try:
        _process(run, write=write)
    except Exception:
        logger.exception("Import run %s failed", run_pk)
        ImportRun.objects.filter(pk=run_pk, status=expected).update(
            status=ImportRun.Status.FAILED, modified_at=timezone.now()
        )
        return ImportRun.Status.FAILED
    return ImportRun.objects.values_list("status", flat=True).get(pk=run_pk)


def _header_problems(run: ImportRun, header: list[str], report: Report):
    """The recognised layout, or None with the header's errors reported."""
    recognised = recognise(header)
    if recognised is None:
        if run.kind == TRAINING:
            message = _(
                "The first row must hold the column headings of an ASC-WDS training file "
                "(LOCALESTID, UNIQUEWORKERID, CATEGORY and so on) or of our training template"
            )
        else:
            message = _(
                "The first row must hold the column headings of an ASC-WDS staff file "
                "(LOCALESTID, UNIQUEWORKERID, STATUS and so on) or of our staff template"
            )
        report.error(1, "", message)
        return None
    layout = recognised.layout
    if layout.kind != run.kind:
        message = _("This looks like a staff file. Upload it again and choose “Staff register”")
        if layout.kind == TRAINING:
            message = _("This looks like a training file. Upload it again and choose “Training records”")
        report.error(1, "", message)
        return None
    for heading in recognised.missing:
        report.error(1, heading, _("this column is missing from the first row"))
    for heading in recognised.unknown:
        report.warning(1, heading, _("we do not use this column, so it is ignored"))
    return None if recognised.missing else recognised


def _process(run: ImportRun, *, write: bool) -> None:
    report = Report()
    with run.file.open("rb") as stored:
        data = stored.read()
    try:
        table = open_table(data, os.path.splitext(run.file.name)[1].lower())
        recognised = _header_problems(run, table.header, report)
    except FileTooLarge as error:
        recognised = None
        report.error(1, "", str(error))
    except UnreadableFile:
        recognised = None
        report.error(
            1, "", _("We could not read this file. Save it as CSV or XLSX from your spreadsheet and try again")
        )
    if recognised is None:
        _finish(run, report, status=ImportRun.Status.INVALID, processed=0, valid=0, summary={})
        return
    ImportRun.objects.filter(pk=run.pk).update(
        total_rows=table.estimated_rows,
        processed_rows=0,
        file_format=recognised.layout.code,
        modified_at=timezone.now(),
    )
    run.file_format = recognised.layout.code
    table.exact = recognised.layout.code == ASCWDS  # ASC-WDS's cells are data exactly (see parsing.Table)
    importer = IMPORTERS[run.kind](organisation=run.organisation, recognised=recognised, report=report)
    items, processed, valid = [], 0, 0
    try:
        for number, cells in table.rows:
            errors_before = report.errors
            # Checked here, where both the check and the write read every row, so that a cell the database or a
            # spreadsheet export cannot hold (NUL, a vertical tab) fails the check rather than the write.
            item = importer.check(number, cells) if _plain_text(number, cells, table.header, report) else None
            processed += 1
            valid += report.errors == errors_before
            if item is not None:
                items.append(item)
            if processed % PROGRESS_EVERY == 0:
                ImportRun.objects.filter(pk=run.pk).update(
                    processed_rows=processed,
                    total_rows=max(table.estimated_rows, processed),
                    modified_at=timezone.now(),
                )
    except FileTooLarge as error:
        report.error(processed + 2, "", str(error))
    except UnreadableFile:
        report.error(processed + 2, "", _("We could not read the file from this row on. Save it again and try again"))
    if not processed and not report.errors:
        report.error(2, "", _("The file has no rows under the column headings"))
    summary = {"format": recognised.layout.name, "to_write": len(items), **importer.summary()}
    if not write or (report.errors and not run.valid_only):
        status = ImportRun.Status.INVALID if report.errors else ImportRun.Status.READY
        _finish(run, report, status=status, processed=processed, valid=valid, summary=summary)
        return
    with transaction.atomic():
        # Written in one transaction: a worker killed in the middle of it has written nothing, and its task is run
        # again (`manage.py run_worker`). The run's row, locked and read again here, lets one write through only.
        importing = ImportRun.objects.select_for_update().filter(pk=run.pk, status=ImportRun.Status.IMPORTING)
        if not importing.values_list("pk", flat=True):
            return
        written = importer.write(items, run=run, actor=run.created_by)
        summary.update(written)
        _finish(run, report, status=ImportRun.Status.DONE, processed=processed, valid=valid, summary=summary)
        audit.record(
            actor=run.created_by,
            action="import_run.imported",
            obj=run,
            organisation=run.organisation,
            changes={
                "kind": run.kind,
                "file": run.original_name,
                "format": run.file_format,
                "rows": processed,
                "valid_only": run.valid_only,
                **written,
            },
        )


def _plain_text(number: int, cells: list[str], header: list[str], report: Report) -> bool:
    """Whether every cell of the row is free of control characters; an error for each cell that is not."""
    bad = [i for i, cell in enumerate(cells) if has_control_characters(cell)]
    for i in bad:
        report.error(
            number,
            header[i] if i < len(header) else "",
            _("remove the hidden characters (such as tabs or codes copied from another program) from this cell"),
        )
    return not bad


def _finish(run: ImportRun, report: Report, *, status: str, processed: int, valid: int, summary: dict) -> None:
    """Record the outcome, unless the run has moved on from the status this check or write acts on."""
    report.save_file(run)
    ImportRun.objects.filter(pk=run.pk, status=run.status).update(
        status=status,
        total_rows=processed,
        processed_rows=processed,
        valid_rows=valid,
        error_count=report.errors,
        warning_count=report.warnings,
        created_count=summary.get("created", 0),
        report=report.as_json(**summary),
        file_format=run.file_format,
        finished_at=timezone.now() if status == ImportRun.Status.DONE else None,
    )


def layout_names() -> list[str]:
    """The names of the layouts we read, for the upload page."""
    return [layout.name for layout in LAYOUTS]
