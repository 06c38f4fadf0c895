"""The consortium finder: signed-in suppliers and council staff read an opportunity's posts; a supplier organisation
has one post per open opportunity (lots of that opportunity only), changes or withdraws it; another supplier sends
its organisation a message, emailed to that organisation with a reply-to of the sender organisation's shared mailbox
and never the sender's own address; nobody messages their own organisation's post; council staff do not post."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Role
from carenetwork.procurement import consortium
from carenetwork.procurement.models import ConsortiumMessage, ConsortiumPost, Opportunity
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, person_in
from tests.procurement.factories import opportunity_for

pytestmark = pytest.mark.django_db

OFFERS = "Home care in Northbrook: 400 hours a week, night visits."
SEEKS = "A partner covering Ashby Fen for lot 2."


def finder_url(opportunity) -> str:
    return reverse("procurement:consortium", args=[opportunity.pk])


def post_url(opportunity) -> str:
    return reverse("procurement:consortium-post", args=[opportunity.pk])


def contact_url(post) -> str:
    return reverse("procurement:consortium-contact", args=[post.pk])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def post_by(opportunity, organisation, *, lots=(), **fields) -> ConsortiumPost:
    post = ConsortiumPost.objects.create(
        opportunity=opportunity,
        organisation=organisation,
        offers=fields.pop("offers", OFFERS),
        seeks=fields.pop("seeks", SEEKS),
        area=fields.pop("area", "Northbrook"),
        **fields,
    )
    post.lots.set(lots)
    return post


@pytest.fixture
def opportunity(council):
    return opportunity_for()


@pytest.fixture
def provider_post(opportunity, provider):
    return post_by(opportunity, provider, lots=[opportunity.lots.get(number=2)])


# Reading ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["other_admin", "training_admin", "partner_member", "council_officer", "council_admin"]
)
def test_signed_in_suppliers_and_council_staff_read_the_posts(request, client_for, opportunity, provider_post, role):
    html = page(client_for(request.getfixturevalue(role)), finder_url(opportunity))
    for shown in ("Willow Care Home", OFFERS, SEEKS, "Lot 2: Area 2", "Northbrook"):
        assert shown in html
    council = role.startswith("council")
    assert (contact_url(provider_post) in html) is not council
    assert (post_url(opportunity) in html) is not council


def test_signed_out_visitors_and_people_in_no_organisation_may_not_read_the_posts(client_for, opportunity):
    response = client_for(None).get(finder_url(opportunity))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client_for(UserFactory()).get(finder_url(opportunity)).status_code == 403


def test_a_draft_has_no_finder_but_for_council_staff(client_for, council, provider_admin, council_officer):
    draft = opportunity_for(status=Opportunity.Status.DRAFT)
    assert client_for(provider_admin).get(finder_url(draft)).status_code == 404
    assert client_for(provider_admin).get(post_url(draft)).status_code == 404
    assert client_for(council_officer).get(finder_url(draft)).status_code == 200


def test_withdrawn_posts_and_posts_of_other_opportunities_are_not_shown(client_for, opportunity, other_provider, admin):
    post_by(opportunity, other_provider, offers="We withdrew this.", is_active=False)
    post_by(opportunity_for(title="Another"), other_provider, offers="On another opportunity.")
    html = page(client_for(admin), finder_url(opportunity))
    assert "We withdrew this." not in html and "On another opportunity." not in html
    assert "No organisation has posted yet." in html


@pytest.fixture
def admin(partner_member):
    """Someone taking part who is neither the provider nor the other provider."""
    return partner_member


# Posting ---------------------------------------------------------------------------------------------------------


def test_a_supplier_posts_its_offer_with_lots_of_the_opportunity_and_changes_it(
    client_for, opportunity, provider, provider_member
):
    client = client_for(provider_member)
    html = page(client, post_url(opportunity))
    assert "Lot 1: Area 1" in html and "Lot 3: Area 3" in html and 'type="checkbox"' in html
    lots = list(opportunity.lots.order_by("number"))
    response = client.post(
        post_url(opportunity), {"offers": OFFERS, "seeks": SEEKS, "lots": [lots[0].pk, lots[2].pk], "area": "North"}
    )
    assert response.status_code == 302 and response["Location"] == finder_url(opportunity)
    post = ConsortiumPost.objects.get()
    assert (post.organisation, post.posted_by, post.is_active) == (provider, provider_member, True)
    assert set(post.lots.all()) == {lots[0], lots[2]}
    assert AuditEvent.objects.get(action="consortium_post.created").organisation == provider
    # Posting again changes the one post.
    client.post(post_url(opportunity), {"offers": "Now day care too.", "seeks": SEEKS, "lots": [lots[1].pk]})
    post = ConsortiumPost.objects.get()
    assert post.offers == "Now day care too." and list(post.lots.all()) == [lots[1]]
    changed = AuditEvent.objects.get(action="consortium_post.updated")
    assert changed.changes["offers"] == [OFFERS, "Now day care too."]
    assert changed.changes["lots"] == [sorted([str(lots[0].pk), str(lots[2].pk)]), [str(lots[1].pk)]]
    html = page(client, finder_url(opportunity))
    assert "Now day care too." in html and "Your organisation" in html


def test_a_lot_of_another_opportunity_is_refused(client_for, opportunity, provider, provider_admin):
    other_lot = opportunity_for(title="Day care").lots.first()
    response = client_for(provider_admin).post(
        post_url(opportunity), {"offers": OFFERS, "seeks": SEEKS, "lots": [other_lot.pk]}
    )
    html = response.content.decode()
    assert (
        response.status_code == 200 and "There is a problem" in html and "Choose only lots of this opportunity" in html
    )
    assert not ConsortiumPost.objects.exists()
    with pytest.raises(ValidationError):
        consortium.post_save(
            actor=provider_admin,
            opportunity=opportunity,
            organisation=provider,
            data={"offers": OFFERS, "seeks": SEEKS, "lots": [other_lot]},
        )
    assert not ConsortiumPost.objects.exists()


def test_a_post_needs_what_is_offered_and_sought(client_for, opportunity, provider_admin):
    response = client_for(provider_admin).post(post_url(opportunity), {"offers": " ", "seeks": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter what your organisation offers" in html and "Enter the partner you are looking for" in html
    assert not ConsortiumPost.objects.exists()


def test_a_post_is_withdrawn_and_put_back_by_posting_again(
    client_for, opportunity, provider_post, provider_admin, admin
):
    client = client_for(provider_admin)
    assert "Withdraw the post" in page(client, post_url(opportunity))
    response = client.post(post_url(opportunity), {"withdraw": "1"})
    assert response.status_code == 302
    provider_post.refresh_from_db()
    assert provider_post.is_active is False
    assert AuditEvent.objects.filter(action="consortium_post.withdrawn", object_id=str(provider_post.pk)).exists()
    assert OFFERS not in page(client_for(admin), finder_url(opportunity))
    assert client_for(admin).get(contact_url(provider_post)).status_code == 404
    client_for(provider_admin).post(post_url(opportunity), {"offers": OFFERS, "seeks": SEEKS})
    provider_post.refresh_from_db()
    assert provider_post.is_active is True and ConsortiumPost.objects.count() == 1


@pytest.mark.parametrize("status", ["closed", "awarded", "cancelled"])
def test_an_opportunity_that_is_not_open_takes_no_posts(client_for, council, provider, provider_admin, status):
    opportunity = opportunity_for(status=status)
    html = page(client_for(provider_admin), post_url(opportunity))
    assert "the consortium finder is closed" in html and 'name="offers"' not in html
    client_for(provider_admin).post(post_url(opportunity), {"offers": OFFERS, "seeks": SEEKS})
    with pytest.raises(ValidationError):
        consortium.post_save(
            actor=provider_admin,
            opportunity=opportunity,
            organisation=provider,
            data={"offers": OFFERS, "seeks": SEEKS},
        )
    assert not ConsortiumPost.objects.exists()


@pytest.mark.parametrize("role", ["council_officer", "council_admin"])
def test_council_staff_do_not_post(request, client_for, opportunity, provider, role):
    person = request.getfixturevalue(role)
    assert client_for(person).get(post_url(opportunity)).status_code == 403
    assert client_for(person).post(post_url(opportunity), {"offers": OFFERS, "seeks": SEEKS}).status_code == 403
    with pytest.raises(PermissionDenied):
        consortium.post_save(
            actor=person, opportunity=opportunity, organisation=provider, data={"offers": OFFERS, "seeks": SEEKS}
        )


def test_nobody_posts_for_an_organisation_they_are_not_in(client_for, opportunity, provider, other_admin):
    with pytest.raises(PermissionDenied):
        consortium.post_save(
            actor=other_admin, opportunity=opportunity, organisation=provider, data={"offers": OFFERS, "seeks": SEEKS}
        )
    assert client_for(other_admin).get(post_url(opportunity) + f"?organisation={provider.pk}").status_code == 404
    assert client_for(other_admin).get(post_url(opportunity) + "?organisation=abc").status_code == 404


def test_someone_in_two_organisations_posts_for_the_one_they_choose(
    client_for, opportunity, provider, other_provider, provider_admin
):
    MembershipFactory(user=provider_admin, organisation=other_provider, role=Role.ADMIN)
    # The first by name (Heron Home Care) unless asked for the other.
    html = page(client_for(provider_admin), post_url(opportunity))
    assert f"For {other_provider.name}." in html and f"Post for {provider.name} instead" in html
    client_for(provider_admin).post(
        post_url(opportunity) + f"?organisation={provider.pk}", {"offers": OFFERS, "seeks": SEEKS}
    )
    assert ConsortiumPost.objects.get().organisation == provider


# Messages --------------------------------------------------------------------------------------------------------


def test_another_supplier_messages_the_posts_organisation_without_its_own_email(
    client_for,
    opportunity,
    provider_post,
    provider,
    provider_admin,
    provider_member,
    other_provider,
    other_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    html = page(client_for(other_admin), contact_url(provider_post))
    assert "Send a message to Willow Care Home" in html and other_provider.contact_email in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(other_admin).post(contact_url(provider_post), {"text": "Shall we bid for lot 2?"})
    assert response.status_code == 302 and response["Location"] == finder_url(opportunity)
    message = ConsortiumMessage.objects.get()
    assert (message.post, message.organisation, message.sent_by) == (provider_post, other_provider, other_admin)
    event = AuditEvent.objects.get(action="consortium_message.sent")
    assert event.organisation == other_provider and other_admin.full_name not in event.object_repr
    [email] = mailoutbox
    # To the post's organisation: its admins and shared mailbox (its own people), not its members.
    assert sorted(email.to) == sorted([provider_admin.email, provider.contact_email])
    assert provider_member.email not in email.to
    assert email.reply_to == [other_provider.contact_email]
    assert other_provider.name in email.subject and "Shall we bid for lot 2?" in email.body
    assert reverse("organisations:detail", args=[other_provider.pk]) in email.body
    for secret in (other_admin.email, other_admin.full_name):
        assert secret not in email.body and secret not in email.subject and secret not in email.to
        assert secret not in email.reply_to and secret not in str(email.message())
    # The post's organisation reads it on the finder too; a third organisation does not.
    assert "Shall we bid for lot 2?" in page(client_for(provider_member), finder_url(opportunity))


def test_a_sender_with_no_shared_mailbox_is_replied_to_through_the_portal(
    client_for, opportunity, provider_post, other_provider, other_admin, mailoutbox, django_capture_on_commit_callbacks
):
    other_provider.contact_email = ""
    other_provider.save()
    own_post = post_by(opportunity, other_provider)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(other_admin).post(contact_url(provider_post), {"text": "Shall we talk?"})
    [email] = mailoutbox
    assert email.reply_to == []
    assert "reply through the portal" in email.body.lower() and contact_url(own_post) in email.body
    assert reverse("organisations:detail", args=[other_provider.pk]) in email.body
    assert other_admin.email not in str(email.message())


def test_a_sender_they_could_not_reply_to_is_asked_for_a_mailbox_first(
    client_for, opportunity, provider_post, other_provider, other_admin, mailoutbox
):
    other_provider.contact_email = ""
    other_provider.save()
    page_text = client_for(other_admin).post(contact_url(provider_post), {"text": "Shall we talk?"}).content.decode()
    assert "has no shared mailbox, so they could not reply to you" in page_text
    assert not ConsortiumMessage.objects.exists() and not mailoutbox


def test_messages_are_seen_only_by_the_posts_organisation(
    client_for, opportunity, provider_post, provider_admin, other_admin, partner_member, council_officer
):
    consortium.message_send(actor=other_admin, post=provider_post, text="A private hello.")
    assert "A private hello." in page(client_for(provider_admin), finder_url(opportunity))
    for person in (other_admin, partner_member, council_officer):
        assert "A private hello." not in page(client_for(person), finder_url(opportunity))


@pytest.mark.parametrize("role", ["provider_admin", "provider_member"])
def test_nobody_messages_their_own_organisations_post(request, client_for, opportunity, provider_post, role):
    person = request.getfixturevalue(role)
    assert client_for(person).get(contact_url(provider_post)).status_code == 403
    assert client_for(person).post(contact_url(provider_post), {"text": "Hello us"}).status_code == 403
    with pytest.raises(PermissionDenied):
        consortium.message_send(actor=person, post=provider_post, text="Hello us")
    assert not ConsortiumMessage.objects.exists()


@pytest.mark.parametrize("role", ["council_officer", "council_admin"])
def test_council_staff_do_not_send_messages(request, client_for, provider_post, role):
    person = request.getfixturevalue(role)
    assert client_for(person).post(contact_url(provider_post), {"text": "Hi"}).status_code == 403
    with pytest.raises(PermissionDenied):
        consortium.message_send(actor=person, post=provider_post, text="Hi")


def test_an_empty_message_is_refused_with_the_error_summary(client_for, provider_post, other_admin, mailoutbox):
    response = client_for(other_admin).post(contact_url(provider_post), {"text": "  "})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and "Enter your message" in html
    assert not ConsortiumMessage.objects.exists() and not mailoutbox


def test_a_closed_opportunity_takes_no_messages(client_for, opportunity, provider_post, other_admin):
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.CLOSED)
    html = page(client_for(other_admin), contact_url(provider_post))
    assert "the consortium finder is closed" in html and 'name="text"' not in html
    client_for(other_admin).post(contact_url(provider_post), {"text": "Too late?"})
    with pytest.raises(ValidationError):
        consortium.message_send(actor=other_admin, post=provider_post, text="Too late?")
    assert not ConsortiumMessage.objects.exists()


def test_someone_also_in_the_posts_organisation_writes_for_their_other_one(
    client_for, provider_post, provider, other_provider, other_admin
):
    MembershipFactory(user=other_admin, organisation=provider, role=Role.MEMBER)
    html = page(client_for(other_admin), contact_url(provider_post))
    assert "Which organisation is writing?" not in html  # only one other organisation to write for
    client_for(other_admin).post(contact_url(provider_post), {"text": "Hello"})
    assert ConsortiumMessage.objects.get().organisation == other_provider
    with pytest.raises(ValidationError):
        consortium.message_send(actor=other_admin, post=provider_post, text="Hello", organisation=provider)


# Query counts ----------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["provider_admin", "other_admin", "council_officer"])
def test_the_finder_takes_the_same_queries_however_many_posts_and_messages(
    request, client_for, opportunity, provider_post, other_admin, who
):
    consortium.message_send(actor=other_admin, post=provider_post, text="Hello")
    client = client_for(request.getfixturevalue(who))
    few = _queries(client, finder_url(opportunity))
    lots = list(opportunity.lots.all())
    for i in range(10):
        org = OrganisationFactory(name=f"Partner {i}")
        post_by(opportunity, org, lots=lots[: i % 3 + 1])
        sender = person_in(org, Role.ADMIN)
        consortium.message_send(actor=sender, post=provider_post, text=f"Hello {i}")
    assert _queries(client_for(request.getfixturevalue(who)), finder_url(opportunity)) == few
