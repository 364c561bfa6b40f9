import pytest
from rest_framework.test import APIClient

from tests.auth.helpers import BROWSER


@pytest.fixture
def browser_client():
    """A browser-client session with CSRF enforced, holding the csrftoken cookie already."""
    client = APIClient(enforce_csrf_checks=True)
    response = client.get(f"{BROWSER}/config")
    assert response.status_code == 200
    assert client.cookies["csrftoken"].value
    return client
