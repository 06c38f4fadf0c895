"""The staff register and training records through the API: what the provider's admin does on the portal, through
the same selectors and services, for the token's organisation only, with the ASC-WDS codes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carenetwork.core.models import AuditEvent
from carenetwork.records.models import StaffMember, TrainingRecord
from carenetwork.records.rules import expiry_date
from tests.records.factories import StaffMemberFactory, category, job_role, record_for

pytestmark = pytest.mark.django_db
STAFF, RECORDS, MATRIX = "/api/v1/staff/", "/api/v1/training-records/", "/api/v1/training-matrix/"
DAY = datetime.date(2026, 1, 15)


@pytest.fixture
def api(api_as, provider_token):
    return api_as(provider_token)


@pytest.fixture
def alex(provider):
    return StaffMemberFactory(organisation=provider, name="Alex Example", reference="W0001")


@pytest.fixture
def stranger(other_provider):
    return StaffMemberFactory(organisation=other_provider, name="Sam Other", reference="W0001")


def test_the_register_lists_the_organisations_current_staff_only(api, alex, stranger):
    answer = api.get(STAFF)
    assert answer.status_code == 200
    assert [p["name"] for p in answer.json()["results"]] == ["Alex Example"]
    assert answer.json()["results"][0]["job_role_code"] == alex.job_role.code


def test_adding_a_person_by_asc_wds_job_role_code_goes_through_the_service(api, provider):
    answer = api.post(STAFF, {"name": "Bea Lee", "job_role_code": 8, "reference": "W0009"}, format="json")
    assert answer.status_code == 201, answer.json()
    person = StaffMember.objects.get(reference="W0009")
    assert person.organisation == provider and person.job_role == job_role(8)
    assert AuditEvent.objects.filter(action="staff.created", object_id=str(person.pk)).get().via.startswith("token")


def test_the_services_rules_answer_as_problems(api, alex):
    answer = api.post(STAFF, {"name": "Bea Lee", "job_role_code": 8, "reference": "W0001"}, format="json")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"][0]["pointer"] == "/reference"
    answer = api.post(STAFF, {"name": "Bea Lee", "job_role_code": 999}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["pointer"] == "/job_role_code"
    answer = api.post(STAFF, {"job_role_code": 8}, format="json")
    assert {e["pointer"] for e in answer.json()["errors"]} == {"/name"}


def test_a_leaver_is_marked_by_their_leaving_date(api, alex):
    answer = api.patch(f"{STAFF}{alex.pk}/", {"leaving_date": str(timezone.localdate())}, format="json")
    assert answer.status_code == 200
    assert api.get(STAFF).json()["count"] == 0 and api.get(STAFF, {"leavers": "true"}).json()["count"] == 1
    future = str(timezone.localdate() + datetime.timedelta(days=3))
    assert api.patch(f"{STAFF}{alex.pk}/", {"leaving_date": future}, format="json").status_code == 400


def test_another_organisations_people_and_records_are_not_found(api, stranger):
    theirs = record_for(stranger, 20, DAY)
    assert api.get(f"{STAFF}{stranger.pk}/").status_code == 404
    assert api.patch(f"{STAFF}{stranger.pk}/", {"name": "X"}, format="json").status_code == 404
    assert api.get(f"{RECORDS}{theirs.pk}/").status_code == 404
    assert api.delete(f"{RECORDS}{theirs.pk}/").status_code == 404
    assert TrainingRecord.objects.filter(pk=theirs.pk).exists()
    answer = api.post(RECORDS, {"staff": stranger.pk, "category_code": 20, "completed_on": str(DAY)}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["pointer"] == "/staff"
    assert api.get(STAFF, {"search": "Sam"}).json()["count"] == 0


def test_a_record_added_by_category_code_takes_its_expiry_from_the_category(api, alex):
    answer = api.post(RECORDS, {"staff": alex.pk, "category_code": 20, "completed_on": str(DAY)}, format="json")
    assert answer.status_code == 201, answer.json()
    record = TrainingRecord.objects.get()
    assert record.category == category(20) and record.expires_on == expiry_date(DAY, category(20).refresh_months)
    assert answer.json()["category_code"] == 20 and answer.json()["expires_on"] == str(record.expires_on)
    assert AuditEvent.objects.get(action="training_record.created").via == "token Rota sync of Willow Care Home"


def test_a_record_can_be_changed_and_deleted_and_its_rules_hold(api, alex):
    record = record_for(alex, 20, DAY)
    answer = api.patch(f"{RECORDS}{record.pk}/", {"completed_on": "2026-02-01"}, format="json")
    assert answer.status_code == 200 and answer.json()["completed_on"] == "2026-02-01"
    future = str(timezone.localdate() + datetime.timedelta(days=2))
    answer = api.patch(f"{RECORDS}{record.pk}/", {"completed_on": future}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["pointer"] == "/completed_on"
    assert api.delete(f"{RECORDS}{record.pk}/").status_code == 204
    assert not TrainingRecord.objects.exists()
    assert AuditEvent.objects.filter(action="training_record.deleted").exists()


def test_records_filter_by_person_and_category_and_bad_filters_are_400(api, alex, provider):
    other = StaffMemberFactory(organisation=provider)
    record_for(alex, 20, DAY)
    record_for(alex, 15, DAY)
    record_for(other, 20, DAY)
    assert api.get(RECORDS).json()["count"] == 3
    assert api.get(RECORDS, {"staff": alex.pk}).json()["count"] == 2
    assert api.get(RECORDS, {"staff": alex.pk, "category": category(20).pk}).json()["count"] == 1
    for bad in ({"staff": "abc"}, {"staff": "0"}, {"page_size": "0"}, {"page": "x"}, {"page_size": "501"}):
        answer = api.get(RECORDS, bad)
        assert answer.status_code == 400, bad
        assert answer["Content-Type"] == "application/problem+json"


def test_the_matrix_gives_each_persons_status_in_each_category(api, alex):
    record_for(alex, 20, timezone.localdate() - datetime.timedelta(days=30))
    answer = api.get(MATRIX)
    assert answer.status_code == 200
    body = answer.json()
    safeguarding = next(c for c in body["categories"] if c["code"] == 20)
    row = body["rows"][0]
    cell = next(c for c in row["cells"] if c["category"] == safeguarding["id"])
    assert row["name"] == "Alex Example" and cell["status"] == "in_date" and cell["required"] is True
    assert api.get(MATRIX, {"status": "missing"}).json()["count"] == 1
    assert api.get(MATRIX, {"status": "purple"}).status_code == 400


def test_the_categories_and_job_roles_give_their_asc_wds_codes(api):
    categories = api.get("/api/v1/training-categories/").json()
    assert {"id", "code", "name", "group", "refresh_months"} == set(categories[0])
    assert any(c["code"] == 20 and c["name"] == "Safeguarding adults" for c in categories)
    roles = api.get("/api/v1/job-roles/").json()
    assert any(r["code"] == 8 for r in roles)


@pytest.mark.parametrize("path", [STAFF, RECORDS, MATRIX])
def test_a_member_of_the_provider_or_the_council_may_not_read_a_register(
    path, client_for, provider_member, council_officer, api_as, council_token
):
    assert client_for(provider_member).get(path).status_code == 403
    assert api_as(council_token).get(path).status_code == 403


@pytest.mark.parametrize("path", [STAFF, RECORDS, MATRIX])
def test_the_lists_queries_stay_the_same_as_the_register_grows(api, provider, path):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    person = StaffMemberFactory(organisation=provider)
    record_for(person, 20, DAY)
    queries()  # the token's first call of the minute also notes its use
    few = queries()
    for _ in range(8):
        person = StaffMemberFactory(organisation=provider)
        record_for(person, 20, DAY)
        record_for(person, 15, DAY)
    assert queries() == few
