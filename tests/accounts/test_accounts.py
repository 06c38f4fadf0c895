"""Signing up, verifying email, two-factor for council staff, sessions and sign-in throttling."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from carenetwork.accounts.models import User
from carenetwork.organisations.models import Membership, Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_needs_the_email_address_verified_before_signing_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Rosa Quinn",
            "email": "rosa@example.org",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.org")
    assert user.full_name == "Rosa Quinn"
    assert not EmailAddress.objects.get(user=user).verified
    assert "/accounts/confirm-email/" in response["Location"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


def test_unverified_person_cannot_sign_in(client):
    user = UserFactory(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "/accounts/confirm-email/" in response["Location"]


def test_verified_person_signs_in_with_email_and_password(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_council_staff_without_two_factor_are_sent_to_set_it_up(client, council):
    officer = UserFactory()
    Membership.objects.create(user=officer, organisation=council, role=Role.OFFICER)
    client.post(reverse("account_login"), {"login": officer.email, "password": TEST_PASSWORD})
    response = client.get(reverse("organisations:directory"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa-required")
    # allauth asks for the password again before adding an authenticator.
    assert "/accounts/reauthenticate/" in client.get(reverse("mfa_activate_totp"))["Location"]
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and b"Authenticator secret" in page.content


def test_provider_staff_are_not_forced_into_two_factor(client, provider_admin):
    client.force_login(provider_admin)
    assert client.get(reverse("organisations:directory")).status_code == 200


def test_council_staff_with_an_authenticator_are_asked_for_a_code_at_sign_in(client, council_officer):
    response = client.post(reverse("account_login"), {"login": council_officer.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_session_ends_after_its_absolute_lifetime(client, provider_admin, settings):
    client.force_login(provider_admin)
    assert client.get(reverse("organisations:directory")).status_code == 200
    session = client.session
    session["_cn_started"] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("organisations:directory"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_ends_after_being_idle_but_not_while_in_use(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    session = client.session
    session["_cn_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 120
    session.save()
    assert client.get(reverse("organisations:directory")).status_code == 200
    assert client.session["_cn_seen"] >= int(time.time()) - 5  # activity refreshed the idle clock
    session = client.session
    session["_cn_seen"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    response = client.get(reverse("organisations:directory"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_repeated_failed_sign_ins_are_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    user = UserFactory()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_profile_saves_name_and_job_title(client, provider_member):
    client.force_login(provider_member)
    response = client.post(reverse("accounts:profile"), {"full_name": "Dan Price", "job_title": "Carer", "phone": ""})
    assert response.status_code == 302
    provider_member.refresh_from_db()
    assert (provider_member.full_name, provider_member.job_title) == ("Dan Price", "Carer")


def test_sign_up_and_profile_fields_say_what_they_are_for_autofill(client, provider_member):
    """WCAG 1.3.5: fields about the person carry their autocomplete purpose."""
    signup = client.get(reverse("account_signup")).content.decode()
    assert re.search(r'<input[^>]*name="full_name"[^>]*autocomplete="name"', signup)
    assert re.search(r'<input[^>]*name="email"[^>]*autocomplete="email"', signup)
    client.force_login(provider_member)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert re.search(r'<input[^>]*name="job_title"[^>]*autocomplete="organization-title"', profile)
    assert re.search(r'<input[^>]*name="phone"[^>]*autocomplete="tel"', profile)
