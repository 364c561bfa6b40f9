"""What an import's rows may say (docs/domain.md): the apprenticeship by its id, its apprentice's
e-mail or its RAPIDS apprentice id, found only within the caller's scope; dates ISO or US
MM/DD/YYYY; RTI rows with their course and instruction provider."""

import datetime

import pytest

from competencies.models import HourLog
from competencies.services.imports import DATE_FORMATS, NOT_FOUND
from tests import factories
from tests.hour_logs.test_import import csv_file, upload


def ojt_row(reference, process, day="2025-03-03"):
    return f"{reference},{day},8,ojt,{process.id},Forms"


def test_a_row_names_the_apprenticeship_by_its_apprentices_email_in_any_case(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    response = upload(
        client_for(employer_a_supervisor), csv_file(ojt_row(apprenticeship.apprentice.email.upper(), front_end))
    )

    assert response.status_code == 201, response.json()
    assert HourLog.objects.get().apprenticeship_id == apprenticeship.id


def test_a_row_names_the_apprenticeship_by_its_rapids_apprentice_id(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    apprenticeship.rapids_apprentice_id = "CA-2025-0042"
    apprenticeship.save()

    response = upload(client_for(employer_a_supervisor), csv_file(ojt_row("CA-2025-0042", front_end)))

    assert response.status_code == 201, response.json()
    assert HourLog.objects.get().apprenticeship_id == apprenticeship.id


def test_an_email_or_rapids_id_outside_the_callers_scope_is_not_found_like_an_unknown_one(
    client_for, employer_b_supervisor, apprenticeship, other_apprenticeship, front_end
):
    apprenticeship.rapids_apprentice_id = "CA-2025-0042"
    apprenticeship.save()
    file = csv_file(
        ojt_row(other_apprenticeship.id, front_end),  # employer B's own: fine
        ojt_row(apprenticeship.apprentice.email, front_end, day="2025-03-04"),  # employer A's
        ojt_row("CA-2025-0042", front_end, day="2025-03-05"),  # employer A's
        ojt_row("nobody@example.org", front_end, day="2025-03-06"),
        ojt_row("CA-0000-0000", front_end, day="2025-03-07"),
    )

    response = upload(client_for(employer_b_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {
        "lines": [{"line": line, "errors": {"apprenticeship": [NOT_FOUND]}} for line in (3, 4, 5, 6)]
    }
    assert not HourLog.objects.exists()


def test_an_email_of_several_open_apprenticeships_asks_for_the_id(
    client_for, raps_admin, apprenticeship, employer_b, front_end
):
    # A second one in another of the sponsor's programs (one open per apprentice and program).
    factories.ApprenticeshipFactory(
        apprentice=apprenticeship.apprentice,
        program=factories.ProgramFactory(sponsor=apprenticeship.program.sponsor),
        employer=employer_b,
        registration=False,
    )

    response = upload(
        client_for(raps_admin),
        csv_file(
            f"{apprenticeship.apprentice.email},2025-03-03,3,rti,,Course",
            header="apprenticeship,date,hours,kind,work_process,course",
        ),
    )

    assert response.status_code == 400
    assert response.json()["lines"] == [
        {
            "line": 2,
            "errors": {
                "apprenticeship": [
                    f"{apprenticeship.apprentice.email} is the apprentice of 2 open apprenticeships: name the one by its id."
                ]
            },
        }
    ]


def test_an_email_of_one_open_apprenticeship_and_ended_ones_names_the_open_one(
    client_for, raps_admin, apprenticeship, employer_b
):
    factories.ApprenticeshipFactory(
        apprentice=apprenticeship.apprentice,
        program=apprenticeship.program,
        employer=employer_b,
        status="completed",
        ended_on=datetime.date(2025, 1, 31),
        registration=False,
    )

    response = upload(
        client_for(raps_admin),
        csv_file(
            f"{apprenticeship.apprentice.email},2025-03-03,3,rti,", header="apprenticeship,date,hours,kind,course"
        ),
    )

    assert response.status_code == 201, response.json()
    assert HourLog.objects.get().apprenticeship_id == apprenticeship.id


@pytest.mark.parametrize(
    ("written", "stored"), [("2025-03-03", "2025-03-03"), ("03/04/2025", "2025-03-04"), ("3/5/2025", "2025-03-05")]
)
def test_dates_are_iso_or_us(client_for, employer_a_supervisor, apprenticeship, front_end, written, stored):
    response = upload(client_for(employer_a_supervisor), csv_file(ojt_row(apprenticeship.id, front_end, day=written)))

    assert response.status_code == 201, response.json()
    assert str(HourLog.objects.get().date) == stored


@pytest.mark.parametrize("written", ["13/01/2025", "2025/03/03", "March 3 2025", "03-03-2025"])
def test_a_date_in_another_format_or_not_a_day_is_an_error_on_its_line(
    client_for, employer_a_supervisor, apprenticeship, front_end, written
):
    response = upload(client_for(employer_a_supervisor), csv_file(ojt_row(apprenticeship.id, front_end, day=written)))

    assert response.status_code == 400
    assert response.json() == {"lines": [{"line": 2, "errors": {"date": [DATE_FORMATS]}}]}


def test_rti_rows_carry_their_course_and_instruction_provider(client_for, raps_admin, apprenticeship):
    file = csv_file(
        f'{apprenticeship.id},2025-03-03,3,rti,,JavaScript I,"LA Trade-Tech College, Room 4",evening class',
        header="apprenticeship,date,hours,kind,work_process,course,instruction_provider,description",
    )

    response = upload(client_for(raps_admin), file)

    assert response.status_code == 201, response.json()
    log = HourLog.objects.get()
    assert (log.kind, log.course, log.instruction_provider, log.description) == (
        "rti",
        "JavaScript I",
        "LA Trade-Tech College, Room 4",
        "evening class",
    )
