import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "ALLOWED_HOSTS": "portal.example.org",
    "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
    "SSN_LOOKUP_KEY": secrets.token_urlsafe(32),
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp://127.0.0.1:2525",
    "FRONTEND_URL": "https://portal.example.org",
    "PORTAL_URL": "https://api.portal.example.org",
}


def manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_with_prod_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "SSN_LOOKUP_KEY", "CACHE_URL"]
)
def test_prod_settings_refuse_to_start_without_a_secret(missing):
    env = {key: value for key, value in PROD_ENV.items() if key != missing}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_prod_settings_never_load_demo_accounts():
    result = manage("load_demo", env=PROD_ENV)

    assert result.returncode != 0
    assert "never created with production settings" in result.stderr
