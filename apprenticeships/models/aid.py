"""Emergency aid to a participant (the Worker Equity Fund): a request on an apprenticeship, paid
from one of the sponsor's funds, so that a barrier does not end the training.

A request moves requested -> approved -> paid, or requested -> denied, or requested -> withdrawn
(AID_TRANSITIONS). The amounts that count against a fund and against a participant's cap are the
approved ones of approved (committed) and paid (disbursed) requests.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel
from sponsors.models import Fund

from .agreements import Apprenticeship
from .documents import Document


class BarrierCategory(models.TextChoices):
    TRANSPORTATION = "transportation", _("Transportation")
    CHILDCARE = "childcare", _("Childcare")
    HOUSING = "housing", _("Housing")
    UTILITIES = "utilities", _("Utilities")
    TOOLS_OR_EQUIPMENT = "tools_or_equipment", _("Tools or equipment")
    TECHNOLOGY = "technology", _("Technology")
    OTHER = "other", _("Other")


class AidStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PaymentMethod(models.TextChoices):
    CHECK = "check", _("Check")
    DIRECT_DEPOSIT = "direct_deposit", _("Direct deposit")
    CARD = "card", _("Prepaid card")
    VOUCHER = "voucher", _("Voucher")
    VENDOR_PAYMENT = "vendor_payment", _("Paid to the vendor")


AID_TRANSITIONS: dict[str, set[str]] = {
    AidStatus.REQUESTED: {AidStatus.APPROVED, AidStatus.DENIED, AidStatus.WITHDRAWN},
    AidStatus.APPROVED: {AidStatus.PAID},
    AidStatus.DENIED: set(),
    AidStatus.PAID: set(),
    AidStatus.WITHDRAWN: set(),
}
# What a fund and a participant's cap count: committed (approved) and disbursed (paid).
COUNTING_STATUSES = (AidStatus.APPROVED, AidStatus.PAID)


class AidRequest(TimestampedModel):
    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="aid_requests")
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_requests",
        help_text=_("Optional when requested; the approval names it."),
    )
    amount_requested = models.DecimalField(max_digits=8, decimal_places=2)
    barrier_category = models.CharField(max_length=30, choices=BarrierCategory.choices)
    description = models.TextField()
    note = models.TextField(blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="aid_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AidStatus.choices, default=AidStatus.REQUESTED)
    amount_approved = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, help_text=_("Why approved (for how much) or denied."))
    paid_on = models.DateField(null=True, blank=True)
    payment_method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            # The list of a sponsor's requests waiting for a decision, and a participant's cap.
            models.Index(fields=["status", "-created_at"], name="aid_request_by_status"),
            models.Index(fields=["fund", "status"], name="aid_request_fund_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="aid_request_amount_positive"),
            # An approval grants at most what was asked, and something.
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True)
                | (Q(amount_approved__gt=0) & Q(amount_approved__lte=F("amount_requested"))),
                name="aid_request_approved_within_requested",
            ),
            # Approved and paid requests carry the amount, the fund and who decided; only they do.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["approved", "paid"])
                    & Q(amount_approved__isnull=False, fund__isnull=False, decided_at__isnull=False)
                )
                | (~Q(status__in=["approved", "paid"]) & Q(amount_approved__isnull=True)),
                name="aid_request_counting_has_amount_and_fund",
            ),
            # A paid request says when, how and by what reference; only it does.
            models.CheckConstraint(
                condition=(Q(status="paid") & Q(paid_on__isnull=False) & ~Q(payment_method=""))
                | (~Q(status="paid") & Q(paid_on__isnull=True)),
                name="aid_request_paid_has_payment",
            ),
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(decision_reason=""), name="aid_request_denied_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_barrier_category_display()} aid, {self.amount_requested}"

    @property
    def document_ids(self) -> list:
        """The ids of its supporting documents (from the list's prefetch, where it made one)."""
        return [document.pk for document in self.documents.all()]
