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
