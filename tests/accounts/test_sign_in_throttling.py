"""Sign-in throttling behind the reverse proxy: each client is counted by its own address, and wrong
passwords typed by someone else never keep an account's owner out."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from config.settings import base
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-42"


@pytest.fixture(autouse=True)
def _rate_limits_on():
    """The real rate limits, one proxy in front, and a cache of this test's own."""
    with override_settings(
        ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS,
        ALLAUTH_TRUSTED_PROXY_COUNT=1,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}},
    ):
        from django.core.cache import cache

        cache.clear()
        yield


def sign_in(client, email, password, address):
    """Posts the sign-in form as the proxy forwards it: REMOTE_ADDR is the proxy's for everyone."""
    client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR=address,
    )
    return "_auth_user_id" in client.session


def test_the_configured_limits_count_failures_per_address_and_per_account():
    assert base.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == 1  # the fixture's; production reads TRUSTED_PROXY_COUNT


def test_clients_behind_the_proxy_are_throttled_by_their_own_address(client):
    people = UserFactory.create_batch(10)
    for person in people:  # ten failures from one address, one per account: only the per-address limit is hit
        assert not sign_in(client, person.email, "wrong-password", "198.51.100.7")
    blocked_here = UserFactory()
    assert not sign_in(client, blocked_here.email, TEST_PASSWORD, "198.51.100.7")
    # Someone else behind the same proxy is not held back by them.
    assert sign_in(client, blocked_here.email, TEST_PASSWORD, "203.0.113.20")


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(client):
    victim = UserFactory()
    for _ in range(5):
        assert not sign_in(client, victim.email, "wrong-password", "198.51.100.7")
    # The guesser is stopped, even with the right password ...
    assert not sign_in(client, victim.email, TEST_PASSWORD, "198.51.100.7")
    # ... the owner, from their own address, signs in.
    client.logout()
    assert sign_in(client, victim.email, TEST_PASSWORD, "203.0.113.20")


def test_a_password_reset_clears_the_limit_for_the_address_it_is_made_from(client):
    person = UserFactory()
    for _ in range(5):
        assert not sign_in(client, person.email, "wrong-password", "198.51.100.7")
    assert not sign_in(client, person.email, TEST_PASSWORD, "198.51.100.7")
    headers = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client.post(reverse("account_reset_password"), {"email": person.email}, **headers)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, **headers, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        **headers,
    )
    client.logout()
    assert sign_in(client, person.email, NEW_PASSWORD, "198.51.100.7")


def test_a_successful_sign_in_does_not_use_up_the_owners_tries(client):
    person = UserFactory()
    for _ in range(4):
        assert not sign_in(client, person.email, "wrong-password", "198.51.100.7")
    assert sign_in(client, person.email, TEST_PASSWORD, "198.51.100.7")
    client.logout()
    assert not sign_in(client, person.email, "wrong-password", "198.51.100.7")  # the fifth failure still counts
    assert not sign_in(client, person.email, TEST_PASSWORD, "198.51.100.7")  # and now the limit holds
