"""How django-allauth fits Care Network: emails carry the council's service name, and failed sign-ins
are counted per account and client address."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return f"{settings.COUNCIL_SERVICE_NAME}: {subject}"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed sign-ins per account alone, so anyone who knows an email address could
        # keep its owner out by typing wrong passwords every few minutes. Counting them per account and
        # client address (IPv6 reduced to its /64, as allauth's per-address limit does) stops a guesser at
        # five tries from an address while the owner, signing in from their own, is not affected. The
        # per-address limit still bounds guesses at every account from one address; a password reset
        # clears the count for the address it is made from.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"
