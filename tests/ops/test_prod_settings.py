"""Production settings refuse to start without a variable they need, or with a development
value, and name the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SAFE = {
    "SECRET_KEY": "prod-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "ALLOWED_HOSTS": "portal.example.org",
    "FIELD_ENCRYPTION_KEYS": "Sq3qsI1wZ5Xv3X5x8z7x5xZ3b0jJ9Yw2m3n4o5p6q7s=",
    "SSN_LOOKUP_KEY": "a-lookup-key-for-the-tests",
    "EMAIL_URL": "smtp://mail.example.org:587",
    "FRONTEND_URL": "https://portal.example.org",
    "PORTAL_URL": "https://api.portal.example.org",
}


def load_prod_settings(**overrides) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in SAFE and not name.startswith("DJANGO_")}
    env.update({name: value for name, value in {**SAFE, **overrides}.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.prod"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_prod_settings_load_with_every_variable_set():
    result = load_prod_settings()

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("variable", sorted(SAFE))
def test_prod_settings_refuse_to_start_without(variable):
    result = load_prod_settings(**{variable: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {variable} environment variable" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EMAIL_URL", "consolemail://"),
        ("FIELD_ENCRYPTION_KEYS", "dev-only-field-key-never-use-in-production"),
        ("PORTAL_URL", "http://localhost"),
    ],
)
def test_prod_settings_refuse_a_development_value(variable, value):
    result = load_prod_settings(**{variable: value})

    assert result.returncode != 0
    assert f"{variable}={value} is a development value" in result.stderr


def test_secret_key_fallbacks_come_from_the_environment():
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings.prod as s; print(s.SECRET_KEY_FALLBACKS)"],
        cwd=ROOT,
        env={**os.environ, **SAFE, "SECRET_KEY_FALLBACKS": "old-key-one,old-key-two"},
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "['old-key-one', 'old-key-two']", result.stderr
