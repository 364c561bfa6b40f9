"""Bulk decisions of milestones (docs/domain.md): `milestones/approve/` and `milestones/reject/`
decide every milestone of `ids` as one decision each would (the sponsor's RAPS admins), or none;
each refused id's errors by id; a fixed number of queries however many milestones."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import Apprenticeship
from competencies.models import Milestone
from notifications.models import Notification
from portal.models import AuditEntry
from tests import factories
from tests.milestones.conftest import MILESTONES, reach

APPROVE, REJECT = f"{MILESTONES}approve/", f"{MILESTONES}reject/"


def statuses(milestones) -> set:
    return set(Milestone.objects.filter(pk__in=[m.pk for m in milestones]).values_list("status", flat=True))


def ids(*milestones) -> list[str]:
    return [str(milestone.pk) for milestone in milestones]


def test_a_raps_admin_approves_the_sponsors_pending_milestones_in_one_request(
    client_for, raps_admin, apprentice, employer_a_supervisor, apprenticeship, other_apprenticeship, definitions
):
    decided = [
        reach(apprenticeship, definitions["Halfway"], days_ago=2),
        reach(apprenticeship, definitions["Probation complete"], days_ago=1),
        reach(other_apprenticeship, definitions["Halfway"]),
    ]

    response = client_for(raps_admin).post(APPROVE, {"ids": ids(*decided), "note": "Checked"}, format="json")

    assert response.status_code == 200, response.json()
    assert {m["status"] for m in response.json()} == {"approved"}
    for milestone in Milestone.objects.filter(pk__in=[m.pk for m in decided]):
        assert (milestone.status, milestone.decided_by, milestone.note) == ("approved", raps_admin, "Checked")
        latest = milestone.history.first()
        assert (latest.history_change_reason, latest.history_user_id, latest.status) == (
            "approved",
            raps_admin.pk,
            "approved",
        )
    # Told once per apprenticeship: its apprentice and its employer's staff.
    (notice,) = Notification.objects.filter(recipient=apprentice, event="milestone_approved")
    assert notice.title == "2 milestones approved: Halfway, Probation complete"
    assert Notification.objects.filter(recipient=employer_a_supervisor, event="milestone_approved").count() == 1
    assert Notification.objects.filter(recipient=other_apprenticeship.apprentice).count() == 1


def test_approving_a_wage_step_in_bulk_moves_the_current_wage_step(client_for, raps_admin, apprenticeship, program):
    step_2 = program.wage_steps.get(name="Step 2")
    definition = factories.MilestoneDefinitionFactory(
        program=program, name="Wage step 2", kind="wage_step", threshold_hours=1000, wage_step=step_2
    )
    milestone = reach(apprenticeship, definition)

    response = client_for(raps_admin).post(APPROVE, {"ids": ids(milestone)}, format="json")

    assert response.status_code == 200, response.json()
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).current_wage_step == step_2


def test_rejecting_in_bulk_records_the_one_reason(client_for, raps_admin, apprentice, apprenticeship, definitions):
    milestone = reach(apprenticeship, definitions["Halfway"])

    response = client_for(raps_admin).post(
        REJECT, {"ids": ids(milestone), "reason": "Hours not verified"}, format="json"
    )

    assert response.status_code == 200, response.json()
    stored = Milestone.objects.get(pk=milestone.pk)
    assert (stored.status, stored.note) == ("rejected", "Hours not verified")
    assert stored.history.first().history_change_reason == "rejected: Hours not verified"
    (notice,) = Notification.objects.filter(recipient=apprentice, event="milestone_rejected")
    assert "Note: Hours not verified" in notice.body


def test_a_long_rejection_reason_is_kept_whole_on_the_milestone_and_in_the_audit_trail_and_cut_short_in_history(
    client_for, raps_admin, apprenticeship, definitions
):
    milestone = reach(apprenticeship, definitions["Halfway"])
    reason = "The hours behind this milestone were logged before the agreement was signed. " * 5

    response = client_for(raps_admin).post(REJECT, {"ids": ids(milestone), "reason": reason}, format="json")

    assert response.status_code == 200, response.json()
    stored = Milestone.objects.get(pk=milestone.pk)
    assert stored.note == reason.strip()
    recorded = stored.history.first().history_change_reason
    assert (len(recorded), recorded[-1]) == (100, "…")
    assert recorded.startswith("rejected: The hours behind this milestone")
    (entry,) = AuditEntry.objects.filter(record_type="milestone", record_id=milestone.pk, action="changed")
    assert entry.reason == f"rejected: {reason.strip()}"


def test_a_rejection_says_why(client_for, raps_admin, apprenticeship, definitions):
    milestone = reach(apprenticeship, definitions["Halfway"])

    response = client_for(raps_admin).post(REJECT, {"ids": ids(milestone), "reason": " "}, format="json")

    assert response.status_code == 400
    assert statuses([milestone]) == {"pending"}


def test_another_sponsors_milestone_is_reported_like_an_unknown_id_and_nothing_is_decided(
    client_for, raps_admin, apprenticeship, other_sponsors_apprenticeship, definitions
):
    mine = reach(apprenticeship, definitions["Halfway"])
    theirs = reach(other_sponsors_apprenticeship, other_sponsors_apprenticeship.program.milestone_definitions.get())
    unknown = str(uuid.uuid4())

    response = client_for(raps_admin).post(APPROVE, {"ids": [*ids(mine, theirs), unknown]}, format="json")

    assert response.status_code == 400
    assert response.json() == {str(theirs.pk): {"id": ["Not found."]}, unknown: {"id": ["Not found."]}}
    assert statuses([mine, theirs]) == {"pending"}


def test_employer_staff_read_milestones_but_do_not_decide_them(
    client_for, employer_a_supervisor, apprenticeship, definitions
):
    milestone = reach(apprenticeship, definitions["Halfway"])

    response = client_for(employer_a_supervisor).post(APPROVE, {"ids": ids(milestone)}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Nothing was decided: 1 of the ids were refused, each named by its id.",
        str(milestone.pk): {"id": ["Only the sponsor's RAPS administrators approve or reject milestones."]},
    }
    assert statuses([milestone]) == {"pending"}


def test_a_decided_milestone_answers_409_and_nothing_is_decided(client_for, raps_admin, apprenticeship, definitions):
    pending = reach(apprenticeship, definitions["Halfway"])
    approved = reach(apprenticeship, definitions["Probation complete"], status="approved", decided_by=raps_admin)

    response = client_for(raps_admin).post(APPROVE, {"ids": ids(pending, approved)}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Nothing was decided: 1 of the ids were refused, each named by its id.",
        str(approved.pk): {"status": ["This milestone is approved: only a pending milestone is decided."]},
    }
    assert statuses([pending]) == {"pending"}


def test_an_id_sent_twice_is_a_bad_request(client_for, raps_admin, apprenticeship, definitions):
    milestone = reach(apprenticeship, definitions["Halfway"])

    response = client_for(raps_admin).post(APPROVE, {"ids": ids(milestone, milestone)}, format="json")

    assert response.status_code == 400
    assert response.json() == {"ids": [f"Each id is sent once; repeated: {milestone.pk}."]}


def test_past_the_limit_of_ids_the_request_is_too_large(settings, client_for, raps_admin):
    settings.BULK_DECISION_MAX_ITEMS = 1

    response = client_for(raps_admin).post(APPROVE, {"ids": [str(uuid.uuid4()), str(uuid.uuid4())]}, format="json")

    assert response.status_code == 413


def _approve(client, milestone_ids) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(APPROVE, {"ids": milestone_ids}, format="json")
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_approving_1_milestone_or_200_of_20_apprenticeships_costs_the_same_queries(
    client_for, raps_admin, program, employer_a, apprenticeship, definitions
):
    client = client_for(raps_admin)
    # The notices' subjects' content types, known to the process once: a milestone, an apprenticeship.
    ContentType.objects.get_for_models(Milestone, Apprenticeship)
    one = _approve(client, ids(reach(apprenticeship, definitions["Halfway"])))

    more = [
        factories.MilestoneDefinitionFactory(program=program, name=f"Hours {n}", threshold_hours=100 * (n + 1))
        for n in range(10)
    ]
    many = []
    for _ in range(20):
        other = factories.ApprenticeshipFactory(program=program, employer=employer_a)
        many += [reach(other, definition) for definition in more]
    two_hundred = _approve(client, ids(*many))

    assert statuses(many) == {"approved"}
    # 1.-4. session, user, memberships, own apprenticeships  5. BEGIN  6. the milestones found
    # within the scope  7. their apprenticeships locked  8. the milestones locked  9., 10. the
    # milestones and their history  11. the employers' staff  12. the recipients  13., 14. the
    # notices and their history  15. COMMIT
    # (with the audit trail's index of the history: one statement; the answer's names: the
    # programs and the employers, one query each)
    assert one == two_hundred == 18
