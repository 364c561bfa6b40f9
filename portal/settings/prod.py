"""Production: every secret comes from the environment, HTTPS everywhere.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS, SSN_LOOKUP_KEY, CACHE_URL (shared by
all processes: allauth's rate limits and DRF's throttles count there).
"""

from .base import *  # noqa: F403
from .base import database, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
DATABASES = {"default": database("DATABASE_URL")}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
SSN_LOOKUP_KEY = env.str("SSN_LOOKUP_KEY")
CACHES = {"default": env.cache_url("CACHE_URL")}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
