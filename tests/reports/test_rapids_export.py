"""GET /api/v1/reports/rapids-apprentices.csv: the RAPIDS apprentice bulk-upload file of the
sponsor (apprenticeships/rapids/tableschema.json), streamed, for its RAPS admins only."""

import csv
import datetime
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import Resource, Schema, validate

from apprenticeships.models import ApprenticeRegistration, Apprenticeship
from portal.models import User
from tests import factories
from tests.reports.conftest import RAPIDS_URL

TABLESCHEMA = Path(__file__).resolve().parents[2] / "apprenticeships" / "rapids" / "tableschema.json"
SSN = "123-45-6789"  # every factory registration's
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def specification() -> dict:
    return json.loads(TABLESCHEMA.read_text())


def download(client, params=None):
    """The response and the file's text, read from the stream."""
    response = client.get(RAPIDS_URL, params or {})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode("utf-8")


def rows_of(text) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def export(client, params=None) -> list[dict]:
    return rows_of(download(client, params)[1])


def emails(rows) -> set[str]:
    return {row["Email"] for row in rows}


def registered_on(apprenticeship, when: datetime.datetime):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(created_at=when)


# --- who may export ----------------------------------------------------------------------------


def test_raps_admin_exports_the_sponsors_apprentices(client_for, raps_admin, apprenticeship, other_apprenticeship):
    rows = export(client_for(raps_admin))

    assert emails(rows) == {apprenticeship.apprentice.email, other_apprenticeship.apprentice.email}


@pytest.mark.parametrize(
    "persona", ["employer_a_admin", "employer_a_supervisor", "employer_b_supervisor", "apprentice", "outsider"]
)
def test_only_raps_admins_export_the_rapids_file(request, client_for, apprenticeship, persona):
    response = client_for(request.getfixturevalue(persona)).get(RAPIDS_URL)

    assert response.status_code == 403
    assert not response.streaming
    assert apprenticeship.apprentice.email not in response.content.decode()


def test_the_rapids_file_needs_a_signed_in_caller(anonymous_client, apprenticeship):
    response = anonymous_client.get(RAPIDS_URL)

    assert response.status_code == 401
    assert apprenticeship.apprentice.email not in response.content.decode()


def test_other_sponsors_apprentices_are_not_in_the_file(
    client_for, raps_admin, other_raps_admin, apprenticeship, other_sponsor, employer_c
):
    theirs = factories.ApprenticeshipFactory(
        program=factories.ProgramFactory(sponsor=other_sponsor), employer=employer_c
    )

    ours, their_file = export(client_for(raps_admin)), export(client_for(other_raps_admin))

    assert emails(ours) == {apprenticeship.apprentice.email}
    assert emails(their_file) == {theirs.apprentice.email}


# --- the file ----------------------------------------------------------------------------------


