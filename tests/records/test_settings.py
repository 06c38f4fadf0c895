"""Council administrators' training settings: categories, job roles, mandatory training, leavers and reminders."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.records import services_settings
from carenetwork.records.models import CategoryGroup, JobRole, MandatoryTraining, RecordsSettings, TrainingCategory
from tests.factories import sector
from tests.records.factories import category, job_role

pytestmark = pytest.mark.django_db


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_council_admin_page_links_to_the_training_settings(client_for, council_admin):
    html = page(client_for(council_admin), "organisations:council-admin")
    assert reverse("records:settings") in html


def test_settings_index_lists_sectors_and_current_values(client_for, council_admin):
    RecordsSettings.objects.update_or_create(pk=1, defaults={"retention_months": 60, "reminder_days": 45})
    html = page(client_for(council_admin), "records:settings")
    assert "Residential care" in html and reverse("records:settings-mandatory", args=[sector("home-care").pk]) in html
    assert "60 months" in html and "45 days" in html


def test_categories_are_grouped_with_code_and_refresh_period(client_for, council_admin):
    html = page(client_for(council_admin), "records:settings-categories")
    for _value, label in CategoryGroup.choices:
        assert str(label) in html
    assert "Not in a group" in html  # "Other" (code 21) has no group
    care = html.index(str(CategoryGroup.CARE_SKILLS.label))
    health = html.index(str(CategoryGroup.HEALTH_SAFETY.label))
    assert care < html.index("Safeguarding adults") < health < html.index("Fire safety")
    assert "Every year" in html and "Once only" in html and "Every three years" in html


def test_council_admin_adds_a_category_without_a_code_that_never_expires(client_for, council_admin):
    client = client_for(council_admin)
    response = client.post(
        reverse("records:settings-category-add"),
        {
            "name": "Hospital discharge awareness",
            "code": "",
            "group": "care_skills",
            "refresh": "once",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    added = TrainingCategory.objects.get(name="Hospital discharge awareness")
    assert (added.code, added.group, added.refresh_months, added.is_active) == (None, "care_skills", None, True)
    event = AuditEvent.objects.get(action="category.created")
    assert event.actor == council_admin and event.changes["name"] == [None, "Hospital discharge awareness"]


def test_changing_a_category_records_what_changed(client_for, council_admin):
    safeguarding = category(20)
    client_for(council_admin).post(
        reverse("records:settings-category-edit", args=[safeguarding.pk]),
        {"name": "Safeguarding adults", "code": "20", "group": "care_skills", "refresh": "24", "is_active": "on"},
    )
    safeguarding.refresh_from_db()
    assert safeguarding.refresh_months == 24
    event = AuditEvent.objects.get(action="category.updated")
    assert event.changes == {"refresh_months": [36, 24]}


def test_the_change_form_shows_the_current_refresh_period(client_for, council_admin):
    client = client_for(council_admin)
    once = client.get(reverse("records:settings-category-edit", args=[category(11).pk]))  # leadership: once only
    assert once.context["form"]["refresh"].value() == "once"
    assert re.search(r'<input[^>]*value="once"[^>]*checked', once.content.decode())
    yearly = client.get(reverse("records:settings-category-edit", args=[category(6).pk]))  # fire safety: yearly
    assert yearly.context["form"]["refresh"].value() == "12"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "refresh": "12"}, "name", "Enter the name of the training category"),
        ({"name": "New", "code": "20", "refresh": "12"}, "code", "Another category already has this ASC-WDS code"),
        ({"name": "Fire safety", "refresh": "12"}, "name", "There is already a category with this name"),
        ({"name": "New"}, "refresh", "Select how often the training must be renewed"),
    ],
)
def test_category_form_errors(client_for, council_admin, data, field, message):
    response = client_for(council_admin).post(reverse("records:settings-category-add"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="category.created").exists()


def test_council_admin_adds_and_changes_a_job_role(client_for, council_admin):
    client = client_for(council_admin)
    client.post(
        reverse("records:settings-job-role-add"),
        {"name": "Wellbeing coordinator", "provides_care": "on", "is_active": "on"},
    )
    role = JobRole.objects.get(name="Wellbeing coordinator")
    assert role.provides_care and role.code is None
    client.post(
        reverse("records:settings-job-role-edit", args=[role.pk]),
        {"name": "Wellbeing lead", "provides_care": "on", "is_active": ""},
    )
    role.refresh_from_db()
    assert (role.name, role.is_active) == ("Wellbeing lead", False)
    assert AuditEvent.objects.get(action="job_role.updated").changes == {
        "name": ["Wellbeing coordinator", "Wellbeing lead"],
        "is_active": [True, False],
    }
    response = client.post(reverse("records:settings-job-role-add"), {"name": "Another", "code": "8"})
    assert "Another job role already has this ASC-WDS code" in response.context["form"].errors["code"]


def test_job_roles_page_shows_codes_and_care(client_for, council_admin):
    html = page(client_for(council_admin), "records:settings-job-roles")
    assert job_role(8).name in html and "Provides care" in html


def test_mandatory_page_lists_every_role_and_particular_roles(client_for, council_admin):
    residential = sector("residential-care")
    html = page(client_for(council_admin), "records:settings-mandatory", residential.pk)
    every = html.index("Required of every role")
    particular = html.index("Required of particular job roles")
    assert every < html.index(category(20).name) < particular  # safeguarding: every role
    assert particular < html.index(category(15).name)  # moving and assisting: care roles
    assert job_role(8).name in html[particular:]


def test_adding_a_category_for_every_role_replaces_rules_for_particular_roles(client_for, council_admin):
    residential = sector("residential-care")
    moving = category(15)
    assert MandatoryTraining.objects.filter(sector=residential, category=moving, job_role__isnull=False).exists()
    response = client_for(council_admin).post(
        reverse("records:settings-mandatory-add", args=[residential.pk]),
        {"category": moving.pk, "applies_to": "every"},
    )
    assert response.status_code == 302
    rules = MandatoryTraining.objects.filter(sector=residential, category=moving)
    assert list(rules.values_list("job_role", flat=True)) == [None]
    assert AuditEvent.objects.filter(action="mandatory_training.created").count() == 1
    assert AuditEvent.objects.filter(action="mandatory_training.removed").count() > 1


def test_adding_a_category_for_particular_roles(client_for, council_admin):
    home = sector("home-care")
    coshh, manager = category(30), job_role(4)
    client_for(council_admin).post(
        reverse("records:settings-mandatory-add", args=[home.pk]),
        {"category": coshh.pk, "applies_to": "roles", "job_roles": [manager.pk, job_role(8).pk]},
    )
    got = set(MandatoryTraining.objects.filter(sector=home, category=coshh).values_list("job_role", flat=True))
    assert got == {manager.pk, job_role(8).pk}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"applies_to": "every"}, "category", "Choose a training category"),
        ({"category": "CAT"}, "applies_to", "Select who must do the training"),
        ({"category": "CAT", "applies_to": "roles"}, "job_roles", "Tick at least one job role"),
        ({"category": "SAFEGUARDING", "applies_to": "every"}, "category", "already required of every role"),
        ({"category": "MOVING", "applies_to": "roles", "job_roles": "CARER"}, "job_roles", "already required of"),
    ],
)
def test_mandatory_add_errors(client_for, council_admin, data, field, message):
    residential = sector("residential-care")
    values = {"CAT": category(2).pk, "SAFEGUARDING": category(20).pk, "MOVING": category(15).pk}
    values["CARER"] = job_role(8).pk
    data = {k: values.get(v, v) for k, v in data.items()}
    before = MandatoryTraining.objects.count()
    response = client_for(council_admin).post(reverse("records:settings-mandatory-add", args=[residential.pk]), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert MandatoryTraining.objects.count() == before


def test_removing_a_rule_asks_first_then_removes_it_on_post(client_for, council_admin):
    residential = sector("residential-care")
    rule = MandatoryTraining.objects.get(sector=residential, category=category(20), job_role__isnull=True)
    client = client_for(council_admin)
    url = reverse("records:settings-mandatory-remove", args=[residential.pk, rule.pk])
    html = page(client, "records:settings-mandatory-remove", residential.pk, rule.pk)
    assert "Stop requiring Safeguarding adults?" in html
    assert MandatoryTraining.objects.filter(pk=rule.pk).exists()
    assert client.post(url).status_code == 302
    assert not MandatoryTraining.objects.filter(pk=rule.pk).exists()
    event = AuditEvent.objects.get(action="mandatory_training.removed")
    assert event.actor == council_admin and event.object_id == str(rule.pk)


def test_a_rule_of_another_sector_is_not_found(client_for, council_admin):
    rule = MandatoryTraining.objects.filter(sector=sector("home-care")).first()
    url = reverse("records:settings-mandatory-remove", args=[sector("residential-care").pk, rule.pk])
    assert client_for(council_admin).post(url).status_code == 404
    assert MandatoryTraining.objects.filter(pk=rule.pk).exists()


def test_records_settings_are_saved_and_validated(client_for, council_admin):
    client = client_for(council_admin)
    response = client.post(reverse("records:settings-retention"), {"retention_months": "0", "reminder_days": "30"})
    assert response.status_code == 200 and "retention_months" in response.context["form"].errors
    response = client.post(reverse("records:settings-retention"), {"retention_months": "36", "reminder_days": "30"})
    assert response.status_code == 302
    current = RecordsSettings.current()
    assert (current.retention_months, current.reminder_days) == (36, 30)
    assert AuditEvent.objects.get(action="records_settings.updated").changes == {
        "retention_months": [72, 36],
        "reminder_days": [90, 30],
    }


def test_services_refuse_anyone_but_council_administrators(council_officer, provider_admin):
    for person in (council_officer, provider_admin):
        with pytest.raises(PermissionDenied):
            services_settings.category_save(actor=person, category=None, data={"name": "X"})
        with pytest.raises(PermissionDenied):
            services_settings.mandatory_add(actor=person, sector=sector("home-care"), category=category(2))
        with pytest.raises(PermissionDenied):
            services_settings.records_settings_save(actor=person, data={"reminder_days": 10})
        with pytest.raises(PermissionDenied):
            services_settings.category_list_for(user=person)


def test_a_providers_own_rule_cannot_be_removed_here(council_admin, provider):
    rule = MandatoryTraining.objects.create(organisation=provider, category=category(2))
    with pytest.raises(PermissionDenied):
        services_settings.mandatory_remove(actor=council_admin, rule=rule)
