"""Council administrators' pages: organisations without an admin, CQC import, sectors, audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from carenetwork.core.access import PAGE_SIZE, id_param, require
from carenetwork.core.forms_errors import submitted
from carenetwork.organisations import cqc, permissions, selectors, services
from carenetwork.organisations.forms import (
    AppointAdminForm,
    CouncilOrganisationForm,
    CqcImportForm,
    SectorForm,
)
from carenetwork.organisations.models import Invitation


@login_required
def create(request):
    """Council administrators add an organisation, then invite its people."""
    require(permissions.is_council_admin(request.user))
    form = CouncilOrganisationForm(request.POST or None)
    organisation = submitted(request, form, lambda data: services.organisation_create(actor=request.user, **data))
    if organisation:
        messages.success(request, _("%(org)s has been added. Now invite its admin.") % {"org": organisation})
        return redirect("organisations:appoint-admin", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": None})


@login_required
def council_admin(request):
    """The council administrators' starting page."""
    require(permissions.can_view_admin_reports(request.user))
    return render(
        request,
        "organisations/council_admin.html",
        {
            "without_admin_count": selectors.organisations_without_admin_for(user=request.user).count(),
        },
    )


@login_required
def without_admin(request):
    """Organisations with no active admin, for the council to appoint one."""
    organisations = selectors.organisations_without_admin_for(user=request.user)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/without_admin.html", {"page": page, "query": ""})


@login_required
def appoint_admin(request, pk):
    """A council administrator appoints an admin for an organisation."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_appoint_admin(request.user, organisation))
    form = AppointAdminForm(request.POST or None)
    result = submitted(
        request,
        form,
        lambda data: services.admin_appoint(actor=request.user, organisation=organisation, email=data["email"]),
    )
    if result:
        if isinstance(result, Invitation) and result.resent:
            messages.success(
                request,
                _(
                    "%(email)s had already been invited to be the admin of %(org)s, so we have sent the same "
                    "invitation again. The link in either email works until %(date)s."
                )
                % {
                    "email": result.email,
                    "org": organisation,
                    "date": date_format(localtime(result.expires_at), "j F Y"),
                },
            )
        elif isinstance(result, Invitation):
            messages.success(
                request,
                _("%(email)s has been invited to be the admin of %(org)s")
                % {"email": result.email, "org": organisation},
            )
        else:
            messages.success(
                request, _("%(person)s is now the admin of %(org)s") % {"person": result.user, "org": organisation}
            )
        return redirect("organisations:members", pk=organisation.pk)
    return render(
        request,
        "organisations/appoint_admin.html",
        {
            "form": form,
            "organisation": organisation,
            "people": selectors.member_list_for(user=request.user, organisation=organisation),
        },
    )


@login_required
def cqc_import(request):
    """Council administrators import registered providers and locations from CQC data."""
    require(permissions.is_council_admin(request.user))
    form = CqcImportForm(request.POST or None, request.FILES or None)
    report = submitted(
        request,
        form,
        lambda data: cqc.import_file(
            actor=request.user,
            name=data["file"].name,
            content=data["file"].read(),
            local_authority=data["local_authority"],
            data_date=data["data_date"],
        ),
        error_field="file",
    )
    return render(request, "organisations/cqc_import.html", {"form": form, "report": report})


@login_required
def audit_log(request):
    """Who changed what, when: council administrators only."""
    organisation = None
    if request.GET.get("organisation"):
        organisation = selectors.organisation_get_for(user=request.user, pk=id_param(request.GET["organisation"]))
    events = selectors.audit_list_for(user=request.user, organisation=organisation)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/audit_log.html",
        {"page": page, "organisation": organisation, "query": query.urlencode()},
    )


@login_required
def sectors(request):
    """The sectors providers choose from: council administrators add, rename, reorder and retire them."""
    return render(request, "organisations/sectors.html", {"sectors": selectors.sector_list_for(user=request.user)})


@login_required
def sector_edit(request, sector_pk=None):
    """Add a sector or change one."""
    sector = selectors.sector_get_for(user=request.user, pk=sector_pk) if sector_pk else None
    if sector is None:
        require(permissions.is_council_admin(request.user))
    form = SectorForm(request.POST or None, instance=sector)
    saved = submitted(request, form, lambda data: services.sector_save(actor=request.user, sector=sector, data=data))
    if saved:
        messages.success(request, _("The sector has been saved"))
        return redirect("organisations:sectors")
    return render(request, "organisations/sector_edit.html", {"form": form, "sector": sector})
