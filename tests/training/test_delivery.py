"""Delivering a run: the bookings page and its CSV, invoices, and attendance that writes training records."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from carenetwork.records.models import TrainingCover, TrainingRecord
from carenetwork.records.rules import Status, expiry_date
from carenetwork.training import delivery, interests
from carenetwork.training.models import CourseRun, Delegate, DeliveryMode, Interest
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory, category, record_for
from tests.training.delivery_factories import confirm, delivered_run, start
from tests.training.factories import course_for, run_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(training_org):
    return course_for(training_org, codes=(20, 15), accreditation="CPD certified")


@pytest.fixture
def team(provider):
    return [StaffMemberFactory(organisation=provider, name=name) for name in ("Ada Lovell", "Ben Carter")]


@pytest.fixture
def delivered(course, provider, provider_admin, team, council_officer):
    run, bookings = delivered_run(course, {provider: team}, officer=council_officer)
    return run, bookings[provider]


def delegates_of(run):
    return {d.staff.name: d for d in Delegate.objects.filter(interest__run=run).select_related("staff")}


# The bookings page -----------------------------------------------------------------------------------------


def test_bookings_page_shows_each_organisation_its_delegates_what_it_owes_and_the_totals(
    client, delivered, training_admin, provider
):
    run, booking = delivered
    client.force_login(training_admin)
    response = client.get(reverse("training:run-bookings", args=[run.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert provider.name in page and "Ada Lovell" in page and "Ben Carter" in page
    # A shared fee of £800 for two places confirmed at the price for them: £400 a place, £800 due.
    assert booking.price == Decimal("400.00") and booking.amount_due == Decimal("800.00")
    assert "£400.00" in page and "£800.00" in page
    totals = response.context["totals"]
    assert (totals.places, totals.amount_due, totals.invoiced, totals.paid) == (2, Decimal("800.00"), 0, 0)
    assert "Mark invoice issued" in page and reverse("training:run-attendance", args=[run.pk]) in page


def test_council_staff_see_the_bookings_but_cannot_mark_invoices(client, delivered, council_officer):
    run, _booking = delivered
    client.force_login(council_officer)
    page = client.get(reverse("training:run-bookings", args=[run.pk])).content.decode()
    assert "£800.00" in page and "named" in page
    assert "Mark invoice issued" not in page and "Record attendance" not in page


def test_council_staff_see_how_many_are_named_but_not_their_names(client, delivered, council_officer):
    run, _booking = delivered
    client.force_login(council_officer)
    page = client.get(reverse("training:run-bookings", args=[run.pk])).content.decode()
    spreadsheet = b"".join(client.get(reverse("training:run-bookings-csv", args=[run.pk])).streaming_content).decode()
    for name in Delegate.objects.filter(interest__run=run).values_list("staff__name", flat=True):
        assert name not in page and name not in spreadsheet


def test_bookings_page_is_refused_to_providers_members_partners_and_other_training_providers(
    client, delivered, provider_admin, provider_member, other_admin, partner_member, training_org
):
    run, _booking = delivered
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    url = reverse("training:run-bookings", args=[run.pk])
    for person, status in [
        (provider_admin, 403),
        (provider_member, 403),
        (other_admin, 403),
        (rival, 404),  # another training provider does not see the run at all
        (partner_member, 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert client.get(reverse("training:run-bookings-csv", args=[run.pk])).status_code == status


def test_a_run_nobody_booked_says_so(client, course, training_admin):
    run = run_for(course)
    client.force_login(training_admin)
    response = client.get(reverse("training:run-bookings", args=[run.pk]))
    assert "No organisation has booked this run yet." in response.content.decode()
    assert response.context["totals"].amount_due == 0


def test_interests_that_are_not_charged_are_not_on_the_bookings_page(
    client, course, provider, provider_admin, other_admin, other_provider, training_admin
):
    run = run_for(course)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=2)
    client.force_login(training_admin)
    response = client.get(reverse("training:run-bookings", args=[run.pk]))
    assert response.context["bookings"] == []  # an expression of interest is not a booking yet


def test_bookings_csv_has_a_row_per_organisation_with_totals_and_defuses_formulas(
    client, course, provider, team, training_admin, council_officer
):
    provider.name = '=HYPERLINK("http://evil.example")'
    provider.save()
    run, _bookings = delivered_run(course, {provider: team}, officer=council_officer)
    client.force_login(training_admin)
    response = client.get(reverse("training:run-bookings-csv", args=[run.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:6] == ["Organisation", "Status", "Places", "Delegates", "Price per place (£)", "Amount due (£)"]
    assert rows[1][0].startswith("'=")
    assert rows[1][2:6] == ["2", "Ada Lovell; Ben Carter", "400.00", "800.00"]
    assert rows[2][0] == "Total" and rows[2][5] == "800.00"


def test_bookings_page_queries_stay_the_same_as_bookings_grow(
    client, course, provider, team, training_admin, council_officer
):
    def queries_for(organisations):
        places = {provider: team}
        for n in range(organisations):
            org = OrganisationFactory(name=f"Care home {n}", sectors=[sector("residential-care")])
            person_in(org, Role.ADMIN)
            places[org] = [StaffMemberFactory(organisation=org) for _ in range(3)]
        run, _ = delivered_run(course, places, officer=council_officer)
        client.force_login(training_admin)
        url = reverse("training:run-bookings", args=[run.pk])
        client.get(url)  # the first request after signing in also reads the session's person
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_for(0) == queries_for(3)


def test_attendance_page_costs_the_same_queries_as_delegates_grow(
    client, course, provider, team, training_admin, council_officer
):
    def queries_for(organisations):
        places = {provider: team}
        for n in range(organisations):
            org = OrganisationFactory(name=f"Home {organisations}-{n}", sectors=[sector("residential-care")])
            person_in(org, Role.ADMIN)
            places[org] = [StaffMemberFactory(organisation=org) for _ in range(3)]
        run, _ = delivered_run(course, places, officer=council_officer)
        client.force_login(training_admin)
        url = reverse("training:run-attendance", args=[run.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        return len(page)

    assert queries_for(0) == queries_for(3)


# Invoices --------------------------------------------------------------------------------------------------


def test_training_provider_marks_an_invoice_issued_then_paid(delivered, training_admin):
    _run, booking = delivered
    booking = delivery.invoice_mark(actor=training_admin, interest=booking, state="issued")
    assert booking.invoice == Interest.Invoice.ISSUED and booking.invoice_issued_at is not None
    booking = delivery.invoice_mark(actor=training_admin, interest=booking, state="paid")
    assert booking.invoice == Interest.Invoice.PAID and booking.paid_at is not None
    events = AuditEvent.objects.filter(object_type="interest", object_id=str(booking.pk))
    assert set(events.values_list("action", flat=True)) >= {"booking.invoice_issued", "booking.invoice_paid"}
    totals = delivery.booking_totals(booking.run)
    assert totals.invoiced == totals.paid == Decimal("800.00") and totals.outstanding == 0


def test_an_invoice_cannot_be_marked_paid_before_it_is_issued_nor_twice(delivered, training_admin):
    _run, booking = delivered
    with pytest.raises(ValidationError, match="issued before"):
        delivery.invoice_mark(actor=training_admin, interest=booking, state="paid")
    delivery.invoice_mark(actor=training_admin, interest=booking, state="issued")
    with pytest.raises(ValidationError, match="already"):
        delivery.invoice_mark(actor=training_admin, interest=booking, state="issued")
    with pytest.raises(ValidationError):
        delivery.invoice_mark(actor=training_admin, interest=booking, state="cancelled")


def test_only_a_booking_can_be_invoiced(course, provider, provider_admin, training_admin):
    interest = interests.interest_save(actor=provider_admin, run=run_for(course), organisation=provider, places=2)
    with pytest.raises(ValidationError, match="Only a booking"):
        delivery.invoice_mark(actor=training_admin, interest=interest, state="issued")


def test_only_the_courses_training_provider_marks_invoices(delivered, provider_admin, council_officer, training_org):
    _run, booking = delivered
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    for person in (provider_admin, council_officer, rival):
        with pytest.raises(PermissionDenied):
            delivery.invoice_mark(actor=person, interest=booking, state="issued")


def test_invoice_buttons_mark_the_invoice_and_come_back_to_the_bookings(client, delivered, training_admin):
    run, booking = delivered
    client.force_login(training_admin)
    url = reverse("training:invoice-mark", args=[run.pk, booking.pk])
    response = client.post(url, {"state": "issued"}, follow=True)
    assert "is marked issued" in response.content.decode() and "Mark paid" in response.content.decode()
    response = client.post(url, {"state": "issued"}, follow=True)
    assert "already" in response.content.decode()
    # Marking paid cannot be undone: a check first, then the confirmed post marks it.
    html = client.post(url, {"state": "paid"}).content.decode()
    assert "Are you sure Willow Care Home has paid?" in html and "This cannot be undone" in html
    assert Interest.objects.get(pk=booking.pk).invoice == Interest.Invoice.ISSUED
    client.post(url, {"state": "paid", "confirm": "yes"})
    assert Interest.objects.get(pk=booking.pk).invoice == Interest.Invoice.PAID
    assert client.get(url).status_code == 405


def test_invoice_of_another_runs_booking_is_not_found(client, delivered, course, training_admin):
    _run, booking = delivered
    client.force_login(training_admin)
    other = run_for(course)
    assert client.post(reverse("training:invoice-mark", args=[other.pk, booking.pk])).status_code == 404


# Attendance ------------------------------------------------------------------------------------------------


def test_attendance_gives_each_attended_person_one_brokered_record_per_category(
    delivered, training_admin, team, course, training_org
):
    run, _booking = delivered
    people = delegates_of(run)
    summary = delivery.attendance_record(actor=training_admin, run=run, attended_ids=[people["Ada Lovell"].pk])
    assert summary == {"attended": 1, "absent": 1, "records_created": 2, "records_removed": 0}
    ada, ben = team
    records = TrainingRecord.objects.filter(staff=ada).order_by("category__code")
    completed = timezone.localdate(run.ends_at)
    assert [r.category.code for r in records] == [15, 20]
    for record in records:
        assert record.source == TrainingRecord.Source.BROKERED
        assert record.completed_on == completed
        assert record.expires_on == expiry_date(completed, record.category.refresh_months)
        assert record.training_name == course.title and record.provider_name == training_org.name
        assert record.delivered_by == TrainingRecord.DeliveredBy.EXTERNAL
        assert record.how_delivered == TrainingRecord.HowDelivered.FACE_TO_FACE
        assert record.accredited == TrainingRecord.Accredited.YES
    assert not TrainingRecord.objects.filter(staff=ben).exists()
    people = delegates_of(run)
    assert people["Ada Lovell"].attended is True and set(people["Ada Lovell"].training_records.all()) == set(records)
    assert people["Ben Carter"].attended is False and not people["Ben Carter"].training_records.exists()
    assert people["Ben Carter"].attendance_recorded_at is not None
    assert TrainingCover.objects.filter(staff=ada).count() == 2


def test_recording_attendance_again_is_idempotent_and_unticking_removes_the_records(delivered, training_admin, team):
    run, _booking = delivered
    ada = delegates_of(run)["Ada Lovell"]
    delivery.attendance_record(actor=training_admin, run=run, attended_ids=[ada.pk])
    again = delivery.attendance_record(actor=training_admin, run=run, attended_ids=[str(ada.pk)])
    assert again["records_created"] == 0
    assert TrainingRecord.objects.filter(staff=team[0]).count() == 2
    removed = delivery.attendance_record(actor=training_admin, run=run, attended_ids=[])
    assert removed["records_removed"] == 2
    assert not TrainingRecord.objects.filter(staff=team[0]).exists()
    assert not TrainingCover.objects.filter(staff=team[0]).exists()
    assert delegates_of(run)["Ada Lovell"].attended is False


def test_unticking_keeps_the_persons_other_records(delivered, training_admin, team):
    run, _booking = delivered
    ada = delegates_of(run)["Ada Lovell"]
    earlier = record_for(team[0], 20, timezone.localdate() - timedelta(days=200))
    delivery.attendance_record(actor=training_admin, run=run, attended_ids=[ada.pk])
    delivery.attendance_record(actor=training_admin, run=run, attended_ids=[])
    assert list(TrainingRecord.objects.filter(staff=team[0])) == [earlier]
    assert TrainingCover.objects.get(staff=team[0]).expires_on == earlier.expires_on


def test_e_learning_without_accreditation_is_recorded_as_such(
    training_org, provider, team, training_admin, council_officer
):
    course = course_for(training_org, codes=(20,), delivery_mode=DeliveryMode.E_LEARNING, title="S" * 150)
    run, _ = delivered_run(course, {provider: team[:1]}, officer=council_officer)
    attended = Delegate.objects.filter(interest__run=run).values_list("pk", flat=True)
    delivery.attendance_record(actor=training_admin, run=run, attended_ids=list(attended))
    record = TrainingRecord.objects.get(staff=team[0])
    assert record.how_delivered == TrainingRecord.HowDelivered.E_LEARNING
    assert record.accredited == TrainingRecord.Accredited.DONT_KNOW
    assert record.training_name == "S" * 120


def test_partners_named_delegates_and_removed_people_are_marked_but_get_no_record(
    delivered, training_admin, team, partner_org, partner_member
):
    run, booking = delivered
    gone = team[1]
    gone.name, gone.personal_data_removed_at = "", timezone.now()
    gone.save()
    partner = Interest.objects.create(
        run=run, organisation=partner_org, status=Interest.Status.BOOKED, places=1, price=run.locked_price
    )
    named = Delegate.objects.create(interest=partner, name="Sam Partner")
    everyone = list(Delegate.objects.filter(interest__run=run).values_list("pk", flat=True))
    summary = delivery.attendance_record(actor=training_admin, run=run, attended_ids=everyone)
    assert summary["attended"] == 3 and summary["records_created"] == 2  # only Ada, in two categories
    assert Delegate.objects.get(pk=named.pk).attended is True
    assert not TrainingRecord.objects.filter(staff=gone).exists()


def test_attendance_is_refused_before_the_run_starts_or_when_it_is_not_confirmed(
    course, provider, provider_admin, team, training_admin, council_officer
):
    run, _ = delivered_run(course, {provider: team}, officer=council_officer, started=False)
    with pytest.raises(ValidationError, match="once the run has started"):
        delivery.attendance_record(actor=training_admin, run=run, attended_ids=[])
    open_run = start(run_for(course))
    with pytest.raises(ValidationError, match="confirmed"):
        delivery.attendance_record(actor=training_admin, run=open_run, attended_ids=[])


def test_a_course_over_several_days_is_recorded_on_its_last_day(delivered, training_admin):
    run, _booking = delivered
    CourseRun.objects.filter(pk=run.pk).update(ends_at=timezone.now() + timedelta(days=3))
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="on or after its last day"):
        delivery.attendance_record(actor=training_admin, run=run, attended_ids=[])


def test_only_delegates_of_the_run_can_be_ticked(delivered, training_admin, course, provider, council_officer):
    run, _booking = delivered
    other_run, _ = delivered_run(
        course, {provider: [StaffMemberFactory(organisation=provider)]}, officer=council_officer
    )
    stranger = Delegate.objects.filter(interest__run=other_run).get()
    with pytest.raises(ValidationError):
        delivery.attendance_record(actor=training_admin, run=run, attended_ids=[stranger.pk])


def test_only_the_courses_training_provider_records_attendance(
    delivered, provider_admin, council_officer, training_org
):
    run, _booking = delivered
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    for person in (provider_admin, council_officer, rival):
        with pytest.raises(PermissionDenied):
            delivery.attendance_record(actor=person, run=run, attended_ids=[])


def test_attendance_audit_names_nobody(delivered, training_admin):
    run, _booking = delivered
    delivery.attendance_record(actor=training_admin, run=run, attended_ids=[delegates_of(run)["Ada Lovell"].pk])
    events = AuditEvent.objects.all()
    assert events.filter(action="course_run.attendance_recorded").exists()
    assert events.filter(action="training_record.created").count() == 2
    text = " ".join(f"{e.object_repr} {e.changes}" for e in events)
    assert "Ada Lovell" not in text and "Ben Carter" not in text


def test_attendance_page_records_who_came_and_the_record_shows_in_the_providers_matrix(
    client, delivered, training_admin, provider_admin, provider
):
    run, _booking = delivered
    ada = delegates_of(run)["Ada Lovell"]
    client.force_login(training_admin)
    page = client.get(reverse("training:run-attendance", args=[run.pk])).content.decode()
    assert "Ada Lovell (Willow Care Home)" in page and 'type="checkbox"' in page
    response = client.post(reverse("training:run-attendance", args=[run.pk]), {"attended": [ada.pk]}, follow=True)
    assert "Attendance has been recorded" in response.content.decode()

    client.force_login(provider_admin)
    response = client.get(reverse("records:matrix", args=[provider.pk]))
    safeguarding = category(20)
    column = [c.pk for c in response.context["columns"]].index(safeguarding.pk)
    rows = {row.staff.name: row.cells[column] for row in response.context["rows"]}
    assert rows["Ada Lovell"].status == Status.IN_DATE
    assert rows["Ben Carter"].status == Status.MISSING


def test_attendance_page_says_when_it_cannot_be_recorded_yet(
    client, course, provider, team, training_admin, council_officer
):
    run, _ = delivered_run(course, {provider: team}, officer=council_officer, started=False)
    client.force_login(training_admin)
    response = client.get(reverse("training:run-attendance", args=[run.pk]))
    assert response.context["form"] is None
    assert "once the run has started" in response.content.decode()
    assert client.post(reverse("training:run-attendance", args=[run.pk]), {"attended": []}).status_code == 200
    assert not Delegate.objects.filter(interest__run=run, attended__isnull=False).exists()


def test_attendance_page_is_the_training_providers_only(
    client, delivered, provider_admin, council_officer, training_org
):
    run, _booking = delivered
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    url = reverse("training:run-attendance", args=[run.pk])
    for person, status in ((provider_admin, 403), (council_officer, 403), (rival, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person


def test_confirm_helper_books_the_interest(course, provider, provider_admin, council_officer):
    run = run_for(course, minimum=1)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=1)
    confirm(run, officer=council_officer)
    assert Interest.objects.get(run=run).status == Interest.Status.BOOKED


def test_unticking_at_one_run_leaves_the_records_another_run_wrote_on_the_same_day(
    provider, training_org, council_officer
):
    """Two courses in the same category ending the same day: each run takes away only its own records."""
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovell")
    rival_org = OrganisationFactory(name="Rival Training", kind=training_org.kind)
    rival_admin = person_in(rival_org, Role.ADMIN)
    first, _ = delivered_run(course_for(training_org), {provider: [ada]}, officer=council_officer)
    second, _ = delivered_run(
        course_for(rival_org, title="Safeguarding refresher"), {provider: [ada]}, officer=council_officer
    )
    trainer = person_in(training_org, Role.ADMIN)
    delivery.attendance_record(actor=trainer, run=first, attended_ids=[d.pk for d in delegates_of(first).values()])
    delivery.attendance_record(
        actor=rival_admin, run=second, attended_ids=[d.pk for d in delegates_of(second).values()]
    )
    brokered = TrainingRecord.objects.filter(staff=ada, source=TrainingRecord.Source.BROKERED)
    assert brokered.count() == 2
    delivery.attendance_record(actor=rival_admin, run=second, attended_ids=[])
    assert list(brokered) == list(delegates_of(first)["Ada Lovell"].training_records.all())
