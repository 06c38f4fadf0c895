"""Settings shared by every environment; each environment overrides only what differs."""

from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Before django_tasks_db, so that its `db_worker` command is core's (run_worker, with the recovery of tasks a
    # dead worker left): a plain db_worker beside run_worker would have its running tasks taken for a dead one's.
    "carenetwork.core",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "carenetwork.accounts",
    "carenetwork.organisations",
    "carenetwork.forums",
    "carenetwork.records",
    "carenetwork.training",
    "carenetwork.market",
    "carenetwork.costofcare",
    "carenetwork.assessment",
    "carenetwork.procurement",
    # Integration: it calls the capabilities' selectors and services, which never import it.
    "carenetwork.api",
    # The top floor: it composes what the capabilities above register (carenetwork.core.registry).
    "carenetwork.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Gives each request its id and logs one line for it (carenetwork.core.request_log).
    "carenetwork.core.request_log.RequestLogMiddleware",
    "carenetwork.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "carenetwork.core.middleware.SessionTimeoutMiddleware",
    "carenetwork.organisations.middleware.CouncilMfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "carenetwork" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "carenetwork.portal.context_processors.portal",
            ],
        },
    },
]
FORM_RENDERER = "carenetwork.core.forms.GovukFormRenderer"

# SQLite by default; PostgreSQL through DATABASE_URL. SQLite runs in IMMEDIATE mode with WAL so that
# writers queue instead of failing with "database is locked" (ENGINEERING.md, "Limited places").
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'carenetwork.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 25,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the only identifier; verification is mandatory; TOTP two-factor.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "carenetwork.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "carenetwork.accounts.forms.SignupForm",
    "login": "carenetwork.accounts.forms.LoginForm",
    "reset_password": "carenetwork.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "carenetwork.accounts.forms.ResetPasswordKeyForm",
    "change_password": "carenetwork.accounts.forms.ChangePasswordForm",
    "add_email": "carenetwork.accounts.forms.AddEmailForm",
}
MFA_FORMS = {"authenticate": "carenetwork.accounts.forms.AuthenticateForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins are limited per client address (10 a minute) and per account from one address
    # (5 in 5 minutes): the accounts adapter puts the address into the per-account key, so wrong
    # passwords typed elsewhere never keep the owner out, and a password reset clears the limit.
    "login_failed": "10/m/ip,5/5m/key",
}
# Behind a reverse proxy every request comes from the proxy's address: the rate limits must read the
# client's own address from the proxy's header. TRUSTED_PROXY_COUNT is the number of proxies you run
# in front of the app (each adds itself to X-Forwarded-For; the address that many entries from the
# right is the client's); or name a header your proxy sets to the client's address alone
# (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Never trust a header that clients can set themselves.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("COUNCIL_SERVICE_NAME", default="Care Network")
LOGIN_REDIRECT_URL = "core:home"
LOGIN_URL = "account_login"

# Sessions end after 30 minutes idle and 12 hours in all (carenetwork.core.middleware).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "carenetwork" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Care Network <no-reply@carenetwork.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The council's market-wide training reports read up to a million records: their figures are cached this long.

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}

# Content Security Policy: only our own scripts and styles, inline ones with a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The portal uses none of these browser features: no page, or anything embedded in one, may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)

