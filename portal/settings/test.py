"""The test suite: PostgreSQL (DATABASE_URL, default the local `test` database), e-mail in memory."""

import os

from .base import *  # noqa: F403
from .base import database, env

DATABASES = {"default": database("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")}
# pytest-django creates (and drops) a database of its own: name it per run, so that two test
# runs on one machine (a developer and CI, or parallel checkouts) never drop each other's.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=f"test_portal_{os.getpid()}")}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Documents of a run under a directory of its own, removed by nothing the tests rely on.
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=f"/tmp/portal-test-media-{os.getpid()}")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = None
CELERY_TASK_ALWAYS_EAGER = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Static files from the app directories (no collectstatic before the tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# django-zeal: an N+1 in a request to the API fails the test that made it (NPlusOneError); not
# in the admin and allauth (tests/ops/zeal_scope.py says why).
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = ["tests.ops.zeal_scope.zeal_on_the_api", *MIDDLEWARE]  # noqa: F405
ZEAL_RAISE = True
# A stale session is looked up once by each authenticator that tries it (the session token's and
# the cookie's): two lookups of one row, not one per item of a list.
# Content types are cached per process (the tests clear the cache before each test): a request
# that names two models' content types first looks each up once, not once per item.
ZEAL_ALLOWLIST = [{"model": "sessions.Session", "field": "*"}, {"model": "contenttypes.ContentType", "field": "*"}]
ZEAL_SHOW_ALL_CALLERS = True
