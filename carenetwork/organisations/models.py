"""Organisations own information; people belong to them through memberships with a role."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel

# The Royal Mail format, tolerant of case and spacing: "RM1 3BB", "sw1a1aa", "M1 1AE".
POSTCODE_RE = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"
postcode_validator = RegexValidator(POSTCODE_RE, _("Enter a real postcode, like RM1 3BB"))
# CQC identifiers take two forms. Most are "1-" then 9 to 11 digits (1-101611810, 1-10024040008). NHS bodies
# keep their NHS (ODS) code: 3 characters for a trust as provider (RT2, 5J5), 5 for its sites as locations
# (RQX41, TAHYR, 5J501); every one has a letter. Both forms are in CQC's files.
CQC_ID_RE = r"^(?:1-\d{9,12}|(?=[0-9]*[A-Z])[A-Z0-9]{3,6})$"
cqc_id_validator = RegexValidator(
    CQC_ID_RE, _("Enter a CQC ID like 1-123456789, or for an NHS service its NHS code like RQX41")
)


def normalise_postcode(value: str) -> str:
    """Upper-case a postcode with one space before the inward code."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class Sector(models.Model):
    """A part of the care market that providers work in. Council administrators edit the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ServiceType(models.Model):
    """A kind of service a location provides, seeded from the ASC-WDS service codes."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    ascwds_code = models.PositiveSmallIntegerField(_("ASC-WDS code"), null=True, blank=True, unique=True)
    is_residential = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(TimeStampedModel):
    """The unit that owns information: profile, locations, people, bookings, records."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        PROVIDER = "provider", _("Care provider")
        TRAINING = "training", _("Training provider")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations", verbose_name=_("sectors"))
    description = models.TextField(_("about the organisation"), blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("A shared mailbox that stays the same when staff change, like enquiries@example.org"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, validators=[postcode_validator])
    area = models.CharField(_("area"), max_length=100, blank=True, db_index=True)
    cqc_provider_id = models.CharField(
        _("CQC provider ID"), max_length=16, blank=True, null=True, unique=True, validators=[cqc_id_validator]
    )
    cqc_data_date = models.DateField(
        _("date of the CQC data"), null=True, blank=True, help_text=_("The date of the CQC data last imported")
    )
    is_active = models.BooleanField(default=True)
    # ASC-WDS links the files of one upload by LOCALESTID, the workplace's own reference in its workplace file.
    # A provider with one workplace keeps it here; a provider with several keeps one on each location.
    ascwds_workplace_id = models.CharField(
        _("ASC-WDS workplace reference"),
        max_length=50,
        blank=True,
        help_text=_("The LOCALESTID of your workplace in your ASC-WDS workplace file, if you have one workplace"),
    )
    # A training provider on ASC-WDS's list of training providers: brokered records export its code.
    ascwds_provider_code = models.PositiveSmallIntegerField(
        _("ASC-WDS training provider"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(998)],
        help_text=_("Your organisation on the ASC-WDS list of training providers, if it is on it"),
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode) if self.postcode else ""
        self.cqc_provider_id = self.cqc_provider_id or None
        super().save(*args, **kwargs)


class Location(TimeStampedModel):
    """A place or service run by a provider, with its CQC registration and capacity."""

    class CapacityUnit(models.TextChoices):
        BEDS = "beds", _("beds")
        WEEKLY_HOURS = "weekly_hours", _("hours a week")
        PLACES = "places", _("places")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, validators=[postcode_validator])
    area = models.CharField(_("area"), max_length=100, blank=True, db_index=True)
    # The local authority the location is in, as CQC names it ("Devon", "Torbay"): the market's sub-markets are
    # service type × local authority when a market holds several.
    local_authority = models.CharField(_("local authority"), max_length=100, blank=True)
    service_type = models.ForeignKey(
        ServiceType, null=True, blank=True, on_delete=models.PROTECT, related_name="locations"
    )
    cqc_location_id = models.CharField(
        _("CQC location ID"),
        max_length=16,
        blank=True,
        null=True,
        unique=True,
        validators=[cqc_id_validator],
        help_text=_("Leave blank if the service is not registered with CQC"),
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=16, choices=CapacityUnit.choices, default=CapacityUnit.BEDS
    )
    cqc_rating = models.CharField(_("CQC overall rating"), max_length=40, blank=True)
    cqc_data_date = models.DateField(
        _("date of the CQC data"), null=True, blank=True, help_text=_("The date of the CQC data last imported")
    )
    is_active = models.BooleanField(default=True)
    ascwds_workplace_id = models.CharField(
        _("ASC-WDS workplace reference"),
        max_length=50,
        blank=True,
        help_text=_(
            "The LOCALESTID of this location in your ASC-WDS workplace file. "
            "ASC-WDS rejects training rows whose workplace reference is not in that file."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode) if self.postcode else ""
        self.cqc_location_id = self.cqc_location_id or None
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    """What a person may do in an organisation. Which roles apply depends on the organisation's kind."""

    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    OFFICER = "officer", _("Council officer")
    ADMINISTRATOR = "administrator", _("Council administrator")


ROLES_BY_KIND = {
    Organisation.Kind.COUNCIL: [Role.OFFICER, Role.ADMINISTRATOR],
    Organisation.Kind.PROVIDER: [Role.ADMIN, Role.MEMBER],
    Organisation.Kind.TRAINING: [Role.ADMIN, Role.MEMBER],
    Organisation.Kind.PARTNER: [Role.ADMIN, Role.MEMBER],
}
# The role that manages an organisation's profile and people.
ADMIN_ROLES = (Role.ADMIN, Role.ADMINISTRATOR)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def admins(self):
        return self.active().filter(role__in=ADMIN_ROLES)


class Membership(TimeStampedModel):
    """A person's place in an organisation. Ending a membership keeps it for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=Q(ended_at__isnull=True), name="one_active_membership"
            )
        ]
        indexes = [models.Index(fields=["organisation", "ended_at"]), models.Index(fields=["user", "ended_at"])]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_active(self):
        return self.ended_at is None

    @property
    def is_admin(self):
        return self.role in ADMIN_ROLES


def _new_token():
    return secrets.token_urlsafe(32)


class Invitation(TimeStampedModel):
    """An emailed invitation to join an organisation with a role; it expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    # Blank for the first council administrator, whom `manage.py invite_council_admin` invites.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set by invitation_create when it sent an invitation already waiting again, for the message.
    resent = False

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} to {self.organisation}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class JoinRequest(TimeStampedModel):
    """A person asking to join an organisation; its admin approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message to the organisation's admin"), blank=True, max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], condition=Q(status="pending"), name="one_pending_join_request"
            )
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.organisation}"


class CqcDeregistration(models.Model):
    """A CQC location or provider that CQC data of a date showed as deregistered, whether or not the portal
    has it: older data, from before the deregistration, must not bring it back."""

    class Kind(models.TextChoices):
        LOCATION = "location", _("Location")
        PROVIDER = "provider", _("Provider")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    cqc_id = models.CharField(_("CQC ID"), max_length=16)
    data_date = models.DateField(_("date of the CQC data"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "cqc_id"], name="one_cqc_deregistration")]

    def __str__(self):
        return f"{self.cqc_id} deregistered (CQC data of {self.data_date})"
