"""POST /api/v1/hour-logs/import/ (docs/api.md): a CSV file `apprenticeship,date,hours,kind,
work_process,description` from employer staff or RAPS admins, all rows or none, with the errors
of each bad line numbered as in the file (the header is line 1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from competencies.models import HourLog
from competencies.services.imports import NOT_FOUND
from tests.hour_logs.records import LOGS, NO_HOURS, totals_of, work_process_totals_of

IMPORT = f"{LOGS}import/"
HEADER = "apprenticeship,date,hours,kind,work_process,description"


def csv_file(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("hours.csv", "\n".join([header, *lines, ""]).encode(), content_type="text/csv")


def upload(client, file):
    return client.post(IMPORT, {"file": file}, format="multipart")


def assert_nothing_written(apprenticeship):
    assert not HourLog.objects.exists()
    assert not HourLog.history.exists()
    assert totals_of(apprenticeship) == NO_HOURS


def test_employer_staff_import_ojt_approved_on_entry(
    client_for, employer_a_supervisor, apprenticeship, front_end, back_end
):
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},Built the sign-up form",
        f'{apprenticeship.id},2025-03-04,7.5,ojt,{back_end.id},"Wrote an API, with tests"',
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 201, response.json()
    assert [(log["date"], log["hours"], log["status"]) for log in response.json()["logs"]] == [
        ("2025-03-03", "8.00", "approved"),
        ("2025-03-04", "7.50", "approved"),
    ]
    assert HourLog.objects.get(date="2025-03-04").description == "Wrote an API, with tests"
    assert set(HourLog.objects.values_list("reviewed_by", flat=True)) == {employer_a_supervisor.pk}
    assert totals_of(apprenticeship) == {**NO_HOURS, "ojt_approved": "15.50"}
    assert work_process_totals_of(apprenticeship) == {"Front end": "8.00", "Back end": "7.50"}


def test_a_work_process_is_named_by_its_title(client_for, employer_a_supervisor, apprenticeship):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,front END,Built the sign-up form")

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 201, response.json()
    assert work_process_totals_of(apprenticeship) == {"Front end": "8.00"}


def test_raps_admins_import_rti_rows_without_a_work_process(client_for, raps_admin, apprenticeship):
    file = csv_file(f"{apprenticeship.id},2025-03-03,3,rti,,JavaScript I")

    response = upload(client_for(raps_admin), file)

    assert response.status_code == 201, response.json()
    assert response.json()["logs"][0]["status"] == "approved"
    assert totals_of(apprenticeship) == {**NO_HOURS, "rti_approved": "3.00"}


def test_bad_lines_refuse_the_file_with_their_line_numbers(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},fine",  # line 2
        f"{apprenticeship.id},2025-03-04,7.50,ojt,{front_end.id},fine",  # line 3
        "",  # line 4: blank, skipped but counted
        f"{apprenticeship.id},2025-03-05,8,ojt,{front_end.id},fine",  # line 5
        f"not-an-id,2025-03-06,8,ojt,{front_end.id},bad apprenticeship",  # line 6
        f"{apprenticeship.id},2025-03-07,8,ojt,{apprenticeship.id},bad work process",  # line 7
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {
        "lines": [
            {"line": 6, "errors": {"apprenticeship": [NOT_FOUND]}},
            {"line": 7, "errors": {"work_process": ["Not a work process of the apprenticeship's program."]}},
        ]
    }
    assert_nothing_written(apprenticeship)


def test_a_rule_broken_on_a_line_refuses_the_file_with_its_line_number(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},fine",
        f"{apprenticeship.id},2025-03-04,7.30,ojt,{front_end.id},bad hours",
        f"{apprenticeship.id},2025-01-05,8,ojt,{front_end.id},before the start",
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {
        "lines": [
            {"line": 3, "errors": {"hours": ["Hours are logged in quarter hours (.00, .25, .50, .75)."]}},
            {"line": 4, "errors": {"date": ["The date is before the apprenticeship's start date (2025-01-06)."]}},
        ]
    }
    assert_nothing_written(apprenticeship)


def test_lines_that_together_exceed_24_hours_a_day_refuse_the_file(
    client_for, employer_a_supervisor, apprenticeship, front_end, back_end
):
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,16,ojt,{front_end.id},morning",
        f"{apprenticeship.id},2025-03-04,8,ojt,{front_end.id},next day",
        f"{apprenticeship.id},2025-03-03,8.25,ojt,{back_end.id},evening",
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {
        "lines": [
            {
                "line": 4,
                "errors": {"hours": ["16.00 h are already logged on 2025-03-03: at most 8.00 h more that day."]},
            }
        ]
    }
    assert_nothing_written(apprenticeship)


def test_a_line_outside_the_callers_scope_is_not_found(
    client_for, employer_b_supervisor, apprenticeship, other_apprenticeship, front_end
):
    file = csv_file(
        f"{other_apprenticeship.id},2025-03-03,8,ojt,{front_end.id},employer B's own",
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},employer A's",
    )

    response = upload(client_for(employer_b_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {"lines": [{"line": 3, "errors": {"apprenticeship": [NOT_FOUND]}}]}
    assert not HourLog.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "apprenticeship,date,kind,work_process,description,course",
        "apprenticeship,date,hours,kind,work_process,description,extra",
        "apprenticeship,date,hours,kind,work_process,work_process",
    ],
    ids=["a required column missing", "an unknown column", "a column twice"],
)
def test_a_file_with_another_header_is_refused(client_for, employer_a_supervisor, apprenticeship, front_end, header):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},fine", header=header)

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert response.json()["file"][0].startswith(
        "The header names the columns apprenticeship,date,hours,kind and any of "
        f"work_process,course,instruction_provider,description, each once, in any order; this file has {header}."
    )
    assert_nothing_written(apprenticeship)


def test_the_columns_are_read_by_name_in_any_order(client_for, employer_a_supervisor, apprenticeship, front_end):
    file = csv_file(
        f"ojt,8,{front_end.id},{apprenticeship.id},2025-03-03", header="kind,hours,work_process,apprenticeship,date"
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 201, response.json()
    assert HourLog.objects.get().work_process_id == front_end.id


def test_the_header_is_read_regardless_of_case_spaces_and_a_byte_order_mark(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    header = "\ufeffApprenticeship, Date,Hours,KIND,Work_Process,Description"

    response = upload(
        client_for(employer_a_supervisor),
        csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},fine", header=header),
    )

    assert response.status_code == 201, response.json()
    assert HourLog.objects.count() == 1


@pytest.mark.parametrize(
    ("file", "errors"),
    [
        (None, {"file": ["Attach the CSV file as `file`."]}),
        (SimpleUploadedFile("hours.csv", HEADER.encode() + b"\n"), {"file": ["The file has no rows."]}),
        (SimpleUploadedFile("hours.csv", b"\xff\xfe\x00a,b"), {"file": ["The file is not UTF-8 text."]}),
    ],
    ids=["no file", "no rows", "not utf-8"],
)
def test_a_missing_empty_or_unreadable_file_is_refused(client_for, employer_a_supervisor, apprenticeship, file, errors):
    client = client_for(employer_a_supervisor)

    response = client.post(IMPORT, {"file": file} if file else {}, format="multipart")

    assert response.status_code == 400
    assert response.json() == errors
    assert_nothing_written(apprenticeship)


@override_settings(HOUR_LOG_IMPORT_MAX_ROWS=2)
def test_a_file_with_more_rows_than_allowed_is_413(client_for, employer_a_supervisor, apprenticeship, front_end):
    lines = [f"{apprenticeship.id},2025-03-0{day},8,ojt,{front_end.id},day {day}" for day in (3, 4, 5)]
    client = client_for(employer_a_supervisor)

    too_many = upload(client, csv_file(*lines))

    assert too_many.status_code == 413
    assert too_many.json() == {"detail": "At most 2 rows per file."}
    assert_nothing_written(apprenticeship)
    at_the_limit = upload(client, csv_file(*lines[:2]))
    assert at_the_limit.status_code == 201, at_the_limit.json()


@override_settings(HOUR_LOG_IMPORT_MAX_BYTES=100)
def test_a_file_larger_than_allowed_is_413(client_for, employer_a_supervisor, apprenticeship, front_end):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},{'x' * 100}")

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 413
    assert response.json() == {"detail": "The file is larger than 100 bytes."}
    assert_nothing_written(apprenticeship)


def test_apprentices_do_not_import_hours(client_for, apprentice, apprenticeship, front_end):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},mine")

    response = upload(client_for(apprentice), file)

    assert response.status_code == 403
    assert response.json() == {"detail": "Employer staff and RAPS administrators import hours."}
    assert_nothing_written(apprenticeship)


def test_employer_staff_importing_rti_are_refused_on_the_line(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    # The RTI row names a work process so that the line reaches the rule of who logs RTI.
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},fine",
        f"{apprenticeship.id},2025-03-04,3,rti,{front_end.id},course",
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert response.json()["lines"][0]["line"] == 3
    assert list(response.json()["lines"][0]["errors"]) == ["apprenticeship"]
    assert_nothing_written(apprenticeship)


def test_a_json_body_is_not_an_import(client_for, employer_a_supervisor, apprenticeship):
    response = client_for(employer_a_supervisor).post(IMPORT, {"file": "a,b"}, format="json")

    assert response.status_code == 415
    assert_nothing_written(apprenticeship)


def test_every_bad_line_is_reported_at_once(client_for, employer_a_supervisor, apprenticeship, front_end):
    file = csv_file(
        f"{apprenticeship.id},2025-03-03,7.30,ojt,{front_end.id},bad hours",  # line 2: a rule
        f"{apprenticeship.id},2025-03-04,8,overtime,{front_end.id},bad kind",  # line 3: the shape
    )

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert response.json() == {
        "lines": [
            {"line": 2, "errors": {"hours": ["Hours are logged in quarter hours (.00, .25, .50, .75)."]}},
            {"line": 3, "errors": {"kind": ['"overtime" is not a valid choice.']}},
        ]
    }


def test_a_line_with_more_values_than_the_header_is_refused_not_cut_short(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},Wrote an API, with tests")

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400, response.json()
    assert [line["line"] for line in response.json()["lines"]] == [2]
    assert_nothing_written(apprenticeship)


def test_a_line_of_only_extra_values_is_400_not_500(client_for, employer_a_supervisor, apprenticeship):
    response = upload(client_for(employer_a_supervisor), csv_file(",,,,,,stray"))

    assert response.status_code == 400
    assert_nothing_written(apprenticeship)


def test_a_cell_longer_than_the_csv_reader_takes_is_400_not_500(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = csv_file(f"{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},{'x' * 140_000}")

    response = upload(client_for(employer_a_supervisor), file)

    assert response.status_code == 400
    assert_nothing_written(apprenticeship)


def test_empty_lines_do_not_count_toward_the_row_limit(client_for, employer_a_supervisor, apprenticeship, front_end):
    lines = [f"{apprenticeship.id},2025-03-0{day},8,ojt,{front_end.id},day {day}" for day in (3, 4)]

    response = upload(client_for(employer_a_supervisor), csv_file(*lines, ",,,,,"))

    assert response.status_code == 201, response.json()
    assert HourLog.objects.count() == 2
