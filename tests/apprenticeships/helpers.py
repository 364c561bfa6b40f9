"""A registration as a RAPS admin posts it: the agreement's fields plus the apprentice's RAPIDS
registration data (dates as ISO strings), with an SSN."""

import datetime

from tests.factories import registration_data

APPRENTICESHIPS = "/api/v1/apprenticeships/"
SSN = "123-45-6789"
SSN_DIGITS = "123456789"
NEW_APPRENTICE_EMAIL = "new.apprentice@example.org"


def registration_body(program, employer, *, registration: dict | None = None, **fields) -> dict:
    data = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in registration_data(ssn=SSN).items()
    }
    return {
        "apprentice_email": NEW_APPRENTICE_EMAIL,
        "program": str(program.id),
        "employer": str(employer.id),
        "start_date": "2025-06-02",
        "expected_end_date": "2027-05-28",
        "entry_wage": "22.00",
        "registration": {**data, **(registration or {})},
        **fields,
    }


def url(apprenticeship, action: str = "") -> str:
    return f"{APPRENTICESHIPS}{apprenticeship.id}/{action + '/' if action else ''}"
