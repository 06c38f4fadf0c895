"""URLs of the catalogue and courses (included by training/urls.py)."""

from django.urls import path

from carenetwork.training import views_courses as views

urlpatterns = [
    path("", views.catalogue_list, name="catalogue"),
    path("courses/", views.course_list, name="course-list"),
    path("courses/review/", views.review_queue, name="course-review-queue"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:pk>/review/", views.course_review, name="course-review"),
    path("providers/<int:pk>/courses/", views.provider_courses, name="provider-courses"),
    path("providers/<int:pk>/courses/add/", views.course_add, name="course-add"),
]
