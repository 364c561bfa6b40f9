"""Demo milestones: those the demo hours reach, most decided and a few pending for the RAPS admin,
and the graduate's completion, which superseded the milestones still pending."""

from apprenticeships.models import Apprenticeship, MilestoneKind
from apprenticeships.selectors import caller_scope
from portal.demo import DemoAccount, demo_loader
from sponsors.demo import demo_sponsor
from sponsors.models import Membership

from ..models import Milestone
from ..services import competency_sign_off, milestone_approve, milestone_reject, milestones_reconcile
from .apprentices import GRADUATE


@demo_loader(order=40)
def load_milestones():
    """Milestones the demo hours reach; most decided, a few pending for the RAPS admin."""
    sponsor = demo_sponsor()
    graduate = [DemoAccount(GRADUATE, "apprentice who completed: the milestones pending then are superseded")]
    if Milestone.objects.filter(apprenticeship__program__sponsor=sponsor).exists():
        return graduate
    admin_membership = Membership.objects.filter(sponsor=sponsor, role="raps_admin").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    scope = caller_scope(user=admin)
    apprenticeships = list(
        Apprenticeship.objects.filter(program__sponsor=sponsor).select_related("program", "employer", "apprentice")
    )
    for apprenticeship in apprenticeships:
        milestones_reconcile(apprenticeship=apprenticeship, changed_by=admin)
    pending = (
        Milestone.objects.filter(apprenticeship__program__sponsor=sponsor, status="pending")
        .exclude(apprenticeship__apprentice__email=GRADUATE)
        .order_by("definition__threshold_hours")
    )
    left_pending = 0
    for number, milestone in enumerate(pending.select_related("apprenticeship__apprentice")):
        demo_apprentice = milestone.apprenticeship.apprentice.email == "apprentice@demo.example"
        if not demo_apprentice and left_pending < 4 and number % 3 == 0:
            left_pending += 1
            continue
        if not demo_apprentice and number % 7 == 1:
            milestone_reject(
                scope=scope, milestone=milestone, decided_by=admin, reason="Hours under review with the employer"
            )
        else:
            milestone_approve(scope=scope, milestone=milestone, decided_by=admin)
    _graduate(scope=scope, admin=admin)
    return graduate


def _graduate(*, scope, admin) -> None:
    """The RAPS admin approves the graduate's first milestones (related instruction, probation,
    Step 2); the mentor signs off every competency, which reaches the completion milestone; the
    RAPS admin approves it with Steps 3 and 4 still pending: those are superseded, and the wage
    step moves to the last step reached (Step 4)."""
    apprenticeship = Apprenticeship.objects.select_related("program", "mentor").get(apprentice__email=GRADUATE)
    for milestone in Milestone.objects.filter(apprenticeship=apprenticeship, status="pending").order_by(
        "definition__threshold_hours"
    )[:3]:
        milestone_approve(scope=scope, milestone=milestone, decided_by=admin)
    mentor = apprenticeship.mentor
    assert mentor is not None, "the graduate was registered with a mentor"
    mentor_scope = caller_scope(user=mentor)
    for process in apprenticeship.program.work_processes.prefetch_related("competencies"):
        for competency in process.competencies.all():
            competency_sign_off(
                scope=mentor_scope,
                apprenticeship=apprenticeship,
                competency=competency,
                signed_off_by=mentor,
                rating="proficient",
                evidence="Observed on the job; final evaluation",
            )
    completion = Milestone.objects.get(
        apprenticeship=apprenticeship, definition__kind=MilestoneKind.COMPLETION, status="pending"
    )
    milestone_approve(scope=scope, milestone=completion, decided_by=admin, note="Final evaluation passed")
