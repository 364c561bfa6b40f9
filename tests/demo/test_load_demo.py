import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portal.demo import DEMO_PASSWORD
from portal.models import User
from sponsors.models import Employer, Membership, Participation, Sponsor

DEMO_ACCOUNTS = {
    "raps.admin@demo.example": ("sponsor", "raps_admin"),
    "employer.supervisor@demo.example": ("employer", "supervisor"),
    "other.employer@demo.example": ("employer", "supervisor"),
}


def record_counts():
    return {model.__name__: model.objects.count() for model in (User, Sponsor, Employer, Participation, Membership)}


@pytest.mark.django_db
def test_loading_the_demo_twice_neither_fails_nor_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    first = record_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert record_counts() == first
    assert first["Sponsor"] == 1
    assert first["Employer"] >= 2


@pytest.mark.django_db
def test_load_demo_prints_every_account_and_the_password():
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    printed = output.getvalue()
    assert DEMO_PASSWORD in printed
    for email in [*DEMO_ACCOUNTS, "apprentice@demo.example"]:
        assert email in printed


@pytest.mark.django_db
@pytest.mark.parametrize(("email", "membership"), DEMO_ACCOUNTS.items())
def test_each_demo_account_signs_in_with_the_app_client_and_reads_its_memberships(email, membership):
    call_command("load_demo", stdout=io.StringIO())
    client = APIClient()

    login = client.post("/_allauth/app/v1/auth/login", {"email": email, "password": DEMO_PASSWORD}, format="json")
    token = login.json()["meta"]["session_token"]
    me = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)

    assert login.status_code == 200
    assert me.status_code == 200
    assert [(m["organization"]["kind"], m["role"]) for m in me.json()["memberships"]] == [membership]


@pytest.mark.django_db
def test_the_demo_apprentice_signs_in():
    call_command("load_demo", stdout=io.StringIO())

    login = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": "apprentice@demo.example", "password": DEMO_PASSWORD}, format="json"
    )

    assert login.status_code == 200
