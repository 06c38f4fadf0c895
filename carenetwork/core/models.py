"""Base models shared by every app, and the audit trail of changes to shared records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A record that knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SingletonSettings(models.Model):
    """Settings the council keeps in one row, read with `current()`."""

    class Meta:
        abstract = True

    @classmethod
    def current(cls):
        """The one settings row, created with the defaults when missing."""
        return cls.objects.get_or_create(pk=1)[0]


class AuditEvent(models.Model):
    """One change to a shared record: who did what to which object, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    # How the change was made when not in the portal's pages, e.g. "token Rota sync of Acme Care" (the API).
    via = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        indexes = [models.Index(fields=["organisation", "-at"]), models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ScheduledRun(models.Model):
    """One due run of a scheduled job (carenetwork.core.scheduler). The row is the claim: one row per job and due
    time, so of two schedulers ticking at once only the one that inserts it starts the run."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed, to be tried again")
        GAVE_UP = "gave_up", _("Gave up")

    job = models.CharField(max_length=100)
    # When the run was due (the schedule's time, not when it started).
    slot = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=1)
    # The django-tasks result of the latest attempt; empty for a plain function, or until the task is queued.
    task_result_id = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-slot", "job"]
        verbose_name = _("scheduled run")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_scheduled_run_once_per_slot")]
        indexes = [models.Index(fields=["status"], name="core_scheduled_run_status")]

    def __str__(self):
        return f"{self.job} due {self.slot:%Y-%m-%d %H:%M} ({self.status})"
