import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_builds_without_warnings_and_validates():
    output = io.StringIO()

    # --fail-on-warn turns any warning into an error; --validate checks it against OpenAPI 3.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=output, stderr=output)


def test_schema_describes_the_api_and_allauth_sign_in(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/me/" in schema["paths"]
    login = schema["paths"]["/_allauth/{client}/v1/auth/login"]["post"]
    assert login["operationId"]
    client_parameter = schema["components"]["parameters"]["AllauthClient"]
    assert set(client_parameter["schema"]["enum"]) == {"app", "browser"}
    assert schema["components"]["securitySchemes"]["sessionToken"]["name"] == "X-Session-Token"


def test_api_docs_are_served_with_no_network(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    # Swagger UI comes from drf-spectacular-sidecar's static files, not from a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page
    assert "unpkg.com" not in page
