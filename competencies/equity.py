"""The equity report: who the sponsor's apprenticeships reach and how they end, by each
demographic of the registration, counted in the database (one query of conditional counts) and
suppressed where a figure would tell about fewer than `EQUITY_SUPPRESSION_THRESHOLD` people
(competencies/suppression.py). docs/api.md describes it."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from apprenticeships import rapids
from apprenticeships.models import OPEN_STATUSES, Apprenticeship, ApprenticeshipStatus

from .suppression import suppressed_cells

# What each count holds. `registered`: every apprenticeship that started in the period; the
# others split it by where it stands now (`active`: still in the program, i.e. registered,
# active or suspended).
MEASURES: dict[str, Q] = {
    "registered": Q(),
    "active": Q(status__in=sorted(OPEN_STATUSES)),
    "completed": Q(status=ApprenticeshipStatus.COMPLETED),
    "cancelled_in_probation": Q(status=ApprenticeshipStatus.CANCELLED, cancelled_during_probation=True),
    "cancelled_after_probation": Q(status=ApprenticeshipStatus.CANCELLED, cancelled_during_probation=False),
}
STATUS_MEASURES = ["active", "completed", "cancelled_in_probation", "cancelled_after_probation"]
ENDED_MEASURES = ["completed", "cancelled_in_probation", "cancelled_after_probation"]
# Age on the start date: (label, from, to) in whole years, `to` excluded.
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("under_25", 0, 25),
    ("25_34", 25, 35),
    ("35_44", 35, 45),
    ("45_54", 45, 55),
    ("55_and_over", 55, None),
]
AGE_BAND_LABELS = {
    "under_25": _("Under 25"),
    "25_34": _("25 to 34"),
    "35_44": _("35 to 44"),
    "45_54": _("45 to 54"),
    "55_and_over": _("55 and over"),
}
# The group of apprenticeships without registration data, in every breakdown, so that each
# breakdown adds up to the total.
NOT_RECORDED = "not_recorded"
FILTERED, SPONSOR, REST = "filtered", "sponsor", "rest"


@dataclass(frozen=True)
class Group:
    value: str
    label: str
    condition: Q


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    groups: list[Group]


def _coded(name: str, label, field: str, choices) -> Dimension:
    groups = [Group(str(value), str(text), Q(**{f"registration__{field}": value})) for value, text in choices.choices]
    return Dimension(name, str(label), [*groups, _not_recorded()])


def _not_recorded() -> Group:
    return Group(NOT_RECORDED, str(_("Not recorded")), Q(registration__isnull=True))


def dimensions() -> list[Dimension]:
    """The breakdowns, in the report's order (built per call: the labels are in the caller's language)."""
    races = [
        ("race_american_indian_alaskan_native", _("Race: American Indian or Alaska Native")),
        ("race_asian", _("Race: Asian")),
        ("race_black_african_american", _("Race: Black or African American")),
        ("race_native_hawaiian_pacific_islander", _("Race: Native Hawaiian or Other Pacific Islander")),
        ("race_white", _("Race: White")),
    ]
    ages = [
        Group(
            band,
            str(AGE_BAND_LABELS[band]),
            Q(age_at_start__gte=low) & (Q(age_at_start__lt=high) if high is not None else Q()),
        )
        for band, low, high in AGE_BANDS
    ]
    return [
        _coded("ethnicity", _("Ethnicity"), "ethnicity", rapids.Ethnicity),
        *(_coded(field, label, field, rapids.RaceAnswer) for field, label in races),
        _coded("sex", _("Sex"), "gender", rapids.Gender),
        _coded("veteran", _("Veteran status"), "veteran_status", rapids.VeteranStatus),
        _coded("disability", _("Disability"), "disability_status", rapids.DisabilityStatus),
        Dimension("age_band", str(_("Age at start")), [*ages, _not_recorded()]),
        _coded("education_level", _("Education level"), "education_level", rapids.EducationLevel),
    ]


def _with_age_at_start(queryset):
    """Each apprenticeship's age on its start date, in whole years (NULL without a registration),
    computed in the database on PostgreSQL and SQLite alike."""
    born = "registration__date_of_birth"
    return queryset.annotate(
        start_day=ExtractMonth("start_date") * 100 + ExtractDay("start_date"),
        birth_day=ExtractMonth(born) * 100 + ExtractDay(born),
    ).annotate(
        age_at_start=ExtractYear("start_date")
        - ExtractYear(born)
        - Case(When(start_day__lt=F("birth_day"), then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _count(condition: Q) -> Count:
    return Count("id", filter=condition) if condition else Count("id")


def _rate(completed: int, ended: int) -> float | None:
    return round(completed / ended, 3) if ended else None


def equity_report(
    *, sponsor_id, employer_id=None, program_id=None, after: date | None = None, before: date | None = None
) -> dict:
    """The equity table of the sponsor's apprenticeships that started in [after, before], for
    the program and employer named (the `filtered` figures) beside the whole sponsor's."""
    threshold = settings.EQUITY_SUPPRESSION_THRESHOLD
    started = Apprenticeship.objects.filter(program__sponsor_id=sponsor_id)
    if after is not None:
        started = started.filter(start_date__gte=after)
    if before is not None:
        started = started.filter(start_date__lte=before)
    narrowed = Q()
    if program_id is not None:
        narrowed &= Q(program_id=program_id)
    if employer_id is not None:
        narrowed &= Q(employer_id=employer_id)
    breakdowns = dimensions()
    # Every count of the table as one aggregate of the one query: (table, dimension, group,
    # measure), the total's dimension and group None.
    rows: list[tuple[str | None, str | None, Q]] = [(None, None, Q())]
    rows += [(dimension.name, group.value, group.condition) for dimension in breakdowns for group in dimension.groups]
    aggregates: dict[str, Count] = {}
    keys: dict[str, tuple[str, str | None, str | None, str]] = {}
    for table, population in ((FILTERED, narrowed), (SPONSOR, Q())):
        for dimension_name, group_value, condition in rows:
            for measure, status in MEASURES.items():
                alias = f"n{len(aggregates)}"
                aggregates[alias] = _count(population & condition & status)
                keys[alias] = (table, dimension_name, group_value, measure)
    counted = _with_age_at_start(started).aggregate(**aggregates)
    values = {keys[alias]: number for alias, number in counted.items()}
    for table, dimension_name, group_value, measure in list(values):
        if table == SPONSOR:
            values[(REST, dimension_name, group_value, measure)] = (
                values[(SPONSOR, dimension_name, group_value, measure)]
                - values[(FILTERED, dimension_name, group_value, measure)]
            )
    hidden = suppressed_cells(
        values,
        threshold=threshold,
        sums=_sums(breakdowns, rows),
        rows=[
            ((table, name, value, "registered"), [(table, name, value, measure) for measure in STATUS_MEASURES])
            for table in (FILTERED, SPONSOR, REST)
            for name, value, _condition in rows
        ],
        # Between complements of the same count, hide the filtered figure before the sponsor's.
        preference={key: {FILTERED: 0, REST: 1, SPONSOR: 2}[key[0]] for key in values},
    )

    def cells(table: str, name: str | None, value: str | None) -> dict:
        out: dict = {}
        for measure in MEASURES:
            key = (table, name, value, measure)
            out[measure] = {"value": None if key in hidden else values[key], "suppressed": key in hidden}
        ended_keys = [(table, name, value, measure) for measure in ENDED_MEASURES]
        ended = sum(values[key] for key in ended_keys)
        rate_hidden = any(key in hidden for key in ended_keys) or 0 < ended < threshold
        out["completion_rate"] = {
            "value": None if rate_hidden else _rate(values[(table, name, value, "completed")], ended),
            "suppressed": rate_hidden,
        }
        return out

    return {
        "sponsor": sponsor_id,
        "employer": employer_id,
        "program": program_id,
        "after": after,
        "before": before,
        "threshold": threshold,
        "total": {"filtered": cells(FILTERED, None, None), "sponsor": cells(SPONSOR, None, None)},
        "breakdowns": [
            {
                "dimension": dimension.name,
                "label": dimension.label,
                "groups": [
                    {
                        "value": group.value,
                        "label": group.label,
                        "filtered": cells(FILTERED, dimension.name, group.value),
                        "sponsor": cells(SPONSOR, dimension.name, group.value),
                    }
                    for group in dimension.groups
                ],
            }
            for dimension in breakdowns
        ],
    }


