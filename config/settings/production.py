"""Production: every secret and host comes from the environment; PostgreSQL; secure cookies."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Without a mail server nobody could verify an address, reset a password or accept an invitation:
# production does not start without EMAIL_URL (and `check --deploy` refuses console or memory backends).
vars().update(env.email("EMAIL_URL"))
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# A shared cache (e.g. redis://127.0.0.1:6379/1) keeps sign-in rate limits across app servers.
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1")}
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Logs as JSON lines by default, for the council's log platform; LOG_FORMAT=text for a person reading a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="json").lower()
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405

if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405
