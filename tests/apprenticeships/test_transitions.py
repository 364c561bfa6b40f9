"""POST /api/v1/apprenticeships/{id}/transition/ {"to", "reason", "effective_date", "exit_reason"}:
the status moves only along registered -> active -> suspended -> active (a suspension with a
reason), and to cancelled (with an exit reason code and a reason) from any open status, on an
effective date that is neither in the future nor before the start or the last change; completion
comes only from the completion milestone; cancelled and completed are final."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apprenticeships.models import Apprenticeship
from competencies.models import HourTotals
from tests import factories
from tests.agreements.helpers import sign_agreement
from tests.apprenticeships.helpers import url

STATUSES = ["registered", "active", "suspended", "cancelled", "completed"]
# docs/domain.md, written out here rather than read from the model, so that a wrong table fails.
ALLOWED = {
    ("registered", "active"),
    ("registered", "cancelled"),
    ("active", "suspended"),
    ("active", "cancelled"),
    ("suspended", "active"),
    ("suspended", "cancelled"),
}


def _apprenticeship_in(program, employer, status):
    final = {"ended_on": datetime.date(2025, 6, 30)} if status in ("cancelled", "completed") else {}
    if status == "cancelled":
        final["cancellation_reason"] = "moved away"
    apprenticeship = factories.ApprenticeshipFactory(program=program, employer=employer, status=status, **final)
    if status == "registered":
        # It becomes active only under an agreement the three signed (tests/agreements).
        sign_agreement(apprenticeship)
    return apprenticeship


def _transition(client, apprenticeship, to, reason="", **fields):
    if to == "cancelled":
        fields.setdefault("exit_reason", "voluntary_quit")
    return client.post(url(apprenticeship, "transition"), {"to": to, "reason": reason, **fields})


@pytest.mark.parametrize("to", STATUSES)
@pytest.mark.parametrize("source", STATUSES)
def test_the_status_moves_only_along_the_domains_table(client_for, raps_admin, program, employer_a, source, to):
    apprenticeship = _apprenticeship_in(program, employer_a, source)

    response = _transition(client_for(raps_admin), apprenticeship, to, reason="as requested")

    apprenticeship.refresh_from_db()
    # The running totals' copy of the status (the sponsor's numbers count by it) moves with it.
    copied = HourTotals.objects.get(apprenticeship=apprenticeship).status
    if (source, to) in ALLOWED:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == to
        assert apprenticeship.status == copied == to
        assert apprenticeship.status_changed_on == timezone.localdate()
    else:
        assert response.status_code == 409, response.json()
        assert "detail" in response.json()
        assert apprenticeship.status == copied == source


def test_a_registered_apprenticeship_becomes_active(client_for, raps_admin, program, employer_a):
    apprenticeship = _apprenticeship_in(program, employer_a, "registered")

    response = _transition(client_for(raps_admin), apprenticeship, "active")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_changed_on"]) == (
        "active",
        timezone.localdate().isoformat(),
    )


def test_a_suspended_apprenticeship_is_reinstated(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)

    suspended = _transition(client, apprenticeship, "suspended", "leave of absence")
    reinstated = _transition(client, apprenticeship, "active", "back from leave")

    assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    assert (reinstated.status_code, reinstated.json()["status"]) == (200, "active")
    assert list(apprenticeship.history.order_by("-history_date").values_list("status", flat=True)[:2]) == [
        "active",
        "suspended",
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_requires_a_reason(client_for, raps_admin, apprenticeship, reason):
    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", reason)

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    apprenticeship.refresh_from_db()
    assert (apprenticeship.status, apprenticeship.ended_on) == ("active", None)


def test_completion_is_not_a_transition_a_raps_admin_requests(client_for, raps_admin, apprenticeship):
    response = _transition(client_for(raps_admin), apprenticeship, "completed", "all done")

    assert response.status_code == 409
    assert "completion milestone" in response.json()["detail"]
    apprenticeship.refresh_from_db()
    assert (apprenticeship.status, apprenticeship.ended_on) == ("active", None)


@pytest.mark.parametrize("final", ["cancelled", "completed"])
def test_a_final_status_takes_no_transition(client_for, raps_admin, program, employer_a, final):
    apprenticeship = _apprenticeship_in(program, employer_a, final)
    client = client_for(raps_admin)

    responses = [_transition(client, apprenticeship, to, "try again").status_code for to in STATUSES]

    assert responses == [409] * len(STATUSES)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == final


def test_an_unknown_status_is_a_bad_value(client_for, raps_admin, apprenticeship):
    response = _transition(client_for(raps_admin), apprenticeship, "graduated", "done")

    assert response.status_code == 400
    assert list(response.json()) == ["to"]


def test_cancelling_during_probation_is_recorded_as_such(client_for, raps_admin, apprenticeship):
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(ojt_approved=Decimal("499.75"))

    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "  moved out of state  ")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["cancelled_during_probation"], body["ended_on"]) == (
        "cancelled",
        True,
        timezone.localdate().isoformat(),
    )
    assert body["cancellation_reason"] == "moved out of state"
    apprenticeship.refresh_from_db()
    assert (apprenticeship.cancelled_during_probation, apprenticeship.ended_on) == (True, timezone.localdate())


def test_cancelling_after_the_probation_hours_is_not_during_probation(client_for, raps_admin, apprenticeship):
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(ojt_approved=Decimal("500.00"))

    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "found another job")

    assert response.status_code == 200
    assert response.json()["cancelled_during_probation"] is False
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).cancelled_during_probation is False


def test_credit_for_prior_experience_counts_toward_probation(client_for, raps_admin, apprenticeship):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(ojt_credit_hours=Decimal("400"))
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(ojt_approved=Decimal("100"))

    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "found another job")

    assert response.json()["cancelled_during_probation"] is False


def test_a_cancellation_may_take_effect_on_an_earlier_date(client_for, raps_admin, apprenticeship):
    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "left", effective_date="2025-09-30")

    assert response.status_code == 200
    assert (response.json()["ended_on"], response.json()["status_changed_on"]) == ("2025-09-30", "2025-09-30")


def test_a_cancellation_cannot_take_effect_before_the_start_date(client_for, raps_admin, apprenticeship):
    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "left", effective_date="2024-12-31")

    assert response.status_code == 400
    assert list(response.json()) == ["effective_date"]


def test_a_change_cannot_take_effect_in_the_future(client_for, raps_admin, apprenticeship):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _transition(client_for(raps_admin), apprenticeship, "suspended", "leave", effective_date=tomorrow)

    assert response.status_code == 400
    assert list(response.json()) == ["effective_date"]
    apprenticeship.refresh_from_db()
    assert (apprenticeship.status, apprenticeship.status_changed_on) == ("active", None)


def test_a_change_cannot_take_effect_before_the_last_status_change(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)
    suspended = _transition(client, apprenticeship, "suspended", "leave", effective_date="2025-09-30")

    too_early = _transition(client, apprenticeship, "active", "back", effective_date="2025-09-29")
    same_day = _transition(client, apprenticeship, "active", "back", effective_date="2025-09-30")

    assert suspended.status_code == 200, suspended.json()
    assert too_early.status_code == 400
    assert list(too_early.json()) == ["effective_date"]
    assert "2025-09-30" in too_early.json()["effective_date"][0]
    assert (same_day.status_code, same_day.json()["status_changed_on"]) == (200, "2025-09-30")


def test_work_may_start_on_the_start_date_before_the_portal_registered_it(client_for, raps_admin, program, employer_a):
    """Registration dates the status the day it is recorded; an apprenticeship registered late
    still starts work on its start date."""
    apprenticeship = _apprenticeship_in(program, employer_a, "registered")
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(status_changed_on=timezone.localdate())

    response = _transition(client_for(raps_admin), apprenticeship, "active", effective_date="2025-01-06")

    assert response.status_code == 200, response.json()
    assert response.json()["status_changed_on"] == "2025-01-06"


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspending_requires_a_reason(client_for, raps_admin, apprenticeship, reason):
    response = _transition(client_for(raps_admin), apprenticeship, "suspended", reason)

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == "active"


@pytest.mark.parametrize("exit_reason", ["", "moved away", "VOLUNTARY_QUIT"])
def test_cancelling_requires_an_exit_reason_from_the_code_list(client_for, raps_admin, apprenticeship, exit_reason):
    response = _transition(client_for(raps_admin), apprenticeship, "cancelled", "left", exit_reason=exit_reason)

    assert response.status_code == 400
    assert list(response.json()) == ["exit_reason"]
    apprenticeship.refresh_from_db()
    assert (apprenticeship.status, apprenticeship.exit_reason, apprenticeship.ended_on) == ("active", "", None)


def test_a_cancellation_without_any_reason_names_both_fields(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).post(url(apprenticeship, "transition"), {"to": "cancelled"})

    assert response.status_code == 400
    assert set(response.json()) == {"reason", "exit_reason"}


def test_a_cancellation_records_its_exit_reason_code_and_text(client_for, raps_admin, apprenticeship):
    response = _transition(
        client_for(raps_admin),
        apprenticeship,
        "cancelled",
        "moved to the Fresno plant's program",
        exit_reason="transferred",
        effective_date="2025-10-15",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["exit_reason"], body["cancellation_reason"], body["ended_on"]) == (
        "transferred",
        "moved to the Fresno plant's program",
        "2025-10-15",
    )
    newest = apprenticeship.history.order_by("-history_date").first()
    assert (newest.exit_reason, newest.status) == ("transferred", "cancelled")


def test_only_a_cancellation_takes_an_exit_reason(client_for, raps_admin, apprenticeship):
    response = _transition(client_for(raps_admin), apprenticeship, "suspended", "leave", exit_reason="medical")

    assert response.status_code == 400
    assert list(response.json()) == ["exit_reason"]
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == "active"


def test_the_database_refuses_an_exit_reason_on_an_apprenticeship_that_is_not_cancelled(apprenticeship):
    with pytest.raises(IntegrityError), transaction.atomic():
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(exit_reason="medical")


@pytest.mark.parametrize("persona", ["employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_of_the_apprenticeship_may_not_change_its_status(request, client_for, apprenticeship, persona):
    response = _transition(client_for(request.getfixturevalue(persona)), apprenticeship, "suspended", "no")

    assert response.status_code == 403
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == "active"


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_the_status_of_an_apprenticeship_outside_the_callers_scope_is_not_found(
    request, client_for, apprenticeship, persona
):
    response = _transition(client_for(request.getfixturevalue(persona)), apprenticeship, "cancelled", "no")

    assert response.status_code == 404
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == "active"


def test_history_of_a_transition_names_the_raps_admin_and_the_reason(
    client_for, raps_admin, apprentice, apprenticeship
):
    _transition(client_for(raps_admin), apprenticeship, "cancelled", "moved out of state")

    response = client_for(apprentice).get(url(apprenticeship, "history"))

    assert response.status_code == 200
    newest = response.json()["results"][0]
    assert newest["history_type"] == "~"
    assert newest["history_user"] == {"id": str(raps_admin.id), "name": "Rae Admin"}
    assert newest["history_change_reason"] == "cancelled: moved out of state"
    changes = {change["field"]: (change["old"], change["new"]) for change in newest["changes"]}
    assert changes["status"] == ("active", "cancelled")
    assert changes["cancellation_reason"] == ("", "moved out of state")
    assert changes["ended_on"] == (None, timezone.localdate().isoformat())
    assert changes["cancelled_during_probation"] == (False, True)


def test_the_database_refuses_running_totals_whose_status_is_not_the_apprenticeships(apprenticeship):
    """The sponsor's numbers count apprenticeships by the totals' copy of the status: a copy that
    disagrees is refused when the transaction commits (the reference is checked at commit)."""
    with transaction.atomic():
        HourTotals.objects.filter(apprenticeship=apprenticeship).update(status="suspended")
        with pytest.raises(IntegrityError):
            connection.check_constraints()  # what COMMIT checks
        transaction.set_rollback(True)


def test_status_and_copy_may_be_written_in_either_order_within_one_transaction(apprenticeship):
    with transaction.atomic():
        HourTotals.objects.filter(apprenticeship=apprenticeship).update(status="suspended")
        Apprenticeship.objects.filter(pk=apprenticeship.pk).update(status="suspended")
        connection.check_constraints()

    assert HourTotals.objects.get(apprenticeship=apprenticeship).status == "suspended"
