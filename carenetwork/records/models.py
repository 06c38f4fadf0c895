"""Staff registers, training categories, mandatory training and training records.

Staff training data is personal data: providers keep it, the council sees only aggregates. A person's
current cover in a category (their best record) is kept in `TrainingCover` so that the matrix and the
council's reports read one row per person and category instead of scanning every record.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import SingletonSettings, TimeStampedModel


class CategoryGroup(models.TextChoices):
    """The five groups ASC-WDS sorts training categories into (2024 onwards)."""

    CARE_SKILLS = "care_skills", _("Care skills and knowledge")
    HEALTH_SAFETY = "health_safety", _("Health and safety in the workplace")
    DIGITAL = "digital", _("IT, digital and data in the workplace")
    CONDITIONS = "conditions", _("Specific conditions and disabilities")
    DEVELOPMENT = "development", _("Staff development")


class Refresh(models.IntegerChoices):
    """How often training in a category must be renewed, in months. No value means once only."""

    YEARLY = 12, _("Every year")
    TWO_YEARS = 24, _("Every two years")
    THREE_YEARS = 36, _("Every three years")


class TrainingCategory(models.Model):
    """A kind of training, seeded from the ASC-WDS training categories; council administrators edit it."""

    code = models.PositiveSmallIntegerField(
        _("ASC-WDS code"), null=True, blank=True, unique=True, help_text=_("The CATEGORY code in ASC-WDS files")
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=CategoryGroup.choices, blank=True)
    refresh_months = models.PositiveSmallIntegerField(
        _("how often it must be renewed"), choices=Refresh.choices, null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("training categories")

    def __str__(self):
        return self.name


class JobRole(models.Model):
    """A staff member's main job role, seeded from the ASC-WDS MAINJOBROLE codes."""

    code = models.PositiveSmallIntegerField(_("ASC-WDS code"), null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    provides_care = models.BooleanField(_("provides care directly"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExternalTrainingProvider(models.Model):
    """A training provider from the ASC-WDS PROVIDERNAME list (code 999 is 'other')."""

    code = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MandatoryTraining(models.Model):
    """One required category: set by the council per sector (and job role), or added by a provider for itself.

    No job role means every role. A council rule has a sector and no organisation; a provider's own rule has
    its organisation and no sector.
    """

    category = models.ForeignKey(TrainingCategory, on_delete=models.CASCADE, related_name="mandatory_rules")
    sector = models.ForeignKey(
        "organisations.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="mandatory_rules"
    )
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.CASCADE, related_name="mandatory_rules"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="mandatory_rules"
    )

    class Meta:
        ordering = ["category__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, sector__isnull=False)
                | Q(organisation__isnull=False, sector__isnull=True),
                name="mandatory_rule_council_or_provider",
            ),
        ]
        indexes = [models.Index(fields=["sector", "category"]), models.Index(fields=["organisation", "category"])]

    def __str__(self):
        return f"{self.category} ({self.sector or self.organisation}, {self.job_role or _('every role')})"


class StaffMember(TimeStampedModel):
    """A person on a provider's staff register: the minimum personal data. They need no portal account."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="staff")
    location = models.ForeignKey(
        "organisations.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    name = models.CharField(_("full name"), max_length=150)
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="staff", verbose_name=_("job role"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    leaving_date = models.DateField(_("leaving date"), null=True, blank=True)
    reference = models.CharField(
        _("your reference (optional)"),
        max_length=50,
        blank=True,
        help_text=_("Your own ID for this person, such as their ASC-WDS unique worker ID"),
    )
    email = models.EmailField(
        _("email address (optional)"), blank=True, help_text=_("We will remind them before their training expires")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_records"
    )
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], condition=~Q(reference=""), name="one_reference_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(leaving_date__gte=models.F("start_date")),
                name="staff_leaves_after_starting",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "leaving_date", "name"]),
            models.Index(fields=["leaving_date"]),
            # A provider's overview counts its current staff by job role from this index alone.
            models.Index(fields=["organisation", "leaving_date", "job_role"], name="staff_current_by_role"),
        ]

    def __str__(self):
        return self.name or str(_("Former staff member"))

    @property
    def is_current(self):
        return self.leaving_date is None


def certificate_path(instance, filename):
    return f"certificates/{instance.staff.organisation_id}/{secrets.token_hex(8)}-{filename}"


class TrainingRecord(TimeStampedModel):
    """One completed piece of training, in the shape of an ASC-WDS training row."""

    class Accredited(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        DONT_KNOW = "dont_know", _("Don't know")

    class DeliveredBy(models.TextChoices):
        IN_HOUSE = "in_house", _("In-house staff")
        EXTERNAL = "external", _("External provider")

    class HowDelivered(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face to face")
        E_LEARNING = "e_learning", _("E-learning")

    class Source(models.TextChoices):
        BROKERED = "brokered", _("Brokered course")
        EXTERNAL = "external", _("Entered by the provider")
        IMPORTED = "imported", _("Imported from a file")

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training_records")
    category = models.ForeignKey(
        TrainingCategory, on_delete=models.PROTECT, related_name="records", verbose_name=_("category")
    )
    training_name = models.CharField(_("training name"), max_length=120, blank=True)
    # ASC-WDS keeps training with no completion date; such a record is kept, shown as "no date", never in date.
    completed_on = models.DateField(_("date completed"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    # The record says it does not expire (VALIDITY "none", or "Does not expire"). With no expiry date and no such
    # word the record says nothing, and the category's refresh period is applied when reading (records.cover).
    does_not_expire = models.BooleanField(default=False)
    expiry_overridden = models.BooleanField(default=False)
    accredited = models.CharField(
        _("accredited"), max_length=16, choices=Accredited.choices, default=Accredited.DONT_KNOW, blank=True
    )
    delivered_by = models.CharField(_("who delivered it"), max_length=16, choices=DeliveredBy.choices, blank=True)
    provider_name = models.CharField(_("training provider"), max_length=200, blank=True)
    provider_code = models.PositiveIntegerField(null=True, blank=True)
    how_delivered = models.CharField(_("how it was delivered"), max_length=16, choices=HowDelivered.choices, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EXTERNAL)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    certificate_content_type = models.CharField(max_length=100, blank=True)
    import_run = models.ForeignKey(
        "records.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                # ASC-WDS rejects an expiry on or before the completion date (its error 1030).
                condition=Q(expires_on__isnull=True)
                | Q(completed_on__isnull=True)
                | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
            )
        ]
        indexes = [models.Index(fields=["staff", "category", "-completed_on"])]

    def __str__(self):
        if self.completed_on is None:
            return f"{self.category} – {_('no date')}"
        return f"{self.category} – {self.completed_on:%d/%m/%Y}"


class TrainingCover(models.Model):
    """A person's best training in one category: the latest expiry, or none if it never expires.

    Kept by `records.cover` whenever records change, or a person changes job role or organisation. The reminder
    fields hold the expiry date a reminder was last sent for, so a renewed record is reminded again and an unchanged
    one never twice.
    """

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="covers")
    category = models.ForeignKey(TrainingCategory, on_delete=models.CASCADE, related_name="covers")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    # The person's job role, copied so that a provider's overview groups its covers without reading every person.
    job_role = models.ForeignKey(JobRole, null=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    reminded_expiring_for = models.DateField(null=True, blank=True)
    reminded_expired_for = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "category"], name="one_cover_per_category")]
        indexes = [
            models.Index(fields=["organisation", "category", "expires_on"]),
            models.Index(fields=["organisation", "expires_on"]),
            models.Index(fields=["category", "expires_on"]),
            models.Index(fields=["expires_on"]),
            # Everything a provider's own pages read of its covers, so that they never visit the table: the matrix's
            # status filter (a range of expiry dates) and the overview (counts by job role and category, in order).
            models.Index(
                fields=["organisation", "expires_on", "job_role", "category", "staff"], name="cover_org_expiry_covering"
            ),
            models.Index(
                fields=["organisation", "job_role", "category", "expires_on", "staff"], name="cover_org_role_covering"
            ),
        ]

    def __str__(self):
        return f"{self.staff} – {self.category}"


class ComplianceFigure(models.Model):
    """Where one organisation's current staff stand in one category the council requires: in one of its sectors
    (requirements of that sector's rules), or with no sector over all of them (each person and category once).

    Maintained by `records.figures` in the transaction of every change to staff, covers, rules or sectors, as at
    the day and reminder window of `ComplianceFiguresState`; the council's reports sum these rows instead of
    counting people. Aggregates only: no personal data.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(
        "organisations.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(TrainingCategory, on_delete=models.CASCADE, related_name="+")
    required = models.PositiveIntegerField(default=0)
    in_date = models.PositiveIntegerField(default=0)
    expiring = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category"], condition=Q(sector__isnull=True), name="one_total_figure"
            ),
            models.UniqueConstraint(
                fields=["organisation", "sector", "category"],
                condition=Q(sector__isnull=False),
                name="one_sector_figure",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.sector_id or 'all'} {self.category_id}"


class MarketFigure(models.Model):
    """Part of the compliance figures of every active provider in one area, summed: per sector (or, with no sector,
    over all their sectors) and category.

    The rows of a key are added up when read: each change to organisations' figures appends its difference as new
    rows, so that writers never wait on one another's, and `records.figures.market_compact` folds each key's rows
    back into one. Aggregates only: no personal data.
    """

    sector = models.ForeignKey(
        "organisations.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.CharField(max_length=100, blank=True)
    category = models.ForeignKey(TrainingCategory, on_delete=models.CASCADE, related_name="+")
    # Signed: a change row may take away.
    required = models.IntegerField(default=0)
    in_date = models.IntegerField(default=0)
    expiring = models.IntegerField(default=0)
    expired = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sector", "area", "category"], name="market_figure_key")]

    def __str__(self):
        return f"Market figure: sector {self.sector_id or 'all'}, area {self.area or '–'}, category {self.category_id}"


class ComplianceFiguresState(models.Model):
    """The day and reminder window the compliance figures are counted as at (one row, once they are built)."""

    as_of = models.DateField()
    window_days = models.PositiveSmallIntegerField()

    def __str__(self):
        return f"Compliance figures as at {self.as_of} ({self.window_days} days)"


class ImportRun(TimeStampedModel):
    """One uploaded staff or training file: validated first, then written in full, in part, or not at all."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training records")
        STAFF = "staff", _("Staff register")

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking the file")
        INVALID = "invalid", _("The file has errors")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="record_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file_format = models.CharField(max_length=16, blank=True)
    file = models.FileField(upload_to="record-imports/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALIDATING)
    valid_only = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} import {self.original_name}"


class SkillsSnapshot(models.Model):
    """The month-end state of one category's cover in one sector and area, kept for trends.

    An empty sector or area is the total over all of them. Snapshots are aggregates: they hold no personal
    data and survive the removal of leavers.
    """

    month = models.DateField()
    category = models.ForeignKey(TrainingCategory, on_delete=models.CASCADE, related_name="snapshots")
    sector = models.ForeignKey(
        "organisations.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    area = models.CharField(max_length=100, blank=True)
    required = models.PositiveIntegerField(default=0)
    in_date = models.PositiveIntegerField(default=0)
    expiring_soon = models.PositiveIntegerField(default=0)
    expired = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        indexes = [models.Index(fields=["month", "category"]), models.Index(fields=["category", "month"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.category}"


class RecordsSettings(SingletonSettings):
    """The council's settings for records: how long leavers are kept and when reminders go out (one row)."""

    retention_months = models.PositiveSmallIntegerField(
        _("keep leavers' personal data for (months)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("After this many months from their leaving date a leaver's name and references are removed"),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind people this many days before training expires"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name_plural = _("records settings")

    def __str__(self):
        return "Records settings"
