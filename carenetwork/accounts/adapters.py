"""How django-allauth fits Care Network: emails carry the council's service name."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return f"{settings.COUNCIL_SERVICE_NAME}: {subject}"
