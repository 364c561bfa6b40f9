"""Demo hour import: one timesheet (CSV) imported by the first employer's supervisor."""

import datetime

from django.utils import timezone

from apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from apprenticeships.selectors import caller_scope
from portal.demo import demo_loader, demo_user
from sponsors.demo import demo_employers, demo_sponsor, demo_supervisor_emails

from ..models import HourImport
from ..services import hour_logs_import


@demo_loader(order=45)
def load_hour_import():
    """One timesheet imported by the first employer's supervisor (after the milestones, which the
    hours it adds may reach): two Saturday shifts of an active apprentice other than the demo
    apprentice, one row naming the apprenticeship by the apprentice's e-mail with a US date."""
    sponsor = demo_sponsor()
    if HourImport.objects.filter(sponsor=sponsor).exists():
        return []
    employer = demo_employers()[0]
    supervisor = demo_user(demo_supervisor_emails()[employer.ein], "")
    apprenticeship = (
        Apprenticeship.objects.filter(program__sponsor=sponsor, employer=employer, status=ApprenticeshipStatus.ACTIVE)
        .exclude(apprentice__email="apprentice@demo.example")
        .select_related("apprentice")
        .order_by("start_date")
        .first()
    )
    process = apprenticeship.program.work_processes.first() if apprenticeship else None
    if apprenticeship is None or process is None:
        return []
    today = timezone.localdate()
    saturday = today - datetime.timedelta(days=(today.weekday() - 5) % 7 or 7)
    earlier = saturday - datetime.timedelta(days=7)
    text = "\n".join(
        [
            "apprenticeship,date,hours,kind,work_process,description",
            f"{apprenticeship.id},{earlier.isoformat()},4,ojt,{process.title},Saturday shift: release support",
            f"{apprenticeship.apprentice.email},{saturday:%m/%d/%Y},4.5,ojt,{process.title},Saturday shift: on call",
            "",
        ]
    )
    hour_logs_import(
        scope=caller_scope(user=supervisor), imported_by=supervisor, text=text, file_name="saturday-shifts.csv"
    )
    return []
