"""A program's standards as a RAPS admin posts them: Web Developer, with a two-line work process
schedule, a two-step wage schedule and one milestone definition of every kind."""

PROGRAMS = "/api/v1/programs/"


def program_body(occupation, **overrides) -> dict:
    return {
        "occupation": str(occupation.id),
        "training_approach": "time_based",
        "ojt_hours_required": "2000.00",
        "rti_hours_required": "180.00",
        "term_months": 24,
        "probation_hours": "500.00",
        "ratio_apprentices": 1,
        "ratio_journeyworkers": 1,
        "rti_provider": "LA Trade-Tech College",
        "work_processes": [
            {
                "title": "Front end",
                "target_hours": "1200.00",
                "competencies": [
                    {"code": "FE-1", "title": "Builds accessible forms"},
                    {"code": "FE-2", "title": "Writes component tests"},
                ],
            },
            {
                "title": "Back end",
                "target_hours": "800.00",
                "competencies": [{"code": "BE-1", "title": "Designs a REST API"}],
            },
        ],
        "wage_steps": [
            {"name": "Step 1", "starts_at_ojt_hours": "0.00", "wage": "22.00"},
            {"name": "Step 2", "starts_at_ojt_hours": "1000.00", "wage": "25.00"},
        ],
        "milestone_definitions": [
            {"name": "Probation complete", "kind": "probation"},
            {"name": "Halfway", "kind": "ojt_hours", "threshold_hours": "1000.00"},
            {"name": "Related instruction done", "kind": "rti_hours", "threshold_hours": "180.00"},
            {"name": "Step 2 reached", "kind": "wage_step", "threshold_hours": "1000.00"},
            {"name": "Front end mastered", "kind": "work_process_competencies", "work_process_title": "Front end"},
            {"name": "Completion", "kind": "completion"},
        ],
        **overrides,
    }
