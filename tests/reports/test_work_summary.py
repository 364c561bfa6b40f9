"""GET /api/v1/reports/work-summary/: what is missing or due this week, each as a list with
names, for RAPS admins (their sponsor) and employer staff (their employer), in a fixed number of
queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourLog, HourTotals, Milestone
from tests import factories

WORK_SUMMARY = "/api/v1/reports/work-summary/"


def _names(body, key) -> list[str]:
    return [item["apprentice"]["name"] for item in body[key]["items"]]


def _apprenticeship(program, employer, name, *, approved="0", last_logged_days_ago=None, ends_in_days=400, **kw):
    today = timezone.localdate()
    apprenticeship = factories.ApprenticeshipFactory(
        program=program,
        employer=employer,
        apprentice=factories.UserFactory(full_name=name),
        start_date=today - datetime.timedelta(weeks=20),
        expected_end_date=today + datetime.timedelta(days=ends_in_days),
        **kw,
    )
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(
        ojt_approved=Decimal(approved),
        last_logged_on=None if last_logged_days_ago is None else today - datetime.timedelta(days=last_logged_days_ago),
    )
    return apprenticeship


def _approved_recently(apprenticeship, hours):
    factories.HourLogFactory(
        apprenticeship=apprenticeship,
        date=timezone.localdate() - datetime.timedelta(days=2),
        hours=Decimal(hours),
        status="approved",
        reviewed_by=apprenticeship.apprentice,
        reviewed_at=timezone.now(),
    )


@pytest.fixture
def week(program, employer_a, employer_b):
    """Ana logs daily and is on track; Ben has logged nothing for ten days; Cy is near the end of
    probation (500 h) at a fast pace; Dee's expected end is in 30 days; Eve (employer B) has a
    submission waiting 9 days and a wage step reached."""
    ana = _apprenticeship(program, employer_a, "Ana Ontrack", approved="1980", last_logged_days_ago=1)
    _approved_recently(ana, "24")
    ben = _apprenticeship(program, employer_a, "Ben Quiet", approved="100", last_logged_days_ago=10)
    cy = _apprenticeship(program, employer_a, "Cy Probation", approved="460", last_logged_days_ago=2)
    for _ in range(8):
        _approved_recently(cy, "20")
    dee = _apprenticeship(program, employer_a, "Dee Ending", approved="1990", last_logged_days_ago=3, ends_in_days=30)
    _approved_recently(dee, "24")
    eve = _apprenticeship(program, employer_b, "Eve Waiting", approved="1990", last_logged_days_ago=2)
    _approved_recently(eve, "24")
    waiting = factories.HourLogFactory(apprenticeship=eve, date=timezone.localdate() - datetime.timedelta(days=9))
    HourLog.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=9))
    step = factories.WageStepFactory(program=program, starts_at_ojt_hours=Decimal("1234"))
    wage_definition = factories.MilestoneDefinitionFactory(program=program, kind="wage_step", wage_step=step)
    Milestone.objects.create(apprenticeship=eve, definition=wage_definition, reached_at=timezone.now())
    hours_definition = factories.MilestoneDefinitionFactory(program=program, threshold_hours=Decimal("1500"))
    Milestone.objects.create(apprenticeship=dee, definition=hours_definition, reached_at=timezone.now())
    return {"ana": ana, "ben": ben, "cy": cy, "dee": dee, "eve": eve, "waiting": waiting}


def test_a_raps_admin_reads_what_is_missing_or_due_across_the_sponsor(client_for, raps_admin, week):
    response = client_for(raps_admin).get(WORK_SUMMARY)

    assert response.status_code == 200, response.content
    body = response.json()
    assert _names(body, "no_hours_lately") == ["Ben Quiet"]
    assert _names(body, "hours_waiting") == ["Eve Waiting"]
    assert body["hours_waiting"]["items"][0]["id"] == str(week["waiting"].id)
    assert body["hours_waiting"]["items"][0]["days_waiting"] == 9
    assert _names(body, "wage_steps_due") == ["Eve Waiting"]
    assert _names(body, "milestones_pending") == ["Dee Ending"]
    assert "Ben Quiet" in _names(body, "behind_pace")
    assert "Ana Ontrack" not in _names(body, "behind_pace")
    assert _names(body, "probation_ending") == ["Cy Probation"]
    assert _names(body, "ending_soon") == ["Dee Ending"]
    assert body["ending_soon"]["count"] == 1
    item = body["no_hours_lately"]["items"][0]
    assert item["program"]["title"] == week["ben"].program.title
    assert item["employer"]["name"] == week["ben"].employer.name


def test_employer_staff_read_their_employers_apprentices_only(client_for, employer_b_supervisor, week):
    body = client_for(employer_b_supervisor).get(WORK_SUMMARY).json()

    every = {name for key in body if key != "as_of" for name in _names(body, key)}
    assert every == {"Eve Waiting"}


@pytest.mark.parametrize("persona", ["apprentice", "outsider"])
def test_an_apprentice_or_outsider_is_refused(request, client_for, persona, week):
    response = client_for(request.getfixturevalue(persona)).get(WORK_SUMMARY)

    assert response.status_code == 403


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(WORK_SUMMARY)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_the_work_summary_answers_in_the_same_queries_for_few_and_many(
    client_for, raps_admin, program, employer_a, week
):
    # The program has progress reviews: the reviews written are read too (one query).
    program.review_interval_months, program.review_at_wage_steps = 1, True
    program.save()
    client = client_for(raps_admin)
    few = _count_queries(client)

    for index in range(15):
        more = _apprenticeship(program, employer_a, f"More {index}", last_logged_days_ago=12, ends_in_days=20)
        factories.HourLogFactory(apprenticeship=more)
    many = _count_queries(client)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the active
    # apprenticeships with their totals and pace window  6. the submissions waiting  7. the
    # pending milestones  8.-11. the programs and employers of the active apprenticeships and of
    # the milestones, one query each, shared by every row (not joined to each of thousands)
    # 12. the progress reviews of those apprenticeships (reviews_overdue)
    assert few == many == 12
