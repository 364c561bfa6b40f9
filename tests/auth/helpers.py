"""Helpers for the allauth headless clients: the app client (X-Session-Token) and the browser
client (session cookie + CSRF)."""

import re
from urllib.parse import unquote

from django.conf import settings
from django.core import mail
from rest_framework.test import APIClient

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


def app_login(email: str, password: str):
    """`POST /_allauth/app/v1/auth/login` from a fresh client (no cookies carried over)."""
    return APIClient().post(f"{APP}/auth/login", {"email": email, "password": password}, format="json")


def token_client(token: str) -> APIClient:
    """A client that signs in only with the app client's session token."""
    return APIClient(enforce_csrf_checks=True, HTTP_X_SESSION_TOKEN=token)


def link_key(path: str, to: str) -> str:
    """The key at the end of `<FRONTEND_URL><path><key>` in the last e-mail sent to `to`.

    allauth URL-quotes the key in the link; the front end decodes it before posting it back.
    """
    bodies = [message.body for message in mail.outbox if message.to == [to]]
    assert bodies, f"no e-mail was sent to {to}"
    match = re.search(re.escape(f"{settings.FRONTEND_URL}{path}") + r"(\S+)", bodies[-1])
    assert match, f"no {path} link in: {bodies[-1]}"
    return unquote(match[1])


def pending_flow_ids(response) -> set[str]:
    return {flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")}


def csrf_header(client: APIClient) -> dict:
    """The header a front end sends: the current csrftoken cookie (it rotates on sign-in)."""
    return {"X-CSRFToken": client.cookies["csrftoken"].value}
