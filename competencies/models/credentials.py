"""Interim credentials: a certificate for each work process an apprentice completed."""

from django.conf import settings
from django.db import models

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class InterimCredential(TimestampedModel):
    """The apprentice completed a work process (every competency of it signed off and its target
    hours approved): the portal issued a certificate, filed in the vault as a verifiable
    document of kind `credential`. Issued once per apprenticeship and work process; a newer
    rendering of the certificate supersedes the document and `document` follows it."""

    apprenticeship = models.ForeignKey(
        "apprenticeships.Apprenticeship", on_delete=models.PROTECT, related_name="interim_credentials"
    )
    work_process = models.ForeignKey("apprenticeships.WorkProcess", on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField("apprenticeships.Document", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The RAPS admin who asked for it; empty when the portal issued it on its own.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_on", "work_process__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["apprenticeship", "work_process"], name="interim_credential_once_per_work_process"
            ),
        ]

    def __str__(self):
        return f"credential: {self.work_process_id} of {self.apprenticeship_id}"
