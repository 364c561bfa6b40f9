"""Two requests for one apprenticeship at the same moment (competencies/services.py locks the
apprenticeship row first): the 24 hours of a day and the running totals hold on what is
committed, never on a read that the other request outdates.

These tests commit for real (transaction=True): each thread has its own database connection."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from competencies import services
from competencies.models import HourLog
from competencies.services import HourEntry
from competencies.services import hours as hours_services
from portal.errors import Conflict
from tests.hour_logs.records import LOGS, scope_of, totals_of, work_process_totals_of
from tests.races.helpers import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def logged_that_day(apprenticeship, day) -> Decimal:
    return HourLog.objects.filter(apprenticeship=apprenticeship, date=day).aggregate(total=Sum("hours"))["total"]


@pytest.fixture
def widen_the_race(monkeypatch):
    """Hold each request a moment between reading the day's hours and writing its log, so that
    without the lock both would read the same day and both write."""
    check = hours_services._entry_errors

    def slow_check(*args, **kwargs):
        errors = check(*args, **kwargs)
        time.sleep(0.05)
        return errors

    monkeypatch.setattr(hours_services, "_entry_errors", slow_check)


def sixteen_hours(apprenticeship, front_end, user, day):
    entry = HourEntry(
        apprenticeship_id=apprenticeship.pk, date=day, hours=Decimal("16"), kind="ojt", work_process=str(front_end.pk)
    )
    return lambda: services.hour_log_create(scope=scope_of(user), logged_by=user, entry=entry)


@pytest.mark.parametrize("widened", [False, True], ids=["as it comes", "widened"])
def test_two_16_hour_logs_for_one_day_at_once_one_is_refused(
    request, apprentice, employer_a_supervisor, apprenticeship, front_end, widened
):
    if widened:
        request.getfixturevalue("widen_the_race")
    days = [date(2025, 3, day) for day in range(3, 9)]

    for day in days:
        outcomes = at_once(
            sixteen_hours(apprenticeship, front_end, apprentice, day),
            sixteen_hours(apprenticeship, front_end, employer_a_supervisor, day),
        )

        written = [outcome for outcome in outcomes if isinstance(outcome, HourLog)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
        assert (len(written), len(refused)) == (1, 1), outcomes
        assert list(refused[0].message_dict) == ["hours"]
        assert refused[0].message_dict["hours"][0].startswith("16.00 h are already logged on")
        assert logged_that_day(apprenticeship, day) == Decimal("16")

    assert HourLog.objects.count() == len(days)
    running = totals_of(apprenticeship)
    services.hour_totals_recompute(apprenticeship=apprenticeship)
    assert running == totals_of(apprenticeship)
    assert Decimal(running["ojt_approved"]) + Decimal(running["ojt_pending"]) == 16 * len(days)


def test_two_api_requests_for_one_day_at_once_one_is_refused(
    client_for, apprentice, employer_a_supervisor, apprenticeship, ojt, widen_the_race
):
    for day in ("2025-03-03", "2025-03-04", "2025-03-05"):
        clients = [client_for(apprentice), client_for(employer_a_supervisor)]

        responses = at_once(
            *(lambda client=client, day=day: client.post(LOGS, ojt(date=day, hours="16")) for client in clients)
        )

        assert sorted(response.status_code for response in responses) == [201, 400]
        refused = next(response for response in responses if response.status_code == 400)
        assert refused.json() == {"hours": [f"16.00 h are already logged on {day}: at most 8.00 h more that day."]}
        assert logged_that_day(apprenticeship, date.fromisoformat(day)) == Decimal("16")


def test_two_reviewers_approving_one_log_at_once_count_it_once(
    apprentice, employer_a_supervisor, employer_a_admin, apprenticeship, front_end
):
    for day in range(3, 7):
        log = services.hour_log_create(
            scope=scope_of(apprentice),
            logged_by=apprentice,
            entry=HourEntry(
                apprenticeship_id=apprenticeship.pk,
                date=date(2025, 3, day),
                hours=Decimal("8"),
                kind="ojt",
                work_process=str(front_end.pk),
            ),
        )

        outcomes = at_once(
            *(
                lambda reviewer=reviewer, log=log: services.hour_log_approve(
                    scope=scope_of(reviewer), log=log, reviewer=reviewer
                )
                for reviewer in (employer_a_supervisor, employer_a_admin)
            )
        )

        assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "HourLog"], outcomes

    assert totals_of(apprenticeship) == {
        "ojt_approved": "32.00",
        "ojt_pending": "0.00",
        "rti_approved": "0.00",
        "rti_pending": "0.00",
    }
    assert work_process_totals_of(apprenticeship) == {"Front end": "32.00"}


def test_an_edit_racing_an_approval_leaves_totals_that_match_the_logs(
    apprentice, employer_a_supervisor, apprenticeship, front_end
):
    for day in range(3, 7):
        log = services.hour_log_create(
            scope=scope_of(apprentice),
            logged_by=apprentice,
            entry=HourEntry(
                apprenticeship_id=apprenticeship.pk,
                date=date(2025, 3, day),
                hours=Decimal("8"),
                kind="ojt",
                work_process=str(front_end.pk),
            ),
        )

        outcomes = at_once(
            lambda log=log: services.hour_log_update(
                scope=scope_of(apprentice), log=log, changed_by=apprentice, changes={"hours": Decimal("4")}
            ),
            lambda log=log: services.hour_log_approve(
                scope=scope_of(employer_a_supervisor), log=log, reviewer=employer_a_supervisor
            ),
        )

        edit, approval = outcomes
        assert isinstance(approval, HourLog), outcomes
        # Either the edit went first (4 h approved) or it came after the approval and was refused.
        stored = HourLog.objects.get(pk=log.pk)
        assert (stored.status, stored.hours) in {("approved", Decimal("4")), ("approved", Decimal("8"))}
        if isinstance(edit, Conflict):
            assert stored.hours == Decimal("8")
        else:
            assert isinstance(edit, HourLog), outcomes

    running = (totals_of(apprenticeship), work_process_totals_of(apprenticeship))
    services.hour_totals_recompute(apprenticeship=apprenticeship)
    assert running == (totals_of(apprenticeship), work_process_totals_of(apprenticeship))


def test_a_milestone_decided_while_the_apprentice_submits_hours_both_go_through(
    monkeypatch, apprentice, employer_a_supervisor, raps_admin, apprenticeship, front_end
):
    """The decision locks the apprenticeship and then tells the apprentice, in a row that refers
    to them; a write of hours locks the apprenticeship too, and the apprentice after it. So
    neither waits on the other in a circle: locking the apprentice first (as this code once did)
    made the database abort one of the two as a deadlock."""
    from competencies.models import Milestone
    from competencies.services import milestones as competency_services
    from tests.milestone_flow.helpers import give_credit_quietly

    give_credit_quietly(apprenticeship, ojt=496)
    services.hour_log_create(
        scope=scope_of(employer_a_supervisor),
        logged_by=employer_a_supervisor,
        entry=HourEntry(
            apprenticeship_id=apprenticeship.pk,
            date=date(2025, 3, 3),
            hours=Decimal("8"),
            kind="ojt",
            work_process=str(front_end.pk),
        ),
    )
    probation = Milestone.objects.get(apprenticeship=apprenticeship, status="pending")
    check_decider = competency_services._check_decider

    def decide_slowly(*args):
        check_decider(*args)
        time.sleep(0.3)  # holding the apprenticeship while the apprentice's request comes in

    monkeypatch.setattr(competency_services, "_check_decider", decide_slowly)

    def submit_a_moment_later():
        time.sleep(0.1)
        return sixteen_hours(apprenticeship, front_end, apprentice, date(2025, 3, 4))()

    decided, submitted = at_once(
        lambda: competency_services.milestone_approve(
            scope=scope_of(raps_admin), milestone=probation, decided_by=raps_admin
        ),
        submit_a_moment_later,
    )

    assert isinstance(decided, Milestone), decided
    assert decided.status == "approved"
    assert isinstance(submitted, HourLog), submitted
    assert submitted.status == "submitted"


def test_a_write_of_hours_holds_the_apprenticeship_while_it_waits_for_the_apprentice(
    apprentice, apprenticeship, front_end
):
    """One statement locks the apprenticeship and its apprentice, in that order (the order that
    every writer keeps): while another transaction holds the apprentice, a write of their hours
    already holds the apprenticeship. In the other order, it would hold the apprentice while
    waiting for the apprenticeship, and deadlock with a milestone decision (test above)."""
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, transaction

    from apprenticeships.models import Apprenticeship

    apprentice_held, release = threading.Event(), threading.Event()

    def hold_the_apprentice():
        with transaction.atomic():
            get_user_model().objects.select_for_update(no_key=True).filter(pk=apprentice.pk).exists()
            apprentice_held.set()
            release.wait(timeout=10)
        return "released"

    def submit_once_the_apprentice_is_held():
        apprentice_held.wait(timeout=10)
        return sixteen_hours(apprenticeship, front_end, apprentice, date(2025, 3, 4))()

    def try_the_apprenticeship_while_the_submission_waits():
        apprentice_held.wait(timeout=10)
        time.sleep(0.3)  # the submission has reached its lock and waits on the apprentice
        try:
            with transaction.atomic():
                Apprenticeship.objects.select_for_update(nowait=True).filter(pk=apprenticeship.pk).exists()
            return "free"
        except DatabaseError:
            return "held"
        finally:
            release.set()

    released, submitted, apprenticeship_was = at_once(
        hold_the_apprentice, submit_once_the_apprentice_is_held, try_the_apprenticeship_while_the_submission_waits
    )

    assert released == "released"
    assert apprenticeship_was == "held"
    assert isinstance(submitted, HourLog), submitted


def test_a_bulk_and_a_single_approval_racing_decide_each_log_once(
    apprentice, employer_a_supervisor, employer_a_admin, apprenticeship, front_end
):
    for start in (3, 10):
        logs = services.hour_logs_create_all(
            scope=scope_of(apprentice),
            logged_by=apprentice,
            entries=[
                HourEntry(
                    apprenticeship_id=apprenticeship.pk,
                    date=date(2025, 3, start + n),
                    hours=Decimal("8"),
                    kind="ojt",
                    work_process=str(front_end.pk),
                )
                for n in range(3)
            ],
        )

        outcomes = at_once(
            lambda logs=logs: services.hour_logs_approve_all(
                scope=scope_of(employer_a_supervisor), ids=[log.pk for log in logs], reviewer=employer_a_supervisor
            ),
            lambda logs=logs: services.hour_log_approve(
                scope=scope_of(employer_a_admin), log=logs[1], reviewer=employer_a_admin
            ),
        )

        # One of them decides the log the other names too: the single one first (the bulk one
        # is refused whole, 409 on that log), or the bulk one (the single one is a Conflict).
        bulk, single = outcomes
        assert isinstance(bulk, services.RefusedItems) != isinstance(single, Conflict), outcomes
        if isinstance(bulk, services.RefusedItems):
            assert bulk.status == 409
            assert list(bulk.errors) == [str(logs[1].pk)]

    approved = HourLog.objects.filter(apprenticeship=apprenticeship, status="approved").aggregate(total=Sum("hours"))
    assert totals_of(apprenticeship)["ojt_approved"] == f"{approved['total']:.2f}"
    assert totals_of(apprenticeship)["ojt_pending"] == f"{48 - approved['total']:.2f}"
