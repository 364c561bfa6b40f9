"""Demo progress reviews (loaded after the apprentices and milestones, competencies/demo/): the
Web Developer program reviews every 3 months and at wage steps. The longest-running of its
active apprentices has signed the review of their first quarter (its PDF is in their documents);
their next one, and the demo apprentice's first (apprentice@demo.example, started 190 days ago),
are overdue: nobody wrote them, so they show in the work summary."""

import datetime

from django.utils import timezone

from apprenticeships.demo import demo_program
from apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from apprenticeships.selectors import caller_scope
from apprenticeships.services.programs import program_update
from portal.demo import DemoAccount, demo_loader
from sponsors.models import Membership

from ..models import ProgressReview, ReviewStatus
from ..reviews import REVIEW_GRACE_DAYS, add_months
from ..services.reviews import review_acknowledge, review_create, review_submit

INTERVAL_MONTHS = 3


@demo_loader(order=50)
def load_reviews():
    program = demo_program("Web Developer")
    if ProgressReview.objects.filter(apprenticeship__program=program).exists():
        return []
    admin_membership = Membership.objects.filter(sponsor=program.sponsor, role="raps_admin").first()
    assert admin_membership is not None, "the sponsors' demo data has its RAPS admin"
    admin = admin_membership.user
    program = program_update(
        scope=caller_scope(user=admin),
        program=program,
        changed_by=admin,
        review_interval_months=INTERVAL_MONTHS,
        review_at_wage_steps=True,
    )
    today = timezone.localdate()
    # Active, mentored, and past their first review's due date by more than the grace days.
    overdue_since = add_months(today, -INTERVAL_MONTHS) - datetime.timedelta(days=REVIEW_GRACE_DAYS + 1)
    reviewed = list(
        Apprenticeship.objects.filter(
            program=program,
            status=ApprenticeshipStatus.ACTIVE,
            mentor__isnull=False,
            start_date__lte=overdue_since,
        )
        .select_related("program", "apprentice", "mentor")
        .order_by("start_date", "pk")[:1]
    )
    if not reviewed:
        return []
    signed = reviewed[0]
    mentor = signed.mentor
    assert mentor is not None
    processes = list(program.work_processes.order_by("position", "title"))
    review = review_create(
        scope=caller_scope(user=mentor),
        apprenticeship=signed,
        written_by=mentor,
        period=1,
        comments="Picks up new tools quickly and asks good questions; estimates are still optimistic.",
        goals="Own one small feature from ticket to release; pair on code reviews every week.",
        ratings=[
            {"work_process": process, "rating": 4 - index % 2, "comment": "On track" if index % 2 else "Strong"}
            for index, process in enumerate(processes)
        ],
    )
    review = review_submit(scope=caller_scope(user=mentor), review=review, submitted_by=mentor)
    review = review_acknowledge(
        review=review,
        by=signed.apprentice,
        typed_name=signed.apprentice.display_name,
        consent=True,
        comment="Thanks: I would like more back-end work next period.",
        ip="127.0.0.1",
        user_agent="demo",
    )
    assert review.status == ReviewStatus.ACKNOWLEDGED
    return [DemoAccount(signed.apprentice.email, "apprentice who signed a progress review (the next is overdue)")]
