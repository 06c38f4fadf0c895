"""Something of everything that needs someone's attention on the home page, for every role."""

import datetime
from datetime import timedelta

from django.utils import timezone

from carenetwork.forums.models import Action, AgendaItem, Booking
from carenetwork.organisations import services
from carenetwork.training import interests
from carenetwork.training.models import Course
from tests.factories import UserFactory
from tests.records.factories import StaffMemberFactory, record_for
from tests.training.delivery_factories import delivered_run
from tests.training.factories import course_for, run_for

LONG_AGO = datetime.date(2015, 1, 15)  # safeguarding renews every few years: long expired


def add_things(*, provider, provider_admin, provider_member, forum, meeting, training_org, n=1):
    """`n` of everything that needs someone's attention, for every role."""
    location = provider.locations.get()
    course = course_for(training_org)
    for i in range(n):
        # Provider admin: staff with training expired and expiring, a run they want, a meeting, items and actions.
        record_for(StaffMemberFactory(organisation=provider, location=location), 20, LONG_AGO)
        soon = timezone.localdate() + timedelta(days=30)
        record_for(StaffMemberFactory(organisation=provider, location=location), 20, LONG_AGO, expires_on=soon)
        interests.interest_save(actor=provider_admin, run=run_for(course), organisation=provider, places=2)
        item = AgendaItem.objects.create(
            forum=forum,
            meeting=meeting,
            title=f"Fee uplift {i}",
            description="Night rates have not risen for three years.",
            category=AgendaItem.Category.ISSUE,
            raised_by=provider_admin,
            raised_by_organisation=provider,
        )
        discussed = AgendaItem.objects.create(
            forum=forum,
            title=f"Agency staff {i}",
            description="Rates.",
            category=AgendaItem.Category.ISSUE,
            raised_by=provider_admin,
            raised_by_organisation=provider,
            state=AgendaItem.State.DISCUSSED,
        )
        Action.objects.create(
            item=discussed, description="Review", owner_organisation=provider, due_date=timezone.localdate()
        )
        assert item.state == AgendaItem.State.RAISED
        services.join_request_create(user=UserFactory(), organisation=provider)
        # Council officer: a course to review and a run past its interest deadline.
        course_for(training_org, title=f"Moving and handling {i}", status=Course.Status.SUBMITTED)
        past = timezone.now() - timedelta(days=1)
        run_for(course, interest_deadline=past)
        # Training provider: a delivered run with attendance to record and an invoice to mark.
        delivered_run(course, {provider: [StaffMemberFactory(organisation=provider, location=location)]})
    Booking.objects.get_or_create(
        meeting=meeting, person=provider_admin, organisation=provider, defaults={"status": Booking.Status.CONFIRMED}
    )
