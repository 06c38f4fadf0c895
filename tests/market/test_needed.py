"""Needed and desired services: public to read, signed out too; interest once per person while a service is open or
in discussion, with or without an organisation; only council staff read interest, add and change services and reply,
and the reply is emailed to the person and shown to them alone."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.market import needed
from carenetwork.market.demo_needed import MICRO_PROVIDER_EMAIL, build_needed_demo
from carenetwork.market.models import MarketSettings
from carenetwork.market.models_statement import NeededService, ServiceInterest
from carenetwork.market.portal_registration import needed_items
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = NeededService.Status


def need_with(status=Status.OPEN, **fields) -> NeededService:
    data = {
        "service": "Nursing beds for people living with dementia",
        "client_group": NeededService.ClientGroup.DEMENTIA,
        "locality": "Ashby Fen",
        "evidence": "Fewer than 3 vacant beds most months.",
        "caveats": "No guarantee of placements.",
        "status": status,
        **fields,
    }
    return NeededService.objects.create(**data)


def interest_from(need, person, **fields) -> ServiceInterest:
    return ServiceInterest.objects.create(
        need=need, person=person, name=fields.pop("name", person.full_name), note="We could offer 16 beds.", **fields
    )


@pytest.fixture
def need():
    return need_with()


@pytest.fixture
def newcomer():
    """A prospective micro-provider: signed up, in no organisation."""
    return UserFactory(full_name="Joy Mensah", email="joy@example.org")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def detail(need) -> str:
    return reverse("market:needed-detail", args=[need.pk])


# Reading, signed out -----------------------------------------------------------------------------------------------


def test_signed_out_visitors_read_the_open_and_discussed_services_and_can_ask_for_the_closed_ones(client):
    for status in Status.values:
        need_with(status, service=f"Service {status}")
    html = page(client, reverse("market:needed"))
    assert "Service open" in html and "Service discussing" in html
    assert "Service filled" not in html and "Service withdrawn" not in html
    assert f"{reverse('market:needed')}?status=closed" in html
    closed = page(client, reverse("market:needed") + "?status=closed")
    assert "Service filled" in closed and "Service withdrawn" in closed and "Service open" not in closed
    assert "Service open" in page(client, reverse("market:needed") + "?status=all")


def test_the_list_filters_by_who_the_service_is_for(client):
    need_with(service="Dementia nursing")
    need_with(service="Carers' breaks", client_group=NeededService.ClientGroup.CARERS)
    html = page(client, reverse("market:needed") + "?client_group=carers")
    assert "Carers&#x27; breaks" in html and "Dementia nursing" not in html


@pytest.mark.parametrize("query", ["status=nonsense", "client_group=%00", "page=abc", "page=999999999999"])
def test_filters_that_are_not_choices_show_the_default_list(client, need, query):
    html = page(client, reverse("market:needed") + "?" + query)
    assert need.service in html


def test_a_signed_out_visitor_reads_a_service_and_is_asked_to_sign_in_to_register(client, need, newcomer):
    interest_from(need, newcomer)
    html = page(client, detail(need))
    for text in ("Ashby Fen", "People living with dementia", "Fewer than 3 vacant beds", "No guarantee of placements"):
        assert text in html
    assert f"{reverse('account_login')}?next={detail(need)}" in html.replace("%2F", "/")
    assert reverse("account_signup") in html
    assert 'name="note"' not in html
    assert "Joy Mensah" not in html and "joy@example.org" not in html and "We could offer 16 beds" not in html


def test_a_closed_service_says_so_and_offers_no_way_to_register(client_for, newcomer):
    for status, words in ((Status.FILLED, "This service has been filled"), (Status.WITHDRAWN, "has withdrawn")):
        closed = need_with(status)
        html = page(client_for(newcomer), detail(closed))
        assert words in html and 'name="note"' not in html
        assert "to register your interest" not in page(client_for(None), detail(closed))


def test_an_unknown_service_is_not_found(client):
    assert client.get(reverse("market:needed-detail", args=[2**31 - 1])).status_code == 404


# Registering interest --------------------------------------------------------------------------------------------


def test_someone_with_no_organisation_registers_interest_with_their_name_filled_in(client_for, need, newcomer):
    client = client_for(newcomer)
    form = client.get(detail(need)).context["interest_form"]
    assert form.initial["name"] == "Joy Mensah" and "organisation" not in form.fields
    response = client.post(detail(need), {"name": "Joy Mensah", "note": "A small day group."})
    assert response.status_code == 302
    interest = ServiceInterest.objects.get()
    assert (interest.person, interest.organisation, interest.note) == (newcomer, None, "A small day group.")
    assert AuditEvent.objects.filter(action="service_interest.created", object_id=str(interest.pk)).exists()
    html = page(client, detail(need))
    assert "Your interest" in html and "A small day group." in html and "No reply yet" in html
    assert 'name="note"' not in html


def test_a_provider_registers_for_their_organisation_or_for_themselves(client_for, need, provider, provider_admin):
    client = client_for(provider_admin)
    choices = dict(client.get(detail(need)).context["interest_form"].fields["organisation"].choices)
    assert choices == {str(provider.pk): provider.name, "none": "Not part of an organisation yet"}
    client.post(detail(need), {"name": "Grace", "organisation": str(provider.pk), "note": "16 beds."})
    assert ServiceInterest.objects.get().organisation == provider


def test_nobody_registers_for_an_organisation_they_are_not_in(client_for, need, provider_admin, other_provider):
    response = client_for(provider_admin).post(
        detail(need), {"name": "Grace", "organisation": str(other_provider.pk), "note": "16 beds."}
    )
    assert response.status_code == 200 and response.context["interest_form"].errors["organisation"]
    assert not ServiceInterest.objects.exists()
    with pytest.raises(ValidationError):
        needed.interest_register(actor=provider_admin, need=need, name="G", note="n", organisation=other_provider)


def test_empty_or_overlong_answers_are_refused_with_messages(client_for, need, newcomer):
    response = client_for(newcomer).post(detail(need), {"name": " ", "note": "x" * 2001})
    assert response.status_code == 200
    errors = response.context["interest_form"].errors
    assert errors["name"] == ["Enter your name"]
    assert "2000" in errors["note"][0]
    assert "Error:" in response.content.decode().split("</title>")[0]
    assert not ServiceInterest.objects.exists()


def test_interest_is_registered_once_per_person(client_for, need, newcomer):
    client = client_for(newcomer)
    client.post(detail(need), {"name": "Joy", "note": "First."})
    response = client.post(detail(need), {"name": "Joy", "note": "Again."}, follow=True)
    assert "You have already registered your interest in this service" in response.content.decode()
    assert ServiceInterest.objects.get().note == "First."
    with pytest.raises(ValidationError, match="already registered"):
        needed.interest_register(actor=newcomer, need=need, name="Joy", note="Again.")


@pytest.mark.parametrize("status", [Status.FILLED, Status.WITHDRAWN])
def test_a_filled_or_withdrawn_service_refuses_interest(client_for, newcomer, status):
    closed = need_with(status)
    response = client_for(newcomer).post(detail(closed), {"name": "Joy", "note": "Hello."}, follow=True)
    assert "This service is not taking interest now" in response.content.decode()
    with pytest.raises(ValidationError, match="not taking interest"):
        needed.interest_register(actor=newcomer, need=closed, name="Joy", note="Hello.")
    assert not ServiceInterest.objects.exists()


def test_a_service_in_discussion_still_takes_interest(client_for, newcomer):
    discussed = need_with(Status.DISCUSSING)
    assert client_for(newcomer).post(detail(discussed), {"name": "Joy", "note": "Hello."}).status_code == 302
    assert ServiceInterest.objects.filter(need=discussed).exists()


def test_council_staff_do_not_register_interest(client_for, need, council_officer):
    assert client_for(council_officer).post(detail(need), {"name": "Tom", "note": "Me."}).status_code == 403
    with pytest.raises(PermissionDenied):
        needed.interest_register(actor=council_officer, need=need, name="Tom", note="Me.")


def test_signing_in_to_register_comes_back_to_the_service(client, need):
    response = client.post(detail(need), {"name": "Joy", "note": "Hello."})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not ServiceInterest.objects.exists()


# Who sees interest ---------------------------------------------------------------------------------------------


def test_council_staff_see_each_interest_with_name_organisation_email_note_and_date(
    client_for, need, newcomer, provider, provider_admin, council_officer
):
    interest_from(need, newcomer)
    interest_from(need, provider_admin, organisation=provider)
    html = page(client_for(council_officer), detail(need))
    for text in ("Joy Mensah", "joy@example.org", provider.name, provider_admin.email, "Not part of an organisation"):
        assert text in html
    assert html.count("We could offer 16 beds.") == 2 and html.count("Awaiting a reply") == 2
    listed = page(client_for(council_officer), reverse("market:needed"))
    assert "2 people" in listed and "2 awaiting a reply" in listed


@pytest.mark.parametrize("role", ["other_admin", "provider_member", "training_admin", "partner_member"])
def test_other_people_never_see_anyones_interest(request, client_for, need, newcomer, provider, provider_admin, role):
    interest_from(need, newcomer)
    interest_from(need, provider_admin, organisation=provider, name="Grace Adeyemi")
    html = page(client_for(request.getfixturevalue(role)), detail(need))
    for text in ("Joy Mensah", "joy@example.org", "Grace Adeyemi", provider_admin.email, "We could offer 16 beds."):
        assert text not in html
    assert "Interest registered" not in html
    assert needed.interest_list_for(user=request.getfixturevalue(role), need=need) == []
    assert "awaiting a reply" not in page(client_for(request.getfixturevalue(role)), reverse("market:needed"))


def test_a_person_sees_only_their_own_interest(client_for, need, newcomer, provider_admin, provider):
    interest_from(need, provider_admin, organisation=provider, name="Grace Adeyemi")
    mine = interest_from(need, newcomer)
    assert needed.interest_list_for(user=newcomer, need=need) == [mine]
    html = page(client_for(newcomer), detail(need))
    assert "Grace Adeyemi" not in html and provider_admin.email not in html


# Replies ---------------------------------------------------------------------------------------------------------


def test_a_reply_is_emailed_to_the_person_and_shown_to_them(
    client_for, need, newcomer, council_officer, mailoutbox, django_capture_on_commit_callbacks
):
    MarketSettings.current()
    MarketSettings.objects.update(mailbox="market@eastmarsh.example")
    interest = interest_from(need, newcomer)
    url = reverse("market:needed-interest-reply", args=[interest.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(council_officer).post(url, {f"reply-{interest.pk}-reply": "Let us meet next week."})
    assert response.status_code == 302 and response["Location"].endswith(f"#interest-{interest.pk}")
    interest.refresh_from_db()
    assert (interest.reply, interest.replied_by) == ("Let us meet next week.", council_officer)
    assert AuditEvent.objects.filter(action="service_interest.replied", actor=council_officer).exists()
    [email] = mailoutbox
    assert email.to == ["joy@example.org"] and email.reply_to == ["market@eastmarsh.example"]
    assert need.service in email.subject
    assert "Let us meet next week." in email.body and detail(need) in email.body
    html = page(client_for(newcomer), detail(need))
    assert "Let us meet next week." in html and "No reply yet" not in html


def test_an_empty_reply_is_refused_on_the_page(client_for, need, newcomer, council_officer, mailoutbox):
    interest = interest_from(need, newcomer)
    response = client_for(council_officer).post(
        reverse("market:needed-interest-reply", args=[interest.pk]), {f"reply-{interest.pk}-reply": "  "}
    )
    assert response.status_code == 200
    assert "Enter your reply to Joy Mensah" in response.content.decode()
    assert ServiceInterest.objects.get().reply == "" and not mailoutbox
    with pytest.raises(ValidationError):
        needed.interest_reply(actor=council_officer, interest=interest, reply="")


@pytest.mark.parametrize("role", ["provider_admin", "other_admin", "partner_member"])
def test_only_council_staff_reply(request, client_for, need, newcomer, role, mailoutbox):
    interest = interest_from(need, newcomer)
    person = request.getfixturevalue(role)
    url = reverse("market:needed-interest-reply", args=[interest.pk])
    assert client_for(person).post(url, {f"reply-{interest.pk}-reply": "Hi"}).status_code == 403
    assert client_for(newcomer).post(url, {f"reply-{interest.pk}-reply": "Hi"}).status_code == 403
    response = client_for(None).post(url, {f"reply-{interest.pk}-reply": "Hi"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    with pytest.raises(PermissionDenied):
        needed.interest_reply(actor=person, interest=interest, reply="Hi")
    assert ServiceInterest.objects.get().reply == "" and not mailoutbox


# Adding and changing services ------------------------------------------------------------------------------------

FORM = {
    "service": "Extra care housing",
    "client_group": "older",
    "locality": "Eastmarsh Central",
    "evidence": "A waiting list of 40.",
    "caveats": "",
    "status": "open",
}


def test_council_staff_add_a_service_and_change_its_status(client_for, council_officer):
    client = client_for(council_officer)
    response = client.post(reverse("market:needed-new"), FORM)
    added = NeededService.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(added)
    assert added.created_by == council_officer
    client.post(reverse("market:needed-edit", args=[added.pk]), {**FORM, "status": "withdrawn"})
    added.refresh_from_db()
    assert added.status == Status.WITHDRAWN
    changed = AuditEvent.objects.get(action="needed_service.updated")
    assert changed.changes == {"status": ["open", "withdrawn"]}
    assert "Extra care housing" not in page(client_for(None), reverse("market:needed"))


def test_a_service_needs_its_what_who_where_and_why(client_for, council_officer):
    response = client_for(council_officer).post(reverse("market:needed-new"), {"status": "sideways"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"service", "client_group", "locality", "evidence", "status"}
    assert not NeededService.objects.exists()


@pytest.mark.parametrize("role", ["provider_admin", "other_admin", "training_admin", "partner_member"])
def test_nobody_but_council_staff_adds_or_changes_a_service(request, client_for, need, role, newcomer):
    for person in (request.getfixturevalue(role), newcomer):
        client = client_for(person)
        assert client.post(reverse("market:needed-new"), FORM).status_code == 403
        assert client.post(reverse("market:needed-edit", args=[need.pk]), FORM).status_code == 403
        with pytest.raises(PermissionDenied):
            needed.needed_save(actor=person, data=FORM)
    assert NeededService.objects.get().service == need.service


# The home page and the list's queries ----------------------------------------------------------------------------


def test_council_staff_see_interests_awaiting_a_reply_on_the_home_page(
    client_for, need, newcomer, council_officer, provider_admin
):
    interest = interest_from(need, newcomer)
    html = page(client_for(council_officer), reverse("core:home"))
    assert "1 interest in needed services awaiting a reply" in html
    assert needed_items(provider_admin) == [] and needed_items(newcomer) == []
    needed.interest_reply(actor=council_officer, interest=interest, reply="Thank you.")
    assert needed_items(council_officer) == []


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", [None, "council_officer", "provider_admin"])
def test_the_list_and_a_service_take_the_same_queries_however_many_there_are(request, client_for, newcomer, who):
    client = client_for(request.getfixturevalue(who) if who else None)
    first = need_with()
    interest_from(first, newcomer)
    few = (_queries(client, reverse("market:needed")), _queries(client, detail(first)))
    for i in range(6):
        more = need_with(service=f"Service {i}")
        interest_from(more, UserFactory())
        interest_from(first, UserFactory())
    assert (_queries(client, reverse("market:needed")), _queries(client, detail(first))) == few


# The demo --------------------------------------------------------------------------------------------------------


def test_the_demo_has_needed_services_with_interest_and_a_reply_once(
    provider, provider_admin, training_admin, council_officer
):
    borough = SimpleNamespace(
        officer=council_officer,
        featured=provider,
        people={"provider_admin": provider_admin, "training_admin": training_admin},
    )
    build_needed_demo(borough)
    build_needed_demo(borough)
    assert NeededService.objects.count() == 5
    assert ServiceInterest.objects.count() == 3
    assert ServiceInterest.objects.exclude(reply="").count() == 1
    micro = ServiceInterest.objects.get(person__email=MICRO_PROVIDER_EMAIL)
    assert micro.organisation is None and not micro.person.memberships.exists()
