"""Council administrators' training settings: categories, job roles, mandatory training per sector, retention."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted
from carenetwork.records import services_settings as settings_service
from carenetwork.records.forms_settings import CategoryForm, JobRoleForm, MandatoryAddForm, RecordsSettingsForm
from carenetwork.records.models import CategoryGroup, RecordsSettings
from carenetwork.records.permissions import can_manage_training_settings


@login_required
def index(request):
    """The starting page of the training settings."""
    require(can_manage_training_settings(request.user))
    return render(
        request,
        "records/settings/index.html",
        {
            "sectors": settings_service.sector_rules_list_for(user=request.user),
            "records_settings": RecordsSettings.current(),
        },
    )


@login_required
def categories(request):
    """Every training category, grouped by the five ASC-WDS groups."""
    rows = settings_service.category_list_for(user=request.user)
    groups = {value: {"name": label, "categories": []} for value, label in CategoryGroup.choices}
    other = {"name": _("Not in a group"), "categories": []}
    for category in rows:
        groups.get(category.group, other)["categories"].append(category)
    sections = [g for g in [*groups.values(), other] if g["categories"]]
    return render(request, "records/settings/categories.html", {"sections": sections})


@login_required
def category_edit(request, pk=None):
    """Add a training category or change one."""
    category = settings_service.category_get_for(user=request.user, pk=pk) if pk else None
    require(can_manage_training_settings(request.user))
    form = CategoryForm(request.POST or None, instance=category)
    saved = submitted(
        request,
        form,
        lambda data: settings_service.category_save(actor=request.user, category=category, data=form.service_data()),
    )
    if saved:
        messages.success(request, _("%(category)s has been saved") % {"category": saved})
        return redirect("records:settings-categories")
    return render(request, "records/settings/category_edit.html", {"form": form, "category": category})


@login_required
def job_roles(request):
    """Every job role, with how many current staff hold it."""
    rows = settings_service.job_role_list_for(user=request.user)
    return render(request, "records/settings/job_roles.html", {"job_roles": rows})


@login_required
def job_role_edit(request, pk=None):
    """Add a job role or change one."""
    job_role = settings_service.job_role_get_for(user=request.user, pk=pk) if pk else None
    require(can_manage_training_settings(request.user))
    form = JobRoleForm(request.POST or None, instance=job_role)
    saved = submitted(
        request, form, lambda data: settings_service.job_role_save(actor=request.user, job_role=job_role, data=data)
    )
    if saved:
        messages.success(request, _("%(role)s has been saved") % {"role": saved})
        return redirect("records:settings-job-roles")
    return render(request, "records/settings/job_role_edit.html", {"form": form, "job_role": job_role})


@login_required
def mandatory(request, sector_pk):
    """The training a sector requires of every role, and of particular job roles."""
    sector = settings_service.sector_get_for(user=request.user, pk=sector_pk)
    every_role, by_category = settings_service.mandatory_rules_for(user=request.user, sector=sector)
    return render(
        request,
        "records/settings/mandatory.html",
        {"sector": sector, "every_role": every_role, "by_category": by_category},
    )


@login_required
def mandatory_add(request, sector_pk):
    """Require a category of a sector's roles."""
    sector = settings_service.sector_get_for(user=request.user, pk=sector_pk)
    form = MandatoryAddForm(request.POST or None)
    rules = submitted(
        request,
        form,
        lambda data: settings_service.mandatory_add(actor=request.user, sector=sector, **form.service_data()),
    )
    if rules:
        messages.success(
            request,
            _("%(category)s is now mandatory in %(sector)s") % {"category": rules[0].category, "sector": sector},
        )
        return redirect("records:settings-mandatory", sector_pk=sector.pk)
    return render(request, "records/settings/mandatory_add.html", {"form": form, "sector": sector})


@login_required
def mandatory_remove(request, sector_pk, pk):
    """Stop requiring a category, after confirming."""
    sector = settings_service.sector_get_for(user=request.user, pk=sector_pk)
    rule = settings_service.mandatory_rule_get_for(user=request.user, sector=sector, pk=pk)
    if request.method == "POST":
        settings_service.mandatory_remove(actor=request.user, rule=rule)
        messages.success(
            request,
            _("%(category)s is no longer mandatory for %(who)s") % {"category": rule.category, "who": _who(rule)},
        )
        return redirect("records:settings-mandatory", sector_pk=sector.pk)
    return render(
        request, "records/settings/mandatory_remove.html", {"sector": sector, "rule": rule, "who": _who(rule)}
    )


def _who(rule) -> str:
    return rule.job_role.name if rule.job_role_id else _("every role")


@login_required
def retention(request):
    """How long leavers' personal data is kept and how early reminders go out."""
    require(can_manage_training_settings(request.user))
    form = RecordsSettingsForm(request.POST or None, instance=RecordsSettings.current())
    saved = submitted(request, form, lambda data: settings_service.records_settings_save(actor=request.user, data=data))
    if saved:
        messages.success(request, _("The records settings have been saved"))
        return redirect("records:settings")
    return render(request, "records/settings/retention.html", {"form": form})
