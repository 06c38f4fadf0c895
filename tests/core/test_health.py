"""/healthz and /readyz: what they report, when they answer 503, and that they stay anonymous and cookie-free."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django_tasks_db.models import DBTaskResult, get_date_max

from carenetwork.core import health
from carenetwork.organisations.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_WELL = {
    "status": "ok",
    "database": True,
    "cache": True,
    "migrations_applied": True,
    "tasks_waiting": 0,
    "oldest_task_age_seconds": None,
    "tasks_behind": False,
}
T0 = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _migrations_unknown():
    """Every test starts from a process that has not yet looked at the migrations."""
    health.forget_migrations_applied()
    yield
    health.forget_migrations_applied()


def unapply_latest_migration():
    """Remove the record of one applied migration, as if a deploy brought a migration not yet run; the test's
    transaction puts it back."""
    MigrationRecorder.Migration.objects.filter(app="sessions").order_by("-applied").first().delete()


def waiting_task(**fields):
    """A task in django-tasks-db's table, as its database backend enqueues one."""
    defaults = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "carenetwork.core.tasks.send_email",
        "backend_name": "default",
        "run_after": get_date_max(),
    }
    return DBTaskResult.objects.create(**{**defaults, **fields})


def test_healthz_reports_every_check_as_json_to_anyone(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == ALL_WELL


def test_readyz_says_ready(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ready"}


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_the_checks_set_no_cookie_and_start_no_session(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert Session.objects.count() == 0


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_a_load_balancer_may_ask_with_head(client, name):
    assert client.head(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_the_checks_refuse_a_post(client, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_a_host_outside_allowed_hosts_is_refused(client, name):
    assert client.get(reverse(name), HTTP_HOST="elsewhere.example").status_code == 400


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_the_checks_answer_plain_http_when_https_is_enforced(client, settings, name):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301


def test_the_checks_answer_a_signed_in_person_without_redirecting(client, provider_member):
    client.force_login(provider_member)
    assert client.get(reverse("healthz")).json()["status"] == "ok"
    assert client.get(reverse("readyz")).status_code == 200


def test_readyz_makes_one_query_once_the_migrations_are_known(client, django_assert_num_queries):
    client.get(reverse("readyz"))
    with django_assert_num_queries(1):
        response = client.get(reverse("readyz"))
    assert response.status_code == 200


def test_readyz_reads_the_migrations_in_a_few_queries_the_first_time(client, django_assert_max_num_queries):
    # SELECT 1, whether django_migrations exists, and its rows.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("readyz"))
    assert response.status_code == 200


def test_a_pending_migration_makes_both_checks_503(client):
    unapply_latest_migration()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {**ALL_WELL, "status": "unavailable", "migrations_applied": False}
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "not ready"}


def test_migrations_seen_applied_are_remembered_by_the_process():
    assert health.migrations_applied() is True
    unapply_latest_migration()
    assert health.migrations_applied() is True
    health.forget_migrations_applied()
    assert health.migrations_applied() is False


def test_pending_migrations_are_looked_at_again_on_every_check():
    unapply_latest_migration()
    assert health.migrations_applied() is False
    MigrationRecorder(connection).record_applied("sessions", "0001_initial")
    assert health.migrations_applied() is True


def test_a_cache_that_cannot_be_written_makes_healthz_503_but_not_readyz(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "a-file" / "cache"),
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {**ALL_WELL, "status": "unavailable", "cache": False}
    assert client.get(reverse("readyz")).status_code == 200


def test_a_cache_that_keeps_nothing_is_reported(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert health.cache_reachable() is False


def test_an_unreachable_redis_makes_healthz_503(client, settings):
    pytest.importorskip("redis", reason="the redis package is not installed")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["cache"] is False


def test_the_queue_counts_tasks_ready_to_run_and_the_oldest_wait():
    with time_machine.travel(T0, tick=False):
        waiting_task()
        waiting_task(status="RUNNING")
        waiting_task(status="SUCCESSFUL")
        waiting_task(run_after=T0 + datetime.timedelta(hours=1))  # not due yet
    with time_machine.travel(T0 + datetime.timedelta(seconds=120), tick=False):
        waiting_task()
    with time_machine.travel(T0 + datetime.timedelta(seconds=300), tick=False):
        assert health.task_queue() == health.TaskQueue(waiting=2, oldest_age_seconds=300)


def test_a_scheduled_task_waits_from_when_it_was_due():
    with time_machine.travel(T0, tick=False):
        waiting_task(run_after=T0 + datetime.timedelta(seconds=60))
    with time_machine.travel(T0 + datetime.timedelta(seconds=100), tick=False):
        assert health.task_queue() == health.TaskQueue(waiting=1, oldest_age_seconds=40)


def test_healthz_reports_the_queue(client):
    with time_machine.travel(T0, tick=False):
        waiting_task()
        waiting_task()
    with time_machine.travel(T0 + datetime.timedelta(seconds=30), tick=False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {**ALL_WELL, "tasks_waiting": 2, "oldest_task_age_seconds": 30}


def test_a_worker_behind_is_degraded_but_still_200(client, settings):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 600
    with time_machine.travel(T0, tick=False):
        waiting_task()
    with time_machine.travel(T0 + datetime.timedelta(seconds=600), tick=False):
        assert client.get(reverse("healthz")).json()["status"] == "ok"
    with time_machine.travel(T0 + datetime.timedelta(seconds=601), tick=False):
        response = client.get(reverse("healthz"))
        ready = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        **ALL_WELL,
        "status": "degraded",
        "tasks_waiting": 1,
        "oldest_task_age_seconds": 601,
        "tasks_behind": True,
    }
    assert ready.status_code == 200


def test_the_queue_threshold_defaults_to_fifteen_minutes():
    from django.conf import settings

    assert settings.HEALTH_QUEUE_MAX_AGE_SECONDS == 900


@pytest.fixture
def database_down():
    """The default connection pointed at a database that does not answer, for one test; then put back."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/no-such-folder/carenetwork.sqlite3"
    else:
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_makes_both_checks_503_without_an_error_page(client, database_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "unavailable",
        "database": False,
        "cache": True,
        "migrations_applied": None,
        "tasks_waiting": None,
        "oldest_task_age_seconds": None,
        "tasks_behind": False,
    }
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "not ready"}


def test_council_staff_without_two_factor_are_not_sent_to_set_it_up(client, council):
    person = UserFactory()
    MembershipFactory(user=person, organisation=council, role=Role.OFFICER)
    client.force_login(person)
    assert client.get(reverse("core:home")).status_code == 302
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert client.get("/healthzX").status_code == 302  # the exemption is the two addresses, not what they begin
