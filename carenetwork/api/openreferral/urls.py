"""The Open Referral UK endpoints, at the paths the profile's OpenAPI gives (a trailing slash is taken too)."""

from django.urls import path, re_path

from carenetwork.api.openreferral import views

app_name = "openreferral"

ID = r"(?P<id>[^/]+)"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^services/?$", views.service_list, name="services"),
    re_path(rf"^services/{ID}/?$", views.service_detail, name="service"),
    re_path(r"^service_at_locations/?$", views.service_at_location_list, name="service-at-locations"),
    re_path(rf"^service_at_locations/{ID}/?$", views.service_at_location_detail, name="service-at-location"),
    re_path(r"^organizations/?$", views.organization_list, name="organizations"),
    re_path(rf"^organizations/{ID}/?$", views.organization_detail, name="organization"),
    re_path(r"^taxonomies/?$", views.taxonomy_list, name="taxonomies"),
    re_path(rf"^taxonomies/{ID}/?$", views.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", views.taxonomy_term_list, name="taxonomy-terms"),
    re_path(rf"^taxonomy_terms/{ID}/?$", views.taxonomy_term_detail, name="taxonomy-term"),
    re_path(r"^(?P<path>.+)$", views.not_found, name="not-found"),
]
