"""POST /api/v1/employers/ and PATCH /api/v1/employers/{id}/: the sponsor's RAPS admins write;
employer staff read their own employer but may not change it; others do not find it."""

import uuid

import pytest
from django.utils import timezone

from sponsors.models import Employer, Participation
from tests import factories

NEW_EMPLOYER = {
    "name": "Angel City Code",
    "ein": "95-7654321",
    "city": "Los Angeles",
    "state": "CA",
    "zip_code": "90012",
    "naics_code": "541511",
}

NOT_RAPS_ADMINS = [
    "employer_a_admin",
    "employer_a_supervisor",
    "employer_b_supervisor",
    "apprentice",
    "outsider",
    "platform_staff",
]


def test_raps_admin_adds_an_employer_that_joins_their_sponsor(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).post("/api/v1/employers/", NEW_EMPLOYER)

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in NEW_EMPLOYER} == NEW_EMPLOYER
    employer = Employer.objects.get(id=body["id"])
    participation = Participation.objects.get(employer=employer)
    assert participation.sponsor == sponsor
    assert participation.joined_on == timezone.localdate()
    created = employer.history.get()
    assert (created.history_type, created.history_user) == ("+", raps_admin)


def test_added_employer_is_then_listed_for_its_raps_admin(client_for, raps_admin):
    client = client_for(raps_admin)
    created = client.post("/api/v1/employers/", NEW_EMPLOYER).json()

    listed = client.get("/api/v1/employers/").json()["results"]

    assert [row["id"] for row in listed] == [created["id"]]


@pytest.mark.parametrize("persona", NOT_RAPS_ADMINS)
def test_only_raps_admins_add_employers(request, client_for, sponsor, persona):
    client = client_for(request.getfixturevalue(persona))
    before = Employer.objects.count()

    response = client.post("/api/v1/employers/", NEW_EMPLOYER)

    assert response.status_code == 403
    assert Employer.objects.count() == before
    assert not Employer.objects.filter(ein=NEW_EMPLOYER["ein"]).exists()


def test_employer_staff_posting_an_incomplete_employer_is_refused_not_coached(client_for, employer_a_supervisor):
    response = client_for(employer_a_supervisor).post("/api/v1/employers/", {"name": ""})

    assert response.status_code == 403


def test_malformed_ein_is_refused_with_the_field_and_nothing_is_written(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).post("/api/v1/employers/", {**NEW_EMPLOYER, "ein": "123"})

    assert response.status_code == 400
    assert "ein" in response.json()
    assert not Employer.objects.exists()
    assert not Participation.objects.exists()
    assert not Employer.history.exists()


def test_duplicate_ein_is_refused_with_the_field(client_for, raps_admin, employer_a):
    before = Employer.objects.count()

    response = client_for(raps_admin).post("/api/v1/employers/", {**NEW_EMPLOYER, "ein": employer_a.ein})

    assert response.status_code == 400
    assert "ein" in response.json()
    assert Employer.objects.count() == before


def test_raps_admin_cannot_add_an_employer_to_another_sponsor(client_for, raps_admin, other_sponsor):
    response = client_for(raps_admin).post("/api/v1/employers/", {**NEW_EMPLOYER, "sponsor": str(other_sponsor.id)})

    assert response.status_code == 400
    assert "sponsor" in response.json()
    assert not Employer.objects.filter(ein=NEW_EMPLOYER["ein"]).exists()


def test_admin_of_two_sponsors_must_name_the_sponsor(client_for, raps_admin, sponsor):
    second = factories.SponsorFactory()
    factories.MembershipFactory(user=raps_admin, sponsor=second, role="raps_admin")
    client = client_for(raps_admin)

    unnamed = client.post("/api/v1/employers/", NEW_EMPLOYER)
    named = client.post("/api/v1/employers/", {**NEW_EMPLOYER, "sponsor": str(second.id)})

    assert unnamed.status_code == 400
    assert "sponsor" in unnamed.json()
    assert named.status_code == 201
    assert Participation.objects.get(employer_id=named.json()["id"]).sponsor == second


