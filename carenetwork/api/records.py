"""API endpoints for a provider's staff register and training records, the training matrix, and the categories and
job roles with their ASC-WDS codes. Every read through records' selectors, every write through records' services."""

from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response

from carenetwork.api.common import ORGANISATION_PARAMETER, caller_organisation
from carenetwork.api.pagination import whole_number
from carenetwork.organisations.models import Location
from carenetwork.records import selectors, services
from carenetwork.records.models import JobRole, StaffMember, TrainingCategory, TrainingRecord
from carenetwork.records.rules import Status


class JobRoleSerializer(serializers.ModelSerializer):
    code = serializers.IntegerField(allow_null=True, help_text="The ASC-WDS main job role code.")

    class Meta:
        model = JobRole
        fields = ["id", "code", "name", "provides_care"]


class CategorySerializer(serializers.ModelSerializer):
    code = serializers.IntegerField(allow_null=True, help_text="The ASC-WDS training category code.")
    refresh_months = serializers.IntegerField(allow_null=True, help_text="Months before it must be renewed.")

    class Meta:
        model = TrainingCategory
        fields = ["id", "code", "name", "group", "refresh_months"]


def _by_code(model, attrs: dict, field: str) -> None:
    """Take `<field>_code` (an ASC-WDS code) in place of `<field>` (our id)."""
    code = attrs.pop(f"{field}_code", None)
    if code is None:
        return
    found = model.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise serializers.ValidationError(
            {f"{field}_code": [_("No %(field)s has this ASC-WDS code.") % {"field": field}]}
        )
    if attrs.get(field) not in (None, found):
        raise serializers.ValidationError({f"{field}_code": [_("Give the id or the code, not two that differ.")]})
    attrs[field] = found


