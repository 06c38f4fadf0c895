"""API endpoints of the directory: organisations and their locations as the directory shows them to a signed-in
person, and the caller organisation's own people as its members page shows them. Never another organisation's
people: the people endpoint reads only the organisation the token (or the signed-in person) acts for."""

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from carenetwork.api.common import ORGANISATION_PARAMETER, QuerySerializer, caller_organisation
from carenetwork.api.models import Area
from carenetwork.core.access import MAX_ID
from carenetwork.organisations import selectors
from carenetwork.organisations.models import Location, Membership, Organisation, Role


def checked_id(pk: int) -> int:
    """An id from the path, or 404 when no row could have it (the database's integer would overflow)."""
    if pk > MAX_ID:
        raise Http404
    return pk


class DirectoryQuery(QuerySerializer):
    """The directory's search and filters; a value the directory does not offer is an error."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    service_type = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    area = serializers.ChoiceField(choices=[], required=False, allow_blank=True)

    def __init__(self, *args, filters: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = filters["sectors"]
        self.fields["service_type"].choices = filters["service_types"]
        self.fields["area"].choices = [(a, a) for a in filters["areas"]]


class LocationQuery(QuerySerializer):
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    service_type = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    area = serializers.CharField(required=False, allow_blank=True, max_length=100)


class OrganisationSummarySerializer(serializers.ModelSerializer):
    """A row of the directory: what its table shows."""

    sectors = serializers.SerializerMethodField(help_text=_("The names of the sectors the organisation works in."))
    location_count = serializers.IntegerField(read_only=True, help_text=_("Its active locations."))

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "sectors", "area", "postcode", "location_count"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sectors(self, obj) -> list[str]:
        return [s.name for s in obj.sector_list]


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation's profile, as its page shows it to a signed-in person."""

    sectors = serializers.SerializerMethodField(help_text=_("The names of the sectors the organisation works in."))
    cqc_provider_id = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "is_active",
            "description",
            "contact_email",
            "phone",
            "website",
            "address",
            "postcode",
            "area",
            "sectors",
            "cqc_provider_id",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sectors(self, obj) -> list[str]:
        return [s.name for s in obj.sectors.all()]


class LocationSerializer(serializers.ModelSerializer):
    """A location, as its organisation's profile lists it."""

    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    service_type_name = serializers.CharField(source="service_type.name", read_only=True, allow_null=True)
    cqc_location_id = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Location
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "name",
            "postcode",
            "area",
            "service_type",
            "service_type_name",
            "cqc_location_id",
            "capacity",
            "capacity_unit",
            "cqc_rating",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A current member of the organisation, as its people page shows them."""

    name = serializers.CharField(source="user", read_only=True, help_text=_("Their full name, or their email address."))
    email = serializers.EmailField(source="user.email", read_only=True)
    job_title = serializers.CharField(source="user.job_title", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "job_title", "role"]


class OrganisationList(generics.ListAPIView):
    """The directory of organisations: search by name or postcode, filter by kind, sector, service type and area."""

    area = Area.DIRECTORY
    serializer_class = OrganisationSummarySerializer

    def get_queryset(self):
        query = DirectoryQuery(data=self.request.query_params, filters=selectors.directory_filters())
        query.is_valid(raise_exception=True)
        criteria = {k: v for k, v in query.validated_data.items() if v}
        return selectors.organisation_list_for(user=self.request.user, **criteria)

    @extend_schema(
        operation_id="directory_organisations_list",
        parameters=[
            OpenApiParameter("q", str, description="All or part of the name, or the start of the postcode."),
            OpenApiParameter("kind", str, enum=Organisation.Kind.values),
            OpenApiParameter("sector", str, description="A sector's slug, e.g. `home-care`."),
            OpenApiParameter(
                "service_type", int, description="A service type's id: organisations with a location of that type."
            ),
            OpenApiParameter("area", str, description="Organisations in the area or with a location in it."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrganisationDetail(generics.RetrieveAPIView):
    """One organisation's profile."""

    area = Area.DIRECTORY
    serializer_class = OrganisationSerializer

    def get_object(self):
        return selectors.organisation_get_for(user=self.request.user, pk=checked_id(self.kwargs["pk"]))

    @extend_schema(operation_id="directory_organisations_retrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LocationList(generics.ListAPIView):
    """The active locations of the organisations in the directory."""

    area = Area.DIRECTORY
    serializer_class = LocationSerializer

    def get_queryset(self):
        query = LocationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return selectors.location_directory_list_for(
            user=self.request.user,
            organisation_id=data.get("organisation"),
            service_type=data.get("service_type"),
            area=data.get("area", ""),
        )

    @extend_schema(
        operation_id="directory_locations_list",
        parameters=[
            OpenApiParameter("organisation", int, description="Only this organisation's locations."),
            OpenApiParameter("service_type", int, description="Only locations of this service type (its id)."),
            OpenApiParameter("area", str, description="Only locations in this area."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LocationDetail(generics.RetrieveAPIView):
    """One active location."""

    area = Area.DIRECTORY
    serializer_class = LocationSerializer

    def get_object(self):
        return selectors.location_directory_get_for(user=self.request.user, pk=checked_id(self.kwargs["pk"]))

    @extend_schema(operation_id="directory_locations_retrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PeopleList(generics.ListAPIView):
    """The current people of the organisation the caller acts for (never another organisation's)."""

    area = Area.DIRECTORY
    serializer_class = PersonSerializer

    def get_queryset(self):
        organisation = caller_organisation(self.request)
        return selectors.member_list_for(user=self.request.user, organisation=organisation)

    @extend_schema(operation_id="directory_people_list", parameters=[ORGANISATION_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("organisations/", OrganisationList.as_view(), name="directory-organisation-list"),
    path("organisations/<int:pk>/", OrganisationDetail.as_view(), name="directory-organisation-detail"),
    path("locations/", LocationList.as_view(), name="directory-location-list"),
    path("locations/<int:pk>/", LocationDetail.as_view(), name="directory-location-detail"),
    path("people/", PeopleList.as_view(), name="directory-person-list"),
]
