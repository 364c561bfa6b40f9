"""PATCH /api/v1/sponsors/{id}/: the sponsor's RAPS admins change it; a member who can read it
is refused (403); anyone else does not find it (404)."""

import uuid

import pytest

from sponsors.models import Sponsor


def test_raps_admin_changes_their_sponsor_and_history_names_them(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).patch(
        f"/api/v1/sponsors/{sponsor.id}/", {"contact_name": "Dana Director", "contact_email": "dana@example.org"}
    )

    assert response.status_code == 200
    assert response.json()["contact_name"] == "Dana Director"
    sponsor.refresh_from_db()
    assert (sponsor.contact_name, sponsor.contact_email) == ("Dana Director", "dana@example.org")
    latest = sponsor.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == raps_admin
    assert latest.history_change_reason == "updated"
    assert latest.contact_name == "Dana Director"


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "employer_b_supervisor"])
def test_employer_staff_who_can_read_the_sponsor_may_not_change_it(request, client_for, sponsor, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/sponsors/{sponsor.id}/").status_code == 200

    response = client.patch(f"/api/v1/sponsors/{sponsor.id}/", {"name": "Renamed"})

    assert response.status_code == 403
    sponsor.refresh_from_db()
    assert sponsor.name == "Technology HRTP"
    assert sponsor.history.count() == 1


@pytest.mark.parametrize("persona", ["other_raps_admin", "apprentice", "outsider", "platform_staff"])
def test_caller_outside_the_sponsor_gets_404_like_a_missing_id_when_changing_it(request, client_for, sponsor, persona):
    client = client_for(request.getfixturevalue(persona))
    missing = client.patch(f"/api/v1/sponsors/{uuid.uuid4()}/", {"name": "Renamed"})

    response = client.patch(f"/api/v1/sponsors/{sponsor.id}/", {"name": "Renamed"})

    assert response.status_code == 404
    assert response.json() == missing.json()
    assert Sponsor.objects.get(id=sponsor.id).name == "Technology HRTP"


def test_invalid_sponsor_change_is_refused_with_the_field_and_not_written(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).patch(f"/api/v1/sponsors/{sponsor.id}/", {"contact_email": "not-an-address"})

    assert response.status_code == 400
    assert list(response.json()) == ["contact_email"]
    assert sponsor.history.count() == 1


def test_sponsor_change_breaking_the_agency_state_rule_answers_non_field_errors(client_for, raps_admin, sponsor):
    # The sponsor is registered by California's state agency; the federal OA names no state.
    response = client_for(raps_admin).patch(f"/api/v1/sponsors/{sponsor.id}/", {"registration_agency": "federal_oa"})

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    sponsor.refresh_from_db()
    assert sponsor.registration_agency == "state"
