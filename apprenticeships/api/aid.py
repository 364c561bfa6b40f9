"""The Worker Equity Fund's endpoints: the sponsor's funds, aid requests and their decisions,
and the aid report."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.history import HistoryMixin
from portal.errors import Forbidden
from portal.tenancy import Scope, TenantAPIView, TenantViewSet, scoped_or_400
from sponsors import funds_services
from sponsors.funds_selectors import fund_list, with_figures
from sponsors.models import Fund

from .. import services
from ..selectors import aid as aid_selectors
from ..selectors import apprenticeships_in_scope
from .serializers.aid import (
    AidApproveSerializer,
    AidDenySerializer,
    AidLimitSerializer,
    AidPaySerializer,
    AidReportSerializer,
    AidRequestCreateSerializer,
    AidRequestSerializer,
    AidWithdrawSerializer,
    FundCreateSerializer,
    FundSerializer,
    FundUpdateSerializer,
)


class FundViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The funds of the sponsors the caller administers (RAPS admins only; nobody else sees one),
    each with what it has committed, disbursed and has left. Never deleted."""

    serializer_class = FundSerializer
    filterset_fields = ["sponsor", "source"]
    ordering_fields = ["period_start", "name", "amount"]
    ordering = ["-period_start", "name"]

    def scoped_queryset(self, scope: Scope):
        return fund_list(scope=scope)

    def _answer(self, fund: Fund, code: int = status.HTTP_200_OK) -> Response:
        return Response(FundSerializer(with_figures(Fund.objects.filter(pk=fund.pk)).get()).data, status=code)

    @extend_schema(request=FundCreateSerializer, responses={201: FundSerializer})
    def create(self, request):
        """Record a fund of the caller's sponsor (RAPS administrators; `sponsor` names it when they administer several)."""
        funds_services.check_may_manage_funds(scope=self.scope)
        data = FundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fund = funds_services.fund_create(
            scope=self.scope,
            created_by=self.acting_user,
            sponsor_id=fields.pop("sponsor", None),
            reason=fields.pop("reason", None),
            **fields,
        )
        return self._answer(fund, status.HTTP_201_CREATED)

    @extend_schema(request=FundUpdateSerializer, responses=FundSerializer)
    def partial_update(self, request, pk=None):
        """Correct a fund, with a `reason` (kept in its history); its amount never drops below what it has committed and disbursed."""
        fund = self.get_object()
        data = FundUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "reason" not in fields:
            return Response({"reason": [_("Say why the fund is corrected.")]}, status=status.HTTP_400_BAD_REQUEST)
        reason = fields.pop("reason")
        fund = funds_services.fund_update(
            scope=self.scope, fund=fund, changed_by=self.acting_user, data=fields, reason=reason
        )
        return self._answer(fund)


def _limit_exceeded(error: services.AidLimitExceeded) -> Response:
    return Response(
        {
            "detail": error.message,
            "amount": [error.message],
            "limit": error.limit,
            "remaining": f"{error.remaining:.2f}",
        },
        status=status.HTTP_409_CONFLICT,
    )


class AidRequestViewSet(HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Aid requests on the apprenticeships the caller reads: the apprentice's own, employer
    staff's employer's, the sponsor's for RAPS admins."""

    serializer_class = AidRequestSerializer
    filterset_fields = ["status", "apprenticeship", "fund", "barrier_category"]
    ordering_fields = ["created_at", "decided_at", "paid_on", "amount_requested"]
    ordering = ["-created_at"]

    def scoped_queryset(self, scope: Scope):
        return aid_selectors.aid_request_list(scope=scope)

    def _answer(self, aid, code: int = status.HTTP_200_OK) -> Response:
        return Response(AidRequestSerializer(self.scoped_queryset(self.scope).get(pk=aid.pk)).data, status=code)

    @extend_schema(request=AidRequestCreateSerializer, responses={201: AidRequestSerializer})
    def create(self, request):
        """Ask for emergency aid on an apprenticeship: the apprentice for their own, or employer staff or a RAPS administrator on their behalf."""
        data = AidRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        apprenticeship = scoped_or_400(
            apprenticeships_in_scope(scope=self.scope), fields.pop("apprenticeship"), "apprenticeship"
        )
        aid = services.aid_request_create(
            scope=self.scope,
            apprenticeship=apprenticeship,
            requested_by=self.acting_user,
            fund_id=fields.pop("fund", None),
            document_ids=fields.pop("documents"),
            **fields,
        )
        return self._answer(aid, status.HTTP_201_CREATED)

    @extend_schema(request=AidApproveSerializer, responses={200: AidRequestSerializer, 409: AidLimitSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve an amount (at most the requested) from a fund of the sponsor (RAPS administrators). 409 when the participant's cap or the fund has less left, naming `amount` and what `remaining` is; 409 for a request already decided."""
        aid = self.get_object()
        data = AidApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            aid = services.aid_request_approve(
                scope=self.scope,
                aid=aid,
                decided_by=self.acting_user,
                amount=data.validated_data["amount"],
                fund_id=data.validated_data.get("fund"),
                reason=data.validated_data["reason"],
            )
        except services.AidLimitExceeded as error:
            return _limit_exceeded(error)
        return self._answer(aid)

    @extend_schema(request=AidDenySerializer, responses=AidRequestSerializer)
    @action(detail=True, methods=["post"])
    def deny(self, request, pk=None):
        """Deny a request with a reason (RAPS administrators); 409 once decided."""
        aid = self.get_object()
        data = AidDenySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        aid = services.aid_request_deny(
            scope=self.scope, aid=aid, decided_by=self.acting_user, reason=data.validated_data["reason"]
        )
        return self._answer(aid)

    @extend_schema(request=AidPaySerializer, responses=AidRequestSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record the payment of an approved request (RAPS administrators); 409 unless approved."""
        aid = self.get_object()
        data = AidPaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        aid = services.aid_request_pay(
            scope=self.scope,
            aid=aid,
            paid_by=self.acting_user,
            paid_on=data.validated_data["paid_on"],
            method=data.validated_data["method"],
            reference=data.validated_data["reference"],
        )
        return self._answer(aid)

    @extend_schema(request=AidWithdrawSerializer, responses=AidRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take back a request not yet decided (who asked, or the apprentice); 409 once decided."""
        aid = self.get_object()
        data = AidWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        aid = services.aid_request_withdraw(
            scope=self.scope, aid=aid, withdrawn_by=self.acting_user, reason=data.validated_data["reason"]
        )
        return self._answer(aid)


class AidReportView(TenantAPIView):
    """RAPS admins: the aid of each sponsor they administer. Apprentices: their own requests and
    what remains of their cap. Anyone else: 403."""

    serializer_class = AidReportSerializer

    def scoped_queryset(self, scope: Scope):
        return Fund.objects.none()  # a report, not a list of records

    def get(self, request):
        """Disbursed and committed by fund, barrier category and month, participants served and the median paid (RAPS administrators); the apprentice's own requests with `cap`, `used` and `remaining`."""
        scope = self.scope
        own = scope.apprenticeship_ids and aid_selectors.own_aid_report(user_id=self.acting_user.pk)
        if not scope.admin_sponsor_ids and not own:
            raise Forbidden(_("Only RAPS administrators and apprentices read the aid report."))
        report = {
            "sponsors": [
                aid_selectors.sponsor_aid_report(sponsor_id=sponsor_id)
                for sponsor_id in sorted(scope.admin_sponsor_ids)
            ],
            "own": own or None,
        }
        return Response(AidReportSerializer(report).data)
