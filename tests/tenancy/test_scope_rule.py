"""The scope rule, persona by persona: a record outside the caller's scope answers 404 exactly
like an id that does not exist, and never appears in a list (docs/domain.md "Who uses it")."""

import uuid

import pytest

from tests.tenancy.conftest import PERSONAS

RECORDS = {
    "sponsors": {"sponsor", "other_sponsor"},
    "employers": {"employer_a", "employer_b", "employer_c"},
    "invitations": {
        "sponsor_admin",
        "employer_a_staff",
        "employer_b_staff",
        "apprentice_at_a",
        "other_sponsor_admin",
        "employer_c_staff",
    },
}

NOTHING = {"sponsors": set(), "employers": set(), "invitations": set()}

# What each persona reads. Sponsors: their RAPS admins, and staff of employers taking part in
# them. Employers: RAPS admins see those taking part in their sponsor, staff their own only.
# Invitations: RAPS admins see those made for their sponsor (into it, or into one of its
# employers for its programs), never those an employer admin made for the employer's own staff;
# employer admins those into their employer.
VISIBLE = {
    "raps_admin": {
        "sponsors": {"sponsor"},
        "employers": {"employer_a", "employer_b"},
        "invitations": {"sponsor_admin", "employer_b_staff", "apprentice_at_a"},
    },
    "employer_a_admin": {
        "sponsors": {"sponsor"},
        "employers": {"employer_a"},
        "invitations": {"employer_a_staff", "apprentice_at_a"},
    },
    "employer_a_supervisor": {"sponsors": {"sponsor"}, "employers": {"employer_a"}, "invitations": set()},
    "employer_b_supervisor": {"sponsors": {"sponsor"}, "employers": {"employer_b"}, "invitations": set()},
    # No apprenticeship yet, and an invitation addressed to them is not theirs to list.
    "apprentice": NOTHING,
    "other_raps_admin": {
        "sponsors": {"other_sponsor"},
        "employers": {"employer_c"},
        "invitations": {"other_sponsor_admin", "employer_c_staff"},
    },
    "outsider": NOTHING,
    # Platform staff keep the catalog and use the Django admin; the API shows them no tenant.
    "platform_staff": NOTHING,
}

CASES = [(resource, persona) for resource in RECORDS for persona in PERSONAS]


def test_the_table_names_every_persona():
    assert set(VISIBLE) == set(PERSONAS)


@pytest.fixture
def caller(request, client_for):
    def make(persona):
        return client_for(request.getfixturevalue(persona))

    return make


def _missing_body(client, resource):
    response = client.get(f"/api/v1/{resource}/{uuid.uuid4()}/")
    assert response.status_code == 404
    return response.json()


@pytest.mark.parametrize(("resource", "persona"), CASES)
def test_list_shows_exactly_the_records_in_the_callers_scope(world, caller, resource, persona):
    response = caller(persona).get(f"/api/v1/{resource}/")

    assert response.status_code == 200
    expected = {str(world[name].id) for name in VISIBLE[persona][resource]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(("resource", "persona"), CASES)
def test_record_outside_scope_answers_404_like_a_missing_id(world, caller, resource, persona):
    client = caller(persona)
    missing = _missing_body(client, resource)
    outside = RECORDS[resource] - VISIBLE[persona][resource]
    assert outside, "every persona has something outside its scope"

    for name in sorted(outside):
        response = client.get(f"/api/v1/{resource}/{world[name].id}/")

        assert (name, response.status_code, response.json()) == (name, 404, missing)


@pytest.mark.parametrize(("resource", "persona"), CASES)
def test_record_inside_scope_is_readable(world, caller, resource, persona):
    client = caller(persona)

    for name in sorted(VISIBLE[persona][resource]):
        response = client.get(f"/api/v1/{resource}/{world[name].id}/")

        assert (name, response.status_code) == (name, 200)
        assert response.json()["id"] == str(world[name].id)


@pytest.mark.parametrize("resource", RECORDS)
def test_an_id_that_is_not_a_uuid_answers_404(world, client_for, raps_admin, resource):
    response = client_for(raps_admin).get(f"/api/v1/{resource}/not-a-uuid/")

    assert response.status_code == 404


@pytest.mark.parametrize("resource", [*RECORDS, "occupations", "me"])
def test_signed_out_caller_gets_401(anonymous_client, resource):
    response = anonymous_client.get(f"/api/v1/{resource}/")

    assert response.status_code == 401


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoking_an_invitation_outside_scope_answers_404_and_revokes_nothing(world, caller, persona):
    client = caller(persona)
    missing = client.post(f"/api/v1/invitations/{uuid.uuid4()}/revoke/")
    assert missing.status_code == 404

    for name in sorted(RECORDS["invitations"] - VISIBLE[persona]["invitations"]):
        response = client.post(f"/api/v1/invitations/{world[name].id}/revoke/")

        assert (name, response.status_code, response.json()) == (name, 404, missing.json())
        world[name].refresh_from_db()
        assert world[name].revoked_at is None
