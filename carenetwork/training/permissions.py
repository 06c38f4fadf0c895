"""Who may see and do what in the training brokerage. Every view and service asks these predicates.

- Training providers propose courses and see their own, their runs' bookings and evaluations; they record
  attendance and mark invoices.
- Council staff review courses, create runs, decide them early or override a decision, and read the reports.
- Members (care providers) see approved courses and their runs; a provider's admins express interest, book
  and name delegates. Partners see runs offered to partners (and runs they have places on) and take places.
"""

from carenetwork.organisations.models import Organisation, Role
from carenetwork.organisations.permissions import active_memberships, is_council_admin, is_council_staff, role_in
from carenetwork.training.models import Course, CourseRun, Interest


def _organisations(user, kind, roles=None) -> list[Organisation]:
    return [
        m.organisation
        for m in active_memberships(user)
        if m.organisation.kind == kind and m.organisation.is_active and (roles is None or m.role in roles)
    ]


def training_organisations(user) -> list[Organisation]:
    """The training providers the person works for."""
    return _organisations(user, Organisation.Kind.TRAINING)


def booking_organisations(user) -> list[Organisation]:
    """The organisations the person may take places for: providers they administer, partners they belong to."""
    return _organisations(user, Organisation.Kind.PROVIDER, (Role.ADMIN,)) + _organisations(
        user, Organisation.Kind.PARTNER
    )


def partner_organisations(user) -> list[Organisation]:
    """The partner organisations the person belongs to."""
    return _organisations(user, Organisation.Kind.PARTNER)


def is_member_provider(user) -> bool:
    """A person of a care provider (any role): they browse the catalogue."""
    return bool(_organisations(user, Organisation.Kind.PROVIDER))


def is_partner(user) -> bool:
    return bool(_organisations(user, Organisation.Kind.PARTNER))


def can_propose_course(user, organisation) -> bool:
    """A training provider's people propose and change its courses."""
    return organisation.kind == Organisation.Kind.TRAINING and role_in(user, organisation) is not None


def runs_course(user, course: Course) -> bool:
    """The person works for the course's training provider."""
    return role_in(user, course.provider) is not None


def can_review_courses(user) -> bool:
    """Council officers approve, return or withdraw courses and create runs."""
    return is_council_staff(user)


def can_browse_catalogue(user) -> bool:
    """Care providers, partners, training providers and council staff browse the catalogue."""
    return bool(getattr(user, "is_authenticated", False)) and bool(
        is_council_staff(user) or is_member_provider(user) or is_partner(user) or training_organisations(user)
    )


def can_view_course(user, course: Course) -> bool:
    """Approved courses are seen by everyone who browses; others only by their provider and the council."""
    if is_council_staff(user) or runs_course(user, course):
        return True
    return course.is_published and can_browse_catalogue(user)


def can_view_run(user, run: CourseRun) -> bool:
    """Members see the runs of approved courses; partners see runs offered to them; every organisation sees the runs
    it has (or had) places on."""
    if is_council_staff(user) or runs_course(user, run.course):
        return True
    if run.course.is_published and is_member_provider(user):
        return True
    partners = {o.pk for o in _organisations(user, Organisation.Kind.PARTNER)}
    if run.course.is_published and partners and run.status == CourseRun.Status.PARTNERS:
        return True
    # An organisation that took places keeps its run, even once the course is withdrawn.
    takers = {o.pk for o in booking_organisations(user)}
    return bool(takers) and Interest.objects.filter(run=run, organisation_id__in=takers).exists()


def can_take_places(user, run: CourseRun, organisation) -> bool:
    """While interest is open, providers' admins take places; while it is offered to partners, partners do too.
    After confirmation, anyone who may book takes the places left at the locked price."""
    if organisation not in booking_organisations(user) or not run.course.is_published:
        return False
    if organisation.kind == Organisation.Kind.PARTNER:
        return run.status in (CourseRun.Status.PARTNERS, CourseRun.Status.CONFIRMED)
    return run.status in (CourseRun.Status.OPEN, CourseRun.Status.PARTNERS, CourseRun.Status.CONFIRMED)


def can_manage_interest(user, interest: Interest) -> bool:
    """The organisation's admins (any member, for a partner) change, withdraw or cancel its places and delegates."""
    return interest.organisation in booking_organisations(user)


def can_view_interest(user, interest: Interest) -> bool:
    """The organisation itself, the course's training provider and council staff."""
    return can_manage_interest(user, interest) or runs_course(user, interest.run.course) or is_council_staff(user)


def can_decide_run(user, run: CourseRun) -> bool:
    """Council officers decide a run early or override a decision, with a recorded reason."""
    return is_council_staff(user)


def can_manage_runs(user) -> bool:
    """Council officers add and change runs (with the price agreed with the training provider)."""
    return is_council_staff(user)


def can_view_run_bookings(user, run: CourseRun) -> bool:
    """Who booked, their delegates and what they owe: the training provider and council staff."""
    return runs_course(user, run.course) or is_council_staff(user)


def can_deliver_run(user, run: CourseRun) -> bool:
    """The training provider records attendance and marks invoices issued and paid."""
    return runs_course(user, run.course)


def can_evaluate(user, delegate) -> bool:
    """The delegate themselves (through their staff record's account) or their organisation's admins."""
    if delegate.staff_id and delegate.staff.user_id == user.pk:
        return True
    return can_manage_interest(user, delegate.interest)


def can_view_evaluations(user, course: Course) -> bool:
    """Evaluation results are for the council and the course's training provider."""
    return is_council_staff(user) or runs_course(user, course)


def can_view_provider_evaluations(user, organisation) -> bool:
    """A training provider's evaluation scores are for the council and the training provider's own people."""
    if organisation.kind != Organisation.Kind.TRAINING:
        return False
    return is_council_staff(user) or role_in(user, organisation) is not None


def can_answer_demand_survey(user, organisation) -> bool:
    """A provider's admins say how many staff need each kind of training."""
    return organisation.kind == Organisation.Kind.PROVIDER and role_in(user, organisation) == Role.ADMIN


def can_view_programme(user) -> bool:
    """The programme report and the commissioning priorities are for council staff."""
    return is_council_staff(user)


def can_manage_brokerage_settings(user) -> bool:
    """Council administrators set the partner margin and reminder periods."""
    return is_council_admin(user)