class StaffSerializer(serializers.ModelSerializer):
    """A person on the register. Give the job role by `job_role` (id) or `job_role_code` (ASC-WDS)."""

    job_role = serializers.PrimaryKeyRelatedField(queryset=JobRole.objects.filter(is_active=True), required=False)
    job_role_code = serializers.IntegerField(write_only=True, required=False, min_value=0, max_value=32767)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.none(), allow_null=True, required=False)

    class Meta:
        model = StaffMember
        fields = ["id", "name", "reference", "job_role", "job_role_code", "location", "start_date", "leaving_date"]
        fields += ["email"]
        read_only_fields = ["id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            self.fields["location"].queryset = Location.objects.filter(organisation=organisation)

    def validate(self, attrs):
        _by_code(JobRole, attrs, "job_role")
        if self.instance is None and "job_role" not in attrs:
            raise serializers.ValidationError(
                {"job_role": [_("Give the person's job role (job_role or job_role_code).")]}
            )
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["job_role_code"] = instance.job_role.code
        return data


class RecordSerializer(serializers.ModelSerializer):
    """A training record. Give the category by `category` (id) or `category_code` (ASC-WDS). Leave `expires_on`
    out to take it from the category's refresh period, as the portal's form does."""

    staff = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.none())
    category = serializers.PrimaryKeyRelatedField(
        queryset=TrainingCategory.objects.filter(is_active=True), required=False
    )
    category_code = serializers.IntegerField(write_only=True, required=False, min_value=0, max_value=32767)
    expires_on = serializers.DateField(allow_null=True, required=False)

    class Meta:
        model = TrainingRecord
        fields = ["id", "staff", "category", "category_code", "training_name", "completed_on", "expires_on"]
        fields += ["accredited", "delivered_by", "provider_name", "how_delivered", "notes", "source"]
        read_only_fields = ["id", "source"]
        extra_kwargs = {"completed_on": {"required": True, "allow_null": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.context.get("organisation")
        if organisation is not None:
            self.fields["staff"].queryset = StaffMember.objects.filter(
                organisation=organisation, personal_data_removed_at=None
            )
        if self.instance is not None:
            self.fields["staff"].read_only = True

    def validate(self, attrs):
        _by_code(TrainingCategory, attrs, "category")
        if self.instance is None and "category" not in attrs:
            raise serializers.ValidationError({"category": [_("Give the category (category or category_code).")]})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["category_code"] = instance.category.code
        return data


class RecordsArea:
    area = "records"

    def organisation(self):
        return caller_organisation(self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["organisation"] = self.organisation()
        return context


STAFF_FILTERS = [
    ORGANISATION_PARAMETER,
    OpenApiParameter("search", str, description="Part of a name, or a whole reference."),
    OpenApiParameter("leavers", bool, description="true for leavers instead of current staff."),
]


@extend_schema(parameters=STAFF_FILTERS)
class StaffList(RecordsArea, generics.ListCreateAPIView):
    """The organisation's staff register (current staff, or leavers); add a person."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        leavers = serializers.BooleanField(required=False).run_validation(
            self.request.query_params.get("leavers", False)
        )
        return selectors.staff_list_for(
            user=self.request.user,
            organisation=self.organisation(),
            search=self.request.query_params.get("search", "")[:150],
            leavers=leavers,
        )

    def perform_create(self, serializer):
        serializer.instance = services.staff_save(
            actor=self.request.user, organisation=self.organisation(), staff=None, data=serializer.validated_data
        )


@extend_schema(parameters=[ORGANISATION_PARAMETER])
class StaffDetail(RecordsArea, generics.RetrieveUpdateAPIView):
    """One person on the register; change their details, or mark them a leaver by giving `leaving_date`."""

    serializer_class = StaffSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.staff_get_for(user=self.request.user, organisation=self.organisation(), pk=self.kwargs["pk"])

    def perform_update(self, serializer):
        serializer.instance = services.staff_save(
            actor=self.request.user,
            organisation=self.organisation(),
            staff=serializer.instance,
            data=serializer.validated_data,
        )


RECORD_FILTERS = [
    ORGANISATION_PARAMETER,
    OpenApiParameter("staff", int, description="One person's records."),
    OpenApiParameter("category", int, description="One category's records."),
]


@extend_schema(parameters=RECORD_FILTERS)
class RecordList(RecordsArea, generics.ListCreateAPIView):
    """The training records of the organisation's staff; add a record."""

    serializer_class = RecordSerializer

    def get_queryset(self):
        staff_id, category_id = whole_number(self.request, "staff"), whole_number(self.request, "category")
        return selectors.organisation_record_list_for(
            user=self.request.user, organisation=self.organisation(), staff_id=staff_id, category_id=category_id
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        staff = data.pop("staff")
        serializer.instance = services.record_save(actor=self.request.user, staff=staff, record=None, data=data)


@extend_schema(parameters=[ORGANISATION_PARAMETER])
class RecordDetail(RecordsArea, generics.RetrieveUpdateDestroyAPIView):
    """One training record: change it, or delete one entered in error."""

    serializer_class = RecordSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        organisation = self.organisation()
        record = selectors.record_get_for(user=self.request.user, organisation=organisation, pk=self.kwargs["pk"])
        # The person's own record is theirs to see on the portal, but the API is for the organisation's admins.
        selectors.staff_get_for(user=self.request.user, organisation=organisation, pk=record.staff_id)
        return record

    def perform_update(self, serializer):
        record = serializer.instance
        serializer.instance = services.record_save(
            actor=self.request.user, staff=record.staff, record=record, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.record_delete(actor=self.request.user, record=instance)


class ReferenceList(generics.ListAPIView):
    area = "records"
    pagination_class = None


class CategoryList(ReferenceList):
    """The training categories in use, with their ASC-WDS codes."""

    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.category_choices()


class JobRoleList(ReferenceList):
    """The job roles in use, with their ASC-WDS codes."""

    serializer_class = JobRoleSerializer

    def get_queryset(self):
        return selectors.job_role_choices()


MATRIX_ROW = inline_serializer(
    "MatrixRow",
    {
        "staff": serializers.IntegerField(),
        "name": serializers.CharField(),
        "reference": serializers.CharField(),
        "job_role": serializers.IntegerField(),
        "cells": inline_serializer(
            "MatrixCell",
            {
                "category": serializers.IntegerField(),
                "status": serializers.ChoiceField(choices=[s.value for s in Status], allow_null=True),
                "required": serializers.BooleanField(),
                "expires_on": serializers.DateField(allow_null=True),
            },
            many=True,
        ),
    },
    many=True,
)


@extend_schema(
    parameters=[
        ORGANISATION_PARAMETER,
        OpenApiParameter("page", int),
        OpenApiParameter(
            "status", str, enum=[s.value for s in Status], description="People with a required category in this status."
        ),
    ],
    responses=inline_serializer(
        "TrainingMatrix",
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "categories": CategorySerializer(many=True),
            "rows": MATRIX_ROW,
        },
    ),
)
class Matrix(RecordsArea, generics.GenericAPIView):
    """The training matrix: current staff × the categories their roles require, each cell's status and expiry."""

    pagination_class = None

    def get(self, request):
        organisation = self.organisation()
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in {s.value for s in Status}:
            raise serializers.ValidationError({"status": [_("Not a status of the matrix.")]})
        staff, columns, mandatory = selectors.matrix_for(user=request.user, organisation=organisation, status=wanted)
        page_number = whole_number(request, "page") or 1
        paginator = Paginator(staff, 50)
        if page_number > max(paginator.num_pages, 1):
            raise serializers.ValidationError({"page": [_("There is no such page.")]})
        page = paginator.page(page_number)
        rows = selectors.matrix_rows(page, columns, mandatory)
        return Response(
            {
                "count": paginator.count,
                "page": page_number,
                "pages": paginator.num_pages,
                "categories": CategorySerializer(columns, many=True).data,
                "rows": [
                    {
                        "staff": row.staff.pk,
                        "name": row.staff.name,
                        "reference": row.staff.reference,
                        "job_role": row.staff.job_role_id,
                        "cells": [
                            {
                                "category": column.pk,
                                "status": cell.status.value if cell.status else None,
                                "required": cell.required,
                                "expires_on": cell.expires_on,
                            }
                            for column, cell in zip(columns, row.cells, strict=True)
                        ],
                    }
                    for row in rows
                ],
            }
        )


urlpatterns = [
    path("staff/", StaffList.as_view(), name="records-staff-list"),
    path("staff/<int:pk>/", StaffDetail.as_view(), name="records-staff-detail"),
    path("training-records/", RecordList.as_view(), name="records-record-list"),
    path("training-records/<int:pk>/", RecordDetail.as_view(), name="records-record-detail"),
    path("training-matrix/", Matrix.as_view(), name="records-matrix"),
    path("training-categories/", CategoryList.as_view(), name="records-category-list"),
    path("job-roles/", JobRoleList.as_view(), name="records-job-role-list"),
]
