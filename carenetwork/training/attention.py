"""What needs a person's attention in the training brokerage, for the portal's home page and My training.

Each panel is a count with a link, answered in one query per line whatever the volume of runs and bookings.
"""

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from carenetwork.core.registry import Attention, Panel
from carenetwork.training import permissions, selectors
from carenetwork.training.delivery import CHARGED
from carenetwork.training.models import Course, CourseRun, Delegate, Interest


def _one_or_many(found: dict, one: str, many: str, *args) -> tuple[int, str]:
    """The count `found["n"]`, linking to the run's page `one` when all are about one run (`found["run"]`)."""
    if found["runs"] == 1:
        return found["n"], reverse(one, args=[found["run"]])
    return found["n"], reverse(many, args=args)


def _money(value) -> str:
    return "£" + formats.number_format(value, 2, use_l10n=False, force_grouping=True)


def interest_items(user) -> list[Attention]:
    """For those who take places: the runs they are interested in that are not decided yet, and their price now."""
    organisations = permissions.booking_organisations(user)
    if not organisations:
        return []
    found = Interest.objects.filter(
        organisation__in=organisations,
        status=Interest.Status.INTERESTED,
        run__status__in=[CourseRun.Status.OPEN, CourseRun.Status.PARTNERS],
    ).aggregate(n=Count("run", distinct=True), low=Min("run__current_price"), high=Max("run__current_price"))
    n = found["n"]
    if not n:
        return []
    if found["low"] == found["high"]:
        price = _t("price now %(price)s a place") % {"price": _money(found["low"])}
    else:
        low, high = _money(found["low"]), _money(found["high"])
        price = _t("price now %(low)s to %(high)s a place") % {"low": low, "high": high}
    text = ngettext(
        "%(n)s course run you are interested in, %(price)s",
        "%(n)s course runs you are interested in, %(price)s",
        n,
    ) % {"n": n, "price": price}
    return [Attention(text, n, reverse("training:my-bookings"))]


def rating_items(user) -> list[Attention]:
    """Courses the person attended and has not rated yet (one query)."""
    if not user.is_authenticated:
        return []
    n = selectors.places_to_rate_for(user=user).count()
    text = ngettext("%(n)s course to rate", "%(n)s courses to rate", n) % {"n": n}
    return [Attention(text, n, reverse("records:my-training"))]


def places_to_rate(user) -> list[Attention]:
    """Each place the person may rate, for My training (one query)."""
    if not user.is_authenticated:
        return []
    return [
        Attention(
            _t("Rate %(title)s (%(date)s)")
            % {
                "title": place.interest.run.course.title,
                "date": formats.date_format(timezone.localtime(place.interest.run.starts_at), "j F Y"),
            },
            1,
            reverse("training:evaluate", args=[place.pk]),
        )
        for place in selectors.places_to_rate_for(user=user)
    ]


def council_items(user) -> list[Attention]:
    """For council officers: courses to review, and runs at or past their deadline with no decision (2 queries)."""
    if not permissions.can_review_courses(user):
        return []
    to_review = Course.objects.filter(status=Course.Status.SUBMITTED).count()
    now = timezone.now()
    due = CourseRun.objects.filter(
        Q(status=CourseRun.Status.OPEN, interest_deadline__lte=now)
        | Q(status=CourseRun.Status.PARTNERS, partner_deadline__lte=now)
    ).aggregate(n=Count("pk"), runs=Count("pk"), run=Min("pk"))
    n_due, due_href = _one_or_many(due, "training:run-decide", "training:catalogue")
    return [
        Attention(
            ngettext("%(n)s course to review", "%(n)s courses to review", to_review) % {"n": to_review},
            to_review,
            reverse("training:course-review-queue"),
        ),
        Attention(
            ngettext(
                "%(n)s course run at or past its deadline to decide",
                "%(n)s course runs at or past their deadline to decide",
                n_due,
            )
            % {"n": n_due},
            n_due,
            due_href,
        ),
    ]


def delivery_items(user) -> list[Attention]:
    """For training providers: runs whose attendance is still to record, and bookings whose invoice is to mark."""
    organisations = permissions.training_organisations(user)
    if not organisations:
        return []
    now = timezone.now()
    attendance = Delegate.objects.filter(
        interest__status=Interest.Status.BOOKED,
        interest__run__course__provider__in=organisations,
        interest__run__status=CourseRun.Status.CONFIRMED,
        interest__run__ends_at__lte=now,
        attended__isnull=True,
    ).aggregate(n=Count("interest__run", distinct=True), run=Min("interest__run"))
    attendance["runs"] = attendance["n"]
    invoices = (
        Interest.objects.filter(
            CHARGED,
            run__course__provider__in=organisations,
            run__status=CourseRun.Status.CONFIRMED,
            run__starts_at__lte=now,
        )
        .exclude(invoice=Interest.Invoice.PAID)
        .aggregate(n=Count("pk"), runs=Count("run", distinct=True), run=Min("run"))
    )
    provider = organisations[0].pk
    n_attendance, attendance_href = _one_or_many(
        attendance, "training:run-attendance", "training:provider-courses", provider
    )
    n_invoices, invoices_href = _one_or_many(invoices, "training:run-bookings", "training:provider-courses", provider)
    return [
        Attention(
            ngettext(
                "%(n)s course run with attendance to record",
                "%(n)s course runs with attendance to record",
                n_attendance,
            )
            % {"n": n_attendance},
            n_attendance,
            attendance_href,
        ),
        Attention(
            ngettext("%(n)s booking with an invoice to mark", "%(n)s bookings with an invoice to mark", n_invoices)
            % {"n": n_invoices},
            n_invoices,
            invoices_href,
        ),
    ]


PANELS = [
    Panel(title=_("Training courses"), items_for=interest_items, order=20),
    Panel(title=_("Training to review and decide"), items_for=council_items, order=30),
    Panel(title=_("Your courses to deliver"), items_for=delivery_items, order=35),
    Panel(title=_("Your own training"), items_for=rating_items, order=60),
    Panel(title=_("Courses to rate"), items_for=places_to_rate, order=10, where="my-training"),
]
