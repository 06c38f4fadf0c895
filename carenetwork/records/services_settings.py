"""Council administrators' training settings: categories, job roles, mandatory training, retention and reminders.

Reads and writes live together here because every one of them is for council administrators only. Writes are
audited; a change to a category's refresh period applies to records entered after it (existing expiry dates stay
as they were recorded).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.organisations.models import Sector
from carenetwork.records.cover import cover_refresh
from carenetwork.records.figures import figures_refresh_sector, figures_roll
from carenetwork.records.models import JobRole, MandatoryTraining, RecordsSettings, TrainingCategory, TrainingRecord
from carenetwork.records.permissions import can_manage_training_settings

CATEGORY_FIELDS = ["name", "code", "group", "refresh_months", "is_active"]
JOB_ROLE_FIELDS = ["name", "code", "provides_care", "is_active"]
SETTINGS_FIELDS = ["retention_months", "reminder_days"]


def _allowed(user) -> None:
    if not can_manage_training_settings(user):
        raise PermissionDenied


# Reads


def category_list_for(*, user) -> QuerySet[TrainingCategory]:
    """Every training category, in use or not, ordered by group then name."""
    _allowed(user)
    return TrainingCategory.objects.order_by("group", "name")


def category_get_for(*, user, pk: int) -> TrainingCategory:
    """One training category, for council administrators to change."""
    _allowed(user)
    return _get(TrainingCategory, pk)


def job_role_list_for(*, user) -> QuerySet[JobRole]:
    """Every job role, in use or not, with how many current staff hold it."""
    _allowed(user)
    return JobRole.objects.annotate(
        staff_count=Count("staff", filter=Q(staff__leaving_date__isnull=True), distinct=True)
    ).order_by("name")


def job_role_get_for(*, user, pk: int) -> JobRole:
    """One job role, for council administrators to change."""
    _allowed(user)
    return _get(JobRole, pk)


def sector_rules_list_for(*, user) -> QuerySet[Sector]:
    """Every sector with how many mandatory training rules the council set for it."""
    _allowed(user)
    return Sector.objects.annotate(rule_count=Count("mandatory_rules")).order_by("position", "name")


def sector_get_for(*, user, pk: int) -> Sector:
    """One sector, for its mandatory training page."""
    _allowed(user)
    return _get(Sector, pk)


def mandatory_rules_for(*, user, sector: Sector) -> tuple[list[MandatoryTraining], list[dict]]:
    """The sector's rules for every role, and its rules for particular roles grouped by category (one query)."""
    _allowed(user)
    rules = (
        MandatoryTraining.objects.filter(sector=sector, organisation__isnull=True)
        .select_related("category", "job_role")
        .order_by("category__name", "job_role__name")
    )
    every_role, by_category = [], {}
    for rule in rules:
        if rule.job_role_id is None:
            every_role.append(rule)
        else:
            by_category.setdefault(rule.category_id, {"category": rule.category, "rules": []})["rules"].append(rule)
    return every_role, list(by_category.values())


def mandatory_rule_get_for(*, user, sector: Sector, pk: int) -> MandatoryTraining:
    """One of the council's rules for the sector."""
    _allowed(user)
    rule = (
        MandatoryTraining.objects.select_related("category", "job_role")
        .filter(sector=sector, organisation__isnull=True, pk=pk)
        .first()
    )
    if rule is None:
        raise Http404
    return rule


def _get(model, pk):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# Writes


def _save(*, actor, model, obj, data: dict, fields: list[str], action: str):
    require(can_manage_training_settings(actor))
    created = obj is None
    # Read the row afresh: a bound ModelForm has already copied the new values onto the instance it was given.
    obj = model() if created else model.objects.select_for_update().get(pk=obj.pk)
    before = {} if created else audit.snapshot(obj, fields)
    for field, value in data.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action=f"{action}.created" if created else f"{action}.updated",
        obj=obj,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
    )
    return obj


@transaction.atomic
def category_save(*, actor, category: TrainingCategory | None, data: dict) -> TrainingCategory:
    """Add a training category or change one (council administrators)."""
    data = {k: v for k, v in data.items() if k in CATEGORY_FIELDS}
    refresh_before = category.refresh_months if category else None
    saved = _save(
        actor=actor, model=TrainingCategory, obj=category, data=data, fields=CATEGORY_FIELDS, action="category"
    )
    if category is not None and saved.refresh_months != refresh_before:
        # Records that give no expiry take it from the category's refresh period: their cover follows the change.
        people = TrainingRecord.objects.filter(
            category=saved, expires_on__isnull=True, does_not_expire=False, completed_on__isnull=False
        ).values_list("staff_id", flat=True)
        cover_refresh(set(people))
    return saved


@transaction.atomic
def job_role_save(*, actor, job_role: JobRole | None, data: dict) -> JobRole:
    """Add a job role or change one (council administrators)."""
    data = {k: v for k, v in data.items() if k in JOB_ROLE_FIELDS}
    return _save(actor=actor, model=JobRole, obj=job_role, data=data, fields=JOB_ROLE_FIELDS, action="job_role")


@transaction.atomic
def records_settings_save(*, actor, data: dict) -> RecordsSettings:
    """Change how long leavers' personal data is kept and when reminders go out."""
    data = {k: v for k, v in data.items() if k in SETTINGS_FIELDS}
    saved = _save(
        actor=actor,
        model=RecordsSettings,
        obj=RecordsSettings.current(),
        data=data,
        fields=SETTINGS_FIELDS,
        action="records_settings",
    )
    figures_roll()  # the compliance figures follow a new reminder window
    return saved


@transaction.atomic
def mandatory_add(
    *, actor, sector: Sector, category: TrainingCategory, job_roles: list[JobRole] | None = None
) -> list[MandatoryTraining]:
    """Require a category of every role in a sector, or of particular job roles in it."""
    require(can_manage_training_settings(actor))
    existing = MandatoryTraining.objects.filter(sector=sector, organisation__isnull=True, category=category)
    if existing.filter(job_role__isnull=True).exists():
        raise ValidationError(
            {"category": _("%(category)s is already required of every role in this sector") % {"category": category}}
        )
    if not job_roles:
        # A rule for every role makes the rules for particular roles redundant.
        for rule in existing.select_related("job_role"):
            _removed(actor, rule)
        existing.delete()
        rules = [MandatoryTraining(sector=sector, category=category)]
    else:
        have = set(existing.values_list("job_role_id", flat=True))
        rules = [MandatoryTraining(sector=sector, category=category, job_role=r) for r in job_roles if r.pk not in have]
        if not rules:
            raise ValidationError(
                {"job_roles": _("%(category)s is already required of these job roles") % {"category": category}}
            )
    for rule in rules:
        rule.full_clean()
        rule.save()
        audit.record(
            actor=actor,
            action="mandatory_training.created",
            obj=rule,
            changes={"sector": [None, sector.name], "job_role": [None, str(rule.job_role or _("every role"))]},
        )
    figures_refresh_sector(sector.pk)
    return rules


@transaction.atomic
def mandatory_remove(*, actor, rule: MandatoryTraining) -> None:
    """Stop requiring a category of a sector's roles (or of one job role)."""
    require(can_manage_training_settings(actor) and rule.organisation_id is None)
    _removed(actor, rule)
    rule.delete()
    figures_refresh_sector(rule.sector_id)


def _removed(actor, rule: MandatoryTraining) -> None:
    audit.record(
        actor=actor,
        action="mandatory_training.removed",
        obj=rule,
        changes={"sector": [str(rule.sector), None], "job_role": [str(rule.job_role or _("every role")), None]},
    )
