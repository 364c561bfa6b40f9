"""Funds, aid requests and the aid report as the API reads and writes them."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import DateField, DecimalField
from portal.api.serializers import ModelSerializer, NamedRefSerializer, PersonWithEmailSerializer, apprentice_ref
from portal.tenancy import REASON_MAX_LENGTH
from sponsors.models import Fund

from ...models import AidRequest, BarrierCategory, PaymentMethod


def money(**kwargs: Any) -> DecimalField:
    """An amount of money, as every figure here is written."""
    return DecimalField(max_digits=12, decimal_places=2, **kwargs)


class FundSerializer(ModelSerializer):
    committed = money(read_only=True, help_text="Approved, not yet paid.")
    disbursed = money(read_only=True, help_text="Paid.")
    remaining = money(read_only=True, help_text="amount - committed - disbursed.")

    class Meta:
        model = Fund
        fields = [
            "id",
            "sponsor",
            "name",
            "source",
            "amount",
            "period_start",
            "period_end",
            "committed",
            "disbursed",
            "remaining",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "sponsor", "created_at", "updated_at"]


class FundCreateSerializer(serializers.Serializer):
    """Written out (not a model serializer): the sponsor is the caller's, so the model's
    uniqueness of (sponsor, name) is the service's to check."""

    sponsor = serializers.UUIDField(required=False, help_text="Needed only by admins of several sponsors.")
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=200, help_text="Who granted it, e.g. LA County WDACS.")  # type: ignore[assignment]  # a declared field, not Field.source
    amount = DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), help_text="The total granted.")
    period_start = DateField()
    period_end = DateField()
    reason = serializers.CharField(required=False, max_length=REASON_MAX_LENGTH)


class FundUpdateSerializer(FundCreateSerializer):
    sponsor = None  # type: ignore[assignment]  # a fund stays with its sponsor
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why the fund is corrected: in its history.")


class _FundRefSerializer(NamedRefSerializer):
    pass


class AidRequestSerializer(ModelSerializer):
    apprentice_detail = serializers.SerializerMethodField()
    fund_detail = _FundRefSerializer(source="fund", read_only=True, allow_null=True)
    documents = serializers.ListField(
        child=serializers.UUIDField(), source="document_ids", read_only=True, help_text="Ids of its documents."
    )

    class Meta:
        model = AidRequest
        fields = [
            "id",
            "apprenticeship",
            "apprentice_detail",
            "fund",
            "fund_detail",
            "amount_requested",
            "barrier_category",
            "description",
            "note",
            "documents",
            "requested_by",
            "status",
            "amount_approved",
            "decided_by",
            "decided_at",
            "decision_reason",
            "paid_on",
            "payment_method",
            "payment_reference",
            "paid_by",
            "withdrawn_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonWithEmailSerializer)
    def get_apprentice_detail(self, aid: AidRequest) -> dict:
        return apprentice_ref(aid.apprenticeship.apprentice)


class AidRequestCreateSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    fund = serializers.UUIDField(required=False, allow_null=True, help_text="May wait for the approval.")
    amount_requested = DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
    barrier_category = serializers.ChoiceField(choices=BarrierCategory.choices)
    description = serializers.CharField(max_length=5000)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=50,
        help_text="Ids of documents in the apprenticeship's vault (kind `aid_document`, say) that support it.",
    )


class AidApproveSerializer(serializers.Serializer):
    amount = DecimalField(max_digits=8, decimal_places=2, help_text="At most the amount requested.")
    fund = serializers.UUIDField(required=False, allow_null=True, help_text="Required if the request names none.")
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")


class AidDenySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class AidWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")


class AidPaySerializer(serializers.Serializer):
    paid_on = DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class AidLimitSerializer(serializers.Serializer):
    """The 409 of an approval past a hard limit."""

    detail = serializers.CharField()
    amount = serializers.ListField(child=serializers.CharField())
    limit = serializers.ChoiceField(choices=["fund", "participant_cap"])
    remaining = money()


# --- the aid report ---------------------------------------------------------------------------


class _FundFigures(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.source
    amount = money()
    committed = money()
    disbursed = money()
    remaining = money()


class _CategoryFigures(serializers.Serializer):
    category = serializers.ChoiceField(choices=BarrierCategory.choices)
    requests = serializers.IntegerField()
    committed = money()
    disbursed = money()


class _MonthFigures(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    committed = money(help_text="Approved in the month, not yet paid.")
    disbursed = money(help_text="Paid in the month.")


class SponsorAidSerializer(serializers.Serializer):
    sponsor = serializers.UUIDField()
    committed = money()
    disbursed = money()
    participants_served = serializers.IntegerField(help_text="Participants paid at least once.")
    median_paid = money(allow_null=True, help_text="The median amount of the paid requests.")
    by_fund = _FundFigures(many=True)
    by_category = _CategoryFigures(many=True)
    by_month = _MonthFigures(many=True)


class _OwnRequest(serializers.Serializer):
    id = serializers.UUIDField()
    apprenticeship = serializers.UUIDField(source="apprenticeship_id")
    status = serializers.CharField()
    barrier_category = serializers.CharField()
    amount_requested = DecimalField(max_digits=8, decimal_places=2)
    amount_approved = DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    fund_detail = _FundRefSerializer(source="fund", allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


class OwnAidSerializer(serializers.Serializer):
    cap = money()
    used = money(help_text="Approved and paid, over all the participant's requests.")
    remaining = money()
    requests = _OwnRequest(many=True)


class AidReportSerializer(serializers.Serializer):
    sponsors = SponsorAidSerializer(many=True, help_text="One per sponsor the caller administers; empty otherwise.")
    own = OwnAidSerializer(allow_null=True, help_text="The caller's own requests and cap, if they are an apprentice.")


# --- the sponsor summary's additions ----------------------------------------------------------


class _SourceAmount(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.source
    amount = money()


class InvestmentSerializer(serializers.Serializer):
    total = money(help_text="Every fund recorded for the sponsor.")
    by_source = _SourceAmount(many=True)


class AidFiguresSerializer(serializers.Serializer):
    disbursed = money()
    committed = money()
    participants_served = serializers.IntegerField()


def aid_summary_representation(summary: dict) -> dict:
    """The summary's `investment` and `aid`, as the two serializers above write them."""
    return {
        "investment": InvestmentSerializer(summary["investment"]).data,
        "aid": AidFiguresSerializer(summary["aid"]).data,
    }
