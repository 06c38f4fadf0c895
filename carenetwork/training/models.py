"""The training brokerage: courses, runs with community buy-in price schedules, interests that become bookings,
delegates, attendance, evaluations and the demand survey.

A run's live figures (`places_taken`, `current_price`) are kept on the run by the locked services in
`training.interests` and `training.decisions`, so the catalogue lists and filters thousands of runs without
counting their interests.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import SingletonSettings, TimeStampedModel
from carenetwork.training.models_figures import (  # noqa: F401  (the report's figures)
    ProgrammeProviders,
    ProgrammeQuarter,
    RunFigures,
    RunPurchaser,
)


class DeliveryMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    ONLINE = "online", _("Live online")
    BLENDED = "blended", _("Blended (face to face and online)")
    E_LEARNING = "e_learning", _("E-learning")


class Course(TimeStampedModel):
    """A course a training provider offers; only council-approved courses are visible to members."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="courses", verbose_name=_("provider")
    )
    title = models.CharField(_("title"), max_length=150)
    outline = models.TextField(_("outline"), max_length=5000, help_text=_("What the course covers and who it is for"))
    categories = models.ManyToManyField(
        "records.TrainingCategory", related_name="courses", verbose_name=_("training categories covered")
    )
    duration_hours = models.DecimalField(
        _("duration in hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    delivery_mode = models.CharField(_("delivery mode"), max_length=16, choices=DeliveryMode.choices)
    accreditation = models.CharField(
        _("accreditation (optional)"),
        max_length=200,
        blank=True,
        help_text=_("The awarding or endorsing body, like Skills for Care endorsed or CPD certified"),
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("maximum group size"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    usual_price = models.DecimalField(
        _("usual price per delegate (£)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("What one provider pays for one place bought alone: the programme report measures savings by it"),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    review_comments = models.TextField(_("comments for the training provider"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "title"]), models.Index(fields=["provider", "status"])]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.APPROVED


class CourseRun(TimeStampedModel):
    """A published course on a date and at a venue, with its places and its price schedule."""

    class Status(models.TextChoices):
        OPEN = "open", _("Taking interest")
        PARTNERS = "partners", _("Offered to partners")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Pricing(models.TextChoices):
        SHARED_FEE = "shared_fee", _("A shared fee for the run, split equally between the places")
        TIERS = "tiers", _("A price per place for each band of places")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    dates_note = models.CharField(
        _("dates and times (optional)"),
        max_length=200,
        blank=True,
        help_text=_("For a course over several days, like: 3 and 10 March, 9:30 to 16:30 each day"),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True, db_index=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("maximum places"), validators=[MinValueValidator(1)])
    minimum_places = models.PositiveSmallIntegerField(_("minimum places to run"), validators=[MinValueValidator(1)])
    interest_deadline = models.DateTimeField(_("interest deadline"))
    partner_margin = models.PositiveSmallIntegerField(
        _("partner margin"),
        help_text=_("If the run is short by this many places or fewer at the deadline, partners are offered them"),
    )
    partner_deadline = models.DateTimeField(_("partner deadline"))
    booking_cutoff = models.DateTimeField(
        _("booking and substitution cut-off"),
        help_text=_("After this, no new places are taken and delegates cannot be changed"),
    )
    cancellation_terms = models.TextField(
        _("cancellation terms"),
        max_length=1000,
        help_text=_("Shown before anyone books, like: free until 14 days before; full price after that"),
    )
    free_cancellation_until = models.DateTimeField(
        _("free cancellation until"), help_text=_("Places cancelled after this are still charged")
    )
    sectors = models.ManyToManyField(
        "organisations.Sector", blank=True, related_name="course_runs", verbose_name=_("sectors targeted")
    )
    pricing = models.CharField(_("price schedule"), max_length=16, choices=Pricing.choices)
    fee = models.DecimalField(_("shared fee (£)"), max_digits=9, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Live figures, kept by the locked services: places held within capacity, and the most each will cost.
    places_taken = models.PositiveSmallIntegerField(default=0)
    current_price = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    single_place_price = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    locked_price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    partners_offered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            # The services lock the run before they check; this is the backstop.
            models.CheckConstraint(condition=Q(places_taken__lte=F("capacity")), name="run_within_capacity"),
            models.CheckConstraint(condition=Q(minimum_places__lte=F("capacity")), name="run_minimum_within_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="run_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["starts_at"]),
            models.Index(fields=["course", "starts_at"]),
            models.Index(fields=["interest_deadline"]),
        ]

    def __str__(self):
        return f"{self.course} – {timezone.localtime(self.starts_at):%d %b %Y}"

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def is_live(self):
        return self.status in (self.Status.OPEN, self.Status.PARTNERS)

    @property
    def was_rescued(self):
        """Confirmed with places taken by partners after the first deadline fell short."""
        return self.status == self.Status.CONFIRMED and self.partners_offered_at is not None


class PriceTier(models.Model):
    """From `from_places` places on the run, each place costs `price`."""

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="tiers")
    from_places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["from_places"]
        constraints = [models.UniqueConstraint(fields=["run", "from_places"], name="one_tier_per_band")]

    def __str__(self):
        return f"{self.from_places}+: £{self.price}"


class RunDecision(models.Model):
    """One change of a run's state: what was decided, by whom (no one: the scheduled task) and why."""

    class Trigger(models.TextChoices):
        DEADLINE = "deadline", _("Interest deadline")
        PARTNER_DEADLINE = "partner_deadline", _("Partner deadline")
        EARLY = "early", _("Decided early by a council officer")
        OVERRIDE = "override", _("Overridden by a council officer")

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="decisions")
    at = models.DateTimeField(default=timezone.now)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    from_status = models.CharField(max_length=16, choices=CourseRun.Status.choices)
    to_status = models.CharField(max_length=16, choices=CourseRun.Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=2000)
    places = models.PositiveSmallIntegerField(default=0)
    price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    dropped = models.PositiveSmallIntegerField(default=0, help_text=_("Organisations whose limit was below the price"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.run}: {self.from_status} → {self.to_status}"


class Interest(TimeStampedModel):
    """An organisation's places on a run: an expression of interest before the decision, a booking after it.

    `places` are held within capacity; `waiting_places` queue beyond it, in `queued_at` order, and are given
    places as they free up.
    """

    class Status(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        BOOKED = "booked", _("Booked")
        DROPPED = "dropped", _("Price above your limit")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")
        RUN_CANCELLED = "run_cancelled", _("Run cancelled")

    class Invoice(models.TextChoices):
        NOT_ISSUED = "not_issued", _("Not invoiced yet")
        ISSUED = "issued", _("Invoice issued")
        PAID = "paid", _("Paid")

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="training_interests"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INTERESTED)
    places = models.PositiveSmallIntegerField(default=0)
    waiting_places = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    ceiling = models.DecimalField(
        _("the most you will pay per place (optional)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    # Places cancelled after free cancellation ended: still charged.
    charged_places = models.PositiveSmallIntegerField(default=0)
    # What the organisation owes: (places + charged places) × the run's locked price.
    amount_due = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    invoice = models.CharField(max_length=16, choices=Invoice.choices, default=Invoice.NOT_ISSUED)
    invoice_issued_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    LIVE = (Status.INTERESTED, Status.BOOKED)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "organisation"],
                condition=Q(status__in=["interested", "booked"]),
                name="one_live_interest_per_organisation",
            )
        ]
        indexes = [models.Index(fields=["run", "status"]), models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.organisation} – {self.run}"

    @property
    def is_live(self):
        return self.status in self.LIVE


class Delegate(TimeStampedModel):
    """A person named for one of an organisation's places: from its staff register, or by name for partners."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="delegates")
    staff = models.ForeignKey(
        "records.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="course_places"
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    attended = models.BooleanField(null=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # The records attendance wrote (one per category the course covers): only these are removed if unticked.
    training_records = models.ManyToManyField("records.TrainingRecord", blank=True, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interest", "staff"], condition=Q(staff__isnull=False), name="one_place_per_delegate"
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return str(self.staff) if self.staff_id else self.name


class Evaluation(TimeStampedModel):
    """A delegate's rating of a course they attended: four questions scored 1–5, and comments."""

    SCORE = [MinValueValidator(1), MaxValueValidator(5)]

    delegate = models.OneToOneField(Delegate, on_delete=models.CASCADE, related_name="evaluation")
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="evaluations")
    met_aims = models.PositiveSmallIntegerField(_("The course met its aims"), validators=SCORE)
    trainer = models.PositiveSmallIntegerField(
        _("The trainer knew the subject and explained it well"), validators=SCORE
    )
    useful = models.PositiveSmallIntegerField(_("What I learned is useful in my job"), validators=SCORE)
    overall = models.PositiveSmallIntegerField(_("Overall, the course was good"), validators=SCORE)
    comments = models.TextField(_("comments (optional)"), blank=True, max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    QUESTIONS = ("met_aims", "trainer", "useful", "overall")

    class Meta:
        indexes = [models.Index(fields=["run"])]

    def __str__(self):
        return f"Evaluation of {self.run}"


class DemandEstimate(TimeStampedModel):
    """A provider's answer to the demand survey: how many staff need a category in the next six months."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="training_demand"
    )
    category = models.ForeignKey("records.TrainingCategory", on_delete=models.CASCADE, related_name="demand")
    staff_needing = models.PositiveIntegerField(_("staff needing it"), validators=[MaxValueValidator(100_000)])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "category"], name="one_estimate_per_category")]
        indexes = [models.Index(fields=["category", "modified_at"])]

    def __str__(self):
        return f"{self.organisation}: {self.category} × {self.staff_needing}"


class BrokerageSettings(SingletonSettings):
    """The council's settings for the brokerage (one row)."""

    partner_margin = models.PositiveSmallIntegerField(
        _("partner margin (places)"),
        default=3,
        validators=[MaxValueValidator(100)],
        help_text=_("A new run short by this many places or fewer at its deadline is offered to partners"),
    )
    partner_days = models.PositiveSmallIntegerField(
        _("days partners have to take places"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind delegates this many days before a course"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name_plural = _("brokerage settings")

    def __str__(self):
        return "Brokerage settings"
