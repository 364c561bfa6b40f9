"""Progress reviews: apprenticeships/{id}/reviews/ (what is due, the reviews written; a new
draft) and reviews/{id}/ (read, edit a draft, submit, acknowledge). Scoped like the
apprenticeship: a review outside the caller's scope is a 404."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apprenticeships.models import WorkProcess
from apprenticeships.selectors import apprenticeships_in_scope
from portal.middleware import client_address
from portal.tenancy import Scope, TenantAPIView, TenantViewSet, scoped_or_400

from .. import reviews as reads
from ..models import Milestone
from ..services import reviews as services
from .serializers import (
    ApprenticeshipReviewsSerializer,
    ProgressReviewSerializer,
    ReviewAcknowledgeSerializer,
    ReviewCreateSerializer,
    ReviewUpdateSerializer,
)


def _ratings(program_id, items):
    """The ratings of a body with their work processes, looked up in the program (400 naming
    `ratings` for one that is not in it)."""
    if items is None:
        return None
    found = {
        wp.pk: wp for wp in WorkProcess.objects.filter(program_id=program_id, pk__in=[i["work_process"] for i in items])
    }
    missing = [str(item["work_process"]) for item in items if item["work_process"] not in found]
    if missing:
        raise ValidationError(
            {
                "ratings": [
                    _("Not a work process of the apprenticeship's program: %(ids)s.") % {"ids": ", ".join(missing)}
                ]
            }
        )
    return [{**item, "work_process": found[item["work_process"]]} for item in items]


def _answer(scope: Scope, review) -> dict:
    return ProgressReviewSerializer(reads.review_detail_queryset(scope=scope).get(pk=review.pk)).data


class ApprenticeshipReviewsView(TenantAPIView):
    """The progress reviews of one apprenticeship."""

    serializer_class = ApprenticeshipReviewsSerializer

    def scoped_queryset(self, scope: Scope):
        return apprenticeships_in_scope(scope=scope).select_related("program")

    def get(self, request, pk=None):
        """The reviews the apprenticeship owes so far (and within 30 days), each with whether it is overdue and the review written for it, and every review written, oldest first."""
        apprenticeship = self.get_object()
        today = timezone.localdate()
        due = reads.due_reviews_of(apprenticeship, until=today + timedelta(days=reads.REVIEW_EARLY_DAYS))
        reviews = reads.review_detail_queryset(scope=self.scope).filter(apprenticeship=apprenticeship)
        return Response(
            ApprenticeshipReviewsSerializer(
                {
                    "due": [
                        {
                            "reason": item.reason,
                            "period": item.period,
                            "milestone": item.milestone.pk if item.milestone else None,
                            "due_on": item.due_on,
                            "overdue": item.overdue(today),
                            "review": item.review.pk if item.review else None,
                            "status": item.review.status if item.review else None,
                        }
                        for item in due
                    ],
                    "reviews": list(reviews),
                }
            ).data
        )

    @extend_schema(request=ReviewCreateSerializer, responses={201: ProgressReviewSerializer})
    def post(self, request, pk=None):
        """Start a draft review for a due period (`period`) or a wage step reached (`milestone`): the apprentice's mentor, or with no mentor the employer's staff."""
        apprenticeship = self.get_object()
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        milestone = scoped_or_400(
            Milestone.objects.filter(apprenticeship=apprenticeship), fields.pop("milestone", None), "milestone"
        )
        ratings = _ratings(apprenticeship.program_id, fields.pop("ratings", None)) or []
        with transaction.atomic():
            review = services.review_create(
                scope=self.scope,
                apprenticeship=apprenticeship,
                written_by=self.acting_user,
                milestone=milestone,
                ratings=ratings,
                **fields,
            )
            answer = _answer(self.scope, review)
        return Response(answer, status=status.HTTP_201_CREATED)


class ProgressReviewViewSet(mixins.RetrieveModelMixin, TenantViewSet):
    """One progress review: read it, edit the draft, submit it, acknowledge it."""

    serializer_class = ProgressReviewSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope):
        return reads.review_detail_queryset(scope=scope)

    @extend_schema(request=ReviewUpdateSerializer, responses={200: ProgressReviewSerializer})
    def partial_update(self, request, pk=None):
        """Change a draft review's comments, goals or ratings (its writer). A submitted or acknowledged review is not changed (409)."""
        review = self.get_object()
        data = ReviewUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        ratings = _ratings(review.apprenticeship.program_id, fields.pop("ratings", None))
        with transaction.atomic():
            review = services.review_update(
                scope=self.scope, review=review, changed_by=self.acting_user, ratings=ratings, **fields
            )
            answer = _answer(self.scope, review)
        return Response(answer)

    @extend_schema(request=None, responses={200: ProgressReviewSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft review for the apprentice to sign (its writer): every work process rated."""
        review = self.get_object()
        with transaction.atomic():
            review = services.review_submit(scope=self.scope, review=review, submitted_by=self.acting_user)
            answer = _answer(self.scope, review)
        return Response(answer)

    @extend_schema(request=ReviewAcknowledgeSerializer, responses={200: ProgressReviewSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge a submitted review (the apprentice only): their name typed as the portal has it, and `consent: true`. The review is final from then on; its PDF is filed in the apprenticeship's documents."""
        review = self.get_object()
        data = ReviewAcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            review = services.review_acknowledge(
                review=review,
                by=self.acting_user,
                ip=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                **data.validated_data,
            )
            answer = _answer(self.scope, review)
        return Response(answer)
