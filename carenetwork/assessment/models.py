"""The Market Shaping Toolkit's questionnaires as data (versioned: council administrators change them, and a version
a round has used never changes), the council's dated rounds of answers, providers' own dated checks against the
market position statement (tool 2, private to each provider), and providers' anonymous scores of the council's
engagement (tool 4)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel
from carenetwork.organisations.models import Organisation

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


class QuestionSet(models.Model):
    """One version of one of the toolkit's questionnaires."""

    class Tool(models.TextChoices):
        COSTS = "tool-1", _("Tool 1: understanding providers' business")
        MPS = "tool-2", _("Tool 2: providers' checklist on the market position statement")
        ENGAGEMENT = "tool-4", _("Tool 4: engagement self-assessment")
        PROCUREMENT = "tool-5", _("Tool 5: checklist for SME procurement")

    class Kind(models.TextChoices):
        YES_NO = "yes-no", _("Yes, no or don't know, with a note")
        SCORE = "score", _("A score from 0 to 5, with what needs to be done to improve it")

    tool = models.CharField(_("tool"), max_length=8, choices=Tool.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    class Meta:
        ordering = ["tool", "-version"]
        constraints = [models.UniqueConstraint(fields=["tool", "version"], name="assessment_set_tool_version")]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    @property
    def scored(self) -> bool:
        return self.kind == self.Kind.SCORE

    @property
    def for_providers(self) -> bool:
        """Tool 2 is each provider's own check; the other tools are the council's."""
        return self.tool == self.Tool.MPS


class Question(models.Model):
    """One question (or, for tool 4, one engagement method) of a question set, in the toolkit's words. Its key stays
    the same from version to version, through rewording and reordering, so the trend follows it across versions."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    key = models.PositiveSmallIntegerField(_("key"))
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("text"), max_length=500)
    help = models.TextField(_("help"), blank=True)

    class Meta:
        ordering = ["question_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "order"], name="assessment_question_order"),
            models.UniqueConstraint(fields=["question_set", "key"], name="assessment_question_key"),
        ]

    def __str__(self):
        return self.text


class Round(TimeStampedModel):
    """A dated completion of one version of a question set. The council's (no organisation) are open while being
    answered (and, for tool 4, while providers score), closed once done; a provider's own tool 2 check belongs to
    the provider, is private to it, and is saved closed, one a day."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="rounds")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("provider")
    )

    class Meta:
        ordering = ["question_set", "date", "pk"]
        constraints = [
            # One open round of a set at a time: providers score "the" open round.
            models.UniqueConstraint(
                fields=["question_set"], condition=models.Q(status="open"), name="assessment_one_open_round"
            ),
            # A provider's check is saved complete; doing it again the same day updates that day's check.
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(status="closed"),
                name="assessment_provider_round_closed",
            ),
            models.UniqueConstraint(
                fields=["organisation", "question_set", "date"],
                condition=models.Q(organisation__isnull=False),
                name="assessment_provider_round_once_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.question_set.title}, {self.date.day} {self.date:%B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Answer(models.Model):
    """The council's answer to one question in a round: yes / no / don't know, or a score, and a note."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        DONT_KNOW = "dont-know", _("Don't know")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("answer"), max_length=10, choices=Choice.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, validators=SCORE_VALIDATORS)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="assessment_answer_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=5),
                name="assessment_answer_score_0_5",
            ),
        ]

    def __str__(self):
        return f"{self.round}: {self.question}"


class ProviderScore(models.Model):
    """A provider's anonymous score (0–5) of one engagement method in a round. The organisation is kept only so each
    provider answers once per method per round; no page shows it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="provider_scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="provider_scores")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "organisation"], name="assessment_provider_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=5), name="assessment_provider_score_0_5"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.score}"
