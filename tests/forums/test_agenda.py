"""The shared agenda: raising items, the leads' decisions, the record and its feedback, comments and papers,
with the anonymity rule and the forum's confidentiality."""

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carenetwork.forums import agenda, agenda_permissions, issue_log, permissions
from carenetwork.forums.models import Action, AgendaItem, ForumMembership, ItemEvent, Meeting, Paper
from carenetwork.organisations.models import Role
from carenetwork.organisations.permissions import forget_memberships
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

State = AgendaItem.State
ITEM = {"title": "Hospital discharge on Fridays", "description": "People arrive late with no medication.",
        "category": "issue"}  # fmt: skip


def fresh(user):
    """The same person as a new request would see them, with no cached rights."""
    permissions.forget(user)
    forget_memberships(user)
    return user


def add_meeting(forum, days, **fields):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        forum=forum,
        title=fields.pop("title", f"Meeting in {days} days"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
        **fields,
    )


@pytest.fixture
def oak_lodge(forum):
    """A second member organisation of the forum."""
    org = OrganisationFactory(name="Oak Lodge Nursing", sectors=[sector("nursing-care")])
    ForumMembership.objects.create(forum=forum, organisation=org, status=ForumMembership.Status.ACTIVE)
    return org


@pytest.fixture
def oak_member(oak_lodge):
    return person_in(oak_lodge, Role.MEMBER, full_name="Ruth Ellis")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and the emails it sends once its transaction commits."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def raise_item(actor, forum, meeting, **data):
    return agenda.item_raise(actor=actor, forum=forum, meeting=meeting, data={**ITEM, **data})


def on_published_agenda(lead, forum, meeting, raiser, **data):
    item = raise_item(raiser, forum, meeting, **data)
    agenda.item_accept(actor=lead, item=item)
    agenda.agenda_publish(actor=lead, meeting=meeting)
    item.refresh_from_db()
    return item


def emails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


# --- raising ---------------------------------------------------------------------------------------------------


def test_member_raises_an_item_for_a_meeting_before_its_deadline(forum, meeting, provider, provider_member):
    item = raise_item(provider_member, forum, meeting)
    assert (item.meeting, item.state, item.raised_by, item.raised_by_organisation) == (
        meeting,
        State.RAISED,
        provider_member,
        provider,
    )
    assert list(item.events.values_list("action", "to_state")) == [("raised", "raised")]


def test_item_raised_after_the_deadline_waits_for_the_next_meeting(forum, meeting, provider_member):
    with time_machine.travel(meeting.agenda_deadline + timedelta(minutes=1)):
        item = raise_item(provider_member, forum, meeting)
    assert item.meeting is None and item.state == State.RAISED


def test_item_raised_after_the_deadline_goes_to_the_next_meeting_still_taking_items(forum, meeting, provider_member):
    later = add_meeting(forum, 42)
    with time_machine.travel(meeting.agenda_deadline + timedelta(minutes=1)):
        item = raise_item(provider_member, forum, meeting)
    assert item.meeting == later


def test_item_raised_without_a_meeting_goes_to_the_next_one(forum, meeting, provider_member):
    assert raise_item(provider_member, forum, None).meeting == meeting


def test_lead_raises_an_item_with_no_organisation_and_never_anonymously(forum, meeting, council_officer):
    item = raise_item(council_officer, forum, meeting, anonymous=True)
    assert item.raised_by_organisation is None and not item.anonymous


def test_people_outside_the_forum_cannot_raise_items(forum, meeting, other_admin, council_admin):
    for outsider in (other_admin, council_admin):
        with pytest.raises(PermissionDenied):
            raise_item(outsider, forum, meeting)


def test_leads_hear_of_a_new_item(commit, forum, meeting, council_officer, provider_member):
    commit(raise_item, actor=provider_member, forum=forum, meeting=meeting)
    assert "Hospital discharge on Fridays" in emails_to(council_officer)[-1].subject


def test_raising_needs_a_title_description_and_kind(forum, meeting, provider_member):
    with pytest.raises(ValidationError) as error:
        agenda.item_raise(actor=provider_member, forum=forum, meeting=meeting, data={"title": ""})
    assert {"title", "description", "category"} <= set(error.value.message_dict)


# --- the leads' decisions --------------------------------------------------------------------------------------


def test_lead_accepts_an_item_onto_the_agenda_and_the_raiser_is_told(
    commit, forum, meeting, council_officer, provider_member
):
    item = raise_item(provider_member, forum, meeting)
    item = commit(agenda.item_accept, actor=council_officer, item=item)
    assert item.state == State.ON_AGENDA and item.position == 1
    assert item.events.last().action == "accepted" and item.events.last().actor == council_officer
    assert "On the agenda" in emails_to(provider_member)[-1].body