def test_the_file_is_streamed_as_csv(client_for, raps_admin, apprenticeship):
    response, _text = download(client_for(raps_admin))

    assert response.streaming is True
    assert response["Content-Type"].split(";")[0] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_client_asking_for_csv_gets_the_file(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).get(RAPIDS_URL, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response.streaming is True


def test_an_error_is_json_even_when_the_client_asks_for_csv(client_for, employer_a_admin, apprenticeship):
    response = client_for(employer_a_admin).get(RAPIDS_URL, HTTP_ACCEPT="text/csv, application/json;q=0.5")

    assert response.status_code == 403
    assert "detail" in response.json()


def test_the_header_is_the_specifications_field_names_in_order(client_for, raps_admin, apprenticeship):
    _response, text = download(client_for(raps_admin))

    header = next(csv.reader(io.StringIO(text)))
    assert header == [field["name"] for field in specification()["fields"]]


def test_a_row_carries_the_registration_in_rapids_codes_and_dates(client_for, raps_admin, apprenticeship, employer_a):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(
        first_name="Ari",
        middle_name="Quinn",
        last_name="Apprentice",
        suffix="Jr.",
        gender="F",
        employment_status="EE",
        telephone="(213) 555-0142",
        ethnicity=1,
        race_asian=1,
        race_white=0,
        veteran_status=4,
        disability_status=1,
        education_level=7,
        prior_wage="18.40",
        prior_wage_unit="H",
        career_connection="P",
        wioa_participant=True,
        participant_type="AD",
        career_linkage="DE",
        taa_participant=False,
        ojt_funding_sources="WIOA",
        student_status="YRA",
    )

    (row,) = export(client_for(raps_admin))

    assert row["Date Apprenticeship Begins"] == "01/06/2025"
    assert row["Date of Birth"] == "05/17/2000"
    assert (row["Apprentice First Name"], row["Apprentice Middle Name"], row["Apprentice Last Name"]) == (
        "Ari",
        "Quinn",
        "Apprentice",
    )
    assert row["Apprentice Suffix"] == "Jr."
    assert (row["Gender"], row["Employment Status"]) == ("F", "EE")
    assert (row["Apprentice Street Address"], row["Apprentice City"]) == ("100 Main St", "Los Angeles")
    assert (row["Apprentice State"], row["Apprentice 5-Digit Zip Code"]) == ("CA", "90012")
    assert row["Telephone"] == "tel:+12135550142"
    assert row["Email"] == "apprentice@example.org"
    assert row["Employer"] == employer_a.ein
    assert row["Ethnicity Hispanic / Latino"] == "1"
    assert (row["Asian"], row["White"], row["Black / African American"]) == ("1", "0", "9")
    assert (row["Veteran Status"], row["Apprentice Disability Status"]) == ("4", "1")
    assert row["Apprentice Education Level"] == "7"
    assert row["Occupation"] == "15-1254"
    assert (row["Prior Wages"], row["Prior Wage Units"]) == ("18", "H")
    assert (row["Entry Wages"], row["Entry Wage Units"]) == ("22", "H")
    assert row["Wage Schedule"] == str(apprenticeship.program_id)
    assert (row["Credit for previous experience"], row["Credit for Previous Related Training In Hours"]) == ("0", "0")
    assert (row["Career Connection"], row["Type"], row["Career Linkage or Direct Entry"]) == ("P", "AD", "DE")
    assert (row["WIOA Participant"], row["TAA Participant"]) == ("1", "0")
    assert row["On-the-Job Training Funding Sources"] == "WIOA"
    assert row["Student Status"] == "YRA"


@pytest.mark.parametrize(
    ("telephone", "exported"),
    [
        ("(213) 555-0142", "tel:+12135550142"),
        ("213.555.0142", "tel:+12135550142"),
        ("+1 213 555 0142", "tel:+12135550142"),
        ("", ""),
    ],
)
def test_the_telephone_is_a_tel_uri(client_for, raps_admin, apprenticeship, telephone, exported):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(telephone=telephone)

    (row,) = export(client_for(raps_admin))

    assert row["Telephone"] == exported


def test_a_telephone_extension_does_not_change_the_number(client_for, raps_admin, apprenticeship):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(telephone="(213) 555-0142 x7")

    (row,) = export(client_for(raps_admin))

    assert row["Telephone"] in ("tel:+12135550142", "tel:+12135550142;ext=7")


def test_dates_are_written_month_day_year_with_leading_zeros(client_for, raps_admin, program, employer_a):
    record = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        start_date=datetime.date(2025, 2, 3),
        expected_end_date=datetime.date(2026, 2, 3),
    )
    ApprenticeRegistration.objects.filter(apprenticeship=record).update(date_of_birth=datetime.date(1999, 9, 8))

    (row,) = export(client_for(raps_admin))

    assert row["Date Apprenticeship Begins"] == "02/03/2025"
    assert row["Date of Birth"] == "09/08/1999"


def test_the_ssn_column_is_empty_and_the_ssn_is_nowhere_in_the_file(client_for, raps_admin, apprenticeship):
    assert ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn == SSN

    _response, text = download(client_for(raps_admin))

    (row,) = rows_of(text)
    assert row["Social Security Number"] == ""
    assert SSN not in text
    assert SSN.replace("-", "") not in text


def test_apprenticeships_are_listed_by_start_date(client_for, raps_admin, program, employer_a):
    for day in (15, 1, 8):
        factories.ApprenticeshipFactory(
            program=program,
            employer=employer_a,
            start_date=datetime.date(2025, 4, day),
            expected_end_date=datetime.date(2026, 4, day),
        )

    rows = export(client_for(raps_admin))

    assert [row["Date Apprenticeship Begins"] for row in rows] == ["04/01/2025", "04/08/2025", "04/15/2025"]


# --- filter by the date of registration --------------------------------------------------------


@pytest.fixture
def registered_in_2025(program, employer_a):
    """Three apprenticeships registered in the portal on Jan 10, Mar 15 (late in the evening,
    Los Angeles time: already Mar 16 in UTC) and Jun 1, 2025."""
    dates = {
        "january": datetime.datetime(2025, 1, 10, 9, 0, tzinfo=LOS_ANGELES),
        "march": datetime.datetime(2025, 3, 15, 23, 30, tzinfo=LOS_ANGELES),
        "june": datetime.datetime(2025, 6, 1, 12, 0, tzinfo=LOS_ANGELES),
    }
    records = {}
    for name, when in dates.items():
        records[name] = factories.ApprenticeshipFactory(
            program=program, employer=employer_a, apprentice=factories.UserFactory(email=f"{name}@example.org")
        )
        registered_on(records[name], when)
    return records


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"january", "march", "june"}),
        ({"registered_after": "2025-03-01"}, {"march", "june"}),
        ({"registered_before": "2025-03-31"}, {"january", "march"}),
        ({"registered_after": "2025-03-01", "registered_before": "2025-03-31"}, {"march"}),
        ({"registered_after": "2025-03-15", "registered_before": "2025-03-15"}, {"march"}),
        ({"registered_after": "2025-03-16"}, {"june"}),
        ({"registered_after": "2025-07-01"}, set()),
    ],
)
def test_registered_after_and_before_filter_by_the_date_of_registration(
    client_for, raps_admin, registered_in_2025, params, expected
):
    rows = export(client_for(raps_admin), params)

    assert emails(rows) == {f"{name}@example.org" for name in expected}


