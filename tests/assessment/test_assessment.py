"""The self-assessments: the toolkit's questions seeded in its own words; council staff answer dated rounds and read
the trend; providers score the council's engagement once per method per round, anonymously; the council sees
providers' scores beside its own only once five providers have scored a method, and never who gave which."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.assessment import selectors, services
from carenetwork.assessment.models import Answer, ProviderScore, QuestionSet, Round
from carenetwork.assessment.portal_registration import scoring_items
from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from tests.factories import OrganisationFactory, person_in

pytestmark = pytest.mark.django_db


def tool(key) -> QuestionSet:
    return QuestionSet.objects.get(tool=key, version=1)


def providers_with_people(n, prefix="Provider"):
    """n providers, each with an admin; names a page must never show."""
    people = []
    for i in range(n):
        org = OrganisationFactory(name=f"{prefix} Secret Name {i}")
        people.append(person_in(org, Role.ADMIN, full_name=f"Hidden Person {prefix} {i}"))
    return people


def score_all(people, round, score_of, comment=""):
    method = round.question_set.questions.get(order=1)
    for i, person in enumerate(people):
        services.provider_scores_save(
            actor=person,
            round=round,
            scores={method.pk: {"score": score_of(i), "comment": comment and f"{comment} {i}"}},
        )
    return method


def test_the_toolkits_question_sets_are_seeded_in_its_own_words():
    assert tool("tool-1").questions.count() == 12
    assert tool("tool-1").questions.first().text == (
        "Have we explored with SME providers how to judge a fair price for care?"
    )
    assert tool("tool-4").kind == QuestionSet.Kind.SCORE
    assert tool("tool-4").questions.first().text == "Provider forum"
    assert tool("tool-4").questions.count() == 9
    assert tool("tool-5").questions.count() == 16
    assert tool("tool-5").questions.last().text == (
        "Are there arrangements in place to ensure that providers are paid in a timely manner?"
    )


def test_council_answers_a_round_and_the_trend_keeps_each_round(council_officer):
    qs = tool("tool-1")
    q1 = qs.questions.get(order=1)
    first = services.round_start(actor=council_officer, question_set=qs)
    services.round_answers_save(
        actor=council_officer, round=first, answers={q1.pk: {"answer": "no", "note": "Not yet"}}
    )
    services.round_close(actor=council_officer, round=first)
    second = services.round_start(actor=council_officer, question_set=qs)
    services.round_answers_save(actor=council_officer, round=second, answers={q1.pk: {"answer": "yes", "note": ""}})

    rounds, rows = selectors.trend_for(user=council_officer, question_set=qs)
    assert rounds == [first, second]
    assert [c.answer.answer for c in rows[0].cells] == ["no", "yes"]
    assert [(c.asked, c.answer) for c in rows[1].cells] == [(True, None), (True, None)]
    assert AuditEvent.objects.filter(action="assessment_round.answered").count() == 2


def test_a_closed_round_cannot_change_and_only_one_round_is_open_at_a_time(council_officer):
    qs = tool("tool-4")
    r = services.round_start(actor=council_officer, question_set=qs)
    with pytest.raises(ValidationError):
        services.round_start(actor=council_officer, question_set=qs)
    services.round_close(actor=council_officer, round=r)
    with pytest.raises(ValidationError):
        services.round_answers_save(actor=council_officer, round=r, answers={})


def test_only_council_staff_answer_rounds(provider_admin):
    with pytest.raises(PermissionDenied):
        services.round_start(actor=provider_admin, question_set=tool("tool-1"))


def test_one_score_per_provider_per_method_per_round_which_they_may_change(
    council_officer, provider_admin, provider_member
):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    method = r.question_set.questions.get(order=1)
    services.provider_scores_save(actor=provider_admin, round=r, scores={method.pk: {"score": 2, "comment": ""}})
    # A colleague at the same provider changes the provider's score rather than adding another.
    services.provider_scores_save(actor=provider_member, round=r, scores={method.pk: {"score": 4, "comment": "Better"}})
    assert ProviderScore.objects.get().score == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderScore.objects.create(
            round=r, question=method, organisation=provider_admin.memberships.get().organisation, score=1
        )
    # Left unscored, the score is taken back.
    services.provider_scores_save(actor=provider_admin, round=r, scores={})
    assert not ProviderScore.objects.exists()


def test_a_comment_needs_a_score_and_closed_rounds_take_no_scores(council_officer, provider_admin):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    method = r.question_set.questions.get(order=1)
    with pytest.raises(ValidationError):
        services.provider_scores_save(
            actor=provider_admin, round=r, scores={method.pk: {"score": None, "comment": "Hi"}}
        )
    services.round_close(actor=council_officer, round=r)
    with pytest.raises(ValidationError):
        services.provider_scores_save(actor=provider_admin, round=r, scores={method.pk: {"score": 3, "comment": ""}})


def test_council_staff_cannot_score_themselves(council_officer):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    with pytest.raises(PermissionDenied):
        services.provider_scores_save(actor=council_officer, round=r, scores={})


def test_providers_scores_are_hidden_until_five_providers_have_answered(client, council_officer):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    people = providers_with_people(5)
    score_all(people[:4], r, lambda i: 1, comment="Too few to show")
    client.force_login(council_officer)
    page = client.get(reverse("assessment:tool", args=["tool-4"])).content.decode()
    assert "Not shown until 5 providers have answered (4 so far)" in page
    assert "Too few to show" not in page

    score_all(people[4:], r, lambda i: 5)
    row = selectors.gap_for(user=council_officer, round=r)[0]
    assert row.providers.count == 5 and str(row.providers.mean) == "1.8"  # (1 * 4 + 5) / 5
    assert row.providers.distribution == (0, 4, 0, 0, 0, 1)
    page = client.get(reverse("assessment:tool", args=["tool-4"])).content.decode()
    assert "1.8" in page and "Too few to show 3" in page


def test_the_councils_page_never_names_a_provider_or_person_behind_a_score(client, council_officer):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    method = r.question_set.questions.get(order=1)
    services.round_answers_save(
        actor=council_officer, round=r, answers={method.pk: {"score": 4, "note": "More notice"}}
    )
    people = providers_with_people(6)
    score_all(people, r, lambda i: i % 6, comment="Anonymous view")
    client.force_login(council_officer)
    for url in (reverse("assessment:tool", args=["tool-4"]), reverse("assessment:round", args=[r.pk])):
        page = client.get(url).content.decode()
        assert "Secret Name" not in page and "Hidden Person" not in page
    page = client.get(reverse("assessment:tool", args=["tool-4"])).content.decode()
    assert "Providers score you 1.5 lower than you score yourselves" in page  # mean (0+1+2+3+4+5)/6 = 2.5; own 4
    # Nor does the audit trail say which provider scored.
    event = AuditEvent.objects.filter(action="assessment_provider_scores.saved").first()
    assert event.actor is None and event.organisation is None


def test_a_provider_sees_only_its_own_scores(client, council_officer, provider_admin, other_admin):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    method = r.question_set.questions.get(order=1)
    services.provider_scores_save(
        actor=other_admin, round=r, scores={method.pk: {"score": 1, "comment": "Other's view"}}
    )
    client.force_login(provider_admin)
    page = client.get(reverse("assessment:score")).content.decode()
    assert "Other&#x27;s view" not in page and "Other's view" not in page
    assert 'value="1" checked' not in page
    response = client.post(reverse("assessment:score"), {f"score_{method.pk}": "4", f"comment_{method.pk}": "Mine"})
    assert response.status_code == 302
    page = client.get(reverse("assessment:score")).content.decode()
    assert "Mine" in page and "Other&#x27;s view" not in page
    assert selectors.own_scores_for(user=provider_admin, round=r)[method.pk].score == 4


def test_the_council_completes_a_round_on_one_page(client, council_officer):
    client.force_login(council_officer)
    response = client.post(reverse("assessment:round-new", args=["tool-1"]))
    r = Round.objects.get()
    assert response["Location"] == reverse("assessment:round", args=[r.pk])
    q = r.question_set.questions.get(order=3)
    page = client.get(response["Location"]).content.decode()
    assert q.text in page and "Don&#x27;t know" in page
    client.post(response["Location"], {f"answer_{q.pk}": "dont-know", f"note_{q.pk}": "Ask finance"})
    assert Answer.objects.get(round=r, question=q).answer == "dont-know"
    client.post(reverse("assessment:round-close", args=[r.pk]))
    r.refresh_from_db()
    assert r.status == Round.Status.CLOSED
    page = client.get(reverse("assessment:round", args=[r.pk])).content.decode()
    assert "Ask finance" in page and "Save your answers" not in page


def test_providers_are_asked_to_score_while_a_round_is_open_and_until_they_have(council_officer, provider_admin):
    assert scoring_items(provider_admin) == []
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    assert [i.text for i in scoring_items(provider_admin)] == ["Score how the council engages with providers"]
    assert scoring_items(council_officer) == []
    method = r.question_set.questions.get(order=1)
    services.provider_scores_save(actor=provider_admin, round=r, scores={method.pk: {"score": 3, "comment": ""}})
    assert scoring_items(provider_admin) == []


def test_the_tool_page_needs_the_same_queries_however_many_scores(client, council_officer):
    r = services.round_start(actor=council_officer, question_set=tool("tool-4"))
    client.force_login(council_officer)
    url = reverse("assessment:tool", args=["tool-4"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    score_all(providers_with_people(7), r, lambda i: i % 6, comment="c")
    services.round_close(actor=council_officer, round=r)
    services.round_start(actor=council_officer, question_set=tool("tool-4"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_demo_has_two_rounds_and_five_providers_scores(council, council_officer):
    from types import SimpleNamespace

    from carenetwork.assessment.demo import build_assessment_demo

    providers = [p.memberships.get().organisation for p in providers_with_people(7)]
    borough = SimpleNamespace(officer=council_officer, providers=providers, featured=providers[0])
    build_assessment_demo(borough)
    build_assessment_demo(borough)  # idempotent
    assert Round.objects.filter(question_set__tool="tool-4").count() == 2
    assert Round.objects.filter(question_set__tool="tool-1").count() == 2
    last, now = Round.objects.filter(question_set__tool="tool-4").order_by("date")
    rows = selectors.gap_for(user=council_officer, round=now)
    assert rows[0].providers.count == 5 and rows[0].providers.shown
    assert not last.provider_scores.filter(organisation=providers[0]).exists()
    # The featured provider's own two checks of tool 2, which the council's pages never count as its rounds.
    checks = Round.objects.filter(organisation=providers[0])
    assert checks.count() == 2 and {r.question_set.tool for r in checks} == {"tool-2"}
    assert Round.objects.filter(question_set__tool="tool-2").count() == 2
