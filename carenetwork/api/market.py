"""API endpoints of the capacity returns (area "market"): a provider's locations with this month's return, and
making a return through the same service as the HTML return form; for the council, the returns page's three tables
(this month's returns by provider and by sector, and the market's totals month by month)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from carenetwork.api.models import Area
from carenetwork.core.access import MAX_ID, require
from carenetwork.market import permissions, returns
from carenetwork.market.forms import return_field
from carenetwork.market.models import CapacityReturn

LOCATION = OpenApiParameter("location_id", int, OpenApiParameter.PATH, description="The location's id.")
NUMBERS = [name for name in returns.FIGURES if name != "taking_new"]


class CapacityReturnSerializer(serializers.ModelSerializer):
    """One month's return; a figure the location does not give, or did not give, is null."""

    class Meta:
        model = CapacityReturn
        fields = ["month", *returns.FIGURES, "no_change", "modified_at"]
        read_only_fields = fields


class LocationReturnSerializer(serializers.Serializer):
    """A location asked for a return, with this month's (null until made) and its latest in the year before."""

    location = serializers.IntegerField(source="location.pk")
    location_name = serializers.CharField(source="location.name")
    organisation = serializers.IntegerField(source="location.organisation_id")
    service_type_name = serializers.CharField(source="location.service_type.name")
    figures = serializers.ListField(
        child=serializers.ChoiceField(choices=returns.FIGURES),
        help_text=gettext_lazy("The figures this location gives: beds for a care home, people and hours otherwise."),
    )
    month = serializers.DateField(help_text=gettext_lazy("The month returns are being made for."))
    returned = CapacityReturnSerializer(allow_null=True, help_text=gettext_lazy("This month's return, if made."))
    last = CapacityReturnSerializer(allow_null=True, help_text=gettext_lazy("The latest earlier return in the year."))


class ReturnInputSerializer(serializers.Serializer):
    """This month's figures for one location: whole numbers from 0 to 100,000; null or absent if not given. Give
    only the figures the location returns (its `figures`)."""

    def get_fields(self):
        fields = {name: serializers.IntegerField(required=False, allow_null=True) for name in NUMBERS}
        fields["taking_new"] = serializers.BooleanField(required=False, allow_null=True)
        return fields

    def validate(self, attrs):
        wanted = set(returns.fields_for(self.context["location"]))
        errors = {}
        for name, value in attrs.items():
            if name not in wanted and value is not None:
                errors[name] = [_("This location does not return this figure")]
            elif name in NUMBERS and value is not None:
                try:  # the return form's own rules for the figure
                    return_field(name).clean(value)
                except DjangoValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _organisations(request) -> list:
    organisations = permissions.return_organisations(request.user)
    require(bool(organisations))
    return organisations


def _statuses(request, locations) -> list[dict]:
    month = returns.this_month()
    return [
        {
            "location": s.location,
            "figures": returns.fields_for(s.location),
            "month": month,
            "returned": s.returned,
            "last": s.last,
        }
        for s in returns.statuses_for(locations, month)
    ]


def _location(request, pk: int):
    """One of the caller's locations asked for a return; another's is not found."""
    if pk > MAX_ID:
        raise Http404
    location = returns.locations_for(_organisations(request)).filter(pk=pk).first()
    if location is None:
        raise Http404
    return location


