"""Production: every secret and host comes from the environment; PostgreSQL; secure cookies."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = False
# Refused at start-up when missing or blank (environment.example leaves it blank to fill in): Django itself would
# start with a blank key and fail only at the first signed cookie or password-reset link.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY.strip():
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or blank: set it in the environment file to a long random value, the same on every "
        'server (python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
    )
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
# Sessions are read from the shared cache (Redis) and written through to the database, so every web server sees
# each session at cache speed and a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Logs as JSON lines by default, for the council's log platform; LOG_FORMAT=text for a person reading a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="json").lower()
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405

# Uploaded files: MEDIA_ROOT (a local folder on one server, a shared mount on several), or an S3-compatible bucket
# (django-storages) when AWS_STORAGE_BUCKET_NAME is set. Files stay private: no public ACL, and the app serves each
# one through its own views after checking who asks; a name already used gets a new one rather than overwriting.
# boto3 reads the credentials itself (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the server's role).
if AWS_STORAGE_BUCKET_NAME := env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "location": env("AWS_LOCATION", default=""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
