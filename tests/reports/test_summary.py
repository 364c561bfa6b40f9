"""GET /api/v1/reports/summary/: the sponsor's numbers for its RAPS admins, one employer's for
its employer admins, each broken down by program and by employer; nobody else reads them."""

import datetime
import re
import uuid
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.summary_reads import plain_summary_reads, summary_reads
from tests import factories
from tests.aid.helpers import approved, make_fund, make_request, paid
from tests.reports.conftest import SUMMARY_URL, add_milestone, add_reviewed_log, set_totals

NUMBERS = [
    "enrolled",
    "completed",
    "placements",
    "ojt_hours_approved",
    "rti_hours_approved",
    "pending_hour_logs",
    "pending_milestones",
]
STATUSES = ["registered", "active", "suspended", "cancelled", "completed"]


@pytest.fixture
def records(sponsor, program, second_program, employer_a, employer_b, raps_admin, other_sponsor, employer_c):
    """Six apprenticeships of the sponsor over every status, three at employer A and three at B,
    in two programs; an employer that takes part without apprentices yet; and an apprenticeship
    of the other sponsor with hours and pending work of its own, which no report of ours counts."""
    probation = program.milestone_definitions.get(name="Probation complete")
    halfway = program.milestone_definitions.get(name="Halfway")
    ended = datetime.date(2026, 1, 5)
    approved_hours = {}

    def apprenticeship(employer, in_program, status, *, ojt, rti, **extra):
        record = factories.ApprenticeshipFactory(program=in_program, employer=employer, status=status, **extra)
        approved_hours[record] = {"ojt": ojt, "rti": rti}
        return record

    a_active = apprenticeship(employer_a, program, "active", ojt="812.50", rti="60.00")
    a_completed = apprenticeship(employer_a, program, "completed", ojt="2000.00", rti="180.00", ended_on=ended)
    a_registered = apprenticeship(employer_a, second_program, "registered", ojt="0", rti="0")
    b_active = apprenticeship(employer_b, program, "active", ojt="100.25", rti="0")
    b_cancelled = apprenticeship(
        employer_b, second_program, "cancelled", ojt="40.00", rti="4.75", ended_on=ended, cancellation_reason="moved"
    )
    b_suspended = apprenticeship(employer_b, second_program, "suspended", ojt="300.00", rti="20.00")

    # Waiting for approval: two logs of a_active and one of b_active. Decided logs wait for nobody.
    factories.HourLogFactory.create_batch(2, apprenticeship=a_active, status="submitted")
    factories.HourLogFactory(apprenticeship=b_active, status="submitted")
    add_reviewed_log(a_active, raps_admin, status="approved")
    add_reviewed_log(b_cancelled, raps_admin, status="rejected")
    # Waiting for a decision: one milestone each of a_active and b_active.
    add_milestone(a_active, probation)
    add_milestone(b_active, halfway)
    add_milestone(a_completed, probation, status="approved", decided_by=raps_admin)
    # A milestone is of a definition of its apprenticeship's program (the database holds it so).
    second_probation = factories.MilestoneDefinitionFactory(
        program=second_program, name="Probation complete", kind="probation", threshold_hours=Decimal("500")
    )
    add_milestone(b_suspended, second_probation, status="rejected", decided_by=raps_admin)
    add_milestone(b_cancelled, second_probation, status="withdrawn")

    employer_d = factories.EmployerFactory(name="Employer D")
    factories.ParticipationFactory(sponsor=sponsor, employer=employer_d)

    other_program = factories.ProgramFactory(sponsor=other_sponsor)
    other_definition = factories.MilestoneDefinitionFactory(program=other_program, name="Other halfway")
    other = apprenticeship(employer_c, other_program, "active", ojt="999.00", rti="99.00")
    factories.HourLogFactory.create_batch(
        3,
        apprenticeship=other,
        status="submitted",
        work_process=factories.WorkProcessFactory(program=other_program),
    )
    add_milestone(other, other_definition)
    for record, hours in approved_hours.items():
        set_totals(record, **hours)

    return SimpleNamespace(
        a_active=a_active,
        a_completed=a_completed,
        a_registered=a_registered,
        b_active=b_active,
        b_cancelled=b_cancelled,
        b_suspended=b_suspended,
        employer_d=employer_d,
        other=other,
    )


