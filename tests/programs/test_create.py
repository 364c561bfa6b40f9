"""POST /api/v1/programs/: a RAPS admin registers the sponsor's standards for an occupation, with
the work process schedule, the wage schedule and the milestone definitions nested; a standard
that breaks 29 CFR 29.5 is refused with the field that breaks it, and nothing is written."""

from decimal import Decimal

import pytest

from apprenticeships.models import Competency, MilestoneDefinition, Program, WageStep, WorkProcess
from tests import factories
from tests.programs.helpers import PROGRAMS, program_body


def _nothing_written():
    return (
        not Program.objects.exists()
        and not WorkProcess.objects.exists()
        and not Competency.objects.exists()
        and not WageStep.objects.exists()
        and not MilestoneDefinition.objects.exists()
        and not Program.history.exists()
        and not WorkProcess.history.exists()
    )


def test_raps_admin_registers_a_program_with_its_schedules_nested(client_for, raps_admin, sponsor, occupation):
    response = client_for(raps_admin).post(PROGRAMS, program_body(occupation))

    assert response.status_code == 201, response.json()
    body = response.json()
    program = Program.objects.get(id=body["id"])
    assert program.sponsor == sponsor
    assert program.occupation == occupation
    assert body["sponsor"] == str(sponsor.id)
    assert body["title"] == occupation.title  # defaults to the occupation's
    assert (body["ojt_hours_required"], body["probation_hours"]) == ("2000.00", "500.00")

    front, back = body["work_processes"]
    assert (front["title"], front["target_hours"]) == ("Front end", "1200.00")
    assert [(c["code"], c["title"]) for c in front["competencies"]] == [
        ("FE-1", "Builds accessible forms"),
        ("FE-2", "Writes component tests"),
    ]
    assert (back["title"], [c["code"] for c in back["competencies"]]) == ("Back end", ["BE-1"])
    assert all(c["id"] for c in front["competencies"] + back["competencies"])
    assert [(s["name"], s["starts_at_ojt_hours"], s["wage"]) for s in body["wage_steps"]] == [
        ("Step 1", "0.00", "22.00"),
        ("Step 2", "1000.00", "25.00"),
    ]

    assert list(program.work_processes.values_list("title", "position")) == [("Front end", 0), ("Back end", 1)]
    assert Competency.objects.filter(work_process__program=program).count() == 3
    assert program.wage_steps.count() == 2
    assert program.milestone_definitions.count() == 6


def test_milestone_definitions_of_every_kind_are_stored_as_the_kind_needs(client_for, raps_admin, occupation):
    body = client_for(raps_admin).post(PROGRAMS, program_body(occupation)).json()

    by_name = {definition["name"]: definition for definition in body["milestone_definitions"]}
    program = Program.objects.get(id=body["id"])
    front_end = program.work_processes.get(title="Front end")
    step_2 = program.wage_steps.get(name="Step 2")
    # probation: the threshold defaults to the program's probation hours.
    assert (by_name["Probation complete"]["kind"], by_name["Probation complete"]["threshold_hours"]) == (
        "probation",
        "500.00",
    )
    assert by_name["Halfway"]["threshold_hours"] == "1000.00"
    assert by_name["Related instruction done"]["threshold_hours"] == "180.00"
    # wage_step: linked to the step that starts at its threshold.
    assert by_name["Step 2 reached"]["threshold_hours"] == "1000.00"
    assert by_name["Step 2 reached"]["wage_step"] == str(step_2.id)
    # work_process_competencies: linked to the work process it names; hours do not decide it.
    assert by_name["Front end mastered"]["work_process"] == str(front_end.id)
    assert by_name["Front end mastered"]["threshold_hours"] is None
    assert "work_process_title" not in by_name["Front end mastered"]
    # completion: hours do not decide it.
    assert by_name["Completion"]["threshold_hours"] is None
    stored = {d.name: d for d in program.milestone_definitions.all()}
    assert stored["Probation complete"].threshold_hours == Decimal("500")
    assert stored["Step 2 reached"].wage_step == step_2
    assert stored["Front end mastered"].work_process == front_end
    assert (stored["Completion"].threshold_hours, stored["Completion"].work_process) == (None, None)


