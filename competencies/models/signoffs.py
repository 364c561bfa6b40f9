"""Competency sign-offs: employer staff attest a skill."""

from django.conf import settings
from django.db import models

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class CompetencySignOff(TimestampedModel):
    """Employer staff attest that the apprentice masters a competency. One per apprenticeship
    and competency: signing off again updates it, and history keeps the earlier sign-offs."""

    class Rating(models.TextChoices):
        PROFICIENT = "proficient", "Proficient"
        ADVANCED = "advanced", "Advanced"
        EXPERT = "expert", "Expert"

    apprenticeship = models.ForeignKey(
        "apprenticeships.Apprenticeship", on_delete=models.PROTECT, related_name="competency_signoffs"
    )
    competency = models.ForeignKey("apprenticeships.Competency", on_delete=models.PROTECT, related_name="signoffs")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField()
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField(blank=True, help_text="A note on how the skill was shown.")
    evidence_url = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_off_at"]
        constraints = [
            models.UniqueConstraint(fields=["apprenticeship", "competency"], name="signoff_one_per_competency"),
        ]

    def __str__(self):
        return f"{self.competency} signed off"