def by_id(rows) -> dict:
    return {row["id"]: row for row in rows}


def read(client, params=None):
    response = client.get(SUMMARY_URL, params or {})
    assert response.status_code == 200, response.content
    return response.json()


# --- RAPS admins: the whole sponsor -----------------------------------------------------------


def test_raps_admin_reads_the_whole_sponsors_numbers(client_for, raps_admin, records):
    report = read(client_for(raps_admin))

    assert report["partners"] == 3  # employers A, B and D take part
    assert report["apprenticeships_by_status"] == {
        "registered": 1,
        "active": 2,
        "suspended": 1,
        "cancelled": 1,
        "completed": 1,
    }
    assert report["enrolled"] == 6
    assert report["completed"] == 1
    assert report["placements"] == 5  # every apprenticeship but the registered one started work
    assert report["ojt_hours_approved"] == "3252.75"
    assert report["rti_hours_approved"] == "264.75"
    assert report["pending_hour_logs"] == 3
    assert report["pending_milestones"] == 2


def test_summary_breaks_the_sponsors_numbers_down_by_employer(client_for, raps_admin, records, employer_a, employer_b):
    report = read(client_for(raps_admin))
    employers = by_id(report["by_employer"])

    a, b = employers[str(employer_a.id)], employers[str(employer_b.id)]
    assert a["name"] == "Employer A"
    assert a["apprenticeships_by_status"] == {
        "registered": 1,
        "active": 1,
        "suspended": 0,
        "cancelled": 0,
        "completed": 1,
    }
    assert (a["enrolled"], a["completed"], a["placements"]) == (3, 1, 2)
    assert (a["ojt_hours_approved"], a["rti_hours_approved"]) == ("2812.50", "240.00")
    assert (a["pending_hour_logs"], a["pending_milestones"]) == (2, 1)
    assert b["name"] == "Employer B"
    assert b["apprenticeships_by_status"] == {
        "registered": 0,
        "active": 1,
        "suspended": 1,
        "cancelled": 1,
        "completed": 0,
    }
    assert (b["enrolled"], b["completed"], b["placements"]) == (3, 0, 3)
    assert (b["ojt_hours_approved"], b["rti_hours_approved"]) == ("440.25", "24.75")
    assert (b["pending_hour_logs"], b["pending_milestones"]) == (1, 1)
    assert str(records.other.employer_id) not in employers


def test_summary_breaks_the_sponsors_numbers_down_by_program(client_for, raps_admin, records, program, second_program):
    report = read(client_for(raps_admin))
    programs = by_id(report["by_program"])

    assert set(programs) == {str(program.id), str(second_program.id)}
    web, data = programs[str(program.id)], programs[str(second_program.id)]
    assert web["title"] == program.title
    assert (web["enrolled"], web["completed"], web["placements"]) == (3, 1, 3)
    assert (web["ojt_hours_approved"], web["rti_hours_approved"]) == ("2912.75", "240.00")
    assert (web["pending_hour_logs"], web["pending_milestones"]) == (3, 2)
    assert data["title"] == second_program.title
    assert data["apprenticeships_by_status"] == {
        "registered": 1,
        "active": 0,
        "suspended": 1,
        "cancelled": 1,
        "completed": 0,
    }
    assert (data["enrolled"], data["completed"], data["placements"]) == (3, 0, 2)
    assert (data["ojt_hours_approved"], data["rti_hours_approved"]) == ("340.00", "24.75")
    assert (data["pending_hour_logs"], data["pending_milestones"]) == (0, 0)


@pytest.mark.parametrize("breakdown", ["by_program", "by_employer"])
def test_each_breakdown_adds_up_to_the_totals(client_for, raps_admin, records, breakdown):
    report = read(client_for(raps_admin))
    rows = report[breakdown]

    for number in NUMBERS:
        added = sum(Decimal(str(row[number])) for row in rows)
        assert added == Decimal(str(report[number])), number
    by_status = Counter()
    for row in rows:
        by_status.update(row["apprenticeships_by_status"])
    assert {status: by_status[status] for status in STATUSES} == report["apprenticeships_by_status"]