def test_registering_a_program_is_recorded_in_history_with_the_raps_admin(client_for, raps_admin, occupation):
    body = client_for(raps_admin).post(PROGRAMS, program_body(occupation)).json()

    created = Program.objects.get(id=body["id"]).history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        raps_admin,
        "registered standards",
    )
    assert WorkProcess.history.filter(history_type="+", history_user=raps_admin).count() == 2
    assert MilestoneDefinition.history.filter(history_type="+", history_user=raps_admin).count() == 6


def test_a_competency_based_program_may_have_fewer_than_2000_ojt_hours(client_for, raps_admin, occupation):
    response = client_for(raps_admin).post(
        PROGRAMS,
        program_body(
            occupation,
            training_approach="competency_based",
            ojt_hours_required="1000.00",
            probation_hours="250.00",
            wage_steps=[],
            milestone_definitions=[],
        ),
    )

    assert response.status_code == 201, response.json()
    assert Program.objects.get().ojt_hours_required == Decimal("1000")


def test_probation_of_exactly_a_quarter_of_the_ojt_hours_is_accepted(client_for, raps_admin, occupation):
    response = client_for(raps_admin).post(PROGRAMS, program_body(occupation, probation_hours="500.00"))

    assert response.status_code == 201


def test_probation_of_exactly_2000_hours_in_a_long_program_is_accepted(client_for, raps_admin, occupation):
    response = client_for(raps_admin).post(
        PROGRAMS, program_body(occupation, ojt_hours_required="10000.00", probation_hours="2000.00")
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("ojt_hours", "probation_hours"),
    [
        pytest.param("2000.00", "500.25", id="over-25-percent-of-ojt"),
        pytest.param("10000.00", "2000.25", id="over-one-year-of-2000-hours"),
    ],
)
def test_probation_over_a_quarter_of_the_term_or_a_year_is_refused(
    client_for, raps_admin, occupation, ojt_hours, probation_hours
):
    response = client_for(raps_admin).post(
        PROGRAMS, program_body(occupation, ojt_hours_required=ojt_hours, probation_hours=probation_hours)
    )

    assert response.status_code == 400
    assert list(response.json()) == ["probation_hours"]
    assert _nothing_written()


def test_a_time_based_program_with_fewer_than_2000_ojt_hours_is_refused(client_for, raps_admin, occupation):
    response = client_for(raps_admin).post(
        PROGRAMS, program_body(occupation, ojt_hours_required="1999.75", probation_hours="400.00")
    )

    assert response.status_code == 400
    assert list(response.json()) == ["ojt_hours_required"]
    assert "2,000" in response.json()["ojt_hours_required"][0]
    assert _nothing_written()


def test_a_second_program_for_the_same_occupation_is_refused(client_for, raps_admin, occupation):
    client = client_for(raps_admin)
    first = client.post(PROGRAMS, program_body(occupation))

    second = client.post(PROGRAMS, program_body(occupation, title="Web Developer, again"))

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(second.json()) == ["occupation"]
    assert list(Program.objects.values_list("title", flat=True)) == [occupation.title]
    assert WorkProcess.objects.count() == 2


def test_another_sponsor_may_have_a_program_for_the_same_occupation(
    client_for, raps_admin, other_raps_admin, occupation
):
    mine = client_for(raps_admin).post(PROGRAMS, program_body(occupation))
    theirs = client_for(other_raps_admin).post(PROGRAMS, program_body(occupation))

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert Program.objects.filter(occupation=occupation).count() == 2


def test_a_wage_step_milestone_whose_threshold_starts_no_step_is_refused_and_nothing_is_written(
    client_for, raps_admin, occupation
):
    body = program_body(
        occupation,
        milestone_definitions=[{"name": "Step 2 reached", "kind": "wage_step", "threshold_hours": "1200.00"}],
    )

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["milestone_definitions"]
    assert "1200" in response.json()["milestone_definitions"][0]
    # The program, its work processes and wage steps were written first, in the same transaction.
    assert _nothing_written()


