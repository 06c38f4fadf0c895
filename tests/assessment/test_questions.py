"""Council administrators change the questionnaires. A version a round has used never changes: the first change after
a round makes the next version (questions copied with their keys), which new rounds use; an unused version is changed
in place. The trend follows a question across versions by its key."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.assessment import selectors, services
from carenetwork.assessment.models import QuestionSet, Round
from carenetwork.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def version(tool, n) -> QuestionSet:
    return QuestionSet.objects.get(tool=tool, version=n)


def texts(question_set) -> list[str]:
    return list(question_set.questions.values_list("text", flat=True))


def answered_round(officer, tool, answers: dict[int, str], close=True) -> Round:
    """A council round of the tool's newest version, with answers by question key."""
    r = services.round_start(actor=officer, question_set=version(tool, 1))
    by_key = {q.key: q for q in r.question_set.questions.all()}
    services.round_answers_save(
        actor=officer, round=r, answers={by_key[k].pk: {"answer": a, "note": ""} for k, a in answers.items()}
    )
    if close:
        services.round_close(actor=officer, round=r)
    return r


def test_changing_a_used_version_makes_the_next_and_leaves_the_used_one_as_it_was(council_admin, council_officer):
    first = answered_round(council_officer, "tool-1", {1: "no"})
    v1_texts = texts(version("tool-1", 1))

    v2 = services.question_change(actor=council_admin, tool="tool-1", key=1, text="Do we know what care costs here?")

    assert v2.version == 2 and first.question_set.version == 1
    assert texts(version("tool-1", 1)) == v1_texts
    assert texts(v2) == ["Do we know what care costs here?", *v1_texts[1:]]
    assert list(v2.questions.values_list("key", flat=True)) == list(range(1, 13))
    assert (v2.title, v2.intro, v2.kind) == (first.question_set.title, first.question_set.intro, "yes-no")
    # The round keeps the questions it was asked, and the next round uses the new version.
    assert first.answers.get().question.text == v1_texts[0]
    assert services.round_start(actor=council_officer, question_set=version("tool-1", 1)).question_set == v2
    event = AuditEvent.objects.get(action="assessment_questions.changed")
    assert event.actor == council_admin
    assert event.changes == {"version": [1, 2], "question 1": [v1_texts[0], "Do we know what care costs here?"]}


def test_an_unused_version_is_changed_in_place_until_a_round_uses_it(council_admin, council_officer):
    qs = version("tool-5", 1)
    assert services.question_change(actor=council_admin, tool="tool-5", key=2, text="Grant or contract?") == qs
    services.question_set_details_save(actor=council_admin, tool="tool-5", title="SME procurement", intro="")
    assert QuestionSet.objects.filter(tool="tool-5").count() == 1
    qs.refresh_from_db()
    assert qs.title == "SME procurement" and texts(qs)[1] == "Grant or contract?"

    answered_round(council_officer, "tool-5", {2: "yes"})
    v2 = services.question_remove(actor=council_admin, tool="tool-5", key=2)
    # The draft version 2 takes further changes in place.
    assert services.question_add(actor=council_admin, tool="tool-5", text="Do we pay within 30 days?") == v2
    assert QuestionSet.objects.filter(tool="tool-5").count() == 2
    assert texts(version("tool-5", 1))[1] == "Grant or contract?"
    assert "Grant or contract?" not in texts(v2) and texts(v2)[-1] == "Do we pay within 30 days?"


def test_add_reword_move_and_remove_keep_each_questions_key(council_admin):
    services.question_add(actor=council_admin, tool="tool-1", text="  A new first question  ", position=1)
    services.question_change(actor=council_admin, tool="tool-1", key=12, text="Wages?", help="Hint", position=2)
    qs = services.question_remove(actor=council_admin, tool="tool-1", key=3)
    rows = list(qs.questions.values_list("order", "key", "text"))
    assert rows[:3] == [(1, 13, "A new first question"), (2, 12, "Wages?"), (3, 1, rows[2][2])]
    assert 3 not in {key for _, key, _ in rows} and len(rows) == 12
    assert qs.questions.get(key=12).help == "Hint"
    # A question added after one was taken out never takes its key.
    assert services.question_add(actor=council_admin, tool="tool-1", text="Later").questions.last().key == 14


def test_a_change_that_changes_nothing_makes_no_version_and_no_audit(council_admin, council_officer):
    answered_round(council_officer, "tool-1", {1: "yes"})
    q = version("tool-1", 1).questions.get(key=4)
    assert services.question_change(actor=council_admin, tool="tool-1", key=4, text=q.text, help=q.help).version == 1
    assert not AuditEvent.objects.filter(action="assessment_questions.changed").exists()


def test_the_last_question_cannot_be_removed_nor_a_question_left_blank(council_admin):
    for key in range(1, 4):
        services.question_remove(actor=council_admin, tool="tool-2", key=key)
    with pytest.raises(ValidationError):
        services.question_remove(actor=council_admin, tool="tool-2", key=4)
    with pytest.raises(ValidationError):
        services.question_change(actor=council_admin, tool="tool-2", key=4, text="  ")
    with pytest.raises(ValidationError):
        services.question_change(actor=council_admin, tool="tool-2", key=99, text="No such question")


