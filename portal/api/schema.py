"""drf-spectacular additions: the session-token scheme, allauth's own endpoints merged in, and
what every operation gets by the kind of its route (PortalAutoSchema, declare_error_responses):
a tag per resource, an operationId a generated client can name a function after, a description
of its own, and the errors it may answer."""

import copy
import json
import re
from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc

API_PREFIX = "/api/v1/"


def resource_of(path: str) -> str:
    """The resource a path under /api/v1/ is about: its first segment (`hour-logs`, `me`)."""
    return path.removeprefix(API_PREFIX).split("/")[0].split(".")[0] or "api"


# What the standard actions do, for the actions whose method has no docstring of its own (DRF's
# mixins'): written per action, so that no operation repeats its viewset's docstring.
_ACTION_DESCRIPTIONS = {
    "list": (
        "The {resource} the caller may read, a page at a time (`page`, `page_size`), filtered "
        "and ordered by the query parameters below."
    ),
    "history": (
        "The changes of one of the {resource}, newest first, paged: who made each, when and why, "
        "and each field's old and new value. Scoped like the record: outside the caller's scope, 404."
    ),
    "retrieve": (
        "One of the {resource}, by its id. One outside the caller's scope is a 404, exactly like "
        "an id that does not exist."
    ),
}


class PortalAutoSchema(AutoSchema):
    """The default schema class (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS): every operation, those
    added later included, gets these without an edit of its own."""

    def get_tags(self) -> list[str]:
        if self.path.startswith(API_PREFIX):
            return [resource_of(self.path)]
        return super().get_tags()

    def get_operation_id(self) -> str:
        # `progress.svg`, `rapids-apprentices.csv`: a dot is no name in most languages.
        return re.sub(r"[^A-Za-z0-9_]", "_", super().get_operation_id())

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's signature
        action = getattr(self.view, "action", None) or self.method.lower()
        own = get_doc(getattr(self.view, action, None))
        if own:
            return own
        template = _ACTION_DESCRIPTIONS.get(action)
        if not template:
            return super().get_description()
        text = template.format(resource=resource_of(self.path).replace("-", " "))
        # The resource's own description once, on its list; never repeated on its other actions.
        return f"{get_doc(self.view.__class__)}\n\n{text}".strip() if action == "list" else text


class PortalSessionScheme(SessionScheme):
    """The browser's session cookie: DRF's session authentication, answering in the user's language."""

    target_class = "portal.api.authentication.SessionAuthentication"


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": "The `meta.session_token` of `POST /_allauth/app/v1/auth/login`.",
        }


# The portal's error bodies (docs/api.md, "Errors"), as schema components.
_ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "What went wrong, in words for a person.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ServerError": {
        "type": "object",
        "description": "A fault of the server, logged with `request_id`; never a stack trace.",
        "properties": {"detail": {"type": "string"}, "request_id": {"type": "string"}},
        "required": ["detail", "request_id"],
    },
    "IdempotencyKeyReused": {
        "type": "object",
        "description": "An `Idempotency-Key` sent before with another method, path or body: nothing is done.",
        "properties": {
            "detail": {"type": "string"},
            "Idempotency-Key": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail", "Idempotency-Key"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "Each field's messages under its name (a nested field's nested alike); "
            "`non_field_errors` for the request as a whole."
        ),
        "properties": {"non_field_errors": {"type": "array", "items": {"type": "string"}}},
        "additionalProperties": {},
    },
}

# Each error status: its body's component, and what it means (errors_of says where it applies).
_ERRORS = {
    "400": ("ValidationError", "Bad input, by field; nothing is written."),
    "401": ("Error", "Not signed in, or an unknown session token."),
    "403": ("Error", "The caller sees the record but may not do this (or the CSRF token is missing)."),
    "404": ("Error", "No such record, or one outside the caller's scope; or a page past the end."),
    "409": (
        "Error",
        "The record's state forbids this, or a concurrent request changed it first; or the first copy of a "
        "request with this `Idempotency-Key` is still running (`Retry-After`).",
    ),
    "413": ("Error", "The body, or the number of items or rows in it, is over the limit; nothing is written."),
    "415": ("Error", "A body of another media type than the one this operation takes."),
    "422": ("IdempotencyKeyReused", "This `Idempotency-Key` came with another request (method, path or body)."),
    "429": ("Error", "Too many requests; `Retry-After` says when to come back."),
    "500": ("ServerError", "A fault of the server, with the request id it was logged under."),
    "503": ("Error", "The database is unavailable for a moment (a lost connection); `Retry-After` says when to retry."),
}
_WRITES = {"post", "put", "patch", "delete"}


