"""The PDF of an acknowledged progress review, as filed in the apprenticeship's vault: who, which
period, the rating of each work process, the mentor's comments and goals, and the apprentice's
acknowledgement (typed name, time, address), the sponsor's name on every page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import pdf
from portal.i18n import long_date

from .models import ProgressReview, Rating, ReviewReason


def review_period(review: ProgressReview) -> str:
    """What the review covers, in words: "Periodic review 2 (due March 06, 2026)"."""
    if review.reason == ReviewReason.PERIODIC:
        return _("Periodic review %(period)s (due %(due)s)") % {
            "period": review.period,
            "due": long_date(review.due_on),
        }
    assert review.milestone is not None
    return _("Wage-step review: %(milestone)s (reached %(due)s)") % {
        "milestone": review.milestone.definition.name,
        "due": long_date(review.due_on),
    }


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%B %d, %Y %H:%M %Z}" if moment else ""


def review_pdf(review: ProgressReview) -> bytes:
    """The PDF of `review` (acknowledged: its acknowledgement is part of it)."""
    apprenticeship = review.apprenticeship
    program = apprenticeship.program
    heading = _("Progress review")
    ratings = list(review.ratings.select_related("work_process"))
    story = [
        pdf.title(heading),
        pdf.text(review_period(review)),
        pdf.space(),
        pdf.fields(
            [
                (_("Apprentice"), apprenticeship.apprentice.display_name),
                (_("Program"), program.title),
                (_("Employer"), apprenticeship.employer.name),
                (_("Start date"), long_date(apprenticeship.start_date)),
                (_("Written by"), review.written_by.display_name),
                (_("Submitted"), _when(review.submitted_at)),
            ]
        ),
        pdf.section(_("Ratings by work process")),
        pdf.table(
            [
                (_("Work process"), _("Rating"), _("Comment")),
                *(
                    (
                        rating.work_process.title,
                        f"{rating.rating} – {Rating(rating.rating).label}",
                        rating.comment,
                    )
                    for rating in ratings
                ),
            ],
            widths=[0.32, 0.26, 0.42],
        ),
        pdf.text(_("Scale: 1 (unsatisfactory) to 5 (outstanding)."), "Small"),
        pdf.section(_("Comments")),
        pdf.text(review.comments or "—"),
        pdf.section(_("Goals until the next review")),
        pdf.text(review.goals or "—"),
        pdf.together(
            pdf.section(_("Acknowledgement by the apprentice")),
            pdf.fields(
                [
                    (_("Typed name"), review.acknowledged_name),
                    (_("Signed"), _when(review.acknowledged_at)),
                    (_("From address"), review.acknowledged_ip or ""),
                    (_("Apprentice's comment"), review.apprentice_comment or "—"),
                ]
            ),
            pdf.text(
                _(
                    "By typing their name the apprentice acknowledged that they have read this review; "
                    "the acknowledgement does not mean that they agree with it."
                ),
                "Small",
            ),
        ),
    ]
    return pdf.render(pdf.Letterhead(sponsor=program.sponsor.name, title=heading), story)