def test_raps_admin_changes_an_employer_of_their_sponsor(client_for, raps_admin, employer_a):
    response = client_for(raps_admin).patch(f"/api/v1/employers/{employer_a.id}/", {"zip_code": "90013"})

    assert response.status_code == 200
    assert response.json()["zip_code"] == "90013"
    employer_a.refresh_from_db()
    assert employer_a.zip_code == "90013"
    latest = employer_a.history.first()
    assert (latest.history_type, latest.history_user, latest.zip_code) == ("~", raps_admin, "90013")


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor"])
def test_staff_of_the_employer_may_read_it_but_not_change_it(request, client_for, employer_a, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/employers/{employer_a.id}/").status_code == 200

    response = client.patch(f"/api/v1/employers/{employer_a.id}/", {"name": "Renamed"})

    assert response.status_code == 403
    employer_a.refresh_from_db()
    assert employer_a.name == "Employer A"


@pytest.mark.parametrize(
    "persona", ["employer_b_supervisor", "other_raps_admin", "apprentice", "outsider", "platform_staff"]
)
def test_caller_outside_the_employer_gets_404_like_a_missing_id_when_changing_it(
    request, client_for, employer_a, persona
):
    client = client_for(request.getfixturevalue(persona))
    missing = client.patch(f"/api/v1/employers/{uuid.uuid4()}/", {"name": "Renamed"})

    response = client.patch(f"/api/v1/employers/{employer_a.id}/", {"name": "Renamed"})

    assert response.status_code == 404
    assert response.json() == missing.json()
    employer_a.refresh_from_db()
    assert employer_a.name == "Employer A"


def test_malformed_ein_on_change_is_refused_and_not_written(client_for, raps_admin, employer_a):
    ein = employer_a.ein

    response = client_for(raps_admin).patch(f"/api/v1/employers/{employer_a.id}/", {"ein": "123"})

    assert response.status_code == 400
    assert "ein" in response.json()
    employer_a.refresh_from_db()
    assert employer_a.ein == ein


def test_journeyworkers_given_on_adding_an_employer_are_kept(client_for, raps_admin, sponsor):
    response = client_for(raps_admin).post("/api/v1/employers/", {**NEW_EMPLOYER, "journeyworkers": 3})

    assert response.status_code == 201, response.json()
    assert response.json()["journeyworkers"] == 3
    assert Employer.objects.get(id=response.json()["id"]).journeyworkers == 3


def test_changing_journeyworkers_is_recorded_in_the_employers_history(client_for, raps_admin, employer_a):
    client = client_for(raps_admin)

    response = client.patch(f"/api/v1/employers/{employer_a.id}/", {"journeyworkers": 4})

    assert response.status_code == 200, response.json()
    assert response.json()["journeyworkers"] == 4
    employer_a.refresh_from_db()
    assert employer_a.journeyworkers == 4
    latest = client.get(f"/api/v1/employers/{employer_a.id}/history/").json()["results"][0]
    assert latest["changes"] == [{"field": "journeyworkers", "old": 0, "new": 4}]


@pytest.mark.parametrize("journeyworkers", [-1, "many"])
def test_journeyworkers_that_are_not_a_whole_number_of_at_least_zero_are_refused(
    client_for, raps_admin, employer_a, journeyworkers
):
    response = client_for(raps_admin).patch(f"/api/v1/employers/{employer_a.id}/", {"journeyworkers": journeyworkers})

    assert response.status_code == 400
    assert list(response.json()) == ["journeyworkers"]
    employer_a.refresh_from_db()
    assert employer_a.journeyworkers == 0


def test_a_change_that_changes_nothing_writes_no_history_entry(client_for, raps_admin, employer_a):
    entries = employer_a.history.count()

    response = client_for(raps_admin).patch(f"/api/v1/employers/{employer_a.id}/", {"name": employer_a.name})

    assert response.status_code == 200
    assert employer_a.history.count() == entries
