"""System checks that `manage.py check --deploy` runs on a production configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register

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
