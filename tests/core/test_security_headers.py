"""Every response says which browser features it may use; pages and files of the app are never cached."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.records.factories import StaffMemberFactory, record_for

pytestmark = pytest.mark.django_db


def test_public_pages_have_a_permissions_policy_and_are_not_stored(client):
    response = client.get(reverse("account_login"))
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_static_files_have_a_permissions_policy_and_may_be_cached(client):
    response = client.get("/static/js/app.mjs")
    assert response.status_code == 200
    assert "microphone=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_staff_record_page_is_not_stored(client, provider, provider_admin):
    staff = StaffMemberFactory(organisation=provider)
    client.force_login(provider_admin)
    response = client.get(reverse("records:staff-detail", args=[provider.pk, staff.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "payment=()" in response["Permissions-Policy"]


def test_a_certificate_download_is_not_stored(client, provider, provider_admin):
    record = record_for(StaffMemberFactory(organisation=provider), 10, datetime.date(2025, 1, 6))
    record.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    record.certificate_content_type = "application/pdf"
    record.save()
    client.force_login(provider_admin)
    response = client.get(reverse("records:certificate", args=[provider.pk, record.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "usb=()" in response["Permissions-Policy"]


def test_a_csv_of_staff_is_not_stored(client, provider, provider_admin):
    StaffMemberFactory(organisation=provider, name="Ada Lovelace")
    client.force_login(provider_admin)
    response = client.get(reverse("records:export", args=[provider.pk]), {"what": "staff-template", "file_type": "csv"})
    assert response.status_code == 200 and "text/csv" in response["Content-Type"]
    assert b"Ada Lovelace" in b"".join(response.streaming_content if response.streaming else [response.content])
    assert response["Cache-Control"] == "private, no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(rf):
    from django.http import HttpResponse

    from carenetwork.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=60"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/somewhere/"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert "camera=()" in response["Permissions-Policy"]
