"""Specialist confidential forums: membership by organisation, bookable meetings, a shared agenda that feeds back."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.models import TimeStampedModel


class Forum(TimeStampedModel):
    """A confidential forum for a part of the care market, led by council officers."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        "organisations.Sector", blank=True, related_name="forums", verbose_name=_("sectors that may join")
    )
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_forums", verbose_name=_("council leads"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ForumMembership(TimeStampedModel):
    """An organisation's membership of a forum: asked for, approved by a lead, or added by the council."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Left")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="forum_memberships"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "organisation"],
                condition=Q(status__in=["requested", "active"]),
                name="one_open_forum_membership",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.organisation} in {self.forum}"


class Meeting(TimeStampedModel):
    """A forum meeting people book onto, with its agenda and record."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    per_organisation_limit = models.PositiveIntegerField(_("places per organisation"), default=2)
    booking_deadline = models.DateTimeField(_("booking deadline"))
    agenda_deadline = models.DateTimeField(_("deadline for agenda items"))
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    record_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="meeting_has_places"),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %b %Y})"

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()


class Booking(TimeStampedModel):
    """A person's place at a meeting, or their place in the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_bookings")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="forum_bookings"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # Waiting-list order: the moment the person joined the list.
    queued_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="one_live_booking_per_person",
            )
        ]
        indexes = [models.Index(fields=["meeting", "status", "queued_at"]), models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person} – {self.meeting} ({self.get_status_display()})"


def _new_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(TimeStampedModel):
    """A secret, revocable address of a person's calendar of bookings."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar of {self.person}"


class AgendaItem(TimeStampedModel):
    """An issue, question or proposal raised for a forum, followed from raising to feedback."""

    class Category(models.TextChoices):
        ISSUE = "issue", _("An issue")
        QUESTION = "question", _("A question")
        PROPOSAL = "proposal", _("A proposal")

    class State(models.TextChoices):
        RAISED = "raised", _("Raised")
        ON_AGENDA = "on_agenda", _("On the agenda")
        DISCUSSED = "discussed", _("Discussed")
        ACTION_IN_PROGRESS = "action_in_progress", _("Action in progress")
        FED_BACK = "fed_back", _("Fed back")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="items")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("kind of item"), max_length=16, choices=Category.choices)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_by_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous = models.BooleanField(
        _("hide which organisation raised it from other providers"),
        default=False,
        help_text=_("The council always sees who raised it."),
    )
    state = models.CharField(max_length=24, choices=State.choices, default=State.RAISED, db_index=True)
    position = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    decline_reason = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("discussion notes"), blank=True)
    council_response = models.TextField(_("the council's response"), blank=True)

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [
            models.Index(fields=["forum", "state"]),
            models.Index(fields=["meeting", "position"]),
            models.Index(fields=["forum", "-created_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.state not in (self.State.FED_BACK, self.State.CLOSED, self.State.DECLINED, self.State.MERGED)


class ItemEvent(models.Model):
    """One step in an agenda item's timeline: who did what, when."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item}: {self.action}"


class Action(TimeStampedModel):
    """Something to be done about an agenda item, by an organisation or person, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=255)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description


class Comment(TimeStampedModel):
    """A member's comment on a published agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment on {self.item}"


def paper_path(instance, filename):
    return f"forums/{instance.meeting.forum_id}/meetings/{instance.meeting_id}/{secrets.token_hex(8)}-{filename}"


class Paper(TimeStampedModel):
    """A meeting paper: a file readable only by the forum's members and leads."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=paper_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.title
