"""Every read of organisations, locations, memberships and requests, scoped to the person asking."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from carenetwork.core.models import AuditEvent
from carenetwork.organisations import permissions
from carenetwork.organisations.models import (
    Invitation,
    JoinRequest,
    Location,
    Membership,
    Organisation,
    Sector,
    ServiceType,
)


def organisation_list_for(
    *, user, q: str = "", kind: str = "", sector: str = "", service_type: int | None = None, area: str = ""
) -> QuerySet[Organisation]:
    """The directory: active organisations matching the search and filters, with their sectors."""
    if not permissions.can_view_directory(user):
        raise PermissionDenied
    qs = Organisation.objects.filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(postcode__istartswith=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if sector:
        qs = qs.filter(
            Exists(Organisation.sectors.through.objects.filter(organisation_id=OuterRef("pk"), sector__slug=sector))
        )
    if service_type:
        qs = qs.filter(
            Exists(
                Location.objects.filter(organisation_id=OuterRef("pk"), service_type_id=service_type, is_active=True)
            )
        )
    if area:
        qs = qs.filter(
            Q(area=area) | Exists(Location.objects.filter(organisation_id=OuterRef("pk"), area=area, is_active=True))
        )
    locations = (
        Location.objects.filter(organisation_id=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.annotate(location_count=Coalesce(Subquery(locations), 0))
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.only("id", "name"), to_attr="sector_list"))
        .only("id", "name", "kind", "area", "postcode")
        .order_by("name", "pk")
    )


def directory_filters() -> dict:
    """Choices for the directory's filters."""
    org_areas = Organisation.objects.filter(is_active=True).exclude(area="").order_by().values_list("area", flat=True)
    loc_areas = Location.objects.filter(is_active=True).exclude(area="").order_by().values_list("area", flat=True)
    return {
        "kinds": Organisation.Kind.choices,
        "sectors": list(Sector.objects.filter(is_active=True).values_list("slug", "name")),
        "service_types": list(
            ServiceType.objects.filter(
                Exists(Location.objects.filter(service_type_id=OuterRef("pk"), is_active=True))
            ).values_list("pk", "name")
        ),
        "areas": sorted(set(org_areas.distinct()) | set(loc_areas.distinct())),
    }


def organisation_get_for(*, user, pk: int) -> Organisation:
    """One organisation's profile, if the person may see it."""
    organisation = Organisation.objects.filter(pk=pk).prefetch_related("sectors").first()
    if organisation is None or not permissions.can_view_organisation(user, organisation):
        raise Http404
    return organisation


def location_list_for(*, user, organisation: Organisation) -> QuerySet[Location]:
    """The active locations of an organisation the person may see."""
    if not permissions.can_view_organisation(user, organisation):
        raise Http404
    return organisation.locations.filter(is_active=True).select_related("service_type").order_by("name")


def location_directory_list_for(
    *, user, organisation_id: int | None = None, service_type: int | None = None, area: str = ""
) -> QuerySet[Location]:
    """Every active location of the organisations the person may see (as their profiles list them), with its
    organisation and service type."""
    if not permissions.can_view_directory(user):
        raise PermissionDenied
    qs = Location.objects.filter(is_active=True)
    if not permissions.is_council_staff(user):
        qs = qs.filter(organisation__is_active=True)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if service_type:
        qs = qs.filter(service_type_id=service_type)
    if area:
        qs = qs.filter(area=area)
    return qs.select_related("organisation", "service_type").order_by("name", "pk")


def location_directory_get_for(*, user, pk: int) -> Location:
    """One active location, if the person may see its organisation's profile."""
    location = Location.objects.filter(pk=pk, is_active=True).select_related("organisation", "service_type").first()
    if location is None or not permissions.can_view_organisation(user, location.organisation):
        raise Http404
    return location


def organisation_names_for(*, user, pks) -> dict[int, str]:
    """{id: name} of the organisations the person may see among these, for reports that name them (one query)."""
    if not permissions.can_view_directory(user):
        raise PermissionDenied
    qs = Organisation.objects.filter(pk__in=set(pks))
    if not permissions.is_council_staff(user):
        qs = qs.filter(is_active=True)
    return dict(qs.values_list("pk", "name"))


