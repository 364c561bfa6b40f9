"""PATCH /api/v1/programs/{id}/: the sponsor's RAPS admins change the standards. Nested lines
without an id are added, lines with an id are changed, lines left out are kept (hours, sign-offs
and milestones point at them); a line of another program is a bad value."""

from decimal import Decimal

import pytest

from apprenticeships.models import Competency, MilestoneDefinition, Program, WageStep, WorkProcess
from tests import factories


def _url(program):
    return f"/api/v1/programs/{program.id}/"


def _schedule_snapshot(program):
    return (
        list(WorkProcess.objects.filter(program=program).order_by("id").values_list("id", "title", "target_hours")),
        list(
            Competency.objects.filter(work_process__program=program).order_by("id").values_list("id", "code", "title")
        ),
        list(WageStep.objects.filter(program=program).order_by("id").values_list("id", "name", "wage")),
        list(MilestoneDefinition.objects.filter(program=program).order_by("id").values_list("id", "name", "kind")),
    )


def test_raps_admin_changes_top_level_fields_and_keeps_the_schedules(client_for, raps_admin, program):
    before = _schedule_snapshot(program)

    response = client_for(raps_admin).patch(
        _url(program), {"rti_hours_required": "144.00", "rti_provider": "East LA College", "term_months": 18}
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["rti_hours_required"], body["rti_provider"], body["term_months"]) == ("144.00", "East LA College", 18)
    program.refresh_from_db()
    assert (program.rti_hours_required, program.rti_provider, program.term_months) == (
        Decimal("144"),
        "East LA College",
        18,
    )
    assert _schedule_snapshot(program) == before
    assert [wp["title"] for wp in body["work_processes"]] == ["Front end", "Back end"]
    assert len(body["wage_steps"]) == 3
    assert len(body["milestone_definitions"]) == 2


