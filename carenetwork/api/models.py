"""Organisation tokens: how a provider's or the council's own programs reach the API."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel


class Area(models.TextChoices):
    """The parts of the portal a token may be given, each for reading or for reading and changing."""

    DIRECTORY = "directory", _("Directory of organisations and their people")
    FORUMS = "forums", _("Forum meetings and agenda items")
    BOOKINGS = "bookings", _("Forum bookings")
    RECORDS = "records", _("Staff register and training records")
    TRAINING = "training", _("Courses, interest, places and who takes them")
    MARKET = "market", _("Market returns and the council's reports")


class TokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens neither revoked nor past their expiry."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(TimeStampedModel):
    """A named, scoped, expiring secret that lets a program act for one organisation, with no more rights than the
    person who made it has there. Only a hash of the secret is kept; the secret is shown once."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=80)
    # The token acts as this person, limited to the organisation and the areas: it stops when they leave it.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The secret is "cn_<prefix>_<rest>": the prefix finds the token, the hash of the whole secret proves it.
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    read_areas = models.JSONField(_("may read"), default=list)
    write_areas = models.JSONField(_("may change"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-created_at", "-pk"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["organisation", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def description(self) -> str:
        """How a change made through the token is named in the history of changes."""
        return _("token %(name)s of %(organisation)s") % {"name": self.name, "organisation": self.organisation.name}
