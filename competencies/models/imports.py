"""A file of hours imported at once: who imported it, when, which file, what it wrote."""

from django.conf import settings
from django.db import models

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class HourImport(TimestampedModel):
    """One CSV import of hour logs (competencies/services/imports.py): its logs name it
    (HourLog.hour_import). The same content is imported once per sponsor: `checksum` is the
    SHA-256 of the file's text with its byte-order mark dropped and its line endings made LF, and
    the database holds it unique per sponsor (hour_import_checksum_once_per_sponsor), so that two
    uploads of one file racing each other write it once."""

    sponsor = models.ForeignKey("sponsors.Sponsor", on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file's normalised text, in hex.")
    rows_written = models.PositiveIntegerField()
    rows_skipped = models.PositiveIntegerField(default=0, help_text="Rows skipped as duplicates (skip_duplicates).")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sponsor", "checksum"], name="hour_import_checksum_once_per_sponsor"),
        ]
        indexes = [
            # hour-imports/ newest first: a RAPS admin's sponsor's, an importer's own.
            models.Index(fields=["sponsor", "-created_at"], name="hour_import_sponsor_recent"),
            models.Index(fields=["imported_by", "-created_at"], name="hour_import_importer_recent"),
        ]

    def __str__(self):
        return f"{self.file_name or 'import'} ({self.rows_written} rows)"
