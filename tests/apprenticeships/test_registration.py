"""POST /api/v1/apprenticeships/: a RAPS admin registers an apprentice agreement (ETA-671) with
the apprentice's RAPIDS registration data. A registration that breaks a rule of 29 CFR 29.5 or
a RAPIDS code value is refused with the field, and nothing is written: no apprenticeship, no
account, no invitation, no e-mail."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from apprenticeships.models import ApprenticeRegistration, Apprenticeship
from competencies.models import HourTotals
from portal.models import User
from sponsors.models import Employer, Invitation
from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS, NEW_APPRENTICE_EMAIL, registration_body


def _nothing_written():
    return (
        not Apprenticeship.objects.exists()
        and not ApprenticeRegistration.objects.exists()
        and not HourTotals.objects.exists()
        and not Apprenticeship.history.exists()
        and not User.objects.filter(email=NEW_APPRENTICE_EMAIL).exists()
        and not Invitation.objects.exists()
        and mail.outbox == []
    )


def test_raps_admin_registers_an_apprentice_agreement(register, raps_admin, program, employer_a):
    response = register(
        ojt_credit_hours="120.00",
        rti_credit_hours="24.00",
        credit_basis="A year as a help desk technician; a community college web course",
        rapids_apprentice_id="CA-2025-0001",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    apprenticeship = Apprenticeship.objects.get(id=body["id"])
    assert (apprenticeship.program, apprenticeship.employer, apprenticeship.status) == (
        program,
        employer_a,
        "registered",
    )
    assert (apprenticeship.start_date, apprenticeship.expected_end_date) == (
        datetime.date(2025, 6, 2),
        datetime.date(2027, 5, 28),
    )
    assert (apprenticeship.entry_wage, apprenticeship.ojt_credit_hours, apprenticeship.rti_credit_hours) == (
        Decimal("22.00"),
        Decimal("120.00"),
        Decimal("24.00"),
    )
    assert apprenticeship.credit_basis == "A year as a help desk technician; a community college web course"
    assert body["credit_basis"] == apprenticeship.credit_basis
    assert apprenticeship.rapids_apprentice_id == "CA-2025-0001"
    assert apprenticeship.current_wage_step == program.wage_steps.get(name="Step 1")
    totals = HourTotals.objects.get(apprenticeship=apprenticeship)
    assert (totals.ojt_approved, totals.ojt_pending, totals.rti_approved, totals.rti_pending) == (0, 0, 0, 0)
    registration = ApprenticeRegistration.objects.get(apprenticeship=apprenticeship)
    assert (registration.first_name, registration.last_name, registration.date_of_birth) == (
        "Ari",
        "Apprentice",
        datetime.date(2000, 5, 17),
    )
    assert (registration.zip_code, registration.education_level, registration.gender) == ("90012", 3, "9")

    assert body["status"] == "registered"
    assert body["current_wage_step"] == str(program.wage_steps.get(name="Step 1").id)
    assert body["apprentice"] == {
        "id": str(apprenticeship.apprentice_id),
        "email": NEW_APPRENTICE_EMAIL,
        "name": "Ari Apprentice",
    }
    assert body["registration"]["first_name"] == "Ari"
    created = apprenticeship.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        raps_admin,
        "registered",
    )
    assert registration.history.get().history_user == raps_admin


def test_a_new_address_gets_an_account_without_password_and_an_apprentice_invitation(
    register, raps_admin, sponsor, employer_a
):
    response = register()

    assert response.status_code == 201, response.json()
    user = User.objects.get(email=NEW_APPRENTICE_EMAIL)
    assert response.json()["apprentice"]["id"] == str(user.id)
    assert user.full_name == "Ari Apprentice"
    assert not user.has_usable_password()
    invitation = Invitation.objects.get(email=NEW_APPRENTICE_EMAIL)
    assert (invitation.role, invitation.sponsor, invitation.employer, invitation.invited_by) == (
        "apprentice",
        sponsor,
        employer_a,
        raps_admin,
    )
    assert [message.to for message in mail.outbox] == [[NEW_APPRENTICE_EMAIL]]
    assert "/invitations/accept?token=" in mail.outbox[0].body


def test_an_existing_account_is_used_whatever_the_case_of_the_address(register, apprentice):
    response = register(apprentice_email="Apprentice@Example.ORG")

    assert response.status_code == 201, response.json()
    assert Apprenticeship.objects.get().apprentice == apprentice
    assert User.objects.filter(email__iexact="apprentice@example.org").count() == 1
    assert apprentice.has_usable_password()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_mentor_from_the_employers_staff_is_recorded(register, employer_a_supervisor):
    response = register(mentor=str(employer_a_supervisor.id))

    assert response.status_code == 201, response.json()
    assert response.json()["mentor"] == str(employer_a_supervisor.id)
    assert Apprenticeship.objects.get().mentor == employer_a_supervisor


def test_a_mentor_from_another_employer_is_refused(register, employer_b_supervisor):
    response = register(mentor=str(employer_b_supervisor.id))

    assert response.status_code == 400
    assert list(response.json()) == ["mentor"]
    assert _nothing_written()


def test_an_apprentice_who_is_16_on_the_start_date_is_registered(register):
    response = register(start_date="2025-06-02", registration={"date_of_birth": "2009-06-02"})

    assert response.status_code == 201, response.json()


def test_registration_refuses_an_apprentice_under_16_on_the_start_date(register):
    response = register(start_date="2025-06-02", registration={"date_of_birth": "2009-06-03"})

    assert response.status_code == 400
    assert list(response.json()) == ["date_of_birth"]
    assert "16" in response.json()["date_of_birth"][0]
    assert _nothing_written()


def test_a_start_on_the_sponsors_registration_date_is_accepted(register, sponsor):
    assert sponsor.registration_date == datetime.date(2020, 1, 15)

    response = register(start_date="2020-01-15", expected_end_date="2022-01-14")

    assert response.status_code == 201, response.json()


def test_registration_refuses_a_start_before_the_sponsors_registration_date(register):
    response = register(start_date="2020-01-14", expected_end_date="2022-01-14")

    assert response.status_code == 400
    assert list(response.json()) == ["start_date"]
    assert "2020-01-15" in response.json()["start_date"][0]
    assert _nothing_written()


def test_registration_refuses_an_expected_end_before_the_start(register):
    response = register(start_date="2025-06-02", expected_end_date="2025-06-02")

    assert response.status_code == 400
    assert list(response.json()) == ["expected_end_date"]
    assert _nothing_written()


def test_registration_refuses_an_expected_end_after_the_programs_term(register, program):
    assert program.term_months == 36

    response = register(start_date="2025-06-02", expected_end_date="9999-12-31")

    assert response.status_code == 400
    assert list(response.json()) == ["expected_end_date"]
    assert "2028-06-02" in response.json()["expected_end_date"][0]
    assert _nothing_written()


def test_registration_accepts_an_expected_end_on_the_last_day_of_the_programs_term(register, program):
    assert program.term_months == 36

    response = register(start_date="2025-06-02", expected_end_date="2028-06-02")

    assert response.status_code == 201, response.json()


def test_registration_refuses_an_expected_end_one_day_after_the_programs_term(register, program):
    response = register(start_date="2025-06-02", expected_end_date="2028-06-03")

    assert response.status_code == 400
    assert list(response.json()) == ["expected_end_date"]
    assert _nothing_written()


def test_a_term_that_ends_in_a_shorter_month_ends_on_its_last_day(register, program):
    program.term_months = 1
    program.save()

    accepted = register(start_date="2025-01-31", expected_end_date="2025-02-28")
    refused = register(start_date="2025-01-31", expected_end_date="2025-03-01", apprentice_email="other@example.org")

    assert accepted.status_code == 201, accepted.json()
    assert refused.status_code == 400
    assert list(refused.json()) == ["expected_end_date"]


def test_a_term_that_would_end_after_the_year_9999_is_not_a_server_error(register):
    response = register(start_date="9999-12-01", expected_end_date="9999-12-31")

    assert response.status_code == 201, response.json()


def test_registration_refuses_an_employer_outside_the_raps_admins_sponsor(register, employer_c):
    response = register(employer=employer_c)

    assert response.status_code == 400
    assert response.json() == {"employer": ["Not found."]}
    assert _nothing_written()


def test_registration_refuses_an_employer_not_taking_part_in_the_programs_sponsor(
    register, raps_admin, other_sponsor, employer_c
):
    # An admin of both sponsors sees employer C, which takes part only in the other sponsor.
    factories.MembershipFactory(user=raps_admin, sponsor=other_sponsor, role="raps_admin")
    employer_c.journeyworkers = 5
    employer_c.save()

    response = register(employer=employer_c)

    assert response.status_code == 400
    assert list(response.json()) == ["employer"]
    assert "does not take part" in response.json()["employer"][0]
    assert _nothing_written()


def test_registration_refuses_an_apprentice_beyond_the_employers_ratio(register, employer_a):
    employer_a.journeyworkers = 1
    employer_a.save()
    register_at_one_to_one = register  # the program's ratio is 1 apprentice : 1 journeyworker

    first = register_at_one_to_one(apprentice_email="first@example.org")
    second = register_at_one_to_one(apprentice_email="second@example.org")

    assert first.status_code == 201, first.json()
    assert second.status_code == 400
    assert list(second.json()) == ["employer"]
    assert "1:1 allows 1" in second.json()["employer"][0]
    assert list(Apprenticeship.objects.values_list("apprentice__email", flat=True)) == ["first@example.org"]
    assert not User.objects.filter(email="second@example.org").exists()


def test_a_cancelled_apprenticeship_frees_its_place_in_the_ratio(register, client_for, raps_admin, employer_a):
    employer_a.journeyworkers = 1
    employer_a.save()
    first = register(apprentice_email="first@example.org").json()
    client_for(raps_admin).post(
        f"{APPRENTICESHIPS}{first['id']}/transition/",
        {"to": "cancelled", "reason": "left", "exit_reason": "voluntary_quit"},
    )

    second = register(apprentice_email="second@example.org")

    assert second.status_code == 201, second.json()


def test_an_employer_without_journeyworkers_takes_no_apprentice(register, employer_a):
    employer_a.journeyworkers = 0
    employer_a.save()

    response = register()

    assert response.status_code == 400
    assert list(response.json()) == ["employer"]
    assert _nothing_written()


def test_a_second_open_apprenticeship_in_the_same_program_is_refused(register):
    first = register(apprentice_email="twice@example.org")

    second = register(apprentice_email="twice@example.org")

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(second.json()) == ["apprentice_email"]
    assert Apprenticeship.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gender", "X"),
        ("education_level", 2),
        ("zip_code", "9001"),
        ("ethnicity", 3),
        ("race_asian", 2),
        ("veteran_status", 5),
        ("disability_status", 3),
        ("employment_status", "XX"),
        ("suffix", "Esq"),
        ("prior_wage_unit", "D"),
        ("student_status", "PHD"),
    ],
)
def test_registration_refuses_a_value_that_is_not_a_rapids_code_naming_the_nested_field(register, field, value):
    response = register(registration={field: value})

    assert response.status_code == 400
    assert list(response.json()) == ["registration"]
    assert list(response.json()["registration"]) == [field]
    assert _nothing_written()


def test_registration_requires_the_rapids_fields(register, program, employer_a, client_for, raps_admin):
    body = registration_body(program, employer_a)
    del body["registration"]["date_of_birth"]
    del body["registration"]["gender"]

    response = client_for(raps_admin).post(APPRENTICESHIPS, body)

    assert response.status_code == 400
    assert set(response.json()["registration"]) == {"date_of_birth", "gender"}
    assert _nothing_written()


@pytest.mark.parametrize("ssn", ["12-345-678", "abc-de-fghi", "1234567890"])
def test_registration_refuses_an_ssn_that_is_not_nine_digits(register, ssn):
    response = register(registration={"ssn": ssn})

    assert response.status_code == 400
    assert response.json() == {"ssn": ["An SSN has nine digits."]}
    assert _nothing_written()


def test_registration_refuses_an_ssn_longer_than_eleven_characters(register):
    response = register(registration={"ssn": "123-45-67890"})

    assert response.status_code == 400
    assert list(response.json()["registration"]) == ["ssn"]
    assert _nothing_written()


def test_an_ssn_without_dashes_is_stored_in_the_usual_form(register):
    response = register(registration={"ssn": "987654321"})

    assert response.status_code == 201
    registration = ApprenticeRegistration.objects.get()
    assert (registration.ssn, registration.ssn_last4) == ("987-65-4321", "4321")


@pytest.mark.parametrize("ssn", ["", None], ids=["blank", "left-out"])
def test_an_apprentice_may_be_registered_without_an_ssn(client_for, raps_admin, register, program, employer_a, ssn):
    body = registration_body(program, employer_a, registration={"ssn": ssn})
    if ssn is None:
        del body["registration"]["ssn"]

    response = client_for(raps_admin).post(APPRENTICESHIPS, body)

    assert response.status_code == 201, response.json()
    assert response.json()["ssn_masked"] is None
    assert ApprenticeRegistration.objects.get().ssn_last4 == ""


@pytest.mark.parametrize(
    "persona",
    ["employer_a_admin", "employer_a_supervisor", "employer_b_supervisor", "apprentice", "outsider", "platform_staff"],
)
def test_only_raps_admins_register_apprentices(request, register, persona):
    response = register(by=request.getfixturevalue(persona))

    assert response.status_code == 403
    assert _nothing_written()


def test_another_sponsors_raps_admin_is_told_the_program_is_not_found(register, other_raps_admin):
    # A RAPS admin may register, so the view does not answer 403; the program, outside their
    # sponsor, is an id they cannot see: a bad value, exactly as an id that does not exist.
    response = register(by=other_raps_admin)

    assert response.status_code == 400
    assert response.json() == {"program": ["Not found."]}
    assert _nothing_written()


def test_a_rapids_apprentice_id_already_used_is_refused_naming_the_field(register):
    first = register(apprentice_email="first@example.org", rapids_apprentice_id="CA-2025-0001")

    second = register(apprentice_email="second@example.org", rapids_apprentice_id="CA-2025-0001")

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(second.json()) == ["rapids_apprentice_id"], second.json()


def test_a_zero_entry_wage_is_refused_naming_the_field(register):
    response = register(entry_wage="0.00")

    assert response.status_code == 400
    assert list(response.json()) == ["entry_wage"], response.json()


def test_an_employer_added_through_the_api_with_journeyworkers_takes_an_apprentice(
    client_for, raps_admin, program, django_capture_on_commit_callbacks
):
    client = client_for(raps_admin)
    employer = client.post("/api/v1/employers/", {"name": "Added Employer", "journeyworkers": 1}).json()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPRENTICESHIPS, registration_body(program, Employer.objects.get(id=employer["id"])))

    assert response.status_code == 201, response.json()
    assert response.json()["employer"] == employer["id"]
