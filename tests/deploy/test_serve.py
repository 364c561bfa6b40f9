"""The production recipe, run as the README says: `make serve` (collectstatic, migrate, the
Procfile's gunicorn, worker and beat with prod settings) on a free port, against a database of
its own, Redis as cache and broker. It serves Swagger UI and the admin with their static files
(hashed names, compressed variants) and signs in through allauth headless."""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "deploy-test-password-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def fresh_database():
    name = f"deploy_test_{os.getpid()}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{SERVER}/{name}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def served(fresh_database, tmp_path):
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PYTEST"))},
        "PORT": str(port),
        "DATABASE_URL": fresh_database,
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "SECRET_KEY": "deploy-test-" + Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SSN_LOOKUP_KEY": Fernet.generate_key().decode(),
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "FRONTEND_URL": "https://portal.example.org",
        "PORTAL_URL": "https://api.portal.example.org",
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP here, no TLS proxy in front
        "STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "1",
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        ["make", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # collectstatic and every migration first
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()[-5000:]
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-5000:]
            time.sleep(1)
        yield base, env
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def static_paths(html: bytes, prefix: str) -> list[str]:
    return re.findall(rf'(/static/{re.escape(prefix)}[^"\']+)', html.decode())


def test_make_serve_serves_the_docs_the_admin_static_files_and_sign_in(served):
    base, env = served

    status, headers, body = fetch(f"{base}/api/docs/")
    assert status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    # Swagger UI's own files, collected from drf-spectacular-sidecar, under hashed names.
    css = [path for path in static_paths(body, "drf_spectacular_sidecar/") if path.endswith(".css")]
    assert css
    assert re.search(r"\.[0-9a-f]{12}\.css$", css[0])
    status, headers, stylesheet = fetch(base + css[0])
    assert status == 200
    assert b"swagger-ui" in stylesheet
    assert "Content-Encoding" not in headers
    status, headers, _ = fetch(base + css[0], headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers.get("Cache-Control", "") or "max-age" in headers.get("Cache-Control", "")
    scripts = [path for path in static_paths(body, "drf_spectacular_sidecar/") if path.endswith(".js")]
    assert scripts
    assert all(fetch(base + path)[0] == 200 for path in scripts)

    status, _, login_page = fetch(f"{base}/admin/login/")
    assert status == 200
    admin_css = static_paths(login_page, "admin/css/base.")
    assert admin_css
    status, _, admin_stylesheet = fetch(base + admin_css[0])
    assert status == 200
    assert len(admin_stylesheet) > 1000

    status, _, readiness = fetch(f"{base}/readyz")
    assert status == 200, readiness

    email = "deploy-check@example.org"
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "shell",
            "-c",
            "from allauth.account.models import EmailAddress; from portal.models import User; "
            f"user = User.objects.create_user(email='{email}', password='{PASSWORD}', full_name='Deploy Check'); "
            f"EmailAddress.objects.create(user=user, email='{email}', verified=True, primary=True)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.prod"},
        check=True,
        capture_output=True,
    )
    status, _, signed_in = fetch(
        f"{base}/_allauth/app/v1/auth/login",
        headers={"Content-Type": "application/json"},
        data=f'{{"email": "{email}", "password": "{PASSWORD}"}}'.encode(),
    )
    assert status == 200, signed_in
    token = json.loads(signed_in)["meta"]["session_token"]
    status, _, me = fetch(f"{base}/api/v1/me/", headers={"X-Session-Token": token})
    assert status == 200
    assert json.loads(me)["email"] == email
