"""Writes of progress reviews: the mentor starts a draft for a due period (or wage step), edits
it, submits it; the apprentice acknowledges it by typing their name, and the acknowledged
review's PDF is filed in the vault. An acknowledged review never changes again.

Who writes a review: the apprenticeship's mentor; where it has no mentor, the employer's staff
(for the programs of its sponsor). Who signs: the apprentice alone.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apprenticeships.models import OPEN_STATUSES, Apprenticeship, DocumentKind, MilestoneKind
from apprenticeships.services.documents import document_file
from portal.errors import Conflict, Forbidden
from portal.history import with_reason
from portal.i18n import long_date
from portal.models import User
from portal.tenancy import Scope

from .. import reviews as reads
from ..models import Milestone, ProgressReview, ReviewRating, ReviewReason, ReviewStatus
from ..notices.reviews import review_submitted
from ..review_pdf import review_pdf

EDITABLE_FIELDS = ("comments", "goals")


def may_write_review(scope: Scope, user: User, apprenticeship: Apprenticeship) -> bool:
    if apprenticeship.mentor_id is not None:
        return apprenticeship.mentor_id == user.pk
    return scope.is_employer_staff(apprenticeship.employer_id, apprenticeship.program.sponsor_id)


def _check_writer(scope: Scope, user: User, apprenticeship: Apprenticeship) -> None:
    if not may_write_review(scope, user, apprenticeship):
        raise Forbidden(
            _("Progress reviews are written by the apprentice's mentor (or, with no mentor, the employer's staff).")
        )


def _locked(review: ProgressReview) -> ProgressReview:
    return (
        ProgressReview.objects.select_for_update(of=("self",))
        .select_related("apprenticeship__program__sponsor", "apprenticeship__apprentice", "apprenticeship__employer")
        .get(pk=review.pk)
    )


def _check_draft(review: ProgressReview) -> None:
    if review.status != ReviewStatus.DRAFT:
        raise Conflict(_("This review is %(status)s: only a draft is changed.") % {"status": review.status})


def _save_ratings(review: ProgressReview, ratings: Iterable[dict], by: User) -> None:
    """Rate the work processes given (a work process rated again takes the new rating)."""
    ratings = list(ratings)
    program_id = review.apprenticeship.program_id
    seen = set()
    for item in ratings:
        work_process = item["work_process"]
        if work_process.program_id != program_id:
            raise ValidationError(
                {"ratings": [_("A work process of another program: %(title)s.") % {"title": work_process.title}]}
            )
        if work_process.pk in seen:
            raise ValidationError(
                {"ratings": [_("Each work process is rated once: %(title)s.") % {"title": work_process.title}]}
            )
        seen.add(work_process.pk)
    existing = {rating.work_process_id: rating for rating in review.ratings.all()}
    for item in ratings:
        rating = existing.get(item["work_process"].pk) or ReviewRating(review=review, work_process=item["work_process"])
        rating.rating, rating.comment = item["rating"], item.get("comment", "")
        with_reason(rating, "rated", user=by).save()


def review_create(
    *,
    scope: Scope,
    apprenticeship: Apprenticeship,
    written_by: User,
    period: int | None = None,
    milestone: Milestone | None = None,
    ratings: Iterable[dict] = (),
    **fields,
) -> ProgressReview:
    """A draft review of a period that is due (or due within REVIEW_EARLY_DAYS), or of a wage
    step the apprenticeship reached: `period` or `milestone`, one of them."""
    if (period is None) == (milestone is None):
        raise ValidationError({"period": [_("Name the period or the wage-step milestone of the review, one of them.")]})
    with transaction.atomic():
        apprenticeship = (
            Apprenticeship.objects.select_for_update(of=("self",)).select_related("program").get(pk=apprenticeship.pk)
        )
        _check_writer(scope, written_by, apprenticeship)
        if apprenticeship.status not in OPEN_STATUSES:
            raise Conflict(_("A %(status)s apprenticeship takes no new reviews.") % {"status": apprenticeship.status})
        until = timezone.localdate() + timedelta(days=reads.REVIEW_EARLY_DAYS)
        due = reads.due_reviews_of(apprenticeship, until=until)
        if period is not None:
            match = next((item for item in due if item.period == period), None)
            field = "period"
        else:
            assert milestone is not None
            match = next(
                (item for item in due if item.milestone is not None and item.milestone.pk == milestone.pk), None
            )
            field = "milestone"
        if match is None:
            raise ValidationError({field: [_("No review of the apprenticeship is due for this.")]})
        if match.review is not None:
            raise Conflict(_("This review was started already."))
        review = ProgressReview(
            apprenticeship=apprenticeship,
            reason=match.reason,
            period=match.period,
            milestone=match.milestone,
            due_on=match.due_on,
            written_by=written_by,
            **{name: fields[name] for name in EDITABLE_FIELDS if name in fields},
        )
        with_reason(review, "review started", user=written_by).save()
        _save_ratings(review, ratings, written_by)
    return review


def review_update(*, scope: Scope, review: ProgressReview, changed_by: User, ratings=None, **fields) -> ProgressReview:
    """Change a draft: its comments, its goals, its ratings (the writer only)."""
    with transaction.atomic():
        review = _locked(review)
        _check_writer(scope, changed_by, review.apprenticeship)
        _check_draft(review)
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(review, name, fields[name])
        with_reason(review, "review changed", user=changed_by).save()
        if ratings is not None:
            _save_ratings(review, ratings, changed_by)
    return review


def review_submit(*, scope: Scope, review: ProgressReview, submitted_by: User) -> ProgressReview:
    """Submit a draft for the apprentice to sign: every work process of the program rated."""
    with transaction.atomic():
        review = _locked(review)
        _check_writer(scope, submitted_by, review.apprenticeship)
        _check_draft(review)
        rated = set(review.ratings.values_list("work_process_id", flat=True))
        missing = [wp.title for wp in review.apprenticeship.program.work_processes.all() if wp.pk not in rated]
        if missing:
            raise ValidationError(
                {
                    "ratings": [
                        _("Rate every work process before submitting: %(missing)s.") % {"missing": ", ".join(missing)}
                    ]
                }
            )
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
        with_reason(review, "review submitted", user=submitted_by).save()
        review_submitted(review)
    return review


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def review_acknowledge(
    *,
    review: ProgressReview,
    by: User,
    typed_name: str,
    consent: bool,
    comment: str = "",
    ip: str | None = None,
    user_agent: str = "",
) -> ProgressReview:
    """The apprentice signs a submitted review: their name as typed, their consent, when and from
    where. The review is final from then on, and its PDF is filed in the vault."""
    with transaction.atomic():
        review = _locked(review)
        apprenticeship = review.apprenticeship
        if apprenticeship.apprentice_id != by.pk:
            raise Forbidden(_("Only the apprentice acknowledges their progress review."))
        if review.status != ReviewStatus.SUBMITTED:
            raise Conflict(
                _("This review is %(status)s: only a submitted review is acknowledged.") % {"status": review.status}
            )
        errors = {}
        if consent is not True:
            errors["consent"] = [_("Acknowledging a review takes your consent to sign it electronically.")]
        if not _same_name(typed_name, apprenticeship.apprentice.full_name or apprenticeship.apprentice.display_name):
            errors["typed_name"] = [
                _("Type your name as the portal has it: %(name)s.") % {"name": apprenticeship.apprentice.display_name}
            ]
        if errors:
            raise ValidationError(errors)
        review.status = ReviewStatus.ACKNOWLEDGED
        review.acknowledged_at = timezone.now()
        review.acknowledged_name = " ".join(typed_name.split())
        review.acknowledged_consent = True
        review.acknowledged_ip = ip or None
        review.acknowledged_user_agent = user_agent[:500]
        review.apprentice_comment = comment.strip()
        content = review_pdf(review)
        review.document = document_file(
            apprenticeship=apprenticeship,
            kind=DocumentKind.REVIEW,
            title=_("Progress review, %(due)s") % {"due": long_date(review.due_on)},
            content=content,
            filename=f"progress-review-{review.due_on:%Y-%m-%d}.pdf",
            content_type="application/pdf",
            by=None,
            reason="progress review acknowledged",
        )
        with_reason(review, "review acknowledged", user=by).save()
    return review


# --- the wage-step gate -------------------------------------------------------------------------


def wage_step_review_missing(milestones: list[Milestone]) -> set:
    """The ids of those of `milestones` (definition, program and apprenticeship loaded) whose
    approval waits for a signed review and has none: a wage step of a program with
    `wage_step_needs_review`, without a review of the apprenticeship acknowledged since the
    milestone was reached. One query for all of them (none when none is gated)."""
    gated = [
        milestone
        for milestone in milestones
        if milestone.definition.kind == MilestoneKind.WAGE_STEP
        and milestone.apprenticeship.program.wage_step_needs_review
    ]
    if not gated:
        return set()
    acknowledged: dict = {}
    for apprenticeship_id, at in ProgressReview.objects.filter(
        apprenticeship_id__in={m.apprenticeship_id for m in gated}, status=ReviewStatus.ACKNOWLEDGED
    ).values_list("apprenticeship_id", "acknowledged_at"):
        acknowledged.setdefault(apprenticeship_id, []).append(at)
    return {
        milestone.pk
        for milestone in gated
        if not any(at >= milestone.reached_at for at in acknowledged.get(milestone.apprenticeship_id, []))
    }


def wage_step_review_error() -> ValidationError:
    return ValidationError(
        {
            "review": [
                _(
                    "This program approves a wage step only after a progress review that the apprentice "
                    "acknowledged on or after the day the wage step was reached."
                )
            ]
        }
    )


__all__ = [
    "ReviewReason",
    "may_write_review",
    "review_acknowledge",
    "review_create",
    "review_submit",
    "review_update",
    "wage_step_review_error",
    "wage_step_review_missing",
]
