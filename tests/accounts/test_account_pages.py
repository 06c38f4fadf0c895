"""The sign-in, sign-up, two-factor and password pages use GOV.UK patterns and wording."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_sign_in_page_speaks_plainly_and_has_no_placeholders(client):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert h1(response) == "Sign in"
    assert "<title>Sign in – " in page
    assert ">Email address</label>" in page and ">Password</label>" in page
    assert "placeholder=" not in page
    assert f'href="{reverse("account_reset_password")}">Forgotten your password?' in page
    assert f'href="{reverse("core:help")}"' in page
    assert "Sign In" not in page


def test_a_wrong_password_is_reported_in_an_error_summary(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page and "There is a problem" in page
    assert "<title>Error: Sign in" in page


def test_sign_up_page_uses_govuk_wording(client):
    response = client.get(reverse("account_signup"))
    page = response.content.decode()
    assert h1(response) == "Create an account"
    for label in ("Full name", "Email address", "Create a password", "Confirm your password"):
        assert f">{label}</label>" in page, label
    assert "Use at least 10 characters" in page
    assert "placeholder=" not in page


def test_password_reset_pages_use_govuk_wording(client):
    user = UserFactory()
    assert h1(client.get(reverse("account_reset_password"))) == "Reset your password"
    response = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    assert h1(response) == "Check your email"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    assert h1(form) == "Create a new password"
    assert "Create a new password</label>" in form.content.decode()
    new_password = {"password1": "new-long-password-1", "password2": "new-long-password-1"}
    done = client.post(form.redirect_chain[-1][0], new_password, follow=True)
    assert h1(done) == "Your password has been changed"
    assert h1(client.get(link)) == "This link has expired or been used"


def test_password_change_page_uses_govuk_wording(client, provider_member):
    client.force_login(provider_member)
    response = client.get(reverse("account_change_password"))
    page = response.content.decode()
    assert h1(response) == "Change your password"
    for label in ("Current password", "New password", "Confirm your new password"):
        assert f">{label}</label>" in page, label
    assert 'class="govuk-back-link"' in page


def test_two_factor_step_uses_govuk_wording(client, council_officer):
    client.post(reverse("account_login"), {"login": council_officer.email, "password": TEST_PASSWORD})
    response = client.get(reverse("mfa_authenticate"))
    page = response.content.decode()
    assert h1(response) == "Enter the code from your authenticator app"
    assert ">Code from your authenticator app</label>" in page
    assert 'autocomplete="one-time-code"' in page
    assert "placeholder=" not in page
    assert "If you cannot use your authenticator app" in page


def test_setting_up_an_authenticator_uses_govuk_wording(client, council):
    from carenetwork.organisations.models import Membership, Role

    officer = UserFactory()
    Membership.objects.create(user=officer, organisation=council, role=Role.OFFICER)
    client.force_login(officer)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert h1(response) == "Set up an authenticator app"
    assert "Authenticator secret" in response.content.decode()


def test_email_addresses_page_uses_govuk_wording_and_still_works(client, provider_member):
    client.force_login(provider_member)
    response = client.get(reverse("account_email"))
    page = response.content.decode()
    assert h1(response) == "Email addresses"
    assert "Used to sign in" in page and "Confirmed" in page
    assert "Make Primary" not in page
    client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    assert provider_member.emailaddress_set.filter(email="second@example.org", verified=False).exists()
    page = client.get(reverse("account_email")).content.decode()
    assert "Not confirmed" in page
    client.post(reverse("account_email"), {"action_remove": "", "email": "second@example.org"})
    assert not provider_member.emailaddress_set.filter(email="second@example.org").exists()