def test_nested_lines_without_an_id_are_added_and_the_others_kept(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(
        _url(program),
        {
            "work_processes": [
                {
                    "title": "Testing",
                    "target_hours": "200.00",
                    "competencies": [{"code": "QA-1", "title": "Writes end-to-end tests"}],
                }
            ],
            "wage_steps": [{"name": "Step 4", "starts_at_ojt_hours": "1800.00", "wage": "30.00"}],
            "milestone_definitions": [
                {"name": "Step 4 reached", "kind": "wage_step", "threshold_hours": "1800.00"},
                {"name": "Testing mastered", "kind": "work_process_competencies", "work_process_title": "Testing"},
            ],
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert {wp["title"] for wp in body["work_processes"]} == {"Front end", "Back end", "Testing"}
    testing = next(wp for wp in body["work_processes"] if wp["title"] == "Testing")
    assert [(c["code"], c["title"]) for c in testing["competencies"]] == [("QA-1", "Writes end-to-end tests")]
    assert [step["name"] for step in body["wage_steps"]] == ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert {d["name"] for d in body["milestone_definitions"]} == {
        "Probation complete",
        "Halfway",
        "Step 4 reached",
        "Testing mastered",
    }
    assert MilestoneDefinition.objects.get(name="Step 4 reached").wage_step == WageStep.objects.get(name="Step 4")
    assert MilestoneDefinition.objects.get(name="Testing mastered").work_process == WorkProcess.objects.get(
        title="Testing"
    )
    assert Competency.objects.filter(work_process__program=program).count() == 5


def test_nested_lines_with_an_id_are_changed_in_place(client_for, raps_admin, program):
    front = program.work_processes.get(title="Front end")
    competency = front.competencies.order_by("code").first()
    step_2 = program.wage_steps.get(name="Step 2")
    halfway = program.milestone_definitions.get(name="Halfway")

    response = client_for(raps_admin).patch(
        _url(program),
        {
            "work_processes": [
                {
                    "id": str(front.id),
                    "title": "Front-end development",
                    "target_hours": "1100.00",
                    "competencies": [{"id": str(competency.id), "title": "Builds accessible forms"}],
                }
            ],
            "wage_steps": [{"id": str(step_2.id), "wage": "26.50"}],
            "milestone_definitions": [{"id": str(halfway.id), "name": "Half of the OJT hours"}],
        },
    )

    assert response.status_code == 200, response.json()
    front.refresh_from_db()
    competency.refresh_from_db()
    step_2.refresh_from_db()
    halfway.refresh_from_db()
    assert (front.title, front.target_hours) == ("Front-end development", Decimal("1100"))
    assert competency.title == "Builds accessible forms"
    assert step_2.wage == Decimal("26.50")
    assert (halfway.name, halfway.kind, halfway.threshold_hours) == (
        "Half of the OJT hours",
        "ojt_hours",
        Decimal("1000"),
    )
    # Changed, not added: the same number of lines, and the changes are in their history.
    assert (program.work_processes.count(), program.wage_steps.count(), program.milestone_definitions.count()) == (
        2,
        3,
        2,
    )
    assert front.competencies.count() == 2
    changed = step_2.history.first()
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == ("~", raps_admin, "updated")


def test_lines_left_out_of_a_patch_are_never_deleted(client_for, raps_admin, program):
    back = program.work_processes.get(title="Back end")
    before = _schedule_snapshot(program)

    response = client_for(raps_admin).patch(
        _url(program),
        {
            "work_processes": [{"id": str(back.id), "target_hours": "800.00"}],
            "wage_steps": [],
            "milestone_definitions": [],
        },
    )

    assert response.status_code == 200, response.json()
    assert _schedule_snapshot(program) == before
    assert not WorkProcess.history.filter(history_type="-").exists()


@pytest.mark.parametrize("nested", ["work_processes", "wage_steps", "milestone_definitions"])
def test_a_line_of_another_program_is_refused_and_nothing_is_written(client_for, raps_admin, sponsor, program, nested):
    other_program = factories.ProgramFactory(sponsor=sponsor)
    foreign = {
        "work_processes": lambda: factories.WorkProcessFactory(program=other_program, title="Foreign"),
        "wage_steps": lambda: factories.WageStepFactory(program=other_program, name="Foreign"),
        "milestone_definitions": lambda: factories.MilestoneDefinitionFactory(program=other_program, name="Foreign"),
    }[nested]()
    before = _schedule_snapshot(program)

    response = client_for(raps_admin).patch(
        _url(program), {"title": "Renamed", nested: [{"id": str(foreign.id), "name": "Mine now", "title": "Mine now"}]}
    )

    assert response.status_code == 400
    assert list(response.json()) == [nested]
    program.refresh_from_db()
    assert program.title == "Web Developer (test)"  # the top-level change was rolled back too
    assert _schedule_snapshot(program) == before
    assert type(foreign).objects.get(pk=foreign.pk).program == other_program
    assert not Program.history.filter(history_type="~").exists()


def test_a_competency_of_another_work_process_is_refused(client_for, raps_admin, program):
    front = program.work_processes.get(title="Front end")
    back_competency = Competency.objects.filter(work_process__title="Back end").first()

    response = client_for(raps_admin).patch(
        _url(program),
        {
            "work_processes": [
                {"id": str(front.id), "competencies": [{"id": str(back_competency.id), "title": "Moved"}]}
            ]
        },
    )

    assert response.status_code == 400
    assert list(response.json()) == ["competencies"]
    back_competency.refresh_from_db()
    assert back_competency.title != "Moved"


def test_an_unknown_line_id_is_refused(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(
        _url(program), {"wage_steps": [{"id": "00000000-0000-0000-0000-000000000000", "wage": "99.00"}]}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["wage_steps"]
    assert not program.wage_steps.filter(wage=Decimal("99")).exists()


def test_a_patch_that_raises_probation_above_a_quarter_of_the_ojt_hours_is_refused(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(_url(program), {"probation_hours": "600.00", "rti_provider": "Changed"})

    assert response.status_code == 400
    assert list(response.json()) == ["probation_hours"]
    program.refresh_from_db()
    assert (program.probation_hours, program.rti_provider) == (Decimal("500"), "")
    assert not Program.history.filter(history_type="~").exists()


def test_a_patch_that_lowers_a_time_based_program_under_2000_hours_is_refused(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(_url(program), {"ojt_hours_required": "1800.00", "probation_hours": "400"})

    assert response.status_code == 400
    assert list(response.json()) == ["ojt_hours_required"]
    program.refresh_from_db()
    assert program.ojt_hours_required == Decimal("2000")


def test_a_patch_to_an_occupation_the_sponsor_already_has_a_program_for_is_refused(
    client_for, raps_admin, sponsor, program
):
    taken = factories.ProgramFactory(sponsor=sponsor).occupation

    response = client_for(raps_admin).patch(_url(program), {"occupation": str(taken.id)})

    assert response.status_code == 400
    program.refresh_from_db()
    assert program.occupation.title == "Web Developer (test)"


def test_a_patch_to_a_taken_occupation_names_the_occupation_field_as_registration_does(
    client_for, raps_admin, sponsor, program
):
    taken = factories.ProgramFactory(sponsor=sponsor).occupation

    response = client_for(raps_admin).patch(_url(program), {"occupation": str(taken.id)})

    assert response.status_code == 400
    assert list(response.json()) == ["occupation"]


def test_the_sponsor_of_a_program_cannot_be_changed(client_for, raps_admin, sponsor, other_sponsor, program):
    response = client_for(raps_admin).patch(_url(program), {"sponsor": str(other_sponsor.id)})

    assert response.status_code == 200
    assert response.json()["sponsor"] == str(sponsor.id)
    program.refresh_from_db()
    assert program.sponsor == sponsor


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_of_a_program_may_not_change_it(request, client_for, apprenticeship, program, persona):
    response = client_for(request.getfixturevalue(persona)).patch(_url(program), {"title": "Hijacked"})

    assert response.status_code == 403
    program.refresh_from_db()
    assert program.title == "Web Developer (test)"


@pytest.mark.parametrize("persona", ["other_raps_admin", "outsider"])
def test_a_program_outside_the_callers_scope_is_not_found_for_patch(request, client_for, program, persona):
    response = client_for(request.getfixturevalue(persona)).patch(_url(program), {"title": "Hijacked"})

    assert response.status_code == 404
    program.refresh_from_db()
    assert program.title == "Web Developer (test)"


def test_a_work_process_added_by_patch_comes_after_the_existing_ones(client_for, raps_admin, program):
    response = client_for(raps_admin).patch(
        _url(program), {"work_processes": [{"title": "Accessibility", "target_hours": "100.00"}]}
    )

    assert response.status_code == 200
    assert [wp["title"] for wp in response.json()["work_processes"]] == ["Front end", "Back end", "Accessibility"]
