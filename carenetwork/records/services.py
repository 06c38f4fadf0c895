"""Every write to a provider's staff register and training records (imports have their own module)."""

import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.organisations.models import Membership, Organisation
from carenetwork.records import permissions
from carenetwork.records.cover import cover_follow_staff, cover_refresh
from carenetwork.records.figures import figures_count_in, figures_follow
from carenetwork.records.models import MandatoryTraining, StaffMember, TrainingRecord
from carenetwork.records.rules import expiry_date

STAFF_FIELDS = ["name", "job_role", "location", "start_date", "leaving_date", "reference", "email"]
RECORD_FIELDS = [
    "category",
    "training_name",
    "completed_on",
    "expires_on",
    "accredited",
    "delivered_by",
    "provider_name",
    "how_delivered",
    "notes",
]
# A form sent twice (a double click, a resend after a slow response) arrives within seconds: the same person or
# record added by the same person within this time is taken to be the same one, not stored twice.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
CERTIFICATE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _check_staff_location(staff: StaffMember) -> None:
    if staff.location_id and staff.location.organisation_id != staff.organisation_id:
        raise ValidationError({"location": _("Choose one of your own locations")})


@transaction.atomic
def staff_save(*, actor, organisation: Organisation, staff: StaffMember | None, data: dict) -> StaffMember:
    """Add someone to the staff register or change their details."""
    require(permissions.can_manage_staff(actor, organisation))
    created = staff is None
    staff = staff or StaffMember(organisation=organisation)
    if staff.organisation_id != organisation.pk or staff.personal_data_removed_at:
        raise PermissionDenied
    before = {} if created else audit.snapshot(staff, STAFF_FIELDS)
    for field, value in data.items():
        setattr(staff, field, value)
    _check_staff_location(staff)
    staff.user = _portal_account(staff)
    if staff.leaving_date and staff.start_date and staff.leaving_date < staff.start_date:
        raise ValidationError({"leaving_date": _("The leaving date must be on or after the start date")})
    if staff.leaving_date and staff.leaving_date > timezone.localdate():
        raise ValidationError({"leaving_date": _("The leaving date must be today or in the past")})
    if created:
        # One add at a time per register (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions already queue
        # writers), so that a form sent twice finds the person the first one added.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        same = _staff_just_added(staff)
        if same is not None:
            return same
    if (
        staff.reference
        and StaffMember.objects.filter(organisation_id=organisation.pk, reference=staff.reference)
        .exclude(pk=staff.pk)
        .exists()
    ):
        raise ValidationError(
            {"reference": _("Someone else on your register has this reference: give each person their own")}
        )
    staff.full_clean()
    changes = audit.diff(before, audit.snapshot(staff, STAFF_FIELDS))
    # The council's compliance figures follow the person: counted in when added, their part moved when changed.
    with figures_follow([] if created else [staff.pk]):
        staff.save()
        if "job_role" in changes and not created:
            cover_follow_staff([staff.pk])
    if created:
        figures_count_in([staff.pk])
    if changes:
        # The register is personal data: the trail says which fields changed, not their values.
        audit.record(
            actor=actor,
            action="staff.created" if created else "staff.updated",
            obj=staff,
            organisation=organisation,
            changes={field: ["…", "…"] for field in changes},
            label=staff_label(staff),
        )
    return staff


def _staff_just_added(staff: StaffMember) -> StaffMember | None:
    """The same person with the same details added to the register moments ago: the form was sent twice."""
    return (
        StaffMember.objects.filter(
            organisation_id=staff.organisation_id,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
            personal_data_removed_at__isnull=True,
            **{field: getattr(staff, field) for field in STAFF_FIELDS},
        )
        .order_by("-pk")
        .first()
    )


def staff_label(staff: StaffMember) -> str:
    """How the audit trail names a person on a register: by number, as their name is personal data."""
    return _("Staff member %(number)s") % {"number": staff.pk}


