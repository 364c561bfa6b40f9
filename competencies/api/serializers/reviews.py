"""Progress reviews as the API reads and writes them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import PersonSerializer, person

from ...models import ProgressReview, Rating, ReviewRating, ReviewReason
from ...models.reviews import RATING_MAX, RATING_MIN


class ReviewRatingSerializer(serializers.ModelSerializer):
    work_process_title = serializers.CharField(source="work_process.title", read_only=True)
    rating = serializers.IntegerField(read_only=True, help_text="1 (unsatisfactory) to 5 (outstanding).")
    rating_label = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRating
        fields = ["work_process", "work_process_title", "rating", "rating_label", "comment"]
        read_only_fields = fields

    def get_rating_label(self, rating) -> str:
        return str(Rating(rating.rating).label)


class ProgressReviewSerializer(serializers.ModelSerializer):
    written_by = serializers.SerializerMethodField()
    ratings = ReviewRatingSerializer(many=True, read_only=True)
    milestone_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReview
        fields = [
            "id",
            "apprenticeship",
            "reason",
            "period",
            "milestone",
            "milestone_name",
            "due_on",
            "status",
            "written_by",
            "ratings",
            "comments",
            "goals",
            "submitted_at",
            "acknowledged_at",
            "acknowledged_name",
            "apprentice_comment",
            "document",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer)
    def get_written_by(self, review) -> dict | None:
        return person(review.written_by)

    def get_milestone_name(self, review) -> str | None:
        return review.milestone.definition.name if review.milestone_id else None


class ReviewRatingInputSerializer(serializers.Serializer):
    work_process = serializers.UUIDField()
    rating = serializers.IntegerField(
        min_value=RATING_MIN, max_value=RATING_MAX, help_text="1 (unsatisfactory) to 5 (outstanding)."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReviewUpdateSerializer(serializers.Serializer):
    comments = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    goals = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    ratings = ReviewRatingInputSerializer(
        many=True, required=False, help_text="Work processes rated (again): each takes the rating given."
    )


class ReviewCreateSerializer(ReviewUpdateSerializer):
    period = serializers.IntegerField(
        required=False, min_value=1, help_text="The periodic review's number (due on start + period × interval)."
    )
    milestone = serializers.UUIDField(required=False, help_text="The wage-step milestone the review is for.")


class ReviewAcknowledgeSerializer(serializers.Serializer):
    typed_name = serializers.CharField(max_length=200, help_text="The apprentice's name, as the portal has it.")
    consent = serializers.BooleanField(help_text="Consent to sign electronically: must be true.")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DueReviewSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReason.choices)
    period = serializers.IntegerField(allow_null=True)
    milestone = serializers.UUIDField(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    review = serializers.UUIDField(allow_null=True, help_text="The review written for it, if any.")
    status = serializers.CharField(allow_null=True, help_text="That review's status.")


class ApprenticeshipReviewsSerializer(serializers.Serializer):
    due = DueReviewSerializer(many=True, help_text="The reviews due so far (and within 30 days), oldest first.")
    reviews = ProgressReviewSerializer(many=True)
