"""Progress reviews: the mentor's periodic (or wage-step) review of the apprentice's progress,
rated work process by work process, and signed by the apprentice.

A review moves draft → submitted (the mentor, or the employer's staff where the apprenticeship
has no mentor) → acknowledged (the apprentice types their name and consents). An acknowledged
review is final: nothing of it changes, and its PDF is filed in the apprenticeship's vault.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apprenticeships.models import Apprenticeship, Document, WorkProcess
from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from .milestones import Milestone


class ReviewReason(models.TextChoices):
    PERIODIC = "periodic", _("Periodic review")
    WAGE_STEP = "wage_step", _("Wage-step review")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


# The rating of a work process in a review. Not the sign-offs' scale (proficient / advanced /
# expert, CompetencySignOff.Rating): a sign-off attests a skill already mastered, while a review
# rates progress, including progress still short of proficiency; so the usual five points.
RATING_MIN, RATING_MAX = 1, 5


class Rating(models.IntegerChoices):
    UNSATISFACTORY = 1, _("Unsatisfactory")
    NEEDS_IMPROVEMENT = 2, _("Needs improvement")
    MEETS_EXPECTATIONS = 3, _("Meets expectations")
    EXCEEDS_EXPECTATIONS = 4, _("Exceeds expectations")
    OUTSTANDING = 5, _("Outstanding")


class ProgressReview(TimestampedModel):
    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="progress_reviews")
    reason = models.CharField(max_length=20, choices=ReviewReason.choices)
    # Periodic reviews: the k-th (due on the start date + k × the program's interval).
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    # Wage-step reviews: the wage-step milestone reached.
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_reviews"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comments = models.TextField(blank=True)
    goals = models.TextField(blank=True, help_text="Goals until the next review.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The apprentice's acknowledgement: what they typed, that they consented, when and from where.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_name = models.CharField(max_length=200, blank=True)
    acknowledged_consent = models.BooleanField(default=False)
    acknowledged_ip = models.GenericIPAddressField(null=True, blank=True)
    acknowledged_user_agent = models.CharField(max_length=500, blank=True)
    apprentice_comment = models.TextField(blank=True)
    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_review"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason=ReviewReason.PERIODIC, period__gte=1, milestone__isnull=True)
                | Q(reason=ReviewReason.WAGE_STEP, period__isnull=True, milestone__isnull=False),
                name="review_period_or_milestone_fits_reason",
            ),
            # One review per period, and per wage step reached.
            models.UniqueConstraint(
                fields=["apprenticeship", "period"],
                condition=Q(reason=ReviewReason.PERIODIC),
                name="review_one_per_period",
            ),
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(reason=ReviewReason.WAGE_STEP), name="review_one_per_wage_step"
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="review_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.ACKNOWLEDGED)
                | (
                    Q(acknowledged_at__isnull=False, acknowledged_consent=True, document__isnull=False)
                    & ~Q(acknowledged_name="")
                ),
                name="review_acknowledgement_recorded",
            ),
        ]
        indexes = [models.Index(fields=["apprenticeship", "status"], name="review_by_status")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} of {self.apprenticeship} due {self.due_on}"


class ReviewRating(TimestampedModel):
    """The rating of one work process of the apprenticeship's program in a review."""

    review = models.ForeignKey(ProgressReview, on_delete=models.PROTECT, related_name="ratings")
    work_process = models.ForeignKey(WorkProcess, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["work_process__position", "work_process__title"]
        constraints = [
            models.UniqueConstraint(fields=["review", "work_process"], name="review_rating_one_per_work_process"),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX), name="review_rating_in_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_process}: {self.rating}"
