"""GET /api/v1/programs/ answers in the same number of queries for 1 program and for 20, each
with its work processes, competencies, wage steps and milestone definitions nested."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.programs.helpers import PROGRAMS


def _program_with_schedules(sponsor):
    program = factories.ProgramFactory(sponsor=sponsor)
    processes = [factories.WorkProcessFactory(program=program, position=position) for position in range(2)]
    for process in processes:
        factories.CompetencyFactory.create_batch(2, work_process=process)
    factories.WageStepFactory(program=program, starts_at_ojt_hours=0)
    step_2 = factories.WageStepFactory(program=program, starts_at_ojt_hours=1000)
    factories.MilestoneDefinitionFactory(program=program, kind="probation", threshold_hours=500)
    factories.MilestoneDefinitionFactory(program=program, kind="wage_step", threshold_hours=1000, wage_step=step_2)
    factories.MilestoneDefinitionFactory(
        program=program, kind="work_process_competencies", threshold_hours=None, work_process=processes[0]
    )
    factories.MilestoneDefinitionFactory(program=program, kind="completion", threshold_hours=None)


def _count_queries(client, rows):
    with CaptureQueriesContext(connection) as context:
        response = client.get(PROGRAMS)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == rows
    assert all(len(row["work_processes"]) == 2 and len(row["milestone_definitions"]) == 4 for row in results)
    return len(context.captured_queries)


def test_programs_list_query_count_is_flat(client_for, raps_admin, sponsor):
    client = client_for(raps_admin)
    _program_with_schedules(sponsor)
    one = _count_queries(client, 1)

    for _ in range(19):
        _program_with_schedules(sponsor)
    twenty = _count_queries(client, 20)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. COUNT(*)
    # 6. the page of programs  7. their work processes  8. those work processes' competencies
    # 9. their wage steps  10. their milestone definitions
    assert one == twenty == 10


def test_programs_list_query_count_is_flat_for_employer_staff(client_for, employer_a_supervisor, sponsor):
    client = client_for(employer_a_supervisor)
    _program_with_schedules(sponsor)
    one = _count_queries(client, 1)

    for _ in range(19):
        _program_with_schedules(sponsor)
    twenty = _count_queries(client, 20)

    # 1. session  2. user  3. memberships, with the sponsors the caller's employer takes part in
    # 4. the caller's own apprenticeships  5. COUNT(*)  6. the page of programs  7. work processes
    # 8. competencies  9. wage steps  10. milestone definitions
    assert one == twenty == 10