def test_a_work_process_milestone_naming_no_work_process_is_refused(client_for, raps_admin, occupation):
    body = program_body(
        occupation,
        milestone_definitions=[
            {"name": "Testing mastered", "kind": "work_process_competencies", "work_process_title": "Testing"}
        ],
    )

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert "Testing" in response.json()["milestone_definitions"][0]
    assert _nothing_written()


def test_a_completion_milestone_with_a_threshold_is_refused(client_for, raps_admin, occupation):
    body = program_body(
        occupation, milestone_definitions=[{"name": "Completion", "kind": "completion", "threshold_hours": "2000.00"}]
    )

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["milestone_definitions"]
    assert _nothing_written()


@pytest.mark.parametrize("kind", ["ojt_hours", "rti_hours"])
def test_an_hours_milestone_without_a_threshold_is_refused(client_for, raps_admin, occupation, kind):
    body = program_body(occupation, milestone_definitions=[{"name": "Halfway", "kind": kind}])

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["milestone_definitions"]
    assert _nothing_written()


def test_two_completion_milestones_are_refused(client_for, raps_admin, occupation):
    body = program_body(
        occupation,
        milestone_definitions=[
            {"name": "Completion", "kind": "completion"},
            {"name": "Completion, again", "kind": "completion"},
        ],
    )

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["milestone_definitions"]
    assert _nothing_written()


def test_two_work_processes_with_one_title_are_refused(client_for, raps_admin, occupation):
    body = program_body(
        occupation,
        work_processes=[
            {"title": "Front end", "target_hours": "1000.00"},
            {"title": "Front end", "target_hours": "1000.00"},
        ],
        milestone_definitions=[],
    )

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert list(response.json()) == ["work_processes"]
    assert _nothing_written()


def test_an_unknown_milestone_kind_is_refused(client_for, raps_admin, occupation):
    body = program_body(occupation, milestone_definitions=[{"name": "Birthday", "kind": "birthday"}])

    response = client_for(raps_admin).post(PROGRAMS, body)

    assert response.status_code == 400
    assert response.json() == {"milestone_definitions": {"0": {"kind": ['"birthday" is not a valid choice.']}}}
    assert _nothing_written()


@pytest.mark.parametrize(
    "persona",
    ["employer_a_admin", "employer_a_supervisor", "employer_b_supervisor", "apprentice", "outsider", "platform_staff"],
)
def test_only_raps_admins_register_programs(request, client_for, occupation, persona):
    response = client_for(request.getfixturevalue(persona)).post(PROGRAMS, program_body(occupation))

    assert response.status_code == 403
    assert _nothing_written()


def test_a_raps_admin_cannot_register_a_program_for_another_sponsor(client_for, raps_admin, other_sponsor, occupation):
    response = client_for(raps_admin).post(PROGRAMS, program_body(occupation, sponsor=str(other_sponsor.id)))

    assert response.status_code == 400
    assert response.json() == {"sponsor": ["Not found."]}
    assert _nothing_written()


def test_an_admin_of_two_sponsors_names_the_sponsor(client_for, raps_admin, other_sponsor, occupation):
    factories.MembershipFactory(user=raps_admin, sponsor=other_sponsor, role="raps_admin")
    client = client_for(raps_admin)

    unnamed = client.post(PROGRAMS, program_body(occupation))
    named = client.post(PROGRAMS, program_body(occupation, sponsor=str(other_sponsor.id)))

    assert unnamed.status_code == 400
    assert list(unnamed.json()) == ["sponsor"]
    assert named.status_code == 201
    assert Program.objects.get().sponsor == other_sponsor


@pytest.mark.parametrize(
    ("field", "value"),
    [("rti_hours_required", "-1.00"), ("term_months", 0), ("ratio_journeyworkers", 0)],
)
def test_a_field_out_of_its_range_is_refused_naming_the_field(client_for, raps_admin, occupation, field, value):
    response = client_for(raps_admin).post(PROGRAMS, program_body(occupation, **{field: value}))

    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()
