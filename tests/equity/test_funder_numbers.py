"""The funders' figures of GET /api/v1/reports/summary/ (`outcomes`): completion rate, retention at
90 days, median entry and current wages, and the share of participants in each priority
population, each held against a count done in Python; and the summary as CSV."""

import csv
import datetime
import io
import random
import statistics
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from apprenticeships.models import Apprenticeship, PriorityPopulation
from competencies.funder import CURRENT_WAGE
from portal.aggregates import median_of_counts
from tests import factories
from tests.equity.conftest import enrol

SUMMARY_URL = "/api/v1/reports/summary/"


def read(client, params=None):
    response = client.get(SUMMARY_URL, params or {})
    assert response.status_code == 200, response.content
    return response.json()["outcomes"]


@pytest.fixture
def populations(sponsor, other_sponsor):
    made = [
        PriorityPopulation.objects.create(
            sponsor=sponsor, name="South LA", criterion="zip_code_in", values=["90001", "90002"]
        ),
        PriorityPopulation.objects.create(sponsor=sponsor, name="Veterans", criterion="veteran", values=[]),
        PriorityPopulation.objects.create(
            sponsor=sponsor, name="No diploma", criterion="education_level_in", values=[1], active=False
        ),
        PriorityPopulation.objects.create(sponsor=other_sponsor, name="Theirs", criterion="disability", values=[]),
    ]
    return made


@pytest.fixture
def cohort(program, employer_a, employer_b, other_sponsor, employer_c):
    """Thirty-one apprenticeships of the sponsor: every status, started from 300 days to 10 days ago,
    some cancelled on their 89th or 90th day, wages and wage steps and ZIP codes drawn at random
    (seeded); and one of another sponsor."""
    rng = random.Random(90)
    today = timezone.localdate()
    steps = list(program.wage_steps.order_by("starts_at_ojt_hours"))
    for n in range(30):
        start = today - datetime.timedelta(days=rng.choice([10, 60, 89, 90, 91, 150, 300]))
        status = rng.choice(["registered", "active", "active", "suspended", "completed", "cancelled"])
        record = enrol(
            program,
            rng.choice([employer_a, employer_b]),
            status=status,
            start=start,
            registered=n != 3,
            zip_code=rng.choice(["90001", "90002", "90012", "91101"]),
            veteran_status=rng.choice([1, 2, 3, 4, 9]),
            education_level=rng.choice([1, 3, 7]),
        )
        changes = {
            "entry_wage": Decimal(rng.choice(["20.00", "21.50", "22.00", "23.25", "25.00"])),
            "current_wage_step": rng.choice([None, *steps]),
        }
        if status in ("cancelled", "completed"):
            changes["ended_on"] = min(today, start + datetime.timedelta(days=rng.choice([0, 30, 89, 90, 120])))
        Apprenticeship.objects.filter(pk=record.pk).update(**changes)
    # One who left in their first month, whatever the draw.
    early = enrol(program, employer_b, status="cancelled", start=today - datetime.timedelta(days=200))
    Apprenticeship.objects.filter(pk=early.pk).update(ended_on=today - datetime.timedelta(days=170))
    enrol(factories.ProgramFactory(sponsor=other_sponsor), employer_c, status="cancelled", zip_code="90001")
    return Apprenticeship.objects.filter(program=program).select_related("registration", "current_wage_step")


def share(count, of):
    return round(count / of, 3) if of else None


def expected(records, today):
    completed = sum(record.status == "completed" for record in records)
    cancelled = sum(record.status == "cancelled" for record in records)
    started = [record for record in records if record.start_date <= today - datetime.timedelta(days=90)]
    retained = [
        record
        for record in started
        if not (record.status == "cancelled" and (record.ended_on - record.start_date).days < 90)
    ]
    earning = [record for record in records if record.status in ("active", "completed")]

    def median(values):
        return f"{statistics.median(values):.2f}" if values else None

    def registration(record):
        return getattr(record, "registration", None)

    south = [r for r in records if registration(r) and registration(r).zip_code in ("90001", "90002")]
    veterans = [r for r in records if registration(r) and registration(r).veteran_status in (1, 4)]
    either = {r.pk for r in south} | {r.pk for r in veterans}
    return {
        "completed": completed,
        "cancelled": cancelled,
        "completion_rate": share(completed, completed + cancelled),
        "retention_90_days": {
            "started": len(started),
            "retained": len(retained),
            "rate": share(len(retained), len(started)),
        },
        "wages_of": len(earning),
        "median_entry_wage": median([record.entry_wage for record in earning]),
        "median_current_wage": median(
            [record.current_wage_step.wage if record.current_wage_step else record.entry_wage for record in earning]
        ),
        "populations": {
            "South LA": (len(south), share(len(south), len(records))),
            "Veterans": (len(veterans), share(len(veterans), len(records))),
        },
        "in_any": (len(either), share(len(either), len(records))),
    }


def test_the_funders_figures_equal_a_count_done_in_python(client_for, raps_admin, cohort, populations):
    records = list(cohort)
    want = expected(records, timezone.localdate())

    outcomes = read(client_for(raps_admin))

    for figure in ("completed", "cancelled", "completion_rate", "retention_90_days", "wages_of"):
        assert outcomes[figure] == want[figure], figure
    assert outcomes["median_entry_wage"] == want["median_entry_wage"]
    assert outcomes["median_current_wage"] == want["median_current_wage"]
    groups = outcomes["priority_populations"]
    assert groups["participants"] == len(records)
    # Active populations of the sponsor only, by name; the inactive one and the other sponsor's
    # are not counted.
    assert {row["name"]: (row["count"], row["share"]) for row in groups["populations"]} == want["populations"]
    assert (groups["in_any"]["count"], groups["in_any"]["share"]) == want["in_any"]