# The council that runs this portal: its name, the service's name and its brand colour.
COUNCIL_NAME = env("COUNCIL_NAME", default="Eastmarsh Borough Council")
# The prefix of every open contracting id we publish (OCDS: "ocds-" and six characters, registered with the
# Open Contracting Partnership; the default is for development and the demo).
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-cnet01")
COUNCIL_SERVICE_NAME = env("COUNCIL_SERVICE_NAME", default="Care Network")
COUNCIL_BRAND_COLOUR = env("COUNCIL_BRAND_COLOUR", default="#1d4f6e")
# Council staff must use two-factor authentication.
COUNCIL_MFA_REQUIRED = env.bool("COUNCIL_MFA_REQUIRED", default=True)
# Where people get help, report an accessibility problem or ask about their personal data.
COUNCIL_CONTACT_EMAIL = env("COUNCIL_CONTACT_EMAIL", default="carenetwork@eastmarsh.example")
COUNCIL_DPO_EMAIL = env("COUNCIL_DPO_EMAIL", default="dataprotection@eastmarsh.example")
# The accessibility statement says when it was prepared and last reviewed (ISO dates).
ACCESSIBILITY_STATEMENT_PREPARED = env("ACCESSIBILITY_STATEMENT_PREPARED", default="2026-12-03")
ACCESSIBILITY_STATEMENT_REVIEWED = env("ACCESSIBILITY_STATEMENT_REVIEWED", default="2026-12-03")
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# Logs go to stdout: JSON lines with LOG_FORMAT=json (production's default), readable text otherwise. Every line
# written during a request, or by a task the request queued, carries its request_id (carenetwork.core.request_log).
# One line per request (carenetwork.request) and per task queued, started and finished (carenetwork.task) are
# always written; LOG_LEVEL sets the level for everything else (the portal's other loggers, Django, libraries).
LOG_FORMAT = env("LOG_FORMAT", default="text").lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "carenetwork.core.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "carenetwork.core.request_log.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "carenetwork.request": {"level": "INFO"},
        "carenetwork.task": {"level": "INFO"},
        # Django's errors go to the log only (the root's console): its default also emails ADMINS every server error
        # with the person, the form data and the session cookie. ADMINS hear of scheduled jobs that gave up, only.
        "django": {"handlers": [], "level": env("LOG_LEVEL", default="WARNING"), "propagate": True},
    },
}
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)

# The API (carenetwork.api): organisation tokens or a signed-in session, problem details for errors, pages of 50,
# rate limits per token and per person counted in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carenetwork.api.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["carenetwork.api.access.AreaAccess"],
    "DEFAULT_PAGINATION_CLASS": "carenetwork.api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "carenetwork.api.throttling.TokenRateThrottle",
        "carenetwork.api.throttling.PersonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_TOKEN_RATE", default="600/min"),
        "person": env("API_PERSON_RATE", default="1200/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "carenetwork.api.problems.problem_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Care Network API",
    "DESCRIPTION": "The portal's data for your organisation's own programs. Authenticate with an organisation token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "carenetwork.api.schema.add_problem_answers",
    ],
}

# CQC's API for manage.py sync_cqc: a subscription key from https://api-portal.service.cqc.org.uk/
CQC_API_BASE_URL = env("CQC_API_BASE_URL", default="https://api.service.cqc.org.uk/public/v1")
CQC_API_KEY = env("CQC_API_KEY", default="")

# The scheduler (manage.py run_scheduler, carenetwork.core.scheduler): a failed job is tried this many times in all,
# then reported to the operators (ADMINS: comma-separated email addresses) by email and in the log.
ADMINS = [("", address) for address in env.list("ADMINS", default=[])]
EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", default="[Care Network] ")
SCHEDULER_MAX_ATTEMPTS = env.int("SCHEDULER_MAX_ATTEMPTS", default=3)
# A failed job waits this long before its second attempt, four times as long before each later one.
SCHEDULER_RETRY_AFTER_SECONDS = env.int("SCHEDULER_RETRY_AFTER_SECONDS", default=60)
# Finished background tasks (one row per email sent, import checked, job run) are kept this many days, then deleted by
# the daily prune_history job, with the scheduler's runs of the same age.
TASK_HISTORY_DAYS = env.int("TASK_HISTORY_DAYS", default=30)

# /healthz and /readyz (carenetwork.core.health). /healthz says "degraded" (still 200) once the oldest waiting
# background task has waited longer than this. Load balancers often probe over plain HTTP: the two answer it
# rather than redirecting to HTTPS (they carry no personal data).
HEALTH_QUEUE_MAX_AGE_SECONDS = env.int("HEALTH_QUEUE_MAX_AGE_SECONDS", default=900)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