def test_only_leads_decide_on_items(forum, meeting, provider_admin, provider_member):
    item = raise_item(provider_member, forum, meeting)
    for decide in (
        lambda: agenda.item_accept(actor=provider_admin, item=item),
        lambda: agenda.item_decline(actor=provider_admin, item=item, reason="No"),
        lambda: agenda.item_defer(actor=provider_admin, item=item),
        lambda: agenda.agenda_publish(actor=provider_admin, meeting=meeting),
    ):
        with pytest.raises(PermissionDenied):
            decide()


def test_declining_needs_a_reason_which_the_raiser_sees(
    commit, client, forum, meeting, council_officer, provider_member
):
    item = raise_item(provider_member, forum, meeting)
    with pytest.raises(ValidationError) as error:
        agenda.item_decline(actor=council_officer, item=item, reason="  ")
    assert "reason" in error.value.message_dict
    item = commit(agenda.item_decline, actor=council_officer, item=item, reason="This is for the home care forum.")
    assert item.state == State.DECLINED
    assert "This is for the home care forum." in emails_to(provider_member)[-1].body
    client.force_login(provider_member)
    page = client.get(reverse("forums:item-detail", args=[forum.slug, item.pk])).content.decode()
    assert "This is for the home care forum." in page


def test_decline_page_shows_an_error_without_a_reason(client, forum, meeting, council_officer, provider_member):
    item = raise_item(provider_member, forum, meeting)
    client.force_login(council_officer)
    response = client.post(reverse("forums:item-decline", args=[forum.slug, item.pk]), {"reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(reverse("forums:item-decline", args=[forum.slug, item.pk]), {"reason": "Out of scope"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).decline_reason == "Out of scope"


def test_lead_merges_an_item_into_another(commit, forum, meeting, council_officer, provider_member, oak_member):
    first = raise_item(oak_member, forum, meeting, title="Discharge delays")
    second = raise_item(provider_member, forum, meeting)
    with pytest.raises(ValidationError):
        agenda.item_merge(actor=council_officer, item=second, into=second)
    second = commit(agenda.item_merge, actor=council_officer, item=second, into=first)
    assert second.state == State.MERGED and second.merged_into == first
    assert first.events.last().action == "merged_in" and first.events.last().note == ""
    # The raiser is told, without the other item's title: it may be one their organisation may not see.
    body = emails_to(provider_member)[-1].body
    assert "merged into another item" in body and "Discharge delays" not in body


def test_defer_moves_an_item_to_the_next_meeting(forum, meeting, council_officer, provider_member):
    later = add_meeting(forum, 42)
    item = raise_item(provider_member, forum, meeting)
    agenda.item_accept(actor=council_officer, item=item)
    item = agenda.item_defer(actor=council_officer, item=item)
    assert item.meeting == later and item.state == State.ON_AGENDA
    assert item.events.last().action == "deferred" and item.events.last().note == str(later)


def test_defer_without_a_next_meeting_leaves_the_item_waiting(forum, meeting, council_officer, provider_member):
    item = agenda.item_defer(actor=council_officer, item=raise_item(provider_member, forum, meeting))
    assert item.meeting is None
    with pytest.raises(ValidationError):
        agenda.item_defer(actor=council_officer, item=item)


def test_lead_reorders_the_agenda(forum, meeting, council_officer, provider_member):
    items = [raise_item(provider_member, forum, meeting, title=f"Item {n}") for n in range(3)]
    for item in items:
        agenda.item_accept(actor=council_officer, item=item)
    agenda.agenda_reorder(actor=council_officer, meeting=meeting, ordered_ids=[items[2].pk, items[0].pk, items[1].pk])
    order = lambda: [i.title for i in issue_log.agenda_for(user=council_officer, meeting=meeting)]  # noqa: E731
    assert order() == ["Item 2", "Item 0", "Item 1"]
    agenda.agenda_move(actor=council_officer, meeting=meeting, item_id=items[1].pk, offset=-1)
    assert order() == ["Item 2", "Item 1", "Item 0"]
    with pytest.raises(ValidationError):
        agenda.agenda_reorder(actor=council_officer, meeting=meeting, ordered_ids=[items[0].pk])


def test_up_and_down_buttons_work_without_javascript(client, forum, meeting, council_officer, provider_member):
    items = [raise_item(provider_member, forum, meeting, title=f"Item {n}") for n in range(2)]
    for item in items:
        agenda.item_accept(actor=council_officer, item=item)
    client.force_login(council_officer)
    url = reverse("forums:agenda-move", args=[forum.slug, meeting.pk])
    assert client.post(url, {"item": items[1].pk, "direction": "up"}).status_code == 302
    assert [i.pk for i in issue_log.agenda_for(user=council_officer, meeting=meeting)] == [items[1].pk, items[0].pk]


def test_publishing_the_agenda_emails_every_member_person_and_the_leads(
    commit, forum, meeting, council_officer, council_admin, provider_admin, provider_member, oak_member, other_admin
):
    item = raise_item(provider_member, forum, meeting)
    agenda.item_accept(actor=council_officer, item=item)
    mail.outbox.clear()
    meeting = commit(agenda.agenda_publish, actor=council_officer, meeting=meeting)
    assert meeting.agenda_published_at is not None
    assert all(len(m.to) == 1 for m in mail.outbox)
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {p.email for p in (council_officer, provider_admin, provider_member, oak_member)}
    assert other_admin.email not in recipients and council_admin.email not in recipients
    assert "Hospital discharge on Fridays" in emails_to(oak_member)[0].body
    assert item.events.last().action == "agenda_published"


def test_an_empty_agenda_is_not_published(forum, meeting, council_officer):
    with pytest.raises(ValidationError):
        agenda.agenda_publish(actor=council_officer, meeting=meeting)


# --- the record ------------------------------------------------------------------------------------------------


def test_outcome_is_recorded_at_or_after_the_meeting(forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with pytest.raises(ValidationError):
        agenda.item_record(actor=council_officer, item=item, notes="Talked", council_response="")
    with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
        with pytest.raises(ValidationError):
            agenda.item_record(actor=council_officer, item=item, notes="", council_response="")
        item = agenda.item_record(actor=council_officer, item=item, notes="Talked", council_response="")
    assert item.state == State.DISCUSSED and item.notes == "Talked"


def test_an_open_action_puts_the_item_in_action_in_progress(forum, meeting, council_officer, provider, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
        agenda.item_record(actor=council_officer, item=item, notes="Talked", council_response="")
        with pytest.raises(ValidationError) as error:
            agenda.action_save(actor=council_officer, item=item, data={"description": "Call the ward"})
        assert "owner_organisation" in error.value.message_dict
        action = agenda.action_save(
            actor=council_officer,
            item=item,
            data={"description": "Call the ward", "owner_organisation": provider, "due_date": timezone.localdate()},
        )
        item.refresh_from_db()
        assert action.status == Action.Status.OPEN and item.state == State.ACTION_IN_PROGRESS
        agenda.action_save(actor=council_officer, item=item, action=action, data={"status": Action.Status.DONE})
    assert Action.objects.get(pk=action.pk).status == Action.Status.DONE
    assert list(item.events.values_list("action", flat=True))[-2:] == ["action_added", "action_updated"]


def test_an_action_owner_must_belong_to_the_forum_or_the_council(
    forum, meeting, council_officer, provider_member, other_provider, other_admin
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
        for data in ({"owner_organisation": other_provider}, {"owner_person": other_admin}):
            with pytest.raises(ValidationError):
                agenda.action_save(actor=council_officer, item=item, data={"description": "Do it", **data})
        agenda.action_save(
            actor=council_officer, item=item, data={"description": "Do it", "owner_person": council_officer}
        )


def test_publishing_the_record_feeds_back_and_carries_over_the_rest(
    commit, forum, meeting, council_officer, provider_member, oak_member
):
    later = add_meeting(forum, 42)
    answered = raise_item(provider_member, forum, meeting, title="Answered")
    talked = raise_item(provider_member, forum, meeting, title="Talked about")
    untouched = raise_item(oak_member, forum, meeting, title="Not reached")
    for item in (answered, talked, untouched):
        agenda.item_accept(actor=council_officer, item=item)
    pending = raise_item(oak_member, forum, meeting, title="Never decided")
    agenda.agenda_publish(actor=council_officer, meeting=meeting)
    mail.outbox.clear()
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        agenda.item_record(
            actor=council_officer, item=answered, notes="Agreed", council_response="We will fund weekend pharmacy."
        )
        agenda.item_record(actor=council_officer, item=talked, notes="More to find out", council_response="")
        commit(agenda.record_publish, actor=council_officer, meeting=meeting)
        with pytest.raises(ValidationError):
            agenda.record_publish(actor=council_officer, meeting=meeting)
    states = {i.title: (i.state, i.meeting_id) for i in AgendaItem.objects.all()}
    assert states == {
        "Answered": (State.FED_BACK, meeting.pk),
        "Talked about": (State.DISCUSSED, later.pk),
        "Not reached": (State.ON_AGENDA, later.pk),
        "Never decided": (State.RAISED, later.pk),
    }
    assert AgendaItem.objects.get(pk=talked.pk).events.last().action == "carried_over"
    summary = emails_to(oak_member)[0]
    assert "You said, we did" in summary.subject
    assert "We will fund weekend pharmacy." in summary.body and "Not reached" in summary.body
    assert "Never decided" not in emails_to(provider_member)[0].body  # not on a published agenda: private
    assert pending.pk


def test_record_is_published_only_once_the_meeting_has_started(forum, meeting, council_officer, provider_member):
    on_published_agenda(council_officer, forum, meeting, provider_member)
    with pytest.raises(ValidationError):
        agenda.record_publish(actor=council_officer, meeting=meeting)


def test_without_a_next_meeting_items_wait_and_join_the_next_one_created(
    forum, meeting, council_officer, provider_member
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        agenda.record_publish(actor=council_officer, meeting=meeting)
        waiting_raised = raise_item(provider_member, forum, None, title="Raised while no meeting")
    assert waiting_raised.meeting is None
    item.refresh_from_db()
    assert item.meeting is None and item.state == State.ON_AGENDA
    later = add_meeting(forum, 60)
    assert agenda.attach_waiting_items(meeting=later) == 2
    assert set(later.items.values_list("pk", flat=True)) == {item.pk, waiting_raised.pk}
    assert item.events.filter(action="attached", note=str(later)).exists()
    assert agenda.attach_waiting_items(meeting=later) == 0


def test_waiting_items_are_not_attached_to_past_or_cancelled_meetings(forum, provider_member):
    raise_item(provider_member, forum, None)
    past = add_meeting(forum, -10)
    cancelled = add_meeting(forum, 20, cancelled_at=timezone.now())
    assert agenda.attach_waiting_items(meeting=past) == 0
    assert agenda.attach_waiting_items(meeting=cancelled) == 0


def test_lead_closes_an_item_that_has_been_dealt_with(forum, meeting, council_officer, provider_member):
    item = raise_item(provider_member, forum, meeting)
    with pytest.raises(ValidationError):
        agenda.item_close(actor=council_officer, item=item)
    item = on_published_agenda(council_officer, forum, add_meeting(forum, 20), provider_member)
    with time_machine.travel(item.meeting.starts_at + timedelta(hours=1)):
        item = agenda.item_record(actor=council_officer, item=item, notes="Sorted", council_response="Done")
    assert agenda.item_close(actor=council_officer, item=item).state == State.CLOSED


def test_timeline_records_who_did_what(forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        agenda.item_record(actor=council_officer, item=item, notes="n", council_response="r")
        agenda.record_publish(actor=council_officer, meeting=meeting)
    events = list(ItemEvent.objects.filter(item=item).values_list("action", "from_state", "to_state", "actor"))
    assert events == [
        ("raised", "", "raised", provider_member.pk),
        ("accepted", "raised", "on_agenda", council_officer.pk),
        ("agenda_published", "on_agenda", "on_agenda", council_officer.pk),
        ("recorded", "on_agenda", "discussed", council_officer.pk),
        ("fed_back", "discussed", "fed_back", council_officer.pk),
    ]


# --- comments --------------------------------------------------------------------------------------------------


def test_comments_open_once_the_item_is_on_a_published_agenda(
    forum, meeting, council_officer, provider_member, oak_member, other_admin
):
    item = raise_item(provider_member, forum, meeting)
    with pytest.raises(ValidationError):
        agenda.comment_add(actor=provider_member, item=item, body="Any news?")
    agenda.item_accept(actor=council_officer, item=item)
    with pytest.raises(ValidationError):
        agenda.comment_add(actor=provider_member, item=AgendaItem.objects.get(pk=item.pk), body="Any news?")
    agenda.agenda_publish(actor=council_officer, meeting=meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    assert agenda.comment_add(actor=oak_member, item=item, body="Same for us").author == oak_member
    assert agenda.comment_add(actor=council_officer, item=item, body="Noted").author == council_officer
    with pytest.raises(PermissionDenied):
        agenda.comment_add(actor=other_admin, item=item, body="Hello")


def test_comment_form_shows_errors_and_adds_comments(client, forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    client.force_login(provider_member)
    url = reverse("forums:item-comment", args=[forum.slug, item.pk])
    response = client.post(url, {"body": ""})
    assert response.status_code == 200 and "Enter your comment" in response.content.decode()
    assert client.post(url, {"body": "Thank you"}).status_code == 302
    assert item.comments.get().body == "Thank you"


# --- anonymity and confidentiality -----------------------------------------------------------------------------


def test_anonymous_raiser_is_hidden_from_other_providers_but_not_from_leads_or_their_own_organisation(
    client, forum, meeting, council_officer, provider_admin, provider_member, oak_member
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member, anonymous=True)
    url = reverse("forums:item-detail", args=[forum.slug, item.pk])
    client.force_login(oak_member)
    page = client.get(url).content.decode()
    assert "A provider" in page and "Willow Care Home" not in page and "Daniel Price" not in page
    for insider in (council_officer, provider_admin):
        client.force_login(insider)
        page = client.get(url).content.decode()
        assert "Daniel Price, Willow Care Home" in page
    assert agenda_permissions.can_see_raiser(oak_member, item) is False


def test_anonymous_raiser_is_hidden_in_the_issue_log_and_its_csv(
    client, forum, meeting, council_officer, provider_member, oak_member
):
    on_published_agenda(council_officer, forum, meeting, provider_member, anonymous=True)
    client.force_login(oak_member)
    page = client.get(reverse("forums:issue-log", args=[forum.slug])).content.decode()
    table = page[page.index("<table") : page.index("</table>")]  # the filter lists member organisations
    assert "Willow Care Home" not in table and "A provider" in table
    body = b"".join(client.get(reverse("forums:issue-log-csv", args=[forum.slug])).streaming_content).decode()
    assert "Willow Care Home" not in body and "Daniel Price" not in body and "A provider" in body
    client.force_login(council_officer)
    body = b"".join(client.get(reverse("forums:issue-log-csv", args=[forum.slug])).streaming_content).decode()
    assert "Willow Care Home" in body and "Daniel Price" in body


def test_anonymous_raiser_is_hidden_in_emails_to_other_providers(
    commit, forum, meeting, council_officer, provider_admin, provider_member, oak_member
):
    item = raise_item(provider_member, forum, meeting, anonymous=True)
    agenda.item_accept(actor=council_officer, item=item)
    commit(agenda.agenda_publish, actor=council_officer, meeting=meeting)
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        agenda.item_record(actor=council_officer, item=item, notes="n", council_response="We did it")
        commit(agenda.record_publish, actor=council_officer, meeting=meeting)
    for message in emails_to(oak_member):
        assert "Willow Care Home" not in message.body and "Daniel Price" not in message.body
        assert "A provider" in message.body
    for insider in (council_officer, provider_admin):
        assert all("Willow Care Home" in m.body for m in emails_to(insider) if "genda" in m.subject)


def test_other_providers_do_not_see_items_before_they_are_on_a_published_agenda(
    client, forum, meeting, council_officer, provider_member, provider_admin, oak_member
):
    item = raise_item(provider_member, forum, meeting)
    url = reverse("forums:item-detail", args=[forum.slug, item.pk])
    client.force_login(oak_member)
    assert client.get(url).status_code == 404
    assert not issue_log.issue_log_for(user=oak_member, forum=forum).exists()
    assert list(issue_log.agenda_for(user=oak_member, meeting=meeting)) == []
    assert list(issue_log.agenda_for(user=provider_admin, meeting=meeting)) == [item]
    agenda.item_accept(actor=council_officer, item=item)
    assert client.get(url).status_code == 404
    agenda.agenda_publish(actor=council_officer, meeting=meeting)
    assert client.get(url).status_code == 200
    assert list(issue_log.agenda_for(user=fresh(oak_member), meeting=meeting)) == [item]


def test_agenda_for_leads_shows_every_item_accepted_first(forum, meeting, council_officer, provider_member):
    pending = raise_item(provider_member, forum, meeting, title="Pending")
    accepted = agenda.item_accept(actor=council_officer, item=raise_item(provider_member, forum, meeting))
    assert list(issue_log.agenda_for(user=council_officer, meeting=meeting)) == [accepted, pending]


def test_forum_home_shows_the_latest_ten_open_items_the_person_may_see(
    forum, meeting, council_officer, provider_member, oak_member
):
    for n in range(12):
        raise_item(provider_member, forum, meeting, title=f"Item {n}")
    closed = raise_item(provider_member, forum, meeting, title="Declined one")
    agenda.item_decline(actor=council_officer, item=closed, reason="No")
    items = list(issue_log.forum_home_items(user=provider_member, forum=forum))
    assert len(items) == 10 and items[0].title == "Item 11"
    assert list(issue_log.forum_home_items(user=oak_member, forum=forum)) == []


@pytest.mark.parametrize("role", ["other_admin", "council_admin", "training_admin", "partner_member"])
def test_to_people_outside_the_forum_its_agenda_pages_do_not_exist(
    request, client, forum, meeting, council_officer, provider_member, role
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    paper = agenda.paper_add(actor=council_officer, meeting=meeting, title="Minutes", upload=pdf())
    client.force_login(request.getfixturevalue(role))
    for name, args in [
        ("forums:item-raise", [forum.slug]),
        ("forums:item-detail", [forum.slug, item.pk]),
        ("forums:issue-log", [forum.slug]),
        ("forums:issue-log-csv", [forum.slug]),
        ("forums:agenda-manage", [forum.slug, meeting.pk]),
        ("forums:record-manage", [forum.slug, meeting.pk]),
        ("forums:paper-download", [forum.slug, meeting.pk, paper.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


# --- papers ----------------------------------------------------------------------------------------------------


def pdf(name="minutes.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "application/pdf")


def office(name, folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt(name="notes.odt", mimetype=b"application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (lambda: pdf(), "application/pdf"),
        (
            lambda: office("report.docx", "word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (lambda: office("figures.xlsx", "xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            lambda: office("slides.pptx", "ppt/"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (lambda: odt(), "application/vnd.oasis.opendocument.text"),
        (lambda: SimpleUploadedFile("rates.csv", "Home,£19.50\n".encode()), "text/csv"),
        (lambda: SimpleUploadedFile("notes.TXT", "Café notes\r\n".encode("cp1252")), "text/plain"),
    ],
)
def test_lead_adds_papers_of_the_allowed_types(forum, meeting, council_officer, upload, content_type):
    paper = agenda.paper_add(actor=council_officer, meeting=meeting, title="A paper", upload=upload())
    assert paper.content_type == content_type
    assert paper.file.name.startswith(f"forums/{forum.pk}/meetings/{meeting.pk}/")
    assert paper.file.storage.exists(paper.file.name)


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
        lambda: SimpleUploadedFile("page.html", b"<html></html>"),
        lambda: SimpleUploadedFile("fake.pdf", b"<html><script>alert(1)</script></html>"),
        lambda: SimpleUploadedFile("fake.docx", b"%PDF-1.7\n"),
        lambda: office("wrong.docx", "xl/"),
        lambda: odt("sheet.odt", b"application/vnd.oasis.opendocument.spreadsheet"),
        lambda: SimpleUploadedFile("binary.txt", b"\x00\x01\x02\x03ELF"),
        lambda: SimpleUploadedFile("empty.txt", b""),
    ],
)
def test_papers_of_other_types_or_disguised_content_are_refused(meeting, council_officer, upload):
    with pytest.raises(ValidationError) as error:
        agenda.paper_add(actor=council_officer, meeting=meeting, title="Bad", upload=upload())
    assert "upload" in error.value.message_dict
    assert not Paper.objects.exists()


def test_papers_over_20_mb_are_refused(meeting, council_officer):
    big = SimpleUploadedFile("big.txt", b"a" * (20 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        agenda.paper_add(actor=council_officer, meeting=meeting, title="Big", upload=big)
    assert "20 MB" in error.value.message_dict["upload"][0]
    exactly = SimpleUploadedFile("ok.txt", b"a" * (20 * 1024 * 1024))
    assert agenda.paper_add(actor=council_officer, meeting=meeting, title="Fits", upload=exactly).size == 20 * 1024**2


def test_only_leads_add_papers(meeting, provider_admin):
    with pytest.raises(PermissionDenied):
        agenda.paper_add(actor=provider_admin, meeting=meeting, title="Mine", upload=pdf())


def test_paper_upload_page_shows_the_type_error(client, forum, meeting, council_officer):
    client.force_login(council_officer)
    url = reverse("forums:paper-add", args=[forum.slug, meeting.pk])
    response = client.post(url, {"title": "Bad", "upload": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert response.status_code == 200 and "is not a PDF" in response.content.decode()
    assert client.post(url, {"title": "Minutes", "upload": pdf()}).status_code == 302
    assert meeting.papers.get().title == "Minutes"


def test_papers_are_downloaded_only_by_members_and_leads_as_attachments(
    client, forum, meeting, council_officer, provider_member, oak_member, other_admin, council_admin
):
    paper = agenda.paper_add(actor=council_officer, meeting=meeting, title="Minutes", upload=pdf("Minutes v2.pdf"))
    url = reverse("forums:paper-download", args=[forum.slug, meeting.pk, paper.pk])
    for person in (provider_member, oak_member, council_officer):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert (
            response["Content-Disposition"].startswith("attachment;")
            and "Minutes_v2.pdf" in response["Content-Disposition"]
        )
        assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for outsider in (other_admin, council_admin):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# --- pages -----------------------------------------------------------------------------------------------------


def test_raise_page_raises_an_item_for_the_meeting(client, forum, meeting, provider_member):
    client.force_login(provider_member)
    url = reverse("forums:item-raise", args=[forum.slug]) + f"?meeting={meeting.pk}"
    response = client.post(url, {"title": "", "description": "", "category": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(url, {**ITEM, "anonymous": "on"})
    item = AgendaItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/items/{item.pk}/")
    assert item.anonymous and item.meeting == meeting


def test_raise_page_for_a_meeting_of_another_forum_does_not_exist(client, forum, provider_member):
    other = add_meeting(forum.__class__.objects.get(slug="home-care"), 14)
    client.force_login(provider_member)
    assert client.get(reverse("forums:item-raise", args=[forum.slug]) + f"?meeting={other.pk}").status_code == 404


def test_lead_pages_show_the_agenda_and_record(client, forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    client.force_login(council_officer)
    page = client.get(reverse("forums:agenda-manage", args=[forum.slug, meeting.pk])).content.decode()
    assert item.title in page and "Publish the agenda again" in page
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        client.force_login(council_officer)  # sessions time out after 30 minutes idle
        url = reverse("forums:record-item", args=[forum.slug, meeting.pk, item.pk])
        response = client.post(url, {"notes": "Heard", "council_response": "We will fix it"})
        assert response.status_code == 302
        page = client.get(reverse("forums:record-manage", args=[forum.slug, meeting.pk])).content.decode()
        assert "We will fix it" in page and "Publish the record" in page
        publish = reverse("forums:record-publish", args=[forum.slug, meeting.pk])
        # Publishing goes through a check page: a POST without it only leads there.
        assert client.post(publish).url == publish
        assert AgendaItem.objects.get(pk=item.pk).state == State.DISCUSSED
        check = client.get(publish).content.decode()
        assert "Check the record before you publish it" in check and "We will fix it" in check
        assert "1 item will be fed back" in check
        assert client.post(publish, {"checked": "yes"}).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).state == State.FED_BACK


def test_publishing_the_agenda_shows_the_email_first(
    client, forum, meeting, council_officer, provider_member, oak_member
):
    item = raise_item(provider_member, forum, meeting, anonymous=True)
    agenda.item_accept(actor=council_officer, item=item)
    client.force_login(council_officer)
    url = reverse("forums:agenda-publish", args=[forum.slug, meeting.pk])
    mail.outbox.clear()
    check = client.get(url)
    page = check.content.decode()
    assert "Check the agenda before you publish it" in page and item.title in page
    # One person in each of the two member organisations, and the lead.
    assert "3 people" in page and "A provider" in page and "Willow Care Home" not in page
    assert mail.outbox == [] and Meeting.objects.get(pk=meeting.pk).agenda_published_at is None
    seen = check.context["preview"]["seen"]
    response = client.post(url, {"seen": seen})
    assert response.status_code == 302 and Meeting.objects.get(pk=meeting.pk).agenda_published_at is not None
    again = client.post(url, {"seen": seen})  # the same form sent twice publishes once
    assert again.status_code == 302
    assert ItemEvent.objects.filter(item=item, action="agenda_published").count() == 1


def test_lead_adds_an_action_from_its_page(client, forum, meeting, council_officer, provider, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    url = reverse("forums:action-add", args=[forum.slug, item.pk])
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        client.force_login(council_officer)
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "description": "Audit",
                "owner_organisation": provider.pk,
                "due_date_0": "31",
                "due_date_1": "3",
                "due_date_2": "2030",
                "status": "open",
            },
        )
    assert response.status_code == 302
    action = item.actions.get()
    assert str(action.due_date) == "2030-03-31" and AgendaItem.objects.get(pk=item.pk).state == State.ACTION_IN_PROGRESS


def test_a_new_meeting_takes_the_items_waiting_for_one(forum, provider_member, council_officer):
    from datetime import timedelta

    from django.utils import timezone

    from carenetwork.forums import agenda, bookings

    item = agenda.item_raise(
        actor=provider_member,
        forum=forum,
        meeting=None,
        data={"title": "Parking", "description": "No parking for visitors.", "category": "issue"},
    )
    assert item.meeting is None
    start = timezone.now() + timedelta(days=30)
    meeting = bookings.meeting_save(
        actor=council_officer,
        forum=forum,
        meeting=None,
        data={
            "title": "Spring",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "venue": "Town Hall",
            "capacity": 20,
            "per_organisation_limit": 2,
            "booking_deadline": start - timedelta(days=1),
            "agenda_deadline": start - timedelta(days=7),
        },
    )
    item.refresh_from_db()
    assert item.meeting == meeting


def test_a_hidden_raisers_comments_do_not_give_them_away(
    forum, meeting, provider_member, council_officer, other_provider
):
    from carenetwork.forums import agenda, issue_log
    from carenetwork.forums import permissions as forum_permissions
    from carenetwork.forums import services as forum_services
    from carenetwork.organisations.models import Role
    from tests.factories import person_in

    forum_services.forum_membership_add(actor=council_officer, forum=forum, organisation=other_provider)
    other_member = person_in(other_provider, Role.MEMBER)
    item = agenda.item_raise(
        actor=provider_member,
        forum=forum,
        meeting=meeting,
        data={"title": "Quiet problem", "description": "Something sensitive.", "category": "issue", "anonymous": True},
    )
    agenda.item_accept(actor=council_officer, item=item)
    agenda.agenda_publish(actor=council_officer, meeting=meeting)
    item.refresh_from_db()
    agenda.comment_add(actor=provider_member, item=item, body="Any news?")
    forum_permissions.forget(other_member)
    page = issue_log.item_page_for(user=other_member, item=item)
    assert [str(c.who) for c in page["comments"]] == ["A provider"]
    lead_page = issue_log.item_page_for(user=council_officer, item=item)
    assert [c.who for c in lead_page["comments"]] == [provider_member]


def test_a_colleagues_comments_and_steps_do_not_give_an_anonymous_raiser_away(
    forum, meeting, provider, provider_member, provider_admin, council_officer, oak_member
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member, anonymous=True)
    agenda.comment_add(actor=provider_admin, item=item, body="We see this too.")
    agenda.comment_add(actor=oak_member, item=item, body="So do we.")
    agenda.comment_add(actor=council_officer, item=item, body="We are looking into it.")
    ItemEvent.objects.create(item=item, actor=provider_admin, action="recorded", to_state=item.state)
    page = issue_log.item_page_for(user=fresh(oak_member), item=item)
    assert [str(c.who) for c in page["comments"]] == ["A provider", str(oak_member), str(council_officer)]
    assert "Grace Adeyemi" not in {str(e.who) for e in page["events"]}
    assert "A provider" in {str(e.who) for e in page["events"]}
    own = issue_log.item_page_for(user=fresh(provider_admin), item=item)
    assert [str(c.who) for c in own["comments"]][0] == "Grace Adeyemi"


@pytest.mark.parametrize("response_first", [True, False])
def test_an_item_with_an_open_action_stays_open_and_carries_over_whatever_the_order(
    commit, forum, meeting, council_officer, provider, provider_member, response_first
):
    later = add_meeting(forum, 42)
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    respond = {"notes": "Agreed", "council_response": "We will write to the wards."}
    act = {"description": "Write to the wards", "owner_organisation": provider, "status": Action.Status.IN_PROGRESS}
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        if response_first:
            agenda.item_record(actor=council_officer, item=item, **respond)
            agenda.action_save(actor=council_officer, item=item, data=act)
        else:
            agenda.action_save(actor=council_officer, item=item, data=act)
            agenda.item_record(actor=council_officer, item=item, **respond)
        commit(agenda.record_publish, actor=council_officer, meeting=meeting)
    item.refresh_from_db()
    assert (item.state, item.meeting_id, item.is_open) == (State.ACTION_IN_PROGRESS, later.pk, True)
    assert item.events.last().action == "carried_over"


def test_an_item_whose_actions_are_done_is_fed_back(commit, forum, meeting, council_officer, provider, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    with time_machine.travel(meeting.starts_at + timedelta(hours=3)):
        action = agenda.action_save(
            actor=council_officer, item=item, data={"description": "Call", "owner_organisation": provider}
        )
        agenda.item_record(actor=council_officer, item=item, notes="", council_response="We called.")
        agenda.action_save(actor=council_officer, item=item, action=action, data={"status": Action.Status.DONE})
        item.refresh_from_db()
        assert item.state == State.DISCUSSED
        commit(agenda.record_publish, actor=council_officer, meeting=meeting)
    item.refresh_from_db()
    assert (item.state, item.meeting_id) == (State.FED_BACK, meeting.pk)


def test_the_action_due_date_is_a_date_input_with_plain_errors(
    client, forum, meeting, council_officer, provider, provider_member
):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    url = reverse("forums:action-add", args=[forum.slug, item.pk])
    data = {"description": "Audit", "owner_organisation": provider.pk, "status": "open"}
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        client.force_login(council_officer)
        page = client.get(url).content.decode()
        assert 'name="due_date_0"' in page and 'name="due_date_2"' in page
        response = client.post(url, {**data, "due_date_0": "31", "due_date_1": "2", "due_date_2": "2030"})
        assert "Enter a real due date, for example 27 3 2027" in response.content.decode()
        assert client.post(url, {**data, "due_date_0": "", "due_date_1": "", "due_date_2": ""}).status_code == 302
    assert item.actions.get().due_date is None


def test_the_same_item_sent_twice_is_stored_once(forum, meeting, provider_member):
    first = raise_item(provider_member, forum, meeting)
    assert raise_item(provider_member, forum, meeting) == first
    assert raise_item(provider_member, forum, meeting, title="Another") != first
    assert forum.items.count() == 2


def test_the_same_comment_sent_twice_is_stored_once(forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    first = agenda.comment_add(actor=provider_member, item=item, body="Any news?")
    assert agenda.comment_add(actor=provider_member, item=item, body="Any news?") == first
    assert item.comments.count() == 1


def test_publishing_the_agenda_again_from_the_same_check_page_sends_nothing_twice(
    commit, forum, meeting, council_officer, provider_member, oak_member
):
    item = raise_item(provider_member, forum, meeting)
    agenda.item_accept(actor=council_officer, item=item)
    seen = agenda.agenda_publish_token(meeting)
    commit(agenda.agenda_publish, actor=council_officer, meeting=meeting, seen=seen)
    assert len(emails_to(oak_member)) == 1
    commit(agenda.agenda_publish, actor=council_officer, meeting=meeting, seen=seen)
    assert len(emails_to(oak_member)) == 1
    # Publishing again on purpose (after checking the agenda again) is still possible.
    commit(agenda.agenda_publish, actor=council_officer, meeting=meeting, seen=agenda.agenda_publish_token(meeting))
    assert len(emails_to(oak_member)) == 2


def test_an_agenda_changed_since_it_was_checked_is_not_published(forum, meeting, council_officer, provider_member):
    item = raise_item(provider_member, forum, meeting)
    agenda.item_accept(actor=council_officer, item=item)
    seen = agenda.agenda_publish_token(meeting)
    agenda.item_accept(actor=council_officer, item=raise_item(provider_member, forum, meeting, title="Late"))
    with pytest.raises(ValidationError, match="changed since you checked it"):
        agenda.agenda_publish(actor=council_officer, meeting=meeting, seen=seen)
    assert Meeting.objects.get(pk=meeting.pk).agenda_published_at is None


def test_recording_before_the_meeting_says_so_before_the_form(client, forum, meeting, council_officer, provider_member):
    item = on_published_agenda(council_officer, forum, meeting, provider_member)
    client.force_login(council_officer)
    for url in (
        reverse("forums:record-item", args=[forum.slug, meeting.pk, item.pk]),
        reverse("forums:action-add", args=[forum.slug, item.pk]),
    ):
        page = client.get(url).content.decode()
        assert "The meeting has not started yet" in page and "<textarea" not in page
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5)):
        client.force_login(council_officer)
        page = client.get(reverse("forums:record-item", args=[forum.slug, meeting.pk, item.pk])).content.decode()
        assert "<textarea" in page
