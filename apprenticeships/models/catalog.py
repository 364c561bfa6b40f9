"""The national catalog of apprenticeable occupations."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel


class TrainingApproach(models.TextChoices):
    TIME_BASED = "time_based", _("Time-based")
    COMPETENCY_BASED = "competency_based", _("Competency-based")
    HYBRID = "hybrid", _("Hybrid")


onet_soc_validator = RegexValidator(r"^\d{2}-\d{4}(\.\d{2})?$", "An O*NET-SOC code is written NN-NNNN or NN-NNNN.NN.")
rapids_code_validator = RegexValidator(
    r"^\d{4}(CB|HY)?$", "A RAPIDS code is four digits, with CB or HY for competency-based or hybrid."
)


class Occupation(TimestampedModel):
    """An apprenticeable occupation of the national catalog. Platform staff keep it."""

    title = models.CharField(max_length=150, unique=True)
    onet_soc_code = models.CharField("O*NET-SOC code", max_length=10, validators=[onet_soc_validator])
    rapids_code = models.CharField(
        "RAPIDS code",
        max_length=6,
        blank=True,
        validators=[rapids_code_validator],
        help_text="Blank where none is known.",
    )
    training_approach = models.CharField(max_length=20, choices=TrainingApproach.choices)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title