def test_hours_are_strings_with_two_decimals(client_for, raps_admin, records):
    report = read(client_for(raps_admin))

    for bucket in [report, *report["by_program"], *report["by_employer"]]:
        for number in ("ojt_hours_approved", "rti_hours_approved"):
            assert isinstance(bucket[number], str)
            assert re.fullmatch(r"\d+\.\d{2}", bucket[number]), bucket[number]


@pytest.mark.parametrize(
    ("status", "placed"),
    [("registered", 0), ("active", 1), ("suspended", 1), ("cancelled", 1), ("completed", 1)],
)
def test_an_apprenticeship_is_a_placement_once_it_has_started_work(
    client_for, raps_admin, program, employer_a, status, placed
):
    ended = {"ended_on": datetime.date(2025, 6, 1)} if status in ("cancelled", "completed") else {}
    reason = {"cancellation_reason": "left"} if status == "cancelled" else {}
    factories.ApprenticeshipFactory(program=program, employer=employer_a, status=status, **ended, **reason)

    report = read(client_for(raps_admin))

    assert report["enrolled"] == 1
    assert report["placements"] == placed
    assert report["by_employer"][0]["placements"] == report["by_program"][0]["placements"] == placed


def test_each_apprenticeship_of_one_apprentice_is_a_placement(
    client_for, raps_admin, program, second_program, employer_a
):
    person = factories.UserFactory()
    factories.ApprenticeshipFactory(apprentice=person, program=program, employer=employer_a)
    factories.ApprenticeshipFactory(
        apprentice=person,
        program=second_program,
        employer=employer_a,
        status="cancelled",
        ended_on=datetime.date(2025, 6, 1),
        cancellation_reason="changed program",
    )

    report = read(client_for(raps_admin))

    assert (report["enrolled"], report["placements"]) == (2, 2)
    assert [row["placements"] for row in report["by_program"]] == [1, 1]


