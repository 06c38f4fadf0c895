"""The consortium finder: on an open opportunity, a supplier organisation says what it offers and the partner it
seeks (one post per organisation, which it may change or withdraw); other supplier organisations read the posts and
send a message to the organisation through the portal. The message goes to that organisation's admins and shared
mailbox, and never shows the sender's own email address: replies go to the sender organisation's shared mailbox, or
through the portal. Signed-in suppliers and council staff read the posts; only suppliers post and send messages.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.procurement import permissions
from carenetwork.procurement.models import ConsortiumMessage, ConsortiumPost, Opportunity

POST_FIELDS = ["offers", "seeks", "area", "lots", "is_active"]
ONE_POST = gettext_lazy("Your organisation already has a post for this opportunity: change that one")


def finder_closed_reason(opportunity: Opportunity, *, today=None) -> str:
    """Why the finder takes no posts or messages for the opportunity now, or "" while it does: open, up to and
    including its tender deadline."""
    if opportunity.status != Opportunity.Status.OPEN:
        return _("This opportunity is %(status)s, so the consortium finder is closed for it.") % {
            "status": opportunity.get_status_display().lower()
        }
    today = today or timezone.localdate()
    if opportunity.tender_deadline and today > opportunity.tender_deadline:
        return _("The tender deadline was %(date)s, so the consortium finder is closed for it.") % {
            "date": formats.date_format(opportunity.tender_deadline, "j F Y")
        }
    return ""


# Selectors -------------------------------------------------------------------------------------------------------


def post_list_for(*, user, opportunity: Opportunity) -> list[ConsortiumPost]:
    """The active posts of an opportunity, newest first, with their lots; `yours` marks the person's own."""
    require(permissions.can_read_clarifications(user))
    own = {o.pk for o in permissions.supplier_organisations(user)}
    found = list(
        ConsortiumPost.objects.filter(opportunity=opportunity, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .prefetch_related("lots")
        .order_by("-created_at", "-pk")
    )
    for post in found:
        post.yours = post.organisation_id in own
    return found


def own_post_for(*, organisation: Organisation, opportunity: Opportunity) -> ConsortiumPost | None:
    """The organisation's post for the opportunity, active or withdrawn, if it has one."""
    return ConsortiumPost.objects.filter(opportunity=opportunity, organisation=organisation).first()


def received_list_for(*, user, opportunity: Opportunity) -> list[ConsortiumMessage]:
    """The messages sent to the person's own organisations' posts on an opportunity, newest first."""
    own = [o.pk for o in permissions.supplier_organisations(user)]
    if not own:
        return []
    return list(
        ConsortiumMessage.objects.filter(post__opportunity=opportunity, post__organisation_id__in=own)
        .select_related("organisation", "post__organisation")
        .order_by("-created_at", "-pk")
    )


def post_get_for(*, user, pk: int) -> ConsortiumPost:
    """An active post this person may read (404 for a withdrawn one, or one on an opportunity they may not see)."""
    require(permissions.can_read_clarifications(user))
    post = get_object_or_404(
        ConsortiumPost.objects.select_related("opportunity", "organisation"),
        pk=pk,
        is_active=True,
        organisation__is_active=True,
    )
    if not permissions.can_view(user, post.opportunity):
        raise Http404
    return post


def sender_organisations(user, post: ConsortiumPost) -> list[Organisation]:
    """The organisations a person may write to a post's organisation for: their suppliers but the post's own."""
    return [o for o in permissions.supplier_organisations(user) if o.pk != post.organisation_id]


# Services --------------------------------------------------------------------------------------------------------


def _member_of(actor, organisation: Organisation) -> bool:
    return organisation.pk in {o.pk for o in permissions.supplier_organisations(actor)}


@transaction.atomic
def post_save(*, actor, opportunity: Opportunity, organisation: Organisation, data: dict) -> ConsortiumPost:
    """Post (or change, or put back) the organisation's one post for an open opportunity; audited."""
    require(permissions.can_take_part(actor) and _member_of(actor, organisation))
    # Lock the opportunity: it cannot close, nor the organisation post twice, between the checks and the save.
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    closed = finder_closed_reason(opportunity)
    if closed:
        raise ValidationError(closed)
    lots = list(data.get("lots") or [])
    if any(lot.opportunity_id != opportunity.pk for lot in lots):
        raise ValidationError({"lots": _("Choose only lots of this opportunity")})
    post = ConsortiumPost.objects.filter(opportunity=opportunity, organisation=organisation).first()
    created = post is None
    if created:
        post = ConsortiumPost(opportunity=opportunity, organisation=organisation)
        before = {}
    else:
        before = audit.snapshot(post, POST_FIELDS)
    for name in ("offers", "seeks", "area"):
        value = data.get(name, getattr(post, name))
        setattr(post, name, value.strip() if isinstance(value, str) else value)
    post.posted_by = actor
    post.is_active = True
    post.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:  # the backstop when the same organisation posts twice at once
        raise ValidationError(ONE_POST) from None
    post.lots.set(lots)
    audit.record(
        actor=actor,
        action="consortium_post.created" if created else "consortium_post.updated",
        obj=post,
        organisation=organisation,
        changes=audit.diff(before, audit.snapshot(post, POST_FIELDS)),
        label=_("Consortium post on %(title)s") % {"title": opportunity.title},
    )
    return post


@transaction.atomic
def post_withdraw(*, actor, post: ConsortiumPost) -> ConsortiumPost:
    """Take the organisation's post off the finder (posting again puts it back); audited."""
    post = (
        ConsortiumPost.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organisation")
        .get(pk=post.pk)
    )
    require(permissions.can_take_part(actor) and _member_of(actor, post.organisation))
    if post.is_active:
        post.is_active = False
        post.save(update_fields=["is_active", "modified_at"])
        audit.record(
            actor=actor,
            action="consortium_post.withdrawn",
            obj=post,
            organisation=post.organisation,
            changes={"is_active": [True, False]},
            label=_("Consortium post on %(title)s") % {"title": post.opportunity.title},
        )
    return post


@transaction.atomic
def message_send(
    *, actor, post: ConsortiumPost, text: str, organisation: Organisation | None = None
) -> ConsortiumMessage:
    """Send a message to a post's organisation (its admins and shared mailbox) for one of the person's other
    supplier organisations; the reply goes to the sender organisation's shared mailbox, never a person's."""
    require(permissions.can_take_part(actor))
    post = ConsortiumPost.objects.select_related("opportunity", "organisation").get(pk=post.pk)
    senders = sender_organisations(actor, post)
    # Nobody writes to their own organisation's post: with no other organisation, that is all they could do.
    require(bool(senders))
    sender = next((o for o in senders if organisation is None or o.pk == organisation.pk), None)
    if sender is None:
        raise ValidationError({"organisation": _("Choose one of your organisations")})
    if not post.is_active:
        raise ValidationError(_("This organisation has withdrawn its post, so it is not taking messages."))
    closed = finder_closed_reason(post.opportunity)
    if closed:
        raise ValidationError(closed)
    # The reply needs somewhere to go: the sender's shared mailbox, or a message to the sender's own post.
    sender_post = ConsortiumPost.objects.filter(
        opportunity=post.opportunity, organisation=sender, is_active=True
    ).first()
    if not sender.contact_email and sender_post is None:
        raise ValidationError(
            _(
                "%(organisation)s has no shared mailbox, so they could not reply to you. Add one to your "
                "organisation's profile, or post in the consortium finder yourself, then send the message."
            )
            % {"organisation": sender.name}
        )
    message = ConsortiumMessage(post=post, organisation=sender, sent_by=actor, text=(text or "").strip())
    message.full_clean()
    message.save()
    opportunity = post.opportunity
    audit.record(
        actor=actor,
        action="consortium_message.sent",
        obj=message,
        organisation=sender,
        label=_("Message to %(to)s about %(title)s") % {"to": post.organisation.name, "title": opportunity.title},
    )
    send_templated(
        to=organisation_recipients(post.organisation),
        template="procurement/email/consortium_message",
        context={
            "opportunity": opportunity,
            "sender_name": sender.name,
            "sender_mailbox": sender.contact_email,
            "recipient_name": post.organisation.name,
            "text": message.text,
            "sender_url": absolute_url(reverse("organisations:detail", args=[sender.pk])),
            "finder_url": absolute_url(reverse("procurement:consortium", args=[opportunity.pk])),
            "reply_url": absolute_url(reverse("procurement:consortium-contact", args=[sender_post.pk]))
            if sender_post
            else "",
        },
        reply_to=[sender.contact_email] if sender.contact_email else None,
    )
    return message
