"""The apprenticeship agreement as signed online: its versions (each the exact PDF generated
from the record, kept) and the three signatures each version needs (the apprentice, an
administrator of the employer, a RAPS administrator of the sponsor)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from .agreements import Apprenticeship
from .documents import Document


class SignerRole(models.TextChoices):
    APPRENTICE = "apprentice", _("Apprentice")
    EMPLOYER = "employer", _("Employer")
    SPONSOR = "sponsor", _("Sponsor")


class VersionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for signatures")
    SIGNED = "signed", _("Signed by all three")
    VOID = "void", _("Replaced before every signature was given")
    SUPERSEDED = "superseded", _("Signed, then replaced by an amended version")


def version_path(version: "AgreementVersion", filename: str) -> str:
    return f"agreements/{version.apprenticeship_id}/{version.id}.pdf"


class AgreementVersion(TimestampedModel):
    """One version of an apprenticeship's agreement: the PDF made from the record at that time.

    A change to anything the PDF shows makes a new version; the old one stays, with its file and
    its signatures (void, or superseded if it had been signed by all three)."""

    apprenticeship = models.ForeignKey(Apprenticeship, on_delete=models.PROTECT, related_name="agreement_versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_path, max_length=300)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the PDF's exact bytes: what a signer signs.")
    content_digest = models.CharField(
        max_length=64, help_text="SHA-256 of what the PDF shows (the record's fields): how a change is noticed."
    )
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.OPEN)
    status_reason = models.TextField(blank=True)
    signed_document = models.OneToOneField(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_version",
        help_text="The fully signed PDF, filed in the vault once the three have signed.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["apprenticeship", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["apprenticeship", "number"], name="agreement_version_number_unique"),
            # One version is the current one (open or signed); the others are history.
            models.UniqueConstraint(
                fields=["apprenticeship"],
                condition=Q(status__in=["open", "signed"]),
                name="agreement_version_one_current",
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="agreement_version_sha256_hex"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "signed"]) | ~Q(status_reason=""),
                name="agreement_version_replaced_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["signed", "superseded"]) | Q(signed_document__isnull=True),
                name="agreement_version_signed_document_only_when_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of {self.apprenticeship_id}"


class AgreementSignature(TimestampedModel):
    """A signature of one version, in one role: who, the name they typed, the consent they gave
    (its exact text), when, from where, and the SHA-256 of the PDF they were shown."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20, choices=SignerRole.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=150)
    consent_text = models.TextField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="agreement_signature_one_per_role"),
            models.CheckConstraint(condition=~Q(typed_name=""), name="agreement_signature_typed_name"),
            models.CheckConstraint(condition=~Q(consent_text=""), name="agreement_signature_consent_text"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="agreement_signature_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.typed_name}"
