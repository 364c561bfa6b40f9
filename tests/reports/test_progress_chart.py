"""GET /api/v1/apprenticeships/{id}/progress.svg: cumulative approved OJT and RTI hours against
the hours required, with the milestones marked; readable by whoever reads the progress."""

import datetime
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourLog
from tests import factories
from tests.reports.conftest import add_milestone, chart_url

SVG = "{http://www.w3.org/2000/svg}"


def add_approved_logs(apprenticeship, count, *, kind="ojt", hours="1", first_day=datetime.date(2025, 1, 6)):
    """`count` approved logs of `hours` each, one a day from `first_day`, stored directly."""
    people = factories.UserFactory.create_batch(2)
    work_process = apprenticeship.program.work_processes.first() if kind == "ojt" else None
    HourLog.objects.bulk_create(
        HourLog(
            apprenticeship=apprenticeship,
            employer_id=apprenticeship.employer_id,
            date=first_day + datetime.timedelta(days=index),
            hours=Decimal(hours),
            kind=kind,
            work_process=work_process,
            logged_by=people[0],
            reviewed_by=people[1],
            reviewed_at=timezone.now(),
            status="approved",
        )
        for index in range(count)
    )


def chart(client, apprenticeship):
    """The response and the parsed SVG (the request must succeed)."""
    response = client.get(chart_url(apprenticeship))
    assert response.status_code == 200, response.content
    return response, ET.fromstring(response.content)