@pytest.mark.parametrize("person", ["council_officer", "provider_admin", "provider_member"])
def test_only_council_administrators_change_questions(request, person):
    actor = request.getfixturevalue(person)
    with pytest.raises(PermissionDenied):
        services.question_change(actor=actor, tool="tool-1", key=1, text="Changed")
    with pytest.raises(PermissionDenied):
        services.question_set_details_save(actor=actor, tool="tool-1", title="Changed", intro="")
    with pytest.raises(PermissionDenied):  # refused before the wording is even checked
        services.question_add(actor=actor, tool="tool-1", text="")
    assert version("tool-1", 1).questions.get(key=1).text.startswith("Have we explored")


def test_an_open_round_keeps_its_version_and_the_next_round_uses_the_newest(council_admin, council_officer):
    scoring = services.round_start(actor=council_officer, question_set=version("tool-4", 1))
    v2 = services.question_add(actor=council_admin, tool="tool-4", text="Newsletters")
    with pytest.raises(ValidationError):
        services.round_start(actor=council_officer, question_set=v2)  # one open round of a tool, in any version
    assert selectors.scoring_round() == scoring
    assert scoring.question_set.questions.count() == 9
    services.round_close(actor=council_officer, round=scoring)
    assert services.round_start(actor=council_officer, question_set=version("tool-4", 1)).question_set == v2


def test_the_trend_follows_a_question_across_versions_by_its_key(council_admin, council_officer):
    old_text = version("tool-1", 1).questions.get(key=2).text
    answered_round(council_officer, "tool-1", {1: "no", 2: "dont-know", 3: "yes"})
    services.question_change(actor=council_admin, tool="tool-1", key=1, text="Reworded first", position=12)
    services.question_remove(actor=council_admin, tool="tool-1", key=2)
    services.question_add(actor=council_admin, tool="tool-1", text="Brand new")
    answered_round(council_officer, "tool-1", {1: "yes", 3: "yes", 13: "no"}, close=False)

    rounds, rows = selectors.trend_for(user=council_officer, question_set=version("tool-1", 2))
    assert [r.question_set.version for r in rounds] == [1, 2]
    by_text = {row.question.text: row for row in rows}
    reworded = by_text["Reworded first"]
    assert [(c.asked, c.answer and c.answer.answer) for c in reworded.cells] == [(True, "no"), (True, "yes")]
    assert [(c.asked, c.answer and c.answer.answer) for c in by_text["Brand new"].cells] == [
        (False, None),
        (True, "no"),
    ]
    removed = by_text[old_text]
    assert not removed.current and [c.asked for c in removed.cells] == [True, False]
    # The newest version's questions in its order, then those taken out.
    assert [row.question.key for row in rows][-3:] == [1, 13, 2]


def test_the_council_administrator_changes_a_question_on_the_site(client, council_admin, council_officer):
    answered_round(council_officer, "tool-1", {1: "no"})
    client.force_login(council_admin)
    page = client.get(reverse("assessment:tool", args=["tool-1"])).content.decode()
    assert "Change questions" in page and "Version 1" in page
    page = client.get(reverse("assessment:questions", args=["tool-1"])).content.decode()
    assert "Version 1 has been used, so it stays as it is. Your first change makes version 2" in page
    url = reverse("assessment:question-change", args=["tool-1", 1])
    response = client.post(url, {"text": "", "help": "", "position": "1"})
    assert response.status_code == 200 and "Enter the question" in response.content.decode()
    response = client.post(url, {"text": "Do we know a fair price?", "help": "", "position": "1"}, follow=True)
    page = response.content.decode()
    assert "Saved as version 2" in page and "Version 2 has not been used yet" in page
    page = client.get(reverse("assessment:tool", args=["tool-1"])).content.decode()
    assert "Do we know a fair price?" in page and 'data-testid="version-2"' in page
    # Removal asks first.
    remove = reverse("assessment:question-remove", args=["tool-1", 2])
    assert "Remove question 2?" in client.get(remove).content.decode()
    assert version("tool-1", 2).questions.filter(key=2).exists()
    client.post(remove)
    assert not version("tool-1", 2).questions.filter(key=2).exists() and not QuestionSet.objects.filter(version=3)


def test_council_officers_see_the_versions_but_no_way_to_change_them(client, council_officer):
    client.force_login(council_officer)
    page = client.get(reverse("assessment:tool", args=["tool-1"])).content.decode()
    assert "Versions of the questions" in page and "Change questions" not in page
    assert client.get(reverse("assessment:questions", args=["tool-1"])).status_code == 403
    response = client.post(reverse("assessment:question-change", args=["tool-1", 1]), {"text": "x", "position": "1"})
    assert response.status_code == 403


def test_a_question_of_another_version_or_tool_is_not_found(client, council_admin):
    client.force_login(council_admin)
    assert client.get(reverse("assessment:question-change", args=["tool-2", 5])).status_code == 404
    assert client.get(reverse("assessment:questions", args=["tool-9"])).status_code == 404


def test_the_tool_and_questions_pages_need_the_same_queries_however_many_versions(client, council_admin):
    answered_round(council_admin, "tool-1", {1: "no"})
    client.force_login(council_admin)
    pages = [reverse("assessment:tool", args=["tool-1"]), reverse("assessment:questions", args=["tool-1"])]
    for url in pages:
        client.get(url)
    few = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        few.append(len(queries))
    for n in range(3):
        answered_round(council_admin, "tool-1", {1: "yes", 2: "no"})
        services.question_add(actor=council_admin, tool="tool-1", text=f"Added {n}")
    many = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        many.append(len(queries))
    assert QuestionSet.objects.filter(tool="tool-1").count() == 4
    assert many == few