def test_an_empty_selection_is_the_header_alone(client_for, raps_admin, registered_in_2025):
    _response, text = download(client_for(raps_admin), {"registered_after": "2030-01-01"})

    assert list(csv.reader(io.StringIO(text))) == [[field["name"] for field in specification()["fields"]]]


@pytest.mark.parametrize(
    "params",
    [
        {"registered_after": "2025-13-45"},
        {"registered_before": "yesterday"},
        {"registered_after": "01/06/2025"},
    ],
)
def test_a_bad_date_is_a_bad_request(client_for, raps_admin, apprenticeship, params):
    response = client_for(raps_admin).get(RAPIDS_URL, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


# --- the specification -------------------------------------------------------------------------


def validate_against_specification(text, tmp_path):
    """frictionless's report on the file (types, formats, required, lengths, patterns, unique)."""
    (tmp_path / "rapids-apprentices.csv").write_text(text, encoding="utf-8")
    schema = Schema.from_descriptor(specification())
    return validate(Resource(path="rapids-apprentices.csv", basepath=str(tmp_path), schema=schema))


def values_outside_the_categories(text) -> list[tuple[str, str]]:
    """(field, value) of every filled cell that is not one of its field's code values:
    frictionless 5 does not check Table Schema 2 `categories`, so the test does."""
    allowed = {
        field["name"]: {str(c["value"] if isinstance(c, dict) else c) for c in field["categories"]}
        for field in specification()["fields"]
        if "categories" in field
    }
    return [
        (name, row[name])
        for row in rows_of(text)
        for name, codes in allowed.items()
        if row[name] and row[name] not in codes
    ]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_sponsors_file_validates_against_the_rapids_specification(demo, client_for, tmp_path):
    admin = User.objects.get(email="raps.admin@demo.example")
    _response, text = download(client_for(admin))

    report = validate_against_specification(text, tmp_path)

    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid is True
    assert values_outside_the_categories(text) == []
    demo_apprenticeships = Apprenticeship.objects.filter(program__sponsor__memberships__user=admin).count()
    assert demo_apprenticeships >= 30
    assert report.tasks[0].stats["rows"] == demo_apprenticeships
    assert len(rows_of(text)) == demo_apprenticeships


def test_a_fully_filled_registration_validates_against_the_rapids_specification(
    client_for, raps_admin, apprenticeship, tmp_path
):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(
        middle_name="Quinn",
        suffix="III",
        telephone="213-555-0142",
        career_connection="S",
        wioa_participant=False,
        participant_type="YT",
        career_linkage="SR",
        taa_participant=True,
        ojt_funding_sources="State grant",
        student_status="WBLRA",
    )
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(ojt_credit_hours="120.50", rti_credit_hours="12.25")
    _response, text = download(client_for(raps_admin))

    report = validate_against_specification(text, tmp_path)

    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert values_outside_the_categories(text) == []
    (row,) = rows_of(text)
    assert (row["Credit for previous experience"], row["Credit for Previous Related Training In Hours"]) == (
        "121",
        "12",
    )


def test_a_cancelled_apprenticeship_with_its_exit_reason_still_validates_against_the_specification(
    client_for, raps_admin, apprenticeship, tmp_path
):
    """The specification has no exit column: the file keeps its columns whatever the exit."""
    factories.put_in_status(
        apprenticeship,
        "cancelled",
        ended_on=datetime.date(2025, 9, 30),
        cancellation_reason="Moved to the Fresno program",
        exit_reason="transferred",
    )
    _response, text = download(client_for(raps_admin))

    report = validate_against_specification(text, tmp_path)

    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert next(csv.reader(io.StringIO(text))) == [field["name"] for field in specification()["fields"]]
    assert [row["Email"] for row in rows_of(text)] == [apprenticeship.apprentice.email]


# --- queries -----------------------------------------------------------------------------------


def count_queries(client, rows):
    with CaptureQueriesContext(connection) as context:
        _response, text = download(client)
    assert len(rows_of(text)) == rows
    return len(context.captured_queries)


def test_export_query_count_is_the_same_for_1_and_for_50_apprenticeships(
    client_for, raps_admin, program, employer_a, employer_b
):
    client = client_for(raps_admin)
    factories.ApprenticeshipFactory(program=program, employer=employer_a)
    one = count_queries(client, 1)

    factories.ApprenticeshipFactory.create_batch(25, program=program, employer=employer_a)
    factories.ApprenticeshipFactory.create_batch(24, program=program, employer=employer_b)
    fifty = count_queries(client, 50)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships
    # 5. the apprenticeships with registration, apprentice, employer, program, occupation and
    # sponsor joined, read from one cursor in chunks
    assert one == fifty == 5
