"""System checks that `manage.py check --deploy` runs on a production configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Backends that never deliver: people would never get their verification, reset or invitation emails.
UNDELIVERED_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    """Refuses a deployment whose email backend does not send email."""
    if settings.EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which sends no email.",
                hint="Set EMAIL_URL to your mail server, e.g. smtp+tls://user:password@smtp.example:587.",
                id="carenetwork.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxy(app_configs, **kwargs):
    """Warns when the app runs behind a proxy (it trusts the proxy's https header) but is told of no proxy: then
    every person shares the proxy's address, and sign-in rate limits meant for one address hold everyone back."""
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    told = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or getattr(
        settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None
    )
    if behind_proxy and not told:
        return [
            Warning(
                "The app trusts a reverse proxy's https header but no proxy is set for clients' addresses: sign-in "
                "rate limits would count every person as the proxy's one address.",
                hint="Set TRUSTED_PROXY_COUNT (usually 1) or TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP).",
                id="carenetwork.W002",
            )
        ]
    return []
