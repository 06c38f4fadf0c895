"""Every write to a course: training providers propose and change their courses; council officers review them.

A change to an approved course keeps it published (its runs carry on); a returned or withdrawn course, once
changed, goes back to the council's queue as waiting for review.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.training import notify, permissions
from carenetwork.training.models import Course, CourseRun
from carenetwork.training.programme_figures import course_figures_refresh

COURSE_FIELDS = [
    "title",
    "outline",
    "categories",
    "duration_hours",
    "delivery_mode",
    "accreditation",
    "max_group_size",
    "usual_price",
]
AUDIT_FIELDS = [*COURSE_FIELDS, "status", "review_comments"]


class Decision:
    """What a council officer decides about a course."""

    APPROVE = "approve"
    RETURN = "return"
    WITHDRAW = "withdraw"

    TO_STATUS = {
        APPROVE: Course.Status.APPROVED,
        RETURN: Course.Status.RETURNED,
        WITHDRAW: Course.Status.WITHDRAWN,
    }


def decisions_for(course: Course) -> list[str]:
    """The decisions that change the course's status: approve unless approved, return unless returned, …"""
    return [decision for decision, status in Decision.TO_STATUS.items() if course.status != status]


@transaction.atomic
def course_save(*, actor, provider: Organisation, course: Course | None, data: dict) -> Course:
    """Propose a course for the training provider, or change one of its courses."""
    require(permissions.can_propose_course(actor, provider))
    created = course is None
    course = course or Course(provider=provider, created_by=actor)
    if course.provider_id != provider.pk:
        raise PermissionDenied
    before = {} if created else audit.snapshot(course, AUDIT_FIELDS)
    categories = data.get("categories")
    for field, value in data.items():
        if field in COURSE_FIELDS and field != "categories":
            setattr(course, field, value)
    if not categories:
        raise ValidationError({"categories": _("Choose at least one training category the course covers")})
    if any(not c.is_active for c in categories):
        raise ValidationError({"categories": _("Choose training categories that are in use")})
    if not created and course.status == Course.Status.APPROVED:
        _check_approved_change(course, categories)
    if course.status in (Course.Status.RETURNED, Course.Status.WITHDRAWN):
        # Changed after the council returned it: back into the queue for another look.
        course.status = Course.Status.SUBMITTED
    course.full_clean(exclude=["created_by", "reviewed_by"])
    course.save()
    course.categories.set(categories)
    if not created and "usual_price" in data:
        course_figures_refresh(course)  # the saving is measured against it
    changes = audit.diff(before, audit.snapshot(course, AUDIT_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="course.proposed" if created else "course.updated",
            obj=course,
            organisation=provider,
            changes=changes,
        )
    return course


def _runs_ahead(course: Course):
    """The course's runs that have not started and are not cancelled."""
    return course.runs.exclude(status=CourseRun.Status.CANCELLED).filter(starts_at__gt=timezone.now())


def _check_approved_change(course: Course, categories) -> None:
    """An approved course keeps what the council approved: the categories its attendees are recorded in, and room
    for the places its runs already offer."""
    if {c.pk for c in categories} != set(course.categories.values_list("pk", flat=True)):
        raise ValidationError(
            {"categories": _("The council approved these categories: ask it to return the course to change them")}
        )
    largest = _runs_ahead(course).aggregate(n=Max("capacity"))["n"] or 0
    if course.max_group_size is not None and course.max_group_size < largest:
        message = _("A run of this course offers %(n)s places: the group size must be at least that")
        raise ValidationError({"max_group_size": message % {"n": largest}})


@transaction.atomic
def course_review(*, actor, course: Course, decision: str, comments: str = "") -> Course:
    """Approve a course, return it to its provider with comments, or withdraw it; the provider is told."""
    require(permissions.can_review_courses(actor))
    course = Course.objects.select_for_update(of=("self",)).select_related("provider").get(pk=course.pk)
    comments = (comments or "").strip()
    if decision not in Decision.TO_STATUS:
        raise ValidationError({"decision": _("Choose whether to approve, return or withdraw the course")})
    if decision not in decisions_for(course):
        raise ValidationError(
            {"decision": _("The course is already %(status)s") % {"status": course.get_status_display().lower()}}
        )
    if decision != Decision.APPROVE and _runs_ahead(course).exists():
        raise ValidationError(
            {"decision": _("The course has runs coming up: cancel them first, so that everyone on them is told")}
        )
    if decision == Decision.RETURN and not comments:
        raise ValidationError({"comments": _("Say what the training provider needs to change")})
    before = audit.snapshot(course, AUDIT_FIELDS)
    course.status = Decision.TO_STATUS[decision]
    course.review_comments = comments
    course.reviewed_by = actor
    course.reviewed_at = timezone.now()
    course.full_clean(exclude=["created_by", "reviewed_by"])
    course.save()
    audit.record(
        actor=actor,
        action=f"course.{course.status}",
        obj=course,
        organisation=course.provider,
        changes=audit.diff(before, audit.snapshot(course, AUDIT_FIELDS)),
    )
    send_templated(
        to=notify.recipients(course.provider),
        template="training/email/course_reviewed",
        context={
            "course": course,
            "decision": decision,
            "comments": comments,
            "url": absolute_url(reverse("training:course-detail", args=[course.pk])),
        },
    )
    return course
