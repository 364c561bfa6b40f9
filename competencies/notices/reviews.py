"""Who is told about progress reviews: the apprentice when a review waits for their signature;
the writer (the mentor, or the employer's staff where there is none) and the apprentice when a
review is overdue, once per review however often the daily job runs."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import Apprenticeship
from apprenticeships.notices import apprentice_name, link_to, message
from notifications.models import Event
from notifications.services import notify
from portal.i18n import long_date

from ..models import Milestone, ProgressReview
from .recipients import _employer_and_sponsor, _staff_by_employer


def review_submitted(review: ProgressReview) -> None:
    """The apprentice is asked to read and sign the review their mentor submitted."""
    apprenticeship = review.apprenticeship

    def build():
        from ..review_pdf import review_period

        return message(
            title=_("Your progress review is ready to sign"),
            lines=[
                _("%(writer)s submitted the progress review of %(name)s on %(on)s: %(period)s.")
                % {
                    "writer": review.written_by.display_name,
                    "name": apprentice_name(apprenticeship),
                    "period": review_period(review),
                    "on": long_date(timezone.localtime(review.submitted_at)),
                },
                _("Read it and acknowledge it by typing your name."),
            ],
            link=link_to(apprenticeship),
        )

    notify(recipients=[apprenticeship.apprentice], event=Event.REVIEW_SUBMITTED, subject=review, message=build)


def _due_key(item) -> str:
    return f"period-{item.period}" if item.period is not None else f"milestone-{item.milestone.pk}"


def reviews_overdue_notices(*, today) -> int:
    """Every review overdue on `today` of an active apprenticeship whose program has reviews:
    its writer(s) and the apprentice are told, once per review (dedupe key). Returns how many
    notifications were written."""
    from .. import reviews as reads

    apprenticeships = list(
        Apprenticeship.objects.filter(status="active")
        .filter(
            Q(program__review_interval_months__isnull=False)
            | Q(program__review_at_wage_steps=True)
            | Q(program__wage_step_needs_review=True)
        )
        .select_related("program", "employer", "apprentice", "mentor")
        .order_by("pk")
    )
    ids = [apprenticeship.pk for apprenticeship in apprenticeships]
    milestones: dict = {}
    for milestone in Milestone.objects.filter(reads.STANDING_WAGE_STEP, apprenticeship_id__in=ids).select_related(
        "definition"
    ):
        milestones.setdefault(milestone.apprenticeship_id, []).append(milestone)
    reviews = reads.reviews_by_apprenticeship(ids)
    overdue = []
    for apprenticeship in apprenticeships:
        for item in reads.due_reviews(
            apprenticeship,
            program=apprenticeship.program,
            wage_step_milestones=milestones.get(apprenticeship.pk, []),
            reviews=reviews.get(apprenticeship.pk, []),
            until=today,
        ):
            if item.overdue(today):
                overdue.append((apprenticeship, item))
    staff = _staff_by_employer(
        {_employer_and_sponsor(apprenticeship) for apprenticeship, _item in overdue if apprenticeship.mentor is None}
    )
    written = 0
    for apprenticeship, item in overdue:
        writers = (
            [apprenticeship.mentor]
            if apprenticeship.mentor is not None
            else staff.get(_employer_and_sponsor(apprenticeship), [])
        )
        key = _due_key(item)

        def build(apprenticeship=apprenticeship, item=item):
            name = apprentice_name(apprenticeship)
            what = (
                _("periodic review %(period)s") % {"period": item.period}
                if item.period is not None
                else _("wage-step review (%(milestone)s)") % {"milestone": item.milestone.definition.name}
            )
            return message(
                title=_("Progress review overdue: %(name)s") % {"name": name},
                lines=[
                    _("The %(what)s of %(name)s (%(program)s) was due on %(due)s and is not signed yet.")
                    % {
                        "what": what,
                        "name": name,
                        "program": apprenticeship.program.title,
                        "due": long_date(item.due_on),
                    },
                    _("The mentor writes and submits it; the apprentice acknowledges it."),
                ],
                link=link_to(apprenticeship),
            )

        written += len(
            notify(
                recipients=[*writers, apprenticeship.apprentice],
                event=Event.REVIEW_OVERDUE,
                subject=apprenticeship,
                message=build,
                dedupe_key_for=lambda user_id, a=apprenticeship, k=key: f"review_overdue:{a.pk}:{k}:{user_id}",
            )
        )
    return written
