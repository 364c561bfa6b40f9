"""GET apprenticeships/{id}/: the agreement names the employer, the sponsor and the program, and the
mentor with their e-mail, so that the apprentice (who reads no employers/ or sponsors/ record)
knows who they work and train with."""

from tests.apprenticeships.helpers import url


def test_the_apprentice_reads_their_employer_sponsor_program_and_mentor_by_name(
    client_for, apprentice, apprenticeship, employer_a_supervisor, sponsor, program, employer_a
):
    apprenticeship.mentor = employer_a_supervisor
    apprenticeship.save()

    body = client_for(apprentice).get(url(apprenticeship)).json()

    assert body["employer_detail"] == {"id": str(employer_a.id), "name": "Employer A"}
    assert body["sponsor"] == {"id": str(sponsor.id), "name": "Technology HRTP"}
    assert body["program_detail"] == {"id": str(program.id), "title": program.title}
    assert body["mentor_detail"] == {
        "id": str(employer_a_supervisor.id),
        "name": employer_a_supervisor.display_name,
        "email": employer_a_supervisor.email,
    }
    # The ids stay where they were.
    assert (body["employer"], body["program"], body["mentor"]) == (
        str(employer_a.id),
        str(program.id),
        str(employer_a_supervisor.id),
    )


def test_an_apprenticeship_without_a_mentor_names_none(client_for, apprentice, apprenticeship):
    body = client_for(apprentice).get(url(apprenticeship)).json()

    assert body["mentor"] is None
    assert body["mentor_detail"] is None
