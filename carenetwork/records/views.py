"""Provider pages: the staff register, a person's training records, the training matrix and overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import query_without_page, require
from carenetwork.core.csv import table_response
from carenetwork.core.forms_errors import submitted
from carenetwork.core.registry import attention_for
from carenetwork.organisations.selectors import organisation_get_for
from carenetwork.records import permissions, selectors, services
from carenetwork.records.forms import (
    LeaverForm,
    MatrixFilterForm,
    RecordForm,
    RequirementForm,
    StaffFilterForm,
    StaffForm,
)
from carenetwork.records.models import MandatoryTraining
from carenetwork.records.rules import Status

STAFF_PAGE_SIZE = 50


@login_required
def staff_list(request, pk):
    """The provider's staff register: current staff, or leavers."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    leavers = request.GET.get("leavers") == "1"
    form = StaffFilterForm(request.GET or None, organisation=organisation)
    criteria = form.cleaned_data if form.is_valid() else {}
    staff = selectors.staff_list_for(
        user=request.user,
        organisation=organisation,
        search=criteria.get("q", ""),
        location=criteria.get("location"),
        job_role=criteria.get("job_role"),
        leavers=leavers,
    )
    page = Paginator(staff, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/staff_list.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "leavers": leavers,
            "query": query_without_page(request),
        },
    )


@login_required
def staff_edit(request, pk, staff_pk=None):
    """Add someone to the register or change their details."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_manage_staff(request.user, organisation))
    staff = selectors.staff_get_for(user=request.user, organisation=organisation, pk=staff_pk) if staff_pk else None
    initial = (
        {field: getattr(staff, field) for field in ("name", "job_role", "location", "start_date", "reference", "email")}
        if staff
        else {}
    )
    form = StaffForm(request.POST or None, initial=initial, organisation=organisation)
    saved = submitted(
        request,
        form,
        lambda data: services.staff_save(actor=request.user, organisation=organisation, staff=staff, data=data),
    )
    if saved:
        messages.success(request, _("%(name)s has been saved") % {"name": saved.name})
        return redirect("records:staff-detail", pk=organisation.pk, staff_pk=saved.pk)
    return render(request, "records/staff_edit.html", {"form": form, "organisation": organisation, "staff": staff})


@login_required
def staff_detail(request, pk, staff_pk):
    """One person: their details, where they stand in each required category, and their records."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    staff = selectors.staff_get_for(user=request.user, organisation=organisation, pk=staff_pk)
    mandatory, columns = selectors.mandatory_for(organisation)
    row = selectors.matrix_rows([staff], columns, mandatory)[0]
    required = [(category, cell) for category, cell in zip(columns, row.cells, strict=True) if cell.required]
    return render(
        request,
        "records/staff_detail.html",
        {
            "organisation": organisation,
            "staff": staff,
            "required": required,
            "records": selectors.record_list_for(user=request.user, staff=staff),
        },
    )


@login_required
def staff_leave(request, pk, staff_pk):
    """Record that someone has left."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    staff = selectors.staff_get_for(user=request.user, organisation=organisation, pk=staff_pk)
    form = LeaverForm(request.POST or None, initial={"leaving_date": timezone.localdate()})
    saved = submitted(
        request,
        form,
        lambda data: services.staff_mark_leaver(actor=request.user, staff=staff, leaving_date=data["leaving_date"]),
        error_field="leaving_date",
    )
    if saved:
        messages.success(request, _("%(name)s is now recorded as a leaver") % {"name": saved.name})
        return redirect("records:staff-list", pk=organisation.pk)
    return render(request, "records/staff_leave.html", {"form": form, "organisation": organisation, "staff": staff})


@login_required
def record_edit(request, pk, staff_pk=None, record_pk=None):
    """Add a training record for a person, or change one."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    record = selectors.record_get_for(user=request.user, organisation=organisation, pk=record_pk) if record_pk else None
    staff = selectors.staff_get_for(
        user=request.user, organisation=organisation, pk=record.staff_id if record else staff_pk
    )
    initial = {}
    if record:
        initial = {field: getattr(record, field) for field in services.RECORD_FIELDS}
        initial["expires_on"] = record.expires_on if record.expiry_overridden else None
    form = RecordForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data):
        certificate = data.pop("certificate", None)
        return services.record_save(actor=request.user, staff=staff, record=record, data=data, certificate=certificate)

    saved = submitted(request, form, save)
    if saved:
        messages.success(request, _("The training record has been saved"))
        return redirect("records:staff-detail", pk=organisation.pk, staff_pk=staff.pk)
    return render(
        request,
        "records/record_edit.html",
        {"form": form, "organisation": organisation, "staff": staff, "record": record},
    )


