"""The session timeout warning: pages tell the script how long the session has left, and 'Stay signed in'
restarts the idle clock."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _age_session(client, *, idle_for, started_ago=None):
    session = client.session
    session["_cn_seen"] = int(time.time()) - idle_for
    if started_ago is not None:
        session["_cn_started"] = int(time.time()) - started_ago
    session.save()


def test_signed_in_pages_carry_the_timeout_warning_with_the_time_left(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    _age_session(client, idle_for=45)  # under a minute: the idle clock is not refreshed by this request
    page = client.get(reverse("organisations:directory")).content.decode()
    assert 'data-module="app-timeout-warning"' in page
    expires_in = int(page.split('data-expires-in="')[1].split('"')[0])
    assert settings.SESSION_IDLE_SECONDS - 47 <= expires_in <= settings.SESSION_IDLE_SECONDS - 45
    assert f'data-keep-alive-url="{reverse("core:session-keep-alive")}"' in page
    assert "Stay signed in" in page


def test_the_warning_counts_down_to_the_absolute_limit_when_that_comes_first(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    _age_session(client, idle_for=0, started_ago=settings.SESSION_ABSOLUTE_SECONDS - 300)
    page = client.get(reverse("organisations:directory")).content.decode()
    assert 295 <= int(page.split('data-expires-in="')[1].split('"')[0]) <= 300


def test_signed_out_pages_have_no_timeout_warning(client):
    assert b"app-timeout-warning" not in client.get(reverse("account_login")).content


def test_staying_signed_in_restarts_the_idle_clock(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    _age_session(client, idle_for=settings.SESSION_IDLE_SECONDS - 30)
    response = client.post(reverse("core:session-keep-alive"))
    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.SESSION_IDLE_SECONDS
    assert client.session["_cn_seen"] >= int(time.time()) - 2
    # Even seconds after the last refresh, 'Stay signed in' restarts the clock.
    _age_session(client, idle_for=10)
    assert client.post(reverse("core:session-keep-alive")).json()["expires_in"] == settings.SESSION_IDLE_SECONDS
    assert client.session["_cn_seen"] >= int(time.time()) - 2


def test_staying_signed_in_cannot_pass_the_absolute_limit(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    _age_session(client, idle_for=0, started_ago=settings.SESSION_ABSOLUTE_SECONDS - 100)
    assert 98 <= client.post(reverse("core:session-keep-alive")).json()["expires_in"] <= 100


def test_staying_signed_in_after_the_session_ended_says_so(client, provider_admin, settings):
    client.force_login(provider_admin)
    client.get(reverse("organisations:directory"))
    _age_session(client, idle_for=settings.SESSION_IDLE_SECONDS + 1)
    assert client.post(reverse("core:session-keep-alive")).status_code == 401
    page = client.get(reverse("account_login")).content.decode()
    assert "You were signed out to protect your information" in page


def test_keep_alive_is_post_only(client, provider_admin):
    client.force_login(provider_admin)
    assert client.get(reverse("core:session-keep-alive")).status_code == 405
