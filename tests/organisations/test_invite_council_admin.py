"""`invite_council_admin`: a new deployment gets its first council administrator by an emailed invitation."""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from carenetwork.organisations import permissions
from carenetwork.organisations.models import Invitation, Membership, Organisation, Role
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def invite(*args, capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("invite_council_admin", *args, stdout=out)
    return out.getvalue()


def test_on_an_empty_deployment_the_invited_person_becomes_the_council_administrator(
    client, settings, django_capture_on_commit_callbacks
):
    settings.COUNCIL_NAME = "Northbrook County Council"
    output = invite(" IT.Lead@Northbrook.gov.uk ", capture=django_capture_on_commit_callbacks)

    council = Organisation.objects.get()
    assert (council.name, council.kind) == ("Northbrook County Council", Organisation.Kind.COUNCIL)
    assert "Invited it.lead@northbrook.gov.uk" in output
    [email] = mail.outbox
    assert email.to == ["it.lead@northbrook.gov.uk"]
    assert "None" not in email.body  # nobody invited them: the service does
    link = re.search(r"https?://\S+/invitations/\S+/", email.body).group(0)

    # The person follows the link, chooses their own password and is the council's administrator.
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    answer = client.post(
        path, {"full_name": "Iris Lead", "password1": "a-long-Passphrase-9", "password2": "a-long-Passphrase-9"}
    )
    assert answer.status_code == 302
    membership = Membership.objects.active().get(organisation=council)
    assert (membership.user.email, membership.role) == ("it.lead@northbrook.gov.uk", Role.ADMINISTRATOR)
    assert permissions.is_council_admin(membership.user)
    assert membership.user.check_password("a-long-Passphrase-9")


def test_running_it_again_sends_the_same_invitation_and_makes_no_second_council(django_capture_on_commit_callbacks):
    invite("admin@council.example", capture=django_capture_on_commit_callbacks)
    invite("admin@council.example", capture=django_capture_on_commit_callbacks)
    assert Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).count() == 1
    assert Invitation.objects.filter(accepted_at=None, revoked_at=None).count() == 1
    assert len({message.body for message in mail.outbox}) == 1


def test_the_existing_council_is_found_by_name_whatever_the_case(council, django_capture_on_commit_callbacks):
    invite("admin@council.example", "--council", council.name.upper(), capture=django_capture_on_commit_callbacks)
    assert Invitation.objects.get().organisation == council
    assert Organisation.objects.count() == 1


def test_a_name_that_matches_no_council_is_refused_rather_than_a_second_council_made(council):
    with pytest.raises(CommandError, match=council.name):
        call_command("invite_council_admin", "admin@council.example", "--council", "Eastmarch Council")
    assert Organisation.objects.count() == 1
    assert not Invitation.objects.exists()


def test_a_council_officer_is_made_administrator_and_an_administrator_is_told_so(
    council, council_officer, council_admin, django_capture_on_commit_callbacks
):
    output = invite(council_officer.email, "--council", council.name, capture=django_capture_on_commit_callbacks)
    assert "is now an administrator" in output
    assert Membership.objects.active().get(user=council_officer).role == Role.ADMINISTRATOR
    with pytest.raises(CommandError, match="already an administrator"):
        call_command("invite_council_admin", council_admin.email, "--council", council.name)
    assert not Invitation.objects.exists()


def test_a_provider_admin_is_invited_to_the_council_not_promoted_in_their_own_organisation(
    council, provider, django_capture_on_commit_callbacks
):
    someone = person_in(provider, Role.ADMIN)
    invite(someone.email, "--council", council.name, capture=django_capture_on_commit_callbacks)
    assert Invitation.objects.get().organisation == council


def test_an_address_that_is_not_one_is_refused():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("invite_council_admin", "it-lead")
    assert not Organisation.objects.exists()


def test_what_the_services_refuse_is_said_as_a_command_error():
    with pytest.raises(CommandError, match="at most"):
        call_command("invite_council_admin", "it.lead@council.gov.uk", "--council", "A" * 300)
    assert not Organisation.objects.exists()
