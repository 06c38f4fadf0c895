"""Clarification questions answered to all: suppliers ask on an open opportunity up to and including its questions
deadline, the council is told; council staff answer (rewording the question if need be) and every interested
organisation, and the asking one, is emailed the question and answer without saying who asked; a second answer is a
correction, sent as one. Only council staff learn who asked, and only on the list of questions waiting."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carenetwork.core.access import PAGE_SIZE
from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from carenetwork.procurement import questions
from carenetwork.procurement.models import Interest, Opportunity, Question
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, person_in
from tests.procurement.factories import opportunity_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ASKED = "Will the council pay for travel time between visits in lot 2?"


def ask_url(opportunity) -> str:
    return reverse("procurement:ask", args=[opportunity.pk])


def detail_url(opportunity) -> str:
    return reverse("procurement:detail", args=[opportunity.pk])


def answer_url(question) -> str:
    return reverse("procurement:answer", args=[question.pk])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def question_on(opportunity, organisation, *, person=None, text=ASKED, answer="", **fields) -> Question:
    return Question.objects.create(
        opportunity=opportunity,
        organisation=organisation,
        asked_by=person,
        text=text,
        answer=answer,
        answered_at=timezone.now() if answer else None,
        **fields,
    )


def interest_in(opportunity, organisation) -> Interest:
    return Interest.objects.create(opportunity=opportunity, organisation=organisation)


@pytest.fixture
def opportunity(council):
    return opportunity_for()


# Asking ----------------------------------------------------------------------------------------------------------


def test_a_supplier_asks_and_the_council_is_told_without_the_asker_in_the_audit_trail(
    client_for,
    opportunity,
    provider,
    provider_member,
    council_admin,
    council_officer,
    council,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(provider_member).post(ask_url(opportunity), {"text": f"  {ASKED}  "})
    assert response.status_code == 302 and response["Location"].endswith("#waiting")
    question = Question.objects.get()
    assert (question.opportunity, question.organisation, question.asked_by) == (opportunity, provider, provider_member)
    assert question.text == ASKED and question.answered_at is None
    event = AuditEvent.objects.get(action="question.asked")
    assert event.object_id == str(question.pk) and opportunity.title in event.object_repr
    for secret in (provider.name, provider_member.full_name, provider_member.email):
        assert secret not in event.object_repr
    [email] = mailoutbox
    # The council's administrators and its shared mailbox (not every officer's inbox).
    assert sorted(email.to) == sorted([council_admin.email, council.contact_email])
    assert opportunity.title in email.subject and ASKED in email.body and answer_url(question) in email.body
    assert provider_member.email not in email.body
    # The asker sees their waiting question on the questions page; it is not published yet.
    html = page(client_for(provider_member), ask_url(opportunity))
    assert "questions waiting for an answer" in html and "travel time" in html


@pytest.mark.parametrize("role", ["provider_admin", "other_admin", "training_admin", "partner_member"])
def test_admins_and_members_of_any_organisation_but_the_council_may_ask(request, client_for, opportunity, role):
    person = request.getfixturevalue(role)
    assert "Send your question" in page(client_for(person), ask_url(opportunity))
    assert client_for(person).post(ask_url(opportunity), {"text": ASKED}).status_code == 302
    assert Question.objects.get().organisation == person.memberships.get().organisation


@pytest.mark.parametrize("role", ["council_officer", "council_admin"])
def test_council_staff_read_the_questions_page_but_do_not_ask(request, client_for, opportunity, role):
    person = request.getfixturevalue(role)
    html = page(client_for(person), ask_url(opportunity))
    assert "Send your question" not in html and reverse("procurement:unanswered") in html
    assert client_for(person).post(ask_url(opportunity), {"text": ASKED}).status_code == 403
    with pytest.raises(PermissionDenied):
        questions.question_ask(actor=person, opportunity=opportunity, text=ASKED)
    assert not Question.objects.exists()


def test_signed_out_visitors_are_asked_to_sign_in(client_for, opportunity):
    response = client_for(None).get(ask_url(opportunity))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = client_for(None).post(ask_url(opportunity), {"text": ASKED})
    assert response.status_code == 302 and not Question.objects.exists()


def test_a_signed_in_person_with_no_organisation_may_not_read_or_ask(client_for, opportunity):
    person = UserFactory()
    assert client_for(person).get(ask_url(opportunity)).status_code == 403
    assert client_for(person).post(ask_url(opportunity), {"text": ASKED}).status_code == 403


def _at(day: datetime.date, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON), tick=False)


def test_questions_are_taken_up_to_the_end_of_the_deadline_day_and_refused_the_day_after(
    client_for, council, provider_admin
):
    deadline = datetime.date(2026, 6, 12)
    with _at(deadline - timedelta(days=14), 9):
        opportunity = opportunity_for(questions_deadline=deadline, tender_deadline=deadline + timedelta(days=14))
    with _at(deadline, 23, 59):
        assert "Send your question" in page(client_for(provider_admin), ask_url(opportunity))
        assert client_for(provider_admin).post(ask_url(opportunity), {"text": ASKED}).status_code == 302
        assert Question.objects.count() == 1
    with _at(deadline + timedelta(days=1), 0, 1):
        html = page(client_for(provider_admin), ask_url(opportunity))
        assert "Send your question" not in html and "The deadline for questions was 12 June 2026" in html
        response = client_for(provider_admin).post(ask_url(opportunity), {"text": "Another one?"}, follow=True)
        assert "Your question was not sent" in response.content.decode()
        with pytest.raises(ValidationError):
            questions.question_ask(actor=provider_admin, opportunity=opportunity, text="Another one?")
    assert Question.objects.count() == 1


def test_without_a_questions_deadline_questions_close_after_the_tender_deadline(client_for, council, provider_admin):
    today = timezone.localdate()
    opportunity = opportunity_for(questions_deadline=None, tender_deadline=today)
    assert "Send your question" in page(client_for(provider_admin), ask_url(opportunity))
    opportunity.tender_deadline = today - timedelta(days=1)
    opportunity.save()
    assert "Send your question" not in page(client_for(provider_admin), ask_url(opportunity))


@pytest.mark.parametrize("status", ["closed", "awarded", "cancelled"])
def test_an_opportunity_that_is_not_open_takes_no_questions(client_for, council, provider_admin, status):
    opportunity = opportunity_for(status=status)
    html = page(client_for(provider_admin), ask_url(opportunity))
    assert "Send your question" not in html and "so it is not taking questions" in html
    client_for(provider_admin).post(ask_url(opportunity), {"text": ASKED})
    with pytest.raises(ValidationError):
        questions.question_ask(actor=provider_admin, opportunity=opportunity, text=ASKED)
    assert not Question.objects.exists()


def test_a_draft_is_not_found_except_by_council_staff(client_for, council, provider_admin, council_officer):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    assert client_for(provider_admin).get(ask_url(draft)).status_code == 404
    assert client_for(provider_admin).post(ask_url(draft), {"text": ASKED}).status_code == 404
    assert client_for(council_officer).get(ask_url(draft)).status_code == 200


@pytest.mark.parametrize(("text", "message"), [("   ", "Enter your question"), ("x" * 2001, "2000 characters")])
def test_an_empty_or_overlong_question_is_refused_with_the_error_summary(
    client_for, opportunity, provider_admin, text, message
):
    response = client_for(provider_admin).post(ask_url(opportunity), {"text": text})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    assert not Question.objects.exists()


def test_someone_in_two_organisations_chooses_which_asks_and_no_other(
    client_for, opportunity, provider, other_provider, provider_admin
):
    MembershipFactory(user=provider_admin, organisation=other_provider, role=Role.MEMBER)
    html = page(client_for(provider_admin), ask_url(opportunity))
    assert "Which organisation is asking?" in html
    response = client_for(provider_admin).post(ask_url(opportunity), {"text": ASKED, "organisation": other_provider.pk})
    assert response.status_code == 302 and Question.objects.get().organisation == other_provider
    stranger = OrganisationFactory(name="Not Theirs Ltd")
    with pytest.raises(ValidationError):
        questions.question_ask(actor=provider_admin, opportunity=opportunity, text=ASKED, organisation=stranger)


# The council's list of questions waiting ---------------------------------------------------------------------------


def test_council_staff_see_every_waiting_question_until_the_award_oldest_first_with_who_asked(
    client_for, opportunity, provider, other_provider, council_officer
):
    first = question_on(opportunity, other_provider, text="The first question?")
    second = question_on(opportunity, provider, text="The second question?")
    question_on(opportunity, provider, text="Answered already?", answer="Yes.")
    question_on(opportunity_for(status=Opportunity.Status.CLOSED), provider, text="On a closed one?")
    question_on(opportunity_for(status=Opportunity.Status.AWARDED), provider, text="On an awarded one?")
    html = page(client_for(council_officer), reverse("procurement:unanswered"))
    assert html.index("The first question?") < html.index("The second question?") < html.index("On a closed one?")
    assert "Answered already?" not in html and "On an awarded one?" not in html
    assert provider.name in html and other_provider.name in html
    assert answer_url(first) in html and answer_url(second) in html


@pytest.mark.parametrize("role", ["provider_admin", "provider_member", "other_admin", "partner_member"])
def test_nobody_but_council_staff_sees_the_waiting_list(request, client_for, opportunity, provider, role):
    question_on(opportunity, provider)
    assert client_for(request.getfixturevalue(role)).get(reverse("procurement:unanswered")).status_code == 403
    with pytest.raises(PermissionDenied):
        questions.unanswered_list_for(user=request.getfixturevalue(role))


def test_the_waiting_list_is_paged(client_for, opportunity, provider, council_officer):
    for i in range(PAGE_SIZE + 1):
        question_on(opportunity, provider, text=f"Question number {i:02d}?")
    first = page(client_for(council_officer), reverse("procurement:unanswered"))
    assert "Question number 00?" in first and f"Question number {PAGE_SIZE:02d}?" not in first
    assert 'rel="next"' in first
    second = page(client_for(council_officer), reverse("procurement:unanswered") + "?page=2")
    assert f"Question number {PAGE_SIZE:02d}?" in second and "Question number 00?" not in second


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_waiting_list_and_the_questions_page_take_the_same_queries_however_many_questions(
    client_for, opportunity, provider, other_admin, council_officer
):
    question_on(opportunity, provider)
    question_on(opportunity, provider, answer="An answer.")

    def counts():
        staff = client_for(council_officer)
        counted = (_queries(staff, reverse("procurement:unanswered")), _queries(staff, ask_url(opportunity)))
        other = client_for(other_admin)
        return (*counted, _queries(other, ask_url(opportunity)), _queries(other, detail_url(opportunity)))

    few = counts()
    for i in range(12):
        org = OrganisationFactory(name=f"Provider {i}")
        question_on(opportunity_for(title=f"Opportunity {i}"), org)
        question_on(opportunity, org, answer=f"Answer {i}.")
        question_on(opportunity, org)
    assert counts() == few


# Answering -------------------------------------------------------------------------------------------------------


@pytest.fixture
def asked(opportunity, provider, provider_member, other_provider, partner_org):
    """A question by the provider (which did not register interest); the other provider and a partner are
    interested, and a third organisation is not."""
    interest_in(opportunity, other_provider)
    interest_in(opportunity, partner_org)
    OrganisationFactory(name="Uninterested Care")
    return question_on(opportunity, provider, person=provider_member, text="Does Willow Care Home need a new licence?")


def test_council_staff_answer_to_every_interested_organisation_and_the_asker_without_saying_who_asked(
    client_for,
    opportunity,
    asked,
    provider,
    provider_admin,
    provider_member,
    other_provider,
    other_admin,
    partner_org,
    partner_member,
    council_officer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    html = page(client_for(council_officer), answer_url(asked))
    assert "Willow Care Home need a new licence" in html and "Publish the answer" in html
    reworded = "Does a provider need a new licence?"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(council_officer).post(
            answer_url(asked), {"text": reworded, "answer": "No: the current registration is enough."}
        )
    assert response.status_code == 302 and response["Location"] == reverse("procurement:unanswered")
    asked.refresh_from_db()
    assert (asked.text, asked.answer) == (reworded, "No: the current registration is enough.")
    assert asked.answered_by == council_officer and asked.answered_at is not None
    event = AuditEvent.objects.get(action="question.answered")
    assert event.actor == council_officer and provider.name not in event.object_repr
    assert event.changes["text"][1] == reworded
    # One email per organisation: the two interested and the asker, and nobody else.
    by_recipients = {tuple(sorted(email.to)): email for email in mailoutbox}
    assert set(by_recipients) == {
        tuple(sorted([other_admin.email, other_provider.contact_email])),
        tuple(sorted([partner_member.email, partner_org.contact_email])),
        tuple(sorted([provider_admin.email, provider.contact_email])),
    }
    for email in mailoutbox:
        assert email.subject.startswith("Answer to a question about") and opportunity.title in email.subject
        assert reworded in email.body and "No: the current registration is enough." in email.body
        assert ask_url(opportunity) in email.body
        for secret in (provider.name, "Willow", provider_member.full_name, provider_member.email):
            assert secret not in email.body and secret not in email.subject
    # Nothing but the answer goes to the asker: their email reads like everyone else's.
    bodies = {email.body for email in mailoutbox}
    assert len(bodies) == 1


def test_a_second_answer_is_sent_again_as_a_correction(
    client_for, opportunity, asked, council_admin, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(council_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer_url(asked), {"text": "Is a licence needed?", "answer": "No."})
    first = len(mailoutbox)
    assert first == 3 and not any("Corrected" in email.subject for email in mailoutbox)
    html = page(client, answer_url(asked))
    assert "Correct an answer" in html and "Publish the correction" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(asked), {"text": "Is a licence needed?", "answer": "Yes, from April."})
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{asked.pk}")
    corrections = mailoutbox[first:]
    assert len(corrections) == 3
    for email in corrections:
        assert email.subject.startswith("Corrected answer") and "Yes, from April." in email.body
    assert AuditEvent.objects.get(action="question.corrected").changes == {"answer": ["No.", "Yes, from April."]}


@pytest.mark.parametrize(("data", "message"), [({"text": "Q?", "answer": " "}, "Enter your answer"), ({}, "Enter")])
def test_an_answer_needs_its_question_and_answer(client_for, asked, council_officer, mailoutbox, data, message):
    response = client_for(council_officer).post(answer_url(asked), data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and message in html
    asked.refresh_from_db()
    assert asked.answered_at is None and not mailoutbox
    with pytest.raises(ValidationError):
        questions.question_answer(actor=council_officer, question=asked, text="Q?", answer="")


@pytest.mark.parametrize("role", ["provider_admin", "provider_member", "other_admin", "partner_member"])
def test_only_council_staff_answer(request, client_for, asked, role, mailoutbox):
    person = request.getfixturevalue(role)
    assert client_for(person).get(answer_url(asked)).status_code == 403
    assert client_for(person).post(answer_url(asked), {"text": "Q?", "answer": "A."}).status_code == 403
    with pytest.raises(PermissionDenied):
        questions.question_answer(actor=person, question=asked, text="Q?", answer="A.")
    asked.refresh_from_db()
    assert asked.answered_at is None and not mailoutbox


# Reading the answers -----------------------------------------------------------------------------------------------


@pytest.fixture
def answered(opportunity, provider, provider_member):
    return question_on(opportunity, provider, person=provider_member, text="Is a licence needed?", answer="No.")


def _secrets(provider, provider_member):
    return (provider.name, provider_member.full_name, provider_member.email)


@pytest.mark.parametrize("role", ["other_admin", "training_admin", "partner_member", "council_officer"])
def test_others_read_the_answers_on_the_opportunity_and_questions_pages_never_who_asked(
    request, client_for, opportunity, answered, provider, provider_member, role
):
    client = client_for(request.getfixturevalue(role))
    for url in (ask_url(opportunity), reverse("procurement:detail", args=[opportunity.pk])):
        html = page(client, url)
        assert "Is a licence needed?" in html and "No." in html
        assert "Your organisation asked this" not in html
        for secret in _secrets(provider, provider_member):
            assert secret not in html, (role, url, secret)
    html = page(client, reverse("procurement:consortium", args=[opportunity.pk]))
    for secret in _secrets(provider, provider_member):
        assert secret not in html


def test_the_askers_colleagues_see_that_their_organisation_asked(client_for, opportunity, answered, provider_admin):
    assert "Your organisation asked this" in page(client_for(provider_admin), ask_url(opportunity))


def test_council_staff_may_correct_from_the_questions_page(
    client_for, opportunity, answered, council_admin, other_admin
):
    assert answer_url(answered) in page(client_for(council_admin), ask_url(opportunity))
    assert answer_url(answered) not in page(client_for(other_admin), ask_url(opportunity))


def test_a_waiting_question_is_seen_only_by_its_organisation_and_the_council(
    client_for, opportunity, provider, provider_member, provider_admin, other_admin
):
    question_on(opportunity, provider, person=provider_member, text="Still waiting?")
    assert "Still waiting?" in page(client_for(provider_admin), ask_url(opportunity))
    assert "Still waiting?" not in page(client_for(other_admin), ask_url(opportunity))
    assert "Still waiting?" not in page(client_for(other_admin), reverse("procurement:detail", args=[opportunity.pk]))


def test_the_opportunity_shows_the_latest_answers_and_links_to_them_all(client_for, opportunity, provider, other_admin):
    total = questions.LATEST_SHOWN + 2
    for n in range(1, total + 1):
        question_on(opportunity, provider, text=f"Asked {n:02d}?", answer=f"Answer {n:02d}.")
    html = page(client_for(other_admin), detail_url(opportunity))
    shown = range(total - questions.LATEST_SHOWN + 1, total + 1)
    for n in range(1, total + 1):
        assert (f"Asked {n:02d}?" in html) == (n in shown), n
    assert f"Question {total}<" in html and f"Question {shown[0]}<" in html and "Question 1<" not in html
    assert f"These are the latest {questions.LATEST_SHOWN} of {total} answered questions." in html
    assert f'href="{ask_url(opportunity)}">Read all {total} questions and answers</a>' in html


def test_the_opportunity_shows_every_answer_with_no_link_when_there_are_few(
    client_for, opportunity, provider, other_admin
):
    for n in range(1, questions.LATEST_SHOWN + 1):
        question_on(opportunity, provider, text=f"Asked {n:02d}?", answer=f"Answer {n:02d}.")
    html = page(client_for(other_admin), detail_url(opportunity))
    assert "Asked 01?" in html and f"Asked {questions.LATEST_SHOWN:02d}?" in html and "Read all" not in html


def test_the_questions_page_is_paged_and_numbers_carry_on(client_for, opportunity, provider, other_admin):
    for n in range(1, PAGE_SIZE + 2):
        question_on(opportunity, provider, text=f"Asked {n:02d}?", answer="Yes.")
    first = page(client_for(other_admin), ask_url(opportunity))
    assert "Asked 01?" in first and f"Asked {PAGE_SIZE:02d}?" in first and f"Asked {PAGE_SIZE + 1:02d}?" not in first
    assert 'rel="next"' in first and "Read all" not in first
    second = page(client_for(other_admin), ask_url(opportunity) + "?page=2")
    assert f"Asked {PAGE_SIZE + 1:02d}?" in second and "Asked 01?" not in second
    assert f"Question {PAGE_SIZE + 1}<" in second and "Question 1<" not in second


def test_a_correction_returns_to_the_page_its_question_is_on(client_for, opportunity, provider, council_admin):
    for n in range(1, PAGE_SIZE + 2):
        last = question_on(opportunity, provider, text=f"Asked {n:02d}?", answer="Yes.")
    response = client_for(council_admin).post(answer_url(last), {"text": "Asked again?", "answer": "No."})
    assert response.status_code == 302
    assert response["Location"] == f"{ask_url(opportunity)}?page=2#question-{last.pk}"
    assert f'id="question-{last.pk}"' in page(client_for(council_admin), response["Location"].split("#")[0])


def _include(user, questions_list, opportunity) -> str:
    request = RequestFactory().get("/procurement/1/")
    request.user = user
    return render_to_string(
        "procurement/_questions.html",
        {"questions": questions_list, "opportunity": opportunity, "can_ask": True, "user": user},
        request=request,
    )


def test_the_include_asks_signed_out_visitors_to_sign_in_and_shows_them_nothing(opportunity, answered):
    html = _include(AnonymousUser(), [answered], opportunity)
    assert "Sign in to read the questions and answers" in html and "Is a licence needed?" not in html


def test_the_include_tells_someone_with_no_organisation_the_answers_are_for_those_taking_part(opportunity, answered):
    person = UserFactory()
    found = questions.clarifications_context(user=person, opportunity=opportunity)["answered_questions"]
    assert found is None and questions.answered_page_for(user=person, opportunity=opportunity) is None
    html = _include(person, found, opportunity)
    assert "for organisations taking part" in html and "Is a licence needed?" not in html


def test_the_include_offers_to_ask_and_lists_answers_in_the_order_asked(opportunity, answered, provider, other_admin):
    later = question_on(opportunity, provider, text="A later question?", answer="A later answer.")
    Question.objects.filter(pk=answered.pk).update(answered_at=timezone.now() + timedelta(hours=1))
    context = questions.clarifications_context(user=other_admin, opportunity=opportunity)
    assert context["can_ask"] is True
    html = _include(other_admin, context["answered_questions"], opportunity)
    assert html.index("Is a licence needed?") < html.index("A later question?") and later.text in html
    assert ask_url(opportunity) in html and provider.name not in html


def test_the_council_is_told_at_its_mailbox_even_with_no_administrator(
    client_for, opportunity, council, provider_admin, mailoutbox, django_capture_on_commit_callbacks
):
    person_in(council, Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(provider_admin).post(ask_url(opportunity), {"text": ASKED})
    [email] = mailoutbox
    assert email.to == [council.contact_email]
