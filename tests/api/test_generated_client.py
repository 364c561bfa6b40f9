"""A client generated from the schema the server serves just works: openapi-python-client
generates it without a warning (nothing skipped), every module of it imports, and with it one
signs in, reads `me/`, lists and writes against a running server."""

import datetime
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.factories import PASSWORD

PACKAGE = "portal_client"
# The progress chart is an SVG image: the generator takes it as the bytes it is.
CONFIG = "content_type_overrides:\n  image/svg+xml: application/octet-stream\n"


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):
    schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=120).raise_for_status()
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--config",
            str(tmp_path / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        # Its post-hooks (ruff check --fix, ruff format) run the project's ruff.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


# A live server commits for real; like the other tests that do (tests/delivery), this one gives
# the database back as it found it, so that the next of them finds the rows it expects.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_generated_client_imports_and_signs_in_reads_lists_and_writes(
    generated_client, live_server, employer_a_supervisor, apprenticeship
):
    modules = [module.name for module in pkgutil.walk_packages(generated_client.__path__, f"{PACKAGE}.")]
    for name in modules:
        importlib.import_module(name)
    assert len([name for name in modules if ".api." in name]) > 50

    def module(name):
        return importlib.import_module(f"{PACKAGE}.{name}")

    timeout = httpx.Timeout(60)
    anonymous = module("client").Client(base_url=live_server.url, timeout=timeout)
    login = module("api.authentication_account.allauth_client_v1_auth_login_post")
    client_kind = module("models.allauth_client_v1_auth_login_post_client").AllauthClientV1AuthLoginPostClient
    body = module("models.allauth_login").AllauthLogin.from_dict(
        {"email": employer_a_supervisor.email, "password": PASSWORD}
    )
    signed_in = login.sync_detailed(client_kind.APP, client=anonymous, body=body)
    assert signed_in.status_code == 200, signed_in.content
    token = signed_in.parsed.meta.session_token
    client = module("client").AuthenticatedClient(
        base_url=live_server.url, token=token, prefix="", auth_header_name="X-Session-Token", timeout=timeout
    )

    me = module("api.me.v1_me_retrieve").sync(client=client)
    assert me.email == employer_a_supervisor.email
    assert [str(membership.organization.id) for membership in me.memberships] == [str(apprenticeship.employer_id)]

    hour_logs = module("api.hour_logs")
    models = module("models")
    logged = importlib.import_module(f"{hour_logs.__name__}.v1_hour_logs_create").sync_detailed(
        client=client,
        body=models.HourLogInputRequest(
            apprenticeship=apprenticeship.id,
            date=apprenticeship.start_date + datetime.timedelta(days=1),
            hours="7.50",
            kind=models.HourKindEnum.OJT,
            work_process=str(apprenticeship.program.work_processes.first().id),
            description="Configured the lab's switches.",
        ),
    )
    assert logged.status_code == 201, logged.content
    assert isinstance(logged.parsed, models.HourLog)
    assert logged.parsed.hours == "7.50"
    assert logged.parsed.logged_by.name == employer_a_supervisor.display_name

    page = importlib.import_module(f"{hour_logs.__name__}.v1_hour_logs_list").sync(
        client=client, apprenticeship=apprenticeship.id
    )
    assert isinstance(page, models.PaginatedHourLogList)
    assert [log.id for log in page.results] == [logged.parsed.id]

    # An error answers in the shape the schema declares, parsed into its model.
    refused = importlib.import_module(f"{hour_logs.__name__}.v1_hour_logs_create").sync_detailed(
        client=client,
        body=models.HourLogInputRequest(
            apprenticeship=apprenticeship.id, date=apprenticeship.start_date, hours="30", kind=models.HourKindEnum.OJT
        ),
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.ValidationError)
    assert "hours" in refused.parsed.additional_properties
