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


# --- what a generated client needs (portal/api/schema.py) ---------------------------------------

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema, prefix="/api/"):
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        if path.startswith(prefix)
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def test_every_api_operation_declares_the_errors_of_its_kind_of_route(schema):
    api = operations(schema)
    assert len(api) > 50
    for method, path, operation in api:
        declared = set(operation["responses"])
        assert {"401", "403", "429", "500"} <= declared, (method, path)
        if method in WRITES:
            assert {"400", "409", "413"} <= declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)
    server_error = schema["components"]["schemas"]["ServerError"]
    assert set(server_error["required"]) == {"detail", "request_id"}


def test_every_api_error_is_declared_in_the_shared_error_components(schema):
    for method, path, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and (status, path) not in {
                ("400", "/api/v1/hour-logs/bulk/"),
                ("400", "/api/v1/hour-logs/import/"),
            }:
                assert "#/components/schemas/" in str(response["content"]["application/json"]["schema"]), (
                    method,
                    path,
                    status,
                )


def test_writes_take_json_only_but_the_import_takes_a_file(schema):
    bodies = {
        (method, path): set(operation["requestBody"]["content"])
        for method, path, operation in operations(schema)
        if "requestBody" in operation
    }
    assert bodies.pop(("post", "/api/v1/hour-logs/import/")) == {"multipart/form-data"}
    assert bodies.pop(("post", "/api/v1/apprenticeships/{apprenticeship_id}/documents/")) == {"multipart/form-data"}
    assert bodies
    assert {frozenset(types) for types in bodies.values()} == {frozenset({"application/json"})}


def test_operations_are_tagged_by_resource_and_their_ids_are_names(schema):
    for method, path, operation in operations(schema):
        assert operation["tags"] == [path.removeprefix("/api/v1/").split("/")[0].split(".")[0]], (method, path)
    ids = [operation["operationId"] for _, _, operation in operations(schema, prefix="/")]
    assert len(ids) == len(set(ids))
    assert [operation_id for operation_id in ids if not operation_id.replace("_", "").isalnum()] == []


def test_every_api_operation_has_a_description_of_its_own(schema):
    descriptions = [operation.get("description", "").strip() for _, _, operation in operations(schema)]

    assert "" not in descriptions
    repeated = {text for text in descriptions if descriptions.count(text) > 1}
    assert repeated == set()


def _free_form_objects(node, where):
    if isinstance(node, dict):
        if (
            node.get("type") == "object"
            and "properties" not in node
            and node.get("additionalProperties") in (None, True, {})
        ):
            yield where
        for key, value in node.items():
            yield from _free_form_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _free_form_objects(value, f"{where}/{index}")


def test_the_apis_objects_are_typed_not_free_form(schema):
    # allauth's own components are allauth's (some of its flows take free-form objects).
    ours = {
        name: component for name, component in schema["components"]["schemas"].items() if not name.startswith("Allauth")
    }

    assert list(_free_form_objects(ours, "")) == []


def test_every_post_takes_an_idempotency_key_and_declares_its_409_and_422(schema):
    posts = [(path, operation) for method, path, operation in operations(schema, "/api/v1/") if method == "post"]
    assert len(posts) > 15
    for path, operation in posts:
        (key,) = [parameter for parameter in operation["parameters"] if parameter["name"] == "Idempotency-Key"]
        assert (key["in"], key["required"], key["schema"]["maxLength"]) == ("header", False, 255), path
        assert "Retry-After" in operation["responses"]["409"]["headers"], path
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/IdempotencyKeyReused"
        }, path
    for method, path, operation in operations(schema, "/api/v1/"):
        if method != "post":
            assert "Idempotency-Key" not in str(operation.get("parameters", [])), (method, path)


def test_every_api_operation_declares_the_503_of_a_lost_database_with_retry_after(schema):
    for method, path, operation in operations(schema):
        assert "Retry-After" in operation["responses"]["503"]["headers"], (method, path)
