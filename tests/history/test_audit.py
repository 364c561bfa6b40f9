"""`GET /api/v1/audit/`: every change of the sponsor's records for its RAPS admins, newest first,
filtered by record type, record, actor and time; the employer's share for employer admins;
`?format=csv` streams the same. A page costs the same number of queries whatever the history's
size (an index row per history row, paged by keyset)."""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.selectors import caller_scope
from competencies import services as competency_services
from competencies.services import HourEntry
from portal.audit import backfill
from portal.history import HIDDEN, with_reason
from portal.models import AuditEntry
from tests import factories

AUDIT = "/api/v1/audit/"
ENTRY_KEYS = {"at", "actor", "record_type", "record_id", "action", "changes", "reason"}


def log_hours(apprenticeship, user, day: int):
    return competency_services.hour_log_create(
        scope=caller_scope(user=user),
        logged_by=user,
        entry=HourEntry(
            apprenticeship_id=apprenticeship.pk,
            date=datetime.date(2025, 3, day),
            hours=Decimal("8"),
            kind="ojt",
            work_process=str(apprenticeship.program.work_processes.get(title="Front end").pk),
        ),
    )


def audit(client, **params) -> dict:
    response = client.get(AUDIT, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_raps_admins_read_their_sponsors_changes_newest_first_and_not_another_sponsors(
    client_for, raps_admin, employer_a, employer_a_supervisor, apprenticeship, other_sponsor
):
    log = log_hours(apprenticeship, employer_a_supervisor, 3)
    elsewhere = factories.ProgramFactory(sponsor=other_sponsor)
    client = client_for(raps_admin)
    client.patch(f"/api/v1/employers/{employer_a.id}/", {"city": "Pasadena", "reason": "moved"}, format="json")

    body = audit(client)

    entries = body["results"]
    assert set(body) == {"next", "results"}
    assert all(set(entry) == ENTRY_KEYS for entry in entries)
    assert [entry["at"] for entry in entries] == sorted((entry["at"] for entry in entries), reverse=True)
    newest = entries[0]
    assert newest["record_type"] == "employer"
    assert newest["record_id"] == str(employer_a.id)
    assert newest["action"] == "changed"
    assert newest["actor"] == {"id": str(raps_admin.id), "name": raps_admin.full_name}
    assert newest["reason"] == "updated: moved"
    assert {"field": "city", "old": employer_a.city, "new": "Pasadena"} in newest["changes"]
    logged = next(entry for entry in entries if entry["record_id"] == str(log.id))
    assert logged["action"] == "created"
    assert logged["actor"]["id"] == str(employer_a_supervisor.id)
    seen = {entry["record_id"] for entry in entries}
    assert str(apprenticeship.id) in seen
    assert str(elsewhere.id) not in seen


def test_the_trail_is_filtered_by_record_type_record_actor_and_time(
    client_for, raps_admin, employer_a_supervisor, apprenticeship
):
    first = log_hours(apprenticeship, employer_a_supervisor, 3)
    middle = timezone.now()
    second = log_hours(apprenticeship, employer_a_supervisor, 4)
    client = client_for(raps_admin)

    def ids(**params) -> list[str]:
        return [entry["record_id"] for entry in audit(client, **params)["results"]]

    assert ids(record_type="hour_log") == [str(second.id), str(first.id)]
    assert ids(record_id=str(first.id)) == [str(first.id)]
    assert set(ids(actor=str(employer_a_supervisor.id))) == {str(first.id), str(second.id)}
    assert ids(record_type="hour_log", after=middle.isoformat()) == [str(second.id)]
    assert ids(record_type="hour_log", before=middle.isoformat()) == [str(first.id)]
    assert ids(record_type="hour_log", after=(middle + datetime.timedelta(days=1)).date().isoformat()) == []
    assert ids(record_type="hour_log", actor="") == [str(second.id), str(first.id)]  # empty: not given


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("record_type", "spaceship"),
        ("record_id", "not-a-uuid"),
        ("actor", "12"),
        ("after", "２０２５-０１-０６"),
        ("before", "01/06/2025"),
        ("after", "0000-01-01"),
        ("cursor", "bm90IGEgY3Vyc29y"),
        ("cursor", "%%%"),
        ("page_size", "0"),
        ("format", "xml"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client_for, raps_admin, name, value):
    response = client_for(raps_admin).get(AUDIT, {name: value})

    assert response.status_code == 400
    assert name in response.json()


def test_pages_follow_one_another_by_keyset_and_together_are_the_whole_trail(
    client_for, raps_admin, employer_a, sponsor
):
    for number in range(7):
        employer_a.city = f"City {number}"
        with_reason(employer_a, "moved", user=raps_admin).save()
    client = client_for(raps_admin)
    whole = audit(client, page_size=200)["results"]

    paged, params = [], {"page_size": 3}
    while True:
        body = audit(client, **params)
        paged += body["results"]
        if body["next"] is None:
            break
        assert len(body["results"]) == 3
        params = {key: value for key, (value,) in parse_qs(urlsplit(body["next"]).query).items()}

    assert paged == whole
    assert len(whole) > 7


def test_employer_admins_read_their_employers_share_with_personal_values_hidden(
    client_for,
    raps_admin,
    employer_a_admin,
    employer_a_supervisor,
    employer_b_supervisor,
    apprenticeship,
    other_apprenticeship,
):
    mine = log_hours(apprenticeship, employer_a_supervisor, 3)
    theirs = log_hours(other_apprenticeship, employer_b_supervisor, 3)
    client_for(raps_admin).patch(
        f"/api/v1/apprenticeships/{apprenticeship.id}/",
        {"registration": {"date_of_birth": "2000-06-17", "ssn": "987-65-4321"}},
        format="json",
    )

    entries = audit(client_for(employer_a_admin), page_size=200)["results"]

    seen = {entry["record_id"] for entry in entries}
    assert str(mine.id) in seen
    assert str(theirs.id) not in seen
    assert str(other_apprenticeship.id) not in seen
    registration = next(e for e in entries if e["record_type"] == "registration" and e["action"] == "changed")
    assert {"field": "date_of_birth", "old": HIDDEN, "new": HIDDEN} in registration["changes"]
    assert {"field": "ssn", "old": HIDDEN, "new": HIDDEN} in registration["changes"]
    as_admin = next(
        e for e in audit(client_for(raps_admin), record_type="registration")["results"] if e["action"] == "changed"
    )
    assert {"field": "date_of_birth", "old": "2000-05-17", "new": "2000-06-17"} in as_admin["changes"]
    assert {"field": "ssn", "old": HIDDEN, "new": HIDDEN} in as_admin["changes"]


def test_nested_standards_edits_are_in_the_trail_as_their_own_records(client_for, raps_admin, program):
    front = program.work_processes.get(title="Front end")
    client = client_for(raps_admin)
    client.patch(
        f"/api/v1/programs/{program.id}/",
        {"work_processes": [{"id": str(front.id), "title": "Front end", "target_hours": "1100.00"}]},
        format="json",
    )

    (entry, *_older) = audit(client, record_type="work_process", record_id=str(front.id))["results"]

    assert entry["changes"] == [{"field": "target_hours", "old": "1200.00", "new": "1100.00"}]


@pytest.mark.parametrize("user", ["employer_a_supervisor", "apprentice", "platform_staff", "outsider"])
def test_supervisors_apprentices_platform_staff_and_outsiders_are_refused(client_for, request, apprenticeship, user):
    response = client_for(request.getfixturevalue(user)).get(AUDIT)

    assert response.status_code == 403


def test_the_csv_streams_the_same_entries_one_line_per_change_safe_to_open(client_for, raps_admin, employer_a):
    client = client_for(raps_admin)
    client.patch(
        f"/api/v1/employers/{employer_a.id}/",
        {"city": "Pasadena", "reason": 'moved =HYPERLINK("http://evil")'},
        format="json",
    )

    response = client.get(AUDIT, {"format": "csv", "record_type": "employer"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    city = next(row for row in rows if row["field"] == "city" and row["new"] == "Pasadena")
    assert city["record_id"] == str(employer_a.id)
    assert city["action"] == "changed"
    assert city["actor_id"] == str(raps_admin.id)
    assert city["reason"] == 'updated: moved =HYPERLINK("http://evil")'
    json_entries = audit(client, record_type="employer", page_size=200)["results"]
    assert len({(row["at"], row["record_id"]) for row in rows}) == len(json_entries)


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted(client_for, raps_admin, employer_a):
    client = client_for(raps_admin)
    client.patch(f"/api/v1/employers/{employer_a.id}/", {"city": "=cmd|' /C calc'!A0"}, format="json")

    text = b"".join(client.get(AUDIT, {"format": "csv"}).streaming_content).decode()

    row = next(row for row in csv.DictReader(io.StringIO(text)) if row["field"] == "city")
    assert row["new"] == "'=cmd|' /C calc'!A0"


def count_queries(client, params, rows: int) -> int:
    with CaptureQueriesContext(connection) as context:
        body = audit(client, **params)
    assert len(body["results"]) == rows
    return len(context.captured_queries)


def test_a_page_of_the_trail_costs_the_same_queries_for_a_short_and_a_long_history(
    client_for, raps_admin, employer_a, employer_a_supervisor, apprenticeship
):
    client = client_for(raps_admin)
    params = {"page_size": 20}

    def grow(first, last):
        # Each change by its own user, of several kinds of record, so that a query per row shows.
        for day in range(first, last):
            log_hours(apprenticeship, employer_a_supervisor, day)
            employer_a.city = f"City {day}"
            with_reason(employer_a, "moved", user=factories.UserFactory()).save()

    grow(1, 11)  # the page: these ten days' logs and moves
    short = count_queries(client, params, 20)
    grow(11, 29)
    long = count_queries(client, params, 20)

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the sponsor's
    # branch of the trail  6. the employers' own branch (their details and staff)  then for each
    # of the two record types on the page (employers, hour logs): its history rows, the ids of
    # the rows just older, and those rows (none to read for the logs: creations only)
    assert short == long == 6 + 3 + 2


def test_history_written_before_the_trail_is_indexed_once(raps_admin, employer_a):
    AuditEntry.objects.all().delete()

    assert backfill() == employer_a.history.count() + AuditEntry.objects.exclude(record_type="employer").count()
    assert AuditEntry.objects.filter(record_type="employer", record_id=employer_a.id).count() == (
        employer_a.history.count()
    )
    assert backfill() == 0


@pytest.mark.django_db
def test_the_demos_history_is_in_the_trail_also_what_it_writes_in_bulk():
    from django.core.management import call_command

    from competencies.models import HourLog

    call_command("load_demo", "--quiet-accounts")

    logs = HourLog.history.count()
    assert logs > 0
    assert AuditEntry.objects.filter(record_type="hour_log").count() == logs
    assert not AuditEntry.objects.filter(record_type="hour_log", sponsor_id=None).exists()


def test_decisions_written_in_bulk_are_in_the_audit_trail(raps_admin, sponsor, apprenticeship):
    """simple-history's bulk writes send no signal: the portal's bulk helpers index what they
    wrote, so a bulk decision is in the audit like a single one."""
    from competencies.models import HourLog
    from portal.history import bulk_update_with_history
    from portal.models import AuditEntry

    log = factories.HourLogFactory(apprenticeship=apprenticeship, status="submitted")
    log.description = "Corrected in bulk"
    bulk_update_with_history([log], HourLog, ["description"], default_user=raps_admin, default_change_reason="approved")

    entry = AuditEntry.objects.filter(record_type="hour_log", record_id=log.pk).order_by("-at").first()
    assert entry is not None
    assert (entry.action, entry.reason, entry.actor_id, entry.sponsor_id) == (
        "changed",
        "approved",
        raps_admin.pk,
        sponsor.pk,
    )


def test_the_history_a_bulk_write_copies_in_the_database_is_the_one_simple_history_builds(
    raps_admin, sponsor, apprenticeship, monkeypatch
):
    """On PostgreSQL the portal's bulk helpers copy the records to their history in the database
    (portal/history.py `_copy_to_history`) and index it in one statement: the rows and entries
    are those that simple-history's own bulk helpers and the read-back index write, for a record
    created and for one changed."""
    import portal.history
    from competencies.models import HourLog
    from portal.history import bulk_create_with_history, bulk_update_with_history, with_reason
    from portal.models import AuditEntry

    copy_to_history, copies = portal.history._copy_to_history, []

    def copying(*args, **kwargs):
        copies.append(copy_to_history(*args, **kwargs))
        return copies[-1]

    def written(copy: bool) -> tuple[dict, dict]:
        monkeypatch.setattr(portal.history, "_copy_to_history", copying if copy else lambda *a, **k: None)
        (log,) = bulk_create_with_history(
            [factories.HourLogFactory.build(apprenticeship=apprenticeship, status="submitted")],
            HourLog,
            default_user=raps_admin,
            default_change_reason="logged in bulk",
        )
        log.description = "Corrected in bulk"
        with_reason(log, "corrected", user=raps_admin)
        bulk_update_with_history([log], HourLog, ["description"])
        rows = {row.pop("history_type"): row for row in HourLog.history.filter(id=log.pk).values()}
        entries = {
            entry.pop("action"): entry
            for entry in AuditEntry.objects.filter(record_type="hour_log", record_id=log.pk).values()
        }
        for kind, row in rows.items():
            entry = entries[{"+": "created", "~": "changed"}[kind]]
            assert (entry.pop("history_id"), entry.pop("at")) == (row.pop("history_id"), row.pop("history_date"))
            for name in ("id", "record_id"):
                entry.pop(name)
            for name in ("id", "created_at", "updated_at"):
                row.pop(name)
        return rows, entries

    copied, built = written(copy=True), written(copy=False)

    # The created row and the changed one were copied by the database.
    assert len(copies) == 2
    assert None not in copies
    assert copied == built
    rows, entries = copied
    assert (rows["+"]["history_change_reason"], rows["~"]["history_change_reason"]) == ("logged in bulk", "corrected")
    assert rows["~"]["description"] == "Corrected in bulk"
    assert {action: (entry["actor_id"], entry["sponsor_id"], entry["reason"]) for action, entry in entries.items()} == {
        "created": (raps_admin.pk, sponsor.pk, "logged in bulk"),
        "changed": (raps_admin.pk, sponsor.pk, "corrected"),
    }
