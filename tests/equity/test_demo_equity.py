"""The demo's equity report and funders' figures have something to show: visible and suppressed
cells, and priority populations with participants in them."""

import io

from django.core.management import call_command

from competencies.equity import equity_report
from competencies.funder import outcomes
from sponsors.demo import demo_sponsor


def test_the_demos_equity_report_shows_visible_and_suppressed_cells(db):
    call_command("load_demo", stdout=io.StringIO())
    sponsor = demo_sponsor()

    report = equity_report(sponsor_id=sponsor.pk)
    funders = outcomes(sponsor_id=sponsor.pk)

    cells = [
        cell
        for breakdown in report["breakdowns"]
        for group in breakdown["groups"]
        for cell in group["filtered"].values()
    ]
    assert any(cell["suppressed"] for cell in cells)
    assert any(not cell["suppressed"] and cell["value"] for cell in cells)
    populations = funders["priority_populations"]["populations"]
    assert len(populations) >= 2
    assert all(0 < population["count"] < funders["priority_populations"]["participants"] for population in populations)
