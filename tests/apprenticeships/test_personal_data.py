"""The apprentice's personal data (docs/domain.md): the SSN is stored encrypted, never returned whole,
masked to its last four digits for RAPS admins only; date of birth, address and demographic
codes are read by RAPS admins and the apprentice, never by employer staff."""

import pytest
from django.core import mail
from django.db import connection

from apprenticeships.models import ApprenticeRegistration
from tests.apprenticeships.helpers import APPRENTICESHIPS, SSN, SSN_DIGITS, url

NAMES_ONLY = {"first_name", "middle_name", "last_name", "suffix"}
PERSONAL = {
    "date_of_birth",
    "gender",
    "street_address",
    "city",
    "state",
    "zip_code",
    "ethnicity",
    "race_white",
    "race_asian",
    "veteran_status",
    "disability_status",
    "education_level",
    "employment_status",
}
READERS = ["raps_admin", "employer_a_admin", "employer_a_supervisor", "apprentice"]


def _raw_ssn_column() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM apprenticeships_apprenticeregistration")
        return [row[0] for row in cursor.fetchall()]


def _assert_no_whole_ssn(response, ssn=SSN, digits=SSN_DIGITS):
    text = response.content.decode()
    assert ssn not in text
    assert digits not in text


def test_the_ssn_is_stored_encrypted(register):
    assert register().status_code == 201

    (stored,) = _raw_ssn_column()
    assert stored
    assert SSN not in stored
    assert SSN_DIGITS not in stored
    registration = ApprenticeRegistration.objects.get()
    assert (registration.ssn, registration.ssn_last4) == (SSN, "6789")  # decrypted by the model only


def test_the_registration_response_masks_the_ssn(register):
    response = register()

    assert response.json()["ssn_masked"] == "***-**-6789"
    assert "ssn" not in response.json()["registration"]
    _assert_no_whole_ssn(response)


@pytest.mark.parametrize("persona", READERS)
def test_no_response_carries_the_whole_ssn(request, client_for, raps_admin, apprenticeship, persona):
    # The RAPS admin changes the apprenticeship first, so that its history has more than one row.
    client_for(raps_admin).post(url(apprenticeship, "transition"), {"to": "suspended", "reason": "leave"})
    client = client_for(request.getfixturevalue(persona))

    for path in (APPRENTICESHIPS, url(apprenticeship), url(apprenticeship, "history")):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_whole_ssn(response)


def test_only_the_raps_admin_reads_the_masked_ssn(
    client_for, raps_admin, employer_a_admin, employer_a_supervisor, apprentice, apprenticeship
):
    def masked(user):
        detail = client_for(user).get(url(apprenticeship)).json()["ssn_masked"]
        listed = client_for(user).get(APPRENTICESHIPS).json()["results"][0]["ssn_masked"]
        return detail, listed

    assert masked(raps_admin) == ("***-**-6789", "***-**-6789")
    assert masked(employer_a_admin) == (None, None)
    assert masked(employer_a_supervisor) == (None, None)
    assert masked(apprentice) == (None, None)


@pytest.mark.parametrize("persona", ["raps_admin", "apprentice"])
def test_the_raps_admin_and_the_apprentice_read_date_of_birth_and_demographics(
    request, client_for, apprenticeship, persona
):
    client = client_for(request.getfixturevalue(persona))

    detail = client.get(url(apprenticeship)).json()["registration"]
    listed = client.get(APPRENTICESHIPS).json()["results"][0]["registration"]

    assert detail == listed
    assert set(detail) >= PERSONAL | NAMES_ONLY
    assert (detail["date_of_birth"], detail["zip_code"], detail["education_level"], detail["veteran_status"]) == (
        "2000-05-17",
        "90012",
        3,
        2,
    )
    assert "ssn" not in detail


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor"])
def test_employer_staff_read_only_the_apprentices_names(request, client_for, apprenticeship, persona):
    client = client_for(request.getfixturevalue(persona))

    detail = client.get(url(apprenticeship)).json()["registration"]
    listed = client.get(APPRENTICESHIPS).json()["results"][0]["registration"]

    assert detail == listed == {"first_name": "Ari", "middle_name": "", "last_name": "Apprentice", "suffix": ""}
    assert "2000-05-17" not in client.get(url(apprenticeship)).content.decode()


def test_a_changed_ssn_is_stored_encrypted_and_read_back_masked(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(url(apprenticeship), {"registration": {"ssn": "987-65-4321"}})

    assert response.status_code == 200, response.json()
    assert response.json()["ssn_masked"] == "***-**-4321"
    _assert_no_whole_ssn(response, "987-65-4321", "987654321")
    (stored,) = _raw_ssn_column()
    assert "987-65-4321" not in stored
    assert "987654321" not in stored
    assert ApprenticeRegistration.objects.get().ssn == "987-65-4321"


def test_registration_history_never_keeps_the_ssn(client_for, raps_admin, apprenticeship):
    client_for(raps_admin).patch(url(apprenticeship), {"registration": {"ssn": "987-65-4321"}})

    history_columns = {field.name for field in ApprenticeRegistration.history.model._meta.fields}
    assert "ssn" not in history_columns
    assert [row.ssn_last4 for row in apprenticeship.registration.history.order_by("-history_date")] == ["4321", "6789"]


def test_the_invitation_e_mail_carries_neither_the_ssn_nor_the_date_of_birth(register):
    assert register().status_code == 201

    assert len(mail.outbox) == 1
    sent = mail.outbox[0].subject + mail.outbox[0].body
    assert SSN not in sent
    assert SSN_DIGITS not in sent
    assert "2000-05-17" not in sent
