"""A sponsor's priority populations: the groups its funders ask it to reach (a neighbourhood's ZIP
codes, new hires, veterans...), each one criterion over the apprentice's registration data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords
from portal.models import TimestampedModel

from .. import rapids


class PopulationCriterion(models.TextChoices):
    ZIP_CODE_IN = "zip_code_in", _("ZIP code is one of")
    EMPLOYMENT_STATUS_IN = "employment_status_in", _("Employment status is one of")
    EDUCATION_LEVEL_IN = "education_level_in", _("Education level is one of")
    GENDER_IN = "gender_in", _("Sex is one of")
    ETHNICITY_IN = "ethnicity_in", _("Ethnicity is one of")
    VETERAN = "veteran", _("Veteran")
    DISABILITY = "disability", _("Has a disability")


# Each criterion: the registration field it reads, and the codes its `values` may hold (None: any
# five-digit ZIP code; an empty tuple: the criterion takes no values).
_VALUE_CODES: dict[str, tuple[str, tuple | None]] = {
    PopulationCriterion.ZIP_CODE_IN: ("zip_code", None),
    PopulationCriterion.EMPLOYMENT_STATUS_IN: ("employment_status", tuple(rapids.EmploymentStatus.values)),
    PopulationCriterion.EDUCATION_LEVEL_IN: ("education_level", tuple(rapids.EducationLevel.values)),
    PopulationCriterion.GENDER_IN: ("gender", tuple(rapids.Gender.values)),
    PopulationCriterion.ETHNICITY_IN: ("ethnicity", tuple(rapids.Ethnicity.values)),
    PopulationCriterion.VETERAN: ("veteran_status", ()),
    PopulationCriterion.DISABILITY: ("disability_status", ()),
}
# RAPIDS veteran codes that are veterans (1 veteran, 4 veteran and eligible).
VETERAN_CODES = (rapids.VeteranStatus.VETERAN, rapids.VeteranStatus.VETERAN_ELIGIBLE)


def criterion_values_errors(criterion: str, values: object) -> list[str]:
    """What is wrong with `values` for `criterion` (empty when nothing is)."""
    field, codes = _VALUE_CODES[criterion]
    if not isinstance(values, list):
        return [str(_("A list of values."))]
    if codes == ():
        return [] if not values else [str(_("This criterion takes no values."))]
    if not values:
        return [str(_("Give at least one value."))]
    if codes is None:
        wrong = [value for value in values if not (isinstance(value, str) and len(value) == 5 and value.isdigit())]
        if wrong:
            return [str(_("Not a five-digit ZIP code: %(values)s.")) % {"values": ", ".join(map(str, wrong))}]
        return []
    wrong = [value for value in values if value not in codes or isinstance(value, bool)]
    if wrong:
        return [
            str(_("Not a code of this criterion: %(values)s (codes: %(codes)s)."))
            % {"values": ", ".join(map(str, wrong)), "codes": ", ".join(map(str, codes))}
        ]
    return []


class PriorityPopulation(TimestampedModel):
    """A group the sponsor means to reach, by one criterion over the registration data. Never
    deleted: one that no longer applies is made inactive, and its history stays."""

    sponsor = models.ForeignKey("sponsors.Sponsor", on_delete=models.PROTECT, related_name="priority_populations")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    criterion = models.CharField(max_length=30, choices=PopulationCriterion.choices)
    # The criterion's codes (ZIP codes, RAPIDS codes): a list, empty for veteran and disability.
    values = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__in=PopulationCriterion.values), name="priority_population_criterion_known"
            ),
            # The summary names each active population: no two of a sponsor share a name.
            models.UniqueConstraint(
                fields=["sponsor", "name"], condition=Q(active=True), name="priority_population_active_name_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.criterion in _VALUE_CODES:
            errors = criterion_values_errors(self.criterion, self.values)
            if errors:
                raise ValidationError({"values": errors})

    def registration_filter(self, prefix: str = "registration__") -> Q:
        """The apprenticeships (or, with prefix "", the registrations) this population holds."""
        field, _codes = _VALUE_CODES[self.criterion]
        if self.criterion == PopulationCriterion.VETERAN:
            return Q(**{f"{prefix}{field}__in": VETERAN_CODES})
        if self.criterion == PopulationCriterion.DISABILITY:
            return Q(**{f"{prefix}{field}": rapids.DisabilityStatus.HAS_DISABILITY})
        return Q(**{f"{prefix}{field}__in": list(self.values)})
