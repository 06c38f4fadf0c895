"""The market position statement and the needed and desired services.

Officers edit one draft (its sections, in Markdown with live block lines); publishing freezes the draft and every
block's figures into a numbered version that never changes. Providers comment on the sections of a version and
officers answer under each comment. Needed services are the gaps the council wants filled; anyone signed in, with or
without an organisation, registers interest in one, and the council replies.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel


class StatementSection(TimeStampedModel):
    """A section of the draft statement: a heading and Markdown text, with a line such as [[supply]] for a live
    block."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True, max_length=20_000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.heading


class StatementVersion(models.Model):
    """A published statement: numbered from 1, with its sections' text and figures as they were that day."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(_("what has changed"), max_length=500)
    mailbox = models.EmailField(_("contact mailbox"), blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Version {self.number}"


class StatementEmail(models.Model):
    """A member told of a published version: marked in the transaction that sends their email, so a rerun of the
    task after a crash emails only those not yet told."""

    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="market_statement_emailed_once")]

    def __str__(self):
        return f"{self.version} to {self.user_id}"


class VersionSection(models.Model):
    """A section as published: its Markdown, and its parts (sanitised HTML and frozen blocks) ready to show."""

    version = models.ForeignKey(StatementVersion, on_delete=models.CASCADE, related_name="sections")
    # The draft section it was published from (its id: a later change to the draft never touches a version).
    section_key = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    parts = models.JSONField(default=list)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="market_version_section_order")]

    def __str__(self):
        return self.heading


class SectionComment(TimeStampedModel):
    """A signed-in provider's comment on a published section, and the council's response."""

    section = models.ForeignKey(VersionSection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    response = models.TextField(_("response"), blank=True, max_length=2000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment on {self.section_id}"


class NeededService(TimeStampedModel):
    """A gap the council wants filled, shown to everyone: what, for whom, where, why and with what caveats."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for interest")
        DISCUSSING = "discussing", _("In discussion")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ClientGroup(models.TextChoices):
        OLDER = "older", _("Older people")
        DEMENTIA = "dementia", _("People living with dementia")
        LEARNING = "learning", _("People with a learning disability or autistic people")
        MENTAL = "mental", _("People with mental health needs")
        PHYSICAL = "physical", _("People with a physical disability")
        CARERS = "carers", _("Unpaid carers")
        ALL = "all", _("All adults")

    service = models.CharField(_("service needed"), max_length=200)
    client_group = models.CharField(_("who it is for"), max_length=20, choices=ClientGroup.choices)
    locality = models.CharField(_("where"), max_length=200, help_text=_("For example, a ward or 'across the borough'"))
    evidence = models.TextField(_("why it is needed"), max_length=4000)
    caveats = models.TextField(_("caveats"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "-created_at", "pk"]

    def __str__(self):
        return self.service


class ServiceInterest(TimeStampedModel):
    """Someone's interest in filling a needed service (once each), with the council's reply."""

    need = models.ForeignKey(NeededService, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("your name"), max_length=200)
    note = models.TextField(_("about you and what you could offer"), max_length=2000)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["need", "person"], name="market_interest_once")]

    def __str__(self):
        return f"Interest in {self.need_id}"
