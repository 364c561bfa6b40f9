"""POST /api/v1/competency-signoffs/: employer staff of the apprentice's employer sign off a
competency of the apprenticeship's program; signing it off again is a new evaluation that
supersedes the current one, and the earlier one is kept as it was given."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from competencies import ledger
from competencies.models import CompetencySignOff, WorkProcessTotal
from tests import factories
from tests.signoffs.conftest import SIGNOFFS


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_a_admin"])
def test_employer_staff_sign_off_a_competency(request, sign_off, apprenticeship, competency, persona):
    signer = request.getfixturevalue(persona)

    response = sign_off(signer, rating="advanced")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["apprenticeship"] == str(apprenticeship.id)
    assert body["competency"] == str(competency.id)
    assert body["rating"] == "advanced"
    assert body["evidence"] == "Built the sign-up form unaided"
    assert body["evidence_url"] == "https://git.example.org/acme/web/pull/42"
    assert body["signed_off_by"] == {"id": str(signer.id), "name": signer.full_name}
    assert body["signed_off_at"]
    signoff = CompetencySignOff.objects.get()
    assert (str(signoff.id), signoff.rating, signoff.signed_off_by) == (body["id"], "advanced", signer)


def test_evidence_is_optional(client_for, employer_a_supervisor, apprenticeship, competency):
    response = client_for(employer_a_supervisor).post(
        SIGNOFFS,
        {"apprenticeship": str(apprenticeship.id), "competency": str(competency.id), "rating": "expert"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    # No URL is null, not "": the schema's `format: uri` holds for every string written.
    assert (response.json()["evidence"], response.json()["evidence_url"]) == ("", None)


def test_signing_off_again_answers_201_with_a_new_sign_off_that_supersedes_the_earlier(
    sign_off, employer_a_supervisor, employer_a_admin
):
    first = sign_off(employer_a_supervisor, rating="proficient")
    again = sign_off(employer_a_admin, rating="expert", evidence="Led the release")

    assert first.status_code == 201
    assert again.status_code == 201, again.json()
    assert again.json()["id"] != first.json()["id"]
    assert again.json()["rating"] == "expert"
    assert again.json()["signed_off_by"]["id"] == str(employer_a_admin.id)
    assert (again.json()["is_current"], again.json()["supersedes"], again.json()["superseded_by"]) == (
        True,
        first.json()["id"],
        None,
    )
    assert CompetencySignOff.objects.count() == 2


def test_the_earlier_sign_off_keeps_its_rating_and_evidence_and_is_no_longer_current(
    client_for, sign_off, employer_a_supervisor, employer_a_admin, apprenticeship
):
    first = sign_off(employer_a_supervisor, rating="proficient").json()
    again = sign_off(employer_a_admin, rating="expert", evidence="Led the release").json()
    client = client_for(employer_a_supervisor)

    earlier = client.get(f"{SIGNOFFS}{first['id']}/").json()
    listed = client.get(SIGNOFFS, {"apprenticeship": str(apprenticeship.id)}).json()["results"]
    current = client.get(SIGNOFFS, {"is_current": "true"}).json()["results"]

    assert (earlier["rating"], earlier["evidence"], earlier["evidence_url"]) == (
        "proficient",
        "Built the sign-up form unaided",
        "https://git.example.org/acme/web/pull/42",
    )
    assert earlier["signed_off_by"]["id"] == str(employer_a_supervisor.id)
    assert (earlier["is_current"], earlier["superseded_by"]) == (False, again["id"])
    assert [signoff["id"] for signoff in listed] == [again["id"], first["id"]]
    assert [signoff["id"] for signoff in current] == [again["id"]]


def test_history_says_who_superseded_a_sign_off_and_changes_nothing_else_of_it(
    client_for, sign_off, employer_a_supervisor, employer_a_admin
):
    first = sign_off(employer_a_supervisor, rating="proficient").json()
    again = sign_off(employer_a_admin, rating="expert").json()
    client = client_for(employer_a_supervisor)

    history = client.get(f"{SIGNOFFS}{first['id']}/history/").json()["results"]
    new_history = client.get(f"{SIGNOFFS}{again['id']}/history/").json()["results"]

    assert [entry["history_change_reason"] for entry in history] == ["superseded", "signed off"]
    assert history[0]["changes"] == [{"field": "is_current", "old": True, "new": False}]
    assert history[0]["history_user"]["id"] == str(employer_a_admin.id)
    assert [entry["history_change_reason"] for entry in new_history] == ["signed off again"]


def test_a_competency_has_one_current_sign_off(apprenticeship, competency, employer_a_supervisor):
    CompetencySignOff.objects.create(
        apprenticeship=apprenticeship,
        competency=competency,
        signed_off_by=employer_a_supervisor,
        signed_off_at=timezone.now(),
        rating="proficient",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencySignOff.objects.create(
            apprenticeship=apprenticeship,
            competency=competency,
            signed_off_by=employer_a_supervisor,
            signed_off_at=timezone.now(),
            rating="expert",
        )


@pytest.mark.parametrize("persona", ["apprentice", "raps_admin"])
def test_readers_who_are_not_employer_staff_may_not_sign_off(request, sign_off, persona):
    response = sign_off(request.getfixturevalue(persona))

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not CompetencySignOff.objects.exists()


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_an_apprenticeship_outside_the_callers_scope_is_a_bad_value(request, sign_off, persona):
    response = sign_off(request.getfixturevalue(persona))

    assert response.status_code == 400
    assert response.json() == {"apprenticeship": ["Not found."]}
    assert not CompetencySignOff.objects.exists()


def test_a_competency_of_another_program_is_refused(sign_off, employer_a_supervisor, sponsor):
    other_program = factories.ProgramFactory(sponsor=sponsor)
    foreign = factories.CompetencyFactory(work_process=factories.WorkProcessFactory(program=other_program))

    response = sign_off(employer_a_supervisor, competency=str(foreign.id))

    assert response.status_code == 400
    assert list(response.json()) == ["competency"]
    assert not CompetencySignOff.objects.exists()


def test_an_unknown_competency_is_refused(sign_off, employer_a_supervisor):
    response = sign_off(employer_a_supervisor, competency="00000000-0000-0000-0000-000000000000")

    assert response.status_code == 400
    assert list(response.json()) == ["competency"]


@pytest.mark.parametrize("status", ["suspended", "cancelled"])
def test_a_suspended_or_cancelled_apprenticeship_takes_no_sign_off(
    client_for, sign_off, raps_admin, employer_a_supervisor, apprenticeship, status
):
    moved = client_for(raps_admin).post(
        f"/api/v1/apprenticeships/{apprenticeship.id}/transition/",
        {"to": status, "reason": "leave of absence", **({"exit_reason": "other"} if status == "cancelled" else {})},
    )

    response = sign_off(employer_a_supervisor)

    assert moved.status_code == 200, moved.json()
    assert response.status_code == 409
    assert "detail" in response.json()
    assert not CompetencySignOff.objects.exists()


def test_a_rating_outside_the_scale_is_refused(sign_off, employer_a_supervisor):
    response = sign_off(employer_a_supervisor, rating="excellent")

    assert response.status_code == 400
    assert list(response.json()) == ["rating"]
    assert not CompetencySignOff.objects.exists()


def test_an_evidence_link_that_is_not_a_url_is_refused(sign_off, employer_a_supervisor):
    response = sign_off(employer_a_supervisor, evidence_url="see the pull request")

    assert response.status_code == 400
    assert list(response.json()) == ["evidence_url"]
    assert not CompetencySignOff.objects.exists()


@pytest.mark.parametrize("missing", ["apprenticeship", "competency", "rating"])
def test_a_sign_off_names_the_apprenticeship_the_competency_and_the_rating(
    client_for, signoff_body, employer_a_supervisor, missing
):
    body = signoff_body()
    del body[missing]

    response = client_for(employer_a_supervisor).post(SIGNOFFS, body, format="json")

    assert response.status_code == 400
    assert missing in response.json()


def test_signing_off_needs_a_signed_in_caller(anonymous_client, signoff_body):
    response = anonymous_client.post(SIGNOFFS, signoff_body(), format="json")

    assert response.status_code == 401
    assert not CompetencySignOff.objects.exists()


def test_progress_counts_the_signed_off_competencies_once_each(
    client_for, sign_off, employer_a_supervisor, apprentice, apprenticeship, competencies
):
    sign_off(employer_a_supervisor, competency=str(competencies[0].id))
    sign_off(employer_a_supervisor, competency=str(competencies[2].id))
    sign_off(employer_a_supervisor, competency=str(competencies[0].id), rating="expert")

    body = client_for(apprentice).get(f"/api/v1/apprenticeships/{apprenticeship.id}/progress/").json()

    assert body["competencies"] == {"required": 4, "signed_off": 2}


def test_a_second_sign_off_of_a_competency_counts_it_once_in_the_running_totals_and_their_recompute(
    sign_off, employer_a_supervisor, employer_a_admin, apprenticeship, competencies
):
    sign_off(employer_a_supervisor, competency=str(competencies[0].id))
    sign_off(employer_a_admin, competency=str(competencies[0].id), rating="expert")
    sign_off(employer_a_supervisor, competency=str(competencies[0].id), rating="advanced")
    sign_off(employer_a_supervisor, competency=str(competencies[1].id))

    def counted():
        return sum(
            WorkProcessTotal.objects.filter(apprenticeship=apprenticeship).values_list(
                "competencies_signed_off", flat=True
            )
        )

    kept = counted()
    ledger.totals_recompute(apprenticeship=apprenticeship)

    assert (kept, counted()) == (2, 2)


def test_signing_off_tells_the_apprentice(client_for, sign_off, employer_a_supervisor, apprentice):
    sign_off(employer_a_supervisor)

    notifications = client_for(apprentice).get("/api/v1/notifications/").json()["results"]

    assert [notification["event"] for notification in notifications] == ["competency_signed_off"]