class ReturnList(generics.ListAPIView):
    """The provider's locations asked for a return, each with this month's return and the latest before it."""

    area = Area.MARKET
    serializer_class = LocationReturnSerializer

    def list(self, request, *args, **kwargs):
        locations = returns.locations_for(_organisations(request))
        page = self.paginate_queryset(locations)
        rows = _statuses(request, locations.filter(pk__in=[location.pk for location in page]))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(operation_id="market_returns_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReturnView(generics.GenericAPIView):
    area = Area.MARKET
    serializer_class = LocationReturnSerializer

    def get_object(self):
        return _location(self.request, self.kwargs["location_id"])

    def _answer(self, location, created: bool) -> Response:
        row = _statuses(self.request, returns.locations_for([location.organisation]).filter(pk=location.pk))[0]
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(LocationReturnSerializer(row).data, status=code)


class ReturnDetail(ReturnView):
    """One of the provider's locations with this month's return; PUT makes or changes this month's return."""

    @extend_schema(operation_id="market_returns_retrieve", parameters=[LOCATION])
    def get(self, request, location_id: int):
        location = self.get_object()
        return self._answer(location, created=False)

    @extend_schema(
        operation_id="market_returns_update",
        parameters=[LOCATION],
        request=ReturnInputSerializer,
        responses={
            200: OpenApiResponse(LocationReturnSerializer, description="This month's return was changed."),
            201: OpenApiResponse(LocationReturnSerializer, description="This month's return was made."),
        },
    )
    def put(self, request, location_id: int):
        location = self.get_object()
        data = ReturnInputSerializer(data=request.data, context={"location": location})
        data.is_valid(raise_exception=True)
        made = location.capacity_returns.filter(month=returns.this_month()).exists()
        returns.capacity_return_save(actor=request.user, location=location, data=data.validated_data)
        return self._answer(location, created=not made)


class ReturnNoChange(ReturnView):
    """This month's return as a copy of the last one ('no change since last month')."""

    @extend_schema(
        operation_id="market_returns_no_change",
        parameters=[LOCATION],
        request=None,
        responses={
            200: OpenApiResponse(LocationReturnSerializer, description="This month's return was replaced."),
            201: OpenApiResponse(LocationReturnSerializer, description="This month's return was made."),
        },
    )
    def post(self, request, location_id: int):
        location = self.get_object()
        made = location.capacity_returns.filter(month=returns.this_month()).exists()
        returns.capacity_return_no_change(actor=request.user, location=location)
        return self._answer(location, created=not made)


# The council's returns page ------------------------------------------------------------------------------------


class CompletionRowSerializer(serializers.Serializer):
    name = serializers.CharField(source="label", help_text=gettext_lazy("The provider or the sector."))
    returned = serializers.IntegerField(help_text=gettext_lazy("Services returned this month."))
    asked = serializers.IntegerField(help_text=gettext_lazy("Services asked."))
    share = serializers.IntegerField(help_text=gettext_lazy("Per cent complete."))


class MonthTotalsSerializer(serializers.Serializer):
    month = serializers.DateField()
    returns = serializers.IntegerField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    occupancy = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Per cent of beds occupied."))
    vacant = serializers.IntegerField(help_text=gettext_lazy("Vacant beds accepting admissions."))
    agency_share = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Per cent of staff from agencies."))


class CompletionReport(generics.ListAPIView):
    """One of the returns page's tables, for council staff and council tokens."""

    area = Area.MARKET
    by = ""

    def get_queryset(self):
        require(permissions.can_view_returns_completion(self.request.user))
        month = returns.this_month()
        if not self.by:
            return returns.totals_by_month(month)
        return returns.completion(month, by=self.by)


class CompletionByProvider(CompletionReport):
    """This month's returns made of those asked, a row per provider."""

    serializer_class = CompletionRowSerializer
    by = "organisation"

    @extend_schema(operation_id="market_returns_completion_providers_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CompletionBySector(CompletionReport):
    """This month's returns made of those asked, a row per sector."""

    serializer_class = CompletionRowSerializer
    by = "sector"

    @extend_schema(operation_id="market_returns_completion_sectors_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CompletionByMonth(CompletionReport):
    """The market's totals from the returns, month by month over the last 12 months."""

    serializer_class = MonthTotalsSerializer

    @extend_schema(operation_id="market_returns_completion_months_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("market/returns/", ReturnList.as_view(), name="market-return-list"),
    path("market/returns/<int:location_id>/", ReturnDetail.as_view(), name="market-return-detail"),
    path("market/returns/<int:location_id>/no-change/", ReturnNoChange.as_view(), name="market-return-no-change"),
    path(
        "market/returns/completion/providers/",
        CompletionByProvider.as_view(),
        name="market-return-completion-provider-list",
    ),
    path(
        "market/returns/completion/sectors/", CompletionBySector.as_view(), name="market-return-completion-sector-list"
    ),
    path("market/returns/completion/months/", CompletionByMonth.as_view(), name="market-return-completion-month-list"),
]