def _sums(breakdowns: list[Dimension], rows) -> list:
    """Every sum a reader knows: a row's registered is its statuses' sum; a breakdown's groups add
    up to the total; the sponsor's figure is the filtered one plus the rest."""
    sums = []
    for table in (FILTERED, SPONSOR, REST):
        for name, value, _condition in rows:
            sums.append(((table, name, value, "registered"), [(table, name, value, m) for m in STATUS_MEASURES]))
        for dimension in breakdowns:
            for measure in MEASURES:
                sums.append(
                    (
                        (table, None, None, measure),
                        [(table, dimension.name, group.value, measure) for group in dimension.groups],
                    )
                )
    for name, value, _condition in rows:
        for measure in MEASURES:
            sums.append(
                ((SPONSOR, name, value, measure), [(FILTERED, name, value, measure), (REST, name, value, measure)])
            )
    return sums


CSV_MEASURES = [*MEASURES, "completion_rate"]


def equity_csv_rows(report: dict):
    """The report as CSV rows: the header, the total, then one row per group of each breakdown;
    a suppressed figure is written `suppressed`, a rate of nobody who ended is empty."""

    def figures(cells: dict) -> list:
        return [
            "suppressed"
            if cells[measure]["suppressed"]
            else ("" if cells[measure]["value"] is None else cells[measure]["value"])
            for measure in CSV_MEASURES
        ]

    yield ["dimension", "group", "label", *CSV_MEASURES, *(f"sponsor_{measure}" for measure in CSV_MEASURES)]
    total = report["total"]
    yield ["total", "", str(_("All apprentices")), *figures(total["filtered"]), *figures(total["sponsor"])]
    for breakdown in report["breakdowns"]:
        for group in breakdown["groups"]:
            yield [
                breakdown["dimension"],
                group["value"],
                group["label"],
                *figures(group["filtered"]),
                *figures(group["sponsor"]),
            ]
