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