def location_get_for(*, user, organisation: Organisation, pk: int) -> Location:
    """One location, for the organisation's admins to edit."""
    location = organisation.locations.filter(pk=pk).first()
    if location is None:
        raise Http404
    if not (permissions.can_manage_organisation(user, organisation) or permissions.is_council_admin(user)):
        raise PermissionDenied
    return location


def member_list_for(*, user, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's current people: only for its own members and council staff."""
    if not permissions.can_view_members(user, organisation):
        raise PermissionDenied
    return (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def membership_get_for(*, user, organisation: Organisation, pk: int) -> Membership:
    """One current membership of an organisation, for its admins and council administrators."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, pk=pk)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404
    if not (
        permissions.can_manage_organisation(user, organisation)
        or permissions.can_appoint_admin(user, organisation)
        or membership.user_id == user.pk
    ):
        raise PermissionDenied
    return membership


def pending_invitation_list_for(*, user, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer."""
    if not (
        permissions.can_manage_organisation(user, organisation) or permissions.can_appoint_admin(user, organisation)
    ):
        raise PermissionDenied
    from django.utils import timezone

    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def pending_join_request_list_for(*, user, organisation: Organisation) -> QuerySet[JoinRequest]:
    """Requests to join waiting for the organisation's admin."""
    if not permissions.can_manage_organisation(user, organisation):
        raise PermissionDenied
    return organisation.join_requests.filter(status=JoinRequest.Status.PENDING).select_related("user")


def join_request_get_for(*, user, organisation: Organisation, pk: int) -> JoinRequest:
    """One request to join, for the organisation's admin or the person who asked."""
    join_request = organisation.join_requests.filter(pk=pk).select_related("user", "organisation").first()
    if join_request is None:
        raise Http404
    if not (permissions.can_manage_organisation(user, organisation) or join_request.user_id == user.pk):
        raise PermissionDenied
    return join_request


def own_join_request_list_for(*, user) -> QuerySet[JoinRequest]:
    """The person's own requests to join that are still waiting."""
    return JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).select_related("organisation")


def organisations_without_admin_for(*, user) -> QuerySet[Organisation]:
    """Active non-council organisations with no active admin: for council administrators to fix."""
    if not permissions.can_view_admin_reports(user):
        raise PermissionDenied
    has_admin = Membership.objects.admins().filter(organisation_id=OuterRef("pk"))
    had_people = Membership.objects.filter(organisation_id=OuterRef("pk"))
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(kind=Organisation.Kind.COUNCIL)
        .filter(~Exists(has_admin))
        .annotate(
            had_people=Exists(had_people),
            member_count=Count("memberships", filter=Q(memberships__ended_at__isnull=True)),
        )
        .order_by("-had_people", "name")
    )


def audit_list_for(*, user, organisation: Organisation | None = None, action: str = "") -> QuerySet[AuditEvent]:
    """The audit trail, newest first: council administrators only."""
    if not permissions.can_view_admin_reports(user):
        raise PermissionDenied
    qs = AuditEvent.objects.select_related("actor", "organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs


def sector_list_for(*, user) -> QuerySet[Sector]:
    """Every sector, in use or not, with how many active organisations are in each."""
    if not permissions.is_council_admin(user):
        raise PermissionDenied
    return Sector.objects.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True))
    ).order_by("position", "name")


def sector_get_for(*, user, pk: int) -> Sector:
    """One sector, for council administrators to edit."""
    if not permissions.is_council_admin(user):
        raise PermissionDenied
    sector = Sector.objects.filter(pk=pk).first()
    if sector is None:
        raise Http404
    return sector


def organisation_recipients(organisation: Organisation) -> list[str]:
    """Where an organisation's notices go: its admins (every member, for a partner) and its contact mailbox, which
    survives staff changes."""
    people = Membership.objects.active().filter(organisation=organisation, user__is_active=True)
    if organisation.kind != Organisation.Kind.PARTNER:
        people = people.admins()
    addresses = list(people.values_list("user__email", flat=True))
    if organisation.contact_email:
        addresses.append(organisation.contact_email)
    return sorted(set(addresses))
