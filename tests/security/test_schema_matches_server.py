"""The OpenAPI schema (/api/schema/) describes what the server does: for a handful of operations,
bad input is sent and the answer validated against what the schema declares for it (JSON Schema,
with `format` checked), and a parameter the server accepts is one the schema allows."""

from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apprenticeships.models import Competency
from competencies.models import CompetencySignOff
from tests.reports.conftest import RAPIDS_URL

LOGS = "/api/v1/hour-logs/"
BULK = "/api/v1/hour-logs/bulk/"
IMPORT = "/api/v1/hour-logs/import/"
SIGNOFFS = "/api/v1/competency-signoffs/"
HEADER = "apprenticeship,date,hours,kind,work_process,description"

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    # jsonschema checks "uri" only with an optional package; a URI has a scheme at least.
    return not isinstance(value, str) or bool(urlsplit(value).scheme)


@pytest.fixture
def openapi(client, db) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def as_json_schema(node, components: dict):
    """An OpenAPI 3.0 schema as JSON Schema: references resolved, `nullable` as a null type."""
    if isinstance(node, list):
        return [as_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return as_json_schema(components[node["$ref"].rsplit("/", 1)[1]], components)
    schema = {key: as_json_schema(value, components) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [schema, {"type": "null"}]} if node.get("nullable") else schema


def response_schema(openapi, path: str, method: str, status: int) -> dict:
    responses = openapi["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} declares no {status}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return as_json_schema(schema, openapi["components"]["schemas"])


def parameter_schema(openapi, path: str, method: str, name: str) -> dict:
    (parameter,) = [p for p in openapi["paths"][path][method]["parameters"] if p["name"] == name]
    return as_json_schema(parameter["schema"], openapi["components"]["schemas"])


def assert_matches(body, schema):
    jsonschema.validate(body, schema, format_checker=FORMATS)


def assert_does_not_match(value, schema):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(value, schema, format_checker=FORMATS)


@pytest.fixture
def ojt_item(apprenticeship):
    work_process = apprenticeship.program.work_processes.get(title="Front end")
    return {
        "apprenticeship": str(apprenticeship.id),
        "date": "2025-03-03",
        "hours": "8",
        "kind": "ojt",
        "work_process": str(work_process.id),
    }


# --- POST hour-logs/bulk/ ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"hours": "8"}, "non_field_errors"),
        ([], "non_field_errors"),
        ([{"hours": "١"}], "items"),
    ],
)
def test_every_400_of_bulk_is_one_the_schema_declares(
    openapi, client_for, employer_a_supervisor, apprenticeship, body, key
):
    response = client_for(employer_a_supervisor).post(BULK, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [key]
    assert_matches(response.json(), response_schema(openapi, BULK, "post", 400))


def test_a_bulk_body_that_is_not_json_is_a_400_the_schema_declares(openapi, client_for, employer_a_supervisor):
    response = client_for(employer_a_supervisor).post(BULK, data="[{", content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert_matches(response.json(), response_schema(openapi, BULK, "post", 400))


def test_the_errors_of_a_bulk_item_are_a_400_the_schema_declares(openapi, client_for, employer_a_supervisor, ojt_item):
    response = client_for(employer_a_supervisor).post(BULK, [ojt_item, {**ojt_item, "hours": "25"}], format="json")

    assert response.status_code == 400
    assert response.json()["items"][0] == {}
    assert_matches(response.json(), response_schema(openapi, BULK, "post", 400))


# --- POST hour-logs/import/ ----------------------------------------------------------------------


def csv_upload(text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("hours.csv", text if isinstance(text, bytes) else text.encode(), "text/csv")


@pytest.mark.parametrize(
    ("files", "key"),
    [
        (lambda _item: {}, "file"),
        (lambda _item: {"file": csv_upload("date,hours\n2025-03-03,8\n")}, "file"),
        (lambda _item: {"file": csv_upload(f"{HEADER}\n")}, "file"),
        (lambda _item: {"file": csv_upload(b"\xff\xfe\x00")}, "file"),
        (lambda item: {"file": csv_upload(f"{HEADER}\n{item['apprenticeship']},2025-03-03,25,ojt,,x\n")}, "lines"),
    ],
)
def test_every_400_of_import_is_one_the_schema_declares(
    openapi, client_for, employer_a_supervisor, ojt_item, files, key
):
    response = client_for(employer_a_supervisor).post(IMPORT, files(ojt_item), format="multipart")

    assert response.status_code == 400
    assert list(response.json()) == [key]
    assert_matches(response.json(), response_schema(openapi, IMPORT, "post", 400))


# --- competency sign-offs: no evidence URL -------------------------------------------------------


def test_a_sign_off_without_an_evidence_url_matches_the_schema(openapi, client_for, employer_a_supervisor, ojt_item):
    competency = Competency.objects.filter(work_process__title="Front end").first()
    body = {"apprenticeship": ojt_item["apprenticeship"], "competency": str(competency.id), "rating": "proficient"}
    client = client_for(employer_a_supervisor)

    created = client.post(SIGNOFFS, body, format="json")
    listed = client.get(SIGNOFFS)

    assert created.status_code == 201, created.json()
    assert created.json()["evidence_url"] is None
    assert_matches(created.json(), response_schema(openapi, SIGNOFFS, "post", 201))
    assert_matches(listed.json(), response_schema(openapi, SIGNOFFS, "get", 200))


@pytest.mark.parametrize("evidence_url", ["", None])
def test_no_evidence_url_is_sent_as_empty_or_null_and_read_back_as_null(
    client_for, employer_a_supervisor, ojt_item, evidence_url
):
    competency = Competency.objects.first()
    body = {
        "apprenticeship": ojt_item["apprenticeship"],
        "competency": str(competency.id),
        "rating": "proficient",
        "evidence_url": evidence_url,
    }

    response = client_for(employer_a_supervisor).post(SIGNOFFS, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["evidence_url"] is None
    assert CompetencySignOff.objects.get().evidence_url == ""


# --- GET reports/rapids-apprentices.csv: an empty filter is "not given" ----------------------------


@pytest.mark.parametrize("name", ["registered_after", "registered_before"])
def test_an_empty_rapids_filter_is_not_given_as_the_schema_says(openapi, client_for, raps_admin, apprenticeship, name):
    response = client_for(raps_admin).get(RAPIDS_URL, {name: ""})

    assert response.status_code == 200
    assert apprenticeship.apprentice.email in b"".join(response.streaming_content).decode()
    assert_matches("", parameter_schema(openapi, RAPIDS_URL, "get", name))


@pytest.mark.parametrize("name", ["registered_after", "registered_before"])
@pytest.mark.parametrize("value", ["yesterday", "２０２５-０１-０６"])
def test_a_rapids_filter_the_schema_refuses_is_a_400_naming_it(openapi, client_for, raps_admin, name, value):
    response = client_for(raps_admin).get(RAPIDS_URL, {name: value})

    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert_does_not_match(value, parameter_schema(openapi, RAPIDS_URL, "get", name))


# --- what bulk and import write: a plain list, not a page -----------------------------------------


def test_the_logs_written_in_bulk_are_the_list_the_schema_declares(
    openapi, client_for, employer_a_supervisor, ojt_item
):
    response = client_for(employer_a_supervisor).post(BULK, [ojt_item], format="json")

    assert response.status_code == 201, response.json()
    assert_matches(response.json(), response_schema(openapi, BULK, "post", 201))
    # Not a page: no query parameter; the one header of every POST (docs/api.md, "Retries").
    assert [parameter["name"] for parameter in openapi["paths"][BULK]["post"].get("parameters", [])] == [
        "Idempotency-Key"
    ]


def test_the_logs_imported_are_the_list_the_schema_declares(openapi, client_for, employer_a_supervisor, ojt_item):
    line = f"{ojt_item['apprenticeship']},2025-03-03,8,ojt,{ojt_item['work_process']},Forms"

    response = client_for(employer_a_supervisor).post(
        IMPORT, {"file": csv_upload(f"{HEADER}\n{line}\n")}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert_matches(response.json(), response_schema(openapi, IMPORT, "post", 201))
    # Not a page: no query parameter; the one header of every POST (docs/api.md, "Retries").
    assert [parameter["name"] for parameter in openapi["paths"][IMPORT]["post"].get("parameters", [])] == [
        "Idempotency-Key"
    ]