def _portal_account(staff: StaffMember):
    """The person's own account, when their email belongs to a member of the organisation: it lets them see
    their own records and certificates."""
    if not staff.email:
        return None
    membership = (
        Membership.objects.active()
        .filter(organisation_id=staff.organisation_id, user__email__iexact=staff.email)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def staff_mark_leaver(*, actor, staff: StaffMember, leaving_date: datetime.date) -> StaffMember:
    """Record that someone has left; their records stay until the retention period ends."""
    return staff_save(actor=actor, organisation=staff.organisation, staff=staff, data={"leaving_date": leaving_date})


def certificate_content_type(upload) -> str:
    """A certificate's type, checked by name and content: PDF, JPEG or PNG up to 10 MB."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError({"certificate": _("The certificate must be smaller than 10 MB")})
    if upload.size == 0:
        raise ValidationError({"certificate": _("The certificate file is empty")})
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in CERTIFICATE_TYPES:
        raise ValidationError({"certificate": _("The certificate must be a PDF, JPG or PNG")})
    content_type, signatures = CERTIFICATE_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures):
        raise ValidationError(
            {"certificate": _("The file's content is not a %(kind)s") % {"kind": extension[1:].upper()}}
        )
    return content_type


@transaction.atomic
def record_save(
    *, actor, staff: StaffMember, record: TrainingRecord | None, data: dict, certificate=None
) -> TrainingRecord:
    """Add or change a training record. The expiry comes from the category's refresh period unless given."""
    require(permissions.can_manage_staff(actor, staff.organisation))
    created = record is None
    record = record or TrainingRecord(staff=staff, created_by=actor, source=TrainingRecord.Source.EXTERNAL)
    if record.staff_id != staff.pk or staff.personal_data_removed_at:
        raise PermissionDenied
    before = {} if created else audit.snapshot(record, RECORD_FIELDS)
    data = dict(data)
    given_expiry = data.pop("expires_on", None)
    for field, value in data.items():
        setattr(record, field, value)
    record.expiry_overridden = given_expiry is not None
    record.expires_on = (
        given_expiry if given_expiry else expiry_date(record.completed_on, record.category.refresh_months)
    )
    if record.completed_on and record.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The date completed must be today or in the past")})
    if record.expires_on and record.completed_on and record.expires_on <= record.completed_on:
        raise ValidationError({"expires_on": _("The expiry date must be after the date completed")})
    if created:
        # One add at a time per person (a row lock on PostgreSQL), so that a form sent twice finds the record the
        # first one added rather than adding it again.
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        same = _record_just_added(actor, record)
        if same is not None:
            return same
    if certificate is not None:
        record.certificate_content_type = certificate_content_type(certificate)
        if record.certificate:
            record.certificate.delete(save=False)
        record.certificate.save(os.path.basename(certificate.name), certificate, save=False)
    record.full_clean()
    record.save()
    cover_refresh([staff.pk])
    changes = audit.diff(before, audit.snapshot(record, RECORD_FIELDS))
    for free_text in ("notes", "training_name"):  # may name people: the trail says only that it changed
        if free_text in changes:
            changes[free_text] = ["…", "…"]
    if changes or certificate is not None:
        audit.record(
            actor=actor,
            action="training_record.created" if created else "training_record.updated",
            obj=record,
            organisation=staff.organisation,
            changes=changes,
        )
    return record


def _record_just_added(actor, record: TrainingRecord) -> TrainingRecord | None:
    """The same record added by the same person moments ago: the form was sent twice."""
    return (
        TrainingRecord.objects.filter(
            staff_id=record.staff_id,
            created_by=actor,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
            expiry_overridden=record.expiry_overridden,
            **{field: getattr(record, field) for field in RECORD_FIELDS},
        )
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def record_delete(*, actor, record: TrainingRecord) -> None:
    """Delete a training record entered in error, with its certificate."""
    staff = record.staff
    require(permissions.can_manage_staff(actor, staff.organisation))
    if record.certificate:
        record.certificate.delete(save=False)
    audit.record(actor=actor, action="training_record.deleted", obj=record, organisation=staff.organisation)
    record.delete()
    cover_refresh([staff.pk])


@transaction.atomic
def requirement_add(*, actor, organisation: Organisation, category, job_role=None) -> MandatoryTraining:
    """A provider adds a category its own staff (in one job role, or all) must hold, beyond the council's."""
    require(permissions.can_manage_staff(actor, organisation))
    rule, created = MandatoryTraining.objects.get_or_create(
        organisation=organisation, sector=None, category=category, job_role=job_role
    )
    if created:
        audit.record(actor=actor, action="mandatory_training.added", obj=rule, organisation=organisation)
    return rule


@transaction.atomic
def requirement_remove(*, actor, rule: MandatoryTraining) -> None:
    """A provider removes one of its own requirements (the council's cannot be removed here)."""
    if rule.organisation_id is None:
        raise PermissionDenied
    require(permissions.can_manage_staff(actor, rule.organisation))
    audit.record(actor=actor, action="mandatory_training.removed", obj=rule, organisation=rule.organisation)
    rule.delete()
