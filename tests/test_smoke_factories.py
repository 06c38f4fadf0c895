import pytest

pytestmark = pytest.mark.django_db


def test_fixtures_build_people_in_every_role(council_admin, provider_admin, other_admin, partner_member):
    assert council_admin.memberships.get().organisation.kind == "council"
    assert provider_admin.memberships.get().organisation.name == "Willow Care Home"
