"""The RAPIDS apprentice bulk-upload file (rapids/tableschema.json), row by row.

Rows are produced from a server-side cursor in chunks, so the file streams at any size without
the server holding it. Code values are stored as RAPIDS codes (apprenticeships/rapids.py) and
written unchanged. The SSN column stays empty: the portal never returns an SSN whole.

The specification is the registration upload: it has no column for an exit (a cancellation's
date, `ended_on`, and its reason code, `exit_reason`), so a cancelled apprenticeship's row is its
registration as any other's. The exits go in a file of their own (`exit_rows`,
`reports/rapids-exits.csv`): one row per completed or cancelled apprenticeship, with its
effective date, its exit reason code and the free text, for the status updates the agency asks for.
"""

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from portal import keyset

from ..models import Apprenticeship

RAPIDS_COLUMNS = [
    "Date Apprenticeship Begins",
    "Apprentice First Name",
    "Apprentice Last Name",
    "Apprentice Middle Name",
    "Apprentice Suffix",
    "Social Security Number",
    "Date of Birth",
    "Gender",
    "Employment Status",
    "Apprentice Street Address",
    "Apprentice City",
    "Apprentice State",
    "Apprentice 5-Digit Zip Code",
    "Telephone",
    "Email",
    "Employer",
    "Ethnicity Hispanic / Latino",
    "Race-American Indian / Alaskan Native",
    "Asian",
    "Black / African American",
    "Native Hawaiian / Other Pacific Islander",
    "White",
    "Veteran Status",
    "Apprentice Disability Status",
    "Apprentice Education Level",
    "Occupation",
    "Related Technical Instruction Provider",
    "Credit for previous experience",
    "Credit for Previous Related Training In Hours",
    "Prior Wages",
    "Prior Wage Units",
    "Entry Wages",
    "Entry Wage Units",
    "Wage Schedule",
    "Previously Completed Career Lattice Levels",
    "Career Connection",
    "WIOA Participant",
    "Type",
    "Career Linkage or Direct Entry",
    "TAA Participant",
    "On-the-Job Training Funding Sources",
    "Student Status",
]


def _date(value: date) -> str:
    return f"{value:%m/%d/%Y}"


def _whole(value: Decimal) -> int:
    # A number, not a text: written as it is (portal.csv), a negative one included.
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _telephone(value: str) -> str:
    """The specification types the telephone as a URI: a tel: URI of its digits (E.164)."""
    number, _, extension = (value or "").lower().partition("x")
    digits, extension = re.sub(r"\D", "", number), re.sub(r"\D", "", extension)
    if len(digits) == 10:
        digits = "1" + digits
    if len(digits) < 11:
        return ""
    return f"tel:+{digits};ext={extension}" if extension else f"tel:+{digits}"


def _flag(value: bool | None) -> str:
    return "" if value is None else str(int(value))


def rapids_row(apprenticeship: Apprenticeship) -> list[str | int]:
    registration = apprenticeship.registration
    program, occupation, employer = apprenticeship.program, apprenticeship.program.occupation, apprenticeship.employer
    return [
        _date(apprenticeship.start_date),
        registration.first_name,
        registration.last_name,
        registration.middle_name,
        registration.suffix,
        "",  # SSN: never exported whole
        _date(registration.date_of_birth),
        registration.gender,
        registration.employment_status,
        registration.street_address,
        registration.city,
        registration.state,
        registration.zip_code,
        _telephone(registration.telephone),
        apprenticeship.apprentice.email,
        employer.ein or str(employer.pk),
        str(registration.ethnicity),
        str(registration.race_american_indian_alaskan_native),
        str(registration.race_asian),
        str(registration.race_black_african_american),
        str(registration.race_native_hawaiian_pacific_islander),
        str(registration.race_white),
        str(registration.veteran_status),
        str(registration.disability_status),
        str(registration.education_level),
        occupation.rapids_code or occupation.onet_soc_code,
        program.rti_provider or program.sponsor.name,
        _whole(apprenticeship.ojt_credit_hours),
        _whole(apprenticeship.rti_credit_hours),
        _whole(registration.prior_wage),
        registration.prior_wage_unit,
        _whole(apprenticeship.entry_wage),
        "H",
        str(program.pk),
        "",
        registration.career_connection,
        _flag(registration.wioa_participant),
        registration.participant_type,
        registration.career_linkage,
        _flag(registration.taa_participant),
        registration.ojt_funding_sources,
        registration.student_status,
    ]


def rapids_rows(apprenticeships: QuerySet[Apprenticeship], *, chunk_size: int = 500) -> Iterator[Sequence[str | int]]:
    """The header, then one row per apprenticeship that has registration data."""
    yield RAPIDS_COLUMNS
    queryset = apprenticeships.filter(registration__isnull=False).select_related(
        "registration", "apprentice", "employer", "program__occupation", "program__sponsor"
    )
    # In batches, each continuing from the last row's key (portal/keyset.py), never by OFFSET.
    for batch in keyset.batches(queryset, ["start_date", "pk"], size=chunk_size):
        for apprenticeship in batch:
            yield rapids_row(apprenticeship)


EXIT_COLUMNS = [
    "RAPIDS Apprentice ID",
    "Apprentice First Name",
    "Apprentice Last Name",
    "Email",
    "Employer",
    "Occupation",
    "Date Apprenticeship Begins",
    "Status",
    "Effective Date",
    "Exit Reason Code",
    "Exit Reason",
    "Reason",
]


def exit_row(apprenticeship: Apprenticeship) -> list[str | int]:
    """A completed or cancelled apprenticeship's exit: the date it took effect, and for a
    cancellation the reason code (`models.ExitReason`), its label and the free text."""
    registration = getattr(apprenticeship, "registration", None)
    ended_on = apprenticeship.ended_on or apprenticeship.status_changed_on
    return [
        apprenticeship.rapids_apprentice_id,
        registration.first_name if registration else "",
        registration.last_name if registration else apprenticeship.apprentice.full_name,
        apprenticeship.apprentice.email,
        apprenticeship.employer.name,
        apprenticeship.program.occupation.rapids_code,
        _date(apprenticeship.start_date),
        apprenticeship.get_status_display(),
        _date(ended_on) if ended_on else "",
        apprenticeship.exit_reason,
        apprenticeship.get_exit_reason_display() if apprenticeship.exit_reason else "",
        apprenticeship.cancellation_reason,
    ]


def exit_rows(apprenticeships: QuerySet[Apprenticeship], *, chunk_size: int = 500) -> Iterator[Sequence[str | int]]:
    """The header, then one row per exit, oldest first."""
    yield EXIT_COLUMNS
    queryset = apprenticeships.select_related("registration", "apprentice", "employer", "program__occupation")
    for batch in keyset.batches(queryset, ["ended_on", "pk"], size=chunk_size):
        for apprenticeship in batch:
            yield exit_row(apprenticeship)
