"""The programme report's maintained figures: one row per run, and one per organisation with places booked on it.

The training services that change a run, its interests, its decisions or its evaluations refresh the run's rows in
the same transaction (`training.programme_figures`), so the report reads a few thousand rows, not every interest.
`manage.py recount_figures` recounts them from scratch. Imported by `training.models`, so Django finds them there.
"""

from django.db import models


class RunFigures(models.Model):
    """A run's figures for the programme report, as of its last change: the quarter it starts in, its places and
    status, what is booked and owed, and its evaluations' totals."""

    run = models.OneToOneField(
        "training.CourseRun", on_delete=models.CASCADE, primary_key=True, related_name="programme_figures"
    )
    # The first day of the quarter of the financial year the run starts in (local time).
    quarter = models.DateField()
    places_offered = models.PositiveIntegerField(default=0)
    # Confirmed: places booked; cancelled: places held when it was cancelled; not decided yet: places held now.
    places_filled = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16)
    offered_to_partners = models.BooleanField(default=False)
    targets_everyone = models.BooleanField(default=False)  # no sector targeted: every provider is its audience
    places_booked = models.PositiveIntegerField(default=0)
    spend = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Booked places with a price, and what they cost: the saving against the course's usual price is worked out
    # from these when the report is read, so a change of usual price is one UPDATE of the course's runs.
    places_priced = models.PositiveIntegerField(default=0)
    price_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    usual_price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    evaluations = models.PositiveIntegerField(default=0)
    met_aims = models.PositiveIntegerField(default=0)
    trainer = models.PositiveIntegerField(default=0)
    useful = models.PositiveIntegerField(default=0)
    overall = models.PositiveIntegerField(default=0)

    FIGURES = (
        "quarter",
        "places_offered",
        "places_filled",
        "status",
        "offered_to_partners",
        "targets_everyone",
        "places_booked",
        "spend",
        "places_priced",
        "price_total",
        "usual_price",
        "evaluations",
        "met_aims",
        "trainer",
        "useful",
        "overall",
    )

    class Meta:
        verbose_name_plural = "run figures"
        indexes = [models.Index(fields=["quarter"])]

    def __str__(self):
        return f"Figures of run {self.run_id}"


class RunPurchaser(models.Model):
    """An organisation with places booked on a run, with the quarter the run starts in: whether an organisation
    bought in a quarter is one look-up. Kept with the run's figures, so no two runs ever share a row to update."""

    run = models.ForeignKey("training.CourseRun", on_delete=models.CASCADE, related_name="programme_purchasers")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="training_purchases"
    )
    quarter = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "organisation"], name="one_purchaser_row_per_run")]
        indexes = [models.Index(fields=["organisation", "quarter"])]

    def __str__(self):
        return f"{self.organisation_id} on run {self.run_id}"


class ProgrammeQuarter(models.Model):
    """Part of the runs' figures of one quarter, added up: what the programme report reads instead of every run.

    Each change of a run's figures appends its difference as a new row, so that writers never wait on one another's,
    and `training.programme_figures.programme_compact` folds each quarter's rows back into one. Signed: a change row
    may take away.
    """

    quarter = models.DateField()
    runs = models.IntegerField(default=0)
    places_offered = models.IntegerField(default=0)
    places_filled = models.IntegerField(default=0)
    runs_confirmed = models.IntegerField(default=0)
    runs_rescued = models.IntegerField(default=0)
    runs_cancelled = models.IntegerField(default=0)
    untargeted_runs = models.IntegerField(default=0)
    places_booked = models.IntegerField(default=0)
    spend = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Booked places whose course has a usual price, and the saving against it over those places.
    places_compared = models.IntegerField(default=0)
    saving_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    evaluations = models.IntegerField(default=0)
    met_aims = models.IntegerField(default=0)
    trainer = models.IntegerField(default=0)
    useful = models.IntegerField(default=0)
    overall = models.IntegerField(default=0)

    SUMS = (
        "runs",
        "places_offered",
        "places_filled",
        "runs_confirmed",
        "runs_rescued",
        "runs_cancelled",
        "untargeted_runs",
        "places_booked",
        "spend",
        "places_compared",
        "saving_total",
        "evaluations",
        "met_aims",
        "trainer",
        "useful",
        "overall",
    )

    class Meta:
        indexes = [models.Index(fields=["quarter"], name="programme_quarter_key")]

    def __str__(self):
        return f"Programme figures of the quarter from {self.quarter}"


class ProgrammeProviders(models.Model):
    """How many active care providers are in a set of sectors: now (no period), and of those, how many had places
    booked on a run of a quarter (`months` 3) or of a financial year (`months` 12) starting on `starts`.

    The programme report's target audience and providers purchasing are sums of these over the sector sets that meet
    the sectors a quarter's runs target: a few hundred rows, not a look-up per provider. Append-only change rows,
    folded by `programme_compact`, as for `ProgrammeQuarter`.
    """

    starts = models.DateField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=0)
    # The provider's sectors' ids, ascending, joined by commas ("" for none).
    sectors = models.CharField(max_length=200, blank=True)
    providers = models.IntegerField(default=0)

    SUMS = ("providers",)

    class Meta:
        verbose_name_plural = "programme providers"
        indexes = [models.Index(fields=["starts", "months", "sectors"], name="programme_providers_key")]

    def __str__(self):
        return f"Providers in sectors {self.sectors or '–'} from {self.starts or 'now'} ({self.months} months)"
