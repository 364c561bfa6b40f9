"""GET /api/v1/reports/equity/: the sponsor's apprenticeships by demographic and outcome, counted
in the database, with small cells suppressed; for RAPS admins and employer admins only."""

import csv
import datetime
import io
import random
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apprenticeships.models import Apprenticeship
from competencies.equity import AGE_BANDS, MEASURES
from tests import factories
from tests.equity.conftest import EQUITY_URL, START, enrol, figures, group, hidden, many

DIMENSION_FIELDS = {
    "ethnicity": "ethnicity",
    "race_american_indian_alaskan_native": "race_american_indian_alaskan_native",
    "race_asian": "race_asian",
    "race_black_african_american": "race_black_african_american",
    "race_native_hawaiian_pacific_islander": "race_native_hawaiian_pacific_islander",
    "race_white": "race_white",
    "sex": "gender",
    "veteran": "veteran_status",
    "disability": "disability_status",
    "education_level": "education_level",
}


def read(client, params=None):
    response = client.get(EQUITY_URL, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def age_band(record) -> str:
    born, start = record.registration.date_of_birth, record.start_date
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    return next(band for band, low, high in AGE_BANDS if age >= low and (high is None or age < high))


def group_of(record, dimension) -> str:
    if not hasattr(record, "registration"):
        return "not_recorded"
    if dimension == "age_band":
        return age_band(record)
    return str(getattr(record.registration, DIMENSION_FIELDS[dimension]))


def in_measure(record, measure) -> bool:
    return {
        "registered": True,
        "active": record.status in ("registered", "active", "suspended"),
        "completed": record.status == "completed",
        "cancelled_in_probation": record.status == "cancelled" and record.cancelled_during_probation,
        "cancelled_after_probation": record.status == "cancelled" and not record.cancelled_during_probation,
    }[measure]


def counted_in_python(records, dimension, value) -> dict:
    members = [record for record in records if dimension is None or group_of(record, dimension) == value]
    counts = {measure: sum(in_measure(record, measure) for record in members) for measure in MEASURES}
    ended = counts["completed"] + counts["cancelled_in_probation"] + counts["cancelled_after_probation"]
    counts["completion_rate"] = round(counts["completed"] / ended, 3) if ended else None
    return counts


@pytest.fixture
def varied(program, second_program, employer_a, employer_b):
    """Forty apprenticeships of the sponsor over both programs and employers, every status and
    demographic drawn at random (seeded), two without registration data, one started before the
    period the tests ask for."""
    rng = random.Random(18)
    records = []
    for n in range(40):
        status = rng.choice(["registered", "active", "suspended", "completed", "cancelled", "cancelled"])
        records.append(
            enrol(
                rng.choice([program, second_program]),
                rng.choice([employer_a, employer_b]),
                status=status,
                start=START + datetime.timedelta(days=rng.randrange(0, 300)),
                in_probation=rng.random() < 0.5,
                registered=n not in (7, 21),
                date_of_birth=datetime.date(rng.randrange(1960, 2007), rng.randrange(1, 13), rng.randrange(1, 29)),
                gender=rng.choice(["F", "M", "9"]),
                ethnicity=rng.choice([1, 2, 9]),
                race_asian=rng.choice([0, 1, 9]),
                race_black_african_american=rng.choice([0, 1, 9]),
                race_white=rng.choice([0, 1, 9]),
                veteran_status=rng.choice([1, 2, 3, 4, 9]),
                disability_status=rng.choice([1, 2, 9]),
                education_level=rng.choice([1, 3, 5, 6, 7, 8, 9]),
            )
        )
    return Apprenticeship.objects.filter(pk__in=[record.pk for record in records]).select_related("registration")


@pytest.fixture
def second_program(sponsor):
    return factories.ProgramFactory(sponsor=sponsor, occupation=factories.OccupationFactory(title="Data Analyst (eq)"))


def test_every_count_equals_a_count_of_the_records_done_in_python(
    client_for, raps_admin, varied, program, no_suppression
):
    records = list(varied)
    in_program = [record for record in records if record.program_id == program.id]

    report = read(client_for(raps_admin), {"program": program.id})

    assert figures(report["total"]["filtered"]) == counted_in_python(in_program, None, None)
    assert figures(report["total"]["sponsor"]) == counted_in_python(records, None, None)
    for breakdown in report["breakdowns"]:
        for row in breakdown["groups"]:
            dimension, value = breakdown["dimension"], row["value"]
            assert figures(row["filtered"]) == counted_in_python(in_program, dimension, value), (dimension, value)
            assert figures(row["sponsor"]) == counted_in_python(records, dimension, value), (dimension, value)
            assert not hidden(row["filtered"])
            assert not hidden(row["sponsor"])


def test_each_breakdown_adds_up_to_the_total(client_for, raps_admin, varied, no_suppression):
    report = read(client_for(raps_admin))

    for breakdown in report["breakdowns"]:
        for measure in MEASURES:
            added = sum(row["filtered"][measure]["value"] for row in breakdown["groups"])
            assert added == report["total"]["filtered"][measure]["value"], (breakdown["dimension"], measure)


def test_the_period_counts_apprenticeships_by_their_start_date(client_for, raps_admin, varied, no_suppression):
    after, before = START + datetime.timedelta(days=50), START + datetime.timedelta(days=200)
    records = [record for record in varied if after <= record.start_date <= before]

    report = read(client_for(raps_admin), {"after": after, "before": before})

    assert 0 < len(records) < len(varied)
    assert figures(report["total"]["filtered"]) == counted_in_python(records, None, None)
    assert figures(group(report, "sex", "F")["sponsor"]) == counted_in_python(records, "sex", "F")
    assert (report["after"], report["before"]) == (str(after), str(before))


def test_the_employer_filter_narrows_the_figures_and_keeps_the_sponsors_beside_them(
    client_for, raps_admin, varied, employer_b, no_suppression
):
    records = list(varied)
    at_b = [record for record in records if record.employer_id == employer_b.id]

    report = read(client_for(raps_admin), {"employer": employer_b.id})

    assert report["employer"] == str(employer_b.id)
    assert figures(report["total"]["filtered"]) == counted_in_python(at_b, None, None)
    assert figures(report["total"]["sponsor"]) == counted_in_python(records, None, None)
    assert figures(group(report, "age_band", "25_34")["filtered"]) == counted_in_python(at_b, "age_band", "25_34")


def test_an_employer_admin_reads_their_employers_figures(
    client_for, employer_a_admin, varied, employer_a, no_suppression
):
    at_a = [record for record in varied if record.employer_id == employer_a.id]

    report = read(client_for(employer_a_admin))

    assert report["employer"] == str(employer_a.id)
    assert figures(report["total"]["filtered"]) == counted_in_python(at_a, None, None)


def test_another_sponsors_apprenticeships_are_not_counted(
    client_for, raps_admin, other_sponsor, employer_c, program, employer_a, no_suppression
):
    many(3, program, employer_a)
    many(4, factories.ProgramFactory(sponsor=other_sponsor), employer_c)

    report = read(client_for(raps_admin))

    assert report["total"]["sponsor"]["registered"]["value"] == 3


def test_age_bands_count_whole_years_on_the_start_date(client_for, raps_admin, program, employer_a, no_suppression):
    start = datetime.date(2025, 3, 10)
    enrol(program, employer_a, start=start, date_of_birth=datetime.date(2000, 3, 10))  # 25 that day
    enrol(program, employer_a, start=start, date_of_birth=datetime.date(2000, 3, 11))  # 24 until tomorrow
    enrol(program, employer_a, start=start, date_of_birth=datetime.date(1970, 3, 10))  # 55

    report = read(client_for(raps_admin))

    registered = {row["value"]: row["filtered"]["registered"]["value"] for row in report["breakdowns"][-2]["groups"]}
    assert registered == {"under_25": 1, "25_34": 1, "35_44": 0, "45_54": 0, "55_and_over": 1, "not_recorded": 0}


# --- suppression ------------------------------------------------------------------------------


def test_a_small_group_is_suppressed_whole_and_the_next_smallest_group_with_it(
    client_for, raps_admin, program, employer_a
):
    many(3, program, employer_a, gender="F")
    many(8, program, employer_a, gender="M")
    many(12, program, employer_a, gender="9")

    report = read(client_for(raps_admin))
    women, men, unsaid = (group(report, "sex", code)["filtered"] for code in ("F", "M", "9"))

    # 3 women: every figure of theirs hidden, zeros too (a 0 would say what all of them did).
    assert hidden(women) == {*MEASURES, "completion_rate"}
    assert all(cell["value"] is None for cell in women.values())
    # The total (23) and 12 would give the 3 back from the men's 8: the men's are hidden too.
    assert men["registered"] == {"value": None, "suppressed": True}
    assert men["active"] == {"value": None, "suppressed": True}
    assert unsaid["registered"] == {"value": 12, "suppressed": False}
    assert report["total"]["filtered"]["registered"] == {"value": 23, "suppressed": False}


def test_no_suppressed_count_can_be_worked_out_from_the_totals(client_for, raps_admin, varied):
    """Every row and every breakdown's column of the report: never exactly one figure hidden
    where the others and the total are shown."""
    report = read(client_for(raps_admin))

    rows = [report["total"]] + [row for breakdown in report["breakdowns"] for row in breakdown["groups"]]
    for row in rows:
        for table in ("filtered", "sponsor"):
            cells = [row[table][measure] for measure in MEASURES]
            assert sum(cell["suppressed"] for cell in cells) != 1
    for breakdown in report["breakdowns"]:
        for measure in MEASURES:
            cells = [report["total"]["filtered"][measure]] + [row["filtered"][measure] for row in breakdown["groups"]]
            assert sum(cell["suppressed"] for cell in cells) != 1, (breakdown["dimension"], measure)
            shown = [cell["value"] for cell in cells if not cell["suppressed"]]
            assert all(value == 0 or value >= 5 for value in shown)


def test_a_group_of_exactly_the_threshold_is_shown(client_for, raps_admin, program, employer_a):
    many(5, program, employer_a, gender="F", status="completed")
    many(5, program, employer_a, gender="M", status="cancelled")

    report = read(client_for(raps_admin))

    women, men = group(report, "sex", "F")["filtered"], group(report, "sex", "M")["filtered"]
    assert (women["registered"]["value"], women["completed"]["value"]) == (5, 5)
    assert women["completion_rate"] == {"value": 1.0, "suppressed": False}
    assert men["completion_rate"] == {"value": 0.0, "suppressed": False}
    assert men["cancelled_after_probation"]["value"] == 5


def test_the_completion_rate_is_null_when_nobody_ended(client_for, raps_admin, program, employer_a):
    many(6, program, employer_a, status="active")

    report = read(client_for(raps_admin))

    assert report["total"]["filtered"]["completion_rate"] == {"value": None, "suppressed": False}


def test_the_threshold_is_a_setting(client_for, raps_admin, program, employer_a, settings):
    many(6, program, employer_a, gender="F")
    many(20, program, employer_a, gender="M")
    client = client_for(raps_admin)

    at_five = group(read(client), "sex", "F")["filtered"]["registered"]
    settings.EQUITY_SUPPRESSION_THRESHOLD = 10
    at_ten = read(client)

    assert at_five == {"value": 6, "suppressed": False}
    assert group(at_ten, "sex", "F")["filtered"]["registered"] == {"value": None, "suppressed": True}
    assert at_ten["threshold"] == 10


def test_the_rest_of_the_sponsor_cannot_be_worked_out_by_subtraction(
    client_for, raps_admin, program, second_program, employer_a
):
    """The program's 10 women beside the sponsor's 12 would tell that 2 women are in the other
    program: one of the two figures is hidden."""
    many(10, program, employer_a, gender="F")
    many(10, program, employer_a, gender="M")
    many(2, second_program, employer_a, gender="F")
    many(10, second_program, employer_a, gender="M")

    report = read(client_for(raps_admin), {"program": program.id})
    women = group(report, "sex", "F")

    assert women["filtered"]["registered"]["suppressed"] or women["sponsor"]["registered"]["suppressed"]


# --- CSV ----------------------------------------------------------------------------------------


def test_the_csv_holds_the_same_table(client_for, raps_admin, program, employer_a):
    many(3, program, employer_a, gender="F")
    many(8, program, employer_a, gender="M", status="completed")
    many(12, program, employer_a, gender="9")
    client = client_for(raps_admin)
    report = read(client)

    response = client.get(EQUITY_URL, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0]["dimension"] == "total"
    assert rows[0]["registered"] == "23"
    by_group = {(row["dimension"], row["group"]): row for row in rows[1:]}
    assert len(by_group) == sum(len(breakdown["groups"]) for breakdown in report["breakdowns"])
    assert by_group[("sex", "F")]["registered"] == by_group[("sex", "F")]["sponsor_registered"] == "suppressed"
    for breakdown in report["breakdowns"]:
        for row in breakdown["groups"]:
            written = by_group[(breakdown["dimension"], row["value"])]
            assert written["label"] == row["label"]
            for measure, cell in row["filtered"].items():
                expected = "suppressed" if cell["suppressed"] else "" if cell["value"] is None else str(cell["value"])
                assert written[measure] == expected, (breakdown["dimension"], row["value"], measure)


# --- who may read, bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employer_a_supervisor", "apprentice", "outsider"])
def test_only_raps_admins_and_employer_admins_read_the_equity_report(
    request, client_for, apprenticeship, employer_a_supervisor, persona
):
    response = client_for(request.getfixturevalue(persona)).get(EQUITY_URL)

    assert response.status_code == 403
    assert "breakdowns" not in response.json()


def test_the_equity_report_needs_a_signed_in_caller(anonymous_client):
    assert anonymous_client.get(EQUITY_URL).status_code == 401


def test_another_sponsors_admin_cannot_read_our_sponsor(client_for, other_raps_admin, sponsor, apprenticeship):
    response = client_for(other_raps_admin).get(EQUITY_URL, {"sponsor": sponsor.id})

    assert response.status_code == 404
    assert "breakdowns" not in response.json()


def test_an_employer_admin_cannot_read_another_employer(client_for, employer_a_admin, employer_b):
    assert client_for(employer_a_admin).get(EQUITY_URL, {"employer": employer_b.id}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "2025-13-01"}, "after"),
        ({"before": "yesterday"}, "before"),
        ({"after": "2025-06-01", "before": "2025-01-01"}, "before"),
        ({"program": "not-an-id"}, "program"),
        ({"program": str(uuid.uuid4())}, "program"),
        ({"format": "xlsx"}, "format"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_for, raps_admin, program, params, field):
    response = client_for(raps_admin).get(EQUITY_URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_another_sponsors_program_is_a_bad_value(client_for, raps_admin, other_sponsor, program):
    elsewhere = factories.ProgramFactory(sponsor=other_sponsor)

    response = client_for(raps_admin).get(EQUITY_URL, {"program": elsewhere.id})

    assert response.status_code == 400
    assert set(response.json()) == {"program"}


# --- queries ------------------------------------------------------------------------------------


def test_the_report_is_one_query_whatever_the_number_of_apprenticeships(client_for, raps_admin, program, employer_a):
    client = client_for(raps_admin)
    many(1, program, employer_a)
    with CaptureQueriesContext(connection) as one:
        read(client, {"program": program.id})
    many(30, program, employer_a, gender="F")
    with CaptureQueriesContext(connection) as thirty_one:
        assert read(client, {"program": program.id})["total"]["filtered"]["registered"]["value"] == 31

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the program
    # is the sponsor's  6. every count of the table, in one aggregate
    assert len(one.captured_queries) == len(thirty_one.captured_queries) == 6
