"""drf-spectacular additions: the session-token scheme, and allauth's own endpoints merged in."""

import json
import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
