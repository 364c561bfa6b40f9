"""GET /api/v1/apprenticeships/{id}/progress.svg: cumulative approved OJT and RTI hours against
the hours required, with the milestones marked; readable by whoever reads the progress."""

import datetime
import re
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


# --- the chart read at a glance: projection, months, labels, state, text alternative -----------

START, EXPECTED_END, TODAY = datetime.date(2025, 1, 6), datetime.date(2026, 12, 31), datetime.date(2026, 6, 15)


def _weekly(rate: str, until: datetime.date) -> list:
    days = (until - START).days // 7 + 1
    return [(START + datetime.timedelta(weeks=week), Decimal(rate)) for week in range(days)]


def _svg(*, rate="20", status="active", ended_on=None, pace=None, marks=()):
    from competencies.charts import progress_svg

    until = ended_on or TODAY
    return ET.fromstring(
        progress_svg(
            title="Ari Apprentice – Web Developer",
            start=START,
            expected_end=EXPECTED_END,
            today=TODAY,
            ojt={
                "points": _weekly(rate, until),
                "required": Decimal("2000"),
                "credited": Decimal("0"),
                "marks": list(marks),
            },
            rti={"points": _weekly("2", until), "required": Decimal("180"), "credited": Decimal("0"), "marks": []},
            status=status,
            ended_on=ended_on,
            pace=pace,
        )
    )


def _pace(projected: datetime.date) -> dict:
    return {
        "hours_per_week": Decimal("9.5"),
        "projected_completion_date": projected,
        "on_track": projected <= EXPECTED_END,
    }


def _projection(root):
    return [line for line in root.iter(f"{SVG}line") if line.get("class") == "projection"]


def test_behind_pace_the_projected_line_ends_past_the_expected_end():
    root = _svg(rate="9", pace=_pace(datetime.date(2028, 3, 1)))

    (line,) = _projection(root)
    expected_end_x = next(
        float(line.get("x1"))
        for line in root.iter(f"{SVG}line")
        if line.get("stroke") == "#57606a" and line.get("x1") == line.get("x2")
    )
    assert float(line.get("x2")) > expected_end_x
    assert line.get("stroke") == "#cf222e"
    assert "Behind pace" in text_of(root)
    assert "behind." in root.find(f"{SVG}desc").text


def test_on_track_the_projected_line_reaches_the_required_hours_before_the_expected_end():
    root = _svg(rate="24", pace=_pace(datetime.date(2026, 9, 1)))

    (line,) = _projection(root)
    assert line.get("stroke") == "#1a7f37"
    assert "projected Sep 2026" in text_of(root)
    assert "On track" in text_of(root)
    assert (
        "Projected completion September 1, 2026, expected end December 31, 2026: on track."
        in root.find(f"{SVG}desc").text
    )


def test_a_completed_apprenticeship_is_shown_completed_with_no_projection():
    root = _svg(
        rate="28", status="completed", ended_on=datetime.date(2026, 5, 20), pace=_pace(datetime.date(2026, 5, 20))
    )

    assert _projection(root) == []
    assert "Completed on May 20, 2026" in text_of(root)
    assert "ended May 20, 2026" in text_of(root)
    assert "today" not in text_of(root).split("Completed")[1]


def test_a_cancelled_apprenticeship_is_shown_cancelled():
    root = _svg(rate="10", status="cancelled", ended_on=datetime.date(2025, 11, 3))

    assert "Cancelled on November 3, 2025" in text_of(root)
    assert _projection(root) == []


def test_the_text_alternative_gives_the_figures():
    root = _svg(rate="9", pace=_pace(datetime.date(2028, 3, 1)))

    description = root.find(f"{SVG}desc")
    assert root.get("aria-describedby") == description.get("id")
    assert root.find(f"{SVG}title").text == "Ari Apprentice – Web Developer"
    assert "On-the-job: 684.00 of 2,000 hours (34%)." in description.text
    assert "Related instruction: 152.00 of 180 hours (84%)." in description.text
    assert "9.50 OJT hours a week" in description.text


def _month_ticks(root) -> list:
    return [text for text in root.iter(f"{SVG}text") if "month" in (text.get("class") or "")]


@pytest.mark.parametrize("years", [1, 2, 4, 6])
def test_month_ticks_read_as_months_and_never_crowd(years):
    from competencies.charts import TICK_ROOM, month_ticks

    ticks = month_ticks(START, START + datetime.timedelta(days=365 * years))
    root = _svg(rate="9", pace=_pace(START + datetime.timedelta(days=365 * years)))

    assert len(ticks) >= 3
    assert all(tick.day == 1 for tick in ticks)
    for text in _month_ticks(root):
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{4}", text.text), text.text
    xs = [float(text.get("x")) for text in _month_ticks(root)]
    assert all(b - a >= TICK_ROOM for a, b in zip(xs, xs[1:], strict=False))


def _box(text):
    size = 10 if text.get("class") == "mark" else 14 if text.get("class") == "title" else 11
    width = len("".join(text.itertext())) * size * 0.55
    x, y, anchor = float(text.get("x")), float(text.get("y")), text.get("text-anchor") or "start"
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, y - size, left + width, y + 2


def test_labels_never_overlap_even_with_milestones_close_together():
    marks = [
        {"name": f"Step {index}", "threshold": Decimal(400 + 20 * index), "status": "approved"} for index in range(6)
    ]
    root = _svg(rate="20", pace=_pace(datetime.date(2027, 6, 1)), marks=marks)

    placed = [
        _box(text)
        for text in root.iter(f"{SVG}text")
        if text.get("class") in ("mark", "title")
        or "projected" in (text.text or "")
        or "expected end" in (text.text or "")
        or (text.text or "").startswith("today")
    ]
    assert len(placed) >= 10
    for index, one in enumerate(placed):
        for other in placed[index + 1 :]:
            overlaps = one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]
            assert not overlaps, (one, other)
