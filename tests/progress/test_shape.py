"""GET /api/v1/apprenticeships/{id}/progress/ answers with exactly the keys and shapes of docs/api.md:
hours as two-decimal strings, percents as floats with one decimal, ids as strings."""

import datetime

from django.utils import timezone

from competencies.models import Milestone


def test_progress_has_exactly_the_keys_and_shapes_of_the_contract(
    progress, log_hours, apprenticeship, program, front_end, back_end, employer_a_supervisor
):
    log_hours(employer_a_supervisor, 8, days_ago=3)
    halfway = program.milestone_definitions.get(name="Halfway")
    milestone = Milestone.objects.create(apprenticeship=apprenticeship, definition=halfway, reached_at=timezone.now())
    today = timezone.localdate()

    body = progress()

    # 8 h in the last 8 weeks: 1.00 h a week, so the 1,992 h left take 13,944 days.
    assert body == {
        "apprenticeship": str(apprenticeship.id),
        "status": "active",
        "ojt": {
            "required": "2000.00",
            "approved": "8.00",
            "pending": "0.00",
            "credited": "0.00",
            "remaining": "1992.00",
            "percent": 0.4,
        },
        "rti": {
            "required": "180.00",
            "approved": "0.00",
            "pending": "0.00",
            "credited": "0.00",
            "remaining": "180.00",
            "percent": 0.0,
        },
        "work_processes": [
            {
                "id": str(front_end.id),
                "title": "Front end",
                "target_hours": "1200.00",
                "approved_hours": "8.00",
                "percent": 0.7,
            },
            {
                "id": str(back_end.id),
                "title": "Back end",
                "target_hours": "800.00",
                "approved_hours": "0.00",
                "percent": 0.0,
            },
        ],
        "competencies": {"required": 4, "signed_off": 0},
        "milestones": [{"id": str(milestone.id), "name": "Halfway", "status": "pending"}],
        "current_wage_step": {"name": "Step 1", "wage": "22.00"},
        "pace": {
            "hours_per_week": "1.00",
            "projected_completion_date": (today + datetime.timedelta(days=13944)).isoformat(),
            "expected_end_date": "2026-12-31",
            "on_track": False,
        },
    }


def test_percents_are_floats_rounded_to_one_decimal(progress, log_hours, apprenticeship, employer_a_supervisor):
    # 804.50 h of credit and 8 h approved: the 812.50 h of docs/api.md's example.
    apprenticeship.ojt_credit_hours = "804.50"
    apprenticeship.save()
    log_hours(employer_a_supervisor, 8)

    body = progress()

    assert body["ojt"]["approved"] == "8.00"
    assert body["ojt"]["remaining"] == "1187.50"
    assert body["ojt"]["percent"] == 40.6
    assert isinstance(body["ojt"]["percent"], float)
    assert isinstance(body["rti"]["percent"], float)
    assert all(isinstance(process["percent"], float) for process in body["work_processes"])


def test_quarter_hours_are_shown_with_two_decimals(progress, log_hours, employer_a_supervisor):
    log_hours(employer_a_supervisor, "7.25", days_ago=1)
    log_hours(employer_a_supervisor, "0.5", days_ago=2)

    body = progress()

    assert body["ojt"]["approved"] == "7.75"
    assert body["ojt"]["remaining"] == "1992.25"
    assert body["work_processes"][0]["approved_hours"] == "7.75"


def test_the_milestones_listed_are_the_apprenticeships_own_oldest_first(
    progress, apprenticeship, other_apprenticeship, program
):
    probation = program.milestone_definitions.get(name="Probation complete")
    halfway = program.milestone_definitions.get(name="Halfway")
    now = timezone.now()
    first = Milestone.objects.create(
        apprenticeship=apprenticeship, definition=probation, reached_at=now - datetime.timedelta(days=30)
    )
    second = Milestone.objects.create(apprenticeship=apprenticeship, definition=halfway, reached_at=now)
    Milestone.objects.create(apprenticeship=other_apprenticeship, definition=halfway, reached_at=now)

    milestones = progress()["milestones"]

    assert milestones == [
        {"id": str(first.id), "name": "Probation complete", "status": "pending"},
        {"id": str(second.id), "name": "Halfway", "status": "pending"},
    ]


def test_the_current_wage_step_is_the_apprenticeships_own(progress, apprenticeship, program):
    apprenticeship.current_wage_step = program.wage_steps.get(name="Step 2")
    apprenticeship.save()

    assert progress()["current_wage_step"] == {"name": "Step 2", "wage": "25.00"}


def test_an_apprenticeship_without_a_wage_step_shows_none(progress, apprenticeship):
    apprenticeship.current_wage_step = None
    apprenticeship.save()

    assert progress()["current_wage_step"] is None


def test_percent_reaches_100_only_when_nothing_remains(progress, apprenticeship):
    apprenticeship.ojt_credit_hours = "1999.75"
    apprenticeship.save()

    ojt = progress()["ojt"]

    assert ojt["remaining"] == "0.25"
    assert ojt["percent"] < 100.0
