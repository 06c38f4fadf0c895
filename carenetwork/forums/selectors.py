"""Reads of forums, meetings and items, always for a given person. A forum they may not see raises 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from carenetwork.forums import permissions
from carenetwork.forums.models import AgendaItem, Forum, ForumMembership, Meeting


def forum_list_for(*, user) -> list[Forum]:
    """The forums the person may know exist, each marked with what they may do there."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    forums = (
        Forum.objects.filter(is_active=True)
        .prefetch_related("sectors")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=ForumMembership.Status.ACTIVE)))
    )
    visible = []
    for forum in forums:
        if permissions.can_know_forum_exists(user, forum) or permissions.eligible_organisations(user, forum):
            forum.can_view = permissions.can_view_forum(user, forum)
            forum.is_lead = permissions.is_lead(user, forum)
            visible.append(forum)
    return visible


def forum_get_for(*, user, slug: str) -> Forum:
    """A forum the person may see into; to anyone else it does not exist."""
    forum = Forum.objects.filter(slug=slug, is_active=True).first()
    if forum is None or not permissions.can_view_forum(user, forum):
        raise Http404
    return forum


def forum_get_for_joining(*, user, slug: str) -> Forum:
    """A forum the person's organisation may ask to join (its name and description only)."""
    forum = Forum.objects.filter(slug=slug, is_active=True).prefetch_related("sectors").first()
    if forum is None or not (
        permissions.eligible_organisations(user, forum) or permissions.can_view_forum(user, forum)
    ):
        raise Http404
    return forum


def forum_get_for_lead(*, user, slug: str) -> Forum:
    """A forum the person leads; members who are not leads may see it but not run it (403)."""
    forum = forum_get_for(user=user, slug=slug)
    if not permissions.can_lead_forum(user, forum):
        raise PermissionDenied
    return forum


def forum_membership_list_for(*, user, forum: Forum) -> QuerySet[ForumMembership]:
    """The forum's member organisations and requests, for its leads."""
    if not permissions.can_lead_forum(user, forum):
        raise PermissionDenied
    return forum.memberships.filter(
        status__in=[ForumMembership.Status.ACTIVE, ForumMembership.Status.REQUESTED]
    ).select_related("organisation", "requested_by")


def member_organisation_list_for(*, user, forum: Forum):
    """The names of the forum's member organisations, for anyone in the forum."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    return forum.memberships.filter(status=ForumMembership.Status.ACTIVE).select_related("organisation")


def meeting_get_for(*, user, forum: Forum, pk: int) -> Meeting:
    """One meeting of a forum the person may see into."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    meeting = forum.meetings.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def item_get_for(*, user, forum: Forum, pk: int) -> AgendaItem:
    """One agenda item of a forum the person may see into."""
    if not permissions.can_view_forum(user, forum):
        raise Http404
    item = forum.items.filter(pk=pk).select_related("meeting", "raised_by", "raised_by_organisation").first()
    if item is None:
        raise Http404
    return item


def council_staff_options(*, user):
    """Council staff who may be chosen as forum leads."""
    from carenetwork.accounts.models import User
    from carenetwork.organisations.models import Membership, Organisation

    if not permissions.can_manage_forums(user):
        raise PermissionDenied
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(organisation__kind=Organisation.Kind.COUNCIL).values("user_id")
    ).order_by("full_name")
