"""An import is idempotent (docs/domain.md): a file the sponsor already imported is refused with
409 naming that import, also when two uploads race; a row that repeats a log already recorded, or
an earlier row of the file, is an error on its line unless the request says skip_duplicates=true."""

from django.core.files.uploadedfile import SimpleUploadedFile

from competencies import selectors
from competencies.models import HourImport, HourLog
from tests import factories
from tests.hour_logs.records import totals_of
from tests.hour_logs.test_import import IMPORT, csv_file, upload


def upload_skipping_duplicates(client, file):
    return client.post(IMPORT, {"file": file, "skip_duplicates": "true"}, format="multipart")


def row(apprenticeship, process, day="2025-03-03", hours="8", text="Forms"):
    return f"{apprenticeship.id},{day},{hours},ojt,{process.id},{text}"


def test_a_file_imported_again_is_409_naming_the_earlier_import(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    client = client_for(employer_a_supervisor)
    first = upload(client, csv_file(row(apprenticeship, front_end)))

    again = upload(client, csv_file(row(apprenticeship, front_end)))

    assert first.status_code == 201, first.json()
    assert again.status_code == 409
    assert again.json()["detail"].startswith(
        f"This file was already imported: import {first.json()['id']} (hours.csv, "
    )
    assert HourLog.objects.count() == 1
    assert totals_of(apprenticeship)["ojt_approved"] == "8.00"


def test_the_same_file_with_crlf_line_endings_and_a_byte_order_mark_is_the_same_file(
    client_for, employer_a_supervisor, raps_admin, apprenticeship, front_end
):
    lines = ["apprenticeship,date,hours,kind,work_process,description", row(apprenticeship, front_end), ""]
    windows = SimpleUploadedFile("from-excel.csv", ("\ufeff" + "\r\n".join(lines)).encode())
    assert upload(client_for(employer_a_supervisor), csv_file(row(apprenticeship, front_end))).status_code == 201

    # Another importer of the same sponsor: the checksum is unique per sponsor.
    response = upload(client_for(raps_admin), windows)

    assert response.status_code == 409
    assert HourImport.objects.count() == 1


def test_two_uploads_of_one_file_racing_are_refused_by_the_database(
    client_for, employer_a_supervisor, apprenticeship, front_end, monkeypatch
):
    client = client_for(employer_a_supervisor)
    first = upload(client, csv_file(row(apprenticeship, front_end)))
    looked_up = selectors.hour_import_of
    calls = []

    def not_yet_committed(**kwargs):
        # The other upload's record is not visible yet when this one looks: the first look misses it.
        calls.append(kwargs)
        return None if len(calls) == 1 else looked_up(**kwargs)

    monkeypatch.setattr(selectors, "hour_import_of", not_yet_committed)
    # skip_duplicates, so that only the import's own record can refuse it.
    again = upload_skipping_duplicates(client, csv_file(row(apprenticeship, front_end)))

    assert again.status_code == 409, again.json()
    assert first.json()["id"] in again.json()["detail"]
    assert HourImport.objects.count() == 1


def test_a_row_already_recorded_is_an_error_on_its_line(client_for, employer_a_supervisor, apprenticeship, front_end):
    client = client_for(employer_a_supervisor)
    assert upload(client, csv_file(row(apprenticeship, front_end, text="first file"))).status_code == 201
    recorded = HourLog.objects.get()

    # Another file (another description), with the same log on line 3.
    response = upload(
        client,
        csv_file(row(apprenticeship, front_end, day="2025-03-04"), row(apprenticeship, front_end, text="again")),
    )

    assert response.status_code == 400
    assert response.json() == {
        "lines": [
            {
                "line": 3,
                "errors": {
                    "non_field_errors": [
                        f"The same as log {recorded.id}, already recorded. Send skip_duplicates=true to skip such rows."
                    ]
                },
            }
        ]
    }
    assert HourLog.objects.count() == 1


def test_skip_duplicates_skips_the_rows_already_recorded_and_counts_them(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    client = client_for(employer_a_supervisor)
    assert upload(client, csv_file(row(apprenticeship, front_end, text="first file"))).status_code == 201

    response = upload_skipping_duplicates(
        client, csv_file(row(apprenticeship, front_end, day="2025-03-04"), row(apprenticeship, front_end))
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rows_written"], body["rows_skipped"]) == (1, 1)
    assert [skipped["line"] for skipped in body["skipped"]] == [3]
    assert [log["date"] for log in body["logs"]] == ["2025-03-04"]
    assert HourLog.objects.count() == 2
    assert totals_of(apprenticeship)["ojt_approved"] == "16.00"


def test_a_row_repeating_an_earlier_row_of_the_file_is_an_error_or_skipped(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    client = client_for(employer_a_supervisor)
    lines = [row(apprenticeship, front_end, hours="4"), row(apprenticeship, front_end, hours="4", text="twice")]

    refused = upload(client, csv_file(*lines))
    skipped = upload_skipping_duplicates(client, csv_file(*lines))

    assert refused.status_code == 400
    assert refused.json()["lines"] == [
        {
            "line": 3,
            "errors": {
                "non_field_errors": ["The same as line 2 of this file. Send skip_duplicates=true to skip such rows."]
            },
        }
    ]
    assert skipped.status_code == 201, skipped.json()
    assert (skipped.json()["rows_written"], skipped.json()["rows_skipped"]) == (1, 1)
    assert totals_of(apprenticeship)["ojt_approved"] == "4.00"


def test_an_rti_row_is_the_same_log_when_its_course_is_the_same(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)
    header = "apprenticeship,date,hours,kind,course,instruction_provider"
    first = f"{apprenticeship.id},2025-03-03,3,rti,JavaScript I,LA Trade-Tech College"
    assert upload(client, csv_file(first, header=header)).status_code == 201

    response = upload(
        client,
        csv_file(
            f"{apprenticeship.id},2025-03-03,3,rti,Databases,LA Trade-Tech College",  # another course: not the same
            f"{apprenticeship.id},2025-03-03,3,rti,javascript i,Another provider",  # the same course
            header=header,
        ),
    )

    assert response.status_code == 400
    assert [line["line"] for line in response.json()["lines"]] == [3]


def test_a_voided_log_is_not_in_the_record_and_its_row_is_imported_again(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    client = client_for(employer_a_supervisor)
    assert upload(client, csv_file(row(apprenticeship, front_end))).status_code == 201
    voided = HourLog.objects.get()
    assert client.post(f"/api/v1/hour-logs/{voided.id}/void/", {"reason": "Wrong day"}).status_code == 200

    response = upload(client, csv_file(row(apprenticeship, front_end, text="corrected")))

    assert response.status_code == 201, response.json()
    assert totals_of(apprenticeship)["ojt_approved"] == "8.00"


def test_a_file_of_two_sponsors_apprenticeships_is_refused(
    client_for, raps_admin, apprenticeship, other_sponsor, employer_c
):
    factories.MembershipFactory(user=raps_admin, sponsor=other_sponsor, role="raps_admin")
    theirs = factories.ApprenticeshipFactory(
        program=factories.ProgramFactory(sponsor=other_sponsor), employer=employer_c
    )
    header = "apprenticeship,date,hours,kind,course"

    response = upload(
        client_for(raps_admin),
        csv_file(f"{apprenticeship.id},2025-03-03,3,rti,JS", f"{theirs.id},2025-03-03,3,rti,JS", header=header),
    )

    assert response.status_code == 400
    assert response.json() == {
        "file": ["The rows name apprenticeships of several sponsors: import each sponsor's in its own file."]
    }
    assert not HourLog.objects.exists()
