"""CSV injection: a text cell that a spreadsheet would run as a formula (it begins with `=`, `+`,
`-`, `@`, tab or carriage return) is written with a single quote in front, in every CSV the
portal writes (today the RAPIDS export); numbers the portal writes are written as they are."""

import csv
import io
from decimal import Decimal

import pytest

from apprenticeships.models import ApprenticeRegistration
from portal.csv import lines, text_cell
from portal.models import User
from tests.reports.conftest import RAPIDS_URL

DANGEROUS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def export(client) -> list[dict]:
    response = client.get(RAPIDS_URL)
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_text_cell_that_a_spreadsheet_would_run_is_quoted(value):
    assert text_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "100 Main St", "Ari", "O'Brien", "tel:+12135550142", "a=b", "x-1"])
def test_a_harmless_text_cell_is_written_as_it_is(value):
    assert text_cell(value) == value


def test_numbers_are_written_as_they_are_and_text_is_neutralized():
    (line,) = lines([[-5, Decimal("-1.50"), "-5", "=1+1"]])

    assert next(csv.reader(io.StringIO(line))) == ["-5", "-1.50", "'-5", "'=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_registration_values_come_out_neutralized_in_the_rapids_export(
    client_for, raps_admin, apprenticeship, value
):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(
        first_name=value,
        last_name=value,
        middle_name=value,
        street_address=value,
        city=value,
        ojt_funding_sources=value,
    )

    (row,) = export(client_for(raps_admin))

    for column in (
        "Apprentice First Name",
        "Apprentice Last Name",
        "Apprentice Middle Name",
        "Apprentice Street Address",
        "Apprentice City",
        "On-the-Job Training Funding Sources",
    ):
        assert row[column] == "'" + value, column


def test_dangerous_values_of_the_employer_program_and_apprentice_come_out_neutralized(
    client_for, raps_admin, apprenticeship
):
    apprenticeship.employer.ein = "=1+2"
    apprenticeship.employer.save()
    apprenticeship.program.rti_provider = "@SUM(1+1)"
    apprenticeship.program.save()
    User.objects.filter(pk=apprenticeship.apprentice_id).update(email="=1+2@example.org")

    (row,) = export(client_for(raps_admin))

    assert (row["Employer"], row["Related Technical Instruction Provider"], row["Email"]) == (
        "'=1+2",
        "'@SUM(1+1)",
        "'=1+2@example.org",
    )


def test_a_negative_number_in_the_rapids_export_stays_a_number(client_for, raps_admin, apprenticeship):
    ApprenticeRegistration.objects.filter(apprenticeship=apprenticeship).update(prior_wage=Decimal("-5.40"))

    (row,) = export(client_for(raps_admin))

    assert row["Prior Wages"] == "-5"
