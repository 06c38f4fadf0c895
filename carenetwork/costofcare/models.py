"""The fair cost of care's records: the dated public figures the calculators use (assumption sets), and providers'
saved calculations (drafts, and the one they submit as their cost return).

The figures are data, not code: each set takes effect on a date and the set in force on a calculation's "as at" date
is the one it uses (selectors.assumptions_on). Figures change by adding a new dated set; a set that a saved
calculation has used keeps its figures (only a blank, "not yet published" figure may be filled in later).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel


def _figure(label: str, *, places: int = 2, digits: int = 10, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=digits, decimal_places=places, null=True, blank=True, help_text=help_text
    )


class AssumptionSet(TimeStampedModel):
    """The public figures in force from a date (National Living Wage, National Insurance, pension, SSP, holiday,
    the Homecare Association's price), each one blank while not yet published, with where each comes from."""

    effective_from = models.DateField(_("in force from"), unique=True)
    label = models.CharField(_("label"), max_length=40, help_text=_("For example 2026/27"))
    national_living_wage = _figure(_("National Living Wage (£ an hour)"))
    ni_rate = _figure(_("Employer National Insurance rate"), places=4, digits=6, help_text=_("A share: 0.15 is 15%"))
    ni_threshold_year = _figure(_("National Insurance secondary threshold (£ a year)"))
    pension_rate = _figure(_("Employer pension contribution"), places=4, digits=6, help_text=_("A share: 0.03 is 3%"))
    pension_band_low = _figure(_("Qualifying earnings band: lower limit (£ a year)"))
    pension_band_high = _figure(_("Qualifying earnings band: upper limit (£ a year)"))
    ssp_weekly_rate = _figure(_("Statutory Sick Pay (£ a week)"))
    ssp_from_day_one = models.BooleanField(
        _("Statutory Sick Pay is paid from the first day of sickness"), default=False
    )
    ssp_waiting_days = models.PositiveSmallIntegerField(
        _("Waiting days before Statutory Sick Pay"), null=True, blank=True, default=3
    )
    ssp_lower_earnings_limit = _figure(
        _("Lower earnings limit for Statutory Sick Pay (£ a week)"), help_text=_("Leave blank when there is none")
    )
    ssp_earnings_share = _figure(
        _("Statutory Sick Pay at most this share of weekly pay"),
        places=4,
        digits=6,
        help_text=_("A share: 0.80 is 80%. Leave blank when there is no such limit"),
    )
    holiday_weeks = _figure(_("Statutory holiday (weeks a year)"), places=2, digits=5)
    homecare_association_price = _figure(
        _("Homecare Association minimum price (£ a contact hour)"),
        help_text=_("Leave blank while it is not yet published"),
    )
    sources = models.TextField(_("sources"), help_text=_("Where each figure comes from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("assumption set")

    def __str__(self):
        return self.label


class CostCalculation(TimeStampedModel):
    """A provider's saved calculation, as at a date with the assumption set in force then; a draft, or submitted as
    its cost return (one a year for each kind: a later submission replaces the earlier one)."""

    class Kind(models.TextChoices):
        HOME_CARE = "home_care", _("Home care hourly rate")
        CARE_HOME = "care_home", _("Care home weekly fee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REPLACED = "replaced", _("Replaced by a later return")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="cost_calculations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOME_CARE)
    as_at = models.DateField(_("as at"))
    assumption_set = models.ForeignKey(AssumptionSet, on_delete=models.PROTECT, related_name="calculations")
    inputs = models.JSONField(default=dict)  # the HomeCareInputs fields as strings (costofcare/inputs.py)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    blended_price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "assumption_set"],
                condition=models.Q(status="submitted"),
                name="costofcare_one_return_a_year",
            )
        ]
        indexes = [models.Index(fields=["status", "kind", "assumption_set"], name="costofcare_returns")]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()} as at {self.as_at:%d %B %Y}"


class CouncilRate(TimeStampedModel):
    """A rate the council pays for a type of service from a date, with the volume it buys: the fee-gap page compares
    it with the calculated minimum on the same date. A rate changes by adding one from a later date."""

    class ServiceType(models.TextChoices):
        # The care home values are calculators.Category's, so a rate finds its category's minimum.
        HOME_CARE = "home_care", _("Home care")
        RESIDENTIAL = "residential", _("Residential care")
        RESIDENTIAL_ENHANCED = "residential_enhanced", _("Residential care, enhanced")
        NURSING = "nursing", _("Nursing care")
        NURSING_ENHANCED = "nursing_enhanced", _("Nursing care, enhanced")

    class Source(models.TextChoices):
        COUNCIL = "council", _("The council's own rate")
        TENDERED = "tendered", _("A tendered rate")

    service_type = models.CharField(_("type of service"), max_length=24, choices=ServiceType.choices)
    source = models.CharField(_("kind of rate"), max_length=12, choices=Source.choices, default=Source.COUNCIL)
    effective_from = models.DateField(_("in force from"))
    rate = models.DecimalField(
        _("rate (£)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("An hour for home care; a week for a care home placement"),
    )
    weekly_volume = models.DecimalField(
        _("volume a week"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Hours a week for home care; placements for a care home"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service_type", "source", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "source", "effective_from"], name="costofcare_one_rate_a_day"
            )
        ]
        verbose_name = _("council rate")

    def __str__(self):
        return f"{self.get_service_type_display()} from {self.effective_from.day} {self.effective_from:%B %Y}"

    @property
    def per_hour(self) -> bool:
        return self.service_type == self.ServiceType.HOME_CARE
