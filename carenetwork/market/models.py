"""The market: the ONS population projections and prevalence rates behind predicted demand, the areas they cover,
and the council's market settings (its area, and where a sub-market turns amber or red).

Imported files are stored as they say (figures, age groups, rates as given); the rules (persons rates from rates by
sex, age bands, which release is used) are applied when reading (market/demand.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import SingletonSettings, TimeStampedModel
from carenetwork.market.models_statement import (  # noqa: F401  (the statement and the needed services)
    NeededService,
    SectionComment,
    ServiceInterest,
    StatementEmail,
    StatementSection,
    StatementVersion,
    VersionSection,
)


class Area(models.Model):
    """A local authority district (lower tier) and the social care authority (county or unitary) it is in, from
    the ONS lookup; a unitary authority is its own upper tier."""

    code = models.CharField(_("ONS code"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    # Blank for an area the lookup does not list as a district (England, a region, a county by itself).
    authority_code = models.CharField(_("upper-tier ONS code"), max_length=9, blank=True, db_index=True)
    authority_name = models.CharField(_("upper-tier name"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class PopulationRelease(models.Model):
    """One ONS projections file as loaded: its base year, whether it gives single years of age, and when."""

    name = models.CharField(_("release"), max_length=150)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    by_age = models.BooleanField(_("by single year of age"), default=True)
    oldest_age = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, help_text=_("The file's last age group, which means this age and over")
    )
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    file_name = models.CharField(max_length=255)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-base_year", "-by_age"]
        constraints = [models.UniqueConstraint(fields=["base_year", "by_age"], name="market_release_once")]

    def __str__(self):
        return self.name


class PopulationFigure(models.Model):
    """Projected persons in an area, year and single year of age (the oldest meaning 'and over'; none: all ages)."""

    release = models.ForeignKey(PopulationRelease, on_delete=models.CASCADE, related_name="figures")
    area_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    persons = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        indexes = [models.Index(fields=["release", "area_code", "year"], name="market_population_key")]

    def __str__(self):
        return f"{self.area_code} {self.year} {self.age}: {self.persons}"


class PrevalenceRate(models.Model):
    """A row of the POPPI/PANSI prevalence assumptions as the file gives it (rate 'NA' stored as none)."""

    origin = models.CharField(max_length=100)
    indicator = models.CharField(max_length=200)
    sex = models.CharField(max_length=20)
    age_group = models.CharField(max_length=40)
    application = models.CharField(max_length=100, blank=True)
    rate = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    source = models.CharField(max_length=255, blank=True)
    source_year = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["origin", "indicator", "pk"]

    def __str__(self):
        return f"{self.indicator}, {self.sex}, {self.age_group}: {self.rate}"


class MarketSettings(SingletonSettings):
    """The council's market settings (one row): its area as ONS codes, and the thresholds of the sustainability
    verdict, each with where its default comes from."""

    area_codes = models.CharField(
        _("the council's area (ONS codes)"),
        max_length=500,
        blank=True,
        help_text=_(
            "A unitary authority's code (E06…, E08…, E09…), or a county's (E10…) for the county and its districts, "
            "or district codes separated by commas"
        ),
    )
    hhi_amber = models.PositiveIntegerField(
        _("concentration (HHI) amber from"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("Default 1,000: below it the European Commission sees no concern (horizontal merger guidelines)"),
    )
    hhi_red = models.PositiveIntegerField(
        _("concentration (HHI) red from"),
        default=1800,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_("Default 1,800: 'highly concentrated' in the US 2023 merger guidelines (the CMA uses none)"),
    )
    share_amber = models.PositiveSmallIntegerField(
        _("largest provider's share amber from (%)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Default 25%: the share of supply test of the Enterprise Act 2002 (section 23)"),
    )
    share_red = models.PositiveSmallIntegerField(
        _("largest provider's share red from (%)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Default 40%: below it the European Commission finds dominance unlikely (Article 102 guidance)"),
    )

    return_opens = models.PositiveSmallIntegerField(
        _("capacity returns open on day"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Day of the month providers are asked for their capacity return (the Capacity Tracker's is the 8th)"
        ),
    )
    return_closes = models.PositiveSmallIntegerField(
        _("capacity returns due by day"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Providers who have not returned by then are reminded once"),
    )
    mailbox = models.EmailField(
        _("market position statement mailbox"),
        blank=True,
        help_text=_("The council's shared address for providers' questions, shown on the statement"),
    )

    class Meta:
        verbose_name_plural = _("market settings")

    def __str__(self):
        return "Market settings"


class CapacityReturn(TimeStampedModel):
    """A location's monthly capacity return: the figures care homes and home care services already give the national
    Capacity Tracker, so the council asks once. One per location and month; a blank figure was not given."""

    location = models.ForeignKey(
        "organisations.Location", on_delete=models.CASCADE, related_name="capacity_returns", verbose_name=_("location")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month the return is for"))
    # Care homes.
    beds = models.PositiveIntegerField(_("maximum bed capacity"), null=True, blank=True)
    occupied = models.PositiveIntegerField(_("beds occupied"), null=True, blank=True)
    vacant_accepting = models.PositiveIntegerField(_("vacant beds accepting admissions"), null=True, blank=True)
    vacant_reserved = models.PositiveIntegerField(_("vacant beds reserved"), null=True, blank=True)
    # Staff headcount, directly employed and agency or bank.
    nurses_direct = models.PositiveIntegerField(_("registered nurses, directly employed"), null=True, blank=True)
    nurses_agency = models.PositiveIntegerField(_("registered nurses, agency or bank"), null=True, blank=True)
    care_direct = models.PositiveIntegerField(_("care staff, directly employed"), null=True, blank=True)
    care_agency = models.PositiveIntegerField(_("care staff, agency or bank"), null=True, blank=True)
    other_direct = models.PositiveIntegerField(_("non-care staff, directly employed"), null=True, blank=True)
    other_agency = models.PositiveIntegerField(_("non-care staff, agency or bank"), null=True, blank=True)
    # Home care.
    people = models.PositiveIntegerField(_("people receiving care"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("hours of care delivered last week"), null=True, blank=True)
    taking_new = models.BooleanField(_("can take new packages of care"), null=True, blank=True)
    no_change = models.BooleanField(_("no change since the month before"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "location"]
        constraints = [models.UniqueConstraint(fields=["location", "month"], name="market_return_once_a_month")]
        indexes = [models.Index(fields=["month", "location"], name="market_return_month")]

    def __str__(self):
        return f"{self.location} {self.month:%B %Y}"


class ReturnReminder(models.Model):
    """An organisation reminded of a month's capacity returns: each is reminded once a month."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="market_reminded_once")]

    def __str__(self):
        return f"{self.organisation_id} {self.month:%Y-%m}"