def errors_of(method: str, path: str, operation: dict) -> list[str]:
    """The error statuses an operation of /api/ may answer, by the kind of its route: every one
    401, 403, 429, 500 and 503 (the database lost); a route to one record or a page of a list
    404; every write 400 (bad input), 409 (a state or a concurrent change that forbids it) and
    413 (every body has a size limit, bulk and import a number of items); a write with a body
    415; a POST 422 (its `Idempotency-Key` reused)."""
    statuses = ["401", "403", "429", "500", "503"]
    is_list = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
    if "{" in path or is_list:
        statuses.append("404")
    if method in _WRITES:
        statuses += ["400", "409", "413"]
        if "requestBody" in operation:
            statuses.append("415")
    if method == "post" and path.startswith(API_PREFIX):
        statuses.append("422")
    return statuses


def declare_error_responses(result, generator, request, public):
    """Declare on every operation of /api/ the errors it may answer, in the shared components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component_schema in _ERROR_SCHEMAS.items():
        schemas.setdefault(name, copy.deepcopy(component_schema))
    for path, operations in result.get("paths", {}).items():
        if path.startswith("/_allauth/"):
            _declare_allauth_detail(result, operations)
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in errors_of(method, path, operation):
                component, description = _ERRORS[status]
                schema = {"$ref": f"#/components/schemas/{component}"}
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result


def _resolved(result: dict, node: dict) -> dict:
    while "$ref" in node:
        section, name = node["$ref"].removeprefix("#/components/").split("/", 1)
        node = result["components"][section][name]
    return node


def _declare_allauth_detail(result: dict, operations: dict) -> None:
    """allauth's errors but its 400s carry the portal's `detail` too (in_one_error_shape)."""
    for operation in operations.values():
        if not isinstance(operation, dict):
            continue
        for status, response in operation.get("responses", {}).items():
            if status.startswith(("4", "5")) and status != "400":
                for content in _resolved(result, response).get("content", {}).values():
                    schema = _resolved(result, content.get("schema", {}))
                    if schema.get("type") == "object":
                        schema.setdefault("properties", {}).setdefault(
                            "detail", {"type": "string", "description": "The portal's words for the error."}
                        )


_COMPONENT_REF = re.compile(r'"#/components/(\w+)/([^"]+)"')


def _operation_id(method: str, path: str) -> str:
    words = re.sub(r"[^a-zA-Z0-9]+", "_", path.strip("/")).strip("_")
    return f"{words}_{method}"


# What allauth answers and its spec leaves out (response components, before the prefix). Every
# operation but a GET parses its body and refuses one that is not a JSON object (400); the
# address book answers anyone signed out 401, whatever the method; the flows allauth rate-limits
# (ACCOUNT_RATE_LIMITS) answer 429.
_SIGNED_OUT = {"401": "Authentication"}
_RATE_LIMITED = {"429": "TooManyRequests"}
_UNDOCUMENTED_ANSWERS = {
    ("post", "/auth/login"): _RATE_LIMITED,
    ("post", "/auth/signup"): _RATE_LIMITED,
    ("post", "/auth/password/request"): _RATE_LIMITED,
    ("post", "/auth/password/reset"): _RATE_LIMITED,
    ("post", "/account/password/change"): _RATE_LIMITED,
    ("get", "/account/email"): _RATE_LIMITED,
    ("post", "/account/email"): _RATE_LIMITED,
    ("put", "/account/email"): _SIGNED_OUT | _RATE_LIMITED,
    ("patch", "/account/email"): _SIGNED_OUT | _RATE_LIMITED,
    ("delete", "/account/email"): _SIGNED_OUT | _RATE_LIMITED,
}


def _add_undocumented_answers(method: str, path: str, responses: dict) -> None:
    answers = dict(_UNDOCUMENTED_ANSWERS.get((method, path.partition("/v1")[2]), {}))
    if method != "get":
        answers["400"] = "Error"
    for status, component in answers.items():
        responses.setdefault(status, {"$ref": f"#/components/responses/Allauth{component}"})


def merge_allauth_schema(result, generator, request, public):
    """Describe `/_allauth/...` (sign-in, sign-up, verification, reset) in the one schema.

    allauth ships its own OpenAPI document; its components are prefixed with `Allauth` so they
    cannot collide with ours.
    """
    from allauth.headless.spec.internal.schema import get_schema

    spec = json.loads(_COMPONENT_REF.sub(lambda m: f'"#/components/{m[1]}/Allauth{m[2]}"', json.dumps(get_schema())))
    components = result.setdefault("components", {})
    for section, items in spec.get("components", {}).items():
        target = components.setdefault(section, {})
        for name, value in items.items():
            key = name if section == "securitySchemes" else f"Allauth{name}"
            target.setdefault(key, value)
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("operationId", _operation_id(method, path))
                _add_undocumented_answers(method, path, operation["responses"])
        result.setdefault("paths", {})[path] = operations
    known_tags = {tag["name"] for tag in result.get("tags", [])}
    for tag in spec.get("tags", []):
        if tag["name"] not in known_tags:
            result.setdefault("tags", []).append(tag)
    return result


REASON_PROPERTY = {
    "type": "string",
    "maxLength": 2000,
    "description": "Why (optional): recorded with every change this request makes, in history and the audit trail.",
}


REASON_ERRORS = {
    "type": "object",
    "description": "The 400 of a `reason` that is not a text of at most 2,000 characters.",
    "properties": {"reason": {"type": "array", "items": {"type": "string"}}},
    "required": ["reason"],
}


def _admit_reason_errors(operation: dict, components: dict) -> None:
    """A write whose 400 is one of a few shapes (the bulk's, the import's) may also answer the
    `reason`'s."""
    schema = operation.get("responses", {}).get("400", {}).get("content", {}).get("application/json", {})
    ref = schema.get("schema", {}).get("$ref", "")
    shapes = components.get(ref.rsplit("/", 1)[-1], {}).get("oneOf")
    if shapes is not None and {"$ref": "#/components/schemas/ReasonErrors"} not in shapes:
        components["ReasonErrors"] = REASON_ERRORS
        shapes.append({"$ref": "#/components/schemas/ReasonErrors"})