def test_the_figures_are_not_trivial(cohort, populations, client_for, raps_admin):
    """The drawn cohort holds every case the rules tell apart."""
    outcomes = read(client_for(raps_admin))

    assert 0 < outcomes["retention_90_days"]["retained"] < outcomes["retention_90_days"]["started"]
    assert outcomes["median_current_wage"] != outcomes["median_entry_wage"]
    assert 0 < outcomes["priority_populations"]["in_any"]["count"] < outcomes["priority_populations"]["participants"]


def test_a_cancellation_on_day_90_is_retained_and_on_day_89_is_not(client_for, raps_admin, program, employer_a):
    start = timezone.localdate() - datetime.timedelta(days=200)
    for days in (89, 90):
        record = enrol(program, employer_a, status="cancelled", start=start)
        Apprenticeship.objects.filter(pk=record.pk).update(ended_on=start + datetime.timedelta(days=days))
    enrol(program, employer_a, status="active", start=timezone.localdate() - datetime.timedelta(days=89))

    outcomes = read(client_for(raps_admin))

    assert outcomes["retention_90_days"] == {"started": 2, "retained": 1, "rate": 0.5}


def test_an_employers_figures_are_of_its_apprenticeships(client_for, employer_a_admin, cohort, populations, employer_a):
    at_a = [record for record in cohort if record.employer_id == employer_a.id]
    want = expected(at_a, timezone.localdate())

    outcomes = read(client_for(employer_a_admin))

    assert outcomes["completion_rate"] == want["completion_rate"]
    assert outcomes["median_current_wage"] == want["median_current_wage"]
    assert outcomes["priority_populations"]["participants"] == len(at_a)


def test_a_sponsor_without_apprenticeships_has_null_rates_and_medians(client_for, raps_admin, populations):
    outcomes = read(client_for(raps_admin))

    assert outcomes["completion_rate"] is None
    assert outcomes["retention_90_days"] == {"started": 0, "retained": 0, "rate": None}
    assert outcomes["median_entry_wage"] is outcomes["median_current_wage"] is None
    assert outcomes["priority_populations"]["in_any"] == {"count": 0, "share": None}


def test_the_median_of_grouped_counts_equals_postgresqls_percentile_cont(cohort):
    earning = cohort.filter(status__in=["active", "completed"]).annotate(current=CURRENT_WAGE)
    counts = Counter()
    for row in earning.values("current").annotate(n=Count("id")).order_by():
        counts[row["current"]] += row["n"]
    sql, parameters = earning.values("current").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY current) FROM ({sql}) AS rows", parameters)
        (in_database,) = cursor.fetchone()

    assert sum(counts.values()) >= 10  # a real spread of wages
    assert len(counts) > 2
    assert median_of_counts(counts) == Decimal(str(in_database))
    # An even number of rows: the mean of the two middle ones, as percentile_cont takes it.
    assert median_of_counts({Decimal("20.00"): 1, Decimal("21.50"): 1}) == Decimal("20.75")
    assert median_of_counts({None: 4}) is None


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "apprentice", "outsider"])
def test_only_raps_admins_and_employer_admins_read_the_funders_figures(request, client_for, persona, cohort):
    response = client_for(request.getfixturevalue(persona)).get(SUMMARY_URL)

    assert response.status_code == 403
    assert "outcomes" not in response.json()


def test_the_summary_as_csv_holds_the_same_figures(client_for, raps_admin, cohort, populations, employer_a):
    client = client_for(raps_admin)
    summary = client.get(SUMMARY_URL).json()

    response = client.get(SUMMARY_URL, {"format": "csv"})
    rows = {
        (row["section"], row["id"], row["figure"]): row["value"]
        for row in csv.DictReader(io.StringIO(response.content.decode()))
    }

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows[("total", "", "enrolled")] == str(summary["enrolled"])
    assert rows[("total", "", "apprenticeships_by_status.active")] == str(
        summary["apprenticeships_by_status"]["active"]
    )
    assert rows[("employer", str(employer_a.id), "enrolled")] == str(
        next(row["enrolled"] for row in summary["by_employer"] if row["id"] == str(employer_a.id))
    )
    assert rows[("outcomes", "", "median_current_wage")] == summary["outcomes"]["median_current_wage"]
    assert rows[("outcomes", "", "retention_90_days.retained")] == str(
        summary["outcomes"]["retention_90_days"]["retained"]
    )
    by_name = {
        (row["name"], row["figure"]): row["value"]
        for row in csv.DictReader(io.StringIO(response.content.decode()))
        if row["section"] == "priority_population"
    }
    for population in summary["outcomes"]["priority_populations"]["populations"]:
        assert by_name[(population["name"], "count")] == str(population["count"])
        assert by_name[(population["name"], "share")] == str(population["share"])
    assert {name for name, _figure in by_name} == {"South LA", "Veterans"}


def test_an_unknown_format_is_a_bad_request(client_for, raps_admin):
    response = client_for(raps_admin).get(SUMMARY_URL, {"format": "pdf"})

    assert response.status_code == 400
    assert set(response.json()) == {"format"}
