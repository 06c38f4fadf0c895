"""Provider pages for importing and exporting staff registers and training records. Provider admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.core.csv import csv_response, xlsx_response
from carenetwork.core.forms_errors import submitted
from carenetwork.organisations.selectors import organisation_get_for
from carenetwork.records import exports
from carenetwork.records.forms_imports import ExportForm, ImportForm
from carenetwork.records.imports import runs
from carenetwork.records.imports.report import report_file_name
from carenetwork.records.imports.selectors import import_run_get_for, import_run_list_for
from carenetwork.records.models import ImportRun
from carenetwork.records.permissions import can_manage_staff

MESSAGES_PAGE_SIZE = 100
# What the export form offers: the rows, the file name's label and the XLSX sheet's name.
EXPORTS = {
    ExportForm.TRAINING_ASCWDS: (exports.ascwds_training_rows, "training-ascwds", "Training"),
    ExportForm.TRAINING_TEMPLATE: (exports.template_training_rows, "training", "Training"),
    ExportForm.STAFF_TEMPLATE: (exports.staff_rows, "staff", "Staff"),
}
POLL_SECONDS = 2
# How many of the people left out of the ASC-WDS file the export page names.
LEFT_OUT_SHOWN = 50


def _organisation(request, pk):
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(can_manage_staff(request.user, organisation))
    return organisation


def _file_name(organisation, what: str, extension: str) -> str:
    return f"{slugify(organisation.name)}-{what}-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def import_start(request, pk):
    """Upload a staff or training file; download templates; earlier imports."""
    organisation = _organisation(request, pk)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    run = submitted(
        request,
        form,
        lambda data: runs.import_run_create(
            actor=request.user, organisation=organisation, kind=data["kind"], upload=data["upload"]
        ),
        error_field="upload",
    )
    if run:
        return redirect("records:import-detail", pk=organisation.pk, run_pk=run.pk)
    page = Paginator(import_run_list_for(user=request.user, organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "records/imports/start.html",
        {"organisation": organisation, "form": form, "page": page, "query": ""},
    )


@login_required
def import_detail(request, pk, run_pk):
    """One import: its progress while it runs, then its report and what the person can do next."""
    organisation = _organisation(request, pk)
    run = import_run_get_for(user=request.user, organisation=organisation, pk=run_pk)
    report = run.report if isinstance(run.report, dict) else {}
    page = Paginator(report.get("messages", []), MESSAGES_PAGE_SIZE).get_page(request.GET.get("page"))
    in_progress = run.status in runs.IN_PROGRESS
    stalled = runs.is_stalled(run)
    # The page never reloads itself (WCAG 2.2.2): with JavaScript the progress bar follows import-progress in
    # place and the person can pause it; without, they ask for the latest figure with a link.
    return render(
        request,
        "records/imports/detail.html",
        {
            "organisation": organisation,
            "run": run,
            "report": report,
            "page": page,
            "query": "",
            "in_progress": in_progress,
            "stalled": stalled,
            "percent": _percent(run),
            "poll_seconds": POLL_SECONDS,
            "can_import_valid_rows": run.status == ImportRun.Status.INVALID and report.get("to_write", 0) > 0,
        },
    )


def _percent(run: ImportRun) -> int:
    return min(100, run.processed_rows * 100 // run.total_rows) if run.total_rows else 0


@login_required
@require_POST
def import_confirm(request, pk, run_pk):
    """Import a checked file: all of it, or only its valid rows."""
    organisation = _organisation(request, pk)
    run = import_run_get_for(user=request.user, organisation=organisation, pk=run_pk)
    try:
        runs.import_run_confirm(actor=request.user, run=run, valid_only=request.POST.get("valid_only") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("records:import-detail", pk=organisation.pk, run_pk=run.pk)


@login_required
def import_progress(request, pk, run_pk):
    """Where an import is, for a page that polls it."""
    organisation = _organisation(request, pk)
    run = import_run_get_for(user=request.user, organisation=organisation, pk=run_pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "processed_rows": run.processed_rows,
            "total_rows": run.total_rows,
            "percent": _percent(run),
            "finished": run.status not in runs.IN_PROGRESS,
        }
    )


@login_required
def import_report(request, pk, run_pk):
    """Every error and warning of an import, as CSV."""
    organisation = _organisation(request, pk)
    run = import_run_get_for(user=request.user, organisation=organisation, pk=run_pk)
    name = f"{slugify(organisation.name)}-import-{run.pk}-report.csv"
    storage = run.file.storage
    if run.file and storage.exists(report_file_name(run)):
        stored = storage.open(report_file_name(run), "rb")
        return FileResponse(stored, as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")
    report = run.report if isinstance(run.report, dict) else {}
    rows = [[_("Row"), _("Column"), _("Type"), _("Problem")]] + [
        [m["row"], m["column"], _("Error") if m["level"] == "error" else _("Warning"), m["message"]]
        for m in report.get("messages", [])
    ]
    return csv_response(rows, name)


@login_required
def import_template(request, pk, kind, extension):
    """A blank training or staff template with one example row."""
    _organisation(request, pk)
    if kind not in ImportRun.Kind.values or extension not in ("csv", "xlsx"):
        raise Http404
    rows = exports.template_rows(kind)
    name = f"care-network-{kind}-template.{extension}"
    if extension == "xlsx":
        return xlsx_response(rows, name, sheet=kind.capitalize())
    return exports.csv_response(rows, name)


@login_required
def export(request, pk):
    """Download training records or the staff register as CSV or XLSX."""
    organisation = _organisation(request, pk)
    form = ExportForm(request.GET or None, initial={"file_type": "csv"})
    if form.is_bound and form.is_valid():
        what, file_type = form.cleaned_data["what"], form.cleaned_data["file_type"]
        leavers = form.cleaned_data["leavers"]
        make_rows, label, sheet = EXPORTS[what]
        rows = make_rows(organisation, leavers=leavers)
        name = _file_name(organisation, label, file_type)
        if what == ExportForm.TRAINING_ASCWDS:
            # ASC-WDS accepts only CSV, and reads it exactly (see exports.py).
            return exports.ascwds_csv_response(rows, _file_name(organisation, label, "csv"))
        if file_type == "xlsx":
            return xlsx_response(rows, name, sheet=sheet)
        return exports.csv_response(rows, name)
    no_reference, no_workplace = exports.ascwds_left_out(organisation)
    return render(
        request,
        "records/imports/export.html",
        {
            "organisation": organisation,
            "form": form,
            "no_reference": no_reference[:LEFT_OUT_SHOWN],
            "no_reference_count": no_reference.count(),
            "no_workplace": no_workplace[:LEFT_OUT_SHOWN],
            "no_workplace_count": no_workplace.count(),
            "has_workplace": bool(organisation.ascwds_workplace_id)
            or organisation.locations.exclude(ascwds_workplace_id="").exists(),
        },
    )
