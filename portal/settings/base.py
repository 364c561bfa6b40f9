"""Settings shared by every environment; dev, test and prod adjust them.

Everything that differs between machines comes from the environment (twelve-factor), read
through one `env` object. The defaults are the embedded quick start: SQLite in the project
folder and Celery tasks run in-process.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from portal.cache import cache_settings

# The Technology HRTP's own rules (the fund's cap, the equity report's suppression, the vault's
# documents and where they are verified, the bounds of hours, the program's weekly and daily jobs)
# are in hrtp.py, so that a newcomer finds them in one place; every name in its __all__ is here.
from . import hrtp
from .environment import BASE_DIR, env
from .hrtp import *  # noqa: F403

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
# The previous secret keys, while sessions and links signed with them still verify (rotation).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where the people use the portal: links in e-mails (invitations, verification, password
# reset, notifications) point at the front end, not at this API.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prometheus",
    "simple_history",
    "portal",
    "sponsors",
    "apprenticeships",
    "competencies",
    "notifications",
]

MIDDLEWARE = [
    "portal.requestid.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.tasks.PublishAfterResponseMiddleware",
    "portal.middleware.RequestGuardMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (Swagger UI's, the admin's) from the app itself: hashed names, compressed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.MetricsAllowedAddressesMiddleware",
    "portal.middleware.AdminAllowedAddressesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of Accept-Language; a signed-in user's own (User.language) replaces it where
    # DRF authenticates them (portal.api.authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"

# The Django admin: its path, and the client addresses it exists for (comma-separated, CIDR
# allowed; empty: any). Other addresses get a 404. The address is REMOTE_ADDR, or behind
# TRUSTED_PROXY_COUNT reverse proxies the one the nearest of them saw in X-Forwarded-For.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"
ADMIN_ALLOWED_IPS = env.list("ADMIN_ALLOWED_IPS", default=[])
# The proxies in front of the portal that append to X-Forwarded-For (0: none, REMOTE_ADDR is
# the client). The admin's allowed addresses and allauth's rate limits read the client there.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Prometheus metrics at /metrics, for these client addresses only (CIDR allowed); any other
# gets a 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1/32"])
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database(variable: str, default=environ.Env.NOTSET) -> dict:
    """The one database setting of every settings module. Connections persist (CONN_MAX_AGE).
    On PostgreSQL, parameters are bound on the server and psycopg prepares a statement once a
    connection has run it DATABASE_PREPARE_THRESHOLD times (default 5), so the portal's hot
    queries are planned once per connection instead of on every request. Behind a PgBouncer in
    transaction mode, set DATABASE_PREPARE_THRESHOLD=-1 (never prepare)."""
    settings = env.db(variable, default=default)
    settings["ATOMIC_REQUESTS"] = False
    settings["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    settings["CONN_HEALTH_CHECKS"] = True
    if settings["ENGINE"] == "django.db.backends.postgresql":
        threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
        settings.setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=threshold if threshold >= 0 else None
        )
    elif settings["ENGINE"] == "django.db.backends.sqlite3":
        # The quick start: a write waits for another (a request, an e-mail sent in-process)
        # instead of failing with "database is locked", and a transaction takes the write lock
        # when it begins, so that two never deadlock upgrading a read lock.
        settings.setdefault("OPTIONS", {}).update(
            timeout=env.int("SQLITE_BUSY_TIMEOUT", default=20), transaction_mode="IMMEDIATE"
        )
    return settings


DATABASES = {"default": database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A Redis cache fails open (portal.cache): with it down, requests are served uncounted.
CACHES = {"default": cache_settings(env.str("CACHE_URL", default="locmemcache://"))}

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages of the portal's texts (docs/architecture.md, "Languages"): one catalog for the
# five apps, portal/locale/es/LC_MESSAGES/django.po (`make messages`, compiled by `make`).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Where uploaded and generated documents are stored, and STORAGES (documents and static files
# together, as Django has them): hrtp.py.

# --- e-mail -----------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
vars().update(env.email_url_config(EMAIL_URL))
if EMAIL_URL.startswith("filemail:///"):
    # django-environ drops the leading slash of filemail:///some/dir: the directory is absolute.
    EMAIL_FILE_PATH = "/" + EMAIL_URL.removeprefix("filemail:///")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Apprenticeship Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- field encryption (SSN) -------------------------------------------------------------------
# The SSN's keys, independent of SECRET_KEY (portal.fields). A list so that keys can be rotated:
# the first encrypts, every one decrypts (`manage.py rotate_field_keys` re-encrypts with the
# first). Each is a Fernet key (`Fernet.generate_key()`), or any string, hashed into one.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=["dev-only-field-key-never-use-in-production"])
# The key of the SSN's keyed hash (HMAC-SHA256), how a person is matched across registrations
# without decrypting: separate from the encryption keys, so rotating those changes no hash.
SSN_LOOKUP_KEY = env.str("SSN_LOOKUP_KEY", default="dev-only-ssn-lookup-key-never-use-in-production")

# --- django-allauth, headless -----------------------------------------------------------------
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{FRONTEND_URL}/account/verify-email/{{key}}",
    "account_reset_password": f"{FRONTEND_URL}/account/password/reset",
    "account_reset_password_from_key": f"{FRONTEND_URL}/account/password/reset/key/{{key}}",
    "account_signup": f"{FRONTEND_URL}/account/signup",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Apprenticeship Portal] "
ACCOUNT_RATE_LIMITS_ENABLED = True
# allauth's defaults, but failed logins (portal.adapters): a few per account and client address,
# many more per account from anywhere (so that no stranger locks the owner out quickly), and
# per address over all accounts. Past them, 429 with Retry-After.
ACCOUNT_RATE_LIMITS = {
    "login_failed_from_address": "5/5m/key",
    "login_failed": "20/m/ip,50/h/key",
}
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
# An address a user adds is pending until they follow the link sent to it; then it replaces
# their address. It is never a second, unverified address of the account.
ACCOUNT_CHANGE_EMAIL = True

# --- Django REST framework --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.SessionTokenAuthentication",
        "portal.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "portal.api.filters.FilterBackend",
        "portal.api.filters.SearchFilter",
        "portal.api.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["portal.api.renderers.JSONRenderer"],  # DRF's bytes, written by orjson
    # JSON only: the one upload (hour-logs/import/) names its own multipart parser. A form body
    # elsewhere is a 415, and the schema offers generated clients one body type per write.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonRateThrottle",
        "portal.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        # GET /verify/{code}: anyone, by client address (apprenticeships/api/verify.py).
        "verify": env.str("THROTTLE_VERIFY", default="30/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Apprenticeship Portal API",
    # Operation ids are named from the path after it ("v1_me_retrieve"), whatever other routes
    # outside /api/ (GET /verify/{code}, not in the schema) the portal has.
    "SCHEMA_PATH_PREFIX": "/api",
    "DESCRIPTION": (
        "Record system of a Registered Apprenticeship Program Sponsor: employers, programs, "
        "apprentices, hours, competencies, milestones and notifications. Sign in through "
        "django-allauth headless (`/_allauth/app/v1/` with `X-Session-Token`, or "
        "`/_allauth/browser/v1/` with the session cookie and CSRF)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ApprenticeshipStatusEnum": "apprenticeships.models.ApprenticeshipStatus",
        "MilestoneStatusEnum": "competencies.models.MilestoneStatus",
        "MilestoneKindEnum": "apprenticeships.models.MilestoneKind",
        "HourLogStatusEnum": "competencies.models.HourLogStatus",
        "HourKindEnum": "competencies.models.HourKind",
        "InvitationStatusEnum": "sponsors.models.InvitationStatus",
        "RaceAnswerEnum": "apprenticeships.rapids.RaceAnswer",
        "OrganizationKindEnum": ["sponsor", "employer"],
        "DocumentKindEnum": "apprenticeships.models.DocumentKind",
        "BarrierCategoryEnum": "apprenticeships.models.BarrierCategory",
        "PaymentMethodEnum": "apprenticeships.models.PaymentMethod",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.merge_allauth_schema",
        "portal.api.schema.reason_on_every_write",
        "portal.api.schema.declare_error_responses",
        "portal.api.schema.idempotency_key_on_every_post",
    ],
}

# --- Celery -----------------------------------------------------------------------------------
# Without a broker the tasks run in-process (the embedded quick start); with one they go to
# the workers. Everything enqueued from a request goes through delay_on_commit.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Workers and beat log through LOGGING (JSON in production, with the request id of the request
# that enqueued the task), not Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A request never hangs on a broker that is down: publishing gives up quickly, and the
# periodic sweeps pick up whatever was not enqueued.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Beat's state (when each entry last ran) lives outside the project: a state directory in
# production, the temporary directory by default.
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(Path(tempfile.gettempdir()) / "portal-celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Enqueue every e-mail still due: nothing is lost while a broker or a worker was down.
    "sweep-email-deliveries": {"task": "notifications.tasks.sweep_email_deliveries", "schedule": 60.0},
    # The answers kept for Idempotency-Key retries, once older than IDEMPOTENCY_KEY_TTL.
    "delete-expired-idempotent-requests": {
        "task": "portal.tasks.delete_expired_idempotent_requests",
        "schedule": crontab(minute=5),
    },
    # The program's own: packets and credentials, reminders, digests, reviews (hrtp.py).
    **hrtp.BEAT_SCHEDULE,
}

# --- the portal's own rules -------------------------------------------------------------------
INVITATION_TTL = timedelta(days=env.int("INVITATION_TTL_DAYS", default=7))
# How long the first answer to a POST sent with an Idempotency-Key is answered again to a retry.
IDEMPOTENCY_KEY_TTL = timedelta(hours=env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24))

# One JSON object per line (LOG_FORMAT=json, prod's default) or plain text, each with the id of
# the request (or of the task's request) it comes from.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Error reporting to Sentry when SENTRY_DSN is set, scrubbed of SSNs, tokens and passwords
# (portal.logs.scrub_event).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from portal.logs import init_sentry

    init_sentry(SENTRY_DSN, SENTRY_ENVIRONMENT, SENTRY_TRACES_SAMPLE_RATE)

PORTAL_SCOPE_RESOLVER = "apprenticeships.selectors.caller_scope"
# The apprentice's record of progress, as the agreement reaches it (apprenticeships/record.py).
PROGRESS_RECORD = "competencies.record"
# Events whose e-mail carries a secret link, written by the subject's app as the e-mail leaves.
NOTIFICATION_LINK_SIGNERS = {"invitation": "sponsors.services.invitation_link"}
# What /readyz reports besides its checks, never failing on it: name -> a function returning it.
READINESS_REPORTS = {"outbox": "notifications.selectors.email_backlog"}

# django-fernet-encrypted-fields' own field derived its keys from SECRET_KEY salted with these:
# read only by the migration that re-encrypted the SSNs with FIELD_ENCRYPTION_KEYS, and by the
# field class the old migrations name.
SALT_KEY = FIELD_ENCRYPTION_KEYS
