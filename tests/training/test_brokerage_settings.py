"""The brokerage settings: council administrators change them, audited; nobody else may."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carenetwork.core.models import AuditEvent
from carenetwork.training.models import BrokerageSettings
from carenetwork.training.services_settings import brokerage_settings_save

pytestmark = pytest.mark.django_db

URL = reverse("training:settings")


def test_council_admin_changes_the_settings(client_for, council_admin):
    client = client_for(council_admin)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"partner_margin": "2", "partner_days": "10", "reminder_days": "5"})
    assert response.status_code == 302
    current = BrokerageSettings.current()
    assert (current.partner_margin, current.partner_days, current.reminder_days) == (2, 10, 5)
    event = AuditEvent.objects.get(action="brokerage_settings.updated")
    assert event.actor == council_admin
    assert event.changes == {"partner_margin": [3, 2], "partner_days": [7, 10], "reminder_days": [3, 5]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"partner_margin": "-1", "partner_days": "7", "reminder_days": "3"}, "The partner margin must be 0 or more"),
        ({"partner_margin": "3", "partner_days": "0", "reminder_days": "3"}, "Partners must have at least 1 day"),
        ({"partner_margin": "3", "partner_days": "7", "reminder_days": "31"}, "Remind at most 30 days before a course"),
        ({"partner_margin": "many", "partner_days": "7", "reminder_days": "3"}, "as a whole number, like 3"),
        ({"partner_margin": "101", "partner_days": "7", "reminder_days": "3"}, "100 places or fewer"),
        ({"partner_days": "7", "reminder_days": "3"}, "Enter the partner margin"),
    ],
)
def test_wrong_settings_are_explained(client_for, council_admin, data, message):
    response = client_for(council_admin).post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BrokerageSettings.current().partner_margin == 3


def test_only_council_administrators_change_the_settings(council_officer, provider_admin):
    for person in (council_officer, provider_admin):
        with pytest.raises(PermissionDenied):
            brokerage_settings_save(actor=person, data={"partner_margin": 1})


def test_service_validates_the_values(council_admin):
    with pytest.raises(ValidationError):
        brokerage_settings_save(actor=council_admin, data={"partner_days": 61})
    assert BrokerageSettings.current().partner_days == 7
