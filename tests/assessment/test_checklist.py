"""Tool 2: a provider's own checklist on the market position statement, in the toolkit's words (section 2.3). Its
admins and members complete it as dated checks, kept; only the provider sees its answers: not other providers, not
the council, which sees at most how many providers have completed it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.assessment import selectors, services
from carenetwork.assessment.models import QuestionSet, Round
from carenetwork.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def tool_2() -> QuestionSet:
    return QuestionSet.objects.filter(tool="tool-2").order_by("-version").first()


def check(person, answers: dict[int, tuple[str, str]]) -> Round:
    """Save a check with answers by question key: {key: (answer, note)}."""
    by_key = {q.key: q for q in tool_2().questions.all()}
    return services.checklist_save(
        actor=person, answers={by_key[k].pk: {"answer": a, "note": n} for k, (a, n) in answers.items()}
    )


def on(day: int):
    return time_machine.travel(datetime.datetime(2026, 11, day, 10, 0, tzinfo=datetime.UTC), tick=False)


def test_tool_2_is_seeded_in_the_toolkits_words():
    qs = tool_2()
    assert (qs.version, qs.kind, qs.for_providers) == (1, "yes-no", True)
    assert list(qs.questions.values_list("key", flat=True)) == [1, 2, 3, 4]
    first, *_, last = qs.questions.all()
    assert first.text == (
        "Does your local authority have a market position statement that covers your part of the market?"
    )
    assert first.help.startswith("If you're not sure if your local authority has a market position statement")
    assert last.text.startswith("Has there been a discussion amongst your management team about its implications")
    assert last.help.startswith("Put it on the agenda.")


def test_a_provider_keeps_dated_checks_and_checking_again_the_same_day_updates_it(
    provider, provider_admin, provider_member
):
    with on(2):
        first = check(provider_admin, {1: ("no", "Ask the council")})
    with on(20):
        second = check(provider_member, {1: ("yes", "")})
        again = check(provider_admin, {1: ("yes", "Found it"), 2: ("dont-know", "")})
    assert again == second != first
    assert (first.organisation, first.status, first.date) == (provider, Round.Status.CLOSED, datetime.date(2026, 11, 2))
    assert [a.note for a in first.answers.order_by("question__order")] == ["Ask the council", "", "", ""]
    assert {a.question.key: a.answer for a in second.answers.all()} == {1: "yes", 2: "dont-know", 3: "", 4: ""}
    rounds, trend = selectors.checklist_rounds_for(user=provider_member)
    assert rounds == [first, second]
    assert [c.answer.answer for c in trend[0].cells] == ["no", "yes"]
    # Private to the provider: nothing of it goes into the audit trail, which the council reads.
    assert not AuditEvent.objects.filter(object_type="round").exists()


def test_the_next_check_starts_from_the_last_answers_even_in_a_new_version(provider_admin, council_admin):
    check(provider_admin, {3: ("yes", "Sent comments")})
    v2 = services.question_change(
        actor=council_admin, tool="tool-2", key=3, text="Have you given feedback?", position=1
    )
    initial = selectors.checklist_answers_for(user=provider_admin, question_set=v2)
    reworded = v2.questions.get(key=3)
    assert reworded.order == 1 and initial[reworded.pk].note == "Sent comments"


def test_council_staff_cannot_complete_or_read_a_providers_checklist(council_officer, provider_admin):
    r = check(provider_admin, {1: ("yes", "")})
    with pytest.raises(PermissionDenied):
        services.checklist_save(actor=council_officer, answers={})
    with pytest.raises(PermissionDenied):
        selectors.checklist_rounds_for(user=council_officer)
    # The council's own round pages do not reach it either.
    with pytest.raises(Http404):
        selectors.round_get_for(user=council_officer, pk=r.pk)
    with pytest.raises(PermissionDenied):
        services.round_close(actor=council_officer, round=r)
    with pytest.raises(ValidationError):
        services.round_start(actor=council_officer, question_set=tool_2())


def test_only_the_provider_sees_its_answers(client, provider_admin, other_admin, council_admin):
    r = check(provider_admin, {1: ("no", "Our private note")})
    check(other_admin, {1: ("yes", "")})
    client.force_login(other_admin)
    assert client.get(reverse("assessment:checklist-round", args=[r.pk])).status_code == 404
    page = client.get(reverse("assessment:checklist")).content.decode()
    assert "Our private note" not in page and "Willow" not in page
    client.force_login(council_admin)
    assert client.get(reverse("assessment:checklist-round", args=[r.pk])).status_code == 403
    assert client.get(reverse("assessment:checklist")).status_code == 403
    assert client.get(reverse("assessment:round", args=[r.pk])).status_code == 404
    page = client.get(reverse("assessment:tool", args=["tool-2"])).content.decode()
    assert "2 providers have completed the checklist" in page
    assert "Our private note" not in page and "Willow" not in page and "Heron" not in page
    client.force_login(provider_admin)
    assert "Our private note" in client.get(reverse("assessment:checklist-round", args=[r.pk])).content.decode()


def test_a_provider_completes_the_checklist_on_the_site(client, provider_member):
    client.force_login(provider_member)
    page = client.get(reverse("assessment:index")).content.decode()
    assert "Your checklist on the market position statement" in page
    page = client.get(reverse("assessment:checklist")).content.decode()
    assert "You have not completed the checklist yet" in page and "Complete the checklist" in page
    q = tool_2().questions.get(key=2)
    form = client.get(reverse("assessment:checklist-new")).content.decode()
    assert q.text in form and "Local authorities and health providers also prepare" in form
    asked = ",".join(str(pk) for pk in tool_2().questions.values_list("pk", flat=True))
    assert f'name="asked" value="{asked}"' in form
    response = client.post(
        reverse("assessment:checklist-new"),
        {"asked": asked, f"answer_{q.pk}": "yes", f"note_{q.pk}": "On our shared drive"},
    )
    assert response["Location"] == reverse("assessment:checklist")
    page = client.get(reverse("assessment:checklist")).content.decode()
    assert "Check again" in page and "Your checks" in page
    form = client.get(reverse("assessment:checklist-new")).content.decode()
    assert "On our shared drive" in form  # the next check starts from the last answers
    response = client.post(reverse("assessment:checklist-new"), {"asked": asked, f"answer_{q.pk}": "maybe"})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def test_answers_to_questions_changed_meanwhile_are_shown_again_not_lost(client, provider_member, council_admin):
    client.force_login(provider_member)
    q = tool_2().questions.get(key=1)
    opened = ",".join(str(pk) for pk in tool_2().questions.values_list("pk", flat=True))
    services.question_change(actor=council_admin, tool="tool-2", key=3, text="Do we read the statement each year?")
    response = client.post(reverse("assessment:checklist-new"), {"asked": opened, f"answer_{q.pk}": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The questions changed while you were answering: check your answers and save again" in page
    assert "Do we read the statement each year?" in page
    assert not Round.objects.filter(organisation__isnull=False).exists()


def test_the_checklist_page_needs_the_same_queries_however_many_checks(client, provider_admin, council_admin):
    client.force_login(provider_admin)
    url = reverse("assessment:checklist")
    with on(1):
        check(provider_admin, {1: ("no", "")})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(2, 8):
        with on(day):
            check(provider_admin, {1: ("yes", ""), 2: ("no", "n")})
        services.question_add(actor=council_admin, tool="tool-2", text=f"Added on day {day}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
