"""The demo borough has people in every role and can be built again without duplicating anything."""

import pytest
from django.core.management import call_command

from carenetwork.organisations import selectors
from carenetwork.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def test_demo_borough_has_every_kind_and_role_and_is_idempotent(capsys):
    call_command("demo_borough")
    counts = {kind: Organisation.objects.filter(kind=kind).count() for kind in Organisation.Kind.values}
    assert counts == {"council": 1, "provider": 60, "training": 5, "partner": 2}
    roles = set(Membership.objects.active().values_list("role", flat=True))
    assert roles == {Role.ADMIN, Role.MEMBER, Role.OFFICER, Role.ADMINISTRATOR}
    output = capsys.readouterr().out
    assert "admin@eastmarsh.example" in output and "carenetwork-demo" in output
    memberships = Membership.objects.count()
    call_command("demo_borough")
    assert Organisation.objects.count() == sum(counts.values())
    assert Membership.objects.count() == memberships


def test_demo_borough_shows_an_organisation_without_an_admin():
    call_command("demo_borough")
    admin = Membership.objects.get(user__email="admin@eastmarsh.example").user
    assert selectors.organisations_without_admin_for(user=admin).filter(had_people=True).exists()
