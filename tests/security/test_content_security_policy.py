"""The pages the portal serves (Swagger UI, the Django admin) carry a Content-Security-Policy
that lets them load only the portal's own scripts and styles; JSON answers a policy that loads
nothing. With nosniff, a referrer policy and no framing."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import UserFactory


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.inline_scripts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: (rest[0] if rest else "") for name, *rest in directives}


def assert_page_headers(response):
    csp = policy(response)
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_swagger_ui_page_has_a_strict_policy_and_loads_only_its_own_files(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert_page_headers(response)
    page = _References()
    page.feed(response.content.decode())
    assert page.inline_scripts == 0  # script-src 'self' would block one
    assert page.urls
    for url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme, url  # same origin
        assert not parts.netloc, url
        static = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.path.startswith(static):
            assert finders.find(parts.path.removeprefix(static)), url  # collected from the sidecar
        else:
            assert client.get(url).status_code == 200, url  # the init script


def test_swagger_ui_init_script_is_served_from_the_portal(client, db):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_admin_login_page_has_the_policy(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert_page_headers(response)
    page = _References()
    page.feed(response.content.decode())
    assert page.inline_scripts == 0
    assert all(not urlsplit(url).netloc for url in page.urls)


def test_admin_pages_for_staff_have_the_policy(client, db):
    client.force_login(UserFactory(email="staff@example.org", is_staff=True, is_superuser=True))

    response = client.get("/admin/portal/user/")

    assert response.status_code == 200
    assert_page_headers(response)


@pytest.mark.parametrize("path", ["/api/v1/me/", "/healthz", "/api/schema/", "/_allauth/browser/v1/config"])
def test_json_answers_may_load_nothing(client, db, path):
    response = client.get(path)

    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