def test_logs_waiting_and_hours_approved_follow_submission_and_review(
    client_for, raps_admin, apprentice, employer_a_supervisor, apprenticeship, program
):
    """Through the API, as in production: what the apprentice submits waits; what employer staff
    approve counts as approved hours; what they reject counts nowhere."""
    front_end = program.work_processes.get(title="Front end")
    submitted = []
    for days_ago in (1, 2, 3):
        response = client_for(apprentice).post(
            "/api/v1/hour-logs/",
            {
                "apprenticeship": str(apprenticeship.id),
                "date": str(timezone.localdate() - datetime.timedelta(days=days_ago)),
                "hours": "8.00",
                "kind": "ojt",
                "work_process": str(front_end.id),
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        submitted.append(response.json()["id"])
    admin = client_for(raps_admin)
    waiting = read(admin)

    supervisor = client_for(employer_a_supervisor)
    assert supervisor.post(f"/api/v1/hour-logs/{submitted[0]}/approve/").status_code == 200
    assert supervisor.post(f"/api/v1/hour-logs/{submitted[1]}/reject/", {"reason": "wrong day"}).status_code == 200
    reviewed = read(admin)

    assert (waiting["pending_hour_logs"], waiting["ojt_hours_approved"]) == (3, "0.00")
    assert (reviewed["pending_hour_logs"], reviewed["ojt_hours_approved"]) == (1, "8.00")
    assert reviewed["by_employer"][0]["pending_hour_logs"] == 1


def test_a_status_change_moves_the_apprenticeship_and_its_hours_between_statuses(
    client_for, raps_admin, employer_a_supervisor, apprenticeship, program
):
    """Through the API: the summary counts by status from the running totals, which follow every
    transition; the hours stay with the apprenticeship."""
    front_end = program.work_processes.get(title="Front end")
    logged = client_for(employer_a_supervisor).post(
        "/api/v1/hour-logs/",
        {"apprenticeship": str(apprenticeship.id), "date": "2025-03-03", "hours": "8.00", "kind": "ojt"}
        | {"work_process": str(front_end.id)},
        format="json",
    )
    assert logged.status_code == 201, logged.content
    admin = client_for(raps_admin)
    before = read(admin)

    moved = admin.post(
        f"/api/v1/apprenticeships/{apprenticeship.id}/transition/", {"to": "suspended", "reason": "leave"}
    )
    after = read(admin)

    assert moved.status_code == 200, moved.content
    assert (before["apprenticeships_by_status"]["active"], before["apprenticeships_by_status"]["suspended"]) == (1, 0)
    assert (after["apprenticeships_by_status"]["active"], after["apprenticeships_by_status"]["suspended"]) == (0, 1)
    assert after["by_employer"][0]["apprenticeships_by_status"]["suspended"] == 1
    assert after["by_program"][0]["apprenticeships_by_status"]["suspended"] == 1
    assert before["ojt_hours_approved"] == after["ojt_hours_approved"] == "8.00"


def test_a_sponsor_without_apprenticeships_reports_zeros(client_for, raps_admin, employer_a):
    report = read(client_for(raps_admin))

    assert report["partners"] == 1
    assert report["enrolled"] == report["completed"] == report["placements"] == 0
    assert report["apprenticeships_by_status"] == dict.fromkeys(STATUSES, 0)
    assert (report["ojt_hours_approved"], report["rti_hours_approved"]) == ("0.00", "0.00")
    assert report["by_program"] == report["by_employer"] == []


def test_raps_admin_may_name_their_own_sponsor(client_for, raps_admin, sponsor, records):
    assert read(client_for(raps_admin), {"sponsor": sponsor.id}) == read(client_for(raps_admin))


def test_other_sponsors_admin_reads_only_their_own_sponsor(client_for, other_raps_admin, records):
    report = read(client_for(other_raps_admin))

    assert report["enrolled"] == 1
    assert report["ojt_hours_approved"] == "999.00"
    assert report["pending_hour_logs"] == 3
    assert report["pending_milestones"] == 1
    assert [row["id"] for row in report["by_employer"]] == [str(records.other.employer_id)]


# --- narrowed to one employer -----------------------------------------------------------------


def test_employer_filter_narrows_the_raps_admins_report_to_that_employer(client_for, raps_admin, records, employer_a):
    report = read(client_for(raps_admin), {"employer": employer_a.id})

    assert report["partners"] == 1
    assert report["enrolled"] == 3
    assert report["apprenticeships_by_status"] == {
        "registered": 1,
        "active": 1,
        "suspended": 0,
        "cancelled": 0,
        "completed": 1,
    }
    assert (report["completed"], report["placements"]) == (1, 2)
    assert (report["ojt_hours_approved"], report["rti_hours_approved"]) == ("2812.50", "240.00")
    assert (report["pending_hour_logs"], report["pending_milestones"]) == (2, 1)
    assert [row["id"] for row in report["by_employer"]] == [str(employer_a.id)]


def test_employer_admin_reads_only_their_employers_numbers(client_for, employer_a_admin, records, employer_a, program):
    report = read(client_for(employer_a_admin))

    assert report["enrolled"] == 3  # B's three are not counted
    assert report["apprenticeships_by_status"]["suspended"] == report["apprenticeships_by_status"]["cancelled"] == 0
    assert (report["ojt_hours_approved"], report["rti_hours_approved"]) == ("2812.50", "240.00")
    assert (report["pending_hour_logs"], report["pending_milestones"]) == (2, 1)
    assert [row["id"] for row in report["by_employer"]] == [str(employer_a.id)]
    web = by_id(report["by_program"])[str(program.id)]
    assert (web["enrolled"], web["pending_hour_logs"], web["pending_milestones"]) == (2, 2, 1)


def test_employer_admins_report_equals_the_raps_admins_report_of_that_employer(
    client_for, employer_a_admin, raps_admin, records, employer_a
):
    assert read(client_for(employer_a_admin)) == read(client_for(raps_admin), {"employer": employer_a.id})


def test_an_employer_taking_part_without_apprentices_reports_zeros(client_for, raps_admin, records):
    report = read(client_for(raps_admin), {"employer": records.employer_d.id})

    assert report["enrolled"] == report["pending_hour_logs"] == report["pending_milestones"] == 0
    assert report["ojt_hours_approved"] == "0.00"
    assert report["by_employer"] == []


def test_employer_admin_of_an_employer_in_two_sponsors_reads_one_sponsor_at_a_time(
    client_for, employer_a_admin, sponsor, other_sponsor, employer_a, records
):
    factories.ParticipationFactory(sponsor=other_sponsor, employer=employer_a, joined_on=datetime.date(2024, 5, 1))
    elsewhere = factories.ApprenticeshipFactory(
        program=factories.ProgramFactory(sponsor=other_sponsor), employer=employer_a
    )
    set_totals(elsewhere, ojt="7.00")
    client = client_for(employer_a_admin)

    first_joined, named = read(client), read(client, {"sponsor": other_sponsor.id})

    assert first_joined == read(client, {"sponsor": sponsor.id})
    assert (first_joined["enrolled"], first_joined["ojt_hours_approved"]) == (3, "2812.50")
    assert (named["enrolled"], named["ojt_hours_approved"]) == (1, "7.00")
    assert [row["id"] for row in named["by_program"]] == [str(elsewhere.program_id)]


# --- who may read ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "employer_b_supervisor", "apprentice", "outsider"])
def test_only_raps_admins_and_employer_admins_read_the_summary(request, client_for, apprenticeship, records, persona):
    response = client_for(request.getfixturevalue(persona)).get(SUMMARY_URL)

    assert response.status_code == 403
    assert "enrolled" not in response.json()


def test_the_summary_needs_a_signed_in_caller(anonymous_client, records):
    response = anonymous_client.get(SUMMARY_URL)

    assert response.status_code == 401
    assert "enrolled" not in response.json()


def test_another_sponsors_admin_cannot_read_our_sponsor(client_for, other_raps_admin, sponsor, records):
    response = client_for(other_raps_admin).get(SUMMARY_URL, {"sponsor": sponsor.id})

    assert response.status_code == 404
    assert "enrolled" not in response.json()


@pytest.mark.parametrize("other_employer", ["employer_b", "employer_c"])
def test_employer_admin_cannot_read_another_employer(request, client_for, employer_a_admin, records, other_employer):
    employer = request.getfixturevalue(other_employer)

    response = client_for(employer_a_admin).get(SUMMARY_URL, {"employer": employer.id})

    assert response.status_code == 404
    assert "enrolled" not in response.json()


def test_employer_admin_cannot_read_a_sponsor_their_employer_does_not_take_part_in(
    client_for, employer_a_admin, other_sponsor, records
):
    response = client_for(employer_a_admin).get(SUMMARY_URL, {"sponsor": other_sponsor.id})

    assert response.status_code == 404
    assert "enrolled" not in response.json()


def test_raps_admin_cannot_read_an_employer_outside_their_sponsor(client_for, raps_admin, employer_c, records):
    response = client_for(raps_admin).get(SUMMARY_URL, {"employer": employer_c.id})

    assert response.status_code == 404


@pytest.mark.parametrize("params", [{"employer": uuid.uuid4()}, {"sponsor": uuid.uuid4()}])
def test_unknown_sponsor_or_employer_is_not_found(client_for, raps_admin, records, params):
    assert client_for(raps_admin).get(SUMMARY_URL, params).status_code == 404


@pytest.mark.parametrize("params", [{"employer": "A"}, {"sponsor": "not-a-uuid"}])
def test_a_malformed_id_is_a_bad_request(client_for, raps_admin, records, params):
    response = client_for(raps_admin).get(SUMMARY_URL, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


# --- queries -----------------------------------------------------------------------------------


def add_apprenticeships(count, program, employer):
    """`count` active apprenticeships with approved hours, a log waiting for approval and a
    milestone waiting for a decision."""
    probation = program.milestone_definitions.get(name="Probation complete")
    for record in factories.ApprenticeshipFactory.create_batch(count, program=program, employer=employer):
        factories.HourLogFactory(apprenticeship=record, status="submitted")
        add_milestone(record, probation)
        set_totals(record, ojt="10.50", rti="1.25")


def count_queries(client, enrolled):
    with CaptureQueriesContext(connection) as context:
        report = read(client)
    assert report["enrolled"] == report["pending_hour_logs"] == report["pending_milestones"] == enrolled
    assert report["ojt_hours_approved"] == f"{Decimal('10.50') * enrolled:.2f}"
    return len(context.captured_queries)


def test_summary_query_count_is_the_same_for_1_and_for_50_apprenticeships(
    client_for, raps_admin, program, employer_a, employer_b
):
    client = client_for(raps_admin)
    add_apprenticeships(1, program, employer_a)
    one = count_queries(client, 1)

    add_apprenticeships(25, program, employer_a)
    add_apprenticeships(24, program, employer_b)
    fifty = count_queries(client, 50)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships
    # 5. one statement (competencies/summary_reads.py): the running totals (one row per
    # apprenticeship) counted and summed by program and status and by employer and status
    # (GROUPING SETS), pending milestones by program and by employer, COUNT of the sponsor's
    # participations, its aid committed, disbursed and participants served, and its funds summed
    # by source: a few dozen rows back, not one per apprenticeship  6. the sponsor's active
    # priority populations  7. the funders' counts and medians, in one aggregate
    # (competencies/funder.py)
    assert one == fifty == 7


def test_summary_query_count_for_an_employer_admin(client_for, employer_a_admin, program, employer_a):
    client = client_for(employer_a_admin)
    add_apprenticeships(1, program, employer_a)
    one = count_queries(client, 1)

    add_apprenticeships(49, program, employer_a)
    fifty = count_queries(client, 50)

    # 1. session  2. user  3. memberships, with the sponsors the caller's employer takes part in
    # 4. the caller's own apprenticeships  5. the sponsors the employer takes part in, first joined
    # first  6. the one statement, as for the RAPS admin's 5. (of the employer's apprenticeships;
    # partners is the one employer)  7.-8. as for the RAPS admin, 6. and 7.
    assert one == fifty == 8


@pytest.mark.parametrize("narrowed", [False, True])
def test_the_one_statement_equals_the_plain_reads_of_the_quick_start(
    sponsor, other_sponsor, records, employer_a, employer_b, narrowed
):
    """PostgreSQL reads the summary's totals, pending milestones, partners and Worker Equity Fund
    figures in one statement (GROUPING SETS); SQLite, which has none, in plain ORM reads. Both
    give the same rows and figures."""
    fund = make_fund(sponsor, amount="9000.00")
    make_fund(sponsor, amount="1000.50", name="Second fund", source="City of LA")
    make_fund(sponsor, amount="250.25", name="Third fund", source="City of LA")
    approved(records.a_active, fund, amount="120.50")
    paid(records.a_active, fund, amount="80.25")
    paid(records.b_active, fund, amount="40.00")
    make_request(records.b_suspended, fund=fund)
    paid(records.other, make_fund(other_sponsor), amount="999.00")
    employer_id = employer_a.id if narrowed else None
    one_statement = summary_reads(sponsor_id=sponsor.id, employer_id=employer_id)
    plain = plain_summary_reads(sponsor_id=sponsor.id, employer_id=employer_id)

    for rows, plain_rows in zip(one_statement[:4], plain[:4], strict=True):
        assert sorted(rows, key=str) == sorted(plain_rows, key=str)
    assert one_statement.partners == plain.partners == (1 if narrowed else 3)
    assert one_statement.worker_equity_fund == plain.worker_equity_fund
    assert one_statement.worker_equity_fund["investment"]["total"] == Decimal("10250.75")
    assert one_statement.worker_equity_fund["aid"] == (
        {"disbursed": Decimal("80.25"), "committed": Decimal("120.50"), "participants_served": 1}
        if narrowed
        else {"disbursed": Decimal("120.25"), "committed": Decimal("120.50"), "participants_served": 2}
    )
    assert {row[0] for row in one_statement.by_employer} == (
        {employer_a.id} if narrowed else {employer_a.id, employer_b.id}
    )
    assert sum(row[3] for row in one_statement.by_program) == (3 if narrowed else 6)
    assert sum(n for _id, n in one_statement.pending_milestones_by_program) == (1 if narrowed else 2)
    assert sum(n for _id, n in one_statement.pending_milestones_by_employer) == (1 if narrowed else 2)
