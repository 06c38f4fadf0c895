"""The demo borough (the portal's demo_borough command) has people in every role, each capability's demo on top,
something on every demo account's home page, and can be built again without duplicating anything."""

import pytest
from django.core.management import call_command

from carenetwork.accounts.models import User
from carenetwork.core.registry import attention_for
from carenetwork.forums.models import Meeting
from carenetwork.market import demand as market_demand
from carenetwork.market.models import PopulationFigure, SectionComment, StatementVersion
from carenetwork.organisations import selectors
from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.portal.attention import PANELS
from carenetwork.records.models import StaffMember
from carenetwork.training.models import Course

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
    # Each registered capability built its demo.
    built = (
        Meeting.objects.count(),
        StaffMember.objects.count(),
        Course.objects.count(),
        PopulationFigure.objects.count(),
    )
    assert all(built)
    # The market's demand is Havering's, to 2040; its statement has two versions, comments and a response.
    assert market_demand.demand().years[-1].year == 2040
    assert list(StatementVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert SectionComment.objects.exclude(response="").exists() and SectionComment.objects.filter(response="").exists()
    demand_block = StatementVersion.objects.get(number=1).sections.get(order=1).parts[1]
    assert demand_block["block"] == "demand" and demand_block["figures"]["rows"]
    # Every demo sign-in finds something that needs their attention on the home page.
    for email in (
        "admin@eastmarsh.example",
        "officer@eastmarsh.example",
        "manager@willowcarehome.example",
        "deputy@willowcarehome.example",
        next(line.split()[-1] for line in output.splitlines() if "Training provider admin" in line),
    ):
        assert attention_for(User.objects.get(email=email), also=PANELS), email
    call_command("recount_figures")  # every maintained figure equals its recount (it raises otherwise)
    call_command("demo_borough")
    assert Organisation.objects.count() == sum(counts.values())
    assert Membership.objects.count() == memberships
    assert (
        Meeting.objects.count(),
        StaffMember.objects.count(),
        Course.objects.count(),
        PopulationFigure.objects.count(),
    ) == built
    assert StatementVersion.objects.count() == 2


def test_demo_borough_shows_an_organisation_without_an_admin():
    call_command("demo_borough")
    admin = Membership.objects.get(user__email="admin@eastmarsh.example").user
    assert selectors.organisations_without_admin_for(user=admin).filter(had_people=True).exists()
