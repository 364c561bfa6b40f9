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
        result.setdefault("paths", {})[path] = operations
    known_tags = {tag["name"] for tag in result.get("tags", [])}
    for tag in spec.get("tags", []):
        if tag["name"] not in known_tags:
            result.setdefault("tags", []).append(tag)
    return result