def text_of(root) -> str:
    return " ".join(" ".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def circles(root) -> list:
    return list(root.iter(f"{SVG}circle"))


@pytest.fixture
def hours(apprenticeship):
    """600 h of approved OJT (75 days of 8 h) and 60 h of RTI (15 days of 4 h)."""
    add_approved_logs(apprenticeship, 75, hours="8")
    add_approved_logs(apprenticeship, 15, kind="rti", hours="4", first_day=datetime.date(2025, 2, 3))


@pytest.fixture
def probation(program):
    return program.milestone_definitions.get(name="Probation complete")


@pytest.fixture
def halfway(program):
    return program.milestone_definitions.get(name="Halfway")


# --- the picture -------------------------------------------------------------------------------


def test_the_chart_is_an_svg_document(client_for, raps_admin, apprenticeship, hours):
    response, root = chart(client_for(raps_admin), apprenticeship)

    assert response["Content-Type"].split(";")[0] == "image/svg+xml"
    assert root.tag == f"{SVG}svg"


def test_the_chart_names_the_apprentice_and_the_program(client_for, raps_admin, apprenticeship, program, hours):
    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert "Ari Apprentice" in text_of(root)
    assert program.title in text_of(root)
    assert "Ari Apprentice" in root.get("aria-label")


def test_the_chart_shows_approved_hours_against_the_hours_required(client_for, raps_admin, apprenticeship, hours):
    _response, root = chart(client_for(raps_admin), apprenticeship)

    text = text_of(root)
    assert "On-the-job hours: 600.00 of 2,000 h" in text
    assert "Related instruction: 60.00 of 180 h" in text
    assert "required 2,000 h" in text
    assert "required 180 h" in text


def test_submitted_and_rejected_hours_are_not_drawn(client_for, raps_admin, apprenticeship, hours):
    factories.HourLogFactory(apprenticeship=apprenticeship, date=datetime.date(2025, 6, 2), status="submitted")
    factories.HourLogFactory(
        apprenticeship=apprenticeship,
        date=datetime.date(2025, 6, 3),
        status="rejected",
        reviewed_by=apprenticeship.apprentice,
        reviewed_at=timezone.now(),
        review_note="not this day",
    )

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert "On-the-job hours: 600.00 of 2,000 h" in text_of(root)


def test_credit_for_prior_experience_counts_from_the_start(client_for, raps_admin, apprenticeship, hours):
    apprenticeship.ojt_credit_hours = Decimal("120")
    apprenticeship.save()

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert "On-the-job hours: 720.00 of 2,000 h" in text_of(root)


def test_a_reached_milestone_is_a_dot_and_the_next_one_is_named(
    client_for, raps_admin, apprenticeship, hours, probation
):
    add_milestone(apprenticeship, probation)  # pending: reached, waiting for a decision

    _response, root = chart(client_for(raps_admin), apprenticeship)

    text = text_of(root)
    assert len(circles(root)) == 1
    assert "Probation complete (500 h, pending approval)" in text
    assert "next: Halfway at 1,000 h" in text
    assert "next: Probation complete" not in text


def test_every_approved_or_pending_milestone_reached_has_a_dot(
    client_for, raps_admin, apprenticeship, hours, probation, halfway
):
    add_approved_logs(apprenticeship, 50, hours="8", first_day=datetime.date(2025, 4, 1))  # 1,000 h in all
    add_milestone(apprenticeship, probation, status="approved", decided_by=raps_admin)
    add_milestone(apprenticeship, halfway)

    _response, root = chart(client_for(raps_admin), apprenticeship)

    text = text_of(root)
    assert "On-the-job hours: 1,000.00 of 2,000 h" in text
    assert len(circles(root)) == 2
    assert "Probation complete (500 h)" in text
    assert "Halfway (1,000 h, pending approval)" in text
    assert "next:" not in text


def test_without_milestones_the_first_threshold_is_next(client_for, raps_admin, apprenticeship, hours):
    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert circles(root) == []
    assert "next: Probation complete at 500 h" in text_of(root)


def test_a_rejected_milestone_is_not_a_dot(client_for, raps_admin, apprenticeship, hours, probation):
    add_milestone(apprenticeship, probation, status="rejected", decided_by=raps_admin)

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert circles(root) == []
    assert "next: Probation complete at 500 h" in text_of(root)


def test_the_latest_decision_on_a_milestone_decides_its_mark(client_for, raps_admin, apprenticeship, hours, probation):
    rejected = add_milestone(apprenticeship, probation, status="rejected", decided_by=raps_admin)
    rejected.reached_at = timezone.now() - datetime.timedelta(days=3)
    rejected.save()
    add_milestone(apprenticeship, probation, status="approved", decided_by=raps_admin)

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert len(circles(root)) == 1
    assert "Probation complete (500 h)" in text_of(root)
    assert "next: Halfway at 1,000 h" in text_of(root)


def test_an_rti_milestone_is_marked_on_the_related_instruction_panel(
    client_for, raps_admin, apprenticeship, program, hours
):
    rti_done = factories.MilestoneDefinitionFactory(
        program=program, name="Instruction halfway", kind="rti_hours", threshold_hours=50
    )
    add_milestone(apprenticeship, rti_done, status="approved", decided_by=raps_admin)

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert len(circles(root)) == 1
    assert "Instruction halfway (50 h)" in text_of(root)


def test_names_are_escaped_in_text(client_for, raps_admin, apprenticeship, program, hours):
    apprentice = apprenticeship.apprentice
    apprentice.full_name = "Ari <Dev> & Co"
    apprentice.save()
    factories.MilestoneDefinitionFactory(program=program, name="Q&A <review>", kind="ojt_hours", threshold_hours=300)

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert "Ari <Dev> & Co" in text_of(root)
    assert "next: Q&A <review> at 300 h" in text_of(root)


def test_a_name_with_a_double_quote_keeps_the_svg_well_formed(client_for, raps_admin, apprenticeship, hours):
    apprentice = apprenticeship.apprentice
    apprentice.full_name = 'Robert "Bob" Apprentice'
    apprentice.save()

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert root.get("aria-label").startswith('Robert "Bob" Apprentice')


def test_a_client_asking_for_svg_gets_the_chart(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).get(chart_url(apprenticeship), HTTP_ACCEPT="image/svg+xml")

    assert response.status_code == 200
    assert ET.fromstring(response.content).tag == f"{SVG}svg"


def test_a_browser_image_request_gets_the_chart(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).get(
        chart_url(apprenticeship), HTTP_ACCEPT="image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"
    )

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "image/svg+xml"


def test_a_new_apprenticeship_without_hours_draws_an_empty_chart(client_for, raps_admin, apprenticeship):
    _response, root = chart(client_for(raps_admin), apprenticeship)

    text = text_of(root)
    assert "On-the-job hours: 0.00 of 2,000 h (0%)" in text
    assert "Related instruction: 0.00 of 180 h (0%)" in text
    assert "next: Probation complete at 500 h" in text


def test_a_program_without_related_instruction_still_draws(client_for, raps_admin, program, apprenticeship, hours):
    HourLog.objects.filter(apprenticeship=apprenticeship, kind="rti").delete()
    program.rti_hours_required = Decimal("0")
    program.save()

    _response, root = chart(client_for(raps_admin), apprenticeship)

    assert "Related instruction: 0.00 of 0 h" in text_of(root)
    assert "On-the-job hours: 600.00 of 2,000 h" in text_of(root)


def test_an_apprenticeship_starting_in_the_future_draws(client_for, raps_admin, program, employer_a):
    start = timezone.localdate() + datetime.timedelta(days=20)
    record = factories.ApprenticeshipFactory(
        program=program,
        employer=employer_a,
        status="registered",
        start_date=start,
        expected_end_date=start + datetime.timedelta(days=365),
    )

    _response, root = chart(client_for(raps_admin), record)

    assert "On-the-job hours: 0.00 of 2,000 h" in text_of(root)


# --- who may read ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_admin", "employer_a_supervisor", "apprentice"])
def test_readers_of_the_apprenticeship_read_its_chart(request, client_for, apprenticeship, hours, persona):
    _response, root = chart(client_for(request.getfixturevalue(persona)), apprenticeship)

    assert "On-the-job hours: 600.00 of 2,000 h" in text_of(root)


@pytest.mark.parametrize("persona", ["employer_b_supervisor", "other_raps_admin", "outsider"])
def test_the_chart_outside_the_callers_scope_is_not_found(request, client_for, apprenticeship, hours, persona):
    response = client_for(request.getfixturevalue(persona)).get(chart_url(apprenticeship))

    assert response.status_code == 404
    assert b"<svg" not in response.content
    assert b"Ari Apprentice" not in response.content


def test_the_apprentice_does_not_read_another_apprentices_chart(client_for, apprentice, other_apprenticeship):
    assert client_for(apprentice).get(chart_url(other_apprenticeship)).status_code == 404


def test_the_chart_of_an_unknown_apprenticeship_is_not_found(client_for, raps_admin):
    response = client_for(raps_admin).get(f"/api/v1/apprenticeships/{uuid.uuid4()}/progress.svg")

    assert response.status_code == 404


def test_the_chart_needs_a_signed_in_caller(anonymous_client, apprenticeship, hours):
    response = anonymous_client.get(chart_url(apprenticeship))

    assert response.status_code == 401
    assert b"<svg" not in response.content


# --- queries -----------------------------------------------------------------------------------


def count_queries(client, apprenticeship, approved):
    with CaptureQueriesContext(connection) as context:
        _response, root = chart(client, apprenticeship)
    assert f"On-the-job hours: {approved} of 2,000 h" in text_of(root)
    return len(context.captured_queries)


def test_chart_query_count_is_the_same_for_10_and_for_1000_approved_logs(
    client_for, raps_admin, apprenticeship, probation
):
    client = client_for(raps_admin)
    add_milestone(apprenticeship, probation)
    add_approved_logs(apprenticeship, 10)
    ten = count_queries(client, apprenticeship, "10.00")

    add_approved_logs(apprenticeship, 990, first_day=datetime.date(2025, 1, 16))
    thousand = count_queries(client, apprenticeship, "1,000.00")

    # 1. session  2. user  3. memberships  4. the caller's own apprenticeships  5. the
    # apprenticeship within the caller's scope, with its program and apprentice joined
    # 6. approved hours summed per day and kind  7. its milestones  8. the program's milestone
    # definitions decided by hours
    assert ten == thousand == 8
