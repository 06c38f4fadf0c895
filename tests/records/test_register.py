"""The staff register, training records, certificates, the mandatory set, the matrix and the overview."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.records import selectors, services
from carenetwork.records.cover import cover_refresh as services_cover
from carenetwork.records.forms import RecordForm
from carenetwork.records.mandatory import mandatory_set
from carenetwork.records.models import MandatoryTraining, StaffMember, TrainingCover, TrainingRecord
from carenetwork.records.rules import Status
from tests.factories import UserFactory, person_in
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _staff_data(**overrides):
    return {
        "name": "Amara Okoye",
        "job_role": job_role(8),
        "location": None,
        "start_date": D(2024, 4, 1),
        "reference": "AO1",
        "email": "",
        **overrides,
    }


def test_admin_adds_a_person_and_the_trail_names_no_values(provider, provider_admin):
    staff = services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data())
    assert staff.organisation == provider
    event = AuditEvent.objects.get(action="staff.created")
    assert "Amara" not in str(event.changes) and "Amara" not in event.object_repr


@pytest.mark.parametrize("role", ["provider_member", "other_admin", "council_officer", "council_admin"])
def test_only_the_providers_admins_keep_its_register(request, provider, role):
    with pytest.raises(PermissionDenied):
        services.staff_save(actor=request.getfixturevalue(role), organisation=provider, staff=None, data=_staff_data())


def test_a_reference_is_unique_within_an_organisation(provider, provider_admin):
    services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data())
    with pytest.raises(ValidationError):
        services.staff_save(actor=provider_admin, organisation=provider, staff=None, data=_staff_data(name="B"))


def test_another_organisations_location_is_refused(provider, provider_admin, other_provider):
    with pytest.raises(ValidationError):
        services.staff_save(
            actor=provider_admin,
            organisation=provider,
            staff=None,
            data=_staff_data(location=other_provider.locations.get()),
        )


def test_leaving_before_starting_is_refused(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider, start_date=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.staff_mark_leaver(actor=provider_admin, staff=staff, leaving_date=D(2024, 12, 31))


def test_email_of_a_member_links_their_account(provider, provider_admin, provider_member):
    staff = services.staff_save(
        actor=provider_admin, organisation=provider, staff=None, data=_staff_data(email=provider_member.email.upper())
    )
    assert staff.user == provider_member


def test_email_of_an_outsider_links_nothing(provider, provider_admin):
    outsider = UserFactory()
    staff = services.staff_save(
        actor=provider_admin, organisation=provider, staff=None, data=_staff_data(email=outsider.email)
    )
    assert staff.user is None


def _record_data(code=20, completed=None, **overrides):
    return {
        "category": category(code),
        "training_name": "",
        "completed_on": completed or D(2026, 3, 15),
        "expires_on": None,
        "accredited": "yes",
        "delivered_by": "",
        "provider_name": "",
        "how_delivered": "",
        "notes": "",
        **overrides,
    }


def test_expiry_comes_from_the_categorys_refresh_period(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    record = services.record_save(actor=provider_admin, staff=staff, record=None, data=_record_data(code=6))
    assert category(6).refresh_months == 12
    assert record.expires_on == D(2027, 3, 14) and not record.expiry_overridden
    assert TrainingCover.objects.get(staff=staff, category=category(6)).expires_on == D(2027, 3, 14)


def test_a_given_expiry_overrides_the_period(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    record = services.record_save(
        actor=provider_admin, staff=staff, record=None, data=_record_data(expires_on=D(2026, 12, 31))
    )
    assert record.expires_on == D(2026, 12, 31) and record.expiry_overridden


def test_completion_in_the_future_is_refused(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    with pytest.raises(ValidationError):
        services.record_save(
            actor=provider_admin, staff=staff, record=None, data=_record_data(completed=D(2026, 11, 23))
        )


def test_cover_keeps_the_best_record_and_follows_deletion(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    old = record_for(staff, 6, D(2024, 1, 10))
    new = record_for(staff, 6, D(2026, 1, 10))
    assert TrainingCover.objects.get(staff=staff).expires_on == D(2027, 1, 9)
    services.record_delete(actor=provider_admin, record=new)
    assert TrainingCover.objects.get(staff=staff).expires_on == old.expires_on
    services.record_delete(actor=provider_admin, record=old)
    assert not TrainingCover.objects.filter(staff=staff).exists()


def test_a_record_that_never_expires_beats_any_date(provider):
    staff = StaffMemberFactory(organisation=provider)
    record_for(staff, 6, D(2026, 1, 10))
    record_for(staff, 6, D(2020, 1, 10), expires_on=None)
    assert TrainingCover.objects.get(staff=staff).expires_on is None


PDF = b"%PDF-1.4\n%test certificate\n"


def _upload(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [("certificate.exe", PDF), ("certificate.pdf", b"MZ not a pdf"), ("certificate.png", PDF), ("empty.pdf", b"")],
)
def test_certificates_are_checked_by_name_and_content(provider, provider_admin, name, content):
    staff = StaffMemberFactory(organisation=provider)
    with pytest.raises(ValidationError):
        services.record_save(
            actor=provider_admin, staff=staff, record=None, data=_record_data(), certificate=_upload(name, content)
        )


def test_a_large_certificate_is_refused(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    with pytest.raises(ValidationError):
        services.record_save(
            actor=provider_admin,
            staff=staff,
            record=None,
            data=_record_data(),
            certificate=_upload(content=PDF + b"0" * (10 * 1024 * 1024)),
        )


@pytest.fixture
def certified(provider, provider_admin, provider_member):
    staff = StaffMemberFactory(organisation=provider, user=provider_member)
    return services.record_save(
        actor=provider_admin, staff=staff, record=None, data=_record_data(), certificate=_upload()
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("provider_admin", 200), ("provider_member", 200), ("other_admin", 403), ("council_officer", 403)],
)
def test_certificate_served_to_the_admins_and_the_person_only(client, request, certified, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("records:certificate", args=[certified.staff.organisation_id, certified.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")


def test_another_member_of_the_provider_cannot_open_a_colleagues_certificate(client, provider, certified):
    client.force_login(person_in(provider, "member"))
    assert client.get(reverse("records:certificate", args=[provider.pk, certified.pk])).status_code == 403


def test_the_person_sees_their_own_training(client, certified, provider_member):
    client.force_login(provider_member)
    page = client.get(reverse("records:my-training")).content.decode()
    assert "Safeguarding adults" in page


def test_someone_working_for_two_providers_gets_two_tables_with_their_own_ids(
    client, certified, provider_member, other_provider
):
    StaffMemberFactory(organisation=other_provider, user=provider_member)
    client.force_login(provider_member)
    page = client.get(reverse("records:my-training")).content.decode()
    ids = re.findall(r' id="(records-[^"]+)"', page)
    assert sorted(ids) == ["records-1-caption", "records-1-scroll-hint", "records-2-caption", "records-2-scroll-hint"]
    assert 'aria-labelledby="records-2-caption records-2-scroll-hint"' in page


def test_mandatory_set_joins_council_sector_rules_and_the_providers_own(provider, provider_admin):
    services.requirement_add(actor=provider_admin, organisation=provider, category=category(31))  # mental health
    services.requirement_add(actor=provider_admin, organisation=provider, category=category(29), job_role=job_role(25))
    rules = mandatory_set(provider)
    care_worker, admin_role = job_role(8).pk, job_role(25).pk
    assert category(20).pk in rules.for_role(care_worker)  # council: safeguarding, every role
    assert category(15).pk in rules.for_role(care_worker)  # council: moving people, care roles
    assert category(15).pk not in rules.for_role(admin_role)
    assert category(31).pk in rules.for_role(admin_role)  # provider's own, every role
    assert category(29).pk in rules.for_role(admin_role) and category(29).pk not in rules.for_role(care_worker)


def test_sectors_the_provider_is_not_in_add_nothing(provider):
    rules = mandatory_set(provider)  # residential care only
    assert category(19).pk not in rules.all_categories  # positive behaviour support: learning disability


def test_council_rules_cannot_be_removed_by_a_provider(provider_admin):
    rule = MandatoryTraining.objects.filter(organisation__isnull=True).first()
    with pytest.raises(PermissionDenied):
        services.requirement_remove(actor=provider_admin, rule=rule)


@pytest.fixture
def team(provider):
    """Four care workers: in date, expiring, expired and missing safeguarding."""
    people = {s: StaffMemberFactory(organisation=provider, name=f"Person {s}") for s in Status}
    record_for(people[Status.IN_DATE], 20, D(2026, 6, 1))  # 36 months
    record_for(people[Status.EXPIRING], 20, D(2024, 1, 10))  # expires 9 Jan 2027
    record_for(people[Status.EXPIRED], 20, D(2023, 1, 10))  # expired 9 Jan 2026
    leaver = StaffMemberFactory(organisation=provider, name="Gone Person", leaving_date=D(2026, 1, 1))
    record_for(leaver, 20, D(2023, 1, 10))
    return people


def test_matrix_cells_show_each_status(provider, provider_admin, team):
    staff, columns, mandatory = selectors.matrix_for(user=provider_admin, organisation=provider)
    rows = {row.staff.name: row for row in selectors.matrix_rows(staff, columns, mandatory)}
    assert "Gone Person" not in rows
    safeguarding = columns.index(category(20))
    for status, person in team.items():
        assert rows[person.name].cells[safeguarding].status == status


@pytest.mark.parametrize("status", [Status.EXPIRED, Status.EXPIRING])
def test_matrix_filters_by_status(provider, provider_admin, team, status):
    staff, _, _ = selectors.matrix_for(user=provider_admin, organisation=provider, status=status)
    assert [s.name for s in staff] == [team[status].name]


def test_matrix_missing_filter_finds_anyone_short_of_a_mandatory_category(provider, provider_admin, team):
    complete = StaffMemberFactory(organisation=provider, name="Complete Person", job_role=job_role(25))
    for category_id in mandatory_set(provider).for_role(job_role(25).pk):
        record_for(complete, _code_of(category_id), D(2026, 6, 1))
    staff, _, _ = selectors.matrix_for(user=provider_admin, organisation=provider, status=Status.MISSING)
    assert "Complete Person" not in {s.name for s in staff}
    assert set(team.values()) <= set(staff)


def _code_of(category_id):
    from carenetwork.records.models import TrainingCategory

    return TrainingCategory.objects.get(pk=category_id).code


def test_overview_counts_each_status(provider, provider_admin, team):
    rows = {
        c.category.code: c.counts
        for c in selectors.compliance_for(user=provider_admin, organisation=provider, window=90)
    }
    safeguarding = rows[20]
    assert (
        safeguarding.required,
        safeguarding.in_date,
        safeguarding.expiring,
        safeguarding.expired,
        safeguarding.missing,
    ) == (4, 1, 1, 1, 1)
    assert safeguarding.share_in_date == 50


def test_matrix_page_and_csv(client, provider, provider_admin, team):
    client.force_login(provider_admin)
    page = client.get(reverse("records:matrix", args=[provider.pk])).content.decode()
    for label in ("In date", "Expiring soon", "Expired", "Missing"):
        assert label in page
    csv_text = b"".join(client.get(reverse("records:matrix-csv", args=[provider.pk])).streaming_content).decode()
    assert "Person expiring" in csv_text and "Expiring soon (09/01/2027)" in csv_text


def _column_headers(page: str) -> list[str]:
    marker = 'class="govuk-table__header app-matrix__category">'
    return [part.split("<", 1)[0] for part in page.split(marker)[1:]]


def test_matrix_shows_the_chosen_categories_and_the_csv_follows(client, provider, provider_admin, team):
    client.force_login(provider_admin)
    _, every, _ = selectors.matrix_for(user=provider_admin, organisation=provider)
    chosen = f"?categories={category(20).pk}&categories={category(15).pk}"
    page = client.get(reverse("records:matrix", args=[provider.pk]) + chosen).content.decode()
    assert _column_headers(page) == ["Assisting and moving people", "Safeguarding adults"]
    assert f"Showing 2 of {len(every)} categories." in page
    assert "Scroll sideways to see all 2 categories." in page
    csv_text = b"".join(
        client.get(reverse("records:matrix-csv", args=[provider.pk]) + chosen).streaming_content
    ).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == (
        "Name,Reference,Job role,Location,Assisting and moving people (expiry),Safeguarding adults (expiry)"
    )
    everything = client.get(reverse("records:matrix", args=[provider.pk])).content.decode()
    assert len(_column_headers(everything)) == len(every) > 2
    assert "Showing" not in everything and f"Scroll sideways to see all {len(every)} categories." in everything


def test_matrix_status_filter_speaks_of_the_chosen_categories(provider, provider_admin, team):
    expired = team[Status.EXPIRED]
    staff, _, _ = selectors.matrix_for(
        user=provider_admin, organisation=provider, status=Status.EXPIRED, categories=[category(20).pk]
    )
    assert list(staff) == [expired]
    staff, columns, _ = selectors.matrix_for(
        user=provider_admin, organisation=provider, status=Status.EXPIRED, categories=[category(15).pk]
    )
    assert columns == [category(15)] and list(staff) == []


def test_matrix_with_a_category_not_on_the_list_says_so_and_shows_all(client, provider, provider_admin, team):
    client.force_login(provider_admin)
    page = client.get(reverse("records:matrix", args=[provider.pk]) + "?categories=999999").content.decode()
    assert "Choose categories from the list" in page
    assert len(_column_headers(page)) > 2


def test_register_pages_work_end_to_end(client, provider, provider_admin):
    client.force_login(provider_admin)
    response = client.post(
        reverse("records:staff-add", args=[provider.pk]),
        {
            "name": "Lena Marsh",
            "job_role": job_role(7).pk,
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2025",
            "reference": "LM7",
            "email": "",
        },
    )
    staff = StaffMember.objects.get(name="Lena Marsh")
    assert response.status_code == 302
    response = client.post(
        reverse("records:record-add", args=[provider.pk, staff.pk]),
        {
            "category": category(15).pk,
            "completed_on_0": "2",
            "completed_on_1": "2",
            "completed_on_2": "2026",
            "accredited": "yes",
            "certificate": _upload(),
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get(staff=staff)
    assert record.expires_on == D(2027, 2, 1) and record.certificate
    response = client.post(
        reverse("records:staff-leave", args=[provider.pk, staff.pk]),
        {"leaving_date_0": "20", "leaving_date_1": "11", "leaving_date_2": "2026"},
    )
    staff.refresh_from_db()
    assert staff.leaving_date == D(2026, 11, 20)


def test_bad_input_shows_errors(client, provider, provider_admin):
    client.force_login(provider_admin)
    staff = StaffMemberFactory(organisation=provider)
    response = client.post(
        reverse("records:record-add", args=[provider.pk, staff.pk]),
        {"completed_on_0": "31", "completed_on_1": "2", "completed_on_2": "2026", "accredited": "yes"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the training category" in page and "Enter a real date" in page


def test_another_providers_staff_are_not_found(client, provider, other_provider, other_admin):
    staff = StaffMemberFactory(organisation=provider)
    client.force_login(other_admin)
    assert client.get(reverse("records:staff-detail", args=[other_provider.pk, staff.pk])).status_code == 404


def test_a_new_job_role_follows_to_the_persons_covers(provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider, job_role=job_role(8))
    record_for(staff, 20, D(2026, 1, 10))
    assert TrainingCover.objects.get(staff=staff).job_role == job_role(8)
    services.staff_save(actor=provider_admin, organisation=provider, staff=staff, data={"job_role": job_role(25)})
    assert TrainingCover.objects.get(staff=staff).job_role == job_role(25)
    # Administrative staff need no moving and assisting: the overview follows the new role.
    rows = {
        c.category.code: c.counts
        for c in selectors.compliance_for(user=provider_admin, organisation=provider, window=90)
    }
    assert 15 not in rows and rows[20].in_date == 1


def test_matrix_csv_defuses_formulas(client, provider, provider_admin):
    StaffMemberFactory(organisation=provider, name='=HYPERLINK("http://x")', reference="+1+1")
    client.force_login(provider_admin)
    text = b"".join(client.get(reverse("records:matrix-csv", args=[provider.pk])).streaming_content).decode()
    assert "'=HYPERLINK" in text and "'+1+1" in text


def test_my_training_shows_where_the_person_stands_as_the_matrix_does(client, provider, provider_member):
    me = StaffMemberFactory(organisation=provider, user=provider_member, job_role=job_role(8))
    record_for(me, 20, D(2026, 1, 10))  # safeguarding: in date until 2029
    record_for(me, 15, D(2024, 1, 1), expires_on=D(2024, 12, 31))  # moving people: expired
    record_for(me, 6, D(2025, 12, 1), expires_on=D(2026, 12, 1))  # within the reminder period: expiring soon
    client.force_login(provider_member)
    page = client.get(reverse("records:my-training")).content.decode()
    assert "Your required training" in page
    standing = {c.code: cell.status for c, cell in selectors.own_standing_for(user=provider_member, staff=me)}
    assert standing[20] == Status.IN_DATE and standing[15] == Status.EXPIRED and standing[6] == Status.EXPIRING
    assert Status.MISSING in standing.values()
    for colour, label in (("green", "In date"), ("red", "Expired"), ("yellow", "Expiring soon"), ("grey", "Missing")):
        assert f'govuk-tag--{colour}">{label}</strong>' in page


def test_another_person_cannot_read_someones_standing(provider, provider_member, other_admin):
    me = StaffMemberFactory(organisation=provider, user=provider_member)
    with pytest.raises(PermissionDenied):
        selectors.own_standing_for(user=other_admin, staff=me)


@pytest.mark.parametrize("expires", [D(2026, 3, 15), D(2026, 3, 14)])
def test_an_expiry_on_or_before_completion_is_refused_everywhere(provider, provider_admin, expires):
    staff = StaffMemberFactory(organisation=provider)
    form = RecordForm(
        data={
            "category": category(20).pk,
            "completed_on_0": "15",
            "completed_on_1": "3",
            "completed_on_2": "2026",
            "expires_on_0": str(expires.day),
            "expires_on_1": str(expires.month),
            "expires_on_2": str(expires.year),
            "accredited": "yes",
        }
    )
    assert not form.is_valid()
    assert form.errors["expires_on"] == ["The expiry date must be after the date completed"]
    with pytest.raises(ValidationError):
        services.record_save(actor=provider_admin, staff=staff, record=None, data=_record_data(expires_on=expires))
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRecord.objects.create(
            staff=staff, category=category(20), completed_on=D(2026, 3, 15), expires_on=expires
        )


def test_the_record_form_counts_lengths_as_ascwds_does():
    form = RecordForm(data={"training_name": "x" * 119 + "\U0001f600"})
    form.is_valid()
    assert form.errors["training_name"] == ["This must be 120 characters or fewer (it has 121)"]


def test_a_record_with_no_completion_date_shows_no_date_and_is_not_in_date(client, provider, provider_member):
    me = StaffMemberFactory(organisation=provider, user=provider_member, job_role=job_role(8))
    TrainingRecord.objects.create(staff=me, category=category(20))
    services_cover([me.pk])
    client.force_login(provider_member)
    page = client.get(reverse("records:my-training")).content.decode()
    assert "No date" in page
    standing = {c.code: cell.status for c, cell in selectors.own_standing_for(user=provider_member, staff=me)}
    assert standing[20] == Status.MISSING
