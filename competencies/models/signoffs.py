"""Competency sign-offs: employer staff attest a skill."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class CompetencySignOff(TimestampedModel):
    """Employer staff attest that the apprentice masters a competency. Each sign-off is an
    evaluation of its own and is kept as it was given (an audit reads the earlier ratings and
    their evidence); signing off again adds a row that `supersedes` the current one, which stops
    being current. The current sign-off is the competency's rating."""

    class Rating(models.TextChoices):
        PROFICIENT = "proficient", _("Proficient")
        ADVANCED = "advanced", _("Advanced")
        EXPERT = "expert", _("Expert")

    apprenticeship = models.ForeignKey(
        "apprenticeships.Apprenticeship", on_delete=models.PROTECT, related_name="competency_signoffs"
    )
    competency = models.ForeignKey("apprenticeships.Competency", on_delete=models.PROTECT, related_name="signoffs")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField()
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField(blank=True, help_text="A note on how the skill was shown.")
    evidence_url = models.URLField(blank=True)
    # Stored rather than derived from the newest `signed_off_at`, so that "current" never
    # depends on two timestamps differing, and one current sign-off is a database constraint.
    is_current = models.BooleanField(default=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_off_at"]
        constraints = [
            # The latest is the current rating: one current sign-off per apprenticeship and
            # competency. Its partial index is also how the current one is found.
            models.UniqueConstraint(
                fields=["apprenticeship", "competency"],
                condition=models.Q(is_current=True),
                name="signoff_one_current_per_competency",
            ),
        ]

    def __str__(self):
        return f"{self.competency} signed off"