def reason_on_every_write(result, generator, request, public):
    """Every write of the API takes an optional `reason` in its body (read by the tenancy base,
    portal/tenancy.py): each JSON object body says so. A body with its own `reason` (a decision's)
    keeps it. allauth's operations (merged after) are not ours."""
    components = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            if method not in ("post", "put", "patch") or not isinstance(operation, dict):
                continue
            _admit_reason_errors(operation, components)
            body = operation.setdefault(
                "requestBody", {"content": {"application/json": {"schema": {"type": "object"}}}}
            )
            for media_type, content in body.get("content", {}).items():
                if media_type not in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
                    continue
                schema = content.get("schema", {})
                target = schema
                if "$ref" in schema:
                    target = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
                if target.get("type", "object") != "object" or "reason" in target.get("properties", {}):
                    continue
                if "$ref" in schema:
                    content["schema"] = {
                        "allOf": [schema, {"type": "object", "properties": {"reason": REASON_PROPERTY}}]
                    }
                else:
                    schema.setdefault("properties", {})["reason"] = REASON_PROPERTY
    return result


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "Any unique text of the client's (a UUID): sent again with the same body within 24 hours, the "
        "first answer is answered again (with `Idempotent-Replayed: true`) and nothing is written; with "
        "another body or path, a 422; while the first copy is still running, a 409 with `Retry-After`. "
        "Keys are each caller's own. 5xx answers, 409 and 429 are not kept: retry with the same key."
    ),
}
REPLAYED_HEADER = {
    "description": "`true` when this is the stored first answer to a request with the same `Idempotency-Key`.",
    "schema": {"type": "string", "enum": ["true"]},
}
RETRY_AFTER_HEADER = {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
IDEMPOTENCY_KEY_ERRORS = {
    "type": "object",
    "description": "The 400 of an `Idempotency-Key` of no characters or more than 255.",
    "properties": {"Idempotency-Key": {"type": "array", "items": {"type": "string"}}},
    "required": ["Idempotency-Key"],
}


def _admit_key_errors(operation: dict, components: dict) -> None:
    """A POST whose 400 is one of a few shapes (the bulk's, the import's) may also answer the
    key's (as _admit_reason_errors does for `reason`)."""
    schema = operation.get("responses", {}).get("400", {}).get("content", {}).get("application/json", {})
    ref = schema.get("schema", {}).get("$ref", "")
    shapes = components.get(ref.rsplit("/", 1)[-1], {}).get("oneOf")
    key_errors = {"$ref": "#/components/schemas/IdempotencyKeyErrors"}
    if shapes is not None and key_errors not in shapes:
        components["IdempotencyKeyErrors"] = IDEMPOTENCY_KEY_ERRORS
        shapes.append(key_errors)


def idempotency_key_on_every_post(result, generator, request, public):
    """Every POST of /api/v1/ takes an optional `Idempotency-Key` (portal/idempotency.py, read by
    the tenancy base); its answers may be replayed; its 409 and every 503 say when to retry."""
    components = result.get("components", {}).get("schemas", {})
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "503" in responses:
                responses["503"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER
            if method != "post":
                continue
            _admit_key_errors(operation, components)
            parameters = operation.setdefault("parameters", [])
            if not any(parameter.get("name") == "Idempotency-Key" for parameter in parameters):
                parameters.append(copy.deepcopy(IDEMPOTENCY_KEY_PARAMETER))
            if "409" in responses:
                responses["409"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER_HEADER
            for status, response in responses.items():
                if status.startswith("2") and "$ref" not in response:
                    response.setdefault("headers", {})["Idempotent-Replayed"] = REPLAYED_HEADER
    return result
