"""What every area's endpoints share: the organisation the caller acts for, and the `organisation` parameter."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers

from carenetwork.api.models import ApiToken
from carenetwork.api.pagination import whole_number
from carenetwork.organisations.permissions import active_memberships

ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    int,
    description="The organisation to act for: needed only by a signed-in person with more than one; a token acts "
    "for its own organisation.",
)


class QuerySerializer(serializers.Serializer):
    """Query parameters checked as the schema states them: each given at most once, and empty only where a blank
    is allowed (DRF reads an empty form value as "not given", which the schema does not say)."""

    def to_internal_value(self, data):
        errors = {}
        for name, field in self.fields.items():
            values = data.getlist(name) if hasattr(data, "getlist") else ([data[name]] if name in data else [])
            if len(values) > 1:
                errors[name] = [_("Give this only once.")]
            elif values == [""] and not getattr(field, "allow_blank", False):
                errors[name] = [_("Give a value, or leave this out.")]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class FilterDate(serializers.DateField):
    """A date to filter by, within years the portal's dates can hold (9999-12-31 plus a day is past any calendar)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not 1900 <= day.year <= 2200:
            raise serializers.ValidationError(_("Give a date between the years 1900 and 2200."))
        return day


def caller_organisation(request):
    """The token's organisation, or the signed-in person's (the one named by `?organisation=` if they have several)."""
    chosen = whole_number(request, "organisation")
    memberships = active_memberships(request.user)
    if chosen is not None:
        for membership in memberships:
            if membership.organisation_id == chosen:
                return membership.organisation
        raise exceptions.NotFound(_("You are not a member of that organisation."))
    if isinstance(request.auth, ApiToken):
        return request.auth.organisation
    if len(memberships) == 1:
        return memberships[0].organisation
    if not memberships:
        raise exceptions.PermissionDenied(_("You are not a member of any organisation."))
    raise exceptions.ValidationError({"organisation": [_("Say which of your organisations to act for.")]})
