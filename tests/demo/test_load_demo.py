import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portal.demo import DEMO_PASSWORD
from portal.models import User
from sponsors.models import Employer, Membership, Participation, Sponsor

DEMO_ACCOUNTS = {
    "raps.admin@demo.example": ("sponsor", "raps_admin"),
    "employer.supervisor@demo.example": ("employer", "supervisor"),
    "other.employer@demo.example": ("employer", "supervisor"),
}


def record_counts():
    return {model.__name__: model.objects.count() for model in (User, Sponsor, Employer, Participation, Membership)}


@pytest.mark.django_db
def test_loading_the_demo_twice_neither_fails_nor_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    first = record_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert record_counts() == first
    assert first["Sponsor"] == 1
    assert first["Employer"] >= 2


@pytest.mark.django_db
def test_load_demo_prints_every_account_and_the_password():
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    printed = output.getvalue()
    assert DEMO_PASSWORD in printed
    for email in [*DEMO_ACCOUNTS, "apprentice@demo.example", "apprentice02@demo.example"]:
        assert email in printed
    # The Spanish-speaking apprentice, printed as such.
    assert "apprentice02@demo.example" in next(line for line in printed.splitlines() if "Spanish" in line)
    assert User.objects.get(email="apprentice02@demo.example").language == "es"


@pytest.mark.django_db
@pytest.mark.parametrize(("email", "membership"), DEMO_ACCOUNTS.items())
def test_each_demo_account_signs_in_with_the_app_client_and_reads_its_memberships(email, membership):
    call_command("load_demo", stdout=io.StringIO())
    client = APIClient()

    login = client.post("/_allauth/app/v1/auth/login", {"email": email, "password": DEMO_PASSWORD}, format="json")
    token = login.json()["meta"]["session_token"]
    me = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)

    assert login.status_code == 200
    assert me.status_code == 200
    assert [(m["organization"]["kind"], m["role"]) for m in me.json()["memberships"]] == [membership]


@pytest.mark.django_db
def test_the_demo_apprentice_signs_in():
    call_command("load_demo", stdout=io.StringIO())

    login = APIClient().post(
        "/_allauth/app/v1/auth/login", {"email": "apprentice@demo.example", "password": DEMO_PASSWORD}, format="json"
    )

    assert login.status_code == 200


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_demo_sponsor_runs_a_program_for_each_occupation_with_full_standards(demo):
    from django.db.models import Sum

    from apprenticeships.models import Occupation, Program

    programs = Program.objects.filter(sponsor__registration_number="CA-2019-HRTP-0001")

    assert programs.count() == Occupation.objects.count() == 11
    for program in programs:
        processes = program.work_processes.all()
        assert 4 <= processes.count() <= 8
        assert processes.aggregate(total=Sum("target_hours"))["total"] == program.ojt_hours_required
        assert all(process.competencies.exists() for process in processes)
        assert 3 <= program.wage_steps.count() <= 5
        kinds = list(program.milestone_definitions.values_list("kind", flat=True))
        assert kinds.count("wage_step") == program.wage_steps.count() - 1
        assert {"probation", "rti_hours", "completion"} <= set(kinds)


def test_demo_has_about_thirty_apprentices_over_statuses_and_progress(demo):
    from apprenticeships.models import Apprenticeship

    apprenticeships = Apprenticeship.objects.all()
    statuses = set(apprenticeships.values_list("status", flat=True))
    approved = sorted(apprenticeships.values_list("hour_totals__ojt_approved", flat=True))

    assert 25 <= apprenticeships.count() <= 35
    assert {"registered", "active", "suspended", "cancelled"} <= statuses
    assert approved[0] == 0
    assert approved[-1] > 1000


def test_demo_running_totals_equal_the_sums_of_the_logs(demo):
    from apprenticeships.models import Apprenticeship
    from competencies.models import HourTotals
    from competencies.services import hour_totals_recompute

    kept = {
        row.pk: (row.ojt_approved, row.ojt_pending, row.rti_approved, row.rti_pending)
        for row in HourTotals.objects.all()
    }

    for apprenticeship in Apprenticeship.objects.all():
        recomputed = hour_totals_recompute(apprenticeship=apprenticeship)
        assert kept[apprenticeship.pk] == (
            recomputed.ojt_approved,
            recomputed.ojt_pending,
            recomputed.rti_approved,
            recomputed.rti_pending,
        )


def test_demo_apprentice_has_hours_waiting_and_the_next_ojt_milestone_within_200_hours(demo):
    client = APIClient()
    token = client.post(
        "/_allauth/app/v1/auth/login", {"email": "apprentice@demo.example", "password": DEMO_PASSWORD}, format="json"
    ).json()["meta"]["session_token"]
    me = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).json()

    progress = client.get(
        f"/api/v1/apprenticeships/{me['apprenticeships'][0]}/progress/", HTTP_X_SESSION_TOKEN=token
    ).json()
    program_id = client.get(f"/api/v1/apprenticeships/{me['apprenticeships'][0]}/", HTTP_X_SESSION_TOKEN=token).json()[
        "program"
    ]
    definitions = client.get(f"/api/v1/programs/{program_id}/", HTTP_X_SESSION_TOKEN=token).json()[
        "milestone_definitions"
    ]

    approved = float(progress["ojt"]["approved"])
    next_ojt = min(
        float(d["threshold_hours"])
        for d in definitions
        if d["kind"] in ("ojt_hours", "wage_step", "probation") and float(d["threshold_hours"]) > approved
    )
    assert len(me["apprenticeships"]) == 1
    assert 300 <= approved < next_ojt <= approved + 200
    assert float(progress["rti"]["approved"]) > 0
    assert float(progress["ojt"]["pending"]) > 0


def test_demo_has_an_import_record_that_names_its_logs(demo):
    from competencies.models import HourImport

    record = HourImport.objects.get()

    assert record.file_name == "saturday-shifts.csv"
    assert record.rows_written == record.logs.count() == 2
    assert record.imported_by.email == "employer.supervisor@demo.example"
