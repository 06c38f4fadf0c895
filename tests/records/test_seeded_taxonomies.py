"""The seeded ASC-WDS taxonomies match Skills for Care's tables, and the demo borough shows every status."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from carenetwork.accounts.models import User
from carenetwork.records import selectors
from carenetwork.records.ascwds import JOB_ROLES, TRAINING_CATEGORIES, TRAINING_PROVIDERS
from carenetwork.records.models import JobRole, MandatoryTraining, StaffMember, TrainingCategory, TrainingCover
from carenetwork.records.rules import Status, cover_status

pytestmark = pytest.mark.django_db
ASCWDS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ascwds"


def _rows(name):
    with open(ASCWDS / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_training_categories_match_ascwds():
    expected = {
        (int(r["bulk_upload_code_CATEGORY"]), r["category_name_current"]) for r in _rows("training_categories.csv")
    }
    assert {(code, name) for code, name, _ in TRAINING_CATEGORIES} == expected
    assert set(TrainingCategory.objects.values_list("code", "name")) == expected
    groups = {r["category_group"] for r in _rows("training_categories.csv")} - {""}
    assert {TrainingCategory(group=g).get_group_display() for _, _, g in TRAINING_CATEGORIES if g} == groups


def test_job_roles_and_training_providers_match_ascwds():
    roles = {(int(r["bulk_upload_code_MAINJOBROLE"]), r["job_role_name_current"]) for r in _rows("job_roles.csv")}
    assert set(JOB_ROLES) == roles == set(JobRole.objects.values_list("code", "name"))
    providers = {(int(r["bulk_upload_code_PROVIDERNAME"]), r["name"]) for r in _rows("training_providers.csv")}
    assert set(TRAINING_PROVIDERS) == providers


def test_every_category_has_a_refresh_period_or_is_once_only():
    assert TrainingCategory.objects.get(code=6).refresh_months == 12  # fire safety, yearly
    assert TrainingCategory.objects.get(code=20).refresh_months == 36  # safeguarding, every three years
    assert TrainingCategory.objects.get(code=41).refresh_months is None  # Oliver McGowan e-learning, once


def test_sensible_mandatory_defaults_for_every_care_sector():
    for slug in ("residential-care", "nursing-care", "home-care", "learning-disability"):
        codes = set(
            MandatoryTraining.objects.filter(sector__slug=slug, job_role=None).values_list("category__code", flat=True)
        )
        assert {20, 6, 10, 14, 41} <= codes, slug


def test_demo_borough_holds_in_date_expiring_expired_and_missing_training():
    call_command("demo_borough")
    today = timezone.localdate()
    covers = TrainingCover.objects.filter(staff__leaving_date=None)
    statuses = {cover_status(c.expires_on, today=today) for c in covers.only("expires_on")}
    assert {Status.IN_DATE, Status.EXPIRING, Status.EXPIRED} <= statuses
    assert StaffMember.objects.filter(leaving_date__isnull=False).exists()
    staff = StaffMember.objects.count()
    call_command("demo_borough")
    assert StaffMember.objects.count() == staff
    member = StaffMember.objects.get(email="deputy@willowcarehome.example")
    assert member.user is not None and member.training_records.exclude(certificate="").exists()
    admin = User.objects.get(email="manager@willowcarehome.example")
    compliance = selectors.compliance_for(user=admin, organisation=member.organisation, window=90)
    assert sum(c.counts.missing for c in compliance) > 0
    # The demo's ASC-WDS export is one ASC-WDS takes: every row has its workplace and worker references.
    from carenetwork.records.exports import ascwds_training_rows

    rows = list(ascwds_training_rows(member.organisation))[1:]
    assert rows and all(row[0].startswith("WP") and row[1] for row in rows)
