"""`?search=` finds records by a person's name or e-mail, a RAPIDS id, a name, title or code,
in any case, within what the caller reads; a list asked with a parameter it does not know is a
400 naming it (docs/api.md)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apprenticeships.models import Occupation
from competencies.models import Milestone
from tests import factories


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def people(program, employer_a, employer_b):
    maria = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        apprentice=factories.UserFactory(full_name="María Delgado", email="mdelgado@example.org"),
        rapids_apprentice_id="RA-77001",
    )
    jon = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_b,
        apprentice=factories.UserFactory(full_name="Jon Park", email="jpark@example.org"),
    )
    return {"maria": maria, "jon": jon}


@pytest.mark.parametrize(
    ("term", "found"),
    [("delgado", {"maria"}), ("MARÍA", {"maria"}), ("jpark@", {"jon"}), ("ra-77001", {"maria"}), ("nobody", set())],
)
def test_apprenticeships_are_found_by_name_email_or_rapids_id(client_for, raps_admin, people, term, found):
    response = client_for(raps_admin).get("/api/v1/apprenticeships/", {"search": term})

    assert _ids(response) == {str(people[name].id) for name in found}


def test_every_word_must_match(client_for, raps_admin, people):
    client = client_for(raps_admin)

    assert _ids(client.get("/api/v1/apprenticeships/", {"search": "maría delgado"})) == {str(people["maria"].id)}
    assert _ids(client.get("/api/v1/apprenticeships/", {"search": "maría park"})) == set()


def test_search_stays_within_the_callers_scope(client_for, employer_a_supervisor, people):
    response = client_for(employer_a_supervisor).get("/api/v1/apprenticeships/", {"search": "park"})

    assert _ids(response) == set()


def test_hour_logs_and_milestones_are_found_by_the_apprentices_name(client_for, raps_admin, people):
    marias = factories.HourLogFactory(apprenticeship=people["maria"])
    factories.HourLogFactory(apprenticeship=people["jon"])
    definition = factories.MilestoneDefinitionFactory(program=people["maria"].program, threshold_hours=Decimal("8"))
    milestone = Milestone.objects.create(
        apprenticeship=people["maria"], definition=definition, reached_at=timezone.now(), basis="ojt=8"
    )
    Milestone.objects.create(apprenticeship=people["jon"], definition=definition, reached_at=timezone.now())
    client = client_for(raps_admin)

    assert _ids(client.get("/api/v1/hour-logs/", {"search": "Delgado"})) == {str(marias.id)}
    assert _ids(client.get("/api/v1/milestones/", {"search": "delgado"})) == {str(milestone.id)}


def test_employers_are_found_by_name_or_naics_code(client_for, raps_admin, sponsor, employer_a):
    studio = factories.EmployerFactory(name="Angel City Code", naics_code="611420")
    factories.ParticipationFactory(sponsor=sponsor, employer=studio)
    client = client_for(raps_admin)

    assert _ids(client.get("/api/v1/employers/", {"search": "angel city"})) == {str(studio.id)}
    assert _ids(client.get("/api/v1/employers/", {"search": "611420"})) == {str(studio.id)}


def test_occupations_are_found_by_title_or_code(client_for, raps_admin):
    occupation = factories.OccupationFactory(title="Quantum Widget Wrangler", rapids_code="9876CB")
    client = client_for(raps_admin)

    assert _ids(client.get("/api/v1/occupations/", {"search": "widget wrangler"})) == {str(occupation.id)}
    assert _ids(client.get("/api/v1/occupations/", {"search": "9876cb"})) == {str(occupation.id)}
    assert Occupation.objects.count() > 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hour-logs/?statsu=submitted",
        "/api/v1/apprenticeships/?apprentice_name=maria",
        "/api/v1/milestones/?page=1&sort=reached_at",
        "/api/v1/invitations/?q=x",
        "/api/v1/sponsors/?search=x",  # sponsors/ does not search
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it(client_for, raps_admin, url):
    response = client_for(raps_admin).get(url)

    unknown = url.split("?")[1].split("&")[-1].split("=")[0]
    assert response.status_code == 400
    assert response.json() == {unknown: ["Unknown query parameter."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hour-logs/?status=submitted&date_after=2025-01-01&date_before=2025-12-31&search=a&format=json",
        "/api/v1/invitations/?status=pending&role=supervisor",
        "/api/v1/notifications/?unread=true&event=hours_submitted",
        "/api/v1/apprenticeships/?include=progress&search=a&ordering=-percent&page_size=5",
        "/api/v1/competency-signoffs/?is_current=true&rating=proficient",
    ],
)
def test_the_parameters_a_list_knows_are_accepted(client_for, raps_admin, url):
    assert client_for(raps_admin).get(url).status_code == 200


def test_a_search_longer_than_200_characters_is_400(client_for, raps_admin):
    response = client_for(raps_admin).get("/api/v1/apprenticeships/", {"search": "a" * 201})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]
