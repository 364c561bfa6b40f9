"""Reading the CSV file of an hour import (services/imports.py writes it): the columns, the
header, the rows with their line numbers, US dates, and the file's checksum. Nothing here reads
the database: a file is judged as a whole here, its rows one by one by imports.py."""

import csv
import hashlib
import io
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import TooLarge

# The columns of an import, by name, in any order: the first four are required.
IMPORT_COLUMNS = [
    "apprenticeship",
    "date",
    "hours",
    "kind",
    "work_process",
    "course",
    "instruction_provider",
    "description",
]
REQUIRED_COLUMNS = IMPORT_COLUMNS[:4]
_EXTRA_VALUES = "__extra__"
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
DATE_FORMATS = gettext_lazy("Enter the date as YYYY-MM-DD or MM/DD/YYYY.")


def file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def file_checksum(text: str) -> str:
    """SHA-256 (hex) of the file's text, without a byte-order mark and with its line endings
    made LF: the same file saved on Windows or elsewhere is the same file."""
    normalised = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        found = ",".join(header) or "none"
        raise file_error(
            _(
                "The header names the columns %(required)s and any of %(optional)s, each once, in any order; "
                "this file has %(found)s."
            )
            % {
                "required": ",".join(REQUIRED_COLUMNS),
                "optional": ",".join(IMPORT_COLUMNS[len(REQUIRED_COLUMNS) :]),
                "found": found,
            }
        )


def read_rows(text: str) -> tuple[list[dict], list[int], dict[int, dict]]:
    """The file's rows as dicts of stripped values (a column the header leaves out is blank),
    each row's line number, and the errors of rows whose shape is wrong before any field is
    read ({position: errors})."""
    reader = csv.DictReader(io.StringIO(text), restkey=_EXTRA_VALUES)
    rows: list[dict] = []
    lines: list[int] = []
    shape_errors: dict[int, dict] = {}
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        _check_header(header)
        reader.fieldnames = header
        for row in reader:
            extra = row.pop(_EXTRA_VALUES, None)
            if not extra and not any((value or "").strip() for value in row.values()):
                continue  # a blank line
            if len(rows) >= settings.HOUR_LOG_IMPORT_MAX_ROWS:
                raise TooLarge(_("At most %(max)s rows per file.") % {"max": settings.HOUR_LOG_IMPORT_MAX_ROWS})
            if extra:
                shape_errors[len(rows)] = {
                    "non_field_errors": [
                        _("This line has %(values)s values, the header %(header)s: quote a value that holds a comma.")
                        % {"values": len(header) + len(extra), "header": len(header)}
                    ]
                }
            rows.append(dict.fromkeys(IMPORT_COLUMNS, "") | {key: (value or "").strip() for key, value in row.items()})
            lines.append(reader.line_num)
    except csv.Error as error:
        raise file_error(_("Line %(line)s: %(error)s.") % {"line": reader.line_num, "error": error}) from error
    if not rows:
        raise file_error(_("The file has no rows."))
    return rows, lines, shape_errors


def iso_date(value: str) -> str:
    """A US date (MM/DD/YYYY) as ISO; any other value as it is, for the field to judge."""
    match = _US_DATE.fullmatch(value)
    if match is None:
        return value
    month, day, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return value
