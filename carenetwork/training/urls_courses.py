"""URLs of the catalogue and courses (included by training/urls.py)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("", lambda request: HttpResponse("todo"), name="catalogue")]
