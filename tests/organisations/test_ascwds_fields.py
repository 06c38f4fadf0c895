"""The ASC-WDS references organisations keep: a workplace reference (LOCALESTID) per location and per provider with
one workplace, and a training provider's code on ASC-WDS's list of training providers."""

import pytest
from django.urls import reverse

from carenetwork.organisations.forms import OrganisationForm
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def test_an_admin_sets_a_locations_workplace_reference_on_the_location_form(client, provider, provider_admin):
    location = provider.locations.get()
    client.force_login(provider_admin)
    url = reverse("organisations:location-edit", args=[provider.pk, location.pk])
    assert 'name="ascwds_workplace_id"' in client.get(url).content.decode()
    data = {
        "name": location.name,
        "postcode": location.postcode,
        "capacity_unit": location.capacity_unit,
        "cqc_location_id": location.cqc_location_id,
        "ascwds_workplace_id": " WH-0001 ",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    location.refresh_from_db()
    assert location.ascwds_workplace_id == "WH-0001"


def test_only_a_care_provider_has_a_workplace_reference_and_only_a_training_provider_a_code(provider, training_org):
    care = OrganisationForm(instance=provider)
    assert "ascwds_workplace_id" in care.fields and "ascwds_provider_code" not in care.fields
    training = OrganisationForm(instance=training_org)
    assert "ascwds_provider_code" in training.fields and "ascwds_workplace_id" not in training.fields
    choices = dict(training.fields["ascwds_provider_code"].choices)
    assert choices[88] == "Skills for Care" and 999 not in choices  # 999 is ASC-WDS's "other", not a provider


def test_a_training_provider_chooses_its_ascwds_code_from_the_list(client, training_org):
    admin = person_in(training_org, "admin")
    client.force_login(admin)
    url = reverse("organisations:edit", args=[training_org.pk])
    page = client.get(url).content.decode()
    assert "ASC-WDS training provider" in page and "Not on the ASC-WDS list" in page
    data = {"name": training_org.name, "ascwds_provider_code": "88"}
    assert client.post(url, data).status_code == 302
    training_org.refresh_from_db()
    assert training_org.ascwds_provider_code == 88
    response = client.post(url, {"name": training_org.name, "ascwds_provider_code": "999"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert client.post(url, {"name": training_org.name, "ascwds_provider_code": ""}).status_code == 302
    training_org.refresh_from_db()
    assert training_org.ascwds_provider_code is None
