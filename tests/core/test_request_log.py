"""Structured logs: every request gets an id (the proxy's when it is safe), logs one JSON line with who and what
but never the query string, lends its id to every other line written meanwhile and to the tasks it queues, and
costs no database query."""

import datetime
import io
import json
import logging

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.log import AdminEmailHandler
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from carenetwork.api.models import Area
from carenetwork.api.services import token_create
from carenetwork.core.request_log import (
    RequestIdFilter,
    bind_request_id,
    current_request_id,
    json_formatter,
    unbind_request_id,
)
from carenetwork.organisations.models import Role
from tests.core.workers import db_worker
from tests.factories import MembershipFactory, OrganisationFactory, person_in

MIDDLEWARE = "carenetwork.core.request_log.RequestLogMiddleware"
REQUEST_FIELDS = {"request_id", "method", "path", "status", "duration_ms", "user_id", "organisation_id"}
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE = "django_tasks_db.DatabaseBackend"


@pytest.fixture
def json_log():
    """The log as the production handler writes it: the real JSON formatter and request id filter, on the root
    logger. Calling it gives every line so far, parsed (each line must be one JSON object)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(logger=None):
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [line for line in parsed if logger is None or line["logger"] == logger]

    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)


def request_lines(json_log):
    return json_log("carenetwork.request")


@pytest.mark.django_db
def test_the_request_id_from_the_proxy_is_kept_and_sent_back(client, json_log):
    response = client.get("/help/", HTTP_X_REQUEST_ID="4f1c0e2a9b7d.proxy-1_a")

    assert response["X-Request-ID"] == "4f1c0e2a9b7d.proxy-1_a"
    assert [line["request_id"] for line in request_lines(json_log)] == ["4f1c0e2a9b7d.proxy-1_a"]


@pytest.mark.django_db
@pytest.mark.parametrize("given", [None, "", "has space", "x" * 65, "id\r\nSet-Cookie: a=b", "<script>", "ü"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, json_log, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    response = client.get("/help/", **headers)

    request_id = response["X-Request-ID"]
    assert request_id != given
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert [line["request_id"] for line in request_lines(json_log)] == [request_id]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_fields_and_never_the_query_string(client, json_log):
    client.get("/help/", {"q": "Grace Adeyemi", "email": "grace@example.org"}, HTTP_X_REQUEST_ID="req-1")

    [line] = request_lines(json_log)
    assert REQUEST_FIELDS <= line.keys()
    assert line["logger"] == "carenetwork.request" and line["level"] == "INFO"
    assert (line["request_id"], line["method"], line["path"], line["status"]) == ("req-1", "GET", "/help/", 200)
    assert isinstance(line["duration_ms"], int | float)
    assert (line["user_id"], line["organisation_id"]) == (None, None)
    assert "time" in line
    assert "Adeyemi" not in json_log.text() and "grace" not in json_log.text() and "?" not in line["path"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address, logged",
    [
        ("/organisations/invitations/S3cr3tInv1te/", "/organisations/invitations/<str:token>/"),
        ("/accounts/password/reset/key/1-s3cr3t-k3y/", None),
        ("/accounts/confirm-email/S3cr3tC0nf1rm/", None),
        ("/no-such-page/", "/no-such-page/"),
    ],
)
def test_secrets_in_the_address_are_never_logged_only_the_pattern_it_matched(client, json_log, address, logged):
    client.get(address)

    [line] = request_lines(json_log)
    assert "3cr3t" not in json_log.text() and "1te" not in line["path"]
    if logged is not None:
        assert line["path"] == logged


@pytest.mark.django_db
def test_a_member_of_one_organisation_is_logged_with_their_id_and_their_organisation(client, json_log):
    provider = OrganisationFactory()
    member = person_in(provider, Role.MEMBER, full_name="Daniel Price")
    client.force_login(member)

    assert client.get("/").status_code == 200

    [line] = request_lines(json_log)
    assert (line["user_id"], line["organisation_id"]) == (member.pk, provider.pk)
    assert "Daniel" not in json_log.text() and member.email not in json_log.text()


@pytest.mark.django_db
def test_a_person_in_two_organisations_is_logged_without_an_organisation(client, json_log):
    member = person_in(OrganisationFactory(), Role.MEMBER)
    MembershipFactory(user=member, organisation=OrganisationFactory())
    client.force_login(member)

    client.get("/")

    [line] = request_lines(json_log)
    assert (line["user_id"], line["organisation_id"]) == (member.pk, None)


def organisation_token(admin, organisation) -> str:
    _token, secret = token_create(
        actor=admin,
        organisation=organisation,
        name="Rota sync",
        read_areas=list(Area.values),
        write_areas=[],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return secret


@pytest.mark.django_db
def test_an_api_request_with_a_token_is_logged_with_the_token_organisation(client, json_log):
    provider = OrganisationFactory()
    admin = person_in(provider, Role.ADMIN)
    MembershipFactory(user=admin, organisation=OrganisationFactory())  # the token, not the person, decides
    secret = organisation_token(admin, provider)

    response = client.get("/api/v1/organisations/?q=Willow", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    [line] = request_lines(json_log)
    assert (line["path"], line["user_id"], line["organisation_id"]) == ("/api/v1/organisations/", admin.pk, provider.pk)
    assert secret not in json_log.text() and "Willow" not in json_log.text()


@pytest.mark.django_db
def test_django_own_lines_during_a_request_carry_its_id_and_not_the_query_string(client, json_log):
    client.get("/no-such-page/", {"q": "Grace Adeyemi"}, HTTP_X_REQUEST_ID="req-404")

    not_found = [line for line in json_log("django.request") if line["level"] == "WARNING"]
    assert [line["request_id"] for line in not_found] == ["req-404"]
    assert "request" not in not_found[0]
    assert [line["status"] for line in request_lines(json_log)] == [404]
    assert "Adeyemi" not in json_log.text()


@pytest.mark.django_db
def test_lines_outside_a_request_have_no_request_id(json_log):
    logging.getLogger("carenetwork.elsewhere").warning("Nothing to do with a request")

    [line] = json_log("carenetwork.elsewhere")
    assert line["request_id"] is None and line["message"] == "Nothing to do with a request"


def queries_for(client, method, path, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert getattr(client, method)(path, **headers).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_request_log_adds_no_query_to_a_page_or_an_api_request(settings, json_log):
    """Pages that read the person's memberships, an API request with a token, and "stay signed in", which loads
    the person but not their memberships: the log must not read them for it."""
    provider = OrganisationFactory()
    admin = person_in(provider, Role.ADMIN)
    token = {"HTTP_AUTHORIZATION": f"Bearer {organisation_token(admin, provider)}"}
    requests = [("get", "/", {}), ("get", "/help/", {}), ("get", "/api/v1/organisations/", token)]
    requests.append(("post", "/session/keep-alive/", {}))

    def counts():
        client = Client()  # a new client loads the middleware as the settings now say
        client.force_login(admin)
        for method, path, headers in requests:
            queries_for(client, method, path, **headers)  # the first request fills caches
        return [queries_for(client, method, path, **headers) for method, path, headers in requests]

    with_log = counts()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    without_log = counts()

    assert with_log == without_log
    lines = request_lines(json_log)
    assert len(lines) == 2 * len(requests)
    assert [(line["user_id"], line["organisation_id"]) for line in lines[-2:]] == [
        (admin.pk, provider.pk),  # the API request
        (admin.pk, None),  # "stay signed in": memberships not read, so no organisation rather than a query
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", [IMMEDIATE, DATABASE])
def test_a_task_queued_by_a_request_logs_with_the_request_id(client, settings, mailoutbox, json_log, backend):
    """An admin invites a person: the invitation email is a task queued when the request's transaction commits.
    With the immediate backend it runs inside the request; with the database backend the worker runs it later,
    and its lines still carry the id of the request that queued it."""
    settings.TASKS = {"default": {"BACKEND": backend}}
    provider = OrganisationFactory()
    client.force_login(person_in(provider, Role.ADMIN))

    response = client.post(
        f"/organisations/{provider.pk}/people/invite/",
        {"email": "new.starter@example.org", "role": Role.MEMBER},
        HTTP_X_REQUEST_ID="invite-7",
    )
    assert response.status_code == 302
    if backend == DATABASE:
        assert mailoutbox == []
        [queued] = DBTaskResult.objects.filter(task_path="carenetwork.core.tasks.send_email")
        assert queued.task_result.kwargs["to"] == ["new.starter@example.org"]
        db_worker().run()

    assert [message.to for message in mailoutbox] == [["new.starter@example.org"]]
    # (Making the organisation queued a figures task of its own, outside any request.)
    task_lines = [line for line in json_log("carenetwork.task") if line["task"].endswith("send_email")]
    assert [(line["event"], line["request_id"]) for line in task_lines] == [
        ("queued", "invite-7"),
        ("started", "invite-7"),
        ("finished", "invite-7"),
    ]
    assert len({line["task_id"] for line in task_lines}) == 1
    assert task_lines[-1]["status"] == "SUCCESSFUL" and isinstance(task_lines[-1]["duration_ms"], int | float)
    assert [line["request_id"] for line in request_lines(json_log)] == ["invite-7"]
    assert current_request_id() is None
    assert "new.starter" not in json_log.text()


@pytest.mark.django_db
def test_a_failed_task_logs_an_error_and_a_task_queued_outside_a_request_has_no_request_id(settings, json_log):
    settings.TASKS = {"default": {"BACKEND": DATABASE}}
    outside = fails.enqueue()
    token = bind_request_id("earlier-request")
    try:
        inside = fails.enqueue()
    finally:
        unbind_request_id(token)

    for result in (outside, inside):
        queued = DBTaskResult.objects.get(pk=result.id)
        queued.claim("test-worker")
        db_worker().run_task(queued)

    lines = [line for line in json_log("carenetwork.task") if line["event"] != "queued"]
    assert [(line["event"], line["request_id"]) for line in lines] == [
        ("started", None),
        ("finished", None),
        ("started", "earlier-request"),
        ("finished", "earlier-request"),
    ]
    finished = [(line["level"], line["status"], line.get("error")) for line in lines if line["event"] == "finished"]
    assert finished == [("ERROR", "FAILED", "builtins.ValueError")] * 2
    assert current_request_id() is None


@task()
def fails() -> None:
    raise ValueError("a task that fails")


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_transaction_is_logged_as_queued_only_once_it_commits(settings, json_log):
    settings.TASKS = {"default": {"BACKEND": DATABASE}}

    def queued() -> list[str]:
        return [line["task_id"] for line in json_log("carenetwork.task") if line["event"] == "queued"]

    with pytest.raises(RuntimeError), transaction.atomic():
        fails.enqueue()
        raise RuntimeError("rolled back")
    token = bind_request_id("commits-1")
    try:
        with transaction.atomic():
            kept = fails.enqueue()
            assert queued() == []
    finally:
        unbind_request_id(token)

    assert queued() == [str(kept.id)] == [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)]
    [line] = [line for line in json_log("carenetwork.task") if line["event"] == "queued"]
    assert line["request_id"] == "commits-1"


def test_server_errors_are_logged_and_never_emailed_to_the_operators():
    handlers = logging.getLogger("django.request").handlers + logging.getLogger("django").handlers
    assert not any(isinstance(handler, AdminEmailHandler) for handler in handlers)
    assert logging.getLogger("django").propagate and logging.getLogger("django.request").propagate