@login_required
def record_delete(request, pk, record_pk):
    """Delete a record entered in error, after confirming."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    record = selectors.record_get_for(user=request.user, organisation=organisation, pk=record_pk)
    staff = selectors.staff_get_for(user=request.user, organisation=organisation, pk=record.staff_id)
    if request.method == "POST":
        services.record_delete(actor=request.user, record=record)
        messages.success(request, _("The training record has been deleted"))
        return redirect("records:staff-detail", pk=organisation.pk, staff_pk=staff.pk)
    return render(
        request, "records/record_delete.html", {"organisation": organisation, "staff": staff, "record": record}
    )


@login_required
def certificate(request, pk, record_pk):
    """A certificate, to the provider's admins and the person only, always as a download."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    record = selectors.record_get_for(user=request.user, organisation=organisation, pk=record_pk)
    if not record.certificate:
        raise Http404
    try:
        handle = record.certificate.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = record.certificate.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=record.certificate_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _matrix(request, organisation):
    """The matrix's filters and people, with the rules and the day read once for the whole request."""
    mandatory, all_columns = selectors.mandatory_for(organisation)
    today, window = timezone.localdate(), selectors.reminder_window()
    form = MatrixFilterForm(request.GET or None, organisation=organisation, columns=all_columns)
    criteria = form.cleaned_data if form.is_valid() else {}
    staff, columns, mandatory = selectors.matrix_for(
        user=request.user,
        organisation=organisation,
        location=criteria.get("location"),
        job_role=criteria.get("job_role"),
        status=criteria.get("status", ""),
        categories=criteria.get("categories"),
        rules=(mandatory, all_columns),
        today=today,
        window=window,
    )
    return form, staff, columns, mandatory, all_columns, today, window


@login_required
def matrix(request, pk):
    """Staff × mandatory categories, each cell in date, expiring soon, expired or missing."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    form, staff, columns, mandatory, all_columns, today, window = _matrix(request, organisation)
    page = Paginator(staff, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "records/matrix.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "columns": columns,
            "all_columns": all_columns,
            "rows": selectors.matrix_rows(page, columns, mandatory, today=today, window=window),
            "query": query_without_page(request),
            "all_categories_query": _without(request, "page", "categories"),
            "statuses": Status,
        },
    )


def _without(request, *names) -> str:
    """The page's query string without these parameters."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def matrix_csv(request, pk, fmt="csv"):
    """The training matrix as CSV or XLSX, with the same filters, one line per person."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    form, staff, columns, mandatory, _all_columns, today, window = _matrix(request, organisation)

    def lines():
        yield [_("Name"), _("Reference"), _("Job role"), _("Location")] + [f"{c.name} ({_('expiry')})" for c in columns]
        for start in range(0, staff.count(), 500):
            for row in selectors.matrix_rows(
                staff[start : start + 500], columns, mandatory, today=today, window=window
            ):
                person = row.staff
                location = person.location.name if person.location else ""
                details = [person.name, person.reference, person.job_role.name, location]
                yield details + [_cell_text(cell) for cell in row.cells]

    return table_response(lines(), f"training-matrix-{organisation.pk}", fmt, sheet=_("Training matrix"))


def _cell_text(cell) -> str:
    if cell.status is None:
        return _("Not required")
    label = str(cell.status.label)
    if cell.expires_on:
        return f"{label} ({cell.expires_on:%d/%m/%Y})"
    return label


@login_required
def dashboard(request, pk):
    """The provider's training overview: compliance per category and what expires soon."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    window = selectors.reminder_window()
    compliance = selectors.compliance_for(user=request.user, organisation=organisation, window=window)
    return render(
        request,
        "records/dashboard.html",
        {
            "organisation": organisation,
            "compliance": [(entry.category.name, entry.counts) for entry in compliance],
            "expiring": selectors.expiring_list_for(user=request.user, organisation=organisation, window=window),
            "window": window,
            "staff_count": selectors.current_staff(organisation).count(),
        },
    )


@login_required
def requirements(request, pk):
    """The council's mandatory training for this provider, and the provider's own additions."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    rules = list(selectors.own_requirement_list_for(user=request.user, organisation=organisation))
    form = RequirementForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda data: services.requirement_add(
            actor=request.user, organisation=organisation, category=data["category"], job_role=data["job_role"]
        ),
    )
    if saved:
        messages.success(request, _("%(category)s is now required") % {"category": saved.category})
        return redirect("records:requirements", pk=organisation.pk)
    return render(
        request,
        "records/requirements.html",
        {
            "organisation": organisation,
            "form": form,
            "council_rules": [r for r in rules if r.organisation_id is None],
            "own_rules": [r for r in rules if r.organisation_id is not None],
        },
    )


@login_required
@require_POST
def requirement_remove(request, pk, rule_pk):
    """Remove one of the provider's own requirements."""
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_manage_staff(request.user, organisation))
    rule = get_object_or_404(MandatoryTraining, organisation=organisation, pk=rule_pk)
    services.requirement_remove(actor=request.user, rule=rule)
    messages.success(request, _("%(category)s is no longer one of your own requirements") % {"category": rule.category})
    return redirect("records:requirements", pk=organisation.pk)


@login_required
def my_training(request):
    """The signed-in person's own training records, where a provider's register links to them."""
    entries = selectors.own_staff_records_for(user=request.user)
    return render(
        request,
        "records/my_training.html",
        {
            "entries": [
                (
                    entry,
                    selectors.record_list_for(user=request.user, staff=entry),
                    selectors.own_standing_for(user=request.user, staff=entry),
                )
                for entry in entries
            ],
            # What capabilities above records add here (training: courses to rate), through the registry.
            "panels": attention_for(request.user, where="my-training"),
        },
    )
