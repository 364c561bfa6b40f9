"""GET /api/v1/competency-signoffs/ and its detail and history: scoped like the apprenticeships
they belong to, filtered by apprenticeship, in a fixed number of queries."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.selectors import caller_scope
from competencies import services
from competencies.models import CompetencySignOff
from tests import factories
from tests.signoffs.conftest import SIGNOFFS


def sign(apprenticeship, competency, signer, rating="proficient"):
    signoff, _ = services.competency_sign_off(
        scope=caller_scope(user=signer),
        apprenticeship=apprenticeship,
        competency=competency,
        signed_off_by=signer,
        rating=rating,
    )
    return signoff


@pytest.fixture
def signoffs(apprenticeship, other_apprenticeship, competencies, employer_a_supervisor, employer_b_supervisor):
    """Two sign-offs of the apprentice at employer A, one of the apprentice at employer B."""
    return {
        "a_first": sign(apprenticeship, competencies[0], employer_a_supervisor),
        "a_second": sign(apprenticeship, competencies[2], employer_a_supervisor, rating="expert"),
        "b_first": sign(other_apprenticeship, competencies[0], employer_b_supervisor),
    }


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {signoff["id"] for signoff in response.json()["results"]}


def of(signoffs, *names) -> set[str]:
    return {str(signoffs[name].id) for name in names}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("raps_admin", ["a_first", "a_second", "b_first"]),
        ("employer_a_admin", ["a_first", "a_second"]),
        ("employer_a_supervisor", ["a_first", "a_second"]),
        ("apprentice", ["a_first", "a_second"]),
        ("employer_b_supervisor", ["b_first"]),
        ("other_raps_admin", []),
        ("outsider", []),
    ],
)
def test_the_list_shows_the_sign_offs_of_the_apprenticeships_the_caller_reads(
    request, client_for, signoffs, persona, visible
):
    response = client_for(request.getfixturevalue(persona)).get(SIGNOFFS)

    assert ids(response) == of(signoffs, *visible)
    assert response.json()["count"] == len(visible)


def test_the_list_filters_by_apprenticeship(client_for, raps_admin, signoffs, apprenticeship, other_apprenticeship):
    client = client_for(raps_admin)

    assert ids(client.get(SIGNOFFS, {"apprenticeship": str(apprenticeship.id)})) == of(signoffs, "a_first", "a_second")
    assert ids(client.get(SIGNOFFS, {"apprenticeship": str(other_apprenticeship.id)})) == of(signoffs, "b_first")


def test_filtering_by_another_employers_apprenticeship_shows_nothing(
    client_for, employer_b_supervisor, signoffs, apprenticeship
):
    response = client_for(employer_b_supervisor).get(SIGNOFFS, {"apprenticeship": str(apprenticeship.id)})

    assert ids(response) == set()


def test_the_list_filters_by_rating(client_for, raps_admin, signoffs):
    assert ids(client_for(raps_admin).get(SIGNOFFS, {"rating": "expert"})) == of(signoffs, "a_second")


def test_the_list_is_newest_first(client_for, raps_admin, signoffs):
    CompetencySignOff.objects.filter(pk=signoffs["a_first"].pk).update(
        signed_off_at=timezone.now() + datetime.timedelta(minutes=5)
    )

    results = client_for(raps_admin).get(SIGNOFFS).json()["results"]

    assert [signoff["id"] for signoff in results] == [
        str(signoffs[name].id) for name in ("a_first", "b_first", "a_second")
    ]


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_supervisor", "apprentice"])
def test_readers_read_a_sign_off(request, client_for, signoffs, employer_a_supervisor, persona):
    response = client_for(request.getfixturevalue(persona)).get(f"{SIGNOFFS}{signoffs['a_first'].id}/")

    assert response.status_code == 200
    assert response.json()["rating"] == "proficient"
    assert response.json()["signed_off_by"] == {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"}


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_a_sign_off_outside_the_callers_scope_is_not_found(request, client_for, signoffs, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(f"{SIGNOFFS}{signoffs['a_first'].id}/").status_code == 404
    assert client.get(f"{SIGNOFFS}{signoffs['a_first'].id}/history/").status_code == 404


def test_a_sign_off_is_never_changed_or_deleted_through_its_record(client_for, employer_a_supervisor, signoffs):
    client = client_for(employer_a_supervisor)
    url = f"{SIGNOFFS}{signoffs['a_first'].id}/"

    responses = [client.patch(url, {"rating": "expert"}), client.put(url, {}), client.delete(url)]

    assert [response.status_code for response in responses] == [405, 405, 405]
    assert CompetencySignOff.objects.get(pk=signoffs["a_first"].pk).rating == "proficient"


def test_the_history_of_a_superseded_sign_off_names_who_signed_it_off_and_who_superseded_it(
    client_for, apprentice, apprenticeship, competency, employer_a_supervisor, employer_a_admin
):
    signoff = sign(apprenticeship, competency, employer_a_supervisor, rating="proficient")
    sign(apprenticeship, competency, employer_a_admin, rating="advanced")

    response = client_for(apprentice).get(f"{SIGNOFFS}{signoff.id}/history/")

    assert response.status_code == 200
    superseded, first = response.json()["results"]
    assert (superseded["history_type"], first["history_type"]) == ("~", "+")
    assert superseded["history_user"] == {"id": str(employer_a_admin.id), "name": "Ada Admin"}
    assert first["history_user"] == {"id": str(employer_a_supervisor.id), "name": "Sam Supervisor"}
    assert superseded["changes"] == [{"field": "is_current", "old": True, "new": False}]
    assert {"field": "rating", "old": None, "new": "proficient"} in first["changes"]


def test_the_list_keeps_every_sign_off_of_a_competency_and_marks_the_latest_current(
    client_for, raps_admin, apprenticeship, competency, employer_a_supervisor, employer_a_admin
):
    earlier = sign(apprenticeship, competency, employer_a_supervisor, rating="proficient")
    latest = sign(apprenticeship, competency, employer_a_admin, rating="advanced")

    results = client_for(raps_admin).get(SIGNOFFS, {"competency": str(competency.id)}).json()["results"]

    assert [(row["id"], row["rating"], row["is_current"]) for row in results] == [
        (str(latest.id), "advanced", True),
        (str(earlier.id), "proficient", False),
    ]


def test_the_list_needs_a_signed_in_caller(anonymous_client, signoffs):
    assert anonymous_client.get(SIGNOFFS).status_code == 401


# --- queries ------------------------------------------------------------------------------------


def count_queries(client, rows):
    with CaptureQueriesContext(connection) as context:
        response = client.get(SIGNOFFS)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    return len(context.captured_queries)


def add_signoffs(apprenticeship, work_process, count):
    """`count` sign-offs of new competencies, each signed by its own signer (stored directly)."""
    CompetencySignOff.objects.bulk_create(
        CompetencySignOff(
            apprenticeship=apprenticeship,
            competency=factories.CompetencyFactory(work_process=work_process),
            signed_off_by=factories.UserFactory(),
            signed_off_at=timezone.now(),
            rating="advanced",
        )
        for _ in range(count)
    )


def test_the_list_answers_in_the_same_number_of_queries_for_1_and_50_sign_offs(
    client_for, employer_a_supervisor, apprenticeship, competency
):
    client = client_for(employer_a_supervisor)
    add_signoffs(apprenticeship, competency.work_process, 1)
    one = count_queries(client, 1)

    add_signoffs(apprenticeship, competency.work_process, 49)
    fifty = count_queries(client, 50)

    # 1. session  2. user  3. memberships, with the sponsors the caller's employer takes part in
    # 4. the caller's own apprenticeships  5. COUNT(*)  6. the page of sign-offs, with competency
    # and signer joined
    assert one == fifty == 6


def test_filtering_by_an_apprenticeship_outside_the_scope_answers_as_for_one_that_does_not_exist(
    client_for, employer_b_supervisor, signoffs, apprenticeship
):
    client = client_for(employer_b_supervisor)

    outside = client.get(SIGNOFFS, {"apprenticeship": str(apprenticeship.id)})
    unknown = client.get(SIGNOFFS, {"apprenticeship": str(uuid.uuid4())})

    assert (unknown.status_code, unknown.json()) == (outside.status_code, outside.json())
