"""What the directory, profile and people pages show."""

import pytest
from django.urls import reverse

from carenetwork.organisations import services
from carenetwork.organisations.models import Organisation, Role, ServiceType
from tests.factories import LocationFactory, MembershipFactory, OrganisationFactory, sector

pytestmark = pytest.mark.django_db


def names_in(response):
    return [o.name for o in response.context["page"].object_list]


def test_directory_searches_by_name_and_postcode(client, provider, other_provider, other_admin):
    client.force_login(other_admin)
    assert names_in(client.get("/organisations/?q=willow")) == ["Willow Care Home"]
    OrganisationFactory(name="Postcode Place", postcode="EM7 2AB")
    assert names_in(client.get("/organisations/?q=EM7")) == ["Postcode Place"]


def test_directory_filters_by_kind_sector_service_type_and_area(
    client, provider, other_provider, training_org, other_admin
):
    client.force_login(other_admin)
    assert names_in(client.get("/organisations/?kind=training")) == ["SafeHands Training"]
    assert names_in(client.get("/organisations/?sector=home-care")) == ["Heron Home Care"]
    care_home = ServiceType.objects.get(ascwds_code=2)
    assert names_in(client.get(f"/organisations/?service_type={care_home.pk}")) == ["Willow Care Home"]
    # An organisation is in an area if it or one of its locations is there.
    LocationFactory(organisation=provider, name="Willow North", area="Northbrook")
    assert names_in(client.get("/organisations/?area=Northbrook")) == ["Heron Home Care", "Willow Care Home"]


def test_directory_pages_through_many_organisations(client, other_admin):
    client.force_login(other_admin)
    for n in range(30):
        OrganisationFactory(name=f"Provider {n:02d}", sectors=[sector("home-care")])
    first = client.get("/organisations/?sector=home-care")
    assert len(names_in(first)) == 25
    second = client.get("/organisations/?sector=home-care&page=2")
    assert len(names_in(second)) == 6  # the 30 above and Heron Home Care
    assert "sector=home-care&amp;page=2" in first.content.decode()


def test_profile_lists_locations_with_capacity_and_cqc_id(client, provider, other_admin):
    client.force_login(other_admin)
    page = client.get(reverse("organisations:detail", args=[provider.pk])).content.decode()
    assert "Willow House" in page and "1-123456789" in page and "40 beds" in page


def test_people_page_lists_the_organisations_people(client, provider, provider_admin, provider_member):
    client.force_login(provider_member)
    page = client.get(reverse("organisations:members", args=[provider.pk])).content.decode()
    assert provider_admin.full_name in page and provider_member.email in page
    assert "Invite a person" not in page  # members see people but do not manage them


def test_people_page_pages_through_large_organisations(client, provider, provider_admin):
    MembershipFactory.create_batch(55, organisation=provider, role=Role.MEMBER)
    client.force_login(provider_admin)
    response = client.get(reverse("organisations:members", args=[provider.pk]))
    assert response.context["page"].paginator.count == 56
    assert len(response.context["page"].object_list) == 50


def test_audit_log_shows_who_changed_what(client, provider, provider_admin, council_admin):
    services.organisation_update(actor=provider_admin, organisation=provider, data={"phone": "01632 960999"})
    client.force_login(council_admin)
    page = client.get(reverse("organisations:audit-log") + f"?organisation={provider.pk}").content.decode()
    assert "organisation.updated" in page and "01632 960999" in page and provider_admin.full_name in page


def test_editing_the_profile_shows_errors_and_saves_valid_input(client, provider, provider_admin):
    client.force_login(provider_admin)
    url = reverse("organisations:edit", args=[provider.pk])
    bad = client.post(url, {"name": "", "postcode": "nope", "contact_email": "not-an-email"})
    content = bad.content.decode()
    assert bad.status_code == 200 and "There is a problem" in content
    assert 'href="#id_postcode"' in content and 'href="#id_name"' in content
    good = client.post(
        url,
        {
            "name": "Willow Care Home Ltd",
            "postcode": "em1 1aa",
            "contact_email": "a@b.example",
            "sectors": [sector("residential-care").pk],
        },
    )
    assert good.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.postcode) == ("Willow Care Home Ltd", "EM1 1AA")


def test_council_administrator_adds_an_organisation_then_appoints_its_admin(client, council_admin):
    client.force_login(council_admin)
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Kestrel Supported Living",
            "kind": "provider",
            "postcode": "EM2 3AB",
            "sectors": [sector("supported-living").pk],
            "cqc_provider_id": "1-555555555",
        },
    )
    organisation = Organisation.objects.get(name="Kestrel Supported Living")
    assert response["Location"] == reverse("organisations:appoint-admin", args=[organisation.pk])
    assert list(organisation.sectors.values_list("slug", flat=True)) == ["supported-living"]
    duplicate = client.post(
        reverse("organisations:create"), {"name": "Copy", "kind": "provider", "cqc_provider_id": "1-555555555"}
    )
    assert duplicate.status_code == 200 and "There is a problem" in duplicate.content.decode()


def test_appointing_an_admin_twice_says_the_invitation_was_sent_again(
    client, council_admin, provider, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(council_admin)
    url = reverse("organisations:appoint-admin", args=[provider.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "boss@example.org"})
        response = client.post(url, {"email": "boss@example.org"}, follow=True)

    page = response.content.decode()
    assert "boss@example.org had already been invited to be the admin of Willow Care Home" in page
    assert "The link in either email works" in page
    invitation = provider.invitations.get()
    assert invitation.is_pending
    assert [f"/organisations/invitations/{invitation.token}/" in m.body for m in mailoutbox] == [True, True]
