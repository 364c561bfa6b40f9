"""Plain helpers of the hour-log tests: the running totals read back from the database, and a
caller's scope for calling the services directly."""

from apprenticeships.selectors import caller_scope
from competencies.models import HourTotals, WorkProcessTotal

LOGS = "/api/v1/hour-logs/"


def totals_of(apprenticeship) -> dict:
    """The running totals of an apprenticeship, as strings, fresh from the database."""
    totals = HourTotals.objects.get(apprenticeship=apprenticeship)
    return {
        "ojt_approved": f"{totals.ojt_approved:.2f}",
        "ojt_pending": f"{totals.ojt_pending:.2f}",
        "rti_approved": f"{totals.rti_approved:.2f}",
        "rti_pending": f"{totals.rti_pending:.2f}",
    }


def work_process_totals_of(apprenticeship) -> dict:
    """{work process title: approved hours} of the running work-process totals."""
    return {
        total.work_process.title: f"{total.approved_hours:.2f}"
        for total in WorkProcessTotal.objects.filter(apprenticeship=apprenticeship).select_related("work_process")
    }


NO_HOURS = {"ojt_approved": "0.00", "ojt_pending": "0.00", "rti_approved": "0.00", "rti_pending": "0.00"}


def scope_of(user):
    """The caller's scope as a request resolves it, for calling the services directly."""
    return caller_scope(user=user)
