"""A record made of others shows their changes in its history: a program its work processes,
competencies, wage steps and milestone definitions ("work_processes[Front end].target_hours");
an apprenticeship its registration data, the SSN as changed (never a value), the date of birth
and demographics only to those who read them (the sponsor's RAPS admins and the apprentice)."""

from portal.api.history import HIDDEN
from tests.history.conftest import history_url


def changes_of(entry) -> dict:
    return {change["field"]: (change["old"], change["new"]) for change in entry["changes"]}


def test_a_nested_standards_edit_shows_in_the_programs_history_with_field_old_and_new(client_for, raps_admin, program):
    front = program.work_processes.get(title="Front end")
    step = program.wage_steps.get(name="Step 2")
    competency = front.competencies.first()
    client = client_for(raps_admin)

    response = client.patch(
        f"/api/v1/programs/{program.id}/",
        {
            "work_processes": [
                {
                    "id": str(front.id),
                    "title": "Front end",
                    "target_hours": "1100.00",
                    "competencies": [{"id": str(competency.id), "code": competency.code, "title": "Accessible UI"}],
                },
                {"title": "Operations", "target_hours": "100.00"},
            ],
            "wage_steps": [{"id": str(step.id), "name": "Step 2", "starts_at_ojt_hours": "1000.00", "wage": "26.00"}],
            "reason": "agency asked for an operations line",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()

    entries = client.get(history_url("programs", program.id)).json()["results"]
    edit = [entry for entry in entries if (entry["history_change_reason"] or "").endswith("operations line")]
    found = {field: values for entry in edit for field, values in changes_of(entry).items()}
    assert found["work_processes[Front end].target_hours"] == ("1200.00", "1100.00")
    assert found[f"competencies[{competency.code}].title"] == (competency.title, "Accessible UI")
    assert found["wage_steps[Step 2].wage"] == ("25.00", "26.00")
    assert found["work_processes[Operations].title"] == (None, "Operations")
    assert found["work_processes[Operations].target_hours"] == (None, "100.00")
    reasons = {entry["history_change_reason"] for entry in edit}
    assert {"updated: agency asked for an operations line", "added: agency asked for an operations line"} <= reasons
    assert all(entry["history_user"]["id"] == str(raps_admin.id) for entry in edit)


def test_a_nested_line_saved_unchanged_lists_no_change(client_for, raps_admin, program):
    back = program.work_processes.get(title="Back end")
    client = client_for(raps_admin)

    client.patch(
        f"/api/v1/programs/{program.id}/",
        {"work_processes": [{"id": str(back.id), "title": "Back end", "target_hours": "800.00"}]},
        format="json",
    )

    newest_part = next(
        entry
        for entry in client.get(history_url("programs", program.id)).json()["results"]
        if entry["history_change_reason"] == "updated"
    )
    assert newest_part["changes"] == []


def _edit_registration(client, apprenticeship):
    response = client.patch(
        f"/api/v1/apprenticeships/{apprenticeship.id}/",
        {
            "registration": {
                "last_name": "Apprentice-Lee",
                "date_of_birth": "2000-06-17",
                "veteran_status": 3,
                "ssn": "987-65-4321",
            },
            "reason": "marriage; corrected date of birth",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()


def _registration_entry(client, apprenticeship) -> dict:
    entries = client.get(history_url("apprenticeships", apprenticeship.id)).json()["results"]
    return next(entry for entry in entries if "registration.last_name" in changes_of(entry))


def test_a_registration_edit_shows_in_the_apprenticeships_history_to_the_sponsors_admin(
    client_for, raps_admin, apprenticeship
):
    client = client_for(raps_admin)
    _edit_registration(client, apprenticeship)

    entry = _registration_entry(client, apprenticeship)

    changes = changes_of(entry)
    assert changes["registration.last_name"] == ("Apprentice", "Apprentice-Lee")
    assert changes["registration.date_of_birth"] == ("2000-05-17", "2000-06-17")
    assert changes["registration.veteran_status"] == (2, 3)
    assert changes["registration.ssn"] == (HIDDEN, HIDDEN)
    assert "registration.ssn_last4" not in changes
    assert entry["history_change_reason"] == "updated: marriage; corrected date of birth"
    assert "6789" not in str(entry)
    assert "4321" not in str(entry)


def test_employer_staff_see_that_the_date_of_birth_and_demographics_changed_not_their_values(
    client_for, raps_admin, employer_a_admin, employer_a_supervisor, apprenticeship
):
    _edit_registration(client_for(raps_admin), apprenticeship)

    for staff in (employer_a_admin, employer_a_supervisor):
        changes = changes_of(_registration_entry(client_for(staff), apprenticeship))

        assert changes["registration.last_name"] == ("Apprentice", "Apprentice-Lee")
        assert changes["registration.date_of_birth"] == (HIDDEN, HIDDEN)
        assert changes["registration.veteran_status"] == (HIDDEN, HIDDEN)
        assert changes["registration.ssn"] == (HIDDEN, HIDDEN)


def test_the_apprentice_reads_their_own_registration_changes(client_for, raps_admin, apprentice, apprenticeship):
    _edit_registration(client_for(raps_admin), apprenticeship)

    changes = changes_of(_registration_entry(client_for(apprentice), apprenticeship))

    assert changes["registration.date_of_birth"] == ("2000-05-17", "2000-06-17")
    assert changes["registration.ssn"] == (HIDDEN, HIDDEN)
