"""Production: every secret comes from the environment, HTTPS everywhere.

The process refuses to start (ImproperlyConfigured, naming the variable) without SECRET_KEY,
DATABASE_URL, CACHE_URL (shared by all processes: allauth's rate limits and DRF's throttles
count there), ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS (the SSN's keys), SSN_LOOKUP_KEY, EMAIL_URL
(the console would print invitation links and their tokens), FRONTEND_URL (every e-mailed
link points there) and PORTAL_URL (every signed or verifiable document prints its verify address
there: a localhost one would be printed on credentials for good).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database, env

# Development values that must never reach production.
_UNSAFE = {
    "EMAIL_URL": ("consolemail://", "locmemmail://", "dummymail://"),
    "FIELD_ENCRYPTION_KEYS": ("dev-only-field-key-never-use-in-production",),
    "PORTAL_URL": ("http://localhost", "http://127.0.0.1"),
}


def required(name: str) -> str:
    """The variable's value; the process stops with a message naming it if it is unset, empty or
    a development value."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable: production settings require it.")
    for unsafe in _UNSAFE.get(name, ()):
        if value.startswith(unsafe) or unsafe in value.split(","):
            raise ImproperlyConfigured(f"{name}={unsafe} is a development value: production settings refuse it.")
    return value


for _name in (
    "SECRET_KEY",
    "DATABASE_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "FIELD_ENCRYPTION_KEYS",
    "SSN_LOOKUP_KEY",
    "EMAIL_URL",
    "FRONTEND_URL",
    "PORTAL_URL",
):
    required(_name)

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
DATABASES = {"default": database("DATABASE_URL")}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
SALT_KEY = FIELD_ENCRYPTION_KEYS
SSN_LOOKUP_KEY = env.str("SSN_LOOKUP_KEY")
CACHES = {"default": cache_settings(env.str("CACHE_URL"))}  # noqa: F405

# Static files: hashed names (cached forever by browsers), gzip and brotli variants, served by
# whitenoise from STATIC_ROOT (`collectstatic` fills it).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents in an S3-compatible bucket when one is named (django-storages; AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY from the environment, as boto3 reads them); otherwise MEDIA_ROOT, which
# must then be one volume shared by every web and worker process.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {  # type: ignore[dict-item]
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }

LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {  # noqa: F405
    **LOGGING,  # noqa: F405
    "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": LOG_FORMAT}},  # type: ignore[index]  # noqa: F405
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
