"""Pages of results: `?page=2&page_size=100`, with the count and the next and previous pages' links. A page or page
size that is not a whole number in range is a 400, not silently the first page."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500
LARGEST = 2**31 - 1


def whole_number(request, name: str, *, largest: int = LARGEST) -> int | None:
    """A query parameter that must be given once, as a whole number from 1 to `largest`; None when absent."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise serializers.ValidationError({name: [_("Give this only once.")]})
    field = serializers.IntegerField(min_value=1, max_value=largest)
    try:
        return field.run_validation(values[0])
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from error


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return whole_number(request, self.page_size_query_param, largest=MAX_PAGE_SIZE) or self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = MAX_PAGE_SIZE if parameter["name"] == "page_size" else LARGEST
        return parameters