class SubMarketFigures(models.Model):
    """A sub-market's figures from the directory, kept by market/figures.py whenever a location or provider changes,
    for each way of dividing the market (by local authority, by the council's localities)."""

    by = models.CharField(max_length=16)
    service_type = models.ForeignKey("organisations.ServiceType", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=100)
    unit = models.CharField(max_length=16)
    locations = models.PositiveIntegerField(default=0)
    providers = models.PositiveIntegerField(default=0)
    capacity = models.BigIntegerField(default=0)
    squares = models.BigIntegerField(default=0)
    largest = models.IntegerField(null=True)  # the organisation's id
    largest_capacity = models.BigIntegerField(default=0)
    largest_locations = models.PositiveIntegerField(default=0)
    rated_good = models.PositiveIntegerField(default=0)
    rated_poor = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["by", "service_type", "area"], name="market_sub_market_once")]

    def __str__(self):
        return f"{self.by} {self.service_type_id} {self.area}"


class SubMarketMonth(models.Model):
    """A sub-market's capacity returns for one month, kept with its directory figures."""

    by = models.CharField(max_length=16)
    service_type = models.ForeignKey("organisations.ServiceType", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=100)
    month = models.DateField()
    returned_locations = models.PositiveIntegerField(default=0)
    returned_providers = models.PositiveIntegerField(default=0)
    returned_beds = models.BigIntegerField(default=0)
    returned_occupied = models.BigIntegerField(default=0)
    vacant = models.BigIntegerField(default=0)
    staff = models.BigIntegerField(default=0)
    agency = models.BigIntegerField(default=0)
    largest_returned = models.PositiveIntegerField(default=0)
    largest_occupied = models.BigIntegerField(default=0)
    largest_vacant = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["by", "service_type", "area", "month"], name="market_sub_market_month")
        ]
        indexes = [models.Index(fields=["by", "month"], name="market_month_key")]

    def __str__(self):
        return f"{self.by} {self.service_type_id} {self.area} {self.month:%Y-%m}"
