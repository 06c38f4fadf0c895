"""The opportunities board's records: an opportunity (a tender or a grant) with its lots, evaluation criteria and
documents; providers' interest, clarification questions and consortium posts; bids with their outcome and feedback;
the contracts awarded and the invoices paid on them.

Values are in pounds including VAT, as the Procurement Act 2023's thresholds are. An opportunity imported from
Contracts Finder keeps the release it came from (`source_release`): we store what the source said.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel
from carenetwork.organisations.models import Organisation, ServiceType


def _money(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], null=True, blank=True, **kwargs
    )


class ClientGroup(models.TextChoices):
    OLDER_PEOPLE = "older-people", _("Older people")
    LEARNING_DISABILITY = "learning-disability", _("People with a learning disability or autism")
    MENTAL_HEALTH = "mental-health", _("People with mental health needs")
    PHYSICAL_DISABILITY = "physical-disability", _("People with a physical or sensory disability")
    CARERS = "carers", _("Carers")
    ALL_ADULTS = "all-adults", _("All adults")


class Opportunity(TimeStampedModel):
    """A contract or grant the council offers, on the board from publication to award."""

    class Route(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        GRANT = "grant", _("Grant")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    class Origin(models.TextChoices):
        PORTAL = "portal", _("Published here")
        CONTRACTS_FINDER = "contracts-finder", _("Imported from Contracts Finder")

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    funding_route = models.CharField(_("funding route"), max_length=10, choices=Route.choices, default=Route.CONTRACT)
    light_touch = models.BooleanField(
        _("light touch services"),
        default=True,
        help_text=_("Most care and support services are light touch services"),
    )
    service_type = models.ForeignKey(
        ServiceType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    client_group = models.CharField(_("client group"), max_length=24, choices=ClientGroup.choices, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    value = _money(_("total value including VAT (£)"))
    duration_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    procurement_start = models.DateField(_("procurement start"), help_text=_("The day the procurement began"))
    market_engagement = models.DateField(_("market engagement"), null=True, blank=True)
    tender_published = models.DateField(_("tender notice published"), null=True, blank=True)
    questions_deadline = models.DateField(_("clarification questions deadline"), null=True, blank=True)
    tender_deadline = models.DateField(_("tender deadline"), null=True, blank=True)
    award_date = models.DateField(_("expected award"), null=True, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    no_lots_reason = models.TextField(_("why it is not divided into lots"), blank=True)
    minimum_turnover = _money(_("minimum yearly turnover asked of bidders (£)"))
    insurance_required = _money(_("highest insurance cover asked (£)"))
    prequalification = models.BooleanField(_("has a pre-qualification (suitability) step"), default=False)
    reserved_local = models.BooleanField(_("reserved for suppliers in the area"), default=False)
    reserved_uk = models.BooleanField(_("reserved for UK suppliers"), default=False)
    reserved_sme_vcse = models.BooleanField(_("reserved for SMEs and VCSEs"), default=False)
    health_led = models.BooleanField(_("led by or mixed with health care"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PORTAL)
    ocid = models.CharField(_("open contracting id"), max_length=120, blank=True, db_index=True)
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    source_release = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ocid"], condition=~models.Q(ocid=""), name="procurement_opportunity_ocid_unique"
            )
        ]

    def __str__(self):
        return self.title


class Lot(models.Model):
    """A part of an opportunity bid for and awarded on its own."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    value = _money(_("value including VAT (£)"))
    duration_months = models.PositiveSmallIntegerField(
        _("length (months)"), null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    area = models.CharField(_("area"), max_length=100, blank=True)
    client_group = models.CharField(_("client group"), max_length=24, choices=ClientGroup.choices, blank=True)

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "number"], name="procurement_lot_number")]

    def __str__(self):
        return _("Lot %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class Criterion(models.Model):
    """One evaluation criterion and its weight (a percentage; an opportunity's weights add up to 100)."""

    class Kind(models.TextChoices):
        PRICE = "price", _("Price")
        QUALITY = "quality", _("Quality")
        SOCIAL_VALUE = "social-value", _("Social value")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["opportunity", "pk"]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Document(TimeStampedModel):
    """A public tender document (specification, contract terms, pricing schedule) linked from the opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document title"), max_length=200)
    url = models.URLField(_("web address"), max_length=500)

    class Meta:
        ordering = ["opportunity", "pk"]

    def __str__(self):
        return self.title


class Interest(TimeStampedModel):
    """An organisation's registered interest: it is sent every answer, and told if the opportunity is cancelled."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="procurement_interest_once")
        ]


class Question(TimeStampedModel):
    """A clarification question. Its asker is never shown to other organisations nor exported; the answer goes to
    every interested organisation."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["opportunity", "pk"]
        indexes = [models.Index(fields=["opportunity", "answered_at"])]


class ConsortiumPost(TimeStampedModel):
    """What an organisation offers and the partner it seeks for an opportunity (the consortium finder)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="consortium_posts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    offers = models.TextField(_("what you offer"), max_length=2000)
    seeks = models.TextField(_("the partner you are looking for"), max_length=2000)
    lots = models.ManyToManyField(Lot, blank=True, related_name="+", verbose_name=_("lots"))
    area = models.CharField(_("area"), max_length=100, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["opportunity", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="procurement_consortium_post_once")
        ]


class ConsortiumMessage(TimeStampedModel):
    """A message to a consortium post's organisation, sent to its shared mailbox (never a person's address)."""

    post = models.ForeignKey(ConsortiumPost, on_delete=models.CASCADE, related_name="messages")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"), max_length=3000)

    class Meta:
        ordering = ["post", "created_at"]


class Bid(TimeStampedModel):
    """An organisation's tender for a lot, its outcome and the written feedback it is given."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet decided")
        SUCCESSFUL = "successful", _("Successful")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="bids")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    score = models.DecimalField(
        _("score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback = models.TextField(_("feedback"), blank=True, max_length=5000)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lot", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["lot", "organisation"], name="procurement_bid_once")]


class Contract(TimeStampedModel):
    """A lot awarded to a supplier: an organisation here, or (imported) a supplier named by the source."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="contracts")
    supplier = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supplier_name = models.CharField(_("supplier"), max_length=200)
    value = _money(_("contract value including VAT (£)"))
    awarded_on = models.DateField(_("awarded on"))
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["lot", "pk"]

    def __str__(self):
        return f"{self.lot.opportunity.title}: {self.supplier_name}"


class Invoice(TimeStampedModel):
    """An invoice on a contract: when it was received, when it was valid and undisputed, and when it was paid."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="invoices")
    reference = models.CharField(_("invoice number"), max_length=60)
    amount = models.DecimalField(
        _("amount including VAT (£)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    received_on = models.DateField(_("received"))
    undisputed_on = models.DateField(
        _("valid and undisputed from"), help_text=_("Usually the day it was received, unless it was disputed")
    )
    paid_on = models.DateField(_("paid"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["contract", "received_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "reference"], name="procurement_invoice_reference"),
            models.CheckConstraint(
                condition=models.Q(undisputed_on__gte=models.F("received_on")), name="procurement_invoice_undisputed"
            ),
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True) | models.Q(paid_on__gte=models.F("received_on")),
                name="procurement_invoice_paid_after_received",
            ),
        ]

    def __str__(self):
        return self.reference
